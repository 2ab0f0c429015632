"""A table's rows once read: row ids and grand totals (`finish_rows`, `row_key`), and the parts
of a table printed in several pieces made one (`merge_table`)."""
from __future__ import annotations

from functools import lru_cache

from ..model import Row, Table
from .columns import CODE_FIELDS
from .panels import PANEL_KEY, order_panels
from .recognise import header_key


def finish_rows(table: Table) -> None:
    """Row ids, and total rows: a table with no printed 总计 has its last 合计 rows as totals. The rows
    of a table printed in side-by-side panels are put panel by panel first, each ending on its own
    subtotal (none of them is the table's total). A table outside the catalog (unlisted_table_N) keeps
    its row ids row|column."""
    if table.name:
        return
    if PANEL_KEY in table.derived:
        order_panels(table, table.derived[PANEL_KEY])
    if not any(r.row_type == "total" for r in table.rows) and PANEL_KEY not in table.derived:   # panels: one subtotal each
        for side in {r.values.get("side") for r in table.rows}:
            side_rows = [r for r in table.rows if r.values.get("side") == side]
            last_subtotal = next((r for r in reversed(side_rows) if r.row_type == "subtotal"), None)
            if last_subtotal is not None and last_subtotal is side_rows[-1]:
                last_subtotal.row_type = "total"
    seen: dict[str, int] = {}
    for row in table.rows:
        base = row_key(row)
        seen[base] = seen.get(base, 0) + 1
        row.row_id = base if seen[base] == 1 else f"{base}#{seen[base]}"


def warn_unnamed_rows(tables: dict[str, Table], warnings) -> None:
    """One warning per table whose rows have no `item` (their label) where the table's schema requires one: the
    converter could not name them (cells read under the wrong header, a form read as a grid). Such rows are kept as
    read (their row ids fall back to row, row#2 …), never silently: the warning gives the page and line of each
    (the first eight)."""
    from ..standard import load_standard
    standard = load_standard()
    for table in tables.values():
        try:
            required = standard.field_descriptor(table.table_id, "item").get("constraints", {}).get("required")
        except (KeyError, ValueError):
            continue
        unnamed = [r for r in table.rows if not str(r.values.get("item") or "").strip()]
        if not required or not unnamed:
            continue
        places = [f"page {r.source_page} line {r.source_line}" if r.source_page else f"line {r.source_line}" for r in unnamed[:8]]
        warnings.add(f"{len(unnamed)} row(s) whose label (item) could not be read; kept unnamed as "
                     f"{', '.join(r.row_id or 'row' for r in unnamed[:3])}{' …' if len(unnamed) > 3 else ''}: "
                     f"{', '.join(places)}{' …' if len(unnamed) > 8 else ''}",
                     unnamed[0].source_line, table.key, unnamed[0].source_page)


def unit_heads(rows: list[Row], unit_name: str | None) -> None:
    """Rows labelled with the unit name printed over the table (单位名称：…) that head item rows below them (a
    project table listing the unit, then its projects) are subtotals, not items beside their own rows; a unit
    row with no item row under it, or one printing a unit code (a table with a unit column, whose unit rows are
    read by their code), stays an item. Changes the rows' row_type in place."""
    key = header_key(unit_name or "")
    if not key:
        return
    for n, row in enumerate(rows):
        if row.row_type == "item" and header_key(row.values.get("item") or "") == key and not row.values.get("side") \
                and not row.values.get("unit_code"):
            below = next((r for r in rows[n + 1:] if r.values.get("side") == row.values.get("side")), None)
            if below is not None and below.row_type == "item":
                row.row_type = "subtotal"


@lru_cache(maxsize=1)
def _listed_lines() -> frozenset[str]:
    """The lines of the tables lined when read (codelists/three_public_lines.csv): their rows keep ids by line."""
    from ..standard import load_standard
    codelist = load_standard().codelists.get("three_public_lines")
    return frozenset(row["code"] for row in (codelist.rows if codelist else []))


def row_key(row: Row) -> str:
    """The base row id of a row (before #2, #3 … are added for repeats): in a table of lines, the line after the
    row's unit, printed group and period (深圳市审计局/2026年/reception); total for the grand total
    of a one-sided table, else the row's codes joined with |, else its project (code or name,
    with the indicator or item), else its unit code, else its label's header key (row when
    empty); followed by /period where the row prints one (深圳市审计局/2026年); prefixed with
    side/ in two-sided tables."""
    values = row.values
    side = values.get("side")
    if row.row_type == "total" and not side and values.get("line") not in (None, "", *_listed_lines()):
        return "total"   # the grand total of a table whose lines are assigned after ids (机关运行经费's 合计): as converted
    if values.get("line"):   # a table of lines (the 三公 table): unit / printed group / period / line
        label = values.get("item") or ""
        parts = (values.get("unit_code") or header_key(values.get("unit_name") or ""),
                 header_key(label.rsplit(" / ", 1)[0]) if " / " in label else "", header_key(values.get("period") or ""))
        return "/".join(p for p in (*parts, values["line"]) if p)
    if row.row_type == "total" and not side:
        return "total"
    codes = [values.get(k) for k in CODE_FIELDS if values.get(k)]
    if codes:
        key = "|".join(codes)
    elif values.get("project_code") or values.get("project_name"):
        key = values.get("project_code") or values.get("project_name")
        item = header_key(values.get("item") or "")
        if values.get("indicator_level3"):
            key += "/" + values["indicator_level3"]
        elif item and item != header_key(values.get("project_name") or ""):
            key += "/" + item  # the project's funding, goal and total rows
    elif values.get("unit_code"):
        key = values["unit_code"]
    else:
        key = header_key(values.get("item") or "") or "row"
    if values.get("period"):
        key += "/" + header_key(values["period"])
    return f"{side}/{key}" if side else key


def merge_table(tables: dict[str, Table], table: Table) -> None:
    """A table printed in several parts (page breaks, one block per project) is one table. A
    first part without rows (a heading naming the table above its printed title) does not
    decide the money unit and decimals: the first part with rows does."""
    existing = tables.get(table.key)
    if existing is None:
        tables[table.key] = table
        return
    if not existing.rows and table.rows:
        existing.money_unit, existing.money_decimals = table.money_unit, table.money_decimals
    existing.rows.extend(table.rows)
    if PANEL_KEY in table.derived:
        existing.derived.setdefault(PANEL_KEY, {}).update(table.derived[PANEL_KEY])
    for column in table.columns:
        existing.add_column(column)
    existing.last_line = table.last_line or existing.last_line
    existing.pages = sorted(set(existing.pages) | set(table.pages))
    if table.note:
        existing.note = "\n".join(filter(None, [existing.note, table.note]))
