"""Identities across tables (schema/codelists/identities.csv, kind across): the same
quantity printed in two tables agrees. The tables and measures of each comparison are
read from the standard."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from ...labels import header_key
from ...model import Row, Table
from ...standard import load_standard
from ..rules import ZERO, Context, amount_of, measures_of, printed, strip_label, sum_values, table_tolerance
from .blocks import Block, carry_is_zero, current_value_row, item_label, side_block
from .common import HIERARCHY_FIELDS, measure_title, row_name
from .rounding import ERROR, EXACT, ROUNDING, gap_kind
from .tree import Node, tree


@dataclass
class Quantity:
    """One quantity as one table printed it, for a comparison across tables: the table and row
    (None for a sum over rows), the measure, its value in 元 (Decimal), how many printed
    figures it adds up (for the tolerance) and `what` it is, as printed, for the message."""
    table: Table
    row: Row | None
    measure: str
    value: Decimal
    figures: int  # how many printed figures it adds up
    what: str

    def tolerance(self, ctx: Context) -> Decimal:
        """How far the value may be from the exact one, in 元: half a unit of the table's last printed
        digit (`rules.table_tolerance`, package money unit as default) times `figures`."""
        return table_tolerance(self.table, ctx.money_unit) * self.figures


def quantity(table: Table | None, row: Row | None, measure: str, what: str) -> Quantity | None:
    """The Quantity of `measure` on `row` of `table` (one printed figure), None when not printed."""
    if table is None or row is None:
        return None
    value = amount_of(row, measure)
    if value is None:
        return None
    return Quantity(table, row, measure, value, 1, what)


def total_row(table: Table | None) -> Row | None:
    """The grand total row of a one-sided table."""
    if table is None:
        return None
    totals = tree(table).totals if any(
        row.values.get(name) for row in table.rows for name in HIERARCHY_FIELDS) else []
    candidates = totals or [row for row in table.rows if row.row_type == "total" or strip_label(item_label(row)) in ("合计", "总计")]
    grand = [row for row in candidates if row.row_type == "total"] or candidates
    if len(grand) > 1:   # one grand total per period printed side by side: the document's own year's
        current = current_period([row.values.get("period") for row in table.rows])
        grand = [row for row in grand if current is not None and row.values.get("period") == current]
    return grand[0] if len(grand) == 1 else None


def current_period(periods: list) -> str | None:
    """Of the period headings a table's rows print (convert/periods.py: 上年 | 当年 | 增减, or
    2025年预算数 | 2026年预算数), the document's own year's: the this-year words (当年,
    codelists/title_words.csv this_year), else the latest year printed; None when the rows print
    fewer than two periods or no such heading."""
    headings = [p for p in dict.fromkeys(periods) if p]
    if len(headings) < 2:
        return None
    words = next(row["words"] for row in load_standard().codelists["title_words"].rows if row["code"] == "this_year")
    own = [p for p in headings if header_key(p) in words.split("|")]
    if own:
        return own[0]
    years = {p: int(m.group(1)) for p in headings if (m := re.match(r"((?:19|20)\d{2})年", header_key(p)))}
    if not years:
        return None
    latest = max(years.values())
    return next(p for p, y in years.items() if y == latest) if list(years.values()).count(latest) == 1 else None


def compare(ctx: Context, rule: str, a: Quantity | None, b: Quantity | None, topic: str) -> None:
    """Add a finding of `rule` (an across identity of codelists/identities.csv) when quantities
    `a` and `b` differ beyond rounding (`across_kind`: two single figures of the same precision
    must be equal), or a `rounding` finding when they differ within it; expected is `a`, found
    `b`, the finding is placed on `b`'s table and row; `topic` opens the message. Nothing when
    either is None (not printed)."""
    if a is None or b is None:
        return
    seen = ctx.memo("across_compared", set)
    pair = (a.table.table_id, id(a.row), a.value, b.table.table_id, id(b.row), b.value)
    if pair in seen:
        return   # the same two printed figures compared again (by the general-budget and the total column)
    seen.add(pair)
    diff = b.value - a.value
    kind = across_kind(ctx, a, b)
    if ctx.identity(kind != ERROR):
        if kind == ROUNDING:
            ctx.add("rounding",
                    f"{topic}：{where(ctx, a)}{printed(a.value, a.table)}（{a.figures} 个印刷数 printed figures），"
                    f"{where(ctx, b)}{printed(b.value, b.table)}（{b.figures} 个）（差 gap {printed(diff, b.table)}，"
                    f"舍入可解释 within rounding）。 The same quantity, printed with a different precision or added up from "
                    f"rounded figures, differs by rounding between {a.table.table_id} and {b.table.table_id}.",
                    table=b.table, row=b.row, measure=b.measure, expected=a.value, found=b.value, difference=diff)
        return
    ctx.add(rule,
            f"{topic}：{where(ctx, a)}{printed(a.value, a.table)}，{where(ctx, b)}"
            f"{printed(b.value, b.table)}（差 {printed(diff, b.table)}）。 The same quantity differs between "
            f"{a.table.table_id} and {b.table.table_id}.",
            table=b.table, row=b.row, measure=b.measure, expected=a.value, found=b.value, difference=diff)


def where(ctx: Context, q: Quantity) -> str:
    """Where a quantity is printed, for messages: the table, the row as printed and, unless it is
    the table's total column, the column (general_budget_expenditure「合计」行「项目支出」列)."""
    column = "" if q.measure == "total" else f"行「{measure_title(ctx, q.measure)}」列 column {q.measure} "
    return f"{q.table.table_id}「{q.what}」{column}"


