"""Rounding (issue #14): a printed whole that differs from the sum of its printed parts by a
non-zero amount that the rounding of the parts explains, and the exactness owed by one
figure printed in two places.

Each figure printed with d decimals in unit U is the exact amount rounded to ±h, h = half a
unit of its last digit (`rules.table_tolerance`). A whole printed beside n printed parts, all
rounded from exact amounts that add up, differs from their sum by less than (n + 1)·h; the
gap being a whole number of units (2h), that is at most n·h. So:

- gap 0: the identity holds;
- 0 < |gap| ≤ n·h: rule `rounding` (info) — the printed parts do not add up to the printed
  whole, by what rounding the parts explains;
- |gap| > n·h: the identity's own error rule (sum.*, across.*), as before.

One figure printed in two tables with the same precision is one rounded amount: any
difference is the error rule. Where the two print with different precision (万元 with two
decimals against 元, or a sum of rows against one figure) the coarser side is known to its
own rounding only, and a difference within it is `rounding`.
"""
from __future__ import annotations

from decimal import Decimal

from ...model import Row, Table
from ..rules import Context, printed

EXACT, ROUNDING, ERROR = "exact", "rounding", "error"
MAX_PARTS_SHOWN = 12


def gap_kind(diff: Decimal, parts: int, tol: Decimal, slack: int = 1) -> str:
    """EXACT when `diff` is 0, ROUNDING when |diff| ≤ `parts` × `tol` (what the rounding of
    `parts` printed parts, each to ±`tol`, explains), else ERROR. `slack`: how many more
    halves are accepted as rounding before calling it an error (1: the bound (n + 1)·tol used
    before the rule existed, kept for figures whose printed precision is not certain)."""
    if diff == 0:
        return EXACT
    if abs(diff) <= tol * (parts + slack):
        return ROUNDING
    return ERROR


def amounts_text(values: list[Decimal], table: Table) -> str:
    """'136,131.77 + 435,216.17' in the table's unit, without the unit; long lists cut after
    MAX_PARTS_SHOWN figures ('… 19 项 parts')."""
    shown = [printed(v, table).rsplit(" ", 1)[0] for v in values[:MAX_PARTS_SHOWN]]
    text = " + ".join(shown)
    if len(values) > MAX_PARTS_SHOWN:
        text += f" + …（共 {len(values)} 项 parts）"
    return text


def add_rounding(ctx: Context, table: Table, row: Row | None, measure: str, total: Decimal, parts: list[Decimal],
                 value: Decimal, tol: Decimal, what: str, title: str, names: str = "") -> None:
    """Record a `rounding` finding: `what` (the identity and the row, for the message), the
    printed `total` of `measure` (`title`: its printed name) on `row`, the printed `parts` and
    their sum `value`, the gap and the bound (len(parts) × `tol`). `names`: the parts' names
    when they are columns ('基本支出 + 项目支出')."""
    diff = total - value
    unit = printed(total, table).rsplit(" ", 1)[-1]
    bound = printed(tol * len(parts), table, unit=unit)
    listed = f"{names} = " if names else ""
    ctx.add("rounding",
            f"{what}：{title} 印刷为 printed {printed(total, table)}，"
            f"{listed}{amounts_text(parts, table)} = {printed(value, table)}"
            f"（差 gap {printed(diff, table)}，{len(parts)} 项 parts，舍入可解释 within rounding ≤ {bound}）。"
            f" The printed parts add up to {printed(value, table)}, not to the printed {printed(total, table)}.",
            table=table, row=row, measure=measure, expected=value, found=total, difference=diff)
