"""The narrative as the text rules read it (`text_rules`, `text_figures`, `text_repeats`): each
section's heading and text with white space removed (pdftotext spaces "2026 年" out; tabs, which
part the cells of a table read as text, are kept), where each printed line starts, and the words
of codelists/text_words.csv."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ..model import Row, Table
from .rules import Context

SPACE = re.compile(r"[^\S\t]+")  # tabs kept: they part the cells of a table read as text
PUNCT = "。；;！？!?"
RATE = r"(\d[\d,]*(?:\.\d+)?)"


@dataclass
class Section:
    """One narrative section as read by the text rules: its row, its text without white space
    and where each printed line of it starts in that text."""
    row: Row
    index: int
    text: str = ""
    starts: list[int] = field(default_factory=list)
    heading_lines: int = 0  # 1 when the first line is the section's heading

    def line_of(self, pos: int) -> int:
        """How many printed lines of the section come before offset `pos`."""
        return max(0, bisect_right(self.starts, pos) - 1)

    def clause(self, start: int, end: int) -> str:
        """The text from the start of the clause before the one holding `start` (after the last
        。；，： or an unclosed bracket, at most 60 characters back) to `end`: the figure a
        comparison speaks of and the comparison ("因公出国（境）费0万元，比上年增加0万元")."""
        depth, commas, begin = 0, 0, max(0, start - 60)
        for pos in range(start - 1, begin - 1, -1):
            char = self.text[pos]
            if char in "）)":
                depth += 1
            elif char in "（(":
                if depth == 0:
                    begin = pos + 1
                    break
                depth -= 1
            elif char in PUNCT + "：:" or (char in "，," and commas == 1):
                begin = pos + 1
                break
            elif char in "，,":
                commas += 1
        return self.text[begin:end]

    def sentence(self, start: int, end: int, before: int = 60) -> str:
        """The text from the start of the clause holding `start` (after the last 。 or ；, at most
        `before` characters back) to `end`."""
        cut = max(self.text.rfind(p, 0, start) for p in PUNCT)
        begin = max(cut + 1, start - before, 0)
        return self.text[begin:end]


def sections(table: Table) -> list[Section]:
    """The narrative sections of `table`: heading (when printed) and text, one line each printed line."""
    result = []
    for index, row in enumerate(table.rows):
        heading = str(row.values.get("heading") or "")
        body = str(row.values.get("text") or "")
        lines = ([heading] if heading else []) + (body.split("\n") if body else [])
        section = Section(row, index, heading_lines=1 if heading else 0)
        parts = []
        length = 0
        for line in lines:
            section.starts.append(length)
            squeezed = SPACE.sub("", line)
            parts.append(squeezed)
            length += len(squeezed)
        section.text = "".join(parts)
        result.append(section)
    return result


def words(ctx: Context, kind: str) -> tuple[str, ...]:
    """The words of `kind` in codelists/text_words.csv (longest first)."""
    for row in ctx.standard.codelists["text_words"].rows:
        if row["code"] == kind:
            return tuple(sorted((w for w in row["words"].split("|") if w), key=len, reverse=True))
    raise KeyError(f"text_words.csv has no kind {kind!r}")


def alternation(items) -> str:
    """A regular-expression alternation of `items`, each escaped."""
    return "|".join(re.escape(w) for w in items)
