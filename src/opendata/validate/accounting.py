"""Layer 3, accounting identities: what a disclosure's figures must satisfy among
themselves, within the precision they were printed with.

- row: a row's total equals the sum of its parts (basic + project, personnel + public
  use, the economic classes, the kinds of project, the sources of funds, the 三公 parts);
- hierarchy: a 类 equals the sum of its 款, a 款 the sum of its 项 (function and
  economic codes), a unit the sum of its rows, a department the sum of its units, an
  outline row ("3、公务用车费") the sum of its numbered sub-rows;
- totals: a 合计 / 总计 row equals the sum of the rows it totals; in two-sided tables
  收入总计 equals 支出总计 and 本年收入合计 + 结转 equals 收入总计;
- across tables: the same quantity printed in two tables agrees.

Only what the table printed is compared: a whole that is empty is not checked; parts
left empty in a printed column count as zero, but a row with all its parts empty is not
checked (the table did not break it down). Two-sided tables and item lists are read by
their labels and numbering ('一、', '（一）', '1、', '其中：'); where the structure can not be
read with certainty, nothing is checked — a missed check costs less than a false one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations, product

from ..model import Row, Table
from .rules import (
    CODE_FIELDS, EXPENDITURE_TREE, FLOATING_SOURCES, FUNDING_TREE, ROW_IDENTITIES, ZERO, Context,
    amount_of, ancestors, compact, effective_children, function_class, label_measure, measures_of,
    mentions, ordinal, printed, strip_label, sum_values, table_tolerance,
)

HIERARCHY_FIELDS = (*CODE_FIELDS, "unit_code")


def check(ctx: Context) -> None:
    for table in ctx.tables.values():
        spec = ctx.standard.tables.get(table.table_id)
        if spec is None or spec.kind != "money" or not table.rows:
            continue
        tol = table_tolerance(table, ctx.money_unit)
        check_row_identities(ctx, table, tol)
        if spec.two_sided:
            for side in ("income", "expenditure"):
                block = _block(ctx, table, side)
                if block is not None:
                    check_block(ctx, table, block, tol)
            check_balance(ctx, table, tol)
        elif any(row.values.get(name) for row in table.rows for name in HIERARCHY_FIELDS):
            check_coded_table(ctx, table, tol)
        else:
            check_block(ctx, table, analyse_block(table, table.rows, None, ctx.fiscal_year), tol)
    check_across(ctx)


# -- messages ----------------------------------------------------------------------------

def measure_title(ctx: Context, measure: str) -> str:
    spec = ctx.standard.measures.get(measure)
    return spec.title_zh.split(" / ")[0] if spec else measure


def row_name(row: Row) -> str:
    text = row.values.get("item") or row.values.get("project_name") or row.row_id
    return str(text).strip()


def explain(diff: Decimal, candidates: list[tuple[Row, Decimal]], tol: Decimal, table: Table) -> str:
    """A hint when the difference equals one row's amount: that row is missing from, or extra to, the total."""
    matches = [(row, value) for row, value in candidates if value and abs(abs(diff) - abs(value)) <= tol]
    if len(matches) != 1:
        return ""
    row, value = matches[0]
    if diff > 0:
        return (f"差额正好等于「{row_name(row)}」行的 {printed(value, table)}：该行未计入合计。"
                f" The difference equals the row {row_name(row)!r}: the total does not include it.")
    return (f"差额正好等于「{row_name(row)}」行的 {printed(value, table)}：合计多出了该行。"
            f" The difference equals the row {row_name(row)!r}: the total counts it although it is not printed among the parts.")


# -- rows --------------------------------------------------------------------------------

def check_row_identities(ctx: Context, table: Table, tol: Decimal) -> None:
    columns = set(measures_of(table))
    for rule, whole, parts in ROW_IDENTITIES:
        present = [p for p in parts if p in columns]
        if whole not in columns or not present:
            continue
        for row in table.rows:
            _check_parts(ctx, table, row, rule, whole, [present], tol)
    for node in FUNDING_TREE:
        if node not in columns:
            continue
        children = effective_children(FUNDING_TREE, node, columns)
        if node in ("total", "current_year_subtotal"):
            floating = [c for c in FLOATING_SOURCES if c in columns and c != node]
            fixed = [c for c in children if c not in FLOATING_SOURCES]
            options = [fixed + list(extra) for n in range(len(floating) + 1) for extra in combinations(floating, n)]
        else:
            options = [children]
        options = [o for o in options if o]
        if not options:
            continue
        for row in table.rows:
            _check_parts(ctx, table, row, "sum.funding-sources", node, options, tol)


