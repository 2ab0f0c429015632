"""Whom a narrative amount is about: the words of its clause before the figure's name.

"上级专项转移支付支出预算 393.23 万元" names 支出预算 (本年支出合计) but its words before that name
narrow it to the spending funded by earmarked transfers (issue #14: 013 p. 54): the amount is a
part, not the figure, and is not compared with it. The narrowing words are data
(codelists/row_words.csv, kind `part`).
"""
from __future__ import annotations

from ..standard import load_standard


def narrowed(prefix: str, figure: str) -> bool:
    """Whether the clause `prefix` (the words before an amount) names a part of `figure` (a key
    figure code): a `part` word of row_words.csv stands before the first of the figure's names."""
    standard = load_standard()
    starts = [prefix.find(alias) for alias, code, _ in standard.key_figure_aliases() if code == figure and alias in prefix]
    if not starts:
        return False
    before = prefix[:min(starts)]
    return any(word in before for word in standard.row_words("part"))


def economic_sums(ctx, table, figure: str) -> list:
    """The figure `figure` as a table of basic expenditure by economic class prints it without a
    column of its own: the sums of the class rows (three-digit codes) that codelists/key_figures.csv
    (`economic_classes`: 301+303 for 人员经费; 302 or 302+310 for 公用经费) names, each a Quantity; none
    when the table is absent, prints the figure's column, or prints none of the first class."""
    from .identities import Quantity
    from .rules import amount_of
    if table is None or figure in table.columns:
        return []
    spec = next((r.get("economic_classes") or "" for r in load_standard().codelists["key_figures"].rows
                 if r["code"] == figure), "")
    rows = {str(r.values.get("economic_code") or "").strip(): r for r in table.rows if r.row_type == "item"}
    result = []
    for option in (o for o in spec.split("|") if o):
        codes = option.split("+")
        if codes[0] not in rows:
            continue
        parts = [amount_of(rows[c], "total") for c in codes if c in rows]
        if any(p is None for p in parts):
            continue
        result.append(Quantity(table, None, "total", sum(parts), len(parts), f"{option} 类之和 sum of classes {option}"))
    return result
