"""Performance forms: what every reader of a form shares (the table being built, the
money unit, warnings, form metadata rows and amounts)."""
from __future__ import annotations

import re
from decimal import Decimal

from ...model import Row, Table
from ...money import is_amount, parse_amount, printed_decimals
from ...standard import TableSpec, load_standard
from ..errors import Warnings
from ..layout import CellRow
from ..recognise import squash
from ..segment import is_unit_line


_UNIT_AT_END = re.compile(r"(?:^|\s)[（(]?(万元|元)[)）]?\s*$")


class FormReader:
    """The state of one performance table being read: its spec, warnings and money unit."""

    def __init__(self, spec: TableSpec, warnings: Warnings, default_unit: str, carried: dict | None = None):
        self.spec = spec
        self.carried = carried if carried is not None else {}   # what one segment of the table leaves to the next
        self.warnings = warnings
        self.unit = default_unit
        self.standard = load_standard()
        self.header_rows: list = []

    def warn(self, message: str, line: int, table_id: str | None = None) -> None:
        """Add a conversion warning at source line `line`, for `table_id` (default: this reader's table)."""
        self.warnings.add(message, line, table_id or self.spec.code)

    def _meta(self, rows):
        kept, notes, unit = [], [], None
        grid = False
        for row in rows:
            filled = row.filled
            text = " ".join(filled)
            if len(filled) == 1 and len(squash(text)) < 40 and (re.match(r"^\s*(部门|单位|单位名称|金额单位)\s*[:：]", text) or re.fullmatch(r"[（(]\s*\d{4}\s*年度?\s*[)）]", squash(text))):
                match = re.search(r"单位[:：]\s*(万元|元)", text)
                unit = match.group(1) if match else unit
                continue
            match = _UNIT_AT_END.search(text) if len(filled) == 1 and not grid and is_unit_line(text) else None
            if match:   # 606-湖州市交通运输局 万元: the unit line between the title and the header
                unit = match.group(1)
                continue
            grid = grid or len(filled) > 1
            if len(filled) == 1 and re.match(r"^\s*(注|备注|说明)\s*[:：]", text):
                notes.append(text.strip())
                continue
            kept.append(row)
        return kept, notes, unit

    def _table(self, spec: TableSpec, title: str, first: int, last: int) -> Table:
        table = Table(spec.code, printed_title=title, first_line=first, last_line=last)
        table.money_unit = self.unit
        return table

    def _amount(self, cell: str, decimals: list[int]) -> Decimal | None:
        cell = squash(cell)
        if is_amount(cell):
            decimals.append(printed_decimals(cell))
            return parse_amount(cell, self.unit)
        return None

    def _append(self, table: Table, values: dict, row: CellRow) -> None:
        for name in values:
            table.add_column(name)
        table.rows.append(Row("", "item", values, row.line, row.page))