def across_kind(ctx: Context, a: Quantity, b: Quantity) -> str:
    """EXACT, ROUNDING or ERROR (`rounding.gap_kind`) for one quantity printed as `a` and as `b`.
    Printed with the same precision, the two are one rounded amount when each is one figure
    (any difference is an error), or a whole and parts ((figures − 1) halves of rounding).
    With different precision, the finer side rounded to the coarser one's last digit must
    equal it (EXACT); otherwise the difference within both tolerances is ROUNDING."""
    tol_a, tol_b = table_tolerance(a.table, ctx.money_unit), table_tolerance(b.table, ctx.money_unit)
    diff = b.value - a.value
    if diff == 0:
        return EXACT
    if tol_a == tol_b:   # two single figures: slack 0, equal or an error; a sum: its rounding, as before
        return gap_kind(diff, a.figures + b.figures - 1, tol_a, slack=0 if a.figures <= 1 and b.figures <= 1 else 1)
    if abs(diff) > a.tolerance(ctx) + b.tolerance(ctx):
        return ERROR
    fine, coarse = (a, b) if tol_a < tol_b else (b, a)
    quantum = max(tol_a, tol_b) * 2
    if any((fine.value / quantum).quantize(Decimal(1), rounding=mode) * quantum == coarse.value
           for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN)):
        return EXACT
    return ROUNDING


def class_sums(table: Table | None, measure: str) -> dict[str, Quantity]:
    """Per 类 of a coded table: the 类 row where printed, else the sum of the top-level rows in that class."""
    if table is None or "function_code" not in table.columns:
        return {}
    t = tree(table)
    result: dict[str, Quantity] = {}
    by_class: dict[str, list[Node]] = {}
    for i, node in enumerate(t.nodes):
        if not node.codes.get("function_code") or node.detail:
            continue
        parent = t.parents[i]
        if parent is not None and parent.codes.get("function_code"):
            continue  # counted through its parent
        by_class.setdefault(node.codes["function_code"][:3], []).append(node)
    for code, members in by_class.items():
        values = [amount_of(n.row, measure) for n in members]
        if all(v is None for v in values):
            continue
        total, count = sum_values(values)
        row = members[0].row if len(members) == 1 else None
        result[code] = Quantity(table, row, measure, total, count, f"{code} 类" if row is None else row_name(row))
    return result




def tables_of(ctx: Context, identity: str) -> list[Table | None]:
    """The package's tables named by an across identity of identities.csv, in its order (None where absent)."""
    return [ctx.tables.get(table_id) for table_id in ctx.standard.identities[identity].tables]


