"""Layer 5, text: the wording of the narrative itself, where reviewers find many errors that no
figure of the tables shows.

- text.placeholder: a template alternative or placeholder left in (下降（增长）, 预（决）算, XX,
  X万元, 20XX年, a year with a stray letter 2026A年);
- text.missing-amount: a unit with no figure before it (2019年政府性基金支出预算支出万元。);
- text.empty-reason: a reason or use announced and not given (主要原因是。, 主要用于；, 主要原因是
  followed by 其中：);
- text.self-comparison: a budget compared with its own year (a 2026 budget "比2026年预算增加");
- text.rate-without-percent: a rate after a change printed without its % ("增加 1.2 万元，增长 12.5。");
- text.wrong-stage: a budget's section heading naming a final account ("二、机构设置及部门决算单位构成");
- text.future-date: a budget stating a position as of a date not yet reached when it is published
  ("截至2026年12月31日" in a 2026 budget);
- text.subject-name-transposed: a 项 named in the text with the characters of the tables' name in another
  order (一般行政事务管理 for 一般行政管理事务);
- text.numbering: a heading number printed twice and the next skipped (十六、… 十六、… 十八、…);
- text.subordinate-count: the number of subordinate units stated differently (没有下属单位 … 下属1个单位);
- rounding and narrative.percentage over a listed breakdown: a whole and the parts listed after
  其中 / 主要包括 in one sentence differing by rounding; shares adding up to 100% not matching their amounts
  (`text_breakdowns`);
- text.repeated-text: a passage, a word or an item number printed twice in a row (`text_repeats`);
- the rules reading figures in sentences (`text_figures`): text.comparison-without-verb,
  narrative.zero-change, narrative.rate-of-zero-budget, narrative.part-exceeds-whole,
  narrative.vehicle-costs-without-vehicles.

The text of each narrative section is read as `text_sections` gives it; a finding points at the
page and line of the source where the phrase is (the section's first line plus the lines before
the phrase). The words come from codelists/text_words.csv.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal

from ..model import Table
from .rules import Context, ordinal
from .text_breakdowns import breakdown_sums, listed_shares
from .text_figures import parts_exceeding, rates_of_zero, vehicles, verbless_comparisons, zero_changes
from .text_repeats import repeated_paragraphs
from .text_sections import RATE, Section, alternation, sections, words


def check(ctx: Context) -> None:
    """Layer 5 over one package (`Context`), adding findings, returns None: the text rules over
    every section of the narrative table (see the module's docstring)."""
    table = ctx.tables.get("narrative")
    if table is None:
        return
    found = sections(table)
    checks = (_placeholders, _missing_amounts, _empty_reasons, _self_comparisons, _rates_without_percent, _future_dates,
              _wrong_stage, verbless_comparisons, zero_changes, rates_of_zero, parts_exceeding,
              breakdown_sums, listed_shares)
    for section in found:
        for run in checks:
            for pos, rule, message, label in run(ctx, section):
                _add(ctx, table, section, pos, rule, message, label)
    for section, pos, rule, message, label in repeated_paragraphs(found, words(ctx, "doubled_words")):
        _add(ctx, table, section, pos, rule, message, label)
    for section, pos, message, label in _transposed_subjects(ctx, found):
        _add(ctx, table, section, pos, "text.subject-name-transposed", message, label)
    for section, message, label in _numbering(found):
        _add(ctx, table, section, 0, "text.numbering", message, label)
    for section, pos, message, label in _subordinate_counts(ctx, found):
        _add(ctx, table, section, pos, "text.subordinate-count", message, label)
    for section in found:
        for pos, rule, message, label in vehicles(ctx, section):
            _add(ctx, table, section, pos, rule, message, label)
        if any(f.rule == "narrative.vehicle-costs-without-vehicles" for f in ctx.report.findings):
            break  # once a disclosure


def _add(ctx: Context, table: Table, section: Section, pos: int, rule: str, message: str, label: str) -> None:
    row = section.row
    location: dict = {"file": f"data/{table.table_id}.csv", "row": section.index + 2}
    if row.source_line:
        location["line"] = _line_of(ctx, section, pos)
        page = _page_of_line(ctx, location["line"])
        if page is not None or row.source_page:
            location["page"] = max(p for p in (page, row.source_page) if p is not None)
    elif row.source_page:
        location["page"] = row.source_page
    ctx.add(rule, message, table=table, row=row, location=location, label=label)


def _marks(ctx: Context) -> list[tuple[int, int | None]]:
    """(source line, page) of every row of every table whose line is known, sorted."""
    return ctx.memo(("text_rules", "marks"), lambda: sorted(
        {(r.source_line, r.source_page) for t in ctx.tables.values() for r in t.rows if r.source_line},
        key=lambda m: (m[0], m[1] or 0)))


def _line_of(ctx: Context, section: Section, pos: int) -> int:
    """The source line of offset `pos` of `section`: its first line plus the printed lines before
    `pos`, stretched to the source lines up to the next row of any table when the section's text
    dropped blank lines (at most twice as many source lines as printed ones)."""
    first, before, printed = section.row.source_line, section.line_of(pos), len(section.starts)
    following = [m[0] for m in _marks(ctx) if m[0] > first][:1]
    if following and printed and following[0] - first > printed:
        stretch = min(Decimal(following[0] - first) / printed, Decimal(2))
        return first + int(before * stretch)
    return first + before


def _page_of_line(ctx: Context, line: int) -> int | None:
    """The page of a source line, from the rows of every table (narrative sections included) whose
    line and page are known: the page of the last row at or before it, or, inside a stretch of text
    running over several pages to the next known row, the page in proportion to the lines."""
    marks = [m for m in _marks(ctx) if m[1]]
    at = bisect_right(marks, (line, 10 ** 9)) - 1
    if at < 0:
        return None
    (line0, page0), following = marks[at], marks[at + 1:at + 2]
    if following and following[0][1] > page0 + 1 and following[0][0] > line0:
        line1, page1 = following[0]
        return page0 + (line - line0) * (page1 - page0) // (line1 - line0)
    return page0

def _placeholders(ctx: Context, section: Section):
    options = words(ctx, "placeholder")
    options = sorted(set(options) | {w.replace("（", "(").replace("）", ")") for w in options}, key=len, reverse=True)
    pattern = ctx.memo(("text_rules", "placeholder"), lambda: re.compile(
        f"(?P<word>{alternation(options)})"
        r"|(?P<letters>(?<![A-Za-z0-9])(?:XX+|xx+|××+|ＸＸ+)(?![A-Za-z]))"
        r"|(?P<letter>(?<![A-Za-z0-9.])[XxＸ×](?=万元|亿元|元|%|％|个|人|年))"
        r"|(?P<year>20(?:\d\d[A-Za-zＡ-Ｚ]+|[Xx×Ｘ]{2})(?=年))"))
    seen: dict[str, list[int]] = {}
    for match in pattern.finditer(section.text):
        seen.setdefault(match.group(0), []).append(match.start())
    for placeholder, starts in seen.items():
        where = section.text[max(0, starts[0] - 24):starts[0] + len(placeholder) + 12]
        times = f"（本节共 {len(starts)} 处 {len(starts)} times in the section）" if len(starts) > 1 else ""
        yield (starts[0], "text.placeholder",
               f"文字中留有模板占位「{placeholder}」{times}：“{where}”。"
               f" A template placeholder is left in the printed text.", where)


def _missing_amounts(ctx: Context, section: Section):
    pattern = ctx.memo(("text_rules", "missing"), lambda: re.compile(
        f"(?:{alternation(words(ctx, 'amount_nouns'))})(?:为|是)?(万元|亿元)(?=[。，；,;])"))
    for match in pattern.finditer(section.text):
        where = section.sentence(match.start(), match.end() + 1)
        yield (match.start(1), "text.missing-amount",
               f"金额缺失「{match.group(0)}」：单位前没有数字：“{where}”。 An amount is missing before its unit.", where)


def _empty_reasons(ctx: Context, section: Section):
    pattern = ctx.memo(("text_rules", "reason"), lambda: re.compile(
        f"(?P<phrase>{alternation(words(ctx, 'reason_phrases'))})[：:，,]?(?=[。；;]|其中[：:])"))
    for match in pattern.finditer(section.text):
        where = section.text[max(0, match.start() - 30):match.end() + 8]
        yield (match.start(), "text.empty-reason",
               f"「{match.group('phrase')}」之后没有写出内容：“{where}”。"
               f" The text announces a reason or a use and gives none.", where)


SELF = re.compile(r"(?:比|较|与)(20\d\d)年度?(?P<base>[^，。；,;]{0,12}?)(?:相比|相较)?[，,]?"
                  r"(?:增加|减少|增长|下降|上升|持平|基本持平)")


def _self_comparisons(ctx: Context, section: Section):
    year, stage = ctx.fiscal_year, ctx.stage
    if year is None or stage not in ("budget", "final_accounts"):
        return
    for match in SELF.finditer(section.text):
        if int(match.group(1)) != year:
            continue
        if stage == "final_accounts" and "决算" not in match.group("base"):
            continue  # a final account compares with its own year's budget by design
        where = section.sentence(match.start(), match.end())
        kind = "预算" if stage == "budget" else "决算"
        yield (match.start(), "text.self-comparison",
               f"{year}年{kind}与本年度自身比较：“{where}”（应与上年比较）。"
               f" The {year} {stage.replace('_', ' ')} is compared with its own year.", where)


def _rates_without_percent(ctx: Context, section: Section):
    verbs = alternation(words(ctx, "change_verbs"))
    pattern = ctx.memo(("text_rules", "rate"), lambda: re.compile(
        f"(?:{verbs})了?\\d[\\d,]*(?:\\.\\d+)?(?:亿元|万元|元)[，,](?:{verbs})了?{RATE}(?![\\d.,%％])(?=[，,。；;]|$)"))
    for match in pattern.finditer(section.text):
        where = section.sentence(match.start(), match.end())
        yield (match.start(1), "text.rate-without-percent",
               f"增减幅度 {match.group(1)} 没有印出 %：“{where}”。 A rate of change is printed without its %.", where)


AS_OF = re.compile(r"截[至止]到?(20\d\d)年(?:(\d{1,2})月)?(?:(\d{1,2})日)?")
LATEST_MONTH = 5  # a budget is approved and published in the first months of its year


def _future_dates(ctx: Context, section: Section):
    year = ctx.fiscal_year
    if year is None or ctx.stage != "budget":
        return
    for match in AS_OF.finditer(section.text):
        printed_year, month = int(match.group(1)), int(match.group(2) or 0)
        if printed_year < year or (printed_year == year and month <= LATEST_MONTH):
            continue
        where = section.text[match.start():match.end() + 24]
        yield (match.start(), "text.future-date",
               f"{year}年预算说明「{match.group(0)}」的情况，该日期在预算编制公开时尚未到来：“{where}”。"
               f" A {year} budget states a position as of a date not yet reached when it was published.", where)


def _wrong_stage(ctx: Context, section: Section):
    if ctx.stage != "budget" or not section.heading_lines:
        return
    heading = section.text[:section.starts[1]] if len(section.starts) > 1 else section.text
    for word in words(ctx, "final_accounts_words"):
        at = heading.find(word)
        if at >= 0:
            yield (at, "text.wrong-stage",
                   f"预算文件的标题写作决算「{word}」：“{heading}”。 A heading of a budget speaks of a final account.", heading)
            return


def _subordinate_counts(ctx: Context, found: list[Section]):
    """text.subordinate-count: the number of subordinate units stated differently in one disclosure
    (没有下属单位 … 下属1个单位): one finding at each statement of a count other than the most
    frequent one. The phrases of "no subordinate units" from codelists/disclosure_words.csv."""
    none = alternation(ctx.standard.disclosure_words("no_subordinates"))
    pattern = re.compile(f"(?P<none>{none})|下属(?P<a>\\d+)个单位|下属单位共?(?P<b>\\d+)个")
    stated = []
    for section in found:
        for match in pattern.finditer(section.text):
            count = 0 if match.group("none") else int(match.group("a") or match.group("b"))
            stated.append((count, section, match))
    counts = [c for c, _, _ in stated]
    if len(set(counts)) < 2:
        return
    usual = max(sorted(set(counts)), key=counts.count)
    shown = "、".join(f"「{m.group(0)}」" for _, _, m in stated)
    for count, section, match in stated:
        if count != usual:
            yield (section, match.start(),
                   f"下属单位数前后不一：此处「{match.group(0)}」，全文分别写作 {shown}。"
                   f" The number of subordinate units is stated differently across the disclosure.", match.group(0))


SUBJECT = re.compile(r"[（(]款[）)]([\u4e00-\u9fa5、]{2,20}?)[（(]项[）)]")


def _subject_names(ctx: Context) -> set[str]:
    """The names the document's tables print for 项 (seven-digit function codes), white space,
    brackets and a leading code removed."""
    names = set()
    for table in ctx.tables.values():
        for row in table.rows:
            code, label = str(row.values.get("function_code") or ""), row.values.get("item")
            if len(code) == 7 and label:
                names.add(re.sub(r"^\d+|[\s（）()“”\"]", "", str(label)))
    return names


def _transposed_subjects(ctx: Context, found: list[Section]):
    """text.subject-name-transposed: a 项 named in the text ("法院（款）一般行政事务管理（项）") whose name
    the tables never print, while they print a name of the same characters in another order
    (一般行政管理事务)."""
    names = None
    for section in found:
        for match in SUBJECT.finditer(section.text):
            if names is None:
                names = _subject_names(ctx)
            name = re.sub(r"[“”\"]", "", match.group(1))
            if not names or name in names:
                continue
            printed = [n for n in sorted(names) if n != name and sorted(n) == sorted(name)]
            if printed:
                yield (section, match.start(1),
                       f"文字说明的科目「{name}（项）」，表中印作「{printed[0]}」：字序颠倒。"
                       f" The text names the subject with its characters in another order than the tables.", name)


def _numbering(found: list[Section]):
    """text.numbering: a heading number printed twice in a row and the next number skipped (十六、…
    十六、… 十八、…), among the headings numbered in the same style (一、 / （一） / 1. …). A list
    beginning again at 1 is a new list, not a repeat."""
    numbered: dict[str, list[tuple[int, Section, str]]] = {}
    for section in found:
        if not section.heading_lines:
            continue
        heading = section.text[:section.starts[1]] if len(section.starts) > 1 else section.text
        style, number, _ = ordinal(heading)
        if style is not None and number is not None:
            numbered.setdefault(style, []).append((number, section, heading))
    for run in numbered.values():
        for (before, _, first), (number, section, heading), (after, _, _) in zip(run, run[1:], run[2:]):
            if number == before >= 2 and after == number + 2:
                yield (section, f"标题编号重复且跳号：「{first}」之后又是「{heading}」，下一个编号为 {after}。"
                       f" A heading number is printed twice and the next one is skipped.", heading)
