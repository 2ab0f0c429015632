"""What a converter raises and what it reports."""
from __future__ import annotations

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

    def add_once(self, key: str, message: str, line: int | None = None, table: str | None = None) -> str:
        """Like `add`, for what each part of a table printed page by page says again (a header's
        column not understood, its cells not converted): the first report of (`table`, `key`) is
        kept and counts the repeats, '(again in N later part(s) of the table, last at line L)'.
        Returns the warning as it now reads."""
        seen = self.repeats.get((table, key))
        if seen is None:
            item = self.add(message, line, table)
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