def check_across(ctx: Context) -> None:
    """Every identity across tables (identities.csv, kind across)."""
    identities = ctx.standard.identities
    ies, inc, exp = tables_of(ctx, "across.grand_totals")
    fas, gbe, gfe, sce = tables_of(ctx, "across.appropriation_expenditure")
    _, project_t, _, projects = tables_of(ctx, "across.project_expenditure")
    ies_in, ies_out = side_block(ctx, ies, "income"), side_block(ctx, ies, "expenditure")
    fas_in, fas_out = side_block(ctx, fas, "income"), side_block(ctx, fas, "expenditure")
    inc_total, exp_total, gbe_total = total_row(inc), total_row(exp), total_row(gbe)

    # grand totals: 收支总表 vs 收入总表 vs 支出总表
    if ies_in is not None and inc_total is not None:
        inc_has_carry = any(m.startswith("carryover") or m == "fiscal_carryover" for m in measures_of(inc))
        if inc_has_carry or carry_is_zero(ies_in):
            compare(ctx, "across.grand-totals", quantity(ies, ies_in.grand, "total", row_name(ies_in.grand) if ies_in.grand else ""),
                    quantity(inc, inc_total, "total", row_name(inc_total)), "收入总计 total income")
        year = "current_year_subtotal" if "current_year_subtotal" in inc.columns or inc_has_carry else "total"   # 本年收入合计: the total
        if ies_in.current is not None:
            compare(ctx, "across.grand-totals", quantity(ies, ies_in.current, "total", row_name(ies_in.current)),
                    quantity(inc, inc_total, year, row_name(inc_total)), "本年收入 income of the year")
    if ies_out is not None and exp_total is not None:
        row = current_value_row(ies_out)
        compare(ctx, "across.grand-totals", quantity(ies, row, "total", row_name(row) if row else ""),
                quantity(exp, exp_total, "total", row_name(exp_total)), "本年支出 expenditure of the year")
        for measure in ("basic", "project"):
            mrow = ies_out.measures.get(measure)
            compare(ctx, "across.grand-totals", quantity(ies, mrow, "total", row_name(mrow) if mrow else ""),
                    quantity(exp, exp_total, measure, row_name(exp_total)), measure_title(ctx, measure))
    # sources of funds: 收支总表 / 财政拨款收支总表 income rows vs 收入总表 columns
    for measure in identities["across.funding_sources"].parts:
        if inc_total is None:
            break
        for table, block in ((ies, ies_in), (fas, fas_in)):
            if block is None:
                continue
            row = block.measures.get(measure)
            if row is None or row in block.carry:
                continue
            compare(ctx, "across.fiscal-appropriation" if table is fas else "across.grand-totals",
                    quantity(table, row, "total", row_name(row)), quantity(inc, inc_total, measure, row_name(inc_total)),
                    measure_title(ctx, measure))
    # 财政拨款收支总表 vs 收支总表: the appropriation income rows
    if fas_in is not None and ies_in is not None:
        for measure in identities["across.appropriation_income"].parts:
            a, b = ies_in.measures.get(measure), fas_in.measures.get(measure)
            if a is None or b is None or a in ies_in.carry or b in fas_in.carry:
                continue
            compare(ctx, "across.fiscal-appropriation", quantity(ies, a, "total", row_name(a)), quantity(fas, b, "total", row_name(b)),
                    measure_title(ctx, measure))
    # 财政拨款收支总表 expenditure vs 一般公共预算支出表 (+ 政府性基金 + 国有资本)
    only_general = _only_general_budget(ctx, fas_in, gfe, sce)
    if fas_out is not None and gbe_total is not None:
        row = current_value_row(fas_out)
        if row is not None and "general_budget" in fas.columns and amount_of(row, "general_budget") is not None:
            compare(ctx, "across.fiscal-appropriation", quantity(fas, row, "general_budget", row_name(row)),
                    quantity(gbe, gbe_total, "total", row_name(gbe_total)), "一般公共预算支出 general budget expenditure")
        elif row is not None:
            other = [total_row(x) for x in (gfe, sce) if x is not None]
            fund = sum((amount_of(r, "total") or ZERO) for r in other if r is not None)
            if only_general or other:
                expected = quantity(gbe, gbe_total, "total", row_name(gbe_total))
                if expected is not None and fund:
                    expected.value += fund
                    expected.figures += len(other)
                    expected.what += " + 政府性基金 + 国有资本经营"
                if only_general or fund:
                    compare(ctx, "across.fiscal-appropriation", quantity(fas, row, "total", row_name(row)), expected,
                            "财政拨款支出 appropriation expenditure")
    # function classes: 收支总表 vs 支出总表; 财政拨款收支总表 vs 一般公共预算支出表
    if ies_out is not None and exp is not None:
        sums = class_sums(exp, "total")
        if sums:
            _compare_classes(ctx, ies, ies_out, "total", sums, "across.function-classes")
    if fas_out is not None and gbe is not None:
        if "general_budget" in fas.columns:
            sums = class_sums(gbe, "total")
            if sums:
                _compare_classes(ctx, fas, fas_out, "general_budget", sums, "across.function-classes")
        sums = class_sums(gbe, "total")
        for other in (gfe, sce):
            for code, q in class_sums(other, "total").items():
                if code in sums:
                    sums[code].value += q.value
                    sums[code].figures += q.figures
                else:
                    sums[code] = q
        if sums and (only_general or gfe is not None or sce is not None):
            _compare_classes(ctx, fas, fas_out, "total", sums, "across.function-classes")
    # 基本支出表 and 项目支出表 vs the columns of 一般公共预算支出表 (and of 财政拨款支出表)
    for code in ("across.basic_expenditure", "across.fiscal_basic_expenditure"):
        whole_t, part_t = tables_of(ctx, code)
        whole_total, part_total = total_row(whole_t), total_row(part_t)
        basic = identities[code]
        for measure, source in zip(basic.whole, basic.parts):
            if whole_total is None or part_total is None:
                break
            compare(ctx, basic.rule, quantity(whole_t, whole_total, measure, row_name(whole_total)),
                    quantity(part_t, part_total, source, row_name(part_total)), measure_title(ctx, measure))
    project_total = total_row(project_t)
    if gbe_total is not None and project_total is not None:
        compare(ctx, "across.project-expenditure", quantity(gbe, gbe_total, "project", row_name(gbe_total)),
                quantity(project_t, project_total, "total", row_name(project_total)), "项目支出 project expenditure")
    projects_total = total_row(projects)
    if projects_total is not None:
        candidates = [q for q in (quantity(exp, exp_total, "project", row_name(exp_total) if exp_total else ""),
                                  quantity(gbe, gbe_total, "project", row_name(gbe_total) if gbe_total else "")) if q]
        mine = quantity(projects, projects_total, "total", row_name(projects_total))
        if candidates and mine is not None and candidates[0].table is gbe and not all_general_budget(ctx, ies_in, inc_total, inc):
            # 支出总表 prints no project column and the year's money is not all general-budget money: the
            # project list may hold projects of other funds (事业收入 …), at most as much as those funds bring
            candidates = [q for q in candidates if not other_funds_explain(ctx, q, mine, inc_total)]
        if candidates and mine is not None:
            near = [q for q in candidates if abs(mine.value - q.value) <= mine.tolerance(ctx) + q.tolerance(ctx)]
            if not any(q.value == mine.value for q in near):   # the closest within rounding, else the first
                compare(ctx, "across.project-expenditure", min(near, key=lambda q: abs(mine.value - q.value))
                        if near else candidates[0], mine, "项目支出 project expenditure")
    # per function code, when every yuan is general-budget money
    if exp is not None and gbe is not None and all_general_budget(ctx, ies_in, inc_total, inc):
        _compare_codes(ctx, exp, gbe, identities["across.function_codes"].whole)
    _compare_income_codes(ctx, *tables_of(ctx, "across.income_expenditure_codes"))


