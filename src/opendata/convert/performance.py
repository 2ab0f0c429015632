"""Performance tables: project and department performance targets (绩效目标表) and
final-accounts self-evaluations (绩效自评表).

These tables are forms more than grids: merged cells leave continuation rows that
inherit the project and the upper indicator levels, some exports shift a row's cells
left, indicators may be printed as columns, and self-evaluations stack several small
grids (funding, goal, indicators, total score) per project. What is printed is kept;
whatever cannot be placed is reported as a warning.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..model import Row, Table
from ..money import is_amount, parse_amount, printed_decimals
from ..standard import TableSpec, load_standard
from .errors import Warnings
from .layout import CellRow
from .recognise import clean_label, header_key, match_dimension, match_measure, squash
from .source import Line

# -- words of the indicator vocabulary ------------------------------------------------

OPERATORS = {"大于等于": "≥", "不低于": "≥", "不少于": "≥", "≥": "≥", ">=": "≥", "小于等于": "≤", "不高于": "≤", "不超过": "≤",
             "≤": "≤", "<=": "≤", "等于": "＝", "=": "＝", "＝": "＝", "大于": ">", ">": ">", "＞": ">", "小于": "<",
             "<": "<", "＜": "<", "定性": "定性", "定量": "定量"}
LEVEL1_WORDS = ("产出指标", "效益指标", "满意度指标", "成本指标")
INDICATOR_FIELDS = ("indicator_level1", "indicator_level2", "indicator_level3", "operator", "target_value", "target_unit", "weight")
PROJECT_CODE = re.compile(r"^\s*([0-9A-Z]{12,})\s*[-—－_]\s*(.+)$", re.S)
HEADING = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、\S|预算\s*\d{1,2}\s*表\s*$|表\s*\d{1,2}\s*$|表[一二三四五六七八九十]{1,3}[、.．])")
PAGE_NUMBER = re.compile(r"^\s*[-—]?\s*\d{1,3}\s*[-—]?\s*$")
UNIT_WORD = re.compile(r"[（(]\s*(万元|元)\s*[)）]|单位[:：]\s*(万元|元)")


def operator_of(cell: str) -> str | None:
    return OPERATORS.get(squash(cell))


def is_level1(cell: str) -> bool:
    key = squash(cell)
    return any(key.startswith(word) for word in LEVEL1_WORDS)


def is_level2(cell: str) -> bool:
    key = squash(cell)
    return not is_level1(cell) and len(key) <= 14 and (key.endswith("指标") or key.endswith("指"))


def is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+(\.\d+)?", squash(cell).replace(",", "")))


# -- segments -------------------------------------------------------------------------

def extend_segment(lines: list[Line], segment, limit: int) -> None:
    """Performance tables hold long paragraphs (goals, results) that look like prose and
    continue after page breaks: their body runs to the next table or the next heading."""
    end = limit
    for j in range(segment.start, limit):
        text = lines[j].text
        if text.strip() and not text.startswith("\t") and "\t" not in text.strip("\t") and HEADING.match(text):
            end = j
            break
    # trailing lines that are neither rows nor cell continuations (page numbers) stay out
    while end > segment.start and not lines[end - 1].text.startswith("\t") and (not lines[end - 1].text.strip() or PAGE_NUMBER.match(lines[end - 1].text)):
        end -= 1
    if end > segment.end:
        segment.end = end
        segment.lines = lines[segment.start:end]


def carry_levels(values: dict, levels: dict) -> dict:
    """一级 / 二级指标 printed once over several indicator rows: the levels a row prints start
    a new group, and the rows below without them take the group's."""
    if "indicator_level1" in values:
        levels = {"indicator_level1": values["indicator_level1"]}
    if "indicator_level2" in values:
        levels["indicator_level2"] = values["indicator_level2"]
    for k, v in levels.items():
        values.setdefault(k, v)
    return levels


