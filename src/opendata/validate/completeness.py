"""Layer 5, completeness: the tables the stage requires are present (tables.csv,
`required_in`); a table printed empty is data, not a gap — but it should carry its note
("本部门没有……故本表无数据") so a reader can tell "nothing to report" from "not filled in".
"""
from __future__ import annotations

import re
from decimal import Decimal

from .rules import Context, compact, measures_of

ZERO_STATED = re.compile(r"(?<![\d.])0(?:\.0+)?\s*(?:万元|元)?(?![\d.])|无|没有|未安排")


def check(ctx: Context) -> None:
    """Layer 5 over one package (`Context`), adding findings, returns None: a table
    `required_in` the package's stage (codelists/tables.csv) that the package does not declare
    is completeness.missing-table; a money table with no non-zero amount, no note and no
    sentence of the narrative saying its amount is nil (`stated_as_nil`) is
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
        if stated_as_nil(ctx, spec.title_zh):
            continue
        required = stage in spec.required_in
        ctx.add("completeness.empty-table-without-note" if required else "completeness.empty-optional-table-without-note",
                f"「{spec.title_zh}」没有任何金额，也没有说明（如“本部门没有……故本表无数据”）。"
                f" The table {table.table_id} has no amounts and no note saying why.",
                table=table)


def stated_as_nil(ctx: Context, title: str) -> bool:
    """Whether a sentence of the narrative says the amount of what an empty table shows is
    nil ("政府性基金拨款支出预算为0", "无政府性基金预算支出"): the table's subject (its title
    without 预算支出表 / 支出表 / 表) and a 0, 无 or 没有 in one sentence."""
    subject = re.sub(r"(预算)?(支出|收入)?(情况|明细)?表$", "", compact(title))
    narrative = ctx.tables.get("narrative")
    if len(subject) < 4 or narrative is None:
        return False
    for row in narrative.rows:
        text = compact(" ".join(str(row.values.get(name) or "") for name in ("heading", "text")))
        for sentence in re.split(r"[。；;]", text):
            at = sentence.find(subject)
            if at != -1 and ZERO_STATED.search(sentence[at:]) or at != -1 and ZERO_STATED.search(sentence[:at][-6:]):
                return True
    return False


def is_empty(table) -> bool:
    """No row prints a non-zero amount."""
    measures = measures_of(table)
    for row in table.rows:
        for name in measures:
            value = row.values.get(name)
            if isinstance(value, Decimal) and value != 0:
                return False
    return True
