"""Input workbooks generated from the standard: `opendata template` (an empty workbook an
agency fills) and `opendata export-xlsx` (a package's tables written in the same layout).

Layout (what convert/xlsx.py reads back):

- 说明: how to fill the workbook (skipped by the converter: its A1 carries the
  opendata: marker);
- 填报信息: the disclosure's metadata as key/value rows (单位名称, 单位代码, 上级单位名称,
  上级单位代码, 年度, 阶段, 行政区划代码, 金额单位);
- one sheet per catalog money table: title row, 单位 row, header rows whose texts are
  the standard's own column headers (each checked to map back to its field or measure),
  code columns stored as text with a list of the year's codes, then one row per table row;
  two-sided tables print the 收入 side on the left and the 支出 side on the right;
- 文字说明: the narrative, one paragraph per row;
- 代码表 (hidden): the code lists the validations point at.

`export-xlsx` adds what a package holds beyond that layout, so that converting the workbook
gives the package back (`opendata.convert.package_sheet` reads it):

- one record sheet per performance table: title row, the columns' Chinese titles, their field
  names (row 3), then one table row per sheet row, exactly as the package's CSV holds it;
- 数据包 (hidden): each table's layout, sheet, printed title, source lines, pages and declared
  columns, and each row's source_line / source_page in the original document, in the
  package's row order. `template` writes neither: it stays a workbook to fill by hand.

Text from a package (names, items, notes, narrative, metadata) is written by `text_cell`:
always a string cell (data type 's', never a formula), and a text that Excel would take
for a formula (= + - @ …) prefixed with an apostrophe (`opendata.formulas`); the
converter removes that apostrophe again, so the workbook converts back to the same text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .convert.scope import SHEET_WORDS
from .convert.tables import GROUP_NAME_FIELDS
from .formulas import escape_formula
from .model import Disclosure, Table
from .money import UNIT_FACTORS
from .standard import load_standard

CODES_SHEET = "代码表"
META_SHEET = "填报信息"
NARRATIVE_SHEET = "文字说明"
INSTRUCTIONS_SHEET = "说明"
CODE_LISTS = (("function_code", "function_classification"), ("economic_code", "economic_classification_department"),
              ("gov_economic_code", "economic_classification_government"))
SKIPPED_FIELDS = {"side", "gov_economic_name", "economic_name"}   # side is the layout; names go with their codes
NAME_OF_CODE = {"gov_economic_name": "gov_economic_code", "economic_name": "economic_code"}   # … when the table has the code
TEXT_FIELDS = {"function_code", "economic_code", "gov_economic_code", "unit_code", "project_code"}


class WorkbookError(Exception):
    """A table that the workbook layout cannot hold."""


@dataclass
class Col:
    """One column of an input-workbook sheet: its header path (the header cells from top to
    bottom), whether it is a dimension (codes, labels) or a measure (an amount), the field or
    measure name, and for two-sided tables the side (income / expenditure)."""
    path: list[str]
    kind: str          # dimension | measure
    name: str
    side: str | None = None


def header_for(spec, kind: str, name: str, prefix: list[str]) -> list[str]:
    """The first of the standard's headers for a column that the converter maps back to it."""
    from .convert.columns import classify

    standard = load_standard()
    if kind == "measure":
        aliases = sorted(standard.measures[name].aliases, key=lambda a: a.count("/"))
    else:
        aliases = [standard.fields[name].title_zh, *standard.fields[name].header_aliases]
    for alias in aliases:
        if "*" in alias:
            continue
        path = [*prefix, *alias.split("/")]
        label = [*prefix, standard.fields["item"].header_aliases[0]]   # beside a label column, as on the sheet (a name column alone is the label)
        column = classify([path, label], spec)[0]
        side = column.side if spec.two_sided else None
        if column.kind == kind and column.name == name and (not prefix or side == {"收入": "income", "支出": "expenditure"}[prefix[0]]):
            return path
    raise WorkbookError(f"no column header of the standard maps back to {kind} {name} in table {spec.code}")


