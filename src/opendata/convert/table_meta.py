"""The lines around a table that are not its rows: unit lines (单位：万元), kept decimals
(保留两位小数), notes, table numbers (公开表一) and 单位名称 lines, taken out of a segment's cell rows."""
from __future__ import annotations

import re

from .layout import CellRow
from .recognise import is_table_number
from .segment import META_LINE, NOTE_LINE, is_unit_line

DECIMALS_WORDS = {"两": 2, "二": 2, "六": 6, "四": 4, "一": 1, "三": 3, "2": 2, "6": 6, "4": 4}
UNIT_IN_TEXT = re.compile(r"(万元|元)")
KEEP_DECIMALS = re.compile(r"保留(\S)位小数")


def table_meta(rows: list[CellRow]) -> tuple[list[CellRow], dict]:
    """Take unit lines, notes, table numbers (公开表一) and 单位名称 lines out of the rows (a row whose every cell is one of
    them, such as 编制单位：… beside 单位：元, too)."""
    meta = {"unit": None, "decimals": None, "notes": [], "unit_name": None}
    kept = []
    for row in rows:
        filled = row.filled
        text = " ".join(filled)
        if filled and all(META_LINE.search(cell) or is_unit_line(cell) for cell in filled):   # 编制单位：… | 单位：元
            unit = UNIT_IN_TEXT.search(text.split("单位名称")[-1]) if "单位名称" not in text or "单位：" in text or "单位:" in text else None
            if "单位名称" in text:
                name = re.split(r"单位名称[:：]", text)[-1]
                meta["unit_name"] = re.split(r"\s+单位|单位[:：]", name)[0].strip() or meta["unit_name"]
            if unit and re.search(r"单位[:：]?\s*(万元|元)|(万元|元)\s*$", text):
                meta["unit"] = unit.group(1)
            keep = KEEP_DECIMALS.search(text)
            if keep:
                meta["decimals"] = DECIMALS_WORDS.get(keep.group(1))
            continue
        if len(filled) == 1 and is_table_number(filled[0]):
            continue   # 公开表一 printed between the title and the table: the title's number, no row
        if len(filled) == 1 and NOTE_LINE.search(text):
            meta["notes"].append(text.strip())
            continue
        kept.append(row)
    return kept, meta
