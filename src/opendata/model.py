"""The canonical model of one disclosure: what every converter produces and every
later stage (package writer, validator, publisher) reads.

Amounts are Decimal 元; what was printed is kept (no rounding, no corrections).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union

Value = Union[str, int, Decimal, None]


@dataclass
class Row:
    """One printed row. `values` maps column names (dimensions and measures) to values."""
    row_id: str
    row_type: str = "item"
    values: dict[str, Value] = field(default_factory=dict)
    source_line: int | None = None
    source_page: int | None = None

    def get(self, name: str, default: Any = None) -> Any:
        """The value of column `name` (a Decimal 元 amount, a code, a label …), or `default` when
        the row did not print that column."""
        return self.values.get(name, default)


@dataclass
class Table:
    """One table of the catalog as the document printed it. `name` is its resource name when it
    differs from `table_id` (unlisted_table_1, unlisted_table_2 … of tables outside the catalog):
    `key` identifies the table inside a disclosure (`Disclosure.tables`, the package resource)."""
    table_id: str
    rows: list[Row] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    printed_title: str | None = None
    money_unit: str | None = None
    money_decimals: int | None = None
    note: str | None = None
    first_line: int | None = None
    last_line: int | None = None
    pages: list[int] = field(default_factory=list)
    # what a later stage works out once per table and reuses (the validator's code tree and
    # tolerance), keyed by the stage's own key; never written into a package
    derived: dict = field(default_factory=dict, repr=False, compare=False)
    name: str | None = None

    @property
    def key(self) -> str:
        """The table's identity in its disclosure and package: `name`, else `table_id`."""
        return self.name or self.table_id

    def add_column(self, name: str) -> None:
        """Append column `name` to `columns` unless it is already there (order = first seen)."""
        if name not in self.columns:
            self.columns.append(name)

    def row(self, row_id: str) -> Row | None:
        """The row whose `row_id` is `row_id`, or None; a linear search over `rows`."""
        return next((row for row in self.rows if row.row_id == row_id), None)


@dataclass
class SourceDocument:
    """The document a disclosure was converted from: file name, SHA-256 (hex) and size in bytes
    of its content, format (pdf, xlsx, docx, html, txt …) and, when known, its title, URL and
    publication date. `local_path` is where the converter read it and is never written out."""
    filename: str
    sha256: str
    bytes: int
    format: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    local_path: str | None = None  # where the converter read it; not written into the package


@dataclass
class Disclosure:
    """One disclosure: one unit, one fiscal year, one stage."""
    unit_name: str | None
    fiscal_year: int | None
    stage: str | None
    source: SourceDocument
    unit_code: str | None = None
    parent_name: str | None = None
    parent_code: str | None = None
    division_code: str | None = None
    division_names: list[str] = field(default_factory=list)
    # who the disclosure covers: "department" (部门预算) or "unit" (单位预算); whether it
    # consolidates subordinate units (True), covers the own level only (False) or does not say
    # (None); the government level: "central", "provincial", "municipal" or "county"
    level: str | None = None
    consolidated: bool | None = None
    government_level: str | None = None
    money_unit: str = "元"
    title: str | None = None
    name: str | None = None
    version: str = "1.0.0"
    created: str | None = None
    standard_version: str | None = None
    licenses: list[dict] = field(default_factory=list)
    conversion: dict = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    metadata_sources: dict[str, str] = field(default_factory=dict)

    def table(self, table_id: str) -> Table | None:
        """The table `table_id` (a code of codelists/tables.csv, or the key of an unlisted table such
        as unlisted_table_1) if the document printed it, else None."""
        return self.tables.get(table_id)
