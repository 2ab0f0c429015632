"""Performance forms: final-accounts self-evaluations (绩效自评表): per project a form
head (label / value pairs) and stacked grids (funding, goal, indicators, total score)."""
from __future__ import annotations

from ...model import Table
from ..layout import CellRow
from ..recognise import clean_label, squash
from .base import FormReader
from .vocabulary import SELF_HEADERS, SELF_LABELS, UNIT_WORD, carry_levels


class SelfEvaluations(FormReader):
    """Reads self-evaluation forms."""


    def self_evaluation(self, rows: list[CellRow], title: str, first: int, last: int) -> Table:
        """A final-accounts self-evaluation form (绩效自评表) -> one performance_self_evaluation
        Table: the form's head (project, department, funding amounts in Decimal 元, the annual
        goal) and its grids (indicators with targets, results, weights and scores; the 总分 row),
        one row per item, labels and headers from the self_evaluation_label and
        self_evaluation_header words of codelists/performance_vocabulary.csv. Cells that cannot be
        placed are warnings."""
        table = self._table(self.spec, title, first, last)
        decimals: list[int] = []
        project: dict = {}
        header: list[str | None] | None = None
        part = None
        levels: dict = {}
        rows = list(rows)
        n = 0
        while n < len(rows):
            row = rows[n]
            n += 1
            cells = [c.strip() for c in row.cells]
            while header is not None and part is not None and len(cells) < len(header) \
                    and sum(1 for c in cells if SELF_HEADERS.get(squash(c))) < 2 and n < len(rows) \
                    and len(cells) + len(rows[n].cells) <= len(header) and squash(rows[n].cells[0]) not in SELF_LABELS \
                    and squash(rows[n].cells[0]) != "总分" and sum(1 for c in rows[n].cells if SELF_HEADERS.get(squash(c))) < 2:
                cells += [c.strip() for c in rows[n].cells]
                row = CellRow(cells, row.line, rows[n].last_line, row.page)
                n += 1
            keys = [squash(c).replace("\n", "") for c in cells]
            filled = [c for c in cells if c]
            if not filled:
                continue
            # label / value pairs of the form's head
            if keys[0] in SELF_LABELS:
                for k in range(0, len(keys) - 1, 2):
                    name = SELF_LABELS.get(keys[k])
                    if name:
                        project[name] = clean_label(cells[k + 1])
                    else:
                        self.warn(f"form label {cells[k]!r} not known; not converted", row.line)
                if "project_name" in cells and keys[0] == "项目名称":
                    pass
                if keys[0] == "项目名称":
                    part, header, levels = None, None, {}
                continue
            mapped = [SELF_HEADERS.get(k) for k in keys]
            if sum(1 for m in mapped if m) >= 2:
                header = mapped
                unit = UNIT_WORD.search(cells[0])
                if unit:
                    self.unit = unit.group(1) or unit.group(2)
                part = "funding" if "budget_initial" in mapped or "total" in mapped else ("goal" if "goal" in mapped else "indicator")
                levels = {}
                continue
            if keys[0] == "总分":
                numbers = filled[1:]
                values = {"record_type": "total_score", "item": "总分"}
                if numbers:
                    values["score_weight"] = numbers[0]
                if len(numbers) > 1:
                    values["score"] = numbers[1]
                if len(numbers) > 2:
                    self.warn(f"总分 row: cells not placed {numbers[2:]}", row.line)
                self._self_row(table, project, values, row)
                part = None
                continue
            if header is None or part is None:
                self.warn(f"self-evaluation row outside a known block, not converted: {filled[:3]}", row.line)
                continue
            values: dict = {"record_type": part}
            lost = []
            for k, cell in enumerate(cells):
                if not cell:
                    continue
                name = header[k] if k < len(header) else None
                if name is None:
                    if k == 1 and part == "funding":
                        values["item"] = clean_label(cell.replace("\n", ""))
                    else:
                        lost.append(cell)
                    continue
                if name in ("budget_initial", "budget_full_year", "total"):
                    amount = self._amount(cell, decimals)
                    if amount is not None:
                        values[name] = amount
                    elif squash(cell) not in ("-", "—", "/"):
                        lost.append(cell)
                elif squash(cell) in ("—", "-") and name in ("score_weight", "score"):
                    continue
                elif name in ("indicator_level1", "indicator_level2"):
                    values[name] = clean_label(cell.replace("\n", ""))
                else:
                    values[name] = cell
            if lost:
                self.warn(f"self-evaluation cells not placed: {[c[:30] for c in lost]}", row.line)
            if part == "indicator":
                levels = carry_levels(values, levels)
                values["item"] = values.get("indicator_level3") or values.get("indicator_level2") or ""
            elif part == "goal":
                values["item"] = "年度总体目标"
            values.setdefault("item", "")
            self._self_row(table, project, values, row)
        table.money_decimals = max(decimals) if decimals else None
        return table

    def _self_row(self, table: Table, project: dict, values: dict, row: CellRow) -> None:
        for k, v in project.items():
            values.setdefault(k, v)
        self._append(table, values, row)
