"""Building a catalog table from a segment's cell rows: header -> columns -> rows."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from ..model import Row, Table
from ..money import is_amount, parse_amount, printed_decimals
from ..standard import TableSpec, load_standard
from .codes import inherit_parts, join_code_parts, split_code
from .columns import (CODE_FIELDS, Column, best_shift, budget_beside_actual, classify, header_overflow, header_paths,
                      label_continuations, list_side, realign, split_header, width_of)
from .errors import Warnings, not_converted
from .layout import CellRow
from .panels import PANEL_KEY, find_panels, name_panel_measures, panel_row_type, panel_totals, two_sided_as_printed
from .header_repair import split_run_together
from .periods import find_period_groups, period_of, period_rows
from .recognise import clean_label, relative_year, row_type_for
from .table_meta import table_meta
from .table_rows import finish_rows, unit_heads
from .main_amount import printed_spec, year_as_total

UNIT_CODE_NAME = re.compile(r"^\s*(\d{2,})\s*[-—－]\s*(\S.*)$")
TEXT_FIELDS_INHERITED = ("project_code", "project_name", "project_category", "department", "unit_name", "unit_code",
                         "responsible_person", "contact_phone", "goal", "indicator_level1", "indicator_level2")
LABEL_FIELDS = ("item", "project_name")   # dimensions that hold a two-sided table's row labels
GROUP_NAME_FIELDS = ("project_name", "economic_name", "gov_economic_name")   # printed left of the item column: a group
NAME_FIELDS = ("project_name", "unit_name", "economic_name", "gov_economic_name", "procurement_method", "project_category")   # a row printing no label is named by these, in order
EMPTY_MARKS = {"-", "—", "--", "——", "/", "无"}
YEAR_IN_HEADER = re.compile(r"((?:19|20)\d{2})\s*年")




class TableBuilder:
    """Turns the rows of one segment into a Table of the model."""

    def __init__(self, spec: TableSpec, warnings: Warnings, default_unit: str, carried: dict | None = None):
        """`carried`: what one part of a table printed page by page leaves to the next (the unit
        of the period rows at the foot of a page; under "code_rows" the 类 / 款 / 项 cells of the
        last coded row, so that a part starting with a 项 row printing only its own digits takes
        类 and 款 from the part before); give every part of one table the same dict."""
        self.spec = printed_spec(spec)
        self.warnings = warnings
        self.default_unit = default_unit
        self.standard = load_standard()
        self.carried = carried if carried is not None else {}
        self.code_rows: dict[str, list[str]] = self.carried.setdefault("code_rows", {})   # code field -> 类 / 款 / 项 cells

    def build(self, rows: list[CellRow], title: str, first_line: int, last_line: int) -> Table:
        """The CellRows of one segment -> one Table of the builder's spec (`title` as printed,
        `first_line`/`last_line` its source lines): unit, decimals and notes rows taken out, the
        header rows classified into columns (codelists/measures.csv and fields.csv aliases;
        two-sided tables split into income and expenditure), each data row parsed (a header
        repeated after a page break skipped), amounts as Decimal 元 from the printed unit (else
        the builder's default unit), row ids and totals set (`finish_rows`). Cells that cannot be
        converted are warnings, grouped by column."""
        rows, meta = table_meta(rows)
        table = Table(self.spec.code, printed_title=title, first_line=first_line, last_line=last_line)
        table.money_unit = meta["unit"] or self.default_unit
        table.note = "\n".join(meta["notes"]) or None
        header, data = split_header(rows)
        width = max(width_of(header), width_of(data))
        fixed = split_run_together(realign([r.cells for r in header], width), self.spec)
        data = header_overflow(fixed, data)
        self.spec = two_sided_as_printed(self.spec, header_paths(fixed, width))   # income beside expenditure
        columns = year_as_total(classify(header_paths(fixed, width), self.spec), self.spec)
        label_continuations(columns, data)
        self.columns = columns
        self.panels = find_panels(columns, self.spec)
        self.panel_measures = name_panel_measures(self.panels, self.spec) if self.panels else []
        self.panel_of: dict[int, int] = {}
        self.period_groups = None if self.panels else find_period_groups(columns, self.spec)   # 上年 | 当年 | 增减 side by side
        self.extra_labels = [c.index for c in self.expenditure_labels()[1:]] if self.spec.two_sided else []
        self.extra_amounts: dict[int, list[int]] = {}
        # k -> side code (codelists/sides.csv) of the k-th further expenditure list, when its heading names one
        self.extra_sides = {k: list_side(next(c.path for c in columns if c.index == index)) for k, index in enumerate(self.extra_labels, 1)}
        self._one_column_per_measure(columns, first_line)
        self.two_sided = None
        layout = self.two_sided_layout() if self.spec.two_sided else None
        if layout and self.extra_labels:
            self.two_sided = (layout[0], layout[1], layout[0])   # a grid of label / amount pairs: no shifted rows
        elif layout:
            anchor, placed = layout
            positions = Counter(next((i for i in reversed(range(len(r.cells))) if r.cells[i].strip() and not is_amount(r.cells[i].strip()) and i >= anchor), None) for r in data)
            positions.pop(None, None)
            self.two_sided = (anchor, placed, positions.most_common(1)[0][0] if positions else anchor)
        else:
            shift = best_shift(columns, data)
            for column in columns:
                column.index += shift
        self.header_rows = [tuple(c.strip() for c in r.cells) for r in header]
        self._report_columns(columns, data, first_line)
        for column in columns:
            if column.kind == "measure":
                table.add_column(column.name)
            elif column.kind == "dimension" and column.name in self.spec.dimensions:
                table.add_column(column.name)
            elif column.kind == "code_part":
                table.add_column(column.name)
        table.add_column("item")
        if self.period_groups:
            table.add_column("period")
        if self.spec.two_sided:
            table.add_column("side")
        decimals = []
        self.unconverted: dict[str, list[tuple[int, int | None, str]]] = {}   # what -> (line, page, cell)
        for row in data:
            if tuple(c.strip() for c in row.cells) in self.header_rows:
                continue  # a header repeated after a page break
            for parsed in self.parse_row(row, table.money_unit, decimals):
                table.rows.append(parsed)
        if self.panels:
            table.derived[PANEL_KEY] = self.panel_of
            panel_totals(table, self.panel_measures, self.spec)   # one amount per panel row: its total too
        for name in self.spec.dimensions:   # codes and names read out of label cells (2010101 行政运行, 30101-基本工资)
            if any(name in r.values for r in table.rows):
                table.add_column(name)
        self._report_extra_blocks(first_line)
        for what, cells in self.unconverted.items():
            self.warnings.add_once(f"not converted: {what}", not_converted(what, cells, title), cells[0][0], self.spec.code, cells[0][1])
        table.money_decimals = meta["decimals"] if meta["decimals"] is not None else (max(decimals) if decimals else None)
        unit_heads(table.rows, meta["unit_name"])
        finish_rows(table)
        return table

    def _one_column_per_measure(self, columns: list[Column], line: int) -> None:
        """Two columns read as the same measure (on the same side) would overwrite each
        other: the later one is reported and not converted."""
        seen: dict[tuple, Column] = {}
        for column in columns:
            if column.kind != "measure":
                continue
            panel = next((k for k, p in enumerate(self.panels or []) if column in p), 0)
            key = (column.side, self.block_of(column), panel, period_of(self.period_groups, column), column.name)
            if key in seen:
                kept, dropped = seen[key], column
                planned = budget_beside_actual(kept, dropped, self.spec)
                if planned is not None and (column.side, self.block_of(column), planned[1]) not in seen:
                    # 预算数 beside 决算数: the 预算 one is the measure's budget counterpart
                    planned[0].name = planned[1]
                    seen[key] = kept if planned[0] is dropped else dropped
                    seen[(column.side, self.block_of(column), planned[1])] = planned[0]
                    continue
                if column.name == "total" and self._year_beside_carryover(columns, dropped):
                    # 本年预算 | 编制预算 | 上年结转: the second total column is the year's own money
                    dropped.name = "current_year_subtotal"
                    seen[(column.side, self.block_of(column), panel, dropped.name)] = dropped
                    continue
                if header_year(dropped.path) > header_year(kept.path) > 0:
                    kept, dropped = dropped, kept   # 2025年预算数 beside 2026年预算数: the later year is the table's
                    seen[key] = kept
                message = (f"columns '{'/'.join(kept.path)}' and '{'/'.join(dropped.path)}' both read as measure "
                           f"{column.name}; '{'/'.join(dropped.path)}' is not converted")
                self.warnings.add_once(message, message, line, self.spec.code)
                dropped.kind = "unknown"
                dropped.name = None
                dropped.path = []
            else:
                seen[key] = column

    def _year_beside_carryover(self, columns: list[Column], column: Column) -> bool:
        """Whether a second column read as the total (编制预算 beside 本年预算) stands for the year's
        own money: the table carries current_year_subtotal, prints a carry-over column
        (上年结转) on the same side and block, and no column already reads the year's money."""
        near = [c for c in columns if c.kind == "measure" and c.side == column.side and self.block_of(c) == self.block_of(column)]
        return ("current_year_subtotal" in self.spec.measures and any(c.name == "carryover" for c in near)
                and not any(c.name == "current_year_subtotal" for c in near))

    def _report_columns(self, columns: list[Column], data: list[CellRow], line: int) -> None:
        for column in columns:
            if column.kind in ("unknown",) and column.path:
                used = any(column.index < len(r.cells) and r.cells[column.index].strip() for r in data)
                what = "/".join(column.path)
                if column.name:
                    message = f"column '{what}' means measure {column.name}, which table {self.spec.code} does not carry in the standard; its cells are not converted"
                    self.warnings.add_once(message, message + ("" if used else " (the column is empty)"), line, self.spec.code)
                elif used:
                    message = f"column '{what}' not recognised; its cells are not converted (its text labels the rows when no label column is recognised)"
                    self.warnings.add_once(message, message, line, self.spec.code)

    # -- rows ------------------------------------------------------------------

    def expenditure_labels(self) -> list[Column]:
        """The label columns of the expenditure side, left to right: one, or one per classification
        where the side is printed as several label / amount column pairs (功能分类 beside 支出用途 or
        经济分类, each with its own 预算数 / 金额)."""
        return [c for c in self.columns if c.side == "expenditure" and c.kind == "dimension" and c.name in LABEL_FIELDS]

    def block_of(self, column: Column) -> int:
        """0 for the income side and the first expenditure list, k for the amounts of the k-th further
        expenditure label column (`extra_labels`)."""
        if column.side != "expenditure":
            return 0
        return sum(1 for index in self.extra_labels if index <= column.index)

    def _report_extra_blocks(self, line: int) -> None:
        for k, index in enumerate(self.extra_labels, 1):
            if self.extra_sides.get(k):
                continue
            lines = self.extra_amounts.get(k, [])
            what = "/".join(next(c.path for c in self.columns if c.index == index))
            self.warnings.add(f"expenditure side printed a {k + 1}. time, by '{what}': {len(lines)} amount(s) not converted "
                              f"(lines {', '.join(map(str, lines[:8]))}{' …' if len(lines) > 8 else ''}); table {self.spec.code} of "
                              "the standard carries one expenditure list, the first printed", lines[0] if lines else line, self.spec.code)

    def two_sided_layout(self) -> tuple[int, list[Column]] | None:
        """The expenditure label column and the columns placed relative to it, when the
        header shows both sides."""
        labels = self.expenditure_labels()
        if not labels or not any(c.side == "income" for c in self.columns):
            return None
        return labels[0].index, [c for c in self.columns if c.side and c.kind in ("measure", "dimension") and c.name not in LABEL_FIELDS]

    def parse_two_sided(self, row: CellRow, unit: str, decimals: list[int], anchor: int, placed: list[Column], default_at: int) -> list[Row]:
        """Two-sided rows are aligned on the expenditure label: the cells printed before it
        are the income side, the cells after it the expenditure side. Exports drop or add
        empty cells before that label, so each row is placed on its own label."""
        cells = [c.strip() for c in row.cells]
        texts = [i for i, c in enumerate(cells) if c and not is_amount(c)]
        at = next((i for i in reversed(texts) if i >= anchor), None)
        if self.extra_labels:
            at = anchor if anchor in texts else None
        position = at if at is not None else default_at
        self._extra_blocks(cells, row.line, placed)
        result = []
        for side in ("income", "expenditure"):
            values: dict = {}
            for column in placed:
                if column.side != side or self.block_of(column):
                    continue
                i = position + (column.index - anchor)
                cell = cells[i] if 0 <= i < len(cells) else ""
                if not cell:
                    continue
                if column.kind == "measure" and is_amount(cell):
                    values[column.name] = parse_amount(cell, unit)
                    decimals.append(printed_decimals(cell))
                elif column.name == "line_number" and cell.isdigit():
                    values["line_number"] = int(cell)
                elif column.kind == "measure" and cell not in EMPTY_MARKS:
                    self.unconverted.setdefault(f"text {cell[:40]!r} in amount column {column.name}", []).append(
                        (row.line, row.page, cell))
            if side == "income":
                first_income = min((position + c.index - anchor for c in placed if c.side == "income"), default=position)
                labels = [cells[i] for i in texts if i < min(first_income, position)]
            else:
                labels = [cells[at]] if at is not None else []
            label = " / ".join(clean_label(l) for l in labels if clean_label(l))
            if side == "expenditure" and label and not values and self.extra_labels:
                values = self._spanning_amounts(cells, placed, unit, decimals)
            if not label:
                if values and any(isinstance(v, Decimal) for v in values.values()):
                    self.warnings.add(f"{side} amounts printed without a label", row.line, self.spec.code)
                continue
            values["item"], values["side"] = label, side
            result.append(Row(row_id="", row_type=row_type_for(label), values=values, source_line=row.line, source_page=row.page))
        return result + self._extra_rows(row, cells, placed, unit, decimals)

    def _extra_rows(self, row: CellRow, cells: list[str], placed: list[Column], unit: str, decimals: list[int]) -> list[Row]:
        """The rows of the further expenditure lists whose heading names their side (codelists/sides.csv): the label
        printed in the list's label column, the amounts under its own amount columns."""
        rows = []
        for k, index in enumerate(self.extra_labels, 1):
            label = clean_label(cells[index]) if index < len(cells) and self.extra_sides.get(k) else ""
            if not label or is_amount(label):
                continue
            values: dict = {}
            for column in placed:
                cell = cells[column.index] if self.block_of(column) == k and column.kind == "measure" and column.index < len(cells) else ""
                if is_amount(cell):
                    values[column.name] = parse_amount(cell, unit)
                    decimals.append(printed_decimals(cell))
            values["item"], values["side"] = label, self.extra_sides[k]
            rows.append(Row(row_id="", row_type=row_type_for(label), values=values, source_line=row.line, source_page=row.page))
        return rows

    def _extra_blocks(self, cells: list[str], line: int, placed: list[Column]) -> None:
        """Count the amounts of the further expenditure lists printed with their own labels."""
        for k, index in enumerate(self.extra_labels, 1):
            label = cells[index] if index < len(cells) else ""
            amounts = [c for c in placed if self.block_of(c) == k and c.kind == "measure" and c.index < len(cells) and is_amount(cells[c.index])]
            if label and not is_amount(label) and amounts and not self.extra_sides.get(k):
                self.extra_amounts.setdefault(k, []).append(line)

    def _spanning_amounts(self, cells: list[str], placed: list[Column], unit: str, decimals: list[int]) -> dict:
        """A total row printed across the expenditure lists (支出合计 under the first label, its amount
        under the last list's amount column): the amounts of the first further list that prints
        amounts without a label of its own."""
        for k, index in enumerate(self.extra_labels, 1):
            if index < len(cells) and cells[index]:
                continue
            values = {}
            for column in placed:
                if self.block_of(column) == k and column.kind == "measure" and column.index < len(cells) and is_amount(cells[column.index]):
                    values[column.name] = parse_amount(cells[column.index], unit)
                    decimals.append(printed_decimals(cells[column.index]))
            if values:
                return values
        return {}

    def parse_row(self, row: CellRow, unit: str, decimals: list[int]) -> list[Row]:
        """One data row -> list[Row]: one row, none (nothing to keep), or in a two-sided table one
        per side printed. Amounts in `unit` become Decimal 元; each one's printed decimals are
        appended to `decimals`."""
        if self.spec.two_sided and self.two_sided:
            return self.parse_two_sided(row, unit, decimals, *self.two_sided)
        if self.spec.two_sided:
            sides = [s for s in ("income", "expenditure") if any(c.side == s for c in self.columns)]
            if not sides:
                return [r for r in [self.parse_part(row, self.columns, unit, decimals, None)] if r]
            return [r for side in sides for r in [self.parse_part(row, [c for c in self.columns if c.side == side], unit, decimals, side)] if r]
        if self.period_groups:
            return period_rows(self, row, unit, decimals)
        if self.panels:   # side-by-side panels: one row per panel printed on the line (panels.py)
            parsed = [(k, self.parse_part(row, panel, unit, decimals, None)) for k, panel in enumerate(self.panels)]
            for k, r in parsed:
                if r:
                    self.panel_of[id(r)] = k
                    r.row_type = panel_row_type(r.values["item"], self.panels[k], r.row_type)
            return [r for _, r in parsed if r]
        parsed = self.parse_part(row, self.columns, unit, decimals, None)
        return [parsed] if parsed else []

    def parse_part(self, row: CellRow, columns: list[Column], unit: str, decimals: list[int], side: str | None) -> Row | None:
        """The cells of `row` under `columns` (one side of a two-sided table, or every column) -> one Row, or None when
        they hold nothing. Measures become Decimal 元 from `unit` (printed decimals appended to `decimals`; a dash or blank
        mark is no amount), 类/款/项 cells one code, dimension cells go through `put_dimension`; the label is what the label
        cells print (with no label column, the text of columns not recognised, else 合计), the row type read from it.
        Unconvertible cells are collected for one warning per column; amounts without any label are a warning."""
        values: dict = {}
        labels: list[str] = []
        code_parts: dict[str, dict[int, str]] = {}   # code field -> 类 / 款 / 项 cells
        unconverted = []
        for column in columns:
            cell = row.cells[column.index].strip() if column.index < len(row.cells) else ""
            if not cell:
                continue
            if column.kind == "measure":
                if is_amount(cell):
                    values[column.name] = parse_amount(cell, unit)
                    decimals.append(printed_decimals(cell))
                elif cell not in EMPTY_MARKS:
                    unconverted.append(f"{column.name}={cell!r}")
            elif column.kind == "code_part":
                code_parts.setdefault(column.name, {})[column.part] = cell
            elif column.kind == "dimension":
                self.put_dimension(values, labels, column.name, cell)
            elif column.kind == "ignore":
                continue
            else:
                unconverted.append((f"column {column.index + 1} '{'/'.join(column.path)}'" if column.path else f"column {column.index + 1} (no header)", cell))
        for code_field, parts in code_parts.items():
            code = join_code_parts(inherit_parts(self.code_rows, code_field, [parts.get(i, "") for i in range(3)]))
            if code:
                values[code_field] = code
            else:
                labels.insert(0, " ".join(parts[i] for i in sorted(parts)))
        for name in ("unit_name", "unit_code"):
            if values.get(name) and row_type_for(values[name]) != "item":
                labels.insert(0, values.pop(name))  # 合计 printed in the unit-name (or -code) column is the row's label
        self.carry_unit(values, labels)
        if not labels and values.get("project_name"):
            labels.append(values["project_name"])
        if not labels and not any(c.kind == "dimension" and c.name == "item" for c in columns):
            # names printed only with economic codes (30101-基本工资): the department code's name is the label
            name = next((n for n in ("economic_name", "gov_economic_name") if values.get(n)), None)
            if name:
                labels.append(values.pop(name))
        if not labels and not any(values.get(k) for k in CODE_FIELDS) and not any(isinstance(v, Decimal) for v in values.values()) and not values:
            return None
        texts = [u[1] for u in unconverted if isinstance(u, tuple) and not is_amount(u[1])]   # no label column recognised: text of columns
        if not labels and texts and not any(c.kind in ("dimension", "code_part") for c in columns):   # not recognised
            labels, unconverted = texts, [u for u in unconverted if not (isinstance(u, tuple) and u[1] in texts)]   # labels the rows (A-货物), not 合计
        for what in unconverted:
            self.unconverted.setdefault(what[0] if isinstance(what, tuple) else what, []).append(
                (row.line, row.page, what[1] if isinstance(what, tuple) else what.split("=", 1)[-1]))
        label = " / ".join(clean_label(l) for l in labels if clean_label(l))
        if not label:
            if not any(values.get(k) for k in (*CODE_FIELDS, "unit_code", *NAME_FIELDS)):
                if any(isinstance(v, Decimal) for v in values.values()) and not any(c.kind in ("dimension", "code_part") for c in columns):
                    # a table with no label column (the 三公 table: one row of amounts) is its total
                    label = "合计"
                else:
                    if any(isinstance(v, Decimal) for v in values.values()):
                        self.warnings.add("amounts printed without a label", row.line, self.spec.code)
                    return None
            label = label or next((values[k] for k in NAME_FIELDS if values.get(k)), "")
        values["item"] = label
        if side:
            values["side"] = side
        row_type = row_type_for(label)
        if row_type == "item" and self.outer_label_only(row, columns):
            row_type = "subtotal"   # 货物 / a unit printed in the outer of two label columns: a group over the rows below
        if row_type == "item" and " / " in label and row_type_for(label.rsplit(" / ", 1)[1]) != "item":
            row_type = "subtotal"   # 一般公共预算资金 | 小计 (label 一般公共预算资金 / 小计): the group's subtotal
        return Row(row_id="", row_type=row_type, values=values, source_line=row.line, source_page=row.page)

    @staticmethod
    def outer_label_only(row: CellRow, columns: list[Column]) -> bool:
        """True when the table has two or more label columns (item, a project or economic name left of the innermost
        item column: 采购品目大类 | 专项名称 | 经济科目 | 采购物品名称; a project category left of them; the project name
        right of an item column under the same heading: 类型 | 项目名称 (一级项目 | 二级项目)) and the row prints its label only in an outer one,
        left of the innermost: the row heads a group of the rows below (a subtotal)."""
        items, heads = [c.index for c in columns if c.kind == "dimension" and c.name == "item"], [c.path[:-1] for c in columns if c.name == "item"]
        inner = max(items + [c.index for c in columns if c.kind == "dimension" and c.name == "project_name" and c.path[:-1] in heads and c.path[:-1]], default=-1)
        labels = items + [c.index for c in columns if c.kind == "dimension" and c.name in (*GROUP_NAME_FIELDS, "project_category") and -1 < c.index <= inner]
        if len(labels) < 2:
            return False
        filled = [i for i in labels if i < len(row.cells) and row.cells[i].strip()]
        return bool(filled) and max(filled) < inner

    def carry_unit(self, values: dict, labels: list[str]) -> None:
        """A unit printed once over its rows by period (2025 年 / 2026 年 / 增减变化金额): a row
        printing a period but no unit and no label belongs to the unit of the period row above it.
        Updates `values` in place and remembers the unit of a period row that prints one, also for
        the next part of the table (`carried`: rows continued on the next page)."""
        if not values.get("period"):
            self.carried.pop("period_unit", None)
        elif values.get("unit_name") or values.get("unit_code"):
            self.carried["period_unit"] = {k: values[k] for k in ("unit_code", "unit_name") if values.get(k)}
        elif not labels:
            values.update(self.carried.get("period_unit", {}))

    def put_dimension(self, values: dict, labels: list[str], name: str, cell: str) -> None:
        """Put one dimension cell into the row: a code field's cell is split into code and name (the
        name of an economic code goes to its *_name field, other names to the label), a unit cell
        into unit_code and unit_name, an item cell that starts with a function code gives that code
        when the table has the field, line_number is kept when it is digits, other dimensions of
        the table are kept as cleaned labels; the rest joins `labels`. Updates `values` and
        `labels` in place."""
        if name in CODE_FIELDS:
            code, rest = split_code(cell)
            if code:
                values[name] = code
                if rest:
                    if name == "function_code" or (name not in ("economic_code", "gov_economic_code")):
                        labels.append(rest)
                    else:   # without another label column, parse_part makes the department code's name the label
                        values[name.replace("_code", "_name")] = rest
            else:
                labels.append(cell)
        elif name in ("unit_code", "unit_name"):
            match = UNIT_CODE_NAME.match(cell) if name == "unit_name" else None
            code, rest = (match.group(1), match.group(2).strip()) if match else (None, cell)
            if code and name == "unit_name":
                values["unit_code"], values["unit_name"] = code, rest
            else:
                values[name] = clean_label(cell)
            if name == "unit_name" and "unit_name" not in self.spec.dimensions:
                labels.append(values.pop("unit_name"))
        elif name == "item":
            code, rest = split_code(cell)
            if code and "function_code" in self.spec.dimensions and "function_code" not in values:
                values["function_code"] = code
                labels.append(rest)
            else:
                labels.append(cell)
        elif name == "line_number":
            if cell.isdigit():
                values[name] = int(cell)
        elif name in self.spec.dimensions:
            values[name] = clean_label(cell)
        else:
            labels.append(cell)


def header_year(path: list[str]) -> int:
    """The year a column's header prints (2026 for 2026年预算数), else 2 under 当年 and 1 under 上年
    (`recognise.relative_year`), 0 when none."""
    years = [int(m) for part in path for m in YEAR_IN_HEADER.findall(part)]
    return max(years, default=0) or max((relative_year(part) for part in path), default=0)
