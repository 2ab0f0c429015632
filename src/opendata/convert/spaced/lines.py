"""Spaced PDF text (see `opendata.convert.spaced`): a printed line read as typed tokens,
and the document cut into one segment per table marker (预算NN表)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..source import Line
from ..recognise import is_table_marker, match_title, squash, unlisted_title
from ..segment import META_LINE, is_unit_line

# money in this layout always has decimals; a negative has a minus sign or brackets, "(28.65)" (money.parse_amount)
AMOUNT = re.compile(r"^(-?(\d{1,3}(,\d{3})+|\d+)\.\d+|[(（](\d{1,3}(,\d{3})+|\d+)\.\d+[)）])$")
CODE = re.compile(r"^\d{3}$|^\d{5}$|^\d{7}$")
UNIT_CODE = re.compile(r"^\d{6,9}$")
SMALL_INT = re.compile(r"^\d{1,3}$")
GLUED_NUMBER = re.compile(r"^(.*[\u4e00-\u9fff)）])(\d{1,2})$")   # 对个人和家庭的补助支出24
COLUMN_NUMBERS = re.compile(r"^(\*\*|\(\d+\)|（\d+）)$")
NARRATIVE_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、.*(说明|情况)")
FLAG_WORDS = {"是", "否"}

# -- rows ------------------------------------------------------------------------

@dataclass
class SpacedRow:
    """One printed line of spaced PDF text as typed tokens: its source line and page, and
    (kind, text) parts in printed order, kind one of code, ucode (unit code), label, num
    (行号 or a small number), flag (是/否) or amount."""
    line: int
    page: int | None
    parts: list[tuple[str, str]]          # (kind, text): code | ucode | label | num | flag | amount

    @property
    def amounts(self) -> list[str]:
        """The texts of the amount tokens, in printed order (still text, unit not applied)."""
        return [t for k, t in self.parts if k == "amount"]

    @property
    def labels(self) -> list[str]:
        """The texts of the label tokens, in printed order."""
        return [t for k, t in self.parts if k == "label"]


def tokenize(text: str) -> list[tuple[str, str]]:
    """One printed line -> typed tokens. A label of several words stays one token."""
    parts: list[tuple[str, str]] = []
    for index, token in enumerate(text.split()):
        glued = GLUED_NUMBER.match(token)
        if AMOUNT.match(token):
            kind = "amount"
        elif CODE.match(token) and not any(k in ("label", "amount") for k, _ in parts):
            kind = "code"
        elif UNIT_CODE.match(token) and not parts:
            kind = "ucode"
        elif SMALL_INT.match(token):
            kind = "num"
        elif token in FLAG_WORDS:
            kind = "flag"
        elif glued and not AMOUNT.match(token):
            _append_label(parts, glued.group(1))
            parts.append(("num", glued.group(2)))
            continue
        else:
            _append_label(parts, token)
            continue
        parts.append((kind, token))
    return parts


def _append_label(parts: list[tuple[str, str]], token: str) -> None:
    if parts and parts[-1][0] == "label":
        parts[-1] = ("label", parts[-1][1] + " " + token)
    else:
        parts.append(("label", token))


def is_header_line(text: str) -> bool:
    """A column-number row: every token is (1), （2）, ** …"""
    tokens = text.split()
    return bool(tokens) and all(COLUMN_NUMBERS.match(t) for t in tokens)

# -- segments ----------------------------------------------------------------------

@dataclass
class SpacedSegment:
    """The lines from one table marker (预算NN表) to the next: the catalog table id and title
    recognised after the marker (None when none is), the marker text, its index in the
    document's lines, the index of the title among `lines`, every line of the segment, and
    lines moved in from elsewhere (`moved`, read before `lines`)."""
    table_id: str | None
    title: str | None
    marker: str
    marker_line: int                      # index into lines
    title_index: int | None = None
    lines: list[Line] = field(default_factory=list)   # every line of the segment (title too)
    moved: list[Line] = field(default_factory=list)


def find_spaced_segments(lines: list[Line]) -> list[SpacedSegment]:
    """Segments run from one 预算NN表 marker to the next; the last one ends where the
    narrative resumes (a heading such as 三、2021年单位预算情况说明)."""
    markers = [i for i, line in enumerate(lines) if line.text.strip() and is_table_marker(line.text.strip())
               and re.search(r"\d", line.text)]
    segments: list[SpacedSegment] = []
    for n, start in enumerate(markers):
        end = markers[n + 1] if n + 1 < len(markers) else _narrative_start(lines, start)
        segment = SpacedSegment(None, None, squash(lines[start].text), start, lines=lines[start + 1:end])
        for j, line in enumerate(segment.lines):
            match = match_title(line.text.strip()) if len(line.text.strip()) < 60 else None
            if match:
                segment.table_id, segment.title, segment.title_index = match.table_id, line.text.strip(), j
                break
        else:   # a title outside the catalog: the table is kept as unlisted_table_N (table_id stays None)
            j = next((j for j, line in enumerate(segment.lines) if len(line.text.strip()) < 60 and unlisted_title(line.text.strip())), None)
            if j is not None:
                segment.title, segment.title_index = unlisted_title(segment.lines[j].text.strip()), j
        segments.append(segment)
        # a table printed without a marker of its own (the performance-target forms
        # after 预算11表): another title later in the segment starts a new segment at
        # the first line after this title's unit / meta lines
        if segment.title_index is not None:
            k = segment.title_index + 1
            while k < len(segment.lines) and (not segment.lines[k].text.strip() or META_LINE.search(segment.lines[k].text)
                                              or is_unit_line(segment.lines[k].text)):
                k += 1
            for j in range(k, len(segment.lines)):
                text = segment.lines[j].text.strip()
                other = match_title(text) if text and len(text) < 60 else None
                if other and other.table_id != segment.table_id:
                    rest = SpacedSegment(other.table_id, text, "", start + 1 + k, title_index=j - k, lines=segment.lines[k:])
                    segment.lines = segment.lines[:k]
                    segments.append(rest)
                    break
    # A body printed after the title of the previous table and before its own marker:
    # the next segment has no rows of its own before its title, the previous one has
    # amount rows after its title (beyond the unit and header lines).
    for current, following in zip(segments, segments[1:]):
        if current.title_index is None or following.title_index is None:
            continue
        before_next = following.lines[:following.title_index]
        if any(has_amounts(l) for l in before_next):
            continue
        after = current.lines[current.title_index + 1:]
        first_row = next((k for k, l in enumerate(after) if has_amounts(l)), None)
        if first_row is None:
            continue
        # the unit / meta lines right after the title stay; what follows moves
        k = 0
        while k < len(after) and (not after[k].text.strip() or META_LINE.search(after[k].text) or is_unit_line(after[k].text)):
            k += 1
        moved = after[k:]
        if current.table_id == "income_summary" or not rows_with_labels(moved):
            continue  # detached amounts of a one-column table, not a body
        current.lines = current.lines[:current.title_index + 1 + k]
        following.moved = moved
    return segments


def _narrative_start(lines: list[Line], start: int) -> int:
    for j in range(start + 1, len(lines)):
        if NARRATIVE_HEADING.match(lines[j].text) and len(lines[j].text.strip()) < 40:
            return j
    return len(lines)


def has_amounts(line: Line) -> bool:
    """True when the line prints an amount (money in this layout always has decimals)."""
    return any(AMOUNT.match(t) for t in line.text.split())


def rows_with_labels(lines: list[Line]) -> bool:
    """True when some line prints amounts beside a label or code (a table body)."""
    return any(has_amounts(l) and any(k in ("label", "code", "ucode") for k, _ in tokenize(l.text)) for l in lines)
