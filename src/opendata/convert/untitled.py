"""Tables printed without a title: a header row of short words (项目名称 | 自评分数) over rows that
print amounts (质量抽检和试验检测管理 | 100), set in the narrative with no title line above them, are
a table all the same. Title lines are how `segment.find_segments` finds tables, so such a table
is found here, among the lines no table took, and kept as a table outside the catalog
(`unlisted.keep_unlisted`, title blank) rather than read as narrative.

A run qualifies when all of this holds: its first line is a header (two or more cells, each a short
run of words: no amount, no sentence punctuation, no numbering), the line above it is not a table
row, and `MIN_ROWS` or more rows follow, each of two or more cells and no wider than the header
line by more than one cell, with an amount in at least half of them after the row's label.
Narrative paragraphs are one cell per line and never qualify."""
from __future__ import annotations

import re

from ..money import is_amount
from .recognise import squash
from .segment import HEAD_NUMBERING, META_LINE, TITLE_LIKE, Segment, is_unit_line

MIN_ROWS = 3
HEADER_CELL_MAX = 12   # characters of a header cell (项目名称, 自评分数, 预算数（万元）)
SENTENCE = re.compile(r"[，,。；;：:！？]")


def cells_of(text: str) -> list[str]:
    """The filled cells of a line (tab-separated), stripped."""
    return [cell.strip() for cell in text.split("\t") if cell.strip()]


def is_header(cells: list[str]) -> bool:
    """Two or more short cells of words: no amount, no sentence, no numbering (一、 (二) 3.)."""
    return len(cells) >= 2 and all(
        not is_amount(cell) and len(squash(cell)) <= HEADER_CELL_MAX
        and not SENTENCE.search(cell) and not HEAD_NUMBERING.match(squash(cell)) for cell in cells)


def prints_amount(cells: list[str]) -> bool:
    """An amount in a cell right of the row's label (the first cell that is not an amount)."""
    label = next((i for i, cell in enumerate(cells) if not is_amount(cell)), None)
    return label is not None and any(is_amount(cell) for cell in cells[label + 1:])


def untitled_segments(lines, taken: set[int]) -> list[Segment]:
    """Segments (table_id and title blank, the header line as `title_line` and first body line)
    of the tables printed without a title among the lines whose index is not in `taken` (the
    lines of the tables found by their titles)."""
    found: list[Segment] = []
    index, previous = 0, None   # previous: the cells of the last non-blank line
    while index < len(lines):
        text = lines[index].text
        if not text.strip():
            index += 1
            continue
        cells = cells_of(text) if index not in taken else []
        if cells and is_header(cells) and not (previous and len(previous) >= 2) and not text.startswith("\t"):
            end, rows = body(lines, index + 1, taken, len(cells))
            if len(rows) >= MIN_ROWS and sum(prints_amount(row) for row in rows) * 2 >= len(rows):
                top, title, title_line = caption(lines, index, taken)
                found.append(Segment(table_id="", title=title, title_line=title_line, start=top, end=end, lines=lines[top:end]))
                index, previous = end, rows[-1]
                continue
        previous = cells_of(text)
        index += 1
    return found


def caption(lines, header: int, taken: set[int]) -> tuple[int, str, int]:
    """(first line of the table, its title or '', the index of the title line or of the first line)
    above a header line: the unit line (单位：万元) and the 单位名称 line right above the header belong
    to the table, and a short line above them that is no sentence and no numbered heading is its
    title when it ends in 表 (会议费明细表, a title the catalog's words do not make) or stands alone
    (under 20 characters, the line above it ending a sentence): not the last line of a paragraph."""
    top = header
    j = header - 1
    while j >= 0 and j not in taken:
        text = lines[j].text
        if not text.strip():
            j -= 1
            continue
        if "\t" not in text.strip("\t") and (is_unit_line(text) or META_LINE.match(text)):
            top = j
            j -= 1
            continue
        key = squash(text)
        if "\t" not in text.strip("\t") and 2 <= len(key) <= 40 and not SENTENCE.search(key) and not HEAD_NUMBERING.match(key) \
                and not is_amount(key) and (TITLE_LIKE.search(key) or (len(key) < 20 and sentence_ends_above(lines, j))):
            return top, text.strip("\t "), j
        break
    return top, "", top


def sentence_ends_above(lines, index: int) -> bool:
    """True when the non-blank line above `index` ends a sentence (。；：) or there is none."""
    above = next((line.text for line in reversed(lines[:index]) if line.text.strip()), None)
    return above is None or squash(above)[-1:] in ("。", "；", "：", ":", ";")


def body(lines, start: int, taken: set[int], width: int) -> tuple[int, list[list[str]]]:
    """(one past the last row, the rows' cells) of the rows under a header of `width` cells: the
    non-blank lines from `start` that are rows of two cells or more, no wider than width + 1."""
    rows, end = [], start
    for j in range(start, len(lines)):
        text = lines[j].text
        if not text.strip():
            continue
        cells = cells_of(text)
        if j in taken or len(cells) < 2 or len(cells) > width + 1 or any(len(squash(c)) > 40 and "。" in c for c in cells):
            break
        rows.append(cells)
        end = j + 1
    return end, rows