def layout(table_id: str, stage: str | None, columns: list[str] | None = None, side_measures: dict | None = None) -> list[Col]:
    """The columns of a table's sheet: the table's own columns (export) or every column
    the standard allows for the stage (template)."""
    standard = load_standard()
    spec = standard.tables[table_id]
    measures = [m for m in spec.measures if (columns is None and (stage is None or stage in standard.measures[m].stages)) or (columns is not None and m in columns)]
    if spec.two_sided:
        cols = []
        for side, word in (("income", "收入"), ("expenditure", "支出")):
            cols.append(Col(header_for(spec, "dimension", "item", [word]), "dimension", "item", side))
            if "line_number" in spec.dimensions and (columns is None or "line_number" in columns):
                cols.append(Col(header_for(spec, "dimension", "line_number", [word]), "dimension", "line_number", side))
            wanted = measures if side_measures is None else [m for m in measures if m in side_measures.get(side, ())]
            if side == "income" and side_measures is None:
                wanted = [m for m in wanted if m == "total"] or wanted[:1]
            cols += [Col(header_for(spec, "measure", m, [word]), "measure", m, side) for m in wanted]
        return cols
    dims = [d for d in spec.dimensions if d != "item" and (columns is None or d in columns)
            and (d not in SKIPPED_FIELDS or (columns is not None and d in NAME_OF_CODE and NAME_OF_CODE[d] not in columns))]
    dims = [d for d in dims if load_standard().fields[d].header_aliases or d == "item"]
    cols = [Col(header_for(spec, "dimension", d, []), "dimension", d) for d in [*dims, "item"]]
    cols += [Col(header_for(spec, "measure", m, []), "measure", m) for m in measures]
    return cols


# -- writing ---------------------------------------------------------------------

def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(column)


def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill
    return {"title": Font(bold=True, size=14), "header": Font(bold=True),
            "fill": PatternFill("solid", fgColor="DDEBF7"), "center": Alignment(horizontal="center", vertical="center", wrap_text=True)}


def write_header(sheet, cols: list[Col], top: int) -> int:
    """Header rows from the columns' paths: a group heading once, merged over its columns;
    a short path's last header merged down. Returns the first data row."""
    style = _styles()
    depth = max(len(c.path) for c in cols)
    for level in range(depth):
        j = 0
        while j < len(cols):
            path = cols[j].path
            if level >= len(path):
                j += 1
                continue
            end = j
            if level < len(path) - 1:
                while end + 1 < len(cols) and len(cols[end + 1].path) > level + 1 and cols[end + 1].path[:level + 1] == path[:level + 1]:
                    end += 1
            cell = sheet.cell(row=top + level, column=j + 1, value=path[level])
            cell.font, cell.fill, cell.alignment = style["header"], style["fill"], style["center"]
            bottom = top + level if level < len(path) - 1 else top + depth - 1
            if end > j or bottom > top + level:
                sheet.merge_cells(start_row=top + level, start_column=j + 1, end_row=bottom, end_column=end + 1)
            j = end + 1
    for j, col in enumerate(cols, 1):
        sheet.column_dimensions[_letter(j)].width = 14 if col.kind == "measure" else (30 if col.name == "item" else 16)
    return top + depth


def text_cell(sheet, row: int, column: int, text: str, number_format: str | None = "@"):
    """Write package text into a cell as a string (data type 's'), escaped where a
    spreadsheet would run it as a formula; returns the cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = escape_formula(str(text))
    cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def number_value(amount: Decimal):
    """An amount as a cell value: int or float where that is exact, else text."""
    if amount == amount.to_integral_value() and abs(amount) < Decimal(10) ** 15:
        return int(amount)
    digits = len(amount.normalize().as_tuple().digits)
    if digits <= 15:
        value = float(amount)
        if Decimal(repr(value)) == amount:
            return value
    return format(amount, "f")


def table_sheet(book, table_id: str, cols: list[Col], year: int | None, unit: str, decimals: int | None, sheet_name: str | None = None):
    """Add the sheet of one table to `book`: title (with the year), the unit line (元 or 万元, a
    drop-down) and the header rows of `cols`, frozen below the header. Returns (sheet, first data
    row number). The sheet is named after the table's Chinese title (schema/codelists/tables.csv)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    spec = load_standard().tables[table_id]
    name = (spec.title_zh).replace('"', "").replace("“", "").replace("”", "")[:31]
    sheet = book.create_sheet(name)
    style = _styles()
    title = sheet.cell(row=1, column=1, value=f"{year}年{spec.title_zh}" if year else spec.title_zh)
    title.font = style["title"]
    unit_cell = sheet.cell(row=2, column=1, value=f"单位：{unit}")
    if sheet_name is None:   # the template: the unit is chosen from a list
        validation = DataValidation(type="list", formula1='"单位：元,单位：万元"', allow_blank=False)
        sheet.add_data_validation(validation)
        validation.add(unit_cell)
    first = write_header(sheet, cols, 3)
    sheet.freeze_panes = sheet.cell(row=first, column=1)
    return sheet, first


