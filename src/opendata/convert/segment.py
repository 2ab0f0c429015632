"""Finding the tables in a document's lines: title lines (and table markers such as
预算01表 / 表1) that are followed or preceded by tabular lines start a segment; the
segment runs to the next one or to where the narrative resumes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..money import is_amount
from ..standard import load_standard
from .recognise import UNIT_NAME_LABELS, TitleMatch, is_table_marker, is_table_number, match_title, squash, unlisted_title
from .source import Line

UNIT_LINE = re.compile(r"(金额)?单位[:：]\s*(万元|元)|单位[:：]?\s*(万元|元)\s*$|\(?(万元|元)\)?$")
META_LINE = re.compile(rf"^\s*({UNIT_NAME_LABELS}|金额单位|单位)\s*[:：]")   # 预算单位：… | 单位：万元
NOTE_LINE = re.compile(r"^\s*[（(]?\s*(注|备注|说明)\s*[:：]|本套报表金额转换|故本表无数据|本表无数据|无此项")
PROSE_LINE = re.compile(r"[。；]|^第[一二三四五六七八九十]+部分|^\s*[一二三四五六七八九十]+、.*(说明|解释|情况)\s*$")
PART_LINE = re.compile(r"^\s*第[一二三四五六七八九十]+部分")   # 第四部分 名词解释: a part of the document, however short
HEADING_LINE = re.compile(r"^\s*[一二三四五六七八九十]+、.*(说明|解释|情况)\s*$")   # 一、收支情况说明, however short
TITLE_LIKE = re.compile(r"表\s*([(（][^()（）]{0,30}[)）])?\s*$")   # ends in 表, or 表（续）, 表（按…分类）
BRACKETED_LINE = re.compile(r"^\s*[(（][^()（）]{2,40}[)）]\s*$")   # a title's remark printed on the line below it
HEAD_NUMBERING = re.compile(r"^([一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十]+部分)")   # 一、 （二） 3. 第一部分
SENTENCE_MARKS = "，,。；;：:"
CONFIRM_WINDOW = 14
CONTENTS_RUN = 3   # this many titles of different tables on consecutive lines are a contents listing


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
    stopped_at: Line | None = None   # an unrecognised table title that ended the body, if any


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
    """A title is a table's title when tabular lines or a unit line stand near it; a heading
    followed by prose (its next line a sentence, below it no tabular line and no unit line
    outside a sentence, as 单价100万元； is inside one) is a section heading of the narrative
    (一、机关运行经费 under the last rows of the table above), not a title."""
    lo, hi = max(0, index - 4), min(len(lines), index + CONFIRM_WINDOW)
    below = [line for line in lines[index + 1:hi] if line.text.strip()]
    if below and "\t" not in below[0].text and any(mark in below[0].text for mark in "，。；") \
            and not any(tabular(line) or (is_unit_line(line.text) and not any(m in line.text for m in "，。；")) for line in below):
        return False
    for j in range(lo, hi):
        if j != index and (tabular(lines[j]) or is_unit_line(lines[j].text)):
            return True
    return False


def find_segments(lines: list[Line], unlisted: list[Segment] | None = None) -> list[Segment]:
    """list[Line] -> list[Segment], in document order: a line naming a catalog table (title
    aliases of codelists/tables.csv, `recognise.match_title`) with tabular or unit lines near
    it starts a segment (a heading right above the title of the same money table is one title
    with it); each runs to the next title (or its marker line) or to where prose resumes once
    rows have begun, or to the marker of another table (表4 after 表3). The title of a table
    outside the catalog (`recognise.unlisted_title`, with rows near it) ends the segment before
    it too; such tables are appended to `unlisted` (table_id empty) when a list is given, for
    the caller to report."""
    segments: list[Segment] = []
    pending_marker: tuple[int, str] | None = None
    markers: list[tuple[int, str]] = []
    skip = -1
    listing = contents_listing(lines)
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text or index <= skip or index in listing:
            continue
        if is_table_marker(text):
            pending_marker = (index, squash(text))
            markers.append(pending_marker)
            continue
        one_cell = "\t" not in line.text.strip("\t")
        match, text, wrapped = title_at(lines, index) if one_cell else (None, text, 0)
        if match is None and one_cell and (wrapped or unlisted_title(text)) and confirmed(lines, index) and segments \
                and segments[-1].table_id == "project_performance_targets" and squash(text).endswith(tuple(load_standard().vocabulary("form_title_end"))):
            # 某某经费补助绩效目标表 after the project forms: one more project's form, named by its project
            match = TitleMatch(segments[-1].table_id, "")
        elif match is None and one_cell and unlisted_title(text) and confirmed(lines, index):
            # a sentence pointing to the table: its subject, read from where the sentence's clause begins
            subject = unlisted_title(text)
            if subject != text.strip("\t "):   # a pointer's subject (not a printed title): its clause may begin on the line above
                subject = unlisted_title(clause_start(lines, index) + text) or subject
            match, text = TitleMatch("", ""), subject
        if match is None or not confirmed(lines, index):
            continue
        marker = None
        if pending_marker and index - pending_marker[0] <= 6:
            marker = pending_marker[1]
        pending_marker = None
        skip = index + wrapped
        previous = segments[-1] if segments else None
        if (previous and previous.table_id == match.table_id
                and (not match.table_id or load_standard().tables[match.table_id].kind == "money")
                and not any(l.text.strip() for l in lines[previous.start:index])):
            # a section heading (一、收支预算总表) right above the printed title names the same table:
            # one title of two lines, the body under the second
            previous.start = index + 1 + wrapped
            continue
        segments.append(Segment(table_id=match.table_id, title=text.strip("\t "), title_line=index, start=index + 1 + wrapped, marker=marker))
    for current, following in zip(segments, segments[1:] + [None]):
        limit = following.title_line if following else len(lines)
        if following and following.marker:
            # the marker line of the next table belongs to it
            for j in range(limit - 1, current.start, -1):
                if squash(lines[j].text) == following.marker:
                    limit = j
                    break
        if current.marker:
            # another table's marker (表4 after 表3) ends the table, even when its title is not one of the catalog's
            limit = next((j for j, m in markers if current.start <= j < limit and m != current.marker), limit)
        current.end = body_end(lines, current.start, limit, outside_catalog=not current.table_id)
        current.lines = lines[current.start:current.end]
        if current.end < limit and looks_like_title(lines, current.end) and match_title(lines[current.end].text) is None:
            current.stopped_at = lines[current.end]
    segments = [segment for segment in segments if not heading_only(segment)]
    if unlisted is not None:
        unlisted.extend(segment for segment in segments if not segment.table_id)
    return [segment for segment in segments if segment.table_id]


def heading_only(segment: Segment) -> bool:
    """A numbered heading (三、机关运行经费支出情况, （二）…绩效目标表) whose body holds no table row
    and no unit line is a heading of the narrative, not a table's title: it starts no table."""
    return bool(HEAD_NUMBERING.match(squash(segment.title))) \
        and not any(tabular(line) or is_unit_line(line.text) for line in segment.lines)


