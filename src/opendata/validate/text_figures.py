"""The text rules that read figures in the narrative's sentences (run by `text_rules`):

- text.comparison-without-verb: "210.32万元，比上年1.43万元，增加0.68%" where 1.43 is the change
  (1.43 / 208.89 = 0.68%), not the previous year's figure: 增加 is missing before it;
- narrative.zero-change: a change of zero stated as an increase or a decrease ("比上年增加0万元",
  "增长0%"), where the text should say 持平;
- narrative.rate-of-zero-budget: a rate of a base of 0 ("完成预算 0 万元的 0%" with 0.16 spent,
  "年初预算为0 … 完成年初预算的95.89%", "97.19 万元，比预算数增加 97.19 万元，增长 0%");
- narrative.part-exceeds-whole: a part after 其中 larger than the whole printed just before it
  ("设备 8 台，其中，单位价值 100 万元以上设备 15 台"; "预算支出1682.76元，其中基本支出预算1208.20万元");
- narrative.vehicle-costs-without-vehicles: "共有车辆0辆" beside a 三公 table budgeting 公务用车运行维护费.

Each yields (offset, rule, message, quoted text) for one `text_sections.Section`.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .narrative import CHANGE, UNITS, stated
from .rules import Context, printed
from .text_sections import RATE, Section, alternation, words

VERBLESS = re.compile(r"(\d[\d,]*(?:\.\d+)?)(亿元|万元|元)[，,](?:比|较)(?:上年|上一年|20\d\d年)(?:度)?(?:预算数?|年初预算数?|执行数)?"
                      r"(\d[\d,]*(?:\.\d+)?)(亿元|万元|元)[，,]?(增加|减少|增长|下降)了?(\d+(?:\.\d+)?)[%％]")


def verbless_comparisons(ctx: Context, section: Section):
    """text.comparison-without-verb in `section`: "A万元，比上年X万元，增加P%" where P% is X ÷ (A − X)
    (X the change) and not A ÷ X − 1 (X the earlier figure)."""
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


def zero_changes(ctx: Context, section: Section):
    """narrative.zero-change in `section`: a comparison (比/较/与/同比) whose first change verb is followed
    by 0 (万元 or %), once a clause; the verbs from codelists/text_words.csv (change_verbs)."""
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


def rates_of_zero(ctx: Context, section: Section):
    """narrative.rate-of-zero-budget in `section`: a completion rate of a budget printed as 0 with
    something spent or a rate above 0 (completion_words of codelists/text_words.csv), and a growth
    rate other than the 100% convention where the increase equals the amount (narrative.CHANGE)."""
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
        pct_text = (match.group("pct") or match.group("bpct") or "").replace(",", "")   # 增长 5%; …万元（5%）
        if match.group("dir") not in ("增加", "增长") or not pct_text or match.group("base"):
            continue
        current = stated(match)
        change_text = match.group("change").replace(",", "")
        change = Decimal(change_text) * UNITS[match.group("change_unit")]
        decimals = len(change_text.split(".")[1]) if "." in change_text else 0
        tolerance = current.tolerance + UNITS[match.group("change_unit")] * Decimal(1).scaleb(-decimals) / 2
        pct = Decimal(pct_text)
        if change <= 0 or current.value != change or pct == 100:
            continue  # a base printed as other than 0, or the 100% convention for growth from nothing
        if pct >= change / tolerance * 100:
            continue  # a base within the rounding of the figures (above 0) would give this rate
        where = section.sentence(match.start(), match.end())
        yield (match.start(), "narrative.rate-of-zero-budget",
               f"增加额等于本年数（上年为 0），却印出增幅 {pct_text}%：“{where}”。"
               f" A growth rate of a base of 0 is printed.", where)


COUNTS = "台（套）|台\\(套\\)|台|辆|套|个|人|项|家|所|名|处|座|平方米"
QUANTITY = re.compile(r"(\d[\d,]*(?:\.\d+)?)(亿元|万元|元|" + COUNTS + r")(?!以上|以下|及以上|（含）以上)")
WHOLE = re.compile(r"(\d[\d,]*(?:\.\d+)?)(亿元|万元|元|" + COUNTS + r")[）)]?(?P<open>[（(])?[，,]?其中[：:，,]?")
NESTED = re.compile(r"其中|含|包括")
BRACKETED = re.compile(r"[^（()）]*(?=[）)])")  # a bracketed list after "（其中", without nested brackets
CHANGE_WORDS = re.compile(r"增加|减少|增长|下降|上升|较|比|变化|持平")


def _amount(number: str, unit: str) -> tuple[str, Decimal, Decimal]:
    """(kind, value, half a unit of the last printed digit) of a printed quantity: money in 元, counts as printed."""
    value = Decimal(number.replace(",", ""))
    decimals = len(number.split(".")[1]) if "." in number else 0
    factor = UNITS.get(unit, Decimal(1))
    kind = "money" if unit in UNITS else unit.replace("(", "（").replace(")", "）").replace("（套）", "")
    return kind, value * factor, factor * Decimal(1).scaleb(-decimals) / 2


def parts_exceeding(ctx: Context, section: Section):
    """narrative.part-exceeds-whole in `section`: the first quantity of the same kind after
    "…，其中" larger than the whole just before it beyond both roundings; changes are not read."""
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
                       f"“其中”的部分 {part_match.group(0)} 大于整体 {match.group(1)}{match.group(2)}：「{where}」。{hint}"
                       f" A part after 其中 is larger than its whole.", where)
                break
            if match.group("open"):
                yield from _bracketed_parts(section, match, kind, whole, whole_tol)
            break


def _bracketed_parts(section: Section, match: re.Match, kind: str, whole: Decimal, whole_tol: Decimal):
    """The parts listed in brackets after a whole ("8013平方米（其中计容面积7998平方米，不计容面积105平方米）")
    adding up to more than the whole beyond the rounding of all of them."""
    listed = BRACKETED.match(section.text, match.end())
    if listed is None or CHANGE_WORDS.search(listed.group(0)) or NESTED.search(listed.group(0)):
        return  # a change, or parts of parts (其中 … 其中 / 含 …) that do not add up to the whole
    parts = [_amount(m.group(1), m.group(2)) for m in QUANTITY.finditer(listed.group(0))]
    parts = [(value, tol) for part_kind, value, tol in parts if part_kind == kind]
    if len(parts) < 2:
        return
    total = sum(value for value, _ in parts)
    if total > whole + whole_tol + sum(tol for _, tol in parts):
        where = section.text[match.start():listed.end() + 1]
        unit = match.group(2)
        factor = UNITS.get(unit, Decimal(1))
        yield (match.start(), "narrative.part-exceeds-whole",
               f"“其中”所列各部分之和 {total / factor:f}{unit} 大于整体 {match.group(1)}{unit}：「{where}」。"
               f" The parts listed after 其中 add up to more than their whole.", where)


def _vehicle_running_costs(ctx: Context) -> Decimal | None:
    """The 公务用车运行维护费 of the 三公 table (its line vehicle_operation, the document's own period
    where it prints several; identities.line_row), None when the table is absent or prints no such figure."""
    from .identities import line_row
    row = line_row(ctx.tables.get("three_public_expenses"), "vehicle_operation")
    return row.values.get("total") if row is not None else None


def vehicles(ctx: Context, section: Section):
    """narrative.vehicle-costs-without-vehicles in `section`: a holding of 0 vehicles (vehicle_holdings
    of codelists/text_words.csv) while the 三公 table's total budgets 公务用车运行维护费 above 0."""
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