def _check_parts(ctx: Context, table: Table, row: Row, rule: str, whole: str, options: list[list[str]],
                 tol: Decimal) -> None:
    total = amount_of(row, whole)
    if total is None:
        return
    every = {p for option in options for p in option}
    if all(amount_of(row, p) is None for p in every):
        return
    best = None
    for parts in options:
        value, count = sum_values(amount_of(row, p) for p in parts)
        allowed = tol * (count + 1)
        if abs(total - value) <= allowed:
            return
        if best is None or abs(total - value) < abs(total - best[0]):
            best = (value, parts)
    value, parts = best
    names = " + ".join(measure_title(ctx, p) for p in parts if amount_of(row, p) is not None) or "0"
    diff = total - value
    ctx.add(rule,
            f"「{row_name(row)}」行：{measure_title(ctx, whole)} {printed(total, table)} ≠ {names} = {printed(value, table)}"
            f"（差 {printed(diff, table)}）。 Row {row_name(row)!r}: {whole} is not the sum of {', '.join(parts)}.",
            table=table, row=row, measure=whole, expected=value, found=total, difference=diff)


# -- coded tables: hierarchy and totals -------------------------------------------------------

@dataclass
class Node:
    row: Row
    codes: dict[str, str]  # code field -> code, with unit codes and codes inherited from the row above
    detail: bool  # a row without codes of its own under a coded row (a project under its function code)


def coded_nodes(table: Table) -> tuple[list[Node], list[Row]]:
    """The item rows with their codes (inherited where a row prints none), and the total rows."""
    nodes: list[Node] = []
    totals: list[Row] = []
    unit: str | None = None
    last: Node | None = None
    for row in table.rows:
        own = {name: str(row.values[name]) for name in HIERARCHY_FIELDS if row.values.get(name)}
        if not own and (row.row_type in ("total", "subtotal") or mentions(row.values.get("item") or "", "合计", "总计")):
            totals.append(row)
            continue
        if own.get("unit_code") and len(own) == 1:
            unit = own["unit_code"]
        if not own:
            if last is None:
                nodes.append(Node(row, {}, False))
            else:
                nodes.append(Node(row, dict(last.codes), True))
            continue
        codes = dict(own)
        if "unit_code" not in codes and unit:
            codes["unit_code"] = unit
        node = Node(row, codes, False)
        nodes.append(node)
        last = node
    return nodes, totals


def _is_ancestor(a: Node, b: Node) -> bool:
    """a is above b: each of a's codes is b's code or a prefix of it, and a is more general."""
    if a is b or a.detail or not a.codes:
        return False
    if not b.codes:
        return False
    strictly = False
    for name in HIERARCHY_FIELDS:
        mine, theirs = a.codes.get(name), b.codes.get(name)
        if mine is None:
            if theirs is not None:
                strictly = True
            continue
        if theirs is None or not theirs.startswith(mine):
            return False
        if len(theirs) > len(mine):
            strictly = True
    if not strictly and b.detail and a.codes == b.codes:
        return True
    return strictly


@dataclass
class Tree:
    """The code hierarchy of a coded table."""
    nodes: list[Node]
    totals: list[Row]
    parents: dict[int, Node | None]
    top: list[Node]
    children: dict[int, list[Node]]


def tree(table: Table) -> Tree:
    """The table's code hierarchy, worked out once per table (tables are not changed while validated)."""
    cached = table.__dict__.get("_validation_tree")
    if cached is not None:
        return cached
    nodes, totals = coded_nodes(table)
    index = _ancestor_index(nodes)
    parents = {i: _parent_fast(node, nodes, index) for i, node in enumerate(nodes)}
    children: dict[int, list[Node]] = {}
    top: list[Node] = []
    position = {id(node): i for i, node in enumerate(nodes)}
    for i, node in enumerate(nodes):
        parent = parents[i]
        if parent is None:
            top.append(node)
        else:
            children.setdefault(position[id(parent)], []).append(node)
    result = Tree(nodes, totals, parents, top, children)
    table.__dict__["_validation_tree"] = result
    return result


