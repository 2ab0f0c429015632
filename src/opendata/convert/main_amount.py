"""The measures a table is read with: the row's main amount is `total` in every money table.

A one-sided table whose only total is the year's own money (本年收入合计 of 收入决算表, 本年支出合计 of
支出决算表: current_year_subtotal by its header) prints nothing larger beside it: no 合计 column and no
source of funds beside the year's money (上年结转, 年初结转和结余 … the other children of total in the
funding tree of codelists/measure_tree.csv). Its total column is then `total`, the amount a reader
takes as the row's total, so that checks needing the row total run on final accounts too."""
from __future__ import annotations

from ..standard import TableSpec, load_standard
from .columns import Column
from .three_public import printed_spec

__all__ = ["printed_spec", "year_as_total"]

YEAR = "current_year_subtotal"


def year_as_total(columns: list[Column], spec: TableSpec) -> list[Column]:
    """`columns` (changed in place and returned) with the only current_year_subtotal column read as total
    when the table prints nothing larger beside it (module doc)."""
    if spec.two_sided or "total" not in spec.measures:
        return columns
    measures = [c for c in columns if c.kind == "measure"]
    years = [c for c in measures if c.name == YEAR]
    if len(years) != 1 or any(c.name == "total" for c in measures):
        return columns
    tree = load_standard().measure_tree("funding")
    beside = [m for parent, children in tree.items() if YEAR in children for m in children if m != YEAR]
    larger = set(beside)
    while beside:
        node = beside.pop()
        for child in tree.get(node, ()):
            if child not in larger:
                larger.add(child)
                beside.append(child)
    if not any(c.name in larger for c in measures):
        years[0].name = "total"
    return columns
