"""The narrative's breakdowns read as sums (run by `text_rules`): a whole followed by the list of
its parts in one sentence ("纳入政府采购项目共有39,591.53万元，其中：货物类项目12,049.73万元、工程类项目
3,177.68万元、服务类项目24,364.13万元。", "人力资源综合管理2,858.27万元，主要包括：综合管理服务1,763.95万元
…；政务服务管理工作经费711.86万元…；人力资源市场管理382.45万元…。") whose parts add up to a figure
other than the whole by no more than the rounding of the parts and the whole explains: the rule
`rounding` (info), with the parts, their sum, the whole and the gap as printed.

A larger gap is not reported here: a list after 其中 / 包括 may name only some of the parts
(主要包括), so a shortfall is not an error, and the words that open a list are not always
those of a complete one. Lists holding a change (增加, 比上年 …), a nested breakdown (其中, 含,
包括 again), a qualified amount (100万元以上) or amounts in another unit than the whole are not
read; a whole that is itself a change is not read either.

Yields (offset, rule, message, quoted text) for one `text_sections.Section`.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .rules import Context
from .text_sections import Section

NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
OPENER = re.compile(NUMBER + r"(亿元|万元)[，,：:]?(?:其中|主要包括|包括)[：:，,]?")
MONEY = re.compile(NUMBER + r"(亿元|万元|元)(?!以上|以下|及以上|（含）|\(含\))")
NESTED = re.compile(r"其中|含|包括")
CHANGE = re.compile(r"增加|减少|增长|下降|上升|较|比|变化|持平|同比")
CLAUSE_START = re.compile(r"[。；;，,：:]")


def _half_unit(number: str) -> Decimal:
    decimals = len(number.split(".")[1]) if "." in number else 0
    return Decimal(1).scaleb(-decimals) / 2


def breakdown_sums(ctx: Context, section: Section):
    """`rounding` in `section`: a whole (万元 or 亿元) followed by 其中 / 主要包括 / 包括 and, up
    to the end of its sentence, at least two amounts in the whole's unit whose sum differs from
    the whole by a non-zero gap at most half a unit of the last printed digit of each."""
    text = section.text
    for match in OPENER.finditer(text):
        clause_begin = max((m.end() for m in CLAUSE_START.finditer(text, 0, match.start())), default=0)
        if CHANGE.search(text[clause_begin:match.start()]):
            continue  # the whole is a change: its parts may move the other way
        end = text.find("。", match.end())
        listed = text[match.end():end if end >= 0 else len(text)]
        if CHANGE.search(listed) or NESTED.search(listed):
            continue
        amounts = list(MONEY.finditer(listed))
        if len(amounts) < 2 or any(m.group(2) != match.group(2) for m in amounts):
            continue
        if len(MONEY.findall(listed)) != len(re.findall(r"\d(?:亿元|万元|元)", listed)):
            continue  # a qualified amount (…万元以上) among them
        whole = Decimal(match.group(1).replace(",", ""))
        parts = [Decimal(m.group(1).replace(",", "")) for m in amounts]
        total = sum(parts, Decimal(0))
        bound = _half_unit(match.group(1)) + sum((_half_unit(m.group(1)) for m in amounts), Decimal(0))
        gap = abs(total - whole)
        if gap == 0 or gap > bound:
            continue
        unit = match.group(2)
        shown = " + ".join(m.group(1) for m in amounts)
        quote = text[match.start():match.end() + (end - match.end() if end >= 0 else len(listed))]
        yield (match.start(), "rounding",
               f"文字所列分项之和与总额相差舍入误差：{shown} = {total:,}{unit}，总额 {match.group(1)}{unit}，"
               f"相差 {gap}{unit}（{len(parts)} 项）。 The parts listed in the narrative add up to a figure "
               f"that differs from the whole by rounding.", quote[:120])


SHARE = re.compile(NUMBER + r"(亿元|万元|元)[，,]?占(?:比|比重)?(?:为)?(\d+(?:\.\d+)?)[%％]")


def listed_shares(ctx: Context, section: Section):
    """narrative.percentage in `section`: a sentence listing at least two amounts each with its share
    ("一般公共服务（类）支出5356.01万元，占78.4%；社会保障和就业（类）支出796.52万元，占11.6%；…") whose
    printed shares add up to 100% (within their rounding), so that the whole is the sum of the listed
    amounts: a share that is not its amount divided by that sum, beyond half a unit of the share's
    last printed digit (and 0.01 for the amounts' rounding), is reported. Shares another finding of
    narrative.percentage already names are left to it."""
    text = section.text
    start = 0
    for end in [i for i, c in enumerate(text) if c == "。"] + [len(text)]:
        sentence, offset, start = text[start:end], start, end + 1
        items = list(SHARE.finditer(sentence))
        if len(items) < 2 or len({m.group(2) for m in items}) != 1:
            continue
        shares = [Decimal(m.group(3)) for m in items]
        slack = sum((_half_unit(m.group(3)) for m in items), Decimal(0))
        if abs(sum(shares) - 100) > slack:
            continue  # not a complete breakdown: the whole is not the sum of the listed amounts
        amounts = [Decimal(m.group(1).replace(",", "")) for m in items]
        whole = sum(amounts, Decimal(0))
        if whole <= 0:
            continue
        for m, amount, share in zip(items, amounts, shares):
            computed = amount / whole * 100
            if abs(computed - share) <= _half_unit(m.group(3)) + Decimal("0.01"):
                continue
            if any(f.rule == "narrative.percentage" and m.group(1) in f.message for f in ctx.report.findings):
                continue
            yield (offset + m.start(), "narrative.percentage",
                   f"占比与金额不符：「{m.group(0)}」，所列各项合计 {whole:,}{m.group(2)}（所列占比合计 {sum(shares)}%），"
                   f"{m.group(1)} ÷ {whole:,} = {computed:.2f}%。 The stated share is not the amount divided by the "
                   f"sum of the amounts listed with it (their shares add up to 100%).", m.group(0))
