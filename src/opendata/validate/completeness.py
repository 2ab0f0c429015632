"""Layer 5, completeness: the tables the stage requires are present (tables.csv,
`required_in`); a table printed empty is data, not a gap — but it should carry its note
("本部门没有……故本表无数据") so a reader can tell "nothing to report" from "not filled in".
"""
from __future__ import annotations

from decimal import Decimal

from .rules import Context, measures_of


def check(ctx: Context) -> None:
    """Layer 5 over one package (`Context`), adding findings, returns None: a table
    `required_in` the package's stage (codelists/tables.csv) that the package does not declare
    is completeness.missing-table; a money table with no non-zero amount and no note is
    completeness.empty-table-without-note (a required table) or
    completeness.empty-optional-table-without-note. Does nothing when the stage is unknown."""
    stage = ctx.stage
    if stage is None:
        return
    for table_id, spec in ctx.standard.tables.items():
        if stage in spec.required_in and table_id not in ctx.present:
            ctx.add("completeness.missing-table",
                    f"{'决算' if stage == 'final_accounts' else '预算'}公开必须包含「{spec.title_zh}」（{table_id}），本数据包没有。"
                    f" A {stage} disclosure must include the table {table_id} ({spec.title_en}); this package has none.",
                    table=table_id, expected=table_id, location={"pointer": "/resources"})
    for table in ctx.tables.values():
        spec = ctx.standard.tables.get(table.table_id)
        if spec is None or spec.kind != "money" or not is_empty(table) or (table.note or "").strip():
            continue
        required = stage in spec.required_in
        ctx.add("completeness.empty-table-without-note" if required else "completeness.empty-optional-table-without-note",
                f"「{spec.title_zh}」没有任何金额，也没有说明（如“本部门没有……故本表无数据”）。"
                f" The table {table.table_id} has no amounts and no note saying why.",
                table=table)


def is_empty(table) -> bool:
    """No row prints a non-zero amount."""
    measures = measures_of(table)
    for row in table.rows:
        for name in measures:
            value = row.values.get(name)
            if isinstance(value, Decimal) and value != 0:
                return False
    return True