def contents_listing(lines: list[Line]) -> set[int]:
    """The indices of the lines of a contents listing (目录) printed without page numbers: a run of
    `CONTENTS_RUN` or more consecutive non-blank lines each naming a catalog table (`match_title`),
    the tables all different. Such lines name tables printed further on; they start no segment. The
    last title of a run with a unit line, a 单位名称 line or amounts right under it is a table's own
    title (the tables before it printed empty, title only)."""
    found: set[int] = set()
    run: list[tuple[int, str]] = []
    for index, line in enumerate(lines + [Line(0, "")]):
        text = line.text.strip()
        if not text and line.no:
            continue
        match = match_title(text) if text and "\t" not in text else None
        if match is not None and match.table_id not in {table_id for _, table_id in run}:
            run.append((index, match.table_id))
            continue
        if run:
            below = next((l.text for l in lines[run[-1][0] + 1:run[-1][0] + 4] if l.text.strip()), "")
            if is_unit_line(below) or META_LINE.match(below) or any(is_amount(t) for t in below.split()):
                run = run[:-1]
        if len(run) >= CONTENTS_RUN:
            found.update(i for i, _ in run)
        run = [(index, match.table_id)] if match is not None else []
    return found


def title_at(lines: list[Line], index: int) -> tuple[TitleMatch | None, str, int]:
    """The title at line `index`: (match or None, title text, 1 when the title wraps onto the
    next line else 0). A long title printed on two lines (…拨款“三公”经费及 / 会议费、培训费支出
    预算表) is read whole when the two lines together name a table by a longer alias than
    either line alone. A remark in brackets on the line below (（按经济分类科目分）) is always read with the title."""
    text = lines[index].text.strip()
    single = match_title(text)
    following = lines[index + 1] if index + 1 < len(lines) else None
    if following is not None and "\t" not in following.text.strip("\t") and (single or unlisted_title(text)) \
            and (BRACKETED_LINE.match(following.text) or unclosed_bracket(text, following.text)):
        # the title's remark on a line of its own (（按支出经济分类科目-不含上年结转）), or wrapped inside its bracket
        # (…（按支出功 / 能分类科目-不含上年结转）), is part of the title: it says which classification the table is keyed by
        joined = text + following.text.strip()
        return match_title(joined), joined, 1
    if following is None or len(squash(text)) >= 40 or "\t" in following.text.strip("\t") or not following.text.strip() \
            or tabular(following) or is_unit_line(following.text) or META_LINE.match(following.text):
        return single, text, 0
    joined = text + following.text.strip()
    both, alone = match_title(joined), match_title(following.text.strip())
    if both and all(other is None or len(both.alias) > len(other.alias) for other in (single, alone)):
        return both, joined, 1
    if single is None and form_title_head(text, following.text):
        # 301007_某分局_机场公安综 / 合修缮改造项目绩效目标表: a project's form title wrapped mid-name
        match = both or alone
        if match is None or load_standard().tables[match.table_id].kind == "performance":
            return match, joined, 1
    return single, text, 0


