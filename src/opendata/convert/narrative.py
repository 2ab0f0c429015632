"""The narrative: text sections in printed order, and the headline figures they state."""
from __future__ import annotations

import re
from bisect import bisect_right

from ..model import Row, Table
from ..money import parse_amount
from ..standard import load_standard
from .source import Line

HEADING = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[、．.](?!\d))\s*\S")
AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元)")
COUNT = re.compile(r"(\d+)\s*(人|个|名)")
PERCENT = re.compile(r"^[^。；\d]{0,12}?(\d+(?:\.\d+)?)\s*[%％]")
LOOKBACK = 16
# a staff group or part named right before a figure's name narrows it (行政人员, 事业编制, 临聘人员经费 of one project: not the
# department's 人员经费)
QUALIFIERS = ("行政", "事业", "工勤", "其中", "临聘", "聘用", "编外", "外聘", "派遣")
# a source of funds named before a total's name makes it that source's part (政府性基金拨款支出预算 0.00万元)
SOURCE_BEFORE = re.compile(r"(政府性基金|国有资本经营|一般公共预算|财政拨款|财政专户|事业收入|经营收入|上级补助|其他收入)[^，,。；]*$")
TOTALS = ("total_income_expenditure", "income_total", "expenditure_total")
# a sentence on performance targets states the money of the projects that have targets (编报绩效目标的项目49个，
# 涉及项目预算资金8825.98万元), not a headline figure
TARGETS_SENTENCE = re.compile(r"绩效目标")
# words that may stand between a figure's name and its amount (收支总预算为 …, 政府采购项目资金 …)
# the start of a numbered item inside a paragraph (…其中：1、一般公共服务支出（类）…), and the marks of a classification
# subject in it (（类）（款）（项）, or a function code in brackets): the item's amounts are that 类/款/项's, never a
# headline figure (ref 01_shpt_caizhengju p. 20: "行政运行（项）……支出决算为1511.89万元")
ITEM_START = re.compile(r"(?:^|[。；：:\s])(?:\d{1,2}[、．.](?!\d)|（[一二三四五六七八九十\d]{1,3}）|\([一二三四五六七八九十\d]{1,3}\))")
CLASS_SUBJECT = re.compile(r"[（(]\s*(?:类|款|项|2\d{2}(?:\d{2}){0,2})\s*[)）]")
FILLER = re.compile(r"^\s*([\u201d\u2019\u300d\x22]|总额|总预算|预算数|决算数|预算|决算|财政拨款|支出|资金|项目资金|合计|总计|共计|安排|经费|数|为|是|共|计|约|:|：|\s)*$")


def sections(lines: list[Line]) -> list[dict]:
    """Group narrative lines into sections at headings; text of wrapped lines joined."""
    result: list[dict] = []
    current = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if HEADING.match(text) and len(text) <= 40 and "。" not in text:
            current = {"heading": text, "lines": [], "source_line": line.no, "page": line.page}
            result.append(current)
            continue
        if current is None:
            current = {"heading": "", "lines": [], "source_line": line.no, "page": line.page}
            result.append(current)
        current["lines"].append(line)
    return result


def joined_text(lines: list[Line]) -> tuple[str, list[int], list[int]]:
    """The lines of a section as one text, with each line's offset and number."""
    parts, offsets, numbers = [], [], []
    position = 0
    for line in lines:
        text = line.text.strip()
        offsets.append(position)
        numbers.append(line.no)
        parts.append(text)
        position += len(text)
    return "".join(parts), offsets, numbers


def narrative_table(lines: list[Line]) -> Table:
    """list[Line] (the lines outside the tables) -> the `narrative` Table: one row per section
    (`sections`), row_id and section its 1-based number, heading, text (its lines joined with
    newlines), item (the heading, else the first 30 characters, else (空)), with source line
    and page."""
    table = Table("narrative", columns=["section", "heading", "text", "item"])
    for index, section in enumerate(sections(lines), start=1):
        text = "\n".join(l.text.strip() for l in section["lines"])
        table.rows.append(Row(
            row_id=str(index), values={"section": str(index), "heading": section["heading"] or None,
                                       "text": text or None, "item": section["heading"] or text[:30] or "(空)"},
            source_line=section["source_line"], source_page=section["page"],
        ))
    return table


