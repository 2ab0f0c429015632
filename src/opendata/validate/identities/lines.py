"""The accounting identities of a table whose rows are a fixed list of lines (the “三公” table:
codelists/three_public_lines.csv, field `line`): the lines of one row group (a unit, a year, or the
table's 合计) are put side by side as one row, each line's measures under the column measure the
code list names for it (overseas_travel, reception_budget …), and that view is checked as the
table printed with the lines as columns is: the row identities of identities.csv (total =
overseas_travel + vehicle + reception …, vehicle = vehicle_purchase + vehicle_operation) and a
unit's rows adding up to the 合计. Rows printing general_budget are checked for the sources of funds.
A table whose 合计 holds 会议费 and 培训费 (line total_with_meeting_training) is viewed as printed: that
合计 in column total, the “三公” total (line total) in column three_public, its 小计."""
from __future__ import annotations

from dataclasses import replace

from ...model import Row, Table
from .across import current_period

LIST = "three_public_lines"
COLUMN_MEASURES = (("column", "total"), ("budget_column", "budget_initial"),
                   ("government_fund_column", "government_fund"), ("state_capital_column", "state_capital"))
GROUP_FIELDS = ("unit_code", "unit_name", "period")
TOTAL_ONLY = ("budget_full_year",)
GRAND = "total_with_meeting_training"   # the line of a 合计 holding 会议费 and 培训费 beside the “三公” total
SUBTOTAL = "three_public"   # the column of the “三公” total printed as the 小计 under such a 合计   # measures of the total line that are columns of their own when lines are columns


def lines_of(standard, table_id: str) -> list[dict]:
    """The rows of codelists/three_public_lines.csv for table `table_id` ([] for a table without lines)."""
    codelist = standard.codelists.get(LIST)
    return [row for row in (codelist.rows if codelist else []) if row["table"] == table_id]


def lines_side_by_side(standard, table: Table) -> Table | None:
    """`table` as if printed with its lines as columns (module doc), None when it has no lines."""
    lines = lines_of(standard, table.table_id)
    if not lines or not any(row.values.get("line") for row in table.rows):
        return None
    name = {(row["code"], measure): row[column] for row in lines for column, measure in COLUMN_MEASURES if row[column]}
    top = "total"
    if any(row.values.get("line") == GRAND for row in table.rows):
        top = GRAND
        name = {**{(line, m): c for (line, m), c in name.items() if line != "total"},
                **{(GRAND, m): c for (line, m), c in name.items() if line == "total"}, ("total", "total"): SUBTOTAL}
    groups: dict[tuple, Row] = {}
    for row in table.rows:
        line = row.values.get("line")
        if not line:
            continue
        item = row.values.get("item") or ""
        prefix = item.rsplit(" / ", 1)[0] if " / " in item else ""
        key = (*(row.values.get(k) for k in GROUP_FIELDS), prefix)
        view = groups.get(key)
        if view is None:
            label = prefix or row.values.get("unit_name") or row.values.get("unit_code") or "合计"
            view = groups[key] = Row(row.row_id, "item", {**{k: row.values[k] for k in GROUP_FIELDS if row.values.get(k)},
                                                          "item": label}, row.source_line, row.source_page)
        for measure, value in row.values.items():
            column = name.get((line, measure)) or (measure if line == top and measure in TOTAL_ONLY else None)
            if column and value is not None:
                view.values[column] = value
        if line == top:
            view.row_id, view.source_line, view.source_page = row.row_id, row.source_line, row.source_page
            view.row_type = "total" if row.row_type == "total" else "item"
    columns = [*GROUP_FIELDS, "item", *dict.fromkeys(k for v in groups.values() for k in v.values if k not in (*GROUP_FIELDS, "item"))]
    return replace(table, rows=list(groups.values()), columns=columns, derived={})


def funded_rows(table: Table) -> Table:
    """The rows of `table` that print general_budget (the sources of funds of a line as rows), as a table."""
    return replace(table, rows=[row for row in table.rows if row.values.get("general_budget") is not None], derived={})


def own_rows(table: Table | None, rows: list[Row]) -> list[Row]:
    """Of `rows` (rows of one line of `table`), those of the table itself: without unit_code / unit_name
    where it lists units (all of them where every row names a unit), and of the document's own period
    where the table prints several (`across.current_period`; none when that is not known)."""
    rows = [row for row in rows if not (row.values.get("unit_code") or row.values.get("unit_name"))] or rows
    if any(row.values.get("period") for row in rows):   # even one row: it may be the year before's
        current = current_period([row.values.get("period") for row in table.rows])
        rows = [row for row in rows if current is not None and row.values.get("period") == current]
    return rows


def line_row(table: Table | None, line: str) -> Row | None:
    """The row of `line` (field line: the 三公 table's total, three_public …) for the whole table: of the
    rows of that line, the table's own (`own_rows`), else the one of type total; None when that leaves
    more than one or none."""
    rows = own_rows(table, [row for row in (table.rows if table else []) if row.values.get("line") == line])
    if len(rows) > 1:
        rows = [row for row in rows if row.row_type == "total"]
    return rows[0] if len(rows) == 1 else None