def other_funds_explain(ctx: Context, general: Quantity, projects: Quantity, inc_total: Row | None) -> bool:
    """True when a project list's total (`projects`, 元) exceeds the general-budget project column
    (`general`) by no more than the year's income from sources other than the general budget
    (收入总表's 合计 less its 一般公共预算 column), and by more than rounding: the list
    then also holds projects paid from those sources, and the two are not one quantity.
    False when the income table does not print both figures."""
    total, general_income = (amount_of(inc_total, "total"), amount_of(inc_total, "general_budget")) if inc_total else (None, None)
    if total is None or general_income is None:
        return False
    gap = projects.value - general.value
    return general.tolerance(ctx) + projects.tolerance(ctx) < gap <= total - general_income + general.tolerance(ctx)


def _only_general_budget(ctx: Context, fas_in: Block | None, gfe: Table | None, sce: Table | None) -> bool:
    """True when the appropriation income shows no government-fund or state-capital money and nothing carried."""
    if fas_in is None:
        return False
    for measure in ("government_fund", "state_capital"):
        row = fas_in.measures.get(measure)
        if row is None:
            return False
        if amount_of(row, "total") not in (None, ZERO):
            return False
    return carry_is_zero(fas_in)


def all_general_budget(ctx: Context, ies_in: Block | None, inc_total: Row | None, inc: Table | None) -> bool:
    """True when all the year's income is general-budget money (收入总表 or 收支总表 print no other source)."""
    if inc_total is not None and "general_budget" in inc.columns:
        total, general = amount_of(inc_total, "total"), amount_of(inc_total, "general_budget")
        if total is not None and general is not None and total == general and total > 0:
            return True
    if ies_in is not None and ies_in.grand is not None:
        row = ies_in.measures.get("general_budget")
        if row is not None and row not in ies_in.carry:
            total, general = amount_of(ies_in.grand, "total"), amount_of(row, "total")
            return total is not None and general is not None and total == general and total > 0
    return False