WHOLE_MEASURES = {"total", "budget_initial", "budget_full_year", "current_year_subtotal", "amount"}


def part_words() -> re.Pattern:
    """The names of the parts of a total, from the standard's measures (schema/codelists/
    measures.csv: every measure but the totals themselves, e.g. 其他资金, 公务接待费, 基本支出):
    one of them in the words before a total's name (其他资金收入预算总计 15 万元, 公务接待费支出
    决算为 0.16 万元) makes the amount that part's, not the headline total."""
    if not hasattr(part_words, "pattern"):
        names = {alias for key, measure in load_standard().measures.items() if key not in WHOLE_MEASURES
                 for alias in (*measure.aliases, *measure.title_zh.split(" / "))
                 if len(alias) >= 3 and not re.search(r"[/*]", alias)}
        part_words.pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    return part_words.pattern


def part_of_total(before: str, at: int, alias: str) -> bool:
    """Whether the words `before` a total's name `alias` (found at `at`) make the amount a part:
    a source of funds before it (SOURCE_BEFORE) or a part's name (`part_words`) beginning before
    it, perhaps running into it (基本支出预算数为 … : 基本支出, not 支出预算)."""
    if SOURCE_BEFORE.search(before[:at]):
        return True
    match = part_words().search(before[:at + len(alias)])
    return bool(match) and match.start() < at


def _figure_aliases() -> list[tuple[str, str, str]]:
    return sorted(load_standard().key_figure_aliases(), key=lambda p: -len(p[0]))


def key_figures_table(lines: list[Line]) -> Table:
    """Each money amount or head count whose preceding words name a headline figure."""
    table = Table("key_figures", columns=["figure", "amount", "quantity", "quantity_unit", "percent", "text", "item"])
    aliases = _figure_aliases()
    for section in sections(lines):
        text, offsets, numbers = joined_text(section["lines"])
        for pattern, kind in ((AMOUNT, "money"), (COUNT, "count")):
            for match in pattern.finditer(text):
                before = text[max(0, match.start() - LOOKBACK):match.start()]
                before = re.split(r"[。；，,]", before)[-1]
                found = next(((alias, code) for alias, code, k in aliases if k == kind and alias in before), None)
                if found and found[1] in TOTALS:
                    found = subject_before(before, found, aliases, kind)
                if found and before[max(0, before.rfind(found[0]) - 2):before.rfind(found[0])] in QUALIFIERS:
                    continue
                clause = re.split(r"[。；，,]", text[max(0, match.start() - 4 * LOOKBACK):match.start()])[-1]
                if found and found[1] in TOTALS and part_of_total(clause, clause.rfind(found[0]), found[0]):
                    continue   # the whole clause: 公务用车购置及运行维护费支出决算为 … is longer than LOOKBACK
                if found and found[1] in TOTALS and sentence_subject(text, match.start() - len(before), aliases, kind):
                    continue
                if not found or re.search(r"(比|较|增加|减少|增长|下降|上年|年初预算)", before[before.find(found[0]):]):
                    continue
                if not FILLER.match(before[before.rfind(found[0]) + len(found[0]):]):
                    continue  # 政府采购货物支出 …: a part of the figure, not the figure
                line_no = numbers[bisect_right(offsets, match.start()) - 1]
                sentence = sentence_around(text, match.start())
                if named_before_its_parts(text, match.start(), found[1], aliases, pattern):
                    continue
                if found[1] in TOTALS and about_a_class(text, match.start(), section["heading"]):
                    continue
                if kind == "money" and TARGETS_SENTENCE.search(sentence):
                    continue
                values = {"figure": found[1], "item": found[0], "text": sentence}
                if kind == "money":
                    unit = match.group(2)
                    number = match.group(1)
                    values["amount"] = parse_amount(number, "万元") * 10000 if unit == "亿元" else parse_amount(number, unit)
                    share = PERCENT.match(text[match.end():])
                    if share and "占" in text[match.end():match.end() + 8]:
                        values["percent"] = share.group(1) + "%"
                else:
                    values["quantity"] = match.group(1)
                    values["quantity_unit"] = match.group(2)
                table.rows.append(Row(row_id="", values=values, source_line=line_no, source_page=section["page"]))
    seen: dict[str, int] = {}
    for row in table.rows:
        base = row.values["figure"]
        seen[base] = seen.get(base, 0) + 1
        row.row_id = base if seen[base] == 1 else f"{base}#{seen[base]}"
    return table


