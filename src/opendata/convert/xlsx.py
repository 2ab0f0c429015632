"""Excel workbooks (.xlsx with openpyxl, .xls with xlrd) and the shared block pipeline
that Word documents use too.

A workbook is read sheet by sheet; every sheet becomes numbered lines like a text
document (a row with several filled cells: its cells joined by tabs, positions kept; a
row with one cell in column A: that text; a unit / 编制部门 row: its cells joined by
spaces), and the shared pipeline finds the tables in them (segment.find_segments by
their titles, tables.TableBuilder for headers and rows). Each sheet is segmented on its
own, so a table never runs into the next sheet.

- Several tables in one sheet are found by their title rows; a sheet without a title row
  whose name is a table title (部门收支总表) takes its name as the title; a sheet with a
  table and no title at all continues the table of the sheet before it (with a warning).
- Merged cells come out like the PDF converter's ruled tables: the value once, at the
  top-left cell, the covered cells empty; `columns.header_paths` spreads a merged header
  over the columns under it.
- Numbers stored as numbers are written out exactly: integers as they are, floats through
  their shortest repr rounded to Excel's 15 significant digits (never through float
  arithmetic), padded to the decimals of the cell's number format (so 12.3 shown as
  0.00 is 12.30 and the table's money_decimals is 2). Numbers stored as text are read as
  printed. The decimals are never cut to the number format: a cell holding 1234.56 shown
  as #,##0 keeps its cents.
- Source location: source_line is the row number in the sheet, source_page the sheet's
  position in the workbook (1 = first sheet); the table's pages list its sheets. A table
  whose sheet has no title row has the sheet name as printed title.
- Hidden sheets are skipped with a warning (the code-list sheet of `opendata template`
  silently). A sheet of key/value rows (单位名称, 单位代码, 年度, 阶段, 行政区划代码,
  金额单位 …: the 填报信息 sheet of the template) gives the disclosure's metadata.
- A workbook written by `opendata export-xlsx` has a hidden 数据包 sheet and record sheets
  (performance tables row for row): `package_sheet` reads them, so the package comes back
  with its performance tables, row order and each row's source_line / source_page.
- A text cell beginning with an apostrophe before a formula character ('=…, '-…) is read
  without that apostrophe: `opendata export-xlsx` escapes such text so that Excel never
  runs it as a formula (`opendata.formulas`).
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..formulas import unescape_formula
from ..model import Disclosure
from ..money import is_amount
from ..standard import load_standard
from . import metadata, performance
from .package_sheet import PACKAGE_SHEET_MARK, apply_package_sheet, read_package_sheet, records_table
from .errors import ConversionError, Warnings
from .layout import tab_rows
from .limits import Limits, check_zip_inflation
from .recognise import match_title, squash
from .segment import META_LINE, Segment, find_segments, is_unit_line, tabular
from .source import OLE_MAGIC, Line, describe_source, require_zip_container
from .table_rows import finish_rows, merge_table
from .unlisted import keep_unlisted
from .tables import TableBuilder

CODES_SHEET_MARK = "opendata:codelists"
INSTRUCTIONS_MARK = "(opendata:instructions)"
META_LABELS = {
    "单位名称": "unit_name", "单位代码": "unit_code", "上级单位名称": "parent_name", "上级单位代码": "parent_code",
    "主管部门": "parent_name", "主管部门代码": "parent_code",
    "年度": "fiscal_year", "预算年度": "fiscal_year", "决算年度": "fiscal_year", "财政年度": "fiscal_year",
    "阶段": "stage", "公开阶段": "stage", "行政区划代码": "division_code", "金额单位": "money_unit",
    "公开层级": "level", "是否汇总": "consolidated", "政府层级": "government_level",
}
_FORMAT_DECIMALS = re.compile(r"\.([0#?]+)")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


@dataclass
class Block:
    """One sheet (or one whole Word document): its lines and where they come from."""
    name: str
    index: int
    lines: list[Line] = field(default_factory=list)
    hidden: bool = False
    marker: str = ""
    rows: list[tuple[int, list[str]]] = field(default_factory=list)   # (row number, cell texts) of a sheet
    exact_rows: list[tuple[int, list[str]]] = field(default_factory=list)  # the same, text cells as stored


# -- cell values -----------------------------------------------------------------

def format_decimals(number_format: str | None) -> int:
    """How many decimals a number format shows ('#,##0.00_ ' -> 2, 'General' -> 0)."""
    if not number_format:
        return 0
    section = _QUOTED.sub("", number_format.split(";")[0])
    match = _FORMAT_DECIMALS.search(section)
    return len(match.group(1)) if match else 0


def number_text(value, number_format: str | None = None) -> str:
    """A stored number as printed text, exactly (see the module docstring)."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        number = Decimal(repr(float(value)))
        if number and number.adjusted() - 14 < 0:
            # doubles carry ~17 digits; Excel keeps and shows 15 significant digits
            number = number.quantize(Decimal(1).scaleb(number.adjusted() - 14)).normalize()
    percent = "%" in (number_format or "").split(";")[0].replace('"%"', "")
    if percent:
        number *= 100
    exponent = number.normalize().as_tuple().exponent
    places = max(format_decimals(number_format), -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    text = format(number.quantize(Decimal(1).scaleb(-places)), "f")
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text + ("%" if percent else "")


def value_text(value, number_format: str | None = None) -> str:
    """The text of a cell value as the sheet shows it: None -> "", booleans -> 是/否, numbers
    with the decimals of `number_format` (see number_text), dates in ISO form, text as written
    with an escape apostrophe before =, +, -, @ removed (formulas.unescape_formula)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal)):
        return number_text(value, number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return unescape_formula(str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").strip()


def exact_text(value, number_format: str | None = None) -> str:
    """A cell's text exactly as stored (only the formula-escape apostrophe removed) for text
    cells; other values as `value_text`. Record sheets of an exported workbook are read so."""
    if isinstance(value, str):
        return unescape_formula(value)
    return value_text(value, number_format)


# -- rows to lines -----------------------------------------------------------------

def row_lines(cells: list[str], row_no: int, page: int | None, width: int = 0) -> list[Line]:
    """One sheet row as pipeline lines (see the module docstring). Rows of cells are padded
    to the sheet's width: a header row that merely ends in merged (empty) cells is not a
    row that lost its empty cells."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    filled = [c for c in cells if c]
    if not filled:
        return []
    if len(filled) == 1 and cells[0]:
        return [Line(no=row_no, text=part.strip(), page=page) for part in cells[0].split("\n") if part.strip()]
    flat = [" ".join(p.strip() for p in c.split("\n") if p.strip()) for c in cells]
    if len(filled) > 1 and not any(is_amount(c) for c in flat if c) and any(is_unit_line(c) or META_LINE.search(c) for c in flat if c):
        return [Line(no=row_no, text=" ".join(c for c in flat if c), page=page)]
    flat += [""] * (width - len(flat))
    return [Line(no=row_no, text="\t".join(flat), page=page)]


def grid_lines(lines: list[Line], grid: list[list[str]]) -> None:
    """Append a table's rows of cells (a grid, e.g. of a Word or HTML table) to `lines` as
    pipeline lines (`row_lines`, padded to the grid's width), numbered on from len(lines)."""
    width = max((len(cells) for cells in grid), default=0)
    for cells in grid:
        for line in row_lines(cells, len(lines) + 1, None, width):
            line.no = len(lines) + 1
            lines.append(line)


def add_rows(block: Block, rows: list[tuple[int, list[str]]]) -> None:
    """A sheet's (row number, cell texts) pairs into the block: kept as they are in `block.rows`
    and as pipeline lines (`row_lines`) in `block.lines`."""
    block.rows = rows
    width = max((max((i + 1 for i, c in enumerate(cells) if c), default=0) for _, cells in rows), default=0)
    for number, cells in rows:
        block.lines.extend(row_lines(cells, number, block.index, width))


def sheet_meta(block: Block) -> dict | None:
    """The key/value rows of a metadata sheet (at least three known labels), else None."""
    found = {}
    for line in block.lines:
        cells = [c.strip() for c in re.split(r"\t|[:：]\s*|\s+", line.text.strip(), maxsplit=1)]
        if len(cells) == 2:
            key = squash(cells[0]).rstrip(":")
            if key in META_LABELS and cells[1].strip("\t "):
                found[META_LABELS[key]] = cells[1].strip("\t ").split("\t")[0].strip()
    return found if len(found) >= 3 else None


# -- reading workbooks -----------------------------------------------------------

def read_xlsx(path: Path, data: bytes, warnings: Warnings, limits: Limits | None = None) -> list[Block]:
    """The sheets of an .xlsx workbook as blocks; a ConversionError for what is not a readable
    workbook or inflates beyond `limits.max_inflated_mb`."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    require_zip_container(path, data, "an Excel .xlsx", "xlsx",
                          "this is an Excel 97-2003 (.xls) or other OLE file named .xlsx; save it as .xlsx or name it .xls. 文件格式与扩展名不符")
    check_zip_inflation(path, data, limits or Limits.from_env())
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, EOFError) as error:
        raise ConversionError(f"{path}: corrupt or unreadable .xlsx workbook ({type(error).__name__}: {error}); xlsx文件已损坏") from error
    except Exception as error:  # openpyxl raises many kinds of errors on broken parts
        raise ConversionError(f"{path}: corrupt .xlsx workbook ({type(error).__name__}: {error}); xlsx文件已损坏") from error
    formulas = None
    blocks = []
    for index, sheet in enumerate(book.worksheets, 1):
        block = Block(sheet.title, index, hidden=sheet.sheet_state != "visible")
        missing = []
        rows, exact = [], []
        for row in sheet.iter_rows():
            cells = [value_text(cell.value, cell.number_format) for cell in row]
            if any(cells):
                rows.append((row[0].row, cells))
                exact.append((row[0].row, [exact_text(cell.value, cell.number_format) for cell in row]))
        add_rows(block, rows)
        block.exact_rows = exact
        if not missing and sheet.max_row:
            # formulas written without a computed value (a workbook never opened in Excel)
            if formulas is None:
                formulas = openpyxl.load_workbook(path, data_only=False)
            for row in formulas.worksheets[index - 1].iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("=") and sheet[cell.coordinate].value is None:
                        missing.append(cell.coordinate)
        if missing:
            warnings.add(f"sheet '{sheet.title}': {len(missing)} formula cell(s) without a computed value ({', '.join(missing[:6])}{' …' if len(missing) > 6 else ''}); open and save the workbook in Excel so that their values are stored", page=index)
        first = next(iter(sheet.iter_rows(min_row=1, max_row=1, max_col=1, values_only=True)), (None,))
        block.marker = str(first[0] or "")
        blocks.append(block)
    return blocks


def read_xls(path: Path, data: bytes, warnings: Warnings, limits: Limits | None = None) -> list[Block]:
    """Excel 97-2003 workbooks through xlrd (which reads .xls only, and is kept for that); the
    .xls format is not compressed, so only the memory cap of the conversion applies."""
    import xlrd

    if not data:
        raise ConversionError(f"{path}: the file is empty")
    if data[:2] == b"PK":
        raise ConversionError(f"{path}: this is an .xlsx workbook named .xls; name it .xlsx. 文件格式与扩展名不符")
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as error:
        raise ConversionError(f"{path}: corrupt or unreadable .xls workbook ({type(error).__name__}: {error}); xls文件已损坏") from error
    blocks = []
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        block = Block(sheet.name, index + 1, hidden=bool(getattr(sheet, "visibility", 0)))
        rows = []
        for r in range(sheet.nrows):
            cells = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                fmt = None
                try:
                    fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
                except (IndexError, KeyError, AttributeError):
                    pass
                if cell.ctype == xlrd.XL_CELL_NUMBER:
                    value = cell.value
                    if fmt and book.format_map and cell.xf_index is not None and _is_date(book, cell):
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    value = None
                else:
                    value = cell.value
                cells.append(value_text(value, fmt))
            if any(cells):
                rows.append((r + 1, cells))
        add_rows(block, rows)
        block.marker = str(sheet.cell_value(0, 0)) if sheet.nrows and sheet.ncols else ""
        blocks.append(block)
    return blocks


def _is_date(book, cell) -> bool:
    import xlrd
    try:
        return book.format_map[book.xf_list[cell.xf_index].format_key].type == xlrd.formatting.FDT
    except (IndexError, KeyError, AttributeError):
        return False


# -- converting ----------------------------------------------------------------------

def convert_xlsx(path: Path, warnings: Warnings, limits: Limits | None = None) -> Disclosure:
    """The disclosure in an .xlsx or .xls workbook: each sheet read into blocks of lines (read_xlsx /
    read_xls, within `limits`) and converted by `convert_blocks`. ConversionError (LimitError) for
    a file that is not a readable workbook, inflates beyond the limits, or holds no disclosure."""
    data = path.read_bytes()
    if data[:8] == OLE_MAGIC or data[:2] == b"PK":   # the content decides; the extension only otherwise
        reader = read_xls if data[:8] == OLE_MAGIC else read_xlsx
    else:
        reader = read_xls if path.suffix.lower() == ".xls" else read_xlsx
    blocks = reader(path, data, warnings, limits)
    return convert_blocks(blocks, describe_source(path, data, "xls" if reader is read_xls else "xlsx"), warnings)


def convert_blocks(blocks: list[Block], source, warnings: Warnings, sheets: bool = True) -> Disclosure:
    """The disclosure from blocks of lines: each block segmented on its own; record sheets and the
    hidden 数据包 sheet of an exported workbook read by `package_sheet`. ConversionError for an
    empty document, one without year and stage, or an edited 数据包 / record sheet."""
    standard = load_standard()
    if not any(block.lines for block in blocks):
        raise ConversionError(f"{source.filename}: the {'workbook' if sheets else 'document'} is empty (no cell holds anything); 文件中没有内容")
    meta: dict = {}
    visible = []
    package_block = next((b for b in blocks if sheets and b.hidden and b.marker == PACKAGE_SHEET_MARK), None)
    entries = read_package_sheet(package_block.rows, f"{source.filename}") if package_block else {}
    record_sheets = {e.sheet: e for e in entries.values() if e.layout == "records"}
    tables: dict = {}
    for block in blocks:
        if block.marker.startswith(INSTRUCTIONS_MARK) or INSTRUCTIONS_MARK in block.marker:
            continue   # the 说明 sheet of `opendata template`
        if sheets and not block.hidden and block.name in record_sheets:
            entry = record_sheets[block.name]
            tables[entry.table_id] = records_table(entry, block.exact_rows or block.rows, source.filename)
            continue
        if block.hidden:
            if block.marker not in (CODES_SHEET_MARK, PACKAGE_SHEET_MARK) and any(line.text.strip() for line in block.lines):
                warnings.add(f"hidden sheet '{block.name}' not read", page=block.index)
            continue
        found = sheet_meta(block) if sheets else None
        if found and not find_segments(block.lines):
            meta.update(found)
            continue
        visible.append(block)
    record_tables = set(tables)
    context = meta_context(meta)
    texts = [*context, *(line.text for block in visible for line in block.lines)]
    # the cover and the sheets' title rows state the year; the narrative also names other years (比2025年预算增加)
    year, stage, where = metadata.find_year_and_stage([*context, *(line.text for block in visible for line in block.lines[:1])])
    if year is None:
        year, stage, where = metadata.find_year_and_stage(texts)
    if meta.get("fiscal_year", "").strip().isdigit():
        year, where = int(meta["fiscal_year"].strip()), "metadata sheet"
    if stage_code(meta.get("stage")):
        stage, where = stage_code(meta.get("stage")), "metadata sheet"
    narrative_lines: list[Line] = []
    previous = None
    carried: dict = {}   # table id -> what one part of the table leaves to the next (TableBuilder)
    for block in visible:
        lines = block.lines
        has_rows = any("\t" in line.text for line in lines)   # a row of several cells
        named = match_title(block.name) if sheets else None
        if not has_rows and not named:
            narrative_lines.extend(lines)
            continue
        unlisted: list[Segment] = []
        segments = find_segments(lines, unlisted)
        if not segments and named:
            first = next((i for i, line in enumerate(lines) if tabular(line) or is_unit_line(line.text)), 0)
            title = Line(no=lines[first].no if lines else 1, text=block.name, page=lines[first].page if lines else block.index)
            lines = lines[:first] + [title] + lines[first:]
            segments = find_segments(lines)
        if not segments and not unlisted and previous is not None and has_rows:
            warnings.add(f"{'sheet' if sheets else 'table in'} '{block.name}' has a table but no title; read as the continuation of {previous}", page=block.index if sheets else None)
            start = next(i for i, line in enumerate(lines) if "\t" in line.text)
            segments = [Segment(previous, block.name, -1, start, len(lines), lines=list(lines[start:]))]
        used: set[int] = set()
        for table in keep_unlisted(lines, unlisted, used, tab_rows, warnings, first_number=1 + sum(1 for t in tables.values() if t.name)):
            tables[table.key] = table   # kept cell by cell, never read as the previous table
        for number, segment in enumerate(segments):
            spec = standard.tables[segment.table_id]
            anchor = lines[segment.title_line] if segment.title_line >= 0 else lines[segment.start]
            if spec.kind == "performance":
                following = segments[number + 1].title_line if number + 1 < len(segments) else len(lines)
                performance.extend_segment(lines, segment, following)
            used.update(range(segment.title_line if segment.title_line >= 0 else segment.start, segment.end))
            last_line = segment.lines[-1].no if segment.lines else anchor.no
            if spec.kind == "performance":
                builder = performance.PerformanceBuilder(spec, warnings, "元")
                built = builder.build(segment.lines, "tabs", segment.title, anchor.no, last_line)
            else:
                builder = TableBuilder(spec, warnings, "元", carried.setdefault(segment.table_id, {}))
                built = [builder.build(tab_rows(segment.lines), segment.title, anchor.no, last_line)]
                if not built[0].rows and not built[0].note and not builder.header_rows:
                    warnings.add(f"table title '{segment.title}' has no rows or header under it", anchor.no, segment.table_id, anchor.page)
            for table in built:
                table.pages = sorted({l.page for l in segment.lines if l.page} | ({anchor.page} if anchor.page else set()))
                merge_table(tables, table)
            previous = segment.table_id
        if not segments and not unlisted and has_rows:
            warnings.add(f"sheet '{block.name}': its rows are not under any table title recognised (表名未识别); read as text", page=block.index)
        narrative_lines.extend(line for i, line in enumerate(lines) if i not in used)
    for table in tables.values():
        if table.key not in record_tables and not table.name:   # unlisted_table_N: row ids are row|column
            finish_rows(table)
    disclosure = metadata.assemble(tables, narrative_lines, texts, source, year, stage, warnings, stated=meta, where=where)
    apply_package_sheet(disclosure, entries)
    return disclosure


def meta_context(meta: dict) -> list[str]:
    """Lines standing for the metadata sheet where the pipeline looks for year, stage and unit."""
    lines = []
    if meta.get("unit_name"):
        lines.append(f"单位名称：{meta['unit_name']}")
    stage = stage_code(meta.get("stage"))
    if meta.get("fiscal_year") and stage:
        lines.append(f"{meta['fiscal_year']}年部门{'预算' if stage == 'budget' else '决算'}")
    return lines


def stage_code(text: str | None) -> str | None:
    """The stage code (budget / final_accounts) whose code, Chinese title or alias
    (schema/codelists/stages.csv) `text` names, compared after squash(); None otherwise."""
    if not text:
        return None
    key = squash(text)
    for row in load_standard().codelists["stages"].rows:
        names = {row["code"], row["title_zh"], *row.get("aliases", "").split("|")}
        if key in {squash(n) for n in names if n}:
            return row["code"]
    return None