def check_coded_table(ctx: Context, table: Table, tol: Decimal) -> None:
    t = tree(table)
    nodes, totals, children, top = t.nodes, t.totals, t.children, t.top
    measures = measures_of(table)
    # duplicates (the same codes twice) make a level ambiguous: skip those groups
    seen: dict[tuple, int] = {}
    for node in nodes:
        if not node.detail:
            key = tuple(sorted(node.codes.items()))
            seen[key] = seen.get(key, 0) + 1
    for i, node in enumerate(nodes):
        kids = children.get(i)
        if not kids:
            continue
        if seen.get(tuple(sorted(node.codes.items())), 0) > 1:
            continue
        if any(not k.detail and seen.get(tuple(sorted(k.codes.items())), 0) > 1 for k in kids):
            continue
        for measure in measures:
            _check_sum(ctx, table, node.row, [k.row for k in kids], measure, tol, "sum.hierarchy",
                       lambda: f"「{row_name(node.row)}」行是其下各行之和 is the sum of the rows below it")
    for total in totals:
        if len(totals) > 1 and total.row_type == "subtotal":
            continue
        for measure in measures:
            _check_sum(ctx, table, total, [n.row for n in top], measure, tol, "sum.total-row",
                       lambda: f"「{row_name(total)}」行是各行之和 is the sum of the rows")


def _ancestor_index(nodes: list[Node]) -> dict:
    index: dict = {"units": {node.codes["unit_code"] for node in nodes if node.codes.get("unit_code")}}
    for node in nodes:
        if node.codes and not node.detail:
            index.setdefault(tuple(node.codes.get(name) for name in HIERARCHY_FIELDS), []).append(node)
    return index


CODE_LENGTHS = {"function_code": (3, 5, 7), "economic_code": (3, 5, 7), "gov_economic_code": (3, 5)}


def _prefixes(name: str, code: str | None, units: set[str]) -> list[str | None]:
    """The codes a row's ancestor may carry in one field: none, a shorter code, the same."""
    if code is None:
        return [None]
    if name == "unit_code":
        return [None, *(code[:n] for n in range(1, len(code)) if code[:n] in units), code]
    return [None, *(code[:n] for n in CODE_LENGTHS[name] if n < len(code)), code]


def _parent_fast(node: Node, nodes: list[Node], index: dict[tuple, list[Node]]) -> Node | None:
    if not node.codes:
        return None
    own = tuple(node.codes.get(name) for name in HIERARCHY_FIELDS)
    units = index["units"]
    candidates = []
    for key in product(*(_prefixes(name, code, units) for name, code in zip(HIERARCHY_FIELDS, own))):
        if key == own and not node.detail:
            continue
        for other in index.get(key, ()):
            if other is not node and _is_ancestor(other, node):
                candidates.append(other)
    if not candidates:
        return None
    return max(candidates, key=lambda a: (sum(len(v) for v in a.codes.values()), len(a.codes)))


def _check_sum(ctx: Context, table: Table, whole: Row, parts: list[Row], measure: str, tol: Decimal, rule: str,
               what, at_most: bool = False) -> bool:
    """whole = Σ parts (or whole ≥ Σ parts when `at_most`); False when a finding was added."""
    total = amount_of(whole, measure)
    if total is None:
        return True
    values = [(row, amount_of(row, measure)) for row in parts]
    if all(value is None for _, value in values):
        return True
    value, count = sum_values(v for _, v in values)
    allowed = tol * (count + 1)
    diff = total - value
    if at_most:
        if value <= total + allowed:
            return True
    elif abs(diff) <= allowed:
        return True
    if callable(what):
        what = what()
    hint = explain(-diff, [(r, v) for r, v in values if v is not None], tol * 2, table) if not at_most else ""
    relation = "≥" if at_most else "="
    ctx.add(rule,
            f"{what}：{measure_title(ctx, measure)} {printed(total, table)}，各行之和 sum of the rows {printed(value, table)}"
            f"（{count} 行 rows，差 difference {printed(diff, table)}；应 {relation}）。{hint}",
            table=table, row=whole, measure=measure, expected=value, found=total, difference=diff)
    return False


# -- two-sided tables and item lists -----------------------------------------------------------

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


CARRY_WORDS = ("结转", "结余", "弥补收支差额")
CURRENT_WORDS = ("本年收入", "本年支出", "本年拨款")


def _label(row: Row) -> str:
    return str(row.values.get("item") or "")


