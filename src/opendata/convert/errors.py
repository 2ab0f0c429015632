"""What a converter raises and what it reports."""
from __future__ import annotations

import re
from dataclasses import dataclass, field


class ConversionError(Exception):
    """The document cannot be converted (not a disclosure, empty, truncated, binary …)."""


@dataclass
class Warnings:
    """Everything a converter did not understand, with where it was."""
    source: str
    items: list[str] = field(default_factory=list)
    repeats: dict = field(default_factory=dict, repr=False)   # (table, key) -> [index, first report, count]

    def add(self, message: str, line: int | None = None, table: str | None = None, page: int | None = None) -> str:
        """Report `message` at that place; returns the warning as reported (to `withdraw` it later)."""
        where = self.source
        if page:
            where += f" page {page}"
        if line:
            where += f" line {line}"
        if table:
            where += f" [{table}]"
        item = f"{where}: {message}"
        self.items.append(item)
        return item

    def add_once(self, key: str, message: str, line: int | None = None, table: str | None = None,
                 page: int | None = None) -> str:
        """Like `add`, for what each part of a table printed page by page says again (a header's
        column not understood, its cells not converted): the first report of (`table`, `key`) is
        kept and counts the repeats, '(again in N later part(s) of the table, last at line L)'.
        Returns the warning as it now reads."""
        seen = self.repeats.get((table, key))
        if seen is None:
            item = self.add(message, line, table, page)
            self.repeats[(table, key)] = [len(self.items) - 1, item, 0]
            return item
        seen[2] += 1
        item = f"{seen[1]} (again in {seen[2]} later part(s) of the table, last at line {line})"
        self.items[seen[0]] = item
        return item

    def withdraw(self, item: str) -> None:
        """Take back a warning `add` returned, when a later step resolved what it reported
        (the object itself is removed, not every warning with the same text)."""
        self.items[:] = [existing for existing in self.items if existing is not item]


def not_converted(what: str, cells: list[tuple[int, int | None, str]], title: str) -> str:
    """The warning for the cells of one column of a table that were not converted, for a reader
    who has the document open: `what` says which column ('column 4 (no header)', "column 5
    '其他/小计'", "text '…' in amount column total"), `cells` are (source line, page or None, cell
    text) in printed order, `title` the table's printed title. Names the column by its position
    counted from the left, the table and its page(s), the first values it prints and what was
    expected there."""
    lines = [line for line, _, _ in cells]
    pages = sorted({page for _, page, _ in cells if page})
    shown = list(dict.fromkeys(text for _, _, text in cells))
    values = ", ".join(f"'{text[:30]}'" for text in shown[:3]) + (" …" if len(shown) > 3 else "")
    where = f"of table '{title}'" + (f" (page {'–'.join(map(str, pages[::max(len(pages) - 1, 1)]))})" if pages else "")
    at = f"(lines {', '.join(map(str, lines[:8]))}{' …' if len(lines) > 8 else ''})"
    number = re.fullmatch(r"column (\d+) \(no header\)", what)
    if number:
        return (f"{len(cells)} cell(s) not converted: column {number.group(1)} counted from the left {where}: "
                f"no header was read above it (第{number.group(1)}列未读到表头); it prints {values}; a header naming "
                f"one of the table's columns (合计, 一般公共预算, 单位名称 …) was expected there {at}")
    return f"{len(cells)} cell(s) not converted: {what} {where}, printing {values} {at}"
