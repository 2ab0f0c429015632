"""Finding the tables in a document's lines: title lines (and table markers such as
预算01表 / 表1) that are followed or preceded by tabular lines start a segment; the
segment runs to the next one or to where the narrative resumes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..money import is_amount
from .recognise import TitleMatch, is_table_marker, match_title, squash, unlisted_title
from .source import Line

UNIT_LINE = re.compile(r"(金额)?单位[:：]\s*(万元|元)|单位[:：]?\s*(万元|元)\s*$|\(?(万元|元)\)?$")
META_LINE = re.compile(r"^\s*(单位名称|部门|编制单位|金额单位|单位)\s*[:：]")
NOTE_LINE = re.compile(r"^\s*(注|备注|说明)\s*[:：]|本套报表金额转换|故本表无数据|本表无数据|无此项")
PROSE_LINE = re.compile(r"[。；]|^第[一二三四五六七八九十]+部分|^\s*[一二三四五六七八九十]+、.*(说明|解释|情况)\s*$")
HEADING_LINE = re.compile(r"^\s*[一二三四五六七八九十]+、.*(说明|解释|情况)\s*$")   # 一、收支情况说明, however short
CONFIRM_WINDOW = 14


@dataclass
class Segment:
    """One table found in a document's lines: its catalog table id (codelists/tables.csv), the
    title as printed, the index of the title line, the body's line indices [start, end), the
    table marker printed before the title (预算01表, 表1) if any, and the body lines."""
    table_id: str
    title: str
    title_line: int           # index into the document's lines
    start: int                # first body line index (after the title / marker)
    end: int = 0              # one past the last line index
    marker: str | None = None
    lines: list[Line] = field(default_factory=list)


def tabular(line: Line) -> bool:
    """True when a line looks like a table row: two or more filled tab-separated cells, a
    tab-led cell, or (PDF text) at least two amounts making up half the tokens, no 。 or ，."""
    text = line.text
    if text.count("\t") >= 1 and len([c for c in text.split("\t") if c.strip()]) >= 2:
        return True
    if text.startswith("\t"):
        return True
    tokens = text.split()
    amounts = sum(1 for token in tokens if is_amount(token))
    return amounts >= 2 and amounts * 2 >= len(tokens) and "。" not in text and "，" not in text


def is_unit_line(text: str) -> bool:
    """True for a short line (under 60 characters squashed) stating the money unit: 单位：万元,
    金额单位：元, (万元) and the like."""
    return bool(UNIT_LINE.search(text.strip())) and len(squash(text)) < 60


def confirmed(lines: list[Line], index: int) -> bool:
    """A title is a table's title when tabular lines or a unit line stand near it."""
    lo, hi = max(0, index - 4), min(len(lines), index + CONFIRM_WINDOW)
    for j in range(lo, hi):
        if j != index and (tabular(lines[j]) or is_unit_line(lines[j].text)):
            return True
    return False


def find_segments(lines: list[Line], unlisted: list[Segment] | None = None) -> list[Segment]:
    """list[Line] -> list[Segment], in document order: a line naming a catalog table (title
    aliases of codelists/tables.csv, `recognise.match_title`) with tabular or unit lines near
    it starts a segment; each runs to the next title (or its marker line) or to where prose
    resumes once rows have begun. The title of a table outside the catalog
    (`recognise.unlisted_title`, with rows near it) ends the segment before it too; such tables
    are appended to `unlisted` (table_id empty) when a list is given, for the caller to report."""
    segments: list[Segment] = []
    pending_marker: tuple[int, str] | None = None
    skip = -1
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text or index <= skip:
            continue
        if is_table_marker(text):
            pending_marker = (index, squash(text))
            continue
        one_cell = "\t" not in line.text.strip("\t")
        match, text, wrapped = title_at(lines, index) if one_cell else (None, text, 0)
        if match is None and one_cell and unlisted_title(text) and confirmed(lines, index):
            match = TitleMatch("", "")
        if match is None or not confirmed(lines, index):
            continue
        marker = None
        if pending_marker and index - pending_marker[0] <= 6:
            marker = pending_marker[1]
        pending_marker = None
        skip = index + wrapped
        segments.append(Segment(table_id=match.table_id, title=text.strip("\t "), title_line=index, start=index + 1 + wrapped, marker=marker))
    for current, following in zip(segments, segments[1:] + [None]):
        limit = following.title_line if following else len(lines)
        if following and following.marker:
            # the marker line of the next table belongs to it
            for j in range(limit - 1, current.start, -1):
                if squash(lines[j].text) == following.marker:
                    limit = j
                    break
        current.end = body_end(lines, current.start, limit)
        current.lines = lines[current.start:current.end]
    if unlisted is not None:
        unlisted.extend(segment for segment in segments if not segment.table_id)
    return [segment for segment in segments if segment.table_id]


def title_at(lines: list[Line], index: int) -> tuple[TitleMatch | None, str, int]:
    """The title at line `index`: (match or None, title text, 1 when the title wraps onto the
    next line else 0). A long title printed on two lines (…拨款“三公”经费及 / 会议费、培训费支出
    预算表) is read whole when the two lines together name a table by a longer alias than
    either line alone."""
    text = lines[index].text.strip()
    single = match_title(text)
    following = lines[index + 1] if index + 1 < len(lines) else None
    if following is None or len(squash(text)) >= 40 or "\t" in following.text.strip("\t") or not following.text.strip() \
            or tabular(following) or is_unit_line(following.text) or META_LINE.match(following.text):
        return single, text, 0
    joined = text + following.text.strip()
    both, alone = match_title(joined), match_title(following.text.strip())
    if both and all(other is None or len(both.alias) > len(other.alias) for other in (single, alone)):
        return both, joined, 1
    return single, text, 0


def body_end(lines: list[Line], start: int, limit: int) -> int:
    """Where the table stops: the limit, or an earlier prose line once rows have begun."""
    started = False
    for j in range(start, limit):
        text = lines[j].text
        if not text.strip():
            continue
        if tabular(lines[j]):
            started = True
            continue
        if started and "\t" not in text and PROSE_LINE.search(text) and not NOTE_LINE.search(text) and (len(squash(text)) > 12 or HEADING_LINE.match(text)):
            return j
    return limit
