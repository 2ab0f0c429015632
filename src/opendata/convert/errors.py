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

    def add(self, message: str, line: int | None = None, table: str | None = None, page: int | None = None) -> None:
        where = self.source
        if page:
            where += f" page {page}"
        if line:
            where += f" line {line}"
        if table:
            where += f" [{table}]"
        self.items.append(f"{where}: {message}")