def code_validations(sheet, cols: list[Col], first: int, ranges: dict, rows: int = 500) -> None:
    """Add drop-down validations to the code columns of a sheet: each column whose name has a
    range in `ranges` (the 代码表 sheet's code lists) accepts only those codes, for `rows` rows from
    row `first`."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for j, col in enumerate(cols, 1):
        letter = _letter(j)
        if col.name in ranges:
            validation = DataValidation(type="list", formula1=ranges[col.name], allow_blank=True, showErrorMessage=True,
                                        errorTitle="代码不在代码表中", error="请填写代码表中的科目编码 (see sheet 代码表)")
            sheet.add_data_validation(validation)
            validation.add(f"{letter}{first}:{letter}{first + rows}")
        if col.name in TEXT_FIELDS:
            for r in range(first, first + rows + 1):
                sheet.cell(row=r, column=j).number_format = "@"
        elif col.kind == "measure":
            for r in range(first, first + rows + 1):
                sheet.cell(row=r, column=j).number_format = "#,##0.00"


def codes_sheet(book, year: int | None) -> dict:
    """The hidden sheet of code lists; returns validation formulas by field."""
    from .convert.xlsx import CODES_SHEET_MARK

    standard = load_standard()
    sheet = book.create_sheet(CODES_SHEET)
    sheet.sheet_state = "hidden"
    sheet["A1"] = CODES_SHEET_MARK
    ranges = {}
    column = 1
    for field, listed in [*CODE_LISTS, ("division_code", "divisions"), ("stage", "stages"), ("money_unit", "money_units")]:
        codelist = standard.codelists[listed]
        rows = [r for r in codelist.rows if not (codelist.year_versioned and year and not (int(r.get("from_year") or 0) <= year <= int(r.get("to_year") or 9999)))]
        if codelist.year_versioned and not year:
            rows = [r for r in rows if not r.get("to_year")]
        values = [(r["title_zh"], "") if field in ("stage", "money_unit") else (r["code"], r.get("name", "")) for r in rows]
        sheet.cell(row=2, column=column, value=standard.fields[field].title_zh if field in standard.fields else codelist.title_zh)
        sheet.cell(row=2, column=column + 1, value="名称")
        for i, (code, name) in enumerate(values, 3):
            sheet.cell(row=i, column=column, value=code).number_format = "@"
            sheet.cell(row=i, column=column + 1, value=name)
        letter = _letter(column)
        ranges[field] = f"'{CODES_SHEET}'!${letter}$3:${letter}${max(3, len(values) + 2)}"
        column += 2
    return ranges


def meta_sheet(book, ranges: dict, values: dict) -> None:
    """Add the 填报信息 sheet: one labelled row per disclosure field (unit name and code, parent,
    year, stage, division, money unit), filled from `values`, stage and unit as drop-downs."""
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(META_SHEET)
    labels = [("单位名称", "unit_name"), ("单位代码", "unit_code"), ("上级单位名称", "parent_name"), ("上级单位代码", "parent_code"),
              ("年度", "fiscal_year"), ("阶段", "stage"), ("行政区划代码", "division_code"), ("金额单位", "money_unit"),
              ("公开层级", "level"), ("是否汇总", "consolidated"), ("政府层级", "government_level")]
    for r, (label, key) in enumerate(labels, 1):
        sheet.cell(row=r, column=1, value=label).font = _styles()["header"]
        value = values.get(key)
        if isinstance(value, str):
            cell = text_cell(sheet, r, 2, value, "@" if key != "fiscal_year" else "0")
        else:
            cell = sheet.cell(row=r, column=2, value=value)
            cell.number_format = "@" if key != "fiscal_year" else "0"
        if key in ranges:
            validation = DataValidation(type="list", formula1=ranges[key], allow_blank=True)
            sheet.add_data_validation(validation)
            validation.add(cell)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 40


INSTRUCTIONS = """填表说明 (opendata:instructions)
本工作簿由 opendata template 按数据标准生成；填好后用 opendata convert 文件.xlsx --out 包目录 转换为数据包。
1. 在“填报信息”表填写单位名称、单位代码、年度、阶段（部门预算 / 部门决算）、行政区划代码和金额单位。
2. 每张表一个工作表：不要改动表头行和表名行；从表头下第一行起每行填一行数据。
3. “单位：元”行可改为“单位：万元”，表中金额按该单位填写；金额填数字（也可填文本数字），不要填公式以外的说明文字。
4. 功能分类科目编码、经济分类科目编码填 3 / 5 / 7 位代码（下拉列表为该年度代码表），项目名称列填科目或项目名称。
5. 合计行：项目名称填“合计”（或“总计”）并填合计金额；转换时不会重新计算合计。
6. 收支总表类（两栏表）：左侧填收入项目及金额，右侧填支出项目及金额，每行一个收入项目和/或一个支出项目。
7. “文字说明”表：每行一段文字；以“一、”“（一）”等开头的短行是章节标题。
8. 隐藏的“代码表”是下拉列表的来源，请勿修改。"""


def new_book(stage: str, year: int | None, values: dict):
    """A new input workbook with its 说明 (instructions), 代码表 (code lists of `year`) and 填报信息
    sheets; returns (book, ranges of the code lists for data validations)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = INSTRUCTIONS_SHEET
    for r, text in enumerate(INSTRUCTIONS.split("\n"), 1):
        sheet.cell(row=r, column=1, value=text)
    sheet.column_dimensions["A"].width = 100
    ranges = codes_sheet(book, year)
    meta_sheet(book, ranges, values)
    book.move_sheet(CODES_SHEET, offset=len(book.sheetnames))
    return book, ranges


