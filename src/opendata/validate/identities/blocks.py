"""Two-sided tables and item lists read by their labels and numbering: one side's grand
total, its 本年合计, carry-over rows and items, and the checks among them."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ...model import Row, Table
from ...standard import load_standard
from ..rules import (
    EXPENDITURE_TREE, FUNDING_TREE, ZERO, Context, amount_of, ancestors, compact, function_class, label_measure, measures_of,
    mentions, ordinal, printed, strip_label, sum_values,
)
from .common import check_sum, row_name


@dataclass
class Block:
    """One side of a two-sided table, or an uncoded table, read by its labels."""
    side: str | None
    rows: list[Row]
    grand: Row | None = None
    current: Row | None = None
    items: list[Row] = field(default_factory=list)
    carry: list[Row] = field(default_factory=list)  # rows of the carry-over block, children included
    carry_top: list[Row] = field(default_factory=list)  # the carry rows that add up to the block
    top: list[Row] | None = None  # the top-level items, when the structure could be read
    children: dict[int, tuple[list[Row], bool]] = field(default_factory=dict)  # id(top row) -> (rows, 其中)
    classes: dict[str, Row] = field(default_factory=dict)  # 类 code -> row, for rows naming a function class
    measures: dict[str, Row] = field(default_factory=dict)  # measure id -> row, for rows naming a measure


def item_label(row: Row) -> str:
    """The printed `item` label of a row ('' when none)."""
    return str(row.values.get("item") or "")


def analyse_block(table: Table, rows: list[Row], side: str | None, year: int | None) -> Block:
    """Read one side (or an uncoded table) by its labels: grand total, 本年合计, carry-over, items and their outline."""
    standard = load_standard()
    carry_words, current_words = standard.row_words("carry"), standard.row_words("current")
    block = Block(side=side, rows=rows)
    labels = [compact(item_label(r)) for r in rows]
    grand = [r for r, l in zip(rows, labels) if "总计" in l]
    if not grand:
        grand = [r for r, l in zip(rows, labels) if r.row_type == "total" and not any(w in l for w in current_words)]
    if not grand:
        grand = [r for r, l in zip(rows, labels) if strip_label(l) in ("合计", "收入合计", "支出合计")]
    block.grand = grand[-1] if grand else None
    current = [r for r, l in zip(rows, labels) if r is not block.grand and any(w in l for w in current_words)]
    if not current and block.grand is not None and "总计" in compact(item_label(block.grand)):
        current = [r for r, l in zip(rows, labels) if r is not block.grand and strip_label(l) in ("收入合计", "支出合计", "合计")]
    block.current = current[0] if len(current) == 1 else None
    if block.current is not None:
        at = rows.index(block.current)
        before = [r for r in rows[:at] if r is not block.grand]
        leading = not any(_has_value(r) or ordinal(item_label(r))[0] for r in before)
    else:
        leading = False
    carry_start = None
    for i, row in enumerate(rows):
        if row is block.grand or row is block.current:
            continue
        if mentions(item_label(row), *carry_words):
            if block.current is not None and not leading and i < rows.index(block.current):
                continue  # a use of funds named like a carry-over, among the items (转入事业基金 …)
            carry_start = i
            break
    for i, row in enumerate(rows):
        if row is block.grand or row is block.current:
            continue
        if block.current is not None and not leading and i > rows.index(block.current):
            block.carry.append(row)
        elif carry_start is not None and i >= carry_start and (block.current is None or leading or i > rows.index(block.current)):
            block.carry.append(row)
        elif block.grand is not None and i > rows.index(block.grand) and rows.index(block.grand) != 0:
            continue  # below the grand total of a list that ends with it
        elif row.row_type in ("total", "subtotal") or strip_label(item_label(row)) in ("小计", "合计"):
            continue  # a subtotal of part of the list: not an item
        else:
            block.items.append(row)
    # the carry rows that make the carry-over total: the first style seen (or none), not sub-rows
    if block.carry:
        first_style = ordinal(item_label(block.carry[0]))[0]
        for row in block.carry:
            style = ordinal(item_label(row))[0]
            if compact(item_label(row)).startswith("其中"):
                continue
            if style is None or style == first_style:
                block.carry_top.append(row)
    block.top, block.children = _outline(block.items)
    if block.top is None:
        block.top = _semantic_top(block, year)
    if block.top is None and table.table_id in standard.flat_tables and block.items and not any(
            ordinal(item_label(r))[0] or compact(item_label(r)).startswith("其中") for r in block.items):
        block.top = list(block.items)
    # a row under a numbered heading that names a class is part of that class (a 款 such as 住房保障
    # under 援助其他地区支出), never a class itself, whatever its name
    inside = {id(kid) for top in block.top or [] if function_class(item_label(top), year)
              for kid in block.children.get(id(top), ([], False))[0]}
    for row in block.items:
        code = function_class(item_label(row), year) if id(row) not in inside else None
        if code and code not in block.classes:
            block.classes[code] = row
        measure = label_measure(item_label(row))
        if measure and measure not in block.measures:
            block.measures[measure] = row
    return block


def _has_value(row: Row) -> bool:
    return any(isinstance(v, Decimal) for v in row.values.values())


def _outline(items: list[Row]) -> tuple[list[Row] | None, dict[int, tuple[list[Row], bool]]]:
    """Top-level rows and their sub-rows, read from the numbering. None when the numbering
    does not make the structure certain."""
    styled = [(row, *ordinal(item_label(row))[:2]) for row in items]
    top_style = next((style for _, style, _ in styled if style), None)
    if top_style is None:
        return None, {}
    top: list[Row] = []
    children: dict[int, tuple[list[Row], bool]] = {}
    current: Row | None = None
    last_number = 0
    for row, style, number in styled:
        if style == top_style and not compact(item_label(row)).startswith("其中"):
            if number is None or number <= last_number:
                return None, {}
            last_number = number
            top.append(row)
            current = row
            children[id(row)] = ([], False)
            continue
        if current is None:
            if _has_value(row):
                return None, {}
            continue
        kids, partial = children[id(current)]
        if not kids and compact(item_label(row)).startswith("其中"):
            partial = True
        kids.append(row)
        children[id(current)] = (kids, partial)
    return top, children


def _semantic_top(block: Block, year: int | None) -> list[Row] | None:
    """Top-level items from what the labels name: function classes (all rows, or — the first row a class and the
    classes in strictly rising code order — the class rows of a list printing each class's 款 and 项 under it
    without codes or numbering, 080 p. 28), or measures in a tree."""
    valued = [row for row in block.items if _has_value(row)]
    if not valued:
        return []
    classes = [function_class(item_label(row), year) for row in valued]
    if all(classes) and len(set(classes)) == len(classes):
        return valued
    named = [row for row, code in zip(valued, classes) if code]
    codes = [code for code in classes if code]
    if classes[0] and len(codes) >= 2 and codes == sorted(set(codes)):
        return named   # classes printed with their 款 and 项 under them, no codes or numbering: the classes add up
    measures = [label_measure(item_label(row)) for row in valued]
    if all(measures) and len(set(measures)) == len(measures):
        tree = EXPENDITURE_TREE if block.side == "expenditure" else FUNDING_TREE
        present = set(measures)
        return [row for row, m in zip(valued, measures) if not (ancestors(tree, m) & present)]
    return None


def check_block(ctx: Context, table: Table, block: Block, tol: Decimal) -> None:
    """The sums of one side of a two-sided table (a `Block`), for every measure of the table,
    with `tol` (元) per printed figure: 本年合计 + carry-over = 总计 (sum.two-sided-carryover),
    the items add up to 本年合计, or to 总计 when nothing is carried (sum.total-row), and
    numbered sub-rows add up to their row, 其中 rows at most to it (sum.hierarchy). Adds
    findings to `ctx`; returns None."""
    measures = measures_of(table)
    where = f"{'收入方 income side' if block.side == 'income' else '支出方 expenditure side' if block.side == 'expenditure' else ''}"
    for measure in measures:
        # 本年合计 + 结转 = 总计
        if block.grand is not None and block.current is not None:
            check_sum(ctx, table, block.grand, [block.current, *block.carry_top], measure, tol, "sum.two-sided-carryover",
                       lambda: f"{where}「{row_name(block.grand)}」= 「{row_name(block.current)}」+ 结转 carry-over".strip())
        # the items add up to 本年合计 (or to the grand total when there is no carry-over)
        if block.top is not None:
            whole = block.current
            if whole is None and block.grand is not None and all(amount_of(r, measure) in (None, ZERO) for r in block.carry):
                whole = block.grand
            reading = _headings_add_up(block, whole, measure, tol) if whole is not None else None
            if reading:   # printed at two levels: each heading against its rows, the whole against the headings
                for head, members in reading:
                    if head is not whole and members:
                        check_sum(ctx, table, head, members, measure, tol, "sum.hierarchy",
                                  lambda: f"「{row_name(head)}」是其下各行之和 is the sum of the rows below it")
                check_sum(ctx, table, whole, [head for head, _ in reading], measure, tol, "sum.total-row",
                          lambda: f"{where}「{row_name(whole)}」是各项之和 is the sum of the items".strip())
            elif whole is not None:
                check_sum(ctx, table, whole, block.top, measure, tol, "sum.total-row",
                           lambda: f"{where}「{row_name(whole)}」是各项之和 is the sum of the items".strip())
        # numbered sub-rows add up to their row
        for row in block.top or ():
            kids, partial = block.children.get(id(row), ([], False))
            if not kids:
                continue
            first_style = ordinal(strip_label_lead(item_label(kids[0])))[0]
            direct = [k for k in kids if ordinal(strip_label_lead(item_label(k)))[0] == first_style]
            if first_style is None and not partial:
                continue  # unnumbered sub-rows: the nesting is not certain
            if partial or first_style is None:
                check_sum(ctx, table, row, direct if first_style else kids, measure, tol, "sum.hierarchy",
                           lambda: f"「{row_name(row)}」不小于其中各项 is at least the sum of its 其中 rows", at_most=True)
            else:
                check_sum(ctx, table, row, direct, measure, tol, "sum.hierarchy",
                           lambda: f"「{row_name(row)}」是其下各项之和 is the sum of its numbered sub-rows")


def _headings_add_up(block: Block, whole: Row, measure: str, tol: Decimal) -> list[tuple[Row, list[Row]]] | None:
    """How the listed rows add up to `whole` when the items alone do not: all of them as items
    (a row read as a subtotal is one of the units), or read as headings each followed by the
    rows that add up to it (a department and its units, a unit and its projects, whatever their
    row type) — the list prints every amount twice, at two levels. Returns the reading as
    (heading or item, the rows under it) pairs, None when the plain reading holds or no reading
    does. Only an exact reading counts (every heading the sum of its rows, within `tol` per
    figure), so a total that leaves out a row is still reported."""
    total = amount_of(whole, measure)
    if total is None:
        return None
    value, count = sum_values(amount_of(r, measure) for r in block.top or ())
    if abs(total - value) <= tol * (count + 1):
        return None  # the plain reading holds: nothing to explain
    skip = {id(whole), id(block.grand), id(block.current), *map(id, block.carry)}
    rows = [r for r in block.rows if id(r) not in skip and amount_of(r, measure) is not None]
    flat, count = sum_values(amount_of(r, measure) for r in rows)
    if len(rows) > len(block.top or ()) and abs(total - flat) <= tol * (count + 1):
        return [(r, []) for r in rows]  # a row typed as a subtotal is one of the items (a unit's 本级 row named like the department)
    groups: list[tuple[Row, list[Row]]] = []
    i = 0
    while i < len(rows):
        head = amount_of(rows[i], measure)
        members, j = [], i + 1
        while j < len(rows) and head > 0 and sum((amount_of(r, measure) for r in members), ZERO) < head - tol * (len(members) + 1):
            members.append(rows[j])
            j += 1
        if members and abs(sum((amount_of(r, measure) for r in members), ZERO) - head) > tol * (len(members) + 1):
            return None
        groups.append((rows[i], members))
        i = j
    if len(groups) == len(rows):
        return None  # no row heads others
    headings = [amount_of(r, measure) for r, _ in groups]
    return groups if abs(total - sum(headings, ZERO)) <= tol * (len(headings) + 1) else None


def strip_label_lead(text: str) -> str:
    """The compacted label without a leading 其中 / 其中: / 其中：."""
    text = compact(text)
    for lead in ("其中:", "其中：", "其中"):
        if text.startswith(lead):
            return text[len(lead):]
    return text


def check_balance(ctx: Context, table: Table, tol: Decimal) -> None:
    """收入总计 = 支出总计; one of them printed blank while the other prints an amount other than 0 is
    sum.two-sided-total-blank (a warning: nothing to compare, but a reader would ask)."""
    grands = {}
    for side in ("income", "expenditure"):
        block = side_block(ctx, table, side)
        grands[side] = block.grand if block is not None else None
    income, expenditure = grands["income"], grands["expenditure"]
    if income is None or expenditure is None:
        return
    a, b = amount_of(income, "total"), amount_of(expenditure, "total")
    if (a is None) != (b is None):
        blank, filled, value = (income, expenditure, b) if a is None else (expenditure, income, a)
        if value:
            ctx.add("sum.two-sided-total-blank",
                    f"「{row_name(blank)}」未填金额，而「{row_name(filled)}」为 {printed(value, table)}。"
                    f" One side's grand total is printed blank while the other side's is printed.",
                    table=table, row=blank, measure="total", expected=value)
        return
    if a is None or b is None:
        return
    if ctx.identity(abs(a - b) <= tol * 2):   # each total added up from rounded lines: within the rounding of the two
        if a == b:
            return
        ctx.add("rounding",
                f"「{row_name(income)}」{printed(a, table)} ≠ 「{row_name(expenditure)}」{printed(b, table)}"
                f"（差 gap {printed(b - a, table)}，舍入可解释 within rounding）。 Total income and total expenditure "
                f"differ by rounding.", table=table, row=expenditure, measure="total", expected=a, found=b, difference=b - a)
        return
    ctx.add("sum.two-sided-balance",
            f"「{row_name(income)}」{printed(a, table)} ≠ 「{row_name(expenditure)}」{printed(b, table)}"
            f"（差 {printed(a - b, table)}）。 Total income does not equal total expenditure.",
            table=table, row=expenditure, measure="total", expected=a, found=b, difference=b - a)



def side_block(ctx: Context, table: Table | None, side: str) -> Block | None:
    """One side of a two-sided table, read once per package."""
    if table is None:
        return None

    def compute() -> Block | None:
        rows = [row for row in table.rows if row.values.get("side") == side]
        return analyse_block(table, rows, side, ctx.fiscal_year) if rows else None
    return ctx.memo(("block", table.table_id, side), compute)


def current_value_row(block: Block | None, measure: str = "total") -> Row | None:
    """The row holding the current-year figure of a side: 本年合计, or the grand total when nothing is carried."""
    if block is None:
        return None
    if block.current is not None:
        return block.current
    if block.grand is not None and all(amount_of(r, measure) in (None, ZERO) for r in block.carry):
        return block.grand
    return None


def carry_is_zero(block: Block | None) -> bool:
    """True when the block exists and none of its carry-over rows prints a non-zero total."""
    return block is not None and all(amount_of(r, m) in (None, ZERO) for r in block.carry for m in ("total",))

