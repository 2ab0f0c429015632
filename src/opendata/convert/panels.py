"""Side-by-side panels: one table printed as two (or more) lists next to each other.

A header that repeats the same group of columns side by side (经济分类科目编码 | 科目名称 | 金额 under
人员经费, then again under 公用经费) prints a separate list in each group: each printed line
holds one row of every panel, and the rows of a panel have nothing to do with the row beside
them. Each panel is read as its own block of rows, with its own codes, labels, amounts and total
row; the amount column of a panel headed by a measure of the table (人员经费 → personnel) is
that measure.
"""
from __future__ import annotations

from dataclasses import replace

from ..standard import TableSpec
from .columns import Column, classify, side_of
from .recognise import header_key, match_measure, row_type_for

PANEL_KEY = "convert.panel"  # Table.derived key: id(row) -> the panel (0, 1 …) the row was printed in


def _signature(column: Column) -> tuple:
    if column.kind == "measure":
        return ("measure",)
    return (column.kind, column.name)


def find_panels(columns: list[Column], spec: TableSpec) -> list[list[Column]] | None:
    """The panels of a one-sided table: `columns` (left to right) cut into k >= 2 runs of equal
    width whose columns mean the same, in the same order (the kind of each column, and the field
    of each label or code column), each run holding a label or code column and an amount column.
    None for a two-sided table (its halves are income and expenditure, read by side) and for a
    header that does not repeat. Columns without a header go with the last panel (their cells are
    reported as not converted)."""
    if spec.two_sided:
        return None
    used = [c for c in columns if c.kind != "unknown" or c.path]
    while used and not used[-1].path:
        used.pop()
    signature = [_signature(c) for c in used]
    n = len(signature)
    for width in range(2, n // 2 + 1):
        if n % width:
            continue
        if any(signature[i] != signature[i % width] for i in range(n)):
            continue
        first = signature[:width]
        if ("measure",) not in first or not any(kind == "dimension" for kind, *_ in first):
            continue
        panels = [used[start:start + width] for start in range(0, n, width)]
        placed = {id(c) for c in used}
        panels[-1] += [c for c in columns if id(c) not in placed]   # cells without a header: still reported, never skipped
        return panels
    return None


def panel_heading(panel: list[Column]) -> str | None:
    """The header cell printed over every column of a panel (人员经费), when there is one."""
    headed = [c for c in panel if c.path]
    tops = {c.path[0] for c in headed if len(c.path) > 1}
    return tops.pop() if len(tops) == 1 and all(len(c.path) > 1 for c in headed) else None


def name_panel_measures(panels: list[list[Column]], spec: TableSpec) -> list[str]:
    """Where the panels' headings name different measures of the table (人员经费, 公用经费 in a
    基本支出 table), each panel's amount columns are that measure instead of the generic one
    their own header words give (金额 → total). Updates the columns in place; returns the measures
    given to a panel's single amount column ([] when none)."""
    allowed = set(spec.measures)
    named = [match_measure([heading], allowed) if heading else None for heading in map(panel_heading, panels)]
    if None in named or len(set(named)) != len(named):
        return []
    given = []
    for panel, measure in zip(panels, named):
        amounts = [c for c in panel if c.kind == "measure"]
        if len(amounts) == 1:
            amounts[0].name = measure
            given.append(measure)
    return given


def panel_totals(table, measures: list[str], spec: TableSpec) -> None:
    """Rows of panels each printing one amount under a measure heading (`measures`, from
    `name_panel_measures`: 人员经费 | 公用经费 of a 基本支出决算表): that amount is also the row's main
    amount, `total`, as in the same table printed with a 合计 column (301 工资福利支出 649.20 under 人员经费:
    total and personnel 649.20). Nothing when the table prints a total column or does not have one.
    Changes `table` (its rows and columns) in place."""
    if not measures or "total" not in spec.measures or "total" in table.columns:
        return
    filled = False
    for row in table.rows:
        printed = [row.values[m] for m in measures if row.values.get(m) is not None]
        if len(printed) == 1:
            row.values["total"] = printed[0]
            filled = True
    if filled:
        table.columns.insert(min(table.columns.index(m) for m in measures if m in table.columns), "total")


def order_panels(table, panel_of: dict[int, int]) -> None:
    """Put a table's rows panel by panel (all rows of the first panel, then the second …), each
    in printed order; `panel_of` maps id(row) -> panel, rows not in it count as the first panel."""
    table.rows.sort(key=lambda row: panel_of.get(id(row), 0))


def panel_row_type(label: str, panel: list[Column], row_type: str) -> str:
    """The row type of a row of a panel: a label naming the panel's heading and then a total word
    (人员经费合计 under 人员经费) is the panel's subtotal: it sums that panel's rows only."""
    heading = panel_heading(panel)
    key, head = header_key(label), header_key(heading or "")
    if head and key.startswith(head) and row_type_for(key[len(head):]) != "item":
        return "subtotal"
    return row_type


def two_sided_as_printed(spec: TableSpec, paths: list[list[str]]) -> TableSpec:
    """`spec`, read as a two-sided table when the table carries the optional `side` field and its
    header prints an income side beside an expenditure side (收入 | 支出: a 政府性基金收支表 printing
    its income next to its expenditure), each side with its own label or code column (项目 under
    收入, 支出功能分类科目 under 支出); else `spec` unchanged. 本年收入 | 本年支出 heading only amount
    columns beside one code and name column (a 收入支出决算表 by function code) are measures of one
    list, not two sides."""
    if spec.two_sided or "side" not in spec.dimensions or not {"income", "expenditure"} <= {side_of(p) for p in paths}:
        return spec
    two_sided = replace(spec, two_sided=True)
    labelled = {c.side for c in classify(paths, two_sided) if c.kind in ("dimension", "code_part")}
    return two_sided if {"income", "expenditure"} <= labelled else spec
