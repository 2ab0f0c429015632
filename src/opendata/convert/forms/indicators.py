"""Performance forms: indicator tables, one row per indicator (项目绩效目标表), read by
their header; rows shifted left are placed by what their cells are."""
from __future__ import annotations

import re

from ...model import Row, Table
from ...standard import TableSpec
from ..layout import CellRow
from ...money import is_amount
from ..recognise import clean_label, header_key, match_title, title_key, is_column_number, is_header_word, match_dimension, match_measure, row_type_for, squash
from .base import FormReader
from .continued import continues_form, form_state
from .vocabulary import INDICATOR_FIELDS, INDICATOR_HEADERS, PAGE_NUMBER, PROJECT_CODE, SELF_LABELS, TITLE_ENDS, UNIT_WORD, carry_levels, continued_code, grid_header, is_level1, is_level2, is_number, operator_of


HEADER_UNIT = re.compile(r"[（(]\s*(?:(?:金额)?单位[:：]\s*)?(万元|元)\s*[)）]")   # 预算数（单位：万元）
UNIT_PREFIX = re.compile(r"^(\d{3,})[_－—-]([^_－—-]+)[_－—-](.+)$")   # 301007_某分局_某项目: a unit code and name lead a form title
LEAD_IN = re.compile(r"[，。；]|[:：]\s*$")   # a sentence leading into the table, not a header


