"""What the identity checks share: the fields of the code hierarchy, names for messages,
and the check that a printed whole is the sum of printed parts."""
from __future__ import annotations

from decimal import Decimal

from ...model import Row, Table
from ..rules import CODE_FIELDS, Context, amount_of, printed, sum_values
from .rounding import ERROR, ROUNDING, add_rounding, gap_kind

HIERARCHY_FIELDS = (*CODE_FIELDS, "unit_code")


def measure_title(ctx: Context, measure: str) -> str:
    """The short Chinese title of a measure for messages (its id when unknown)."""
    spec = ctx.standard.measures.get(measure)
    return spec.title_zh.split(" / ")[0] if spec else measure


def row_name(row: Row) -> str:
    """A row's printed label (item or project name, else its row id) for messages."""
    text = row.values.get("item") or row.values.get("project_name") or row.row_id
    return str(text).strip()


def explain(diff: Decimal, candidates: list[tuple[Row, Decimal]], tol: Decimal, table: Table) -> str:
    """A hint when the difference equals one row's amount: that row is missing from, or extra to, the total."""
    matches = [(row, value) for row, value in candidates if value and abs(abs(diff) - abs(value)) <= tol]
    if len(matches) != 1:
        return ""
    row, value = matches[0]
    gap = abs(abs(diff) - abs(value))
    if gap == 0:
        same, same_en, maybe = f"差额正好等于「{row_name(row)}」行的 {printed(value, table)}", \
            f"The difference equals the row {row_name(row)!r}", ""
    else:  # equal within rounding only: say so, never "exactly"
        same = (f"差额 {printed(abs(diff), table)} 与「{row_name(row)}」行的 {printed(value, table)} "
                f"仅差 {printed(gap, table)}（舍入误差之内）")
        same_en, maybe = f"The difference is within rounding ({printed(gap, table)}) of the row {row_name(row)!r}", "可能"
    if diff > 0:
        return f"{same}：该行{maybe}未计入合计。 {same_en}: the total {maybe and 'may '}not include it.".replace(
            "total not", "total does not")
    return (f"{same}：合计{maybe}多出了该行。"
            f" {same_en}: the total {maybe and 'may '}count{'' if maybe else 's'} it although it is not printed among the parts.")



def check_sum(ctx: Context, table: Table, whole: Row, parts: list[Row], measure: str, tol: Decimal, rule: str,
               what, at_most: bool = False) -> bool:
    """whole = Σ parts (or whole ≥ Σ parts when `at_most`); False when a finding was added."""
    total = amount_of(whole, measure)
    if total is None:
        return True
    values = [(row, amount_of(row, measure)) for row in parts]
    if all(value is None for _, value in values):
        return True
    value, count = sum_values(v for _, v in values)
    allowed = tol * (count + 1)
    diff = total - value
    if at_most:
        if ctx.identity(value <= total + allowed):
            return True
    else:
        kind = gap_kind(diff, count, tol)
        if ctx.identity(kind != ERROR):
            if kind == ROUNDING:
                add_rounding(ctx, table, whole, measure, total, [v for _, v in values if v is not None], value, tol,
                             what() if callable(what) else what, measure_title(ctx, measure))
            return True
    if callable(what):
        what = what()
    hint = explain(-diff, [(r, v) for r, v in values if v is not None], tol * 2, table) if not at_most else ""
    relation = "≥" if at_most else "="
    ctx.add(rule,
            f"{what}：{measure_title(ctx, measure)} {printed(total, table)}，各行之和 sum of the rows {printed(value, table)}"
            f"（{count} 行 rows，差 difference {printed(diff, table)}；应 {relation}）。{hint}",
            table=table, row=whole, measure=measure, expected=value, found=total, difference=diff)
    return False

