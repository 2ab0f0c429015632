"""Layer 5, text: the wording of the narrative itself, where reviewers find many errors that no
figure of the tables shows.

- text.placeholder: a template alternative or placeholder left in (下降（增长）, 预（决）算, XX,
  X万元, 20XX年, a year with a stray letter 2026A年);
- text.empty-reason: a reason or use announced and not given (主要原因是。, 主要用于；, 主要原因是
  followed by 其中：);
- text.self-comparison: a budget compared with its own year (a 2026 budget "比2026年预算增加");
- text.rate-without-percent: a rate after a change printed without its % ("增加 1.2 万元，增长 12.5。");
- text.wrong-stage: a budget's section heading naming a final account ("二、机构设置及部门决算单位构成");
- text.comparison-without-verb: "210.32万元，比上年1.43万元，增加0.68%" where 1.43 is the change
  (1.43 / 208.89 = 0.68%), not the previous year's figure: 增加 is missing before it;
- text.future-date: a budget stating a position as of a date not yet reached when it is published
  ("截至2026年12月31日" in a 2026 budget);
- text.repeated-paragraph: the same paragraph printed twice (`text_repeats`);
- narrative.zero-change: a change of zero stated as an increase or a decrease ("比上年增加0万元",
  "增长0%"), where the text should say 持平;
- narrative.part-exceeds-whole: a part after 其中 larger than the whole printed just before it
  ("设备 8 台，其中，单位价值 100 万元以上设备 15 台"; "预算支出1682.76元，其中基本支出预算1208.20万元");
- narrative.vehicle-costs-without-vehicles: "共有车辆0辆" beside a 三公 table budgeting 公务用车运行维护费;
- narrative.rate-of-zero-budget: a rate of a base of 0 ("完成预算 0 万元的 0%" with 0.16 spent,
  "年初预算为0 … 完成年初预算的95.89%", "97.19 万元，比预算数增加 97.19 万元，增长 0%").

The text of each narrative section is read with its white space removed (pdftotext spaces
"2026 年" out); a finding points at the page and line of the source where the phrase is
(the section's first line plus the lines before the phrase). The words come from
codelists/text_words.csv.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Row, Table
from .narrative import CHANGE, UNITS, stated
from .rules import Context, printed

SPACE = re.compile(r"[^\S\t]+")  # tabs kept: they part the cells of a table read as text
PUNCT = "。；;！？!?"
RATE = r"(\d[\d,]*(?:\.\d+)?)"


@dataclass
class Section:
    """One narrative section as read by the text rules: its row, its text without white space
    and where each printed line of it starts in that text."""
    row: Row
    index: int
    text: str = ""
    starts: list[int] = field(default_factory=list)
    heading_lines: int = 0  # 1 when the first line is the section's heading

    def line_of(self, pos: int) -> int:
        """How many printed lines of the section come before offset `pos`."""
        return max(0, bisect_right(self.starts, pos) - 1)

    def clause(self, start: int, end: int) -> str:
        """The text from the start of the clause before the one holding `start` (after the last
        。；，： or an unclosed bracket, at most 60 characters back) to `end`: the figure a
        comparison speaks of and the comparison ("因公出国（境）费0万元，比上年增加0万元")."""
        depth, commas, begin = 0, 0, max(0, start - 60)
        for pos in range(start - 1, begin - 1, -1):
            char = self.text[pos]
            if char in "）)":
                depth += 1
            elif char in "（(":
                if depth == 0:
                    begin = pos + 1
                    break
                depth -= 1
            elif char in PUNCT + "：:" or (char in "，," and commas == 1):
                begin = pos + 1
                break
            elif char in "，,":
                commas += 1
        return self.text[begin:end]

    def sentence(self, start: int, end: int, before: int = 60) -> str:
        """The text from the start of the clause holding `start` (after the last 。 or ；, at most
        `before` characters back) to `end`."""
        cut = max(self.text.rfind(p, 0, start) for p in PUNCT)
        begin = max(cut + 1, start - before, 0)
        return self.text[begin:end]


def sections(table: Table) -> list[Section]:
    """The narrative sections of `table`: heading (when printed) and text, one line each printed line."""
    result = []
    for index, row in enumerate(table.rows):
        heading = str(row.values.get("heading") or "")
        body = str(row.values.get("text") or "")
        lines = ([heading] if heading else []) + (body.split("\n") if body else [])
        section = Section(row, index, heading_lines=1 if heading else 0)
        parts = []
        length = 0
        for line in lines:
            section.starts.append(length)
            squeezed = SPACE.sub("", line)
            parts.append(squeezed)
            length += len(squeezed)
        section.text = "".join(parts)
        result.append(section)
    return result


def words(ctx: Context, kind: str) -> tuple[str, ...]:
    """The words of `kind` in codelists/text_words.csv (longest first)."""
    for row in ctx.standard.codelists["text_words"].rows:
        if row["code"] == kind:
            return tuple(sorted((w for w in row["words"].split("|") if w), key=len, reverse=True))
    raise KeyError(f"text_words.csv has no kind {kind!r}")


def alternation(items) -> str:
    return "|".join(re.escape(w) for w in items)


def check(ctx: Context) -> None:
    """Layer 5 over one package (`Context`), adding findings, returns None: the text rules over
    every section of the narrative table (see the module's docstring)."""
    table = ctx.tables.get("narrative")
    if table is None:
        return
    from .text_repeats import repeated_paragraphs
    found = sections(table)
    checks = (_placeholders, _empty_reasons, _self_comparisons, _rates_without_percent, _future_dates,
              _wrong_stage, _verbless_comparisons, _zero_changes, _rates_of_zero, _parts_exceeding)
    for section in found:
        for run in checks:
            for pos, rule, message, label in run(ctx, section):
                _add(ctx, table, section, pos, rule, message, label)
    for section, pos, rule, message, label in repeated_paragraphs(found, words(ctx, "doubled_words")):
        _add(ctx, table, section, pos, rule, message, label)
    for section in found:
        for pos, rule, message, label in _vehicles(ctx, section):
            _add(ctx, table, section, pos, rule, message, label)
        if any(f.rule == "narrative.vehicle-costs-without-vehicles" for f in ctx.report.findings):
            break  # once a disclosure


def _add(ctx: Context, table: Table, section: Section, pos: int, rule: str, message: str, label: str) -> None:
    row = section.row
    location: dict = {"file": f"data/{table.table_id}.csv", "row": section.index + 2}
    if row.source_line:
        location["line"] = row.source_line + section.line_of(pos)
        page = _page_of_line(ctx, location["line"])
        if page is not None or row.source_page:
            location["page"] = max(p for p in (page, row.source_page) if p is not None)
    elif row.source_page:
        location["page"] = row.source_page
    ctx.add(rule, message, table=table, row=row, location=location, label=label)


def _page_of_line(ctx: Context, line: int) -> int | None:
    """The page of a source line, from the rows of every table (narrative sections included) whose
    line and page are known: the page of the last row at or before it, or, inside a stretch of text
    running over several pages to the next known row, the page in proportion to the lines."""
    marks = ctx.memo(("text_rules", "pages"), lambda: sorted(
        {(r.source_line, r.source_page) for t in ctx.tables.values() for r in t.rows
         if r.source_line and r.source_page}))
    at = bisect_right(marks, (line, 10 ** 9)) - 1
    if at < 0:
        return None
    (line0, page0), following = marks[at], marks[at + 1:at + 2]
    if following and following[0][1] > page0 + 1 and following[0][0] > line0:
        line1, page1 = following[0]
        return page0 + (line - line0) * (page1 - page0) // (line1 - line0)
    return page0


# -- the rules ------------------------------------------------------------------------------------

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


def _empty_reasons(ctx: Context, section: Section):
    pattern = ctx.memo(("text_rules", "reason"), lambda: re.compile(
        f"(?P<phrase>{alternation(words(ctx, 'reason_phrases'))})[：:，,]?(?=[。；;]|其中)"))
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


VERBLESS = re.compile(r"(\d[\d,]*(?:\.\d+)?)(亿元|万元|元)[，,](?:比|较)(?:上年|上一年|20\d\d年)(?:度)?(?:预算数?|年初预算数?|执行数)?"
                      r"(\d[\d,]*(?:\.\d+)?)(亿元|万元|元)[，,]?(增加|减少|增长|下降)了?(\d+(?:\.\d+)?)[%％]")


def _verbless_comparisons(ctx: Context, section: Section):
    for match in VERBLESS.finditer(section.text):
        current = Decimal(match.group(1).replace(",", "")) * UNITS[match.group(2)]
        other = Decimal(match.group(3).replace(",", "")) * UNITS[match.group(4)]
        pct = Decimal(match.group(6))
        sign = 1 if match.group(5) in ("增加", "增长") else -1
        slack = max(Decimal("0.01"), pct * Decimal("0.01")) + Decimal("0.05")
        if other > 0 and abs((current / other - 1) * 100 - sign * pct) <= slack:
            continue  # 比上年 X 万元增加 P%: X is the previous figure, the sentence is whole
        base = current - sign * other
        if base <= 0 or abs(other / base * 100 - pct) > slack:
            continue  # neither reading computes: the change rule's business, not a missing word
        where = section.sentence(match.start(), match.end())
        yield (match.start(3), "text.comparison-without-verb",
               f"比较句缺少“增加/减少”：「{match.group(0)}」中 {match.group(3)}{match.group(4)} 是变化额（{match.group(6)}% = "
               f"{match.group(3)} ÷ {base / UNITS[match.group(4)]:.2f}），不是上年数。"
               f" The verb of the change is missing: the amount after 比上年 is the change, not the earlier figure.", where)


def _zero_changes(ctx: Context, section: Section):
    verbs = alternation(words(ctx, "change_verbs"))
    pattern = ctx.memo(("text_rules", "zero"), lambda: re.compile(
        f"(?:比|较|与|同比)(?:(?!{verbs})[^。；;]){{0,30}}?(?:{verbs})了?0(?:\\.0+)?(?![\\d.])(?:亿元|万元|元|%|％)"))
    last = -1
    for match in pattern.finditer(section.text):
        where = section.clause(match.start(), match.end())
        start = match.end() - len(where)
        if start <= last:
            continue  # one finding a clause
        last = match.end()
        yield (match.start(), "narrative.zero-change",
               f"变化为零却写作增减「{match.group(0)}」：“{where}”（应为“持平”）。"
               f" A change of zero is stated as an increase or a decrease.", where)


def _rates_of_zero(ctx: Context, section: Section):
    text = section.text
    completion = alternation(words(ctx, "completion_words"))
    inline = re.compile(f"(?:{completion})数?0(?:\\.0+)?(?:亿元|万元|元)?的{RATE}[%％]")
    named = re.compile(f"(?:{completion})数?的{RATE}[%％]")
    zero_budget = re.compile(r"预算数?(?:为|是|：|:)?0(?:\.0+)?(?:亿元|万元|元)?(?![\d.])")
    amount = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:亿元|万元|元)")
    for match in inline.finditer(text):
        where = section.sentence(match.start(), match.end())
        before = [Decimal(m.group(1).replace(",", "")) for m in amount.finditer(text[text.find(where):match.start()])]
        spent = before[-1] if before else None
        if Decimal(match.group(1)) == 0 and not spent:
            continue  # nothing spent of nothing
        yield (match.start(), "narrative.rate-of-zero-budget",
               f"对预算 0 计算完成率：“{where}”。 A completion rate of a budget of 0 is printed.", where)
    for match in named.finditer(text):
        where = section.sentence(match.start(), match.end(), before=120)
        head = where[:len(where) - len(match.group(0))]
        zero = zero_budget.search(head)
        if not zero or Decimal(match.group(1)) == 0:
            continue
        yield (match.start(), "narrative.rate-of-zero-budget",
               f"预算为 0，却印出完成率 {match.group(1)}%：“{where}”。 A completion rate of a budget of 0 is printed.", where)
    for match in CHANGE.finditer(text):
        if match.group("dir") not in ("增加", "增长") or not match.group("pct") or match.group("base"):
            continue
        current = stated(match)
        change_text = match.group("change").replace(",", "")
        change = Decimal(change_text) * UNITS[match.group("change_unit")]
        decimals = len(change_text.split(".")[1]) if "." in change_text else 0
        tolerance = current.tolerance + UNITS[match.group("change_unit")] * Decimal(1).scaleb(-decimals) / 2
        if change <= 0 or abs(current.value - change) > tolerance or Decimal(match.group("pct")) == 100:
            continue  # a base of 0 with the 100% convention, or a base that is not 0
        where = section.sentence(match.start(), match.end())
        yield (match.start(), "narrative.rate-of-zero-budget",
               f"增加额等于本年数（上年为 0），却印出增幅 {match.group('pct')}%：“{where}”。"
               f" A growth rate of a base of 0 is printed.", where)


