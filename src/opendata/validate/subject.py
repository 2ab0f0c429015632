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