class IndicatorTables(FormReader):
    """Reads indicator tables (one row per indicator)."""


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
        """An indicator grid (一级 / 二级 / 三级指标, operator, target value, unit, weight) ->
        Table of `spec`: leading header rows name the columns (indicator_header words of
        codelists/performance_vocabulary.csv, measure and field aliases), each data row is one
        indicator, upper levels and the project carried down from the rows above (merged cells),
        the target split at its printed operator (operator words of the same file). Amounts are Decimal 元 from the reader's
        unit. Rows and cells that cannot be placed are warnings; a grid without header is one
        warning and an empty table. `projects` is accepted and not used here."""
        form = self._is_project_form(rows)
        carried = self.carried.get("form") if not form and continues_form(rows, self.carried) else None
        if form or carried:
            return self.project_form(rows, spec, title, first, last, carried)
        if any(r.filled for r in rows):   # a title printed twice over a continued form: the first has no rows
            self.carried.pop("form", None)
        header, data, lead = [], [], []
        for row in rows:
            if not data and not header and len(row.filled) == 1 and LEAD_IN.search(row.filled[0]):
                lead.append(row.filled[0].strip())   # 2026年，本部门重点项目绩效目标情况如下：
            elif not data and (not row.filled or self._is_header(row)):
                header.append(row)
            else:
                data.append(row)
        cells = [[c.strip() for c in r.cells] for r in header if not all(is_column_number(c) for c in r.filled)]
        units = {m.group(1) for r in cells for c in r for m in [HEADER_UNIT.search(c)] if m}
        if len(units) == 1:
            self.unit = units.pop()   # 预算数（单位：万元）: the unit printed in a column header
        cells = [[HEADER_UNIT.sub("", c).strip() for c in r] for r in cells]
        table = self._table(spec, title, first, last)
        if lead:
            table.note = "\n".join(lead)
        if not cells:   # no header, or only column numbers (1 2 3) under where it would be
            if data:   # a heading naming the table right above a printed title has no rows to lose
                self.warn(f"table '{title}' has no header; its {len(data)} row(s) are not converted", first, spec.code)
            return table
        columns = self.header_columns(cells, spec)
        if "project_name" not in columns.values() and "project_code" not in columns.values():
            # 项目 over the projects' names: in a table of project targets the item column names the project
            columns = {i: "project_name" if name == "item" else name for i, name in columns.items()}
        for i, name in list(columns.items()):
            if name not in spec.dimensions and name not in spec.measures and name != "project_name":
                self.warn(f"column '{name}' is not a column of {spec.code}; its cells are not converted", first, spec.code)
                del columns[i]
        op_index = next((i for i, n in columns.items() if n == "operator"), None)
        header_keys = {tuple(header_key(c) for c in r.cells) for r in header}
        decimals: list[int] = []
        project: dict = {}
        levels: dict = {}
        width = max(len(r.cells) for r in header)
        fragment: dict = {}
        loose: list[CellRow] = []
        project_rows: list[Row] = []   # the rows of the current project
        for row in data:
            if tuple(header_key(c) for c in row.cells) in header_keys:
                continue
            if len(row.cells) == 1 and operator_of(row.cells[0]) is None:
                loose.append(row)  # a line outside the table's cells (wrapped or clipped text)
                continue
            self._loose(loose)
            values = self._row_values(row, columns, op_index, width, decimals)
            if values is None:
                continue
            if values and set(values) <= {"target_unit", "operator", "operator_printed"}:
                fragment.update(values)  # a part of a merged cell set on a row of its own
                continue
            for k, v in fragment.items():
                values.setdefault(k, v)
            fragment = {}
            total = self._total_label(values)
            if not total and not project and values and not any(isinstance(v, str) and v for v in values.values()):
                # amounts printed with no label above the first project: the list's total, its 合计 not printed
                total = "合计"
                self.warn(f"a row of amounts without a label above the first project ({', '.join(str(v) for v in values.values())}): "
                          "read as the table's total (合计)", row.line, spec.code)
            if total:
                # 合计 | | 270.00: the table's total row, no project nor indicator of its own
                values = {k: v for k, v in values.items() if not isinstance(v, str)}
                values["item"] = total
                for name in values:
                    table.add_column(name)
                table.rows.append(Row("", row_type_for(total), values, row.line, row.page))
                continue
            project_values = {k: v for k, v in values.items() if k not in INDICATOR_FIELDS}
            joined = continued_code(project, project_values, self.spec.measures) if "project_code" in self.spec.dimensions else None
            if joined:
                # the rest of a project cell cut inside its code (a page break): the same project, its code whole
                project_values.update(joined)
                project = {**project, **{k: v for k, v in project_values.items() if k not in project or k in joined}}
                for earlier in project_rows:
                    if earlier.values.get("item") == earlier.values.get("project_name"):
                        earlier.values["item"] = joined["project_name"]
                    earlier.values.update({k: v for k, v in project.items() if k in joined or k not in earlier.values})
                    for name in earlier.values:
                        table.add_column(name)
                values.update(joined)
                values.update({k: v for k, v in project.items() if k not in values})
            elif project_values.get("project_name") or project_values.get("project_code"):
                # the unit (a cell merged over several projects) carries over to the next project
                project = {k: v for k, v in project.items() if k in ("unit_name", "unit_code", "department")}
                project.update(project_values)
                values.update({k: v for k, v in project.items() if k not in values})
                levels = {}
                project_rows = []
            else:
                for k, v in project.items():
                    values.setdefault(k, v)
            levels = carry_levels(values, levels)
            values["item"] = values.get("indicator_level3") or values.get("indicator_level2") or values.get("project_name") or ""
            for name in values:
                table.add_column(name)
            table.rows.append(Row("", "item", values, row.line, row.page))
            project_rows.append(table.rows[-1])
        self._loose(loose)
        if fragment:
            self.warn(f"cells on a row of their own, with no indicator to join, not converted: {list(fragment.values())[:3]}", first, spec.code)
        table.money_decimals = max(decimals) if decimals else None
        return table

    @staticmethod
    def _is_project_form(rows: list[CellRow]) -> bool:
        """True when the first filled row is a form's label and its value (项目名称 | the name) or
        its funding row (专项资金情况（万元） | 资金总额： | 80.00), not a grid header: one project
        printed as a form with its indicator grid inside. A name that reads like a header word
        (办公楼运行维护费 holds the column word 运行维护费) is still a form's value when the next
        filled row is a form row too: a label and its value (主管部门 | 某局) or the funding row."""
        filled = [r for r in rows if r.filled]
        if not filled:
            return False
        first = filled[0]
        if len(first.filled) == 2 and first.cells[0].strip() and SELF_LABELS.get(header_key(first.cells[0])) == "project_name":
            if not is_header_word(first.filled[1]):
                return True
            following = filled[1] if len(filled) > 1 else None
            return following is not None and (_is_funding_row(following) or _is_label_value_row(following))
        return _is_funding_row(first)

    def project_form(self, rows: list[CellRow], spec: TableSpec, title: str, first: int, last: int, carried: dict | None = None) -> Table:
        """Projects printed as forms -> one Table of `spec`: label | value rows (项目名称, 主管部门,
        实施单位: self_evaluation_label words of codelists/performance_vocabulary.csv, and field
        aliases such as 年度目标), funding rows (专项资金情况（万元） | 资金总额 | 745.00: the amount
        named by the measure its label names, in the unit the group label prints), a line holding
        only the end of the value above it (a wrapped name), then the indicator grid under its
        一级 / 二级 / 三级指标 header. A form that prints no 项目名称 is named by its title (`title`
        for the first form; for a further form, the lines printed between the grid above and its
        first label or funding row), less the form_title_end words of the same file; a title led by
        a unit code and name (301007_某分局_某项目) gives unit_code and unit_name too. Page numbers
        between forms are dropped. One row per indicator carrying the project's values; a form
        without indicators is one row. Cells that cannot be placed are warnings. `carried` (forms/continued.py):
        the form read last, whose grid these rows continue over a page break: they carry its project."""
        table = self._table(spec, title, first, last)
        decimals: list[int] = []
        for n, (heading, form_rows) in enumerate(_split_forms(rows, title, carried is not None)):
            self._read_form(form_rows, heading, spec, table, decimals, carried if n == 0 else None)
        table.money_unit = self.unit
        table.money_decimals = max(decimals) if decimals else None
        return table

    def _read_form(self, rows: list[CellRow], heading: str, spec: TableSpec, table: Table, decimals: list[int],
                   carried: dict | None = None) -> None:
        allowed = set(spec.measures)
        project: dict = dict(carried["project"]) if carried else {}
        last_text = None
        grid = carried["grid"] if carried else None
        header = carried["header"] if carried else ()
        indicators = []
        loose: list[CellRow] = []
        for row in rows:
            cells = [c.strip() for c in row.cells]
            keys = [header_key(c) for c in cells]
            if grid is not None and len(cells) == 1 and cells[0] and operator_of(cells[0]) is None:
                loose.append(row)   # a line outside the form's cells (the text after it)
                continue
            self._loose(loose)
            if grid_header(keys):   # the grid's header (again over a page it continues on)
                header = tuple(k for k in keys if k)
                grid = {i: n for i, n in self.header_columns([cells], spec).items() if n in INDICATOR_FIELDS}
                for i, key in enumerate(keys):   # 目标值: the indicator_header words of codelists/performance_vocabulary.csv
                    if i not in grid and INDICATOR_HEADERS.get(key) in INDICATOR_FIELDS:
                        grid[i] = INDICATOR_HEADERS[key]
                continue
            label = cells[0] and (SELF_LABELS.get(keys[0]) or match_dimension([cells[0]]))
            if grid is not None and (not label or label in INDICATOR_FIELDS):   # 绩效指标 | 成本指标 | …: the grid's group label
                values = {}
                for i, name in grid.items():
                    if i < len(cells) and cells[i]:
                        self._put(values, name, cells[i], decimals)
                lost = [c for i, c in enumerate(cells) if c and i not in grid and match_dimension([c]) not in INDICATOR_FIELDS]
                if lost:
                    self.warn(f"cells outside the indicator columns not converted: {lost[:3]}", row.line, spec.code)
                above = indicators[-1][0] if indicators else carried["last"].values if carried and carried["last"] else {}
                if set(values) == {"target_value"} and "target_value" in above:
                    above["target_value"] += values["target_value"]   # a value wrapped onto the next page's first row
                elif values:
                    indicators.append((values, row))
                continue
            if not any(cells):
                continue
            lost = self._form_cells(cells, project, allowed, decimals)
            if len(lost) == 1 and not cells[0] and last_text:
                project[last_text] += lost[0]   # the end of a value wrapped onto a line of its own
                continue
            if lost:
                self.warn(f"form cells not converted: {lost[:3]}", row.line, spec.code)
            last_text = next((k for k in reversed(list(project)) if isinstance(project[k], str)), None) if not lost else last_text
        self._loose(loose)
        if "project_name" not in project and "project_code" not in project:
            for name, value in _title_names(heading).items():
                if name in spec.dimensions or name == "project_name":
                    project.setdefault(name, value)
        levels: dict = dict(carried["levels"]) if carried else {}
        if not indicators and project and not carried:
            indicators = [({}, next(r for r in rows if r.filled))]
        for values, row in indicators:
            levels = carry_levels(values, levels)
            values.update({k: v for k, v in project.items() if k not in values})
            values["item"] = values.get("indicator_level3") or values.get("indicator_level2") or values.get("project_name") or ""
            self._append(table, values, row)
        if grid is None:
            self.carried.pop("form", None)
        else:
            last_row = table.rows[-1] if indicators else carried["last"] if carried else None
            self.carried["form"] = form_state(project, grid, header, levels, last_row, last_row.source_page if last_row else None)

    def _form_cells(self, cells: list[str], project: dict, allowed: set, decimals: list[int]) -> list[str]:
        """Read one form row into `project`: label | value pairs and label | amount funding rows.
        Returns the cells not placed; a label with nothing after it (备注) places nothing."""
        filled = [(i, c) for i, c in enumerate(cells) if c]
        amounts = [(i, c) for i, c in filled if is_amount(squash(c))]
        if amounts:
            lost = []
            for i, cell in amounts:
                label = next((c for j, c in reversed(filled) if j < i and not is_amount(squash(c))), "")
                unit = UNIT_WORD.search(cells[0]) if cells[0] else None
                if unit:
                    self.unit = unit.group(1) or unit.group(2)
                name = match_measure([label], allowed)
                amount = self._amount(cell, decimals) if name else None
                if amount is None:
                    lost.append(cell)
                else:
                    project[name] = amount
            return lost
        lost = []
        k = 0
        while k < len(filled):
            i, label = filled[k]
            name = SELF_LABELS.get(header_key(label)) or match_dimension([label])
            value = filled[k + 1][1] if k + 1 < len(filled) else None
            if name in self.spec.dimensions or name == "project_name":
                if value is not None and not (SELF_LABELS.get(header_key(value)) or match_dimension([value])):
                    self._put(project, name, value, decimals)
                    k += 2
                    continue
                k += 1
                continue
            lost.append(label)
            k += 1
        return lost

    def _row_values(self, row: CellRow, columns: dict[int, str], op_index: int | None, width: int, decimals: list[int]) -> dict | None:
        """A data row's values: by the header's columns when its operator stands in the operator
        column or its cells stand where the header puts them (`_in_place`: an empty or unknown
        operator is then kept as printed, or absent), else placed by what its cells are (`_realign`)."""
        aligned = op_index is None or (op_index < len(row.cells) and operator_of(row.cells[op_index]) is not None) or self._in_place(row, columns)
        if not aligned:
            return self._realign(row, decimals)
        values: dict = {}
        for i, name in columns.items():
            cell = row.cells[i].strip() if i < len(row.cells) else ""
            if cell:
                self._put(values, name, cell, decimals)
        extra = [c for i, c in enumerate(row.cells) if c.strip() and i not in columns]
        if extra:
            self.warn(f"cells outside the header's columns not converted: {extra[:3]}", row.line, self.spec.code)
        return values

    @staticmethod
    def _total_label(values: dict) -> str | None:
        """The total word (合计, 总计: codelists/row_types.csv) of a row that prints only a label and
        amounts, else None."""
        texts = [v for k, v in values.items() if isinstance(v, str) and not k.startswith("_")]
        if len(texts) == 1 and row_type_for(texts[0]) in ("total", "subtotal") and not set(values) & set(INDICATOR_FIELDS):
            return texts[0]
        return None

    def _in_place(self, row: CellRow, columns: dict[int, str]) -> bool:
        """True when the row's filled cells all lie in the header's columns and its 一级 / 二级
        cells, where filled, hold 一级 / 二级 words, with no operator outside the operator column
        (a row shifted left has one)."""
        for i, cell in enumerate(row.cells):
            name = columns.get(i)
            if not cell.strip():
                continue
            if name is None or (name != "operator" and operator_of(cell)) or (name == "indicator_level1" and not is_level1(cell)) or (name == "indicator_level2" and not is_level2(cell)):
                return False
        return any(c.strip() for c in row.cells)

    def _loose(self, loose: list[CellRow]) -> None:
        """One warning for a run of lines that stand outside the table's cells (text of a merged
        cell wrapped or clipped at a page edge); the run is emptied."""
        if loose:
            text = "".join(r.cells[0].strip() for r in loose)
            lines = f"lines {loose[0].line}–{loose[-1].line}" if len(loose) > 1 else f"line {loose[0].line}"
            self.warn(f"{len(loose)} line(s) of text outside the table's cells not converted ({lines}): {text[:60]!r}", loose[0].line, self.spec.code)
            loose.clear()

    def _is_header(self, row: CellRow) -> bool:
        filled = row.filled
        if filled and all(is_column_number(c) for c in filled):
            return True   # column numbers (** / 1 2 3) under the header
        known = sum(1 for c in filled if match_dimension([c]) or match_measure([c]) or header_key(c) in ("其中", "其中:"))
        amounts = any(is_amount(squash(c)) and not is_column_number(c) for c in filled)   # 合计 | 270.00: a row
        return bool(filled) and known * 2 >= len(filled) and not any(operator_of(c) for c in filled) and not amounts

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
        values: dict = {}
        if k is None:
            # no operator printed: after the 一级 / 二级 words come 三级指标 and its value
            start = 0
            while start < len(cells) and (is_level1(cells[start]) or is_level2(cells[start])):
                start += 1
            if start == 0 or len(cells) - start < 2:
                self.warn(f"row not converted: no indicator operator nor indicator levels found to place its cells {cells[:4]}", row.line)
                return None
            k = start + 1
            cells = cells[:k] + [""] + cells[k:]
        if k == 0:
            self.warn(f"row not converted: no indicator found before the operator to place its cells {cells[:4]}", row.line)
            return None
        if cells[k]:
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