def _compare_classes(ctx: Context, table: Table, block: Block, measure: str, sums: dict[str, Quantity], rule: str) -> None:
    if not block.classes:
        return
    for code, row in block.classes.items():
        value = amount_of(row, measure)
        other = sums.get(code)
        mine = Quantity(table, row, measure, value if value is not None else ZERO, 1 if value is not None else 0, row_name(row))
        if other is None:
            if value in (None, ZERO):
                continue
            other = Quantity(next(iter(sums.values())).table, None, "total", ZERO, 0, f"{code} 类（未列 not printed）")
        compare(ctx, rule, other, mine, f"{code} 类 class")


def per_code(table: Table, measures: tuple[str, ...]) -> dict[str, dict[str, tuple[Decimal, int, Row | None]]]:
    """7-digit function code -> measure -> (sum over the rows printing the code, how many, first row)."""
    result: dict[str, dict[str, tuple[Decimal, int, Row | None]]] = {}
    for row in table.rows:
        code = row.values.get("function_code")
        if not code or len(str(code)) != 7:
            continue
        for measure in measures:
            value = amount_of(row, measure)
            if value is None:
                continue
            total, count, first = result.setdefault(str(code), {}).get(measure, (ZERO, 0, row))
            result[str(code)][measure] = (total + value, count + 1, first if count else row)
    return result


def _compare_income_codes(ctx: Context, inc: Table | None, exp: Table | None) -> None:
    """In a budget, 收入总表 and 支出总表 by function code print each 项's money twice: where their
    totals agree and so do at least four codes in five (the tables are meant to agree code by
    code), every code printed in both is compared (236.63 against 236.64 is an error)."""
    if ctx.stage != "budget" or inc is None or exp is None:
        return
    totals = [total_row(t) for t in (inc, exp)]
    values = [amount_of(r, "total") if r is not None else None for r in totals]
    if values[0] is None or values[0] != values[1]:
        return
    theirs, mine = per_code(inc, ("total",)), per_code(exp, ("total",))
    common = sorted(code for code in set(mine) & set(theirs) if "total" in mine[code] and "total" in theirs[code])
    same = sum(1 for code in common if mine[code]["total"][0] == theirs[code]["total"][0])
    if len(common) < 3 or same * 5 < len(common) * 4:
        return
    for code in common:
        va, na, ra = theirs[code]["total"]
        vb, nb, rb = mine[code]["total"]
        compare(ctx, "across.function-codes", Quantity(inc, ra, "total", va, na, f"{code}"),
                Quantity(exp, rb, "total", vb, nb, f"{code}"), f"{code} 收入与支出 income and expenditure")


def _compare_codes(ctx: Context, exp: Table, gbe: Table, measures: tuple[str, ...]) -> None:
    mine, theirs = per_code(exp, measures), per_code(gbe, measures)
    for code in sorted(set(mine) & set(theirs)):
        for measure in measures:
            if measure not in mine[code] or measure not in theirs[code]:
                continue
            va, na, ra = theirs[code][measure]
            vb, nb, rb = mine[code][measure]
            compare(ctx, "across.function-codes", Quantity(gbe, ra, measure, va, na, f"{code}"),
                    Quantity(exp, rb, measure, vb, nb, f"{code}"), f"{code} {measure_title(ctx, measure)}")
