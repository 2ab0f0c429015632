"""Identities between the measures of one row (schema/codelists/identities.csv, kind row)
and the sources of funds adding up along the funding tree (measure_tree.csv)."""
from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from ...model import Row, Table
from ..rules import (
    FLOATING_PARENTS, FLOATING_SOURCES, FUNDING_TREE, ROW_IDENTITIES, Context, amount_of, effective_children, measures_of,
    printed, sum_values,
)
from .common import measure_title, row_name
from .rounding import ERROR, ROUNDING, add_rounding, gap_kind


def check_row_identities(ctx: Context, table: Table, tol: Decimal) -> None:
    """In every row of `table`: each row identity of codelists/identities.csv (whole = sum of the
    parts the table printed; where several identities share a rule and a whole, one of them must
    hold: 三公 合计 with or without 会议费 and 培训费), and each source of funds of measure_tree.csv = the sum of its
    printed children (the floating sources counted either inside or beside their parent, any
    combination accepted). Tolerance `tol` (元) per printed figure; adds findings to `ctx`."""
    columns = set(measures_of(table))
    alternatives: dict[tuple[str, str], list[list[str]]] = {}   # identities of one rule and whole: either holds
    for rule, whole, parts in ROW_IDENTITIES:
        present = printed_parts(parts, columns)
        if whole in columns and present and present not in alternatives.get((rule, whole), []):
            alternatives.setdefault((rule, whole), []).append(present)
    for (rule, whole), options in alternatives.items():
        for row in table.rows:
            check_parts(ctx, table, row, rule, whole, options, tol)
    for node in FUNDING_TREE:
        if node not in columns:
            continue
        children = effective_children(FUNDING_TREE, node, columns)
        if node in FLOATING_PARENTS:
            floating = [c for c in FLOATING_SOURCES if c in columns and c != node]
            fixed = [c for c in children if c not in FLOATING_SOURCES]
            options = [fixed + list(extra) for n in range(len(floating) + 1) for extra in combinations(floating, n)]
        else:
            options = [children]
        options = [o for o in options if o]
        if not options:
            continue
        partial = not complete_children(FUNDING_TREE, node, columns)
        for row in table.rows:
            check_parts(ctx, table, row, "sum.funding-sources", node, options, tol, at_most=partial)


def complete_children(tree: dict[str, tuple[str, ...]], node: str, columns: set[str]) -> bool:
    """Whether the printed columns that stand for `node`'s unprinted children (their own printed
    children, `effective_children`) are all of those children's children: a table printing
    财政拨款 and, of 一般公共预算, only 其中：经费拨款 breaks the appropriation down in part, and
    财政拨款 is then at least, not exactly, the sum of what it prints."""
    for child in tree.get(node, ()):
        if child in columns:
            continue
        below = tree.get(child, ())
        printed_below = [c for c in below if c in columns or effective_children(tree, c, columns)]
        if printed_below and len(printed_below) < len(below):
            return False
        if printed_below and not all(c in columns or complete_children(tree, c, columns) for c in printed_below):
            return False
    return True


def printed_parts(parts: list[str], columns: set[str], within: frozenset = frozenset()) -> list[str]:
    """The `parts` of a row identity that the table prints (`columns`), a part it does not print
    replaced by that part's own printed parts where another row identity breaks it down
    (基本支出 not printed, 人员经费 and 公用经费 printed: total = 人员经费 + 公用经费 + 项目支出).
    `within`: the wholes being broken down (no identity is followed twice)."""
    present = []
    for part in parts:
        if part in columns:
            present.append(part)
            continue
        for _, whole, own in ROW_IDENTITIES:
            found = printed_parts(own, columns, within | {part}) if whole == part and part not in within else []
            if found:
                present.extend(p for p in found if p not in present)
                break
    return present


def check_parts(ctx: Context, table: Table, row: Row, rule: str, whole: str, options: list[list[str]],
                 tol: Decimal, at_most: bool = False) -> None:
    """Add a finding of `rule` on `row` unless measure `whole` equals, within `tol` (元) times
    (figures added + 1), the sum of one of `options` (lists of measures; parts not printed are
    left out) — or, with `at_most` (the parts are a partial breakdown), is not less than it.
    The finding gives the closest option. Nothing when `whole` or every part is blank."""
    total = amount_of(row, whole)
    if total is None:
        return
    every = {p for option in options for p in option}
    if all(amount_of(row, p) is None for p in every):
        return
    best = None
    for parts in options:
        value, count = sum_values(amount_of(row, p) for p in parts)
        allowed = tol * (count + 1)
        if total == value or (at_most and value <= total + allowed):
            ctx.identity(True)
            return
        if best is None or abs(total - value) < abs(total - best[0]):
            best = (value, parts)
    value, parts = best
    shown = [p for p in parts if amount_of(row, p) is not None]
    kind = gap_kind(total - value, len(shown), tol)
    ctx.identity(kind != ERROR)
    if kind == ROUNDING:   # no option holds exactly, the closest within the rounding of its parts
        add_rounding(ctx, table, row, whole, total, [amount_of(row, p) for p in shown], value, tol,
                     f"「{row_name(row)}」行 row ({rule})", measure_title(ctx, whole),
                     " + ".join(measure_title(ctx, p) for p in shown))
        return
    names = " + ".join(measure_title(ctx, p) for p in parts if amount_of(row, p) is not None) or "0"
    diff = total - value
    ctx.add(rule,
            f"「{row_name(row)}」行：{measure_title(ctx, whole)} {printed(total, table)} {'<' if at_most else '≠'} {names} = {printed(value, table)}"
            f"（差 {printed(diff, table)}）。 Row {row_name(row)!r}: {whole} is not the sum of {', '.join(parts)}.",
            table=table, row=row, measure=whole, expected=value, found=total, difference=diff)

