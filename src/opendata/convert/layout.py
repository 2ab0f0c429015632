"""Text layouts -> rows of cells. Each layout is one function from lines to CellRows:

- tab rows: one printed row per line, cells separated by tabs (Excel/Word exports);
- cell-per-line rows: one cell per line, each led by a tab, rows separated by blank
  lines, long cells continued on lines without the tab (Word text);
- space rows: PDF text where cells run together on one line (see spaced.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .source import Line


@dataclass
class CellRow:
    """One printed row as cells (text, stripped), with the source line of its first and last
    line, its page when known, and further lines merged into it (`extra_lines`)."""
    cells: list[str]
    line: int
    last_line: int
    page: int | None = None
    extra_lines: list[int] = field(default_factory=list)

    @property
    def filled(self) -> list[str]:
        """The cells that are not blank, in order."""
        return [c for c in self.cells if c.strip()]


def detect_layout(lines: list[Line]) -> str:
    """'tabs', 'cell_per_line' or 'spaces', by what most table-like lines look like."""
    multi_tab = sum(1 for line in lines if line.text.count("\t") >= 2)
    tab_led = sum(1 for line in lines if line.text.startswith("\t") and line.text.count("\t") == 1)
    if tab_led > multi_tab and tab_led >= 10:
        return "cell_per_line"
    if multi_tab >= 10:
        return "tabs"
    return "spaces"


def tab_rows(lines: list[Line]) -> list[CellRow]:
    """list[Line] -> list[CellRow]: one row per non-blank line, cells split on tabs and stripped
    (the layout of Excel and Word tab exports)."""
    rows = []
    for line in lines:
        if not line.text.strip():
            continue
        rows.append(CellRow([c.strip() for c in line.text.split("\t")], line.no, line.no, line.page))
    return rows


def cell_per_line_rows(lines: list[Line]) -> list[CellRow]:
    """Group tab-led lines into rows: a blank line ends a row, unless the row's last cell
    goes on in paragraphs (lines without the leading tab), as long cells do."""
    rows: list[CellRow] = []
    current: CellRow | None = None
    blank_seen = False
    continued = False
    for line in lines:
        text = line.text
        if not text.strip() and not text.startswith("\t"):
            blank_seen = True
            continue
        if text.startswith("\t"):
            if current is None or (blank_seen and not continued):
                current = CellRow([], line.no, line.no, line.page)
                rows.append(current)
                continued = False
            current.cells.append(text[1:].strip())
            current.last_line = line.no
        elif current is not None:
            # a line without the tab continues the last cell (a wrapped header or a paragraph)
            joiner = "\n" if blank_seen else ""
            current.cells[-1] = (current.cells[-1] + joiner + text.strip()).strip() if current.cells else text.strip()
            current.last_line = line.no
            if blank_seen:
                continued = True
        else:
            current = CellRow([text.strip()], line.no, line.no, line.page)
            rows.append(current)
        blank_seen = False
    return rows