COUNTS = "台（套）|台\\(套\\)|台|辆|套|个|人|项|家|所|名|处|座"
QUANTITY = re.compile(r"(\d[\d,]*(?:\.\d+)?)(亿元|万元|元|" + COUNTS + r")(?!以上|以下|及以上|（含）以上)")
WHOLE = re.compile(r"(\d[\d,]*(?:\.\d+)?)(亿元|万元|元|" + COUNTS + r")[）)]?[，,]?其中[：:，,]?")
CHANGE_WORDS = re.compile(r"增加|减少|增长|下降|上升|较|比|变化|持平")


def _amount(number: str, unit: str) -> tuple[str, Decimal, Decimal]:
    """(kind, value, half a unit of the last printed digit) of a printed quantity: money in 元, counts as printed."""
    value = Decimal(number.replace(",", ""))
    decimals = len(number.split(".")[1]) if "." in number else 0
    factor = UNITS.get(unit, Decimal(1))
    kind = "money" if unit in UNITS else unit.replace("(", "（").replace(")", "）").replace("（套）", "")
    return kind, value * factor, factor * Decimal(1).scaleb(-decimals) / 2


def _parts_exceeding(ctx: Context, section: Section):
    text = section.text
    for match in WHOLE.finditer(text):
        head = section.clause(match.start(1), match.end(2))
        if CHANGE_WORDS.search(head):
            continue  # a change: its parts may move the other way
        tail = re.split(r"[。；;，,、]", text[match.end():match.end() + 60], maxsplit=1)[0]
        if CHANGE_WORDS.search(tail):
            continue
        kind, whole, whole_tol = _amount(match.group(1), match.group(2))
        for part_match in QUANTITY.finditer(tail):
            part_kind, part, part_tol = _amount(part_match.group(1), part_match.group(2))
            if part_kind != kind:
                continue
            if part > whole + whole_tol + part_tol:
                where = text[match.start() - len(head) + len(match.group(1) + match.group(2)):match.end() + part_match.end()]
                hint = ""
                if match.group(2) != part_match.group(2) and kind == "money":
                    hint = (f"两数单位不同（{match.group(2)}与{part_match.group(2)}），单位可能印错。"
                            f" The units differ: one is likely wrong.")
                yield (match.start(), "narrative.part-exceeds-whole",
                       f"“其中”的部分 {part_match.group(0)} 大于整体 {match.group(1)}{match.group(2)}：“{where}”。{hint}"
                       f" A part after 其中 is larger than its whole.", where)
            break


def _vehicle_running_costs(ctx: Context) -> Decimal | None:
    """The 公务用车运行维护费 of the 三公 table's total row (its only row when it prints one), None when
    the table is absent, prints periods side by side, or has no such figure."""
    from .identities import total_row
    table = ctx.tables.get("three_public_expenses")
    if table is None or any(r.values.get("period") for r in table.rows):
        return None
    row = total_row(table) or (table.rows[0] if len(table.rows) == 1 else None)
    return row.values.get("vehicle_operation") if row is not None else None


def _vehicles(ctx: Context, section: Section):
    pattern = re.compile(f"(?:{alternation(words(ctx, 'vehicle_holdings'))})0辆")
    match = pattern.search(section.text)
    if match is None:
        return
    running = _vehicle_running_costs(ctx)
    if not running or running <= 0:
        return
    table = ctx.tables["three_public_expenses"]
    where = section.sentence(match.start(), match.end())
    yield (match.start(), "narrative.vehicle-costs-without-vehicles",
           f"文字说明「{match.group(0)}」，而“三公”经费表安排公务用车运行维护费 {printed(running, table)}：“{where}”。"
           f" No vehicles are held, yet the budget runs vehicles; the text does not say why (hired or shared cars?).",
           where)
