"""Performance forms: department-wide target forms (部门整体绩效目标表) — form rows,
indicator grids, and project tables with their indicator grids inside the form."""
from __future__ import annotations

import re

from ...model import Table
from ..layout import CellRow
from ..recognise import clean_label, header_key, is_header_word, match_dimension, match_measure, squash
from ...money import is_amount
from .indicators import IndicatorTables
from .vocabulary import INDICATOR_HEADERS, PROJECT_HEADERS, UNIT_WORD, is_level1, is_level2, is_number, operator_of


class DepartmentForms(IndicatorTables):
    """Reads department-wide target forms."""


    def department(self, rows: list[CellRow], title: str, first: int, last: int) -> list[Table]:
        """Form rows become label / text rows; an indicator grid (一级 / 二级 / 三级指标)
        becomes indicator rows; a block headed by 项目名称 and 项目概况 / 项目立项依据 is a
        project table (project_performance_targets) and a 绩效指标 grid after it gives
        the indicators of those projects."""
        spec = self.spec
        table = self._table(spec, title, first, last)
        tables = [table]
        decimals: list[int] = []
        i = 0
        level1 = level2 = None
        indicator_header: list[str] | None = None
        projects_table = None
        task_header: tuple | None = None
        while i < len(rows):
            row = rows[i]
            cells = [c.strip() for c in row.cells]
            keys = [header_key(c) for c in cells]
            if "项目名称" in keys and any(k.startswith("项目概况") or k.startswith("项目立项") for k in keys):
                projects_table, i = self.project_block(rows, i, title)
                tables.append(projects_table)
                continue
            if keys and keys[0] == "绩效指标" and len([c for c in cells if c]) == 1 and projects_table is not None:
                i = self.indicator_columns(rows, i + 1, projects_table)
                continue
            if self._indicator_header(keys):
                indicator_header = self._header_above(table, rows, i, keys)
                level1 = level2 = None
                i += 1
                continue
            if indicator_header is not None and self._indicator_like(cells, indicator_header):
                values = self._dept_indicator(cells, indicator_header, row, decimals)
                if values.get("indicator_level1"):
                    level1, level2 = values["indicator_level1"], None
                if values.get("indicator_level2"):
                    level2 = values["indicator_level2"]
                values.setdefault("indicator_level1", level1) if level1 else None
                values.setdefault("indicator_level2", level2) if level2 else None
                values = {k: v for k, v in values.items() if v is not None}
                values["item"] = values.get("indicator_level3") or values.get("indicator_level2") or ""
                self._append(table, values, row)
                i += 1
                continue
            if cells and cells[0]:
                indicator_header = None   # a form label ends the grid; a stray cell inside it does not
            task_header = self._task_header(cells, task_header)
            if task_header and self._task_row(table, cells, row, task_header, decimals):
                i += 1
                continue
            self._form_row(table, cells, row, rows, i, decimals)
            i += 1
        table.money_decimals = max(decimals) if decimals else None
        return tables

    def _header_above(self, table: Table, rows: list[CellRow], i: int, keys: list[str]) -> list[str]:
        """The indicator header `keys` of row i, its blank columns named by the header rows right
        above it (单位编码 / 年度预算申请 / 资金总额 / 整体绩效目标 over a wide row that prints the
        unit's amounts and goal beside its indicators), the lowest naming word first. Those rows were
        read as form rows; they are taken out of `table`."""
        above = []
        for j in range(i - 1, max(-1, i - 3), -1):
            filled = [c.strip() for c in rows[j].cells if c.strip()]
            if len(filled) < 2 or any(is_amount(squash(c)) or operator_of(c) or len(squash(c)) > 16 for c in filled) \
                    or not all(is_header_word(c) or len(squash(c)) <= 8 for c in filled):
                break
            above.append(rows[j])
        if not above:
            return keys
        width = max([len(keys)] + [len(r.cells) for r in above])
        named = list(keys) + [""] * (width - len(keys))
        for k in range(width):
            if not named[k]:
                named[k] = next((header_key(r.cells[k]) for r in above if k < len(r.cells) and r.cells[k].strip()), "")
        lines = {r.line for r in above}
        table.rows[:] = [r for r in table.rows if r.source_line not in lines]
        return named

    @staticmethod
    def _indicator_header(keys: list[str]) -> bool:
        """Whether a row of header keys heads an indicator grid: 一级指标 and 三级指标, or three
        or more indicator_header words (codelists/performance_vocabulary.csv) among them the
        target value (活动 / 绩效指标 / 指标性质 / 指标值 / 度量单位)."""
        if "一级指标" in keys and "三级指标" in keys:
            return True
        fields = [INDICATOR_HEADERS[k] for k in keys if k in INDICATOR_HEADERS]
        return "target_value" in fields and len(set(fields)) >= 3 and len(fields) == len([k for k in keys if k])

    def _indicator_like(self, cells: list[str], header: list[str]) -> bool:
        filled = [c for c in cells if c]
        if not filled:
            return False
        if any(operator_of(c) for c in filled):
            return True
        return any(is_level1(c) or is_level2(c) for c in filled) or (len(filled) >= 2 and not cells[0])

    def _dept_indicator(self, cells: list[str], header: list[str], row: CellRow, decimals: list[int]) -> dict:
        values: dict = {}
        names = INDICATOR_HEADERS
        allowed = set(self.spec.measures)

        def name_of(key: str) -> str | None:
            name = names.get(key) or (match_dimension([key]) if key else None)
            return name if name in self.spec.dimensions else (match_measure([key], allowed) if key else None)

        for i, key in enumerate(header):
            name = name_of(key)
            cell = cells[i] if i < len(cells) else ""
            if not name or not cell:
                continue
            self._put(values, name, cell, decimals)
        placed = {header[i] for i in range(min(len(header), len(cells))) if cells[i]}
        lost = [c for i, c in enumerate(cells) if c and (i >= len(header) or not header[i] or name_of(header[i]) is None)]
        if lost and "target_value" not in values and any(names.get(h) == "target_value" for h in header):
            target_at = max(i for i, h in enumerate(header) if names.get(h) == "target_value")
            right = [i for i, c in enumerate(cells) if c and i > target_at]
            if right:
                values["target_value"] = cells[right[-1]]
                lost.remove(cells[right[-1]])
        if lost and placed:
            # a merged label cell in front (绩效指标) is the group's name, not data
            lost = [c for c in lost if header_key(c) not in ("绩效指标",)]
            if lost:
                self.warn(f"cells outside the indicator columns not converted: {lost[:3]}", row.line)
        return values

    def _task_header(self, cells: list[str], current: tuple | None) -> tuple | None:
        """The header of a task grid inside the form (年度重点工作任务 | 名称 | 主要实施内容 |
        拟投入的资金（万元） | 期望达到的目标（概述））: (label key, [field or measure per column word],
        {column: field or measure}) when the row's label is followed by three or more words naming
        a field or measure of the table (brackets such as （万元） dropped; their unit is the
        table's), one of them a measure and one a text field, none twice (合计 | 基本支出 | 项目支出
        under 财政拨款 and 其他资金 are groups of amounts, not a task grid); words after those that
        name nothing (执行率分值（10分）) are columns that are not converted (None).
        A row below it without a label whose cells all name measures (总额 | 财政拨款 | 其他资金
        under 预算金额（万元）) splits the amount column into those measures, by column.
        Any other row with a label of its own ends the grid (None); rows without one keep `current`."""
        filled = [c for c in cells if c]
        if not cells or not cells[0]:
            return self._task_subheader(cells, current) if current else current
        words = [UNIT_WORD.sub("", re.sub(r"[（(][^（）()]*[)）]$", lambda m: m.group(0) if UNIT_WORD.search(m.group(0)) else "", c)).strip() for c in filled[1:]]
        allowed = set(self.spec.measures)
        names = [match_measure([w], allowed) or match_dimension([w]) for w in words]
        names = [n if n and (n in allowed or n in self.spec.dimensions) else None for n in names]
        named = names[:len(names) - next((k for k, n in enumerate(reversed(names)) if n), len(names))]
        if len(named) >= 3 and all(named) and any(n in allowed for n in named) \
                and any(n in self.spec.dimensions for n in named) and len(set(named)) == len(named):   # 名称 | 实施内容 | 资金 …, no group of amounts
            units = {u.group(1) or u.group(2) for c in filled[1:] for u in [UNIT_WORD.search(c)] if u}
            if len(units) == 1:
                self.unit = units.pop()
            columns = [k for k, c in enumerate(cells) if c][1:]
            return (header_key(cells[0]), names, dict(zip(columns, names)))
        return current if header_key(cells[0]) == (current or ("",))[0] else None

    def _task_subheader(self, cells: list[str], current: tuple) -> tuple:
        """`current` with its one amount column split into the measures a row of measure words
        names at or right of it, by column (the row printed under a merged 预算金额（万元））."""
        label, names, columns = current
        allowed = set(self.spec.measures)
        words = {k: match_measure([c], allowed) for k, c in enumerate(cells) if c}
        amounts = [k for k, n in columns.items() if n in allowed]
        if len(words) < 2 or not all(words.values()) or len(set(words.values())) != len(words) or len(amounts) != 1 \
                or min(words) < amounts[0]:
            return current
        split = {k: n for k, n in columns.items() if k != amounts[0]}
        split.update(words)
        return (label, [split[k] for k in sorted(split)], split)

    def _task_row(self, table: Table, cells: list[str], row: CellRow, header: tuple, decimals: list[int]) -> bool:
        """One task under a task grid header: its filled cells (the grid's label, repeated at the
        top of a page, left out) taken in order as the header's columns, or, when they are not as
        many, by column (a cell under the nearest header column at or left of it); the measure's
        cell an amount. False (the row is not a task) when the count or the amount does not fit; the
        header rows themselves are True (read). Cells under a column that names nothing are a warning."""
        label, names, columns = header
        filled = [c for c in cells if c]
        placed = [(k, c) for k, c in enumerate(cells) if c]
        if filled and header_key(filled[0]) == label:
            filled, placed = filled[1:], placed[1:]
        if not filled:
            return bool(cells and cells[0])   # the header row: its words named the columns
        allowed = set(self.spec.measures)
        if all(match_measure([c], allowed) and not is_amount(squash(c)) for c in filled) and len(filled) >= 2:
            return True   # the measure words under the amount column
        if len(filled) == len(names) and all(names):
            pairs = list(zip(filled, names))
        else:
            pairs = []
            for k, cell in placed:
                at = max((j for j in columns if j <= k), default=None)
                pairs.append((cell, columns[at] if at is not None else None))
            if len({n for _, n in pairs if n}) != len([n for _, n in pairs if n]):
                return False
        if not any(n in allowed for _, n in pairs) or not all(is_amount(squash(c)) for c, n in pairs if n in allowed) \
                or any(is_amount(squash(c)) for c, n in pairs if n and n not in allowed):
            return False
        values: dict = {}
        for cell, name in pairs:
            if name is None:
                self.warn(f"task grid cell under a column the standard does not name, not converted: {cell[:30]!r}", row.line)
                continue
            self._put(values, name, cell, decimals)
        values["item"] = clean_label(str(values.get("item") or values.get("activity") or ""))
        table.money_unit = self.unit
        self._append(table, values, row)
        return True

    def _form_row(self, table: Table, cells: list[str], row: CellRow, rows, i, decimals) -> None:
        """A form row: its first filled cell is the label, the rest its text or amounts. Label |
        amount pairs (基本支出 | 12,634.14 | 财政拨款 | 98,880.78, after a group label such as
        年度预算安排（万元） or none) are one row per pair: the amount under the measure its label
        names, else under total (the amount of the item the label names); pairs are read so only
        where every label names a measure or a unit word (万元) stands in the row or the three above
        (a name | phone number pair is no amount). A unit word in a row's
        words (预算金额（万元）) is the unit of the amounts below."""
        filled = [c for c in cells if c]
        if not filled:
            return
        allowed = set(self.spec.measures)
        units = {u.group(1) or u.group(2) for c in filled if not is_amount(squash(c)) for u in [UNIT_WORD.search(c)] if u}
        if len(units) == 1:
            self.unit = table.money_unit = units.pop()
        pairs = self._pairs(filled)
        money = any(UNIT_WORD.search(c) for r in rows[max(0, i - 3):i + 1] for c in r.cells if not is_amount(squash(c)))
        if pairs and (money or all(match_measure([label], allowed) for label, _ in pairs)) and not (len(filled) == 2 and self._form_measures(rows, i, cells)):
            if len(filled) % 2:   # the group label before the pairs (年度预算安排（万元）) is a row of its own
                self._append(table, {"item": clean_label(filled[0])}, row)
            for label, cell in pairs:
                amount = self._amount(cell, decimals)
                name = match_measure([label], allowed) or "total"
                self._append(table, {"item": clean_label(label), name: amount}, row)
            return
        if len(filled) > 1 and all(match_measure([c], allowed) for c in filled[1:]):
            unit = UNIT_WORD.search(filled[0])
            if unit:
                self.unit = table.money_unit = unit.group(1) or unit.group(2)
            return  # a header row of the amounts below
        label = clean_label(filled[0])
        rest = filled[1:]
        if all(is_amount(squash(c)) for c in filled):
            above = next((r for r in reversed(rows[max(0, i - 3):i]) if r.filled and not is_amount(squash(r.filled[0]))
                          and not match_measure([r.filled[0]], allowed)), None)
            label, rest = (clean_label(above.filled[0]) if above else ""), filled
        amounts = [c for c in rest if is_amount(squash(c))]
        values: dict = {"item": label}
        if amounts and len(amounts) == len(rest):
            measures = self._form_measures(rows, i, cells)
            if measures:
                groups: dict[str, dict] = {}
                for group, name, cell in measures:
                    amount = self._amount(cell, decimals)
                    if amount is not None:
                        (groups.setdefault(group, {"item": clean_label(group)}) if group else values)[name] = amount
                self._append(table, values, row)
                for group_values in groups.values():
                    self._append(table, group_values, row)
                return
        text = " | ".join(rest)
        if text:
            values["goal"] = text
        self._append(table, values, row)

    def _form_measures(self, rows, i, cells) -> list[tuple[str | None, str, str]]:
        """Amounts of a form row, named by the header rows above it: a group row (预算支出总额 /
        财政拨款 / 其他资金, printed once per merged group) and a lower row (合计 / 基本支出 /
        项目支出) whose 合计 cells open the groups in order. Returns (group, measure, cell)
        triples: an amount under a group's 合计 is the form row's measure of that group
        (fiscal_appropriation, other_funds) and, with group = the printed group heading, the
        total of that group's own row; one under 基本支出 / 项目支出 belongs to the group's row
        only; one under a heading without a lower row (预算支出总额) is the form row's (group
        None). Amounts under headings the standard does not name are a warning."""
        allowed = set(self.spec.measures)
        above = [[c.strip() for c in r.cells] for r in rows[max(0, i - 3):i]]
        group_row = next((r for r in above if sum(1 for c in r if c and match_measure([c], allowed)) >= 2), None)
        if group_row is None:
            return []
        positional = {j: (c, match_measure([c], allowed)) for j, c in enumerate(group_row) if c and match_measure([c], allowed)}
        lowest = above[-1]
        groups = [g for j, g in sorted(positional.items()) if not (j < len(lowest) and not lowest[j].strip())]
        out, current = [], None
        for j, cell in enumerate(cells):
            sub = header_key(lowest[j]) if j < len(lowest) else ""
            owners: list[tuple[str | None, str | None]] = []
            if not sub and j in positional:
                owners = [(None, positional[j][1])]
            elif sub in ("合计", "小计"):
                current = groups.pop(0) if groups else None
                owners = [(None, current[1]), (current[0], "total")] if current else [(None, None)]
            elif sub:
                owners = [(current[0] if current else None, match_measure([sub], allowed) if current else None)]
            if not cell or not is_amount(squash(cell)):
                continue
            for group, name in owners or [(None, None)]:
                if name is None:
                    self.warn(f"amount {cell} under {current[0] if current else ''}/{sub}: the standard has no measure for it; not converted", rows[i].line)
                    continue
                out.append((group, name, cell))
        return out

    # -- project tables inside a form (header-recognised) ------------------------------

    def project_block(self, rows: list[CellRow], i: int, title: str):
        """The project table (project_performance_targets) whose header row is `rows[i]` (and the
        row below it when that row continues the header): columns named by the project_header
        words of codelists/performance_vocabulary.csv or the header aliases of fields.csv, one row
        per project until a blank row or a 绩效指标 row. Returns (Table, index of the first row
        after the block). Header columns without a field are a warning."""
        spec = self.standard.tables["project_performance_targets"]
        table = self._table(spec, "项目绩效目标汇总表 (recognised by its header)", rows[i].line, rows[i].line)
        header = [[c.strip() for c in rows[i].cells]]
        j = i + 1
        if j < len(rows) and not any(re.fullmatch(r"\d{4}", c.strip()) for c in rows[j].cells[:1]) and not rows[j].cells[0].strip():
            header.append([c.strip() for c in rows[j].cells])
            j += 1
        names = PROJECT_HEADERS
        width = max(len(h) for h in header)
        columns: dict[int, str] = {}
        for k in range(width):
            path = [h[k] for h in header if k < len(h) and h[k]]
            if not path:
                continue
            key = header_key(path[-1])
            name = names.get(key) or match_dimension(path[-1:])
            if name and (name in spec.dimensions or name in ("project_name",)):
                columns[k] = name
        skipped = sorted({"/".join(h[k] for h in header if k < len(h) and h[k]) for k in range(width)
                          if k not in columns and any(k < len(h) and h[k] for h in header)})
        if skipped:
            self.warn(f"project table columns without a field in project_performance_targets, not converted: {', '.join(skipped)}", rows[i].line, spec.code)
        table.first_line = rows[i].line
        while j < len(rows):
            cells = [c.strip() for c in rows[j].cells]
            if not cells or header_key(cells[0]) == "绩效指标" or not any(cells):
                break
            values = {}
            for k, name in columns.items():
                if k < len(cells) and cells[k]:
                    values[name] = cells[k] if name != "project_name" else clean_label(cells[k])
            values["item"] = values.get("project_name", "")
            self._append(table, values, rows[j])
            table.last_line = rows[j].line
            j += 1
        return table, j

    def indicator_columns(self, rows: list[CellRow], i: int, projects: Table) -> int:
        """A wide grid whose columns are indicators (质量指标1 (中期) …) under group rows
        (支出指标 / 效益指标 …, 质量指标 / 成本指标 …), one data row per project in the
        order of the project table: one output row per project × filled indicator cell."""
        header = []
        j = i
        while j < len(rows) and not any(is_number(c) for c in rows[j].cells) and self._grid_header(rows[j]):
            header.append([c.strip() for c in rows[j].cells])
            j += 1
        width = max((len(h) for h in header), default=0)
        paths = []
        for k in range(width):
            leaf = max((r for r, h in enumerate(header) if k < len(h) and h[k]), default=None)
            path = []
            if leaf is not None:
                for h in header[:leaf]:
                    spread = next((h[m] for m in range(min(k, len(h) - 1), -1, -1) if h[m]), "")
                    if spread and spread not in path:
                        path.append(spread)
                path.append(header[leaf][k])
            paths.append(path)
        data_rows = []
        while j < len(rows) and any(c.strip() for c in rows[j].cells):
            data_rows.append(rows[j])
            j += 1
        if len(data_rows) != len(projects.rows):
            self.warn(f"indicator grid has {len(data_rows)} row(s) for {len(projects.rows)} project(s); rows paired in order as far as both go", rows[i].line, projects.table_id)
        for n, row in enumerate(data_rows):
            project = projects.rows[n].values if n < len(projects.rows) else {}
            for k, cell in enumerate(row.cells):
                cell = cell.strip()
                if not cell:
                    continue
                path = paths[k] if k < len(paths) else []
                if not path:
                    self.warn(f"indicator cell in a column without an indicator heading, not converted: {cell[:30]!r}", row.line, projects.table_id)
                    continue
                values = {key: project[key] for key in ("project_name", "unit_code", "unit_name", "fiscal_year") if key in project}
                values["indicator_level1"] = path[0] if len(path) > 1 else None
                values["indicator_level2"] = path[-2] if len(path) > 2 else None
                values["indicator_level3"] = path[-1]
                values["target_value"] = cell
                values = {key: v for key, v in values.items() if v is not None}
                values["item"] = path[-1]
                self._append(projects, values, row)
                projects.last_line = row.line
        return j

    def _grid_header(self, row: CellRow) -> bool:
        filled = [c.strip() for c in row.cells if c.strip()]
        return bool(filled) and all(squash(c).endswith(("指标", "(中期)", "(年度)", "满意度")) or re.fullmatch(r"指标\d+", squash(c)) or "指标" in c for c in filled)

    @staticmethod
    def _pairs(filled: list[str]) -> list[tuple[str, str]]:
        """Label | amount pairs of a form row's filled cells, after a leading group label followed
        by another label; [] unless the cells are such pairs throughout."""
        def amount(c: str) -> bool:
            return is_amount(squash(c))
        if len(filled) >= 3 and not amount(filled[0]) and not amount(filled[1]):
            filled = filled[1:]
        if len(filled) < 2 or len(filled) % 2 or any(amount(c) for c in filled[::2]) or not all(amount(c) for c in filled[1::2]):
            return []
        return list(zip(filled[::2], filled[1::2]))