def subject_before(before: str, found: tuple[str, str], aliases, kind: str) -> tuple[str, str]:
    """The figure a total's name (支出预算, 收入合计) states when the name of another headline figure
    stands right before it (政府采购 + 支出预算总额 2416.43万元: the procurement, not the year's
    expenditure): that figure's (alias, code), else `found`."""
    at = before.rfind(found[0])
    for alias, code, k in aliases:
        if k != kind or code in TOTALS or alias not in before[:at]:
            continue
        end = before.rfind(alias, 0, at) + len(alias)
        if end <= at and FILLER.match(before[end:at]):
            return alias, code
    return found


def named_before_its_parts(text: str, position: int, code: str, aliases, pattern: re.Pattern) -> bool:
    """Whether the figure at `position` is one of the parts (其中 …) of the same figure stated earlier in
    its sentence (编制338名，其中行政编制200名、行政附属编制104名: the 104 is a part, not the total)."""
    start = max(text.rfind("。", 0, position), text.rfind("；", 0, position)) + 1
    head = text[start:position]
    at = head.rfind("其中")
    if at < 0:
        return False
    earlier = head[:at]
    for alias, other, _ in aliases:
        if other == code and alias in earlier:
            after = earlier[earlier.find(alias) + len(alias):]
            if pattern.search(after[:LOOKBACK]):
                return True
    return False


def sentence_subject(text: str, clause_start: int, aliases=None, kind: str = "money") -> bool:
    """Whether the clause starting at `clause_start` (one whose words before the amount are a total's name, 支出决算为
    …) continues a sentence whose first clause named another subject: another headline figure (“三公”经费, 一般公共预算
    财政拨款支出) or a part (`part_of_total`) — "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元" states the
    三公's actual, not the year's expenditure. `aliases`: key_figures.csv's (alias, code, kind), longest first (default)."""
    aliases = _figure_aliases() if aliases is None else aliases
    start = max(text.rfind("。", 0, clause_start), text.rfind("；", 0, clause_start)) + 1
    head = re.split(r"[，,]", text[start:clause_start])[0]
    if start >= clause_start or not AMOUNT.search(head):   # the first clause states an amount of its own
        return False
    if any(k == kind and code not in TOTALS and alias in head for alias, code, k in aliases):
        return True
    found = next((alias for alias, code, k in aliases if k == kind and code in TOTALS and alias in head), None)
    return found is not None and part_of_total(head, head.find(found), found)


def about_a_class(text: str, position: int, heading: str = "") -> bool:
    """Whether the amount at `position` of `text` (a section's joined text, under `heading` when the section's first
    line was read as its heading) stands in a numbered item whose subject is a function class, 款 or 项 (its words
    before the amount hold （类）/（款）/（项） or a bracketed function code): such an item states that row's budget and
    actual (年初预算为 …，支出决算为 …), not the year's totals. Asked only of an amount named by a total's generic
    name (支出决算为 …): one that names its own figure (此外，基本支出预算数为 …) is that figure's."""
    if heading:
        text, position = heading.strip() + "\n" + text, position + len(heading.strip()) + 1
    starts = [m.end() for m in ITEM_START.finditer(text, 0, position)]
    return bool(starts) and bool(CLASS_SUBJECT.search(text, starts[-1], position))


def sentence_around(text: str, position: int) -> str:
    """The sentence of `text` holding character `position`: from after the previous 。 or ； to the
    next one (included), stripped."""
    start = max(text.rfind("。", 0, position), text.rfind("；", 0, position)) + 1
    end_candidates = [i for i in (text.find("。", position), text.find("；", position)) if i != -1]
    end = min(end_candidates) + 1 if end_candidates else len(text)
    return text[start:end].strip()
