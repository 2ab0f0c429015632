"""A performance-target list's 合计: 项目支出绩效目标表 prints each project's 资金总额 once per
indicator row; its 合计 row is the sum of the projects, each counted once."""
from __future__ import annotations

from decimal import Decimal

from ..rules import Context, amount_of, printed, table_tolerance
from .rounding import ERROR, ROUNDING, gap_kind

INDICATOR_FIELDS = ("goal", "indicator_level1", "indicator_level2", "indicator_level3")


def check_project_list_total(ctx: Context) -> None:
    """sum.performance-projects: the one 合计 row of 项目支出绩效目标表 (field total) against the
    sum of its projects' totals, a project (unit code + name) counted once. Nothing when the
    table prints years side by side, has no single 合计 row, or a project prints two different
    totals (the structure is not certain)."""
    table = ctx.tables.get("project_performance_targets")
    if table is None or len({row.values.get("period") for row in table.rows}) > 1:
        return
    totals = [row for row in table.rows if row.row_type == "total"]
    if len(totals) != 1 or amount_of(totals[0], "total") is None:
        return
    projects: dict[tuple, Decimal] = {}
    for row in table.rows:
        name = row.values.get("project_name")
        if row.row_type != "item" or not name or not any(row.values.get(f) for f in INDICATOR_FIELDS):
            continue
        value = amount_of(row, "total")
        if value is None:
            continue
        key = (row.values.get("unit_code"), str(name).strip())
        if projects.setdefault(key, value) != value:
            return
    if len(projects) < 2:
        return
    whole = amount_of(totals[0], "total")
    found = sum(projects.values(), Decimal(0))
    diff = whole - found
    tol = table_tolerance(table, ctx.money_unit)
    kind = gap_kind(diff, len(projects), tol)
    if kind == ERROR:
        ctx.add("sum.performance-projects",
                f"合计 {printed(whole, table)}，{len(projects)} 个项目的资金总额之和 {printed(found, table)}"
                f"（差 {printed(diff, table)}）。 The 合计 of the project performance-target list is not the sum "
                f"of its projects' totals (each project counted once).",
                table=table, row=totals[0], measure="total", expected=found, found=whole, difference=diff)
    elif kind == ROUNDING:
        ctx.add("rounding",
                f"合计 {printed(whole, table)}，{len(projects)} 个项目之和 {printed(found, table)}（差 {printed(diff, table)}，"
                f"舍入可解释 within rounding）。", table=table, row=totals[0], measure="total", expected=found,
                found=whole, difference=diff)
