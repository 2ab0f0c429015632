"""A part can not exceed its whole across tables: per 项 function code, what 一般公共预算支出表
prints (general-budget money only) is at most what 支出总表 prints (all funds). Both tables
may print a code several times (one row per unit): the rows of a code are summed."""
from __future__ import annotations

from ..rules import Context, printed
from .across import Quantity, all_general_budget, per_code, quantity, compare, tables_of, total_row
from .blocks import side_block
from .common import row_name


def check_general_within_all(ctx: Context) -> None:
    """across.general-within-all: for every 7-digit code printed by both tables, Σ 一般公共预算支出表
    total ≤ Σ 支出总表 total beyond what rounding of the summed figures explains. Nothing when
    either table prints its rows by period (years side by side), or when all income is general-budget
    money (across.function-codes compares the codes for equality then)."""
    exp = tables_of(ctx, "across.grand_totals")[2]
    gbe = tables_of(ctx, "across.appropriation_expenditure")[1]
    if exp is None or gbe is None:
        return
    ies, inc = tables_of(ctx, "across.grand_totals")[:2]
    if all_general_budget(ctx, side_block(ctx, ies, "income"), total_row(inc), inc):
        return   # the two tables must then agree code by code: across.function-codes
    for table in (exp, gbe):
        if len({row.values.get("period") for row in table.rows}) > 1:
            return
    whole, part = per_code(exp, ("total",)), per_code(gbe, ("total",))
    for code in sorted(set(whole) & set(part)):
        if "total" not in whole[code] or "total" not in part[code]:
            continue
        vw, nw, rw = whole[code]["total"]
        vp, np_, rp = part[code]["total"]
        a = Quantity(exp, rw, "total", vw, nw, code)
        b = Quantity(gbe, rp, "total", vp, np_, code)
        if vp - vw <= a.tolerance(ctx) + b.tolerance(ctx):
            continue
        ctx.add("across.general-within-all",
                f"{code}：{gbe.table_id} 一般公共预算 {printed(vp, gbe)}（{np_} 行 rows）大于 {exp.table_id} 全部资金 "
                f"{printed(vw, exp)}（{nw} 行 rows）。 The general-budget expenditure of a function code exceeds the "
                f"all-funds expenditure of the same code.",
                table=gbe, row=rp, measure="total", expected=vw, found=vp, difference=vp - vw)


def check_project_sources(ctx: Context) -> None:
    """across.project-expenditure, by source: the 一般公共预算 column of 项目支出表's total row is the
    general-budget project expenditure, the project column of 一般公共预算支出表's total row."""
    projects = ctx.tables.get("project_expenditure")
    gbe = tables_of(ctx, "across.appropriation_expenditure")[1]
    if projects is None or gbe is None or "general_budget" not in projects.columns or "project" not in gbe.columns:
        return
    mine, theirs = total_row(projects), total_row(gbe)
    if mine is None or theirs is None:
        return
    compare(ctx, "across.project-expenditure", quantity(gbe, theirs, "project", row_name(theirs)),
            quantity(projects, mine, "general_budget", row_name(mine)), "一般公共预算项目支出 general-budget project expenditure")
