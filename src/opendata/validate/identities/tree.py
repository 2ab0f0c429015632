"""Coded tables: the code hierarchy (类 / 款 / 项, units) of a table and the checks that a
row is the sum of the rows below it and a total row the sum of the top-level rows."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from ...model import Row, Table
from ...standard import load_standard
from ..rules import Context, amount_of, measures_of, mentions, sum_values
from .common import HIERARCHY_FIELDS, check_sum, row_name
from .nesting import nested_sum, shows_nesting
from .rounding import ERROR, gap_kind


@dataclass
class Node:
    """One item row of a coded table with its codes (code field -> code, unit codes and codes
    inherited from the row above included) and whether it is a detail row (no codes of its
    own, under a coded row: a project under its function code)."""
    row: Row
    codes: dict[str, str]  # code field -> code, with unit codes and codes inherited from the row above
    detail: bool  # a row without codes of its own under a coded row (a project under its function code)


def coded_nodes(table: Table) -> tuple[list[Node], list[Row]]:
    """The item rows with their codes (inherited where a row prints none), and the total rows."""
    nodes: list[Node] = []
    totals: list[Row] = []
    unit: str | None = None
    headed = False   # the unit's row is a subtotal heading its rows (convert/project_units.py)
    last: Node | None = None
    for row in table.rows:
        own = {name: str(row.values[name]) for name in HIERARCHY_FIELDS if row.values.get(name)}
        if headed and row.row_type == "item" and own == {"unit_code": unit}:
            own = {}   # a row of the unit's block carrying its unit: as if printed without it
        if not own and (row.row_type in ("total", "subtotal") or mentions(row.values.get("item") or "", "合计", "总计")):
            totals.append(row)
            continue
        if own.get("unit_code") and len(own) == 1:
            unit, headed = own["unit_code"], row.row_type == "subtotal"
        if not own and _unit_heading(row):
            # a unit printed by name only (深圳市某某局（本级）) heads the block of coded rows below it:
            # not a detail of the coded row above, the last row of the block before; the block's
            # rows are its own (a key of its own for the unit: codes repeat from one block to the next)
            unit, last = f"@{len(nodes)}@", None   # never a prefix of another unit's key
            nodes.append(Node(row, {"unit_code": unit}, False))
            continue
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


def _unit_heading(row: Row) -> bool:
    """A row naming a unit only (its item is its unit name, no code): the heading of that unit's rows."""
    return bool(row.values.get("unit_name")) and row.values.get("item") == row.values["unit_name"] and not any(
        row.values.get(name) for name in HIERARCHY_FIELDS)


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
    cached = table.derived.get("validation_tree")
    if cached is not None:
        return cached
    nodes, totals = coded_nodes(table)
    index = _ancestor_index(nodes)
    position = {id(node): i for i, node in enumerate(nodes)}
    parents = {i: _parent_fast(node, nodes, index, position) for i, node in enumerate(nodes)}
    children: dict[int, list[Node]] = {}
    top: list[Node] = []
    for i, node in enumerate(nodes):
        parent = parents[i]
        if parent is None:
            top.append(node)
        else:
            children.setdefault(position[id(parent)], []).append(node)
    result = Tree(nodes, totals, parents, top, children)
    table.derived["validation_tree"] = result
    return result


def check_coded_table(ctx: Context, table: Table, tol: Decimal) -> None:
    """The code hierarchy of `table` adds up, for every measure, with `tol` (元) per printed
    figure: each coded row is the sum of the rows below it (sum.hierarchy), and a total row
    the sum of the top-level rows (sum.total-row; subtotals skipped when there are several
    totals). Groups whose codes appear twice are skipped as ambiguous, except a code printed
    twice under one parent for different items with no rows below them. Adds findings to `ctx`."""
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
        if any(not k.detail and seen.get(tuple(sorted(k.codes.items())), 0) > 1 and not _distinct_leaf(k, kids, children, nodes)
               for k in kids):
            continue
        for measure in measures:
            if any(k.detail for k in kids) and levels_by_sums(node.row, [k.row for k in kids], measure, tol, True):
                continue
            check_sum(ctx, table, node.row, [k.row for k in kids], measure, tol, "sum.hierarchy",
                       lambda: f"「{row_name(node.row)}」行是其下各行之和 is the sum of the rows below it")
    heads = [node.row for node in top if _unit_heading(node.row)]
    if len(heads) > 2 and heads[0] is table.rows[0] and _unit_heading(table.rows[1]) and not children.get(0):
        # the department named over the first unit's name, nothing below it: the sum of the units
        for measure in measures:
            check_sum(ctx, table, heads[0], heads[1:], measure, tol, "sum.hierarchy",
                      lambda: f"「{row_name(heads[0])}」行是各单位之和 is the sum of its units")
    for total in totals:
        if len(totals) > 1 and total.row_type == "subtotal":
            continue
        options = part_classes(total, top)
        if options is not None:   # 人员经费合计 of a two-panel table: the sum of its economic classes only
            for measure in measures:
                if options and not any(_adds_up(total, parts, measure, tol) for parts in options):
                    check_sum(ctx, table, total, options[-1], measure, tol, "sum.total-row",
                              lambda: f"「{row_name(total)}」行是其经济分类各类之和 is the sum of its economic classes")
            continue
        for measure in measures:
            if levels_by_sums(total, [n.row for n in top], measure, tol, False):
                continue
            check_sum(ctx, table, total, [n.row for n in top], measure, tol, "sum.total-row",
                       lambda: f"「{row_name(total)}」行是各行之和 is the sum of the rows")


