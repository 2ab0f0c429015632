"""Levels printed without indentation, codes or numbering (西安: 单位 → 通用项目 / 专用项目 → 项目类别 →
项目, one flat column of names): which row is the parent of the rows below it can then only be read
from the sums. A row is read as the parent of the rows that follow it when they add up to it exactly;
the whole list is consistent when it can be read that way from the first row to the last."""
from __future__ import annotations

from decimal import Decimal

BUDGET = 20000   # steps of the search before the structure is given up as unknown


def nested_sum(amounts: list[Decimal], whole: Decimal) -> bool | None:
    """Whether `amounts` (printed order, 元, none negative) can be read as rows of nested levels
    whose top level adds up to `whole` exactly: each row either a leaf or the parent of the rows
    right below it, which then add up (at their own top level) to it exactly. True when such a
    reading exists, False when none does, None when the search gave up (too many readings) or an
    amount is negative (the sums can not tell the levels apart then)."""
    if any(a < 0 for a in amounts):
        return None
    steps = [0]
    memo: dict[tuple[int, Decimal], frozenset[int]] = {}

    def ends(start: int, target: Decimal) -> frozenset[int]:
        """The positions j such that amounts[start:j] read as siblings adding up to target."""
        key = (start, target)
        if key in memo:
            return memo[key]
        steps[0] += 1
        if steps[0] > BUDGET:
            raise OverflowError
        found: set[int] = set()
        if target == 0:
            found.add(start)
        if start < len(amounts) and amounts[start] <= target:
            rest = target - amounts[start]
            found |= ends(start + 1, rest)                 # a leaf
            if amounts[start] > 0:
                for end in ends(start + 1, amounts[start]):   # a parent of the rows right below it
                    if end > start + 1:
                        found |= ends(end, rest)
        memo[key] = frozenset(found)
        return memo[key]

    try:
        return len(amounts) in ends(0, whole)
    except (OverflowError, RecursionError):
        return None


def shows_nesting(amounts: list[Decimal]) -> bool:
    """Some row equals the sum of one or more rows right below it (a zero row aside): the list
    may hold levels that are not printed as such, and a flat sum of it proves nothing."""
    for i, value in enumerate(amounts):
        if not value:
            continue
        running = Decimal(0)
        for other in amounts[i + 1:]:
            running += other
            if running == value:
                return True
            if running > value:
                break
    return False