def form_title_head(text: str, following: str) -> bool:
    """True when `text` is the first line of a performance form's title wrapped onto `following`
    (the two together end in a form_title_end word of codelists/performance_vocabulary.csv, 绩效目标表,
    `text` alone does not): `text` is a long run of words (12 characters or more) with no sentence
    punctuation nor numbering, and `following` does not start anew (a year, a number, a bracket)."""
    head, tail = squash(text), squash(following)
    ends = tuple(load_standard().vocabulary("form_title_end"))
    if not (head + tail).endswith(ends) or head.endswith(ends) or len(head) < 12 or len(head) + len(tail) > 70:
        return False
    return not re.search(r"[。；，,:：]", head) and not HEAD_NUMBERING.match(head) and not re.match(r"[\d(（〔\[]", tail)


def unclosed_bracket(text: str, following: str) -> bool:
    """True when `text` opens a bracket it does not close and the short line `following` closes it."""
    opened = text.count("（") + text.count("(") - text.count("）") - text.count(")")
    return opened > 0 and len(squash(following)) <= 30 and bool(re.search(r"[)）]\s*$", following))


def looks_like_title(lines: list[Line], index: int) -> bool:
    """True when line `index` reads as the title of a table that `match_title` does not know:
    one untabbed cell of 4 to 60 characters ending in 表 (or 表 and a bracketed remark), no sentence punctuation,
    with a unit line or tabular lines right below it; a title wrapped over two lines is read as one."""
    text = lines[index].text
    if is_table_number(text.strip()):
        return False   # 公开05表 alone numbers a table (the one below or above it); it names none
    below = lines[index + 1].text if index + 1 < len(lines) else ""
    if not TITLE_LIKE.search(squash(text)) and below.strip() and "\t" not in below.strip("\t") and "\t" not in text.strip("\t"):
        if TITLE_LIKE.search(squash(below)) and not is_unit_line(below):
            text, index = text + below, index + 1   # a title wrapped over two lines
    key = squash(text)
    if "\t" in text.strip("\t") or not 4 <= len(key) <= 60 or not TITLE_LIKE.search(key) or re.search(r"[。；，,]", key):
        return False
    if NOTE_LINE.search(text) or key.startswith("关于") or "说明" in key:
        return False
    return any(tabular(lines[j]) or is_unit_line(lines[j].text) for j in range(index + 1, min(len(lines), index + 4)))


def clause_start(lines: list[Line], index: int) -> str:
    """The head of the clause that line `index` continues: the tail of the line above (after its
    last comma, colon or full stop) when that line is one untabbed cell that ends mid-sentence
    (…其中：列入 2026 / 年单位预算编制范围的单位详细情况见下表：), else ''."""
    above = next((line for line in reversed(lines[max(0, index - 2):index]) if line.text.strip()), None)
    if above is None or "\t" in above.text.strip("\t") or tabular(above):
        return ""
    text = squash(above.text)
    if not text or text[-1] in SENTENCE_MARKS:
        return ""
    tail = re.split(f"[{SENTENCE_MARKS}]", text)[-1]
    return tail if tail != text else ""


def narrative_resumes(lines: list[Line], index: int, limit: int) -> bool:
    """In a table outside the catalog, once rows have begun: line `index` (one untabbed cell) starts
    the narrative again when it is a numbered heading (三、单位主要工作任务) with a sentence or nothing
    under it, or a sentence (a comma, colon or full stop in more than 12 characters) continued on an
    untabbed line below. Such a table's rows are only the tabbed lines printed under its title."""
    text = lines[index].text
    if "\t" in text.strip("\t") or tabular(lines[index]) or NOTE_LINE.search(text):
        return False
    below = next((line for line in lines[index + 1:limit] if line.text.strip()), None)
    if below is not None and ("\t" in below.text.strip("\t") or tabular(below)):
        return False
    key = squash(text)
    if HEAD_NUMBERING.match(key):
        return below is None or bool(re.search(f"[{SENTENCE_MARKS}]", below.text))
    return below is not None and len(key) > 12 and bool(re.search(f"[{SENTENCE_MARKS}]", key))


def body_end(lines: list[Line], start: int, limit: int, outside_catalog: bool = False) -> int:
    """Where the table stops: the limit, or an earlier prose line or title of another table
    (`looks_like_title`, one the catalog does not name) once rows have begun; in a table outside
    the catalog also where the narrative resumes (`narrative_resumes`)."""
    started = False
    for j in range(start, limit):
        text = lines[j].text
        if not text.strip():
            continue
        if tabular(lines[j]):
            started = True
            continue
        if started and looks_like_title(lines, j):
            return j
        if started and outside_catalog and narrative_resumes(lines, j, limit):
            return j
        if started and (is_table_marker(text.strip()) or is_table_number(text.strip())) and j + 1 < limit and looks_like_title(lines, j + 1):
            return j   # 表5 above the title of another table
        if started and "\t" not in text and PROSE_LINE.search(text) and not NOTE_LINE.search(text) and (len(squash(text)) > 12 or HEADING_LINE.match(text) or PART_LINE.match(text)):
            return j
    return limit
