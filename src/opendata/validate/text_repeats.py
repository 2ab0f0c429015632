"""text.repeated-text: the same passage printed twice in a row in the narrative (a pasted
block left in twice, a lead-in or a term printed twice: "教育支出(类)普通教育(款)职业教育(项)：
教育支出(类)普通教育(款)职业教育(项)：反映…"), read by `text_rules`.

A word of two to six characters, or an item number, printed twice in a row within running text
is reported too ("主要用于用于", "（一）（一）").

A passage is a run of clauses: it begins where a printed line or a clause begins (after
。；：，．、) and ends with one of those marks; it has at least MIN_CJK Chinese characters, and it is
reported when the same passage follows it at once, word for word (white space removed). The
same sentence printed in two places of a disclosure is not reported: disclosures repeat
reasons and definitions on purpose (名词解释 and 机关运行经费 list the same items).
"""
from __future__ import annotations

import re

MIN_CJK = 4
# A longer block "repeated" is read from a PDF whose text layer holds the page's text twice (a
# reference budget repeats 650 characters, invisible on the page): not reported.
MAX_CHARS = 300
MARKS = "。；：，,:;！？"
REPEAT = re.compile(f"(.{{6,}}?[{MARKS}])\\1")
STARTS = re.compile(f"[{MARKS}．、]")
CJK = re.compile(r"[\u4e00-\u9fff]")
# a word of 2-6 characters or an item number printed twice in a row ("主要用于用于", "（一）（一）")
DOUBLE = re.compile(r"([\u4e00-\u9fff]{2,6})\1|(（[一二三四五六七八九十]+）)\2")
# a pair of two characters doubled may straddle two words (纪委监委监督): only listed words count
WRAPPED = 24  # a printed line at least this long is running text wrapped onto the next line


def repeated_paragraphs(sections, doubled_words=()):
    """(section, offset, rule, message, label) for each passage of `sections` (text_rules.Section)
    printed twice in a row (a heading may run on into the text under it); two-character words only
    when listed in `doubled_words` (codelists/text_words.csv)."""
    for section in sections:
        text = section.text
        starts = sorted(set(section.starts) | {m.end() for m in STARTS.finditer(text)})
        end = 0
        for start in starts:
            match = REPEAT.match(text, start) if start >= end else None
            if match is None or len(CJK.findall(match.group(1))) < MIN_CJK or len(match.group(1)) > MAX_CHARS:
                continue
            end = match.end()
            passage = match.group(1)
            shown = passage if len(passage) <= 80 else passage[:77] + "…"
            yield (section, match.start(1) + len(passage), "text.repeated-text",
                   f"同一段文字连印两次：「{shown}」。 The same passage is printed twice in a row.", shown)
        yield from _doubled_words(section, doubled_words)


def _doubled_words(section, listed):
    """A word or item number printed twice in a row, within running text: not where the heading
    meets the text under it (一、某某局 / 某某局预算 …), nor across the end of a short printed line
    (a title above a label: 单位预算 / 预算单位：…)."""
    text, starts = section.text, section.starts
    for match in DOUBLE.finditer(text):
        word = match.group(1) or match.group(2)
        if match.group(1) and len(word) == 2 and word not in listed:
            continue
        middle = match.start() + len(word)
        if middle in starts:
            line = starts.index(middle)
            if line == section.heading_lines or middle - starts[line - 1] < WRAPPED:
                continue
        around = section.sentence(match.start(), match.end() + 8, before=12)
        yield (section, middle, "text.repeated-text",
               f"词语连印两次「{word}{word}」：“{around}”。 A word is printed twice in a row.", around)