def strict_cell_rows(lines: list[Line]) -> list[CellRow]:
    """One cell per line (each led by a tab), rows separated by blank lines; a line without
    the tab continues the last cell (after a blank line, as a new paragraph). Unlike the
    general reader, a tab-led line after a blank line always starts a new row."""
    rows: list[CellRow] = []
    current: CellRow | None = None
    blank = False
    for line in lines:
        text = line.text
        if not text.strip() and not text.startswith("\t"):
            blank = True
            continue
        if text.startswith("\t"):
            if current is None or blank:
                current = CellRow([], line.no, line.no, line.page)
                rows.append(current)
            current.cells.append(text[1:].strip())
            current.last_line = line.no
        elif PAGE_NUMBER.match(text) and blank:
            continue
        elif current is not None and current.cells and not (blank and HEADING.match(text)):
            joiner = "\n" if blank else ""
            current.cells[-1] = (current.cells[-1] + joiner + text.strip()).strip()
            current.last_line = line.no
        else:
            rows.append(CellRow([text.strip()], line.no, line.no, line.page))
            current = None
        blank = False
    return rows


# -- the builder ----------------------------------------------------------------------

class PerformanceBuilder:
    def __init__(self, spec: TableSpec, warnings: Warnings, default_unit: str):
        self.spec = spec
        self.warnings = warnings
        self.unit = default_unit
        self.standard = load_standard()
        self.header_rows: list = []

    def warn(self, message: str, line: int, table_id: str | None = None) -> None:
        self.warnings.add(message, line, table_id or self.spec.code)

    def build(self, lines: list[Line], layout: str, title: str, first_line: int, last_line: int) -> list[Table]:
        from .layout import tab_rows
        rows = strict_cell_rows(lines) if layout == "cell_per_line" else tab_rows(lines)
        rows, notes, unit = self._meta(rows)
        if unit:
            self.unit = unit
        if self.spec.code == "performance_self_evaluation":
            tables = [self.self_evaluation(rows, title, first_line, last_line)]
        elif self.spec.code == "project_performance_targets":
            tables = [self.indicator_table(rows, self.spec, title, first_line, last_line)]
        else:
            tables = self.department(rows, title, first_line, last_line)
        if notes and tables:
            tables[0].note = "\n".join(notes)
        return tables

    def _meta(self, rows):
        kept, notes, unit = [], [], None
        for row in rows:
            filled = row.filled
            text = " ".join(filled)
            if len(filled) == 1 and len(squash(text)) < 40 and (re.match(r"^\s*(部门|单位|单位名称|金额单位)\s*[:：]", text) or re.fullmatch(r"[（(]\s*\d{4}\s*年度?\s*[)）]", squash(text))):
                match = re.search(r"单位[:：]\s*(万元|元)", text)
                unit = match.group(1) if match else unit
                continue
            if len(filled) == 1 and re.match(r"^\s*(注|备注|说明)\s*[:：]", text):
                notes.append(text.strip())
                continue
            kept.append(row)
        return kept, notes, unit

    def _table(self, spec: TableSpec, title: str, first: int, last: int) -> Table:
        table = Table(spec.code, printed_title=title, first_line=first, last_line=last)
        table.money_unit = self.unit
        return table

    def _amount(self, cell: str, decimals: list[int]) -> Decimal | None:
        cell = squash(cell)
        if is_amount(cell):
            decimals.append(printed_decimals(cell))
            return parse_amount(cell, self.unit)
        return None

    # -- indicator tables (one row per indicator) -------------------------------------

    def header_columns(self, header: list[list[str]], spec: TableSpec) -> dict[int, str]:
        """Column index -> field or measure, from the header rows (lower rows refine)."""
        allowed = set(spec.measures)
        width = max(len(r) for r in header)
        columns: dict[int, str] = {}
        for i in range(width):
            path = [r[i] for r in header if i < len(r) and r[i].strip()]
            if not path:
                continue
            measure = match_measure(path, allowed)
            dimension = match_dimension(path[-1:]) or match_dimension(path)
            if measure and (dimension is None or len(path) > 1):
                columns[i] = measure
            elif dimension:
                columns[i] = dimension
            elif measure:
                columns[i] = measure
        return columns

    def indicator_table(self, rows: list[CellRow], spec: TableSpec, title: str, first: int, last: int,
                        projects: list[dict] | None = None) -> Table:
        table = self._table(spec, title, first, last)
        header, data = [], []
        for row in rows:
            if not data and (not row.filled or self._is_header(row)):
                header.append(row)
            else:
                data.append(row)
        if not header:
            self.warn(f"table '{title}' has no header; its {len(data)} row(s) are not converted", first, spec.code)
            return table
        columns = self.header_columns([[c.strip() for c in r.cells] for r in header], spec)
        for i, name in list(columns.items()):
            if name not in spec.dimensions and name not in spec.measures and name != "project_name":
                self.warn(f"column '{name}' is not a column of {spec.code}; its cells are not converted", first, spec.code)
                del columns[i]
        op_index = next((i for i, n in columns.items() if n == "operator"), None)
        header_keys = {tuple(header_key(c) for c in r.cells) for r in header}
        decimals: list[int] = []
        project: dict = {}
        levels: dict = {}
        for row in data:
            if tuple(header_key(c) for c in row.cells) in header_keys:
                continue
            aligned = op_index is not None and op_index < len(row.cells) and operator_of(row.cells[op_index]) is not None
            values: dict = {}
            if aligned or op_index is None:
                for i, name in columns.items():
                    cell = row.cells[i].strip() if i < len(row.cells) else ""
                    if cell:
                        self._put(values, name, cell, decimals)
                extra = [c for i, c in enumerate(row.cells) if c.strip() and i not in columns]
                if extra:
                    self.warn(f"cells outside the header's columns not converted: {extra[:3]}", row.line, spec.code)
            else:
                values = self._realign(row, decimals)
                if values is None:
                    continue
            project_values = {k: v for k, v in values.items() if k not in INDICATOR_FIELDS}
            if project_values.get("project_name") or project_values.get("project_code"):
                # the unit (a cell merged over several projects) carries over to the next project
                project = {k: v for k, v in project.items() if k in ("unit_name", "unit_code", "department")}
                project.update(project_values)
                values.update({k: v for k, v in project.items() if k not in values})
                levels = {}
            else:
                for k, v in project.items():
                    values.setdefault(k, v)
            levels = carry_levels(values, levels)
            values["item"] = values.get("indicator_level3") or values.get("indicator_level2") or values.get("project_name") or ""
            for name in values:
                table.add_column(name)
            table.rows.append(Row("", "item", values, row.line, row.page))
        table.money_decimals = max(decimals) if decimals else None
        return table

    def _is_header(self, row: CellRow) -> bool:
        filled = row.filled
        known = sum(1 for c in filled if match_dimension([c]) or match_measure([c]) or header_key(c) in ("其中", "其中:"))
        return bool(filled) and known * 2 >= len(filled) and not any(operator_of(c) for c in filled)

    def _put(self, values: dict, name: str, cell: str, decimals: list[int]) -> None:
        if name in self.spec.measures and name in self.standard.measures:
            amount = self._amount(cell, decimals)
            if amount is not None:
                values[name] = amount
            elif squash(cell) not in ("", "-", "—", "/"):
                values.setdefault("_unconverted", []).append(cell)
            return
        if name == "operator":
            op = operator_of(cell)
            values["operator"] = op or cell.strip()
            if op and op != squash(cell):
                values["operator_printed"] = cell.strip()
            return
        if name == "project_name":
            match = PROJECT_CODE.match(cell)
            if match and "project_code" in self.spec.dimensions:
                values["project_code"], values["project_name"] = match.group(1), clean_label(match.group(2))
            else:
                values["project_name"] = clean_label(cell)
            return
        values[name] = cell.strip()

    def _realign(self, row: CellRow, decimals: list[int]) -> dict | None:
        """A row whose cells stand in the wrong columns: place them by what they are. The
        indicator part ends with [三级指标, operator, value, unit?, weight?]; before it,
        一级 / 二级 words."""
        cells = [c.strip() for c in row.cells if c.strip()]
        k = next((i for i, c in enumerate(cells) if operator_of(c)), None)
        if k is None or k == 0:
            self.warn(f"row not converted: no indicator operator found to place its cells {cells[:4]}", row.line)
            return None
        values: dict = {}
        self._put(values, "operator", cells[k], decimals)
        values["indicator_level3"] = cells[k - 1]
        tail = cells[k + 1:]
        if tail:
            values["target_value"] = tail.pop(0)
        if tail and not is_number(tail[0]):
            values["target_unit"] = tail.pop(0)
        if tail and is_number(tail[0]):
            values["weight"] = tail.pop(0)
        rest = []
        for cell in reversed(cells[:k - 1]):
            if is_level1(cell) and "indicator_level1" not in values:
                values["indicator_level1"] = cell
            elif "indicator_level2" not in values and "indicator_level1" not in values and is_level2(cell):
                values["indicator_level2"] = cell
            else:
                rest.append(cell)
        if rest or tail:
            self.warn(f"cells of a shifted row not placed: {list(reversed(rest)) + tail}", row.line)
        return values

    # -- department-wide targets (a form) ---------------------------------------------

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
            if "一级指标" in keys and "三级指标" in keys:
                indicator_header = keys
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
            indicator_header = None
            self._form_row(table, cells, row, rows, i, decimals)
            i += 1
        table.money_decimals = max(decimals) if decimals else None
        return tables

    def _indicator_like(self, cells: list[str], header: list[str]) -> bool:
        filled = [c for c in cells if c]
        if not filled:
            return False
        if any(operator_of(c) for c in filled):
            return True
        return any(is_level1(c) or is_level2(c) for c in filled) or (len(filled) >= 2 and not cells[0])

    def _dept_indicator(self, cells: list[str], header: list[str], row: CellRow, decimals: list[int]) -> dict:
        values: dict = {}
        names = {"一级指标": "indicator_level1", "二级指标": "indicator_level2", "三级指标": "indicator_level3",
                 "指标性质": "operator", "指标方向性": "indicator_direction", "目标值": "target_value", "指标值": "target_value",
                 "计量单位": "target_unit", "度量单位": "target_unit", "备注": "remark", "活动": "activity", "绩效指标": "indicator_level3"}
        for i, key in enumerate(header):
            name = names.get(key) or (match_dimension([key]) if key else None)
            cell = cells[i] if i < len(cells) else ""
            if not name or not cell or name not in self.spec.dimensions:
                continue
            self._put(values, name, cell, decimals)
        placed = {header[i] for i in range(min(len(header), len(cells))) if cells[i]}
        lost = [c for i, c in enumerate(cells) if c and (i >= len(header) or not header[i] or (names.get(header[i]) or match_dimension([header[i]])) not in self.spec.dimensions)]
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

    def _form_row(self, table: Table, cells: list[str], row: CellRow, rows, i, decimals) -> None:
        """A form row: its first filled cell is the label, the rest its text or amounts."""
        filled = [c for c in cells if c]
        if not filled:
            return
        allowed = set(self.spec.measures)
        if len(filled) > 1 and all(match_measure([c], allowed) for c in filled[1:]):
            unit = UNIT_WORD.search(filled[0])
            if unit:
                self.unit = unit.group(1) or unit.group(2)
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
                for name, cell in measures:
                    amount = self._amount(cell, decimals)
                    if amount is not None:
                        values[name] = amount
                self._append(table, values, row)
                return
        text = " | ".join(rest)
        if text:
            values["goal"] = text
        self._append(table, values, row)

    def _form_measures(self, rows, i, cells):
        """Amounts of a form row, named by the header rows above it: a group row (预算支出总额 /
        财政拨款 / 其他资金, printed once per merged group) and a lower row (合计 / 基本支出 /
        项目支出) whose 合计 cells open the groups in order."""
        allowed = set(self.spec.measures)
        above = [[c.strip() for c in r.cells] for r in rows[max(0, i - 3):i]]
        group_row = next((r for r in above if sum(1 for c in r if c and match_measure([c], allowed)) >= 2), None)
        if group_row is None:
            return []
        positional = {j: match_measure([c], allowed) for j, c in enumerate(group_row) if c and match_measure([c], allowed)}
        lowest = above[-1]
        groups = [m for j, m in sorted(positional.items()) if not (j < len(lowest) and not lowest[j].strip())]
        out, current, first_group = [], None, None
        for j, cell in enumerate(cells):
            sub = header_key(lowest[j]) if j < len(lowest) else ""
            if not sub and j in positional:
                name = positional[j]
            elif not sub:
                name = None
            elif sub in ("合计", "小计"):
                current = groups.pop(0) if groups else None
                if sub and first_group is None:
                    first_group = current
                name = current
            else:
                name = match_measure([sub], allowed)
                if current != first_group:
                    name = None
            if not cell or not is_amount(squash(cell)):
                continue
            if name is None:
                self.warn(f"amount {cell} under {current}/{sub}: the standard has no measure for it; not converted", rows[i].line)
                continue
            out.append((name, cell))
        return out

    def _append(self, table: Table, values: dict, row: CellRow) -> None:
        for name in values:
            table.add_column(name)
        table.rows.append(Row("", "item", values, row.line, row.page))

    # -- project tables inside a form (header-recognised) ------------------------------

    def project_block(self, rows: list[CellRow], i: int, title: str):
        spec = self.standard.tables["project_performance_targets"]
        table = self._table(spec, "项目绩效目标汇总表 (recognised by its header)", rows[i].line, rows[i].line)
        header = [[c.strip() for c in rows[i].cells]]
        j = i + 1
        if j < len(rows) and not any(re.fullmatch(r"\d{4}", c.strip()) for c in rows[j].cells[:1]) and not rows[j].cells[0].strip():
            header.append([c.strip() for c in rows[j].cells])
            j += 1
        names = {"年度": "fiscal_year", "单位编码": "unit_code", "项目概况": "goal", "项目属性": "project_category",
                 "资金性质": "fund_nature", "项目立项依据": "project_basis"}
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

    # -- self-evaluations --------------------------------------------------------------

    SELF_HEADERS = {"年初预算数": "budget_initial", "全年预算数": "budget_full_year", "全年执行数": "total", "执行数": "total",
                    "分值": "score_weight", "执行率": "execution_rate", "得分": "score", "一级指标": "indicator_level1",
                    "二级指标": "indicator_level2", "三级指标": "indicator_level3", "年度指标值": "target_value",
                    "实际完成值": "actual_value", "偏差原因分析及改进措施": "deviation_reason", "预期目标": "goal",
                    "实际完成情况": "actual_value"}
    SELF_LABELS = {"项目名称": "project_name", "主管部门": "department", "实施单位": "unit_name",
                   "项目负责人": "responsible_person", "联系电话": "contact_phone"}

    def self_evaluation(self, rows: list[CellRow], title: str, first: int, last: int) -> Table:
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
                    and sum(1 for c in cells if self.SELF_HEADERS.get(squash(c))) < 2 and n < len(rows) \
                    and len(cells) + len(rows[n].cells) <= len(header) and squash(rows[n].cells[0]) not in self.SELF_LABELS \
                    and squash(rows[n].cells[0]) != "总分" and sum(1 for c in rows[n].cells if self.SELF_HEADERS.get(squash(c))) < 2:
                cells += [c.strip() for c in rows[n].cells]
                row = CellRow(cells, row.line, rows[n].last_line, row.page)
                n += 1
            keys = [squash(c).replace("\n", "") for c in cells]
            filled = [c for c in cells if c]
            if not filled:
                continue
            # label / value pairs of the form's head
            if keys[0] in self.SELF_LABELS:
                for k in range(0, len(keys) - 1, 2):
                    name = self.SELF_LABELS.get(keys[k])
                    if name:
                        project[name] = clean_label(cells[k + 1])
                    else:
                        self.warn(f"form label {cells[k]!r} not known; not converted", row.line)
                if "project_name" in cells and keys[0] == "项目名称":
                    pass
                if keys[0] == "项目名称":
                    part, header, levels = None, None, {}
                continue
            mapped = [self.SELF_HEADERS.get(k) for k in keys]
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