def analyse_block(table: Table, rows: list[Row], side: str | None, year: int | None) -> Block:
    block = Block(side=side, rows=rows)
    labels = [compact(_label(r)) for r in rows]
    grand = [r for r, l in zip(rows, labels) if "总计" in l]
    if not grand:
        grand = [r for r, l in zip(rows, labels) if r.row_type == "total" and not any(w in l for w in CURRENT_WORDS)]
    if not grand:
        grand = [r for r, l in zip(rows, labels) if strip_label(l) in ("合计", "收入合计", "支出合计")]
    block.grand = grand[-1] if grand else None
    current = [r for r, l in zip(rows, labels) if r is not block.grand and any(w in l for w in CURRENT_WORDS)]
    if not current and block.grand is not None and "总计" in compact(_label(block.grand)):
        current = [r for r, l in zip(rows, labels) if r is not block.grand and strip_label(l) in ("收入合计", "支出合计", "合计")]
    block.current = current[0] if len(current) == 1 else None
    if block.current is not None:
        at = rows.index(block.current)
        before = [r for r in rows[:at] if r is not block.grand]
        leading = not any(_has_value(r) or ordinal(_label(r))[0] for r in before)
    else:
        leading = False
    carry_start = None
    for i, row in enumerate(rows):
        if row is block.grand or row is block.current:
            continue
        if mentions(_label(row), *CARRY_WORDS):
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
        elif row.row_type in ("total", "subtotal") or strip_label(_label(row)) in ("小计", "合计"):
            continue  # a subtotal of part of the list: not an item
        else:
            block.items.append(row)
    # the carry rows that make the carry-over total: the first style seen (or none), not sub-rows
    if block.carry:
        first_style = ordinal(_label(block.carry[0]))[0]
        for row in block.carry:
            style = ordinal(_label(row))[0]
            if compact(_label(row)).startswith("其中"):
                continue
            if style is None or style == first_style:
                block.carry_top.append(row)
    block.top, block.children = _outline(block.items)
    if block.top is None:
        block.top = _semantic_top(block, year)
    if block.top is None and table.table_id in FLAT_TABLES and block.items and not any(
            ordinal(_label(r))[0] or compact(_label(r)).startswith("其中") for r in block.items):
        block.top = list(block.items)
    for row in block.items:
        code = function_class(_label(row), year)
        if code and code not in block.classes:
            block.classes[code] = row
        measure = label_measure(_label(row))
        if measure and measure not in block.measures:
            block.measures[measure] = row
    return block


FLAT_TABLES = ("project_expenditure", "government_procurement", "government_purchased_services",
               "transfer_payment_details", "three_public_expenses", "income_summary", "expenditure_summary",
               "operating_costs", "general_budget_project_expenditure")


def _has_value(row: Row) -> bool:
    return any(isinstance(v, Decimal) for v in row.values.values())


def _outline(items: list[Row]) -> tuple[list[Row] | None, dict[int, tuple[list[Row], bool]]]:
    """Top-level rows and their sub-rows, read from the numbering. None when the numbering
    does not make the structure certain."""
    styled = [(row, *ordinal(_label(row))[:2]) for row in items]
    top_style = next((style for _, style, _ in styled if style), None)
    if top_style is None:
        return None, {}
    top: list[Row] = []
    children: dict[int, tuple[list[Row], bool]] = {}
    current: Row | None = None
    last_number = 0
    for row, style, number in styled:
        if style == top_style and not compact(_label(row)).startswith("其中"):
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
        if not kids and compact(_label(row)).startswith("其中"):
            partial = True
        kids.append(row)
        children[id(current)] = (kids, partial)
    return top, children


def _semantic_top(block: Block, year: int | None) -> list[Row] | None:
    """Top-level items from what the labels name: function classes, or measures in a tree."""
    valued = [row for row in block.items if _has_value(row)]
    if not valued:
        return []
    classes = [function_class(_label(row), year) for row in valued]
    if all(classes) and len(set(classes)) == len(classes):
        return valued
    measures = [label_measure(_label(row)) for row in valued]
    if all(measures) and len(set(measures)) == len(measures):
        tree = EXPENDITURE_TREE if block.side == "expenditure" else FUNDING_TREE
        present = set(measures)
        return [row for row, m in zip(valued, measures) if not (ancestors(tree, m) & present)]
    return None