def stage_title(stage: str) -> str:
    """The Chinese title of a stage code (schema/codelists/stages.csv); StopIteration for an
    unknown code."""
    return next(r["title_zh"] for r in load_standard().codelists["stages"].rows if r["code"] == stage)


def write_template(stage: str, out: str | Path, year: int | None = None, unit: str = "元") -> Path:
    """An empty input workbook for `stage`: one sheet per money table the stage requires."""
    standard = load_standard()
    if stage not in standard.stage_codes():
        raise WorkbookError(f"unknown stage {stage!r}; one of {', '.join(standard.stage_codes())}")
    book, ranges = new_book(stage, year, {"fiscal_year": year, "stage": stage_title(stage), "money_unit": unit})
    for spec in standard.tables.values():
        if spec.kind != "money" or not spec.required(stage, year):
            continue
        cols = layout(spec.code, stage)
        sheet, first = table_sheet(book, spec.code, cols, year, unit, 2)
        code_validations(sheet, cols, first, ranges)
    narrative = book.create_sheet(NARRATIVE_SHEET)
    narrative.column_dimensions["A"].width = 100
    book.move_sheet(CODES_SHEET, offset=len(book.sheetnames))
    return save_workbook(book, out)


def export_workbook(disclosure: Disclosure, out: str | Path) -> Path:
    """A package's tables written as an input workbook; converting the workbook gives the same
    package back: the same tables, rows, row ids, row types, values, declared columns, printed
    titles, source locations and each row's source_line / source_page; not kept are the source
    document (the workbook becomes the source), created, conversion and version. Money tables in
    the template's layout (amounts in each table's unit, its decimals as number format); every
    other table (performance forms, narrative, key figures) on a record sheet, read back exactly, and the hidden 数据包 sheet with each table's printed
    title, source lines, pages and declared columns and each row's source_line / source_page
    (`opendata.convert.package_sheet`). Returns `out`; WorkbookError for a money table the
    layout cannot hold."""
    standard = load_standard()
    values = {"unit_name": disclosure.unit_name, "unit_code": disclosure.unit_code, "parent_name": disclosure.parent_name,
              "parent_code": disclosure.parent_code, "fiscal_year": disclosure.fiscal_year, "stage": stage_title(disclosure.stage),
              "division_code": disclosure.division_code, "money_unit": disclosure.money_unit,
              **{key: SHEET_WORDS[key].get(getattr(disclosure, key)) for key in SHEET_WORDS}}
    book, ranges = new_book(disclosure.stage, disclosure.fiscal_year, values)
    layouts: dict[str, tuple[str, str | None]] = {}
    for table in disclosure.tables.values():
        kind = standard.tables[table.table_id].kind
        if kind == "money":
            layouts[table.key] = ("sheet", write_table(book, table, disclosure.fiscal_year, ranges))
        else:  # performance forms, the narrative (its text may hold tabs and table-like lines), key figures,
            # the tables outside the catalog (one sheet each, named by their key unlisted_table_N)
            layouts[table.key] = ("records", records_sheet(book, table, disclosure.fiscal_year))
    package_sheet(book, disclosure, layouts)
    book.move_sheet(CODES_SHEET, offset=len(book.sheetnames))
    return save_workbook(book, out)


