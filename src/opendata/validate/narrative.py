"""Layer 4, narrative: what the text of the disclosure states against what its tables print.

- key figures (table `key_figures`) agree with the quantity they name (收入预算: 本年收入合计 or 收入总计);
- a component can not exceed its whole: a larger amount is usually in the wrong unit (元 for 万元);
- the amount a narrative gives a function class ("社会保障和就业（类）支出 4646.45 万元") is the class's in the tables;
- stated shares ("基本支出 423.4 万元，占 92%") and year-on-year changes ("比上年增加 1.51 万元，增长 1677%";
  "减少 1 万元（9.09%）") agree with the figures they relate, at the printed precision.

The narrative is free text; every check here only fires when the text can be read with certainty (the figure a
phrase names, not a part of it: `subject`; a comparison's base; the text without the layout's spaces: `spacing`),
and rounding is allowed for in both directions: a percentage is accepted in the range the rounded figures allow,
widened by one unit of its last printed digit (a rate rounded or cut off).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..model import Row, Table
from ..money import UNIT_FACTORS
from .identities import Quantity, class_sums, current_value_row, line_row, row_name, side_block, total_row
from .rules import ZERO, Context, amount_of, compact, function_class, printed
from .spacing import unspaced
from .subject import economic_sums, narrowed

UNITS = {"亿元": Decimal(100000000), **UNIT_FACTORS}
NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
AMOUNT = re.compile(NUMBER + r"\s*(亿元|万元|元)")
COMPARISON = re.compile(r"(比|较|与|同比|上年|上一年|增加|减少|增长|下降|年初预算)")
SHARE = re.compile(NUMBER + r"\s*(亿元|万元|元)\s*[，,]?\s*占[^%％。；\d]{0,16}?(\d+(?:\.\d+)?)\s*[%％]")
RATE_WORDS = r"增长|下降|减少|增加|上升|降低|提高|增幅|降幅|增长率|下降率"
CHANGE = re.compile(
    NUMBER + r"\s*(亿元|万元|元)\s*[，,]\s*(?:占[^%％。；]{0,16}?[%％]\s*[，,]\s*)?"
    r"(?:(?!其中|包括)[^，,。；：:\d%％]{1,16}[，,]\s*)?"   # one clause between: 按照…标准编报，较上年…
    r"(?:比|较|与)(?P<base_text>(?:[^，,。；\d]|20\d\d){0,20}?)"
    r"(?:(?P<base>\d[\d,]*(?:\.\d+)?)\s*(?P<base_unit>亿元|万元|元)\s*)?(?:相比\s*)?[，,]?\s*(?P<dir>增加|减少|增长|下降)了?\s*"
    r"(?P<change>\d[\d,]*(?:\.\d+)?)\s*(?P<change_unit>亿元|万元|元)(?:\s*[，,]\s*(?P<pdir>" + RATE_WORDS + r")(?:了|为)?\s*(?P<pct>\d[\d,]*(?:\.\d+)?)\s*[%％]"
    r"|\s*[（(]\s*(?:(?:" + RATE_WORDS + r")(?:了|为)?\s*)?(?P<bpct>\d[\d,]*(?:\.\d+)?)\s*[%％]\s*[）)])?")
CLASS_AMOUNT = re.compile(r"([\u4e00-\u9fa5“”\"]{2,16}?)[（(]类[）)](?![^，,。；\d]{0,20}[（(]款[）)])[^，,。；\d]{0,12}?" + NUMBER + r"\s*(亿元|万元|元)")

MONEY_FIGURES = {
    # figure id -> whether it is a part of the whole budget (checked against it)
    "total_income_expenditure": False, "income_total": True, "expenditure_total": True,
    "fiscal_appropriation_total": True, "general_budget_total": True, "basic": True, "project": True,
    "personnel": True, "public_use": True, "three_public": True, "operating_costs": True,
    "procurement": True, "purchased_services": True,
}


@dataclass
class Stated:
    """An amount as the text printed it."""
    value: Decimal  # 元
    text: str
    unit: str
    decimals: int
    start: int = 0

    @property
    def tolerance(self) -> Decimal:
        """Half a unit of the last printed digit, in 元: '461.84 万元' is known to ±50 元."""
        return UNITS[self.unit] * Decimal(1).scaleb(-self.decimals) / 2

    def show(self) -> str:
        """The amount as printed, number and unit: '461.84万元'."""
        return f"{self.text}{self.unit}"


def stated(match: re.Match, number: int = 1) -> Stated:
    """The amount matched by `match` whose number starts at group `number` (groups: integer part
    with optional thousands commas, fraction, unit 亿元/万元/元) as a Stated: value in 元 as
    Decimal, printed text, unit, printed decimals and where the number starts in the text."""
    whole, fraction, unit = match.group(number), match.group(number + 1), match.group(number + 2)
    digits = whole.replace(",", "") + ("." + fraction if fraction else "")
    return Stated(Decimal(digits) * UNITS[unit], whole + ("." + fraction if fraction else ""), unit,
                  len(fraction or ""), match.start(number))


def check(ctx: Context) -> None:
    """Layer 4 over one package (`Context`), adding findings, returns None: each key figure
    (table key_figures) against the quantities of the tables it may mean
    (narrative.figure-mismatch) and the whole budget (narrative.component-exceeds-whole); in
    each narrative section the amounts stated for function classes, the shares
    (narrative.percentage) and the year-on-year changes (narrative.change), allowing for the
    printed precision. Phrases from codelists/key_figures.csv."""
    sections = narrative_sections(ctx)
    totals = _totals(ctx)
    whole = max((q.value for q in totals), default=None)
    figures = ctx.tables.get("key_figures")
    if figures is not None:
        for row in figures.rows:
            _check_figure(ctx, figures, row, whole)
    narrative = ctx.tables.get("narrative")
    if narrative is not None:
        for row, text in sections:
            _check_classes(ctx, narrative, row, text)
            _check_shares(ctx, narrative, row, text, totals)
            _check_changes(ctx, narrative, row, text)


def narrative_sections(ctx: Context) -> list[tuple[Row, str]]:
    """(row, heading and text without the layout's spaces: `spacing.unspaced`) per narrative section."""
    table = ctx.tables.get("narrative")
    result = []
    for row in table.rows if table is not None else []:
        parts = [str(row.values.get(name) or "") for name in ("heading", "text")]
        result.append((row, unspaced("\n".join(p for p in parts if p))))
    return result


# -- key figures ------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _aliases(standard_id: int) -> tuple[tuple[str, str], ...]:
    from ..standard import load_standard
    return tuple((alias, code) for alias, code, kind in load_standard().key_figure_aliases() if kind == "money")


def named_figure(prefix: str) -> str | None:
    """The figure the words before an amount name: of the aliases forming the phrase that
    ends nearest the amount, the one starting first ('基本支出预算' names 基本支出)."""
    found = []
    for alias, code in _aliases(0):
        start = prefix.find(alias)
        while start != -1:
            found.append((start, start + len(alias), code))
            start = prefix.find(alias, start + 1)
    if not found:
        return None
    found.sort()
    last_end = max(end for _, end, _ in found)
    cluster = [f for f in found if f[1] == last_end]
    changed = True
    while changed:
        changed = False
        for f in found:
            if f not in cluster and any(f[0] <= c[1] and c[0] <= f[1] for c in cluster):
                cluster.append(f)
                changed = True
    start = min(f[0] for f in cluster)
    codes = {f[2] for f in cluster if f[0] == start}
    return codes.pop() if len(codes) == 1 else None


def _figure_amount(ctx: Context, row: Row) -> Stated | None:
    """The amount of a key-figure row as printed in its sentence, when the sentence states
    this figure for this year (not a comparison, not another figure)."""
    amount = amount_of(row, "amount")
    text = compact(str(row.values.get("text") or ""))
    figure = row.values.get("figure")
    if amount is None or not text or figure not in MONEY_FIGURES:
        return None
    for match in AMOUNT.finditer(text):
        value = stated(match)
        if value.value != amount:
            continue
        prefix = re.split(r"[。；，,：:]", text[max(0, match.start() - 24):match.start()])[-1]
        if COMPARISON.search(prefix):
            return None
        sentence = text[:match.start()]
        if figure not in ("project", "procurement", "purchased_services") and "项目" in sentence:
            return None  # a figure of the projects, not of the unit
        years = {int(y) for y in re.findall(r"(20\d\d)年", prefix)}
        if ctx.fiscal_year is not None and years - {ctx.fiscal_year}:
            return None
        if named_figure(prefix) != figure or narrowed(prefix, figure):
            return None
        return value
    return None


def figure_candidates(ctx: Context, figure: str) -> list[Quantity]:
    """The quantities of the tables a stated figure may mean (computed once per package)."""
    return ctx.memo(("candidates", figure), lambda: _compute_candidates(ctx, figure))


def _compute_candidates(ctx: Context, figure: str) -> list[Quantity]:
    t = ctx.tables
    ies, inc, exp = t.get("income_expenditure_summary"), t.get("income_summary"), t.get("expenditure_summary")
    fas, gbe, basic_t = t.get("fiscal_appropriation_summary"), t.get("general_budget_expenditure"), t.get("general_budget_basic_expenditure")
    ies_in, ies_out = side_block(ctx, ies, "income"), side_block(ctx, ies, "expenditure")
    fas_in, fas_out = side_block(ctx, fas, "income"), side_block(ctx, fas, "expenditure")

    def q(table: Table | None, row: Row | None, measure: str = "total") -> Quantity | None:
        if table is None or row is None or amount_of(row, measure) is None:
            return None
        return Quantity(table, row, measure, amount_of(row, measure), 1, row_name(row))

    def total(table: Table | None, measure: str = "total") -> Quantity | None:
        return q(table, total_row(table), measure)

    options: list[Quantity | None] = []
    if figure == "total_income_expenditure":
        options = [q(ies, ies_in.grand if ies_in else None), q(ies, ies_out.grand if ies_out else None), total(inc), total(exp)]
    elif figure == "income_total":
        options = [q(ies, ies_in.current if ies_in else None), q(ies, ies_in.grand if ies_in else None),
                   total(inc, "current_year_subtotal"), total(inc)]
    elif figure == "expenditure_total":
        options = [q(ies, ies_out.current if ies_out else None), q(ies, ies_out.grand if ies_out else None), total(exp), total(gbe)]
    elif figure == "fiscal_appropriation_total":
        options = [q(fas, fas_in.grand if fas_in else None), q(fas, fas_out.grand if fas_out else None),
                   q(fas, current_value_row(fas_in)), q(fas, current_value_row(fas_out))]
    elif figure == "general_budget_total":
        options = [total(gbe), q(fas, current_value_row(fas_out), "general_budget"),
                   q(ies, ies_in.measures.get("general_budget") if ies_in else None),
                   q(fas, fas_in.measures.get("general_budget") if fas_in else None), total(inc, "general_budget")]
    elif figure in ("basic", "project"):
        options = [total(exp, figure), total(gbe, figure), q(ies, ies_out.measures.get(figure) if ies_out else None)]
        options.append(total(basic_t) if figure == "basic" else total(t.get("general_budget_project_expenditure")))
        if figure == "project":   # or a unit's subtotal: a narrative going through its units (key figures carry no unit)
            projects = t.get("project_expenditure")
            options += [total(projects), *(q(projects, r) for r in (projects.rows if projects else [])
                                           if r.row_type == "subtotal" and r.values.get("unit_name"))]
    elif figure in ("personnel", "public_use"):
        options = [total(gbe, figure), total(basic_t, figure), *economic_sums(ctx, basic_t, figure)]
    elif figure == "three_public":
        table = t.get("three_public_expenses")
        options = [q(table, line_row(table, "total"))]   # the “三公” total (a 合计 holding 会议/培训费 is another line)
        if table is not None and not any(amount_of(r, m) for r in table.rows for m in table.columns):
            options.append(Quantity(table, None, "total", ZERO, 0, "（表中无金额 no amounts）"))
    elif figure == "operating_costs":
        options = [total(t.get("operating_costs"))]
    elif figure == "procurement":
        options = [total(t.get("government_procurement"))]
    elif figure == "purchased_services":
        options = [total(t.get("government_purchased_services"))]
    return [o for o in options if o is not None]


def _totals(ctx: Context) -> list[Quantity]:
    """The whole budget as the tables print it (grand totals of income and expenditure)."""
    return figure_candidates(ctx, "total_income_expenditure") + figure_candidates(ctx, "fiscal_appropriation_total")


def _wan(amount: Decimal) -> str:
    """An amount in 万元 with two decimals (at least), for messages."""
    value = amount / UNITS["万元"]
    if value == value.quantize(Decimal("0.01")):
        return f"{value:,.2f} 万元"
    if value >= 100:
        return f"≈{value:,.2f} 万元"
    return f"{value.normalize():,f} 万元"


def _check_figure(ctx: Context, table: Table, row: Row, whole: Decimal | None) -> None:
    value = _figure_amount(ctx, row)
    if value is None:
        return
    figure = row.values["figure"]
    title = next((r["title_zh"] for r in ctx.standard.codelists["key_figures"].rows if r["code"] == figure), figure)
    if MONEY_FIGURES[figure] and whole is not None and whole > 0 and value.value > whole + value.tolerance:
        ratio = value.value / whole
        hint = ""
        as_yuan = value.value / UNITS[value.unit]
        if value.unit != "元" and as_yuan <= whole:
            hint = (f"若按元计为 {_wan(as_yuan)}，不超过整体：单位可能印错（元误作{value.unit}）。"
                    f" Read in 元 it would be {_wan(as_yuan)}, within the budget: the unit is likely wrong.")
        ctx.add("narrative.component-exceeds-whole",
                f"文字说明的{title} {value.show()} 大于整个预算 {_wan(whole)}（{ratio:.1f} 倍）。{hint}"
                f" The stated {figure} is larger than the whole budget.",
                table=table, row=row, measure="amount", expected=whole, found=value.value, difference=value.value - whole)
        return
    candidates = figure_candidates(ctx, figure)
    if not candidates:
        return
    for candidate in candidates:
        if abs(candidate.value - value.value) <= value.tolerance + candidate.tolerance(ctx):
            return
    for other in MONEY_FIGURES:
        if other != figure and any(abs(c.value - value.value) <= value.tolerance + c.tolerance(ctx)
                                   for c in figure_candidates(ctx, other)):
            return  # the amount is another headline figure: the phrase may name a narrower scope
    best = min(candidates, key=lambda c: abs(c.value - value.value))
    ctx.add("narrative.figure-mismatch",
            f"文字说明的{title} {value.show()} 与表格不符：{best.table.table_id}「{best.what}」为 {printed(best.value, best.table)}"
            f"（差 {printed(value.value - best.value, best.table)}）。 The narrative states {figure} as {value.show()}; "
            f"the tables print {printed(best.value, best.table)}.",
            table=table, row=row, measure="amount", expected=best.value, found=value.value,
            difference=value.value - best.value)


# -- function classes stated in the text ---------------------------------------------------------

def _class_amounts(ctx: Context) -> dict[str, list[Quantity]]:
    """Every amount the tables give each 类: 收支总表, 财政拨款收支总表 (all funds and each fund),
    支出总表, 一般公共预算支出表, 政府性基金 and 国有资本经营预算支出表 (a paragraph on one fund
    states the class's amount in that fund)."""
    result: dict[str, list[Quantity]] = {}
    for table_id in ("income_expenditure_summary", "fiscal_appropriation_summary"):
        block = side_block(ctx, ctx.tables.get(table_id), "expenditure")
        if block is None:
            continue
        for code, row in block.classes.items():
            for measure in ("total", "general_budget", "government_fund", "state_capital"):
                value = amount_of(row, measure)
                if value is None and measure in ("government_fund", "state_capital"):
                    continue
                result.setdefault(code, []).append(
                    Quantity(ctx.tables[table_id], row, measure, value if value is not None else ZERO, 1, row_name(row)))
    for table_id in ("expenditure_summary", "general_budget_expenditure", "government_fund_expenditure",
                     "state_capital_expenditure"):
        for code, q in class_sums(ctx.tables.get(table_id), "total").items():
            result.setdefault(code, []).append(q)
    return result


def _check_classes(ctx: Context, table: Table, row: Row, text: str) -> None:
    amounts = None
    for match in CLASS_AMOUNT.finditer(text):
        name = match.group(1).strip("“”\"")
        code = function_class(name, ctx.fiscal_year)
        if code is None:
            continue
        if amounts is None:
            amounts = _class_amounts(ctx)
        if not amounts:
            return
        value = stated(match, 2)
        candidates = amounts.get(code)
        if not candidates:
            candidates = [Quantity(next(iter(amounts.values()))[0].table, None, "total", ZERO, 0, f"{code} 类（表中无 not in the tables）")]
        if any(abs(c.value - value.value) <= value.tolerance + c.tolerance(ctx) for c in candidates):
            continue
        others = sorted({c_code for c_code, qs in amounts.items() if c_code != code
                         and any(abs(q.value - value.value) <= value.tolerance + q.tolerance(ctx) for q in qs)})
        hint = ""
        if others:
            official = ctx.standard.codelists["function_classification"].name_for(others[0], ctx.fiscal_year) or others[0]
            hint = (f"这个金额是表中 {others[0]}「{official}」类的金额，类名可能写错。"
                    f" It is the amount of class {others[0]} ({official}) in the tables: the class name is likely wrong.")
        best = min(candidates, key=lambda c: abs(c.value - value.value))
        ctx.add("narrative.figure-mismatch",
                f"文字说明「{name}（类）」{value.show()}，表中该类为 {printed(best.value, best.table)}。{hint}"
                f" The narrative gives class {code} {value.show()}; the tables give {printed(best.value, best.table)}.",
                table=table, row=row, label=f"{name}（类）", measure="amount", expected=best.value, found=value.value,
                difference=value.value - best.value)


# -- shares and changes ---------------------------------------------------------------------------

def _percent_ok(stated_pct: Decimal, decimals: int, low: Decimal, high: Decimal) -> bool:
    """One unit of the last digit; 11.40% may be 11.4% padded with a zero: half a unit of the digit before."""
    slack = Decimal(1).scaleb(1 - decimals) / 2 if decimals and stated_pct % Decimal(1).scaleb(1 - decimals) == 0 else Decimal(1).scaleb(-decimals)
    return low - slack <= stated_pct <= high + slack


def _ratio_range(part: Stated, whole_value: Decimal, whole_tol: Decimal) -> tuple[Decimal, Decimal] | None:
    low_whole, high_whole = whole_value - whole_tol, whole_value + whole_tol
    if low_whole <= 0:
        return None
    return ((part.value - part.tolerance) / high_whole * 100, (part.value + part.tolerance) / low_whole * 100)


def _check_shares(ctx: Context, table: Table, row: Row, text: str, totals: list[Quantity]) -> None:
    for match in SHARE.finditer(text):
        part = stated(match)
        pct_text = match.group(4)
        pct = Decimal(pct_text)
        decimals = len(pct_text.split(".")[1]) if "." in pct_text else 0
        wholes: list[tuple[Decimal, Decimal, str]] = []
        words = _share_words(match.group(0))
        for earlier in AMOUNT.finditer(text[:match.start()]):
            if words and not _names_whole(text[:earlier.start()], words):
                continue
            w = stated(earlier)
            wholes.append((w.value, w.tolerance, w.show()))
        sentence = text[:match.start()].split("。")[-1]
        for q in _share_wholes(ctx, match.group(0), totals, sentence):
            wholes.append((q.value, q.tolerance(ctx), printed(q.value, q.table)))
        wholes = [w for w in wholes if w[0] > 0 and w[0] + w[1] >= part.value - part.tolerance]
        if not wholes:
            continue
        ok = False
        for value, tol, _ in wholes:
            span = _ratio_range(part, value, tol)
            if span and _percent_ok(pct, decimals, *span):
                ok = True
                break
        if ok:
            continue
        value, tol, shown = min(wholes, key=lambda w: abs(part.value / w[0] * 100 - pct))
        expected = part.value / value * 100
        ctx.add("narrative.percentage",
                f"文字说明：{part.show()} 占 {pct_text}%，但按 {shown} 计算应约为 {expected:.2f}%。"
                f" The stated share {pct_text}% does not match {part.show()} of {shown} ({expected:.2f}%).",
                table=table, row=row, expected=f"{expected:.2f}%", found=f"{pct_text}%",
                label=text[max(0, match.start() - 12):match.end()])


WHOLE_TOTALS = ("total_income_expenditure", "income_total", "expenditure_total", "fiscal_appropriation_total",
                "general_budget_total")


def _share_words(phrase: str) -> str:
    """The words naming the whole of a share ("占“三公”经费的 23.92%": “三公”经费), "" when none."""
    named = re.search(r"占([^%％。；\d]*)", phrase)
    return re.sub(r"(的|比重|比例|总额|总数)+$", "", named.group(1)).strip() if named else ""


def _names_whole(prefix: str, words: str) -> bool:
    """Whether an earlier amount is the whole a share names, with certainty: its own clause names that
    whole (not a sibling part, "因公出国（境）费 199.25 万元，占“三公”经费的 25.96%")."""
    clause = re.split(r"[。；;，,：:]", prefix)[-1]
    figure = named_figure(words)
    if figure is None:
        return words in clause
    return named_figure(clause) in (WHOLE_TOTALS if figure in WHOLE_TOTALS else (figure,))


def _share_wholes(ctx: Context, phrase: str, totals: list[Quantity], sentence: str = "") -> list[Quantity]:
    """The table quantities a share ("占基本支出的 17.46%") may be of: those of the figure its
    words name (基本支出, 项目支出, “三公”经费 …); the budget's totals when it names none or a
    total; none when it names a whole the tables do not hold (固定资产总额): then only the
    amounts stated before it in the text are its possible wholes. A share naming no whole may
    also be of the figure its sentence begins with ("“三公”经费支出中，公务接待费 0.16 万元，占
    100%": of 三公经费)."""
    words = _share_words(phrase)
    if not words:
        figure = None
    else:
        figure = named_figure(words)
        if figure is None:
            return []
    if figure is None and not words:
        found = [(sentence.find(alias), -len(alias), code) for alias, code in _aliases(0) if alias in sentence]
        topic = min(found)[2] if found else None
        if topic in MONEY_FIGURES and topic not in WHOLE_TOTALS:
            totals = figure_candidates(ctx, topic) + totals
    if figure is None or figure in WHOLE_TOTALS:
        return totals + figure_candidates(ctx, "expenditure_total") + figure_candidates(ctx, "income_total") + \
            figure_candidates(ctx, "general_budget_total")
    return figure_candidates(ctx, figure) if figure in MONEY_FIGURES else []


def _check_changes(ctx: Context, table: Table, row: Row, text: str) -> None:
    for match in CHANGE.finditer(text):
        current = stated(match)
        change_text = match.group("change")
        change_unit = match.group("change_unit")
        change = Stated(Decimal(change_text.replace(",", "")) * UNITS[change_unit], change_text, change_unit,
                        len(change_text.split(".")[1]) if "." in change_text else 0)
        sign = 1 if match.group("dir") in ("增加", "增长") else -1
        snippet = text[max(0, match.start() - 12):match.end()]
        if match.group("base"):
            base_text, base_unit = match.group("base"), match.group("base_unit")
            base = Stated(Decimal(base_text.replace(",", "")) * UNITS[base_unit], base_text, base_unit,
                          len(base_text.split(".")[1]) if "." in base_text else 0)
            allowed = current.tolerance + base.tolerance + change.tolerance
            if abs(current.value - base.value - sign * change.value) > allowed:
                hint = ""
                for unit in UNITS:
                    if unit == base_unit:
                        continue
                    other = Decimal(base_text.replace(",", "")) * UNITS[unit]
                    other_tol = UNITS[unit] * Decimal(1).scaleb(-base.decimals) / 2
                    if abs(current.value - other - sign * change.value) <= current.tolerance + other_tol + change.tolerance:
                        hint = (f"若上年数按{unit}计则一致，单位可能印错。"
                                f" It agrees if the earlier figure is read in {unit}: its unit is likely wrong.")
                        break
                expected = current.value - sign * change.value
                ctx.add("narrative.change",
                        f"文字说明：{current.show()} 比 {base.show()} {match.group('dir')} {change.show()}，"
                        f"两数之差并非如此（按所述变化，上年应为 {printed(expected, unit=current.unit)}）。{hint}"
                        f" The stated change does not match the two figures.",
                        table=table, row=row, expected=expected, found=base.value, difference=base.value - expected,
                        label=snippet, unit=current.unit)
                continue
        pct_text = (match.group("pct") or match.group("bpct") or "").replace(",", "")   # 增长 5%; …万元（21.13%）
        if not pct_text:
            continue
        pct = Decimal(pct_text)
        decimals = len(pct_text.split(".")[1]) if "." in pct_text else 0
        low_base = current.value - sign * change.value - current.tolerance - change.tolerance
        high_base = current.value - sign * change.value + current.tolerance + change.tolerance
        if change.value == 0:
            if pct != 0 and not (high_base <= 0):
                ctx.add("narrative.change", f"文字说明：变化为 0，但增减幅度为 {pct_text}%。 A change of 0 is stated as {pct_text}%.",
                        table=table, row=row, expected="0%", found=f"{pct_text}%", label=snippet)
            continue
        if high_base < 0 and sign > 0:
            ctx.add("narrative.change",
                    f"文字说明：{current.show()} 比上年增加 {change.show()}，增加额大于本年数，上年数将为负。"
                    f" The stated increase {change.show()} is larger than the amount {current.show()} itself.",
                    table=table, row=row, expected=f"≤ {current.show()}", found=change.show(), label=snippet)
            continue
        if low_base <= 0:
            continue  # the base may be zero: the percentage is a convention (100%) or undefined
        low = (change.value - change.tolerance) / high_base * 100
        high = (change.value + change.tolerance) / low_base * 100
        if _percent_ok(pct, decimals, low, high):
            continue
        base_value = current.value - sign * change.value
        expected = change.value / base_value * 100
        ctx.add("narrative.change",
                f"文字说明：{current.show()}，{match.group('dir')} {change.show()}，幅度印作 {pct_text}%；"
                f"按上年 {printed(base_value, unit=current.unit)} 计算应约为 {expected:.2f}%。"
                f" The stated rate {pct_text}% does not match the change ({expected:.2f}%).",
                table=table, row=row, expected=f"{expected:.2f}%", found=f"{pct_text}%", label=snippet)
