"""Rounding (issue #14): a printed whole that differs from the sum of its printed parts by a
non-zero amount that the rounding of the figures explains, and the exactness owed by one
figure printed in two places.

Each figure printed with d decimals in unit U is the exact amount rounded to ±h, h = half a
unit of its last digit (`rules.table_tolerance`). A whole printed beside n printed parts, all
rounded from exact amounts that add up, differs from their sum by at most (n + 1)·h. So:

- gap 0: the identity holds;
- 0 < |gap| ≤ (n + 1)·h: rule `rounding` (info) — the printed parts do not add up to the
  printed whole, by what rounding explains (with whole units of the last digit, at most
  n/2 of them);
- beyond: the identity's own error rule (sum.*, across.*), as before the rule existed.

One figure printed in two tables with the same precision is one rounded amount: any
difference is the error rule (`across_kind`, slack 0). Where one side is a sum of rows, or
the two print with different precision (万元 with two decimals against 元), the difference
within their rounding is `rounding` unless the finer one rounded to the coarser digit is it.
"""
from __future__ import annotations

from decimal import Decimal

from ...model import Row, Table
from ..rules import Context, printed

EXACT, ROUNDING, ERROR = "exact", "rounding", "error"
MAX_PARTS_SHOWN = 12


def gap_kind(diff: Decimal, parts: int, tol: Decimal, slack: int = 1) -> str:
    """EXACT when `diff` is 0, ROUNDING when |diff| ≤ (`parts` + `slack`) × `tol` (what the
    rounding of `parts` printed parts and, with `slack` 1, of the printed whole, each to ±`tol`,
    explains), else ERROR. `slack` 0: a figure compared with one other figure printed with the
    same precision (parts 1) must equal it."""
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
    when they are columns ('基本支出 + 项目支出'). One finding per row and identity: a second
    column of the same row off by rounding is added to the first finding (its message names
    every column, its measure lists them 'total, general_budget'; expected, found and difference,
    which belong to one column, are then left out)."""
    diff = total - value
    unit = printed(total, table).rsplit(" ", 1)[-1]
    bound = printed(tol * len(parts), table, unit=unit)
    listed = f"{names} = " if names else ""
    column = (f"{title} 印刷为 printed {printed(total, table)}，{listed}{amounts_text(parts, table)} = {printed(value, table)}"
              f"（差 gap {printed(diff, table)}，{len(parts)} 项 parts，舍入可解释 within rounding ≤ {bound}）")
    english = f"{title}: the printed parts add up to {printed(value, table)}, not to the printed {printed(total, table)}"
    key = (table.table_id, row.row_id, row.source_line, what) if row is not None else None
    seen = ctx.memo("rounding_by_row", dict)
    if row is not None and key in seen:
        finding, columns, sentences = seen[key]
        columns.append(column)
        sentences.append(english)
        finding.message = f"{what}：{'；'.join(columns)}。 {'; '.join(sentences)}."
        finding.measure = f"{finding.measure}, {measure}"
        finding.expected = finding.found = finding.difference = None
        return
    finding = ctx.add("rounding",
                      f"{what}：{column}。 The printed parts add up to {printed(value, table)}, not to the printed "
                      f"{printed(total, table)}.",
                      table=table, row=row, measure=measure, expected=value, found=total, difference=diff)
    seen[key] = (finding, [column], [english])