def records_sheet(book, table: Table, year: int | None) -> str:
    """A table written row for row (the performance tables): title row, the columns' Chinese
    titles (row 2), their field names (row 3), then one row per table row with the package's
    values (amounts in 元 as numbers with their printed decimals, text escaped by `text_cell`).
    Returns the sheet's name."""
    from .package import parse_csv, table_csv

    standard = load_standard()
    spec = standard.tables[table.table_id]
    columns, text = table_csv(table)
    data = parse_csv(text.encode("utf-8"), table.table_id)
    sheet = book.create_sheet((spec.title_zh if not table.name else table.name).replace('"', "")[:31])
    style = _styles()
    title = f"{year}年{spec.title_zh}" if year else spec.title_zh
    sheet.cell(row=1, column=1, value=f"{title}（逐行记录，金额单位：元；第3行是字段名，请勿改动）").font = style["title"]
    types = {}
    for j, name in enumerate(columns, 1):
        described = standard.field_descriptor(table.table_id, name) if name in standard.fields or name in spec.measures else {}
        types[name] = described.get("type", "integer" if name in ("source_line", "source_page") else "string")
        for r, value in ((2, described.get("title", name)), (3, name)):
            cell = sheet.cell(row=r, column=j, value=value)
            cell.font, cell.fill = style["header"], style["fill"]
        sheet.column_dimensions[_letter(j)].width = 14 if types[name] != "string" else 24
    sheet.freeze_panes = sheet.cell(row=4, column=1)
    for r, record in enumerate(data.records, 4):
        for j, (name, value) in enumerate(zip(columns, record), 1):
            if value == "":
                continue
            number = number_value(Decimal(value)) if types[name] == "number" else None
            if types[name] == "integer":
                sheet.cell(row=r, column=j, value=int(value))
            elif number is not None and not isinstance(number, str):
                places = max(0, -Decimal(value).as_tuple().exponent)
                sheet.cell(row=r, column=j, value=number).number_format = "0" + ("." + "0" * places if places else "")
            else:
                text_cell(sheet, r, j, value)
    return sheet.title


def package_sheet(book, disclosure: Disclosure, layouts: dict[str, tuple[str, str | None]]) -> None:
    """The hidden 数据包 sheet (layout in `opendata.convert.package_sheet`): per table its layout,
    sheet and descriptor facts; per row of the tables not on record sheets its source_line and
    source_page. `layouts` maps table id -> (layout, sheet name or None)."""
    from .convert.package_sheet import PACKAGE_HEADER, PACKAGE_SHEET, PACKAGE_SHEET_MARK

    sheet = book.create_sheet(PACKAGE_SHEET)
    sheet.sheet_state = "hidden"
    sheet["A1"] = PACKAGE_SHEET_MARK
    for j, name in enumerate(PACKAGE_HEADER, 1):
        sheet.cell(row=2, column=j, value=name)
    r = 3
    for table_id, (layout_name, sheet_name) in layouts.items():
        table = disclosure.tables[table_id]
        info = {"sheet": sheet_name, "printedTitle": table.printed_title, "firstLine": table.first_line,
                "lastLine": table.last_line, "pages": table.pages, "columns": table.columns}
        if table.name:
            info["tableId"] = table.table_id   # the catalog table of unlisted_table_N
        if layout_name == "records":
            info.update(moneyUnit=table.money_unit, moneyDecimals=table.money_decimals, note=table.note)
        for j, value in enumerate(("table", table_id, layout_name), 1):
            text_cell(sheet, r, j, value)
        text_cell(sheet, r, 6, json.dumps(info, ensure_ascii=False))
        r += 1
        for row in ([] if layout_name == "records" else table.rows):
            for j, value in enumerate(("row", table_id, row.row_id), 1):
                text_cell(sheet, r, j, value)
            sheet.cell(row=r, column=4, value=row.source_line)
            sheet.cell(row=r, column=5, value=row.source_page)
            r += 1


