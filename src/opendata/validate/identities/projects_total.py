"""Performance tables against the accounts: 项目支出绩效目标表 prints each project's 资金总额 once per
indicator row; its 合计 row is the sum of the projects, each counted once; the projects, being the
department's, can not add up to more than it spends; and 部门整体支出绩效目标表's 资金总额 is the
department's expenditure."""
from __future__ import annotations

import re
from decimal import Decimal

from ..rules import Context, amount_of, printed, table_tolerance
from .across import total_row
from .rounding import ERROR, ROUNDING, gap_kind

INDICATOR_FIELDS = ("goal", "indicator_level1", "indicator_level2", "indicator_level3")


def listed_projects(ctx: Context, table) -> dict[tuple, tuple[Decimal, object]] | None:
    """The projects of 项目支出绩效目标表 (unit code and name -> (资金总额 in 元, first row)):
    item rows printing an indicator, each project counted once; a row named like a unit of the
    package (the descriptor's unit, a unit_name printed in any table) is a unit's line, not a
    project, and left out. None when a project prints two different totals (the structure is not
    certain)."""
    units = {str((ctx.descriptor.get("unit") or {}).get("name") or "").strip()}
    for other in ctx.tables.values():
        if "unit_name" in other.columns:
            units |= {str(row.values["unit_name"]).strip() for row in other.rows if row.values.get("unit_name")}
    projects: dict[tuple, tuple[Decimal, object]] = {}
    for row in table.rows:
        name = str(row.values.get("project_name") or "").strip()
        if row.row_type != "item" or not name or name in units or not any(row.values.get(f) for f in INDICATOR_FIELDS):
            continue
        value = amount_of(row, "total")
        if value is None:
            continue
        if projects.setdefault((row.values.get("unit_code"), name), (value, row))[0] != value:
            return None
    return projects


def check_project_list_within(ctx: Context) -> None:
    """across.performance-projects: the projects of 项目支出绩效目标表 are projects of the department,
    so their 资金总额 (each project once, `listed_projects`) add up to at most its project
    expenditure (支出总表 合计 row, 项目支出 column). Where the list may also hold basic expenditure
    (a list of every budget line) that bound is not certain: the finding is made only when the sum
    exceeds the department's whole expenditure (支出总表 合计), beyond the rounding of the summed
    figures. Nothing when the table prints years side by side or its structure is not certain."""
    table = ctx.tables.get("project_performance_targets")
    exp = ctx.tables.get("expenditure_summary")
    if table is None or exp is None or len({row.values.get("period") for row in table.rows}) > 1:
        return
    whole_row = total_row(exp)
    projects = listed_projects(ctx, table)
    if whole_row is None or not projects or len(projects) < 2:
        return
    whole, project = amount_of(whole_row, "total"), amount_of(whole_row, "project")
    if whole is None:
        return
    found = sum((value for value, _ in projects.values()), Decimal(0))
    slack = table_tolerance(table, ctx.money_unit) * len(projects) + table_tolerance(exp, ctx.money_unit)
    if not ctx.identity(found <= whole + slack):
        bound = project if project is not None else whole
        first = next(iter(projects.values()))[1]
        ctx.add("across.performance-projects",
                f"项目支出绩效目标表 {len(projects)} 个项目的资金总额之和 {printed(found, table)}，大于支出总表「合计」"
                f"{printed(whole, exp)}" + (f"（其中项目支出 {printed(project, exp)}）" if project is not None else "")
                + f"（多 {printed(found - bound, table)}）。 The projects of the performance-target list add up to more "
                f"than the department spends in all; at most its project expenditure was expected.",
                table=table, row=first, measure="total", expected=bound, found=found, difference=found - bound)


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
    listed = listed_projects(ctx, table)
    if listed is None:
        return
    projects = {key: value for key, (value, _) in listed.items()}
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


# the row of 部门整体支出绩效目标表 that states the department's whole funding (资金总额, 总体资金情况, 预算支出总额 …)
WHOLE_FUNDING = re.compile(r"^(?:部门)?(?:资金总额|总体资金(?:情况)?|预算支出总额|年度资金总额|部门预算总额|资金总计)")


def check_department_total(ctx: Context) -> None:
    """across.department-performance-total: the 资金总额 that 部门整体支出绩效目标表 prints (its row labelled 资金总额 /
    总体资金情况 / 预算支出总额 …, field total) is the department's expenditure, as 收支总表 prints it: 本年支出合计,
    or 支出总计 with the year-end carry-over (both conventions are printed, e.g. corpus 010 uses 支出总计), or 支出总表's
    合计. A warning when it equals none of them beyond the rounding of both figures. Nothing when the table prints no
    such row or the summaries print none of those figures."""
    table = ctx.tables.get("department_performance_targets")
    if table is None:
        return
    row = next((r for r in table.rows if WHOLE_FUNDING.match(re.sub(r"\s", "", str(r.values.get("item") or "")))
                and amount_of(r, "total") is not None), None)
    if row is None:
        return
    stated = amount_of(row, "total")
    candidates = []
    ies = ctx.tables.get("income_expenditure_summary")
    for other in ies.rows if ies is not None else []:
        if other.values.get("line") in ("current_year_expenditure", "total_expenditure") and amount_of(other, "total") is not None:
            candidates.append((ies, other, amount_of(other, "total")))
    exp = ctx.tables.get("expenditure_summary")
    whole_row = total_row(exp)
    if whole_row is not None and amount_of(whole_row, "total") is not None:
        candidates.append((exp, whole_row, amount_of(whole_row, "total")))
    if not candidates:
        return
    tol = table_tolerance(table, ctx.money_unit)
    if ctx.identity(any(abs(stated - value) <= tol + table_tolerance(t, ctx.money_unit) for t, _, value in candidates)):
        return
    t, other, value = min(candidates, key=lambda c: abs(stated - c[2]))
    ctx.add("across.department-performance-total",
            f"部门整体支出绩效目标表「{row.values.get('item')}」{printed(stated, table)}，与 {t.table_id}「{other.values.get('item')}」"
            f"{printed(value, t)} 不符（差 {printed(stated - value, table)}），也不等于收支总表的本年支出合计或支出总计。"
            f" The department performance table's whole funding is none of the department's expenditure totals.",
            table=table, row=row, measure="total", expected=value, found=stated, difference=stated - value)
