"""Canonical lines of the fixed-line tables (schema/codelists/lines.csv).

The income and expenditure lines of 收支总表 and 财政拨款收支总表, the total of 机关运行经费
(operating_costs), the funding rows of a self-evaluation (年度资金总额 …) and the key figures
are known by a canonical id (`line`) whatever label the document
printed: 一般公共预算拨款收入, 一、一般公共预算财政拨款收入 and （一）一般公共预算资金 are all
`general_budget_appropriation_income`. `assign_lines` sets `line` on every row whose printed
label (`item`) is the official label or an alias of one line of its table and side, after
numbering (一、 （一） 1. (1)), 其中 / 加 / 减 and white space are stripped; the label itself is
kept as printed. Rows it cannot map keep `line` empty and are reported once per table.

A label that names two lines is decided by the row type (收入合计 is the current-year subtotal
on a subtotal row, the grand total on a total row) and by the block the row stands in: the
lines with `within` set apply to the rows under the line they name (一般公共预算拨款 under
上年结转 is `carryover_general_budget`); a row given a line without `within` closes the block.
A line names the sides it may stand on (`side`, space-separated: 基本支出 on the expenditure side or on
the further list by use or by departmental economic class, sides.csv). A line is given once per side
(its sides together; and unit, period and project) of a table: a second row of the same line
keeps `line` empty and is reported, unless it prints the official label where the first printed
an alias (then the first loses it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..labels import normalise_label
from ..model import Disclosure, Table
from ..standard import load_standard
from .three_public import lines_of

_PREFIX = re.compile(r"^(其中:?|加:|减:|[一二三四五六七八九十]+[、.．]|\([一二三四五六七八九十\d]+\)[、.．]?|\d+[、.．]|第[一二三四五六七八九十]+[部分项])")
SHOWN = 5   # labels named in a report
PLACE = ("unit_code", "unit_name", "period", "project_code", "project_name")   # a line is given once per side and place
CODED = ("economic_code", "gov_economic_code", "function_code")   # rows keyed by a code, not by a line
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class Line:
    """One row of codelists/lines.csv."""
    code: str
    tables: tuple[str, ...]
    sides: tuple[str, ...]   # () for a line of any side
    label_zh: str
    keys: tuple[str, ...]
    within: str
    row_type: str


def line_key(label: str | None) -> str:
    """A printed row label in the form lines are matched in: NFKC, no white space, quotes
    dropped, leading numbering (一、 （一） 1. (1)) and 其中: / 加: / 减: stripped, trailing colon
    dropped."""
    key = normalise_label(label, fold_width=True, punctuation=True).rstrip(":")
    previous = None
    while key != previous:
        previous, key = key, _PREFIX.sub("", key, count=1)
    return key or previous


@lru_cache(maxsize=1)
def _lines() -> tuple[dict[str, Line], dict[str, dict[str, list[Line]]]]:
    """The lines by code, and by table and label key."""
    standard = load_standard()
    rows = standard.codelists["lines"].rows if "lines" in standard.codelists else []
    lines: dict[str, Line] = {}
    index: dict[str, dict[str, list[Line]]] = {}
    for row in rows:
        labels = [row["label_zh"], *(row.get("aliases") or "").split("|")]
        keys = tuple(dict.fromkeys(line_key(label) for label in labels if label.strip()))
        line = Line(row["code"], tuple(row["table"].split()), tuple((row.get("side") or "").split()), row["label_zh"], keys,
                    row.get("within") or "", row.get("row_type") or "")
        lines[line.code] = line
        for table in line.tables:
            for key in keys:
                index.setdefault(table, {}).setdefault(key, []).append(line)
    return lines, index


def table_lines(table_id: str) -> list[Line]:
    """The lines of one table of the catalog, in code-list order ([] for a table without lines)."""
    lines, _ = _lines()
    return [line for line in lines.values() if table_id in line.tables]


def _choose(candidates: list[Line], row_type: str, block: str | None) -> Line | None:
    if len(candidates) > 1:
        typed = [line for line in candidates if not line.row_type or line.row_type == row_type]
        candidates = typed
    inside = [line for line in candidates if line.within and line.within == block]
    if inside:
        candidates = inside
    else:
        candidates = [line for line in candidates if not line.within]
    return candidates[0] if len(candidates) == 1 else None


def _other_period(values: dict, fiscal_year: int | None) -> bool:
    """A row printed for another year or a comparison (period 2025年 or 增减变化 in a 2026
    disclosure, tables printing several rows per unit): the lines are the disclosure's own year."""
    period = values.get("period")
    if not period:
        return False
    year = _YEAR.search(str(period))
    if year is None:
        return normalise_label(str(period)) not in load_standard().row_words("current_period")
    return fiscal_year is not None and int(year.group()) != fiscal_year