def write_table(book, table: Table, year: int, ranges: dict) -> str:
    """A money table on its own sheet in the template's layout; returns the sheet's name."""
    spec = load_standard().tables[table.table_id]
    unit = table.money_unit or "元"
    factor = UNIT_FACTORS[unit]
    side_measures = None
    if spec.two_sided:
        side_measures = {side: {m for r in table.rows if r.values.get("side") == side for m in spec.measures if r.values.get(m) is not None}
                         for side in ("income", "expenditure")}
        for side in side_measures:
            side_measures[side] = side_measures[side] or {"total"}
    cols = layout(table.table_id, None, table.columns, side_measures)
    sheet, first = table_sheet(book, table.table_id, cols, year, unit, table.money_decimals, "")
    decimals = table.money_decimals or 0
    number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    if spec.two_sided:
        sides = {side: [r for r in table.rows if r.values.get("side") == side] for side in ("income", "expenditure")}
        lines = [(sides["income"][i] if i < len(sides["income"]) else None, sides["expenditure"][i] if i < len(sides["expenditure"]) else None)
                 for i in range(max(len(sides["income"]), len(sides["expenditure"])))]
    else:
        lines = [(row, row) for row in table.rows]
    if unit_note := (f" 保留{table.money_decimals}位小数" if table.money_decimals is not None else ""):
        sheet.cell(row=2, column=1).value += unit_note
    for offset, (income, expenditure) in enumerate(lines):
        r = first + offset
        for j, col in enumerate(cols, 1):
            row = (income if col.side == "income" else expenditure) if spec.two_sided else income
            if row is None:
                continue
            value = row.values.get(col.name)
            if col.name == "item" and row.row_type == "subtotal" and value in {row.values.get(k) for k in GROUP_NAME_FIELDS}:
                value = None   # a group named only by its 专项名称 / 经济科目, printed left of the item column
            if col.name in ("economic_code", "gov_economic_code") and value and row.values.get(col.name.replace("_code", "_name")):
                value = f"{value} {row.values[col.name.replace('_code', '_name')]}"
            if value is None or value == "":
                continue
            cell = sheet.cell(row=r, column=j)
            if col.kind == "measure":
                cell.value = number_value(Decimal(value) / factor)
                cell.number_format = number_format if not isinstance(cell.value, str) else "@"
            elif isinstance(value, int) and col.name == "line_number":
                cell.value = value
            else:
                text_cell(sheet, r, j, value)
    if table.note:
        r = first + len(lines) + 1
        for text in table.note.split("\n"):
            text_cell(sheet, r, 1, text if text.startswith(("注", "备注", "说明")) else f"注：{text}", None)
            r += 1
    return sheet.title


def save_workbook(book, out: str | Path) -> Path:
    """Save an openpyxl workbook to `out` atomically (package.write_atomic: a half-written
    workbook is never left at `out`; missing parent folders are created); returns `out`.
    WorkbookError when `out` is a folder or cannot be written."""
    import io

    from .package import write_atomic

    buffer = io.BytesIO()
    book.save(buffer)
    out = Path(out)
    if out.is_dir():
        raise WorkbookError(f"{out}: is a folder; give the workbook's file name (e.g. {out / 'workbook.xlsx'})")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, buffer.getvalue())
    except OSError as exc:
        raise WorkbookError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    return out
