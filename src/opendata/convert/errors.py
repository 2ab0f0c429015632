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

    def withdraw(self, item: str) -> None:
        """Take back a warning `add` returned, when a later step resolved what it reported
        (the object itself is removed, not every warning with the same text)."""
        self.items[:] = [existing for existing in self.items if existing is not item]
