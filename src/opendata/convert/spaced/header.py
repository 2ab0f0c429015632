"""Spaced PDF text: the columns of a table, from the layout's column template
(schema/codelists/layouts.csv) confirmed by the header words and the column-number row,
and the table's unit and printed decimals."""
from __future__ import annotations

import re

from ...money import parse_amount, printed_decimals
from ...standard import TableSpec, load_standard
from ..errors import Warnings
from ..recognise import match_measure, squash
from ..source import Line
from .lines import has_amounts, is_header_line

LAYOUT = "spaced_beijing"  # the layout's id in layouts.csv
UNIT_DECL = re.compile(r"单位[:：]\s*(万元|元)")
DECIMALS = re.compile(r"保留\s*(\d|六|两|二|四)\s*位小数")
DECIMAL_WORDS = {"六": 6, "两": 2, "二": 2, "四": 4}

# The column order of the money tables of this layout is read from layouts.csv, as header
# words. The words are checked against the segment's header text (every word must be
# printed) and the count against its column-number row; the order cannot be read from the
# text, because the header cells of merged headings come out of the PDF in no useful order.
# A table whose header words do not confirm the template falls back to the order in which
# the measure words appear, with a warning.


def header_text(lines: list[Line]) -> str:
    """The segment's header words run together (lines without amounts, not column numbers)."""
    words = []
    for line in lines:
        text = line.text.strip()
        if not text or has_amounts(line) or is_header_line(text):
            continue
        words.append(squash(text))
    return "".join(words)


def column_count(lines: list[Line]) -> int | None:
    """How many numbered columns the column-number row prints; None without one."""
    for line in lines:
        tokens = line.text.split()
        if tokens and is_header_line(line.text):
            numbered = [t for t in tokens if t != "**"]
            if numbered:
                return len(numbered)
    return None


def columns_for(table_id: str, lines: list[Line], spec: TableSpec, warnings: Warnings, line_no: int) -> dict:
    """side (None for one-sided tables) -> measures left to right."""
    headers = header_text(lines)
    template = load_standard().layout_columns(LAYOUT, table_id)
    count = column_count(lines)
    if template:
        words_ok = all(squash(word) in headers.replace("“", "").replace("”", "") for side in template.values() for word, _ in side)
        width = sum(len(side) for side in template.values())
        if words_ok and (count is None or count == width):
            return {side: [m for _, m in cols] for side, cols in template.items()}
        warnings.add(f"header words do not confirm the usual columns of this table ({count} numbered columns); "
                     "amounts are given to the measures in the order their header words are printed", line_no, table_id)
    found = []
    for line in lines:
        if has_amounts(line):
            continue
        for token in line.text.split():
            measure = match_measure([token], set(spec.measures))
            if measure and measure not in found:
                found.append(measure)
    return {None: found or ["total"]}

def fill(measures: list[str], amounts: list[str], unit: str, values: dict, decimals: list[int]) -> list[str]:
    """Amounts to measures, left to right. A blank cell leaves no token in this layout,
    so a row with fewer amounts than columns cannot say which cells were blank; the
    printed tables of this template leave blank only trailing columns (a side without
    其他资金, 政府性基金 …, while every column before them is printed, if only as 0.000000),
    so left to right is the reading that agrees with the column-number row."""
    extra = amounts[len(measures):]
    for measure, amount in zip(measures, amounts):
        values[measure] = parse_amount(amount, unit)
        decimals.append(printed_decimals(amount))
    return extra


# -- tables ------------------------------------------------------------------------

def table_unit(lines: list[Line]) -> tuple[str, int | None]:
    """(money unit, decimals the table says it keeps or None) from its unit line."""
    unit, decimals = None, None
    for line in lines:
        match = UNIT_DECL.search(line.text)
        if match and unit is None:
            unit = match.group(1)
        keep = DECIMALS.search(line.text)
        if keep and decimals is None:
            d = keep.group(1)
            decimals = int(d) if d.isdigit() else DECIMAL_WORDS.get(d)
    return unit or "元", decimals