def _is_funding_row(row: CellRow) -> bool:
    """True when the row is a form's funding row: a group label carrying its unit (专项资金情况（万元）)
    and an amount after a label naming a measure (资金总额： | 80.00)."""
    cells = [c.strip() for c in row.cells]
    if not cells or not cells[0] or not UNIT_WORD.search(cells[0]) or is_amount(squash(cells[0])):
        return False
    return any(is_amount(squash(c)) and not is_amount(squash(cells[i - 1])) and match_measure([cells[i - 1]])
               for i, c in enumerate(cells) if i > 0)


def _is_label_value_row(row: CellRow) -> bool:
    """True when the row starts with a form's label naming a field that is not an indicator's
    (主管部门, 实施单位: self_evaluation_label words, field aliases) and the cell after it is its value,
    not a header word (主管部门 | 某局, not 主管部门 | 实施单位 | 项目金额 as a grid header)."""
    cells = [c.strip() for c in row.cells]
    if not cells or not cells[0] or len(row.filled) < 2:
        return False
    name = SELF_LABELS.get(header_key(cells[0])) or match_dimension([cells[0]])
    if not name or name in INDICATOR_FIELDS:
        return False
    value = row.filled[1]
    return not is_header_word(value) and not is_amount(squash(value))


def _split_forms(rows: list[CellRow], title: str, grid: bool = False) -> list[tuple[str, list[CellRow]]]:
    """The forms printed one after another in one segment: (heading, rows) each. A form starts
    at a 项目名称 or funding row printed after the indicator grid of the form above; the
    one-cell lines between that grid and it are its heading (`title` heads the first form).
    Page-number lines after a grid are dropped. `grid`: the rows start inside a form's grid."""
    forms: list[tuple[str, list[CellRow]]] = [(title, [])]
    pending: list[CellRow] = []
    for row in rows:
        keys = [header_key(c) for c in row.cells]
        if grid and len(row.cells) == 1:
            if not PAGE_NUMBER.match(squash(row.cells[0])):
                pending.append(row)
            continue
        if grid and (_is_funding_row(row) or (row.cells[0].strip() and SELF_LABELS.get(keys[0]) == "project_name")):
            forms.append(("".join(r.cells[0].strip() for r in pending), []))
            pending, grid = [], False
        forms[-1][1].extend(pending)
        pending = []
        grid = grid or grid_header(keys)
        forms[-1][1].append(row)
    forms[-1][1].extend(pending)
    return [form for form in forms if form[1]]


def _title_names(heading: str) -> dict[str, str]:
    """A form's heading -> {project_name, and unit_code / unit_name when a unit code and name lead
    it (301007_某分局_某项目)}: the heading less its form_title_end ending (绩效目标表), the longest
    that ends it; {} when no such ending ends it or the heading is only a catalog title (项目支出绩效目标表)."""
    text = re.sub(r"\s+", "", heading)
    match = match_title(heading)
    if match is not None and title_key(heading)[0] == match.alias:
        return {}   # 1.项目支出绩效目标表: the catalog's name of the whole table, no project's
    end = next((w for w in sorted(TITLE_ENDS, key=len, reverse=True) if text.endswith(w)), None)
    if end is None or len(text) <= len(end):
        return {}
    text = text[:-len(end)]
    match = UNIT_PREFIX.match(text)
    if match:
        return {"unit_code": match.group(1), "unit_name": match.group(2), "project_name": match.group(3)}
    return {"project_name": text}