def part_classes(total: Row, top: list[Node]) -> list[list[Row]] | None:
    """For a total row naming a part of basic expenditure (人员经费合计, 公用经费合计: a headline figure of
    codelists/key_figures.csv with `economic_classes`, 301+303 / 302 or 302+310), the top-level rows of each of the
    figure's class lists that the table prints all of (perhaps none); None for any other total row."""
    label = str(total.values.get("item") or "")
    for spec in load_standard().codelists["key_figures"].rows:
        names = [spec["title_zh"], *(spec.get("aliases") or "").split("|")]
        if spec.get("economic_classes") and any(name and name in label for name in names):
            by_class = {n.codes.get("economic_code"): n.row for n in top if len(n.codes.get("economic_code") or "") == 3}
            return [[by_class[c] for c in option.split("+")] for option in spec["economic_classes"].split("|")
                    if all(c in by_class for c in option.split("+"))]
    return None


def _adds_up(whole: Row, parts: list[Row], measure: str, tol: Decimal) -> bool:
    """Whether `whole` is the sum of `parts` for `measure` as `check_sum` judges it (no ERROR gap: `gap_kind` over the
    printed figures), without adding a finding."""
    total = amount_of(whole, measure)
    values = [amount_of(row, measure) for row in parts]
    if total is None or all(v is None for v in values):
        return True
    value, count = sum_values(values)
    return gap_kind(total - value, count, tol) != ERROR


def levels_by_sums(whole: Row, rows: list[Row], measure: str, tol: Decimal, unknown_is_enough: bool) -> bool:
    """True when `rows` (printed order) are not one flat level below `whole` for `measure` and their
    levels, printed without indentation or codes, are read from the sums instead (nesting.py): the
    flat sum misses `whole` beyond rounding and a nested reading adds up to it exactly — or, with
    `unknown_is_enough`, some row is the sum of rows right below it, so the levels can not be known
    and the flat sum proves nothing. False when the flat sum holds or is off by rounding only."""
    total = amount_of(whole, measure)
    amounts = [amount_of(row, measure) for row in rows]
    if total is None or all(a is None for a in amounts):
        return False
    amounts = [a if a is not None else Decimal(0) for a in amounts]
    if gap_kind(total - sum(amounts), len(amounts), tol) != ERROR:
        return False
    return bool(nested_sum(amounts, total)) or (unknown_is_enough and shows_nesting(amounts))


def _distinct_leaf(kid: Node, kids: list[Node], children: dict[int, list[Node]], nodes: list[Node]) -> bool:
    """A code printed twice under one parent for two different items (30208 取暖费 and 30208
    物业管理费), neither with rows below it: both are parts of the parent, whatever the code."""
    twins = [k for k in kids if k.codes == kid.codes and not k.detail]
    labels = {row_name(k.row) for k in twins}
    position = {id(node): i for i, node in enumerate(nodes)}
    return len(twins) > 1 and len(labels) == len(twins) and not any(children.get(position[id(k)]) for k in twins)


def _ancestor_index(nodes: list[Node]) -> dict:
    index: dict = {"units": {node.codes["unit_code"] for node in nodes if node.codes.get("unit_code")}}
    for node in nodes:
        if node.codes and not node.detail:
            index.setdefault(tuple(node.codes.get(name) for name in HIERARCHY_FIELDS), []).append(node)
    return index


def _prefixes(name: str, code: str | None, units: set[str]) -> list[str | None]:
    """The codes a row's ancestor may carry in one field: none, a shorter code, the same."""
    if code is None:
        return [None]
    if name == "unit_code":
        return [None, *(code[:n] for n in range(1, len(code)) if code[:n] in units), code]
    return [None, *(code[:n] for n in load_standard().code_lengths[name] if n < len(code)), code]


def _heads_unit_block(other: Node, node: Node, nodes: list[Node], position: dict[int, int]) -> bool:
    """A unit whose code is a prefix of `node`'s unit code is its parent only when printed above it
    with only its own units' rows in between (263 above 263001, 263002): a short code printed
    after the units it would head, or with other units in between, is a number (1 全额, 2 差额),
    not the head of every unit whose code begins with that digit."""
    mine, theirs = other.codes.get("unit_code"), node.codes.get("unit_code")
    if not mine or mine == theirs:
        return True
    start, end = position[id(other)], position[id(node)]
    if start > end:
        return False
    return all((between.codes.get("unit_code") or mine).startswith(mine) for between in nodes[start + 1:end])


def _parent_fast(node: Node, nodes: list[Node], index: dict[tuple, list[Node]], position: dict[int, int]) -> Node | None:
    if not node.codes:
        return None
    own = tuple(node.codes.get(name) for name in HIERARCHY_FIELDS)
    units = index["units"]
    candidates = []
    for key in product(*(_prefixes(name, code, units) for name, code in zip(HIERARCHY_FIELDS, own))):
        if key == own and not node.detail:
            continue
        for other in index.get(key, ()):
            if other is not node and _is_ancestor(other, node) and _heads_unit_block(other, node, nodes, position):
                candidates.append(other)
    if not candidates:
        return None
    return max(candidates, key=lambda a: (sum(len(v) for v in a.codes.values()), len(a.codes)))

