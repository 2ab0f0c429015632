"""Tables outside the catalog (issue #11): a table whose printed title names no table of
codelists/tables.csv is kept, cell by cell, as its own resource unlisted_table_N (catalog table
`unlisted_table`, kind `cells`), and a warning says the catalog does not know it.

Each printed cell becomes one row: its row and column number, the header path of its column
(`columns.header_paths`, blank when no header row was read), the row's label (`item`) and the
cell as an amount in 元 (when it is a number, from the printed unit) or as `text` (the codes left of
the row's label, numbers with a leading 0, and bare integers in a table whose amounts print
decimals: counts such as 数量 1; every number of a table printed with neither title nor unit, scores
such as 自评分数 96.53). Tables printed without a title are found by `untitled`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import Row, Table
from ..money import UNIT_FACTORS, AmountError, is_amount, parse_amount, printed_decimals
from .columns import header_paths, split_header, width_of
from .errors import Warnings
from .recognise import is_row_content, row_type_for
from .table_meta import table_meta

TABLE_ID = "unlisted_table"
_UNITS = "|".join(sorted(map(re.escape, UNIT_FACTORS), key=len, reverse=True))   # codelists/money_units.csv
UNIT_IN_CELL = re.compile(rf"[（(]\s*({_UNITS})\s*[)）]|单位[:：]\s*({_UNITS})")
UNIT_CELL_LENGTH = 30   # a longer cell is a sentence, whose units are its own figures'


def cell_unit(text: str) -> str | None:
    """The money unit a short text cell prints in brackets or after 单位： (资金情况（万元）, 金额(元), 单位：万元;
    units of codelists/money_units.csv), else None."""
    text = text.strip()
    if not text or len(text) > UNIT_CELL_LENGTH or is_amount(text):
        return None
    match = UNIT_IN_CELL.search(text)
    return (match.group(1) or match.group(2)) if match else None


@dataclass
class Part:
    """A printed part of a table outside the catalog, shaped as `segment.Segment` is for
    `keep_unlisted`: its title, the index of its title line, the index after its last line, and
    its lines under the title."""
    title: str
    title_line: int
    end: int
    lines: list


def runs_of(lines, unlisted) -> list[list]:
    """The segments of `unlisted` grouped into tables: a table printed page by page under its
    title repeated (same title, within a few lines of the previous part) is one run; a table printed
    without a title (`untitled`) is a run of its own."""
    runs: list[list] = []
    for segment in unlisted:
        if runs and segment.title and runs[-1][-1].title == segment.title and runs[-1][-1].end >= segment.title_line - 8:
            runs[-1].append(segment)
        else:
            runs.append([segment])
    return runs


def keep_unlisted(lines, unlisted, used: set, read_rows, warnings: Warnings, default_unit: str = "元",
                  first_number: int = 1) -> list[Table]:
    """The tables of `unlisted` (segments whose title names no catalog table, from
    `segment.find_segments(lines, unlisted)`) as Tables named unlisted_table_N (N from
    `first_number`, in printed order); `read_rows` turns a segment's lines into CellRows (the
    document's layout). Their lines are marked `used` (they are not narrative). One warning per
    table with its title and pages; a table with no cell is warned about and not kept."""
    tables = []
    number = first_number
    for run in runs_of(lines, unlisted):
        first = lines[run[0].title_line]
        named = f"table '{run[0].title}'" if run[0].title else f"a table printed without a title (header '{' | '.join(first.text.split())}')"
        table = build_unlisted(run, read_rows, default_unit, f"{TABLE_ID}_{number}", warnings)
        if not table.rows and run[0].title and run[0].title != first.text.strip("\t "):
            continue   # a sentence pointing to a table below (…详细情况见下表：) with no rows under it stays narrative
        for segment in run:
            used.update(range(segment.title_line, segment.end))
        pages = sorted({lines[s.title_line].page for s in run if lines[s.title_line].page}
                       | {line.page for s in run for line in s.lines if line.page})
        on = f" (printed on pages {pages[0]}–{pages[-1]})" if len(pages) > 1 else ""
        count = sum(len(s.lines) for s in run)
        table.first_line, table.pages = first.no, pages
        table.last_line = max((s.lines[-1].no for s in run if s.lines), default=first.no)
        if not table.rows:
            warnings.add(f"{named} is not in the table catalog (codelists/tables.csv); its "
                         f"{count} lines hold no table row (only its title, unit or header): nothing was kept{on}", first.no, page=first.page)
            continue
        cells_in_rows = max(row.values["row_number"] for row in table.rows)
        warnings.add(f"{named} is not in the table catalog (codelists/tables.csv); it was kept as "
                     f"{table.name} ({cells_in_rows} rows, {len(table.rows)} cells){on}", first.no, page=first.page)
        tables.append(table)
        number += 1
    return tables


def header_rows(rows) -> tuple[list, list]:
    """The leading header rows of a table outside the catalog and the rest: the header
    vocabulary knows only the catalog's columns, so the header is read as the rows above the first
    row printing row content (an amount, a code, a numbered label: `recognise.is_row_content`) or
    led by a total (合计); a part printing no row content at all is split by `columns.split_header`."""
    count = 0
    while count < len(rows) and not any(is_row_content(c) for c in rows[count].filled) \
            and row_type_for(rows[count].cells[0]) == "item":   # a row led by 合计 is the total row
        count += 1
    if count == len(rows):
        return split_header(rows)
    return rows[:count], rows[count:]


def build_unlisted(run, read_rows, default_unit: str, name: str, warnings: Warnings) -> Table:
    """One unlisted table from its segments (one per printed part): unit lines and notes are
    taken out (`tables.table_meta`), the header rows of the first part that prints one give the
    column headers, and every other filled cell becomes a row."""
    table = Table(table_id=TABLE_ID, name=name, printed_title=run[0].title or None)
    header: list = []
    body = []
    unit, decimals, notes = None, None, []
    for segment in run:
        rows, meta = table_meta(read_rows(segment.lines))
        unit = unit or meta["unit"]
        decimals = decimals if decimals is not None else meta["decimals"]
        notes.extend(meta["notes"])
        head, rest = header_rows(rows)
        if head and not header:
            header = head
        body.extend(rest)
    width = max(width_of(header), width_of(body))
    paths = header_paths([row.cells for row in header], width) if header else [[] for _ in range(width)]
    # a unit printed in the table's cells (资金情况（万元）) when no unit line is: the table's, if it prints only one;
    # a column whose header prints a unit (金额（万元） | 单价（元）) reads its amounts in it
    printed_units = {u for row in [*header, *body] for c in row.cells for u in [cell_unit(c)] if u}
    unit = unit or (next(iter(printed_units)) if len(printed_units) == 1 else None)
    column_units = {k: next((u for c in reversed(path) for u in [cell_unit(c)] if u), None) for k, path in enumerate(paths, 1)}
    table.money_unit = unit or default_unit
    table.note = "\n".join(notes) or None
    printed = []
    read_in: Counter = Counter()   # unit -> amounts read in it
    read_columns: dict[str, set] = {}   # unit -> the columns of those amounts
    # a table whose amounts print decimals prints its counts (数量 1, 人数 12) as bare integers: those stay text
    with_decimals = any(is_amount(c) and printed_decimals(c) for r in body for c in r.cells)
    # a table printed without a title nor a unit (项目名称 | 自评分数) prints numbers of no known kind: they stay text
    money = bool(run[0].title) or unit is not None
    for number, row in enumerate((r for r in body if r.filled), start=1):
        at = next((i for i, c in enumerate(row.cells) if c.strip() and not is_amount(c)), None)
        label = row.cells[at].strip() if at is not None else row.filled[0]
        row_type = row_type_for(label)
        for column, cell in enumerate(row.cells, start=1):
            cell = cell.strip()
            if not cell:
                continue
            values = {"row_number": number, "column_number": column,
                      "column_header": "/".join(paths[column - 1]) if column <= len(paths) and paths[column - 1] else None,
                      "item": label}
            count = with_decimals and cell.isdigit() and cell != "0"
            if money and is_amount(cell) and (at is None or column - 1 > at) and not count and not (len(cell) > 1 and cell[0] == "0" and cell[1].isdigit()):
                # cells left of the row's label are its codes (科目编码 …), never amounts
                try:
                    values["amount"] = parse_amount(cell, column_units.get(column) or table.money_unit)
                    printed.append(printed_decimals(cell))
                    read_in[column_units.get(column) or table.money_unit] += 1
                    read_columns.setdefault(column_units.get(column) or table.money_unit, set()).add(column)
                except AmountError:
                    values["text"] = cell
            else:
                values["text"] = cell
            table.rows.append(Row(row_id=f"{number}|{column}", row_type=row_type, values=values,
                                  source_line=row.line, source_page=row.page))
    table.money_decimals = decimals if decimals is not None else (max(printed) if printed else None)
    if read_in:
        table.money_unit = read_in.most_common(1)[0][0]   # the unit of most of its amounts
    if len(read_in) > 1:
        how = "; ".join(f"in {u}: column(s) {', '.join(map(str, sorted(read_columns[u])))}" for u, _ in read_in.most_common())
        warnings.add(f"table '{table.printed_title}' ({name}) prints its amounts in several units, each column's in the unit "
                     f"its header prints ({how}); its moneyUnit is {table.money_unit}, the unit of most of them",
                     body[0].line if body else None)
    if unit is None and not printed:
        table.money_unit = None   # no unit printed and no amount read (a list of units, of names): no money unit
    for column in ("row_number", "column_number", "column_header", "item", "text", "amount"):
        if any(column in row.values and row.values[column] is not None for row in table.rows):
            table.add_column(column)
    return table
