"""Tables printed by period side by side: one group of the same columns per year and one for the
change (上年 | 当年 | 增减变化情况, or 2025年 | 2026年 | 增减变化金额, each over the same 三公 measures).

Each printed line holds the amounts of one unit for every period: it becomes one row per period
that prints an amount, with the `period` field set to the group's heading as printed, so that the
measures of every period are kept (not only one year's) and the rows of one period can be summed
on their own. Headings are years (2026年), the words of this_year / previous_year and change words
(codelists/title_words.csv)."""
from __future__ import annotations

import re
from decimal import Decimal

from ..standard import TableSpec
from .columns import Column
from .recognise import title_words, header_key, relative_year

_YEAR = re.compile(r"^(19|20)\d{2}年度?(.*)$")


def is_period_heading(text: str) -> bool:
    """Whether a header cell names a period: a year (2026年), a year with the words of a year's
    figures (2025年预算数; codelists/title_words.csv year_figure), this year's or the year before's
    words (当年, 上年) or a change word (增减变化情况)."""
    key = header_key(text)
    year = _YEAR.match(key or "")
    return bool(key) and (bool(year and (not year.group(2) or year.group(2) in title_words("year_figure")))
                          or bool(relative_year(key)) or key in title_words("change"))


def find_period_groups(columns: list[Column], spec: TableSpec) -> list[tuple[str, list[Column]]] | None:
    """The period groups of a one-sided table carrying the `period` field: [(heading as printed,
    its columns)] when two or more measure columns' header paths start with (or under a common
    heading, contain) a period heading, two or more distinct headings each heading the same
    measures in the same order. None otherwise."""
    if spec.two_sided or "period" not in spec.dimensions:
        return None
    groups: dict[str, list[Column]] = {}
    for column in columns:
        heading = next((part for part in column.path if is_period_heading(part)), None)
        if heading is not None and column.kind in ("measure", "unknown"):
            groups.setdefault(heading.strip(), []).append(column)
    if len(groups) < 2:
        return None
    names = [[c.name for c in group if c.kind == "measure"] for group in groups.values()]
    if not names[0] or any(n != names[0] for n in names[1:]):
        return None
    return list(groups.items())


def period_rows(builder, row, unit: str, decimals: list[int]) -> list:
    """One Row per period group of `builder.period_groups` that prints an amount on `row`: the
    columns outside the groups (unit, label) with that group's measures, `period` its heading; a
    row printing no amount in any group is one row of the columns outside the groups."""
    grouped = {id(c) for _, group in builder.period_groups for c in group}
    shared = [c for c in builder.columns if id(c) not in grouped]
    out = []
    for heading, group in builder.period_groups:
        parsed = builder.parse_part(row, shared + group, unit, decimals, None)
        if parsed is None or not any(isinstance(parsed.values.get(c.name), Decimal) for c in group if c.kind == "measure"):
            continue
        parsed.values["period"] = heading
        out.append(parsed)
    if not out:   # a line printing no amount in any period (a heading row): kept once, without a period
        parsed = builder.parse_part(row, shared, unit, decimals, None)
        out = [parsed] if parsed else []
    return out


def period_of(groups: list[tuple[str, list[Column]]] | None, column: Column) -> int:
    """The index of the period group a column is in (0 outside any)."""
    for k, (_, group) in enumerate(groups or [], 1):
        if any(c is column for c in group):
            return k
    return 0
