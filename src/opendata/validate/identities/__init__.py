"""Layer 3, accounting identities: what a disclosure's figures must satisfy among
themselves, within the precision they were printed with.

- row: a row's total equals the sum of its parts (basic + project, personnel + public
  use, the economic classes, the kinds of project, the sources of funds, the 三公 parts);
- hierarchy: a 类 equals the sum of its 款, a 款 the sum of its 项 (function and
  economic codes), a unit the sum of its rows, a department the sum of its units, an
  outline row ("3、公务用车费") the sum of its numbered sub-rows;
- totals: a 合计 / 总计 row equals the sum of the rows it totals; in two-sided tables
  收入总计 equals 支出总计 and 本年收入合计 + 结转 equals 收入总计;
- across tables: the same quantity printed in two tables agrees.

Only what the table printed is compared: a whole that is empty is not checked; parts
left empty in a printed column count as zero, but a row with all its parts empty is not
checked (the table did not break it down). Two-sided tables and item lists are read by
their labels and numbering ('一、', '（一）', '1、', '其中：'); where the structure can not be
read with certainty, nothing is checked — a missed check costs less than a false one.
"""
from __future__ import annotations
from __future__ import annotations


from dataclasses import replace

from ...model import Table
from ..rules import Context, table_tolerance
from .across import Quantity, check_across, class_sums, total_row
from .blocks import analyse_block, check_balance, check_block, current_value_row, side_block
from .common import HIERARCHY_FIELDS, row_name
from .lines import funded_rows, line_row, lines_side_by_side
from .rows import check_row_identities
from .tree import check_coded_table
from .projects_total import check_department_total, check_project_list_total, check_project_list_within
from .within import check_general_within_all, check_project_sources

__all__ = ["Quantity", "check", "class_sums", "current_value_row", "line_row", "row_name", "side_block", "total_row"]


def check(ctx: Context) -> None:
    """Layer 3: every accounting identity of every money table of the package, then across tables."""
    for whole in ctx.tables.values():
        spec = ctx.standard.tables.get(whole.table_id)
        if spec is None or spec.kind != "money" or not whole.rows:
            continue
        for table in by_period(whole):
            check_table(ctx, table, spec)
    check_across(ctx)
    check_general_within_all(ctx)
    check_project_list_total(ctx)
    check_project_list_within(ctx)
    check_department_total(ctx)
    check_project_sources(ctx)


def by_period(table: Table) -> list[Table]:
    """The table as one table per period its rows print (field `period`: 上年, 当年, 增减变化情况 …,
    in printed order), each holding that period's rows only, so that rows are summed within
    their period, never across; the table itself when its rows print no period."""
    periods = list(dict.fromkeys(row.values.get("period") for row in table.rows))
    if len(periods) < 2:
        return [table]
    return [replace(table, rows=[row for row in table.rows if row.values.get("period") == period],
                    derived={k: v for k, v in table.derived.items() if k != "validation_tree"})   # each its own code tree
            for period in periods]


def check_table(ctx: Context, table: Table, spec) -> None:
    """The identities within one money table (or one period of it); a table of lines (the 三公 table) as if
    printed with its lines as columns (lines.py)."""
    tol = table_tolerance(table, ctx.money_unit)
    view = lines_side_by_side(ctx.standard, table)
    if view is not None:
        check_row_identities(ctx, funded_rows(table), tol)
        table = view
    check_row_identities(ctx, table, tol)
    if spec.two_sided or any(row.values.get("side") for row in table.rows):   # printed income beside expenditure
        for side in ("income", "expenditure"):
            block = side_block(ctx, table, side)
            if block is not None:
                check_block(ctx, table, block, tol)
        check_balance(ctx, table, tol)
    elif any(row.values.get(name) for row in table.rows for name in HIERARCHY_FIELDS):
        check_coded_table(ctx, table, tol)
    else:
        check_block(ctx, table, analyse_block(table, table.rows, None, ctx.fiscal_year), tol)