def _unfunded_project_row(values: dict) -> bool:
    """A row of a project (project_name set) printing no amount: a goal or an indicator, not a funding line."""
    return bool(values.get("project_name")) and not any(isinstance(v, Decimal) for v in values.values())


def assign_table(table: Table, fiscal_year: int | None = None) -> list[str]:
    """Set `line` on the rows of `table` that map to a line; returns the labels of the rows that
    do not, rows keyed by a code (economic_code, function_code) aside and none for a table whose
    only line is its total (operating_costs: its 合计 is line operating_costs, 办公费 … are no lines). A table without lines is left alone. Rows whose `period` is not `fiscal_year` (the year
    before, the change) are given no line and not returned. A department printed as one of the units a
    table lists is made the table's total when the table is read (three_public.py)."""
    lines, index = _lines()
    if table.table_id == "key_figures":
        known = {line.code for line in table_lines("key_figures")}
        table.add_column("line")
        for row in table.rows:
            if row.values.get("figure") in known:
                row.values["line"] = row.values["figure"]
        return []
    by_key = index.get(table.table_id)
    if not by_key or lines_of(table.table_id):
        return []   # no lines, or lined when reshaped (the 三公 table: three_public.py, three_public_lines.csv)
    openers = {line.within for line in lines.values() if line.within}
    listed = any(line.row_type != "total" for line in table_lines(table.table_id))   # else only its total is a line
    table.add_column("line")
    blocks: dict[str, str | None] = {}
    given: dict[tuple, tuple] = {}   # (place, line) -> (row, printed with the official label)
    missed: list[str] = []
    for row in table.rows:
        values = row.values
        values.pop("line", None)
        if _other_period(values, fiscal_year):
            continue
        side = values.get("side") or ""
        label = values.get("item") or ""
        key = line_key(label)
        candidates = [line for line in by_key.get(key, []) if not line.sides or side in line.sides]
        line = _choose(candidates, row.row_type, blocks.get(side)) if candidates else None
        # a line printed on several sides (基本支出 in the first list or in a list by use) is given once over all of them
        place = (line.sides[0] if line is not None and line.sides else side, *(values.get(k) or "" for k in PLACE))
        official = line is not None and key == line.keys[0]
        if line is not None and (place, line.code) in given:
            earlier, earlier_official = given[(place, line.code)]
            if not official or earlier_official:
                missed.append(f"{label} (again {line.code})")
                continue
            # the official label wins over an alias printed earlier (住房保障 under 援助其他地区支出, then 住房保障支出)
            earlier.values.pop("line", None)
            missed.append(f"{earlier.values.get('item') or ''} (again {line.code})")
        if line is None:
            if listed and not any(values.get(k) for k in CODED) and not _unfunded_project_row(values):
                missed.append(label)
            continue
        given[(place, line.code)] = (row, official)
        values["line"] = line.code
        if line.code in openers:
            blocks[side] = line.code
        elif not line.within:
            blocks[side] = None
    return missed


def assign_lines(disclosure: Disclosure, warnings=None) -> None:
    """Set `line` on the rows of every table of `disclosure` that has lines (codelists/lines.csv);
    report the rows that map to none once per table in `warnings` (an `errors.Warnings`)."""
    for table in disclosure.tables.values():
        missed = assign_table(table, disclosure.fiscal_year)
        if missed and warnings is not None:
            shown = "、".join(missed[:SHOWN]) + (f" … ({len(missed) - SHOWN} more)" if len(missed) > SHOWN else "")
            warnings.add(f"info: {len(missed)} row(s) match no canonical line of the table (codelists/lines.csv), "
                         f"their line is left empty: {shown} (行未对应标准行)", line=table.first_line, table=table.key)