def check_block(ctx: Context, table: Table, block: Block, tol: Decimal) -> None:
    measures = measures_of(table)
    where = f"{'收入方 income side' if block.side == 'income' else '支出方 expenditure side' if block.side == 'expenditure' else ''}"
    for measure in measures:
        # 本年合计 + 结转 = 总计
        if block.grand is not None and block.current is not None:
            _check_sum(ctx, table, block.grand, [block.current, *block.carry_top], measure, tol, "sum.two-sided-carryover",
                       lambda: f"{where}「{row_name(block.grand)}」= 「{row_name(block.current)}」+ 结转 carry-over".strip())
        # the items add up to 本年合计 (or to the grand total when there is no carry-over)
        if block.top is not None:
            whole = block.current
            if whole is None and block.grand is not None and all(amount_of(r, measure) in (None, ZERO) for r in block.carry):
                whole = block.grand
            if whole is not None:
                _check_sum(ctx, table, whole, block.top, measure, tol, "sum.total-row",
                           lambda: f"{where}「{row_name(whole)}」是各项之和 is the sum of the items".strip())
        # numbered sub-rows add up to their row
        for row in block.top or ():
            kids, partial = block.children.get(id(row), ([], False))
            if not kids:
                continue
            first_style = ordinal(strip_label_lead(_label(kids[0])))[0]
            direct = [k for k in kids if ordinal(strip_label_lead(_label(k)))[0] == first_style]
            if first_style is None and not partial:
                continue  # unnumbered sub-rows: the nesting is not certain
            if partial or first_style is None:
                _check_sum(ctx, table, row, direct if first_style else kids, measure, tol, "sum.hierarchy",
                           lambda: f"「{row_name(row)}」不小于其中各项 is at least the sum of its 其中 rows", at_most=True)
            else:
                _check_sum(ctx, table, row, direct, measure, tol, "sum.hierarchy",
                           lambda: f"「{row_name(row)}」是其下各项之和 is the sum of its numbered sub-rows")


def strip_label_lead(text: str) -> str:
    text = compact(text)
    for lead in ("其中:", "其中：", "其中"):
        if text.startswith(lead):
            return text[len(lead):]
    return text


def check_balance(ctx: Context, table: Table, tol: Decimal) -> None:
    """收入总计 = 支出总计."""
    grands = {}
    for side in ("income", "expenditure"):
        block = _block(ctx, table, side)
        grands[side] = block.grand if block is not None else None
    income, expenditure = grands["income"], grands["expenditure"]
    if income is None or expenditure is None:
        return
    a, b = amount_of(income, "total"), amount_of(expenditure, "total")
    if a is None or b is None or abs(a - b) <= tol * 2:
        return
    ctx.add("sum.two-sided-balance",
            f"「{row_name(income)}」{printed(a, table)} ≠ 「{row_name(expenditure)}」{printed(b, table)}"
            f"（差 {printed(a - b, table)}）。 Total income does not equal total expenditure.",
            table=table, row=expenditure, measure="total", expected=a, found=b, difference=b - a)


# -- across tables ----------------------------------------------------------------------------

@dataclass
class Quantity:
    table: Table
    row: Row | None
    measure: str
    value: Decimal
    figures: int  # how many printed figures it adds up
    what: str

    def tolerance(self, ctx: Context) -> Decimal:
        return table_tolerance(self.table, ctx.money_unit) * self.figures


def _q(table: Table | None, row: Row | None, measure: str, what: str) -> Quantity | None:
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
    candidates = totals or [row for row in table.rows if row.row_type == "total" or strip_label(_label(row)) in ("合计", "总计")]
    grand = [row for row in candidates if row.row_type == "total"] or candidates
    return grand[0] if len(grand) == 1 else None


def compare(ctx: Context, rule: str, a: Quantity | None, b: Quantity | None, topic: str) -> None:
    if a is None or b is None:
        return
    allowed = a.tolerance(ctx) + b.tolerance(ctx)
    diff = b.value - a.value
    if abs(diff) <= allowed:
        return
    ctx.add(rule,
            f"{topic}：{a.table.table_id}「{a.what}」{printed(a.value, a.table)}，{b.table.table_id}「{b.what}」"
            f"{printed(b.value, b.table)}（差 {printed(diff, b.table)}）。 The same quantity differs between "
            f"{a.table.table_id} and {b.table.table_id}.",
            table=b.table, row=b.row, measure=b.measure, expected=a.value, found=b.value, difference=diff)


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


def _block(ctx: Context, table: Table | None, side: str) -> Block | None:
    """One side of a two-sided table, read once per package."""
    if table is None:
        return None

    def compute() -> Block | None:
        rows = [row for row in table.rows if row.values.get("side") == side]
        return analyse_block(table, rows, side, ctx.fiscal_year) if rows else None
    return ctx.memo(("block", table.table_id, side), compute)


def _current_value_row(block: Block | None, measure: str = "total") -> Row | None:
    """The row holding the current-year figure of a side: 本年合计, or the grand total when nothing is carried."""
    if block is None:
        return None
    if block.current is not None:
        return block.current
    if block.grand is not None and all(amount_of(r, measure) in (None, ZERO) for r in block.carry):
        return block.grand
    return None


def _carry_is_zero(block: Block | None) -> bool:
    return block is not None and all(amount_of(r, m) in (None, ZERO) for r in block.carry for m in ("total",))


def check_across(ctx: Context) -> None:
    t = ctx.tables
    ies, inc, exp = t.get("income_expenditure_summary"), t.get("income_summary"), t.get("expenditure_summary")
    fas, gbe = t.get("fiscal_appropriation_summary"), t.get("general_budget_expenditure")
    basic_t, project_t = t.get("general_budget_basic_expenditure"), t.get("general_budget_project_expenditure")
    gfe, sce, projects = t.get("government_fund_expenditure"), t.get("state_capital_expenditure"), t.get("project_expenditure")
    ies_in, ies_out = _block(ctx, ies, "income"), _block(ctx, ies, "expenditure")
    fas_in, fas_out = _block(ctx, fas, "income"), _block(ctx, fas, "expenditure")
    inc_total, exp_total, gbe_total = total_row(inc), total_row(exp), total_row(gbe)

    # grand totals: 收支总表 vs 收入总表 vs 支出总表
    if ies_in is not None and inc_total is not None:
        inc_has_carry = any(m.startswith("carryover") or m == "fiscal_carryover" for m in measures_of(inc))
        if inc_has_carry or _carry_is_zero(ies_in):
            compare(ctx, "across.grand-totals", _q(ies, ies_in.grand, "total", row_name(ies_in.grand) if ies_in.grand else ""),
                    _q(inc, inc_total, "total", row_name(inc_total)), "收入总计 total income")
        if ies_in.current is not None:
            compare(ctx, "across.grand-totals", _q(ies, ies_in.current, "total", row_name(ies_in.current)),
                    _q(inc, inc_total, "current_year_subtotal", row_name(inc_total)), "本年收入 income of the year")
    if ies_out is not None and exp_total is not None:
        row = _current_value_row(ies_out)
        compare(ctx, "across.grand-totals", _q(ies, row, "total", row_name(row) if row else ""),
                _q(exp, exp_total, "total", row_name(exp_total)), "本年支出 expenditure of the year")
        for measure in ("basic", "project"):
            mrow = ies_out.measures.get(measure)
            compare(ctx, "across.grand-totals", _q(ies, mrow, "total", row_name(mrow) if mrow else ""),
                    _q(exp, exp_total, measure, row_name(exp_total)), measure_title(ctx, measure))
    # sources of funds: 收支总表 / 财政拨款收支总表 income rows vs 收入总表 columns
    for measure in ("general_budget", "government_fund", "state_capital", "special_account", "business_income",
                    "operating_income", "superior_subsidy", "subordinate_remittance", "other_income"):
        if inc_total is None:
            break
        for table, block in ((ies, ies_in), (fas, fas_in)):
            if block is None:
                continue
            row = block.measures.get(measure)
            if row is None or row in block.carry:
                continue
            compare(ctx, "across.fiscal-appropriation" if table is fas else "across.grand-totals",
                    _q(table, row, "total", row_name(row)), _q(inc, inc_total, measure, row_name(inc_total)),
                    measure_title(ctx, measure))
    # 财政拨款收支总表 vs 收支总表: the appropriation income rows
    if fas_in is not None and ies_in is not None:
        for measure in ("general_budget", "government_fund", "state_capital"):
            a, b = ies_in.measures.get(measure), fas_in.measures.get(measure)
            if a is None or b is None or a in ies_in.carry or b in fas_in.carry:
                continue
            compare(ctx, "across.fiscal-appropriation", _q(ies, a, "total", row_name(a)), _q(fas, b, "total", row_name(b)),
                    measure_title(ctx, measure))
    # 财政拨款收支总表 expenditure vs 一般公共预算支出表 (+ 政府性基金 + 国有资本)
    only_general = _only_general_budget(ctx, fas_in, gfe, sce)
    if fas_out is not None and gbe_total is not None:
        row = _current_value_row(fas_out)
        if row is not None and "general_budget" in fas.columns and amount_of(row, "general_budget") is not None:
            compare(ctx, "across.fiscal-appropriation", _q(fas, row, "general_budget", row_name(row)),
                    _q(gbe, gbe_total, "total", row_name(gbe_total)), "一般公共预算支出 general budget expenditure")
        elif row is not None:
            other = [total_row(x) for x in (gfe, sce) if x is not None]
            fund = sum((amount_of(r, "total") or ZERO) for r in other if r is not None)
            if only_general or other:
                expected = _q(gbe, gbe_total, "total", row_name(gbe_total))
                if expected is not None and fund:
                    expected.value += fund
                    expected.figures += len(other)
                    expected.what += " + 政府性基金 + 国有资本经营"
                if only_general or fund:
                    compare(ctx, "across.fiscal-appropriation", _q(fas, row, "total", row_name(row)), expected,
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
    # 基本支出表 and 项目支出表 vs the columns of 一般公共预算支出表
    basic_total = total_row(basic_t)
    for measure, source in (("basic", "total"), ("personnel", "personnel"), ("public_use", "public_use")):
        if gbe_total is None or basic_total is None:
            break
        compare(ctx, "across.basic-expenditure", _q(gbe, gbe_total, measure, row_name(gbe_total)),
                _q(basic_t, basic_total, source, row_name(basic_total)), measure_title(ctx, measure))
    project_total = total_row(project_t)
    if gbe_total is not None and project_total is not None:
        compare(ctx, "across.project-expenditure", _q(gbe, gbe_total, "project", row_name(gbe_total)),
                _q(project_t, project_total, "total", row_name(project_total)), "项目支出 project expenditure")
    projects_total = total_row(projects)
    if projects_total is not None:
        candidates = [q for q in (_q(exp, exp_total, "project", row_name(exp_total) if exp_total else ""),
                                  _q(gbe, gbe_total, "project", row_name(gbe_total) if gbe_total else "")) if q]
        mine = _q(projects, projects_total, "total", row_name(projects_total))
        if candidates and mine is not None and not any(
                abs(mine.value - q.value) <= mine.tolerance(ctx) + q.tolerance(ctx) for q in candidates):
            compare(ctx, "across.project-expenditure", candidates[0], mine, "项目支出 project expenditure")
    # per function code, when every yuan is general-budget money
    if exp is not None and gbe is not None and _all_general_budget(ctx, ies_in, inc_total, inc):
        _compare_codes(ctx, exp, gbe)


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
    return _carry_is_zero(fas_in)


def _all_general_budget(ctx: Context, ies_in: Block | None, inc_total: Row | None, inc: Table | None) -> bool:
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


def _compare_codes(ctx: Context, exp: Table, gbe: Table) -> None:
    def per_code(table: Table) -> dict[str, dict[str, tuple[Decimal, int, Row | None]]]:
        result: dict[str, dict[str, tuple[Decimal, int, Row | None]]] = {}
        for row in table.rows:
            code = row.values.get("function_code")
            if not code or len(str(code)) != 7:
                continue
            for measure in ("total", "basic", "project"):
                value = amount_of(row, measure)
                if value is None:
                    continue
                total, count, first = result.setdefault(str(code), {}).get(measure, (ZERO, 0, row))
                result[str(code)][measure] = (total + value, count + 1, first if count else row)
        return result
    mine, theirs = per_code(exp), per_code(gbe)
    for code in sorted(set(mine) & set(theirs)):
        for measure in ("total", "basic", "project"):
            if measure not in mine[code] or measure not in theirs[code]:
                continue
            va, na, ra = theirs[code][measure]
            vb, nb, rb = mine[code][measure]
            compare(ctx, "across.function-codes", Quantity(gbe, ra, measure, va, na, f"{code}"),
                    Quantity(exp, rb, measure, vb, nb, f"{code}"), f"{code} {measure_title(ctx, measure)}")
