"""Layer 5, completeness: the tables the stage requires are present (tables.csv,
`required_in`); a table printed empty is data, not a gap — but it should carry its note
("本部门没有……故本表无数据") so a reader can tell "nothing to report" from "not filled in".
"""
from __future__ import annotations

import re
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
    statements = nil_statements(ctx)
    for table in ctx.tables.values():
        spec = ctx.standard.tables.get(table.table_id)
        if spec is None or spec.kind != "money" or not is_empty(table) or (table.note or "").strip():
            continue
        if statements is None or any(subject in text for subject in subjects(ctx.standard, spec) for text in statements):
            continue   # the document says the body has none of this money, or that its empty tables mean none
        required = stage in spec.required_in
        ctx.add("completeness.empty-table-without-note" if required else "completeness.empty-optional-table-without-note",
                f"「{spec.title_zh}」没有任何金额，也没有说明（如“本部门没有……故本表无数据”）。"
                f" The table {table.table_id} has no amounts and no note saying why.",
                table=table)


SUBJECT_MIN = 4   # shorter subjects (项目, 基本) are words of any sentence
TABLE_WORDS = ("表", "支出", "收支", "收入", "财政拨款", "功能分类", "经济分类", "情况")


def subjects(standard, spec) -> set[str]:
    """What a table is about, from its catalog title and aliases (tables.csv) without the title
    filler words (title_words.csv filler: 预算, 决算, 情况 …) and the trailing words of a table's
    name (表, 支出, 收支, 财政拨款 …): 政府性基金预算支出表 -> 政府性基金. An alias naming two
    subjects (三公经费和机关运行经费) gives none, nor one shorter than `SUBJECT_MIN` (项目)."""
    filler = next((row["words"].split("|") for row in standard.codelists["title_words"].rows if row["code"] == "filler"), [])
    found = set()
    for name in (spec.title_zh, *spec.aliases):
        key = re.sub(r"[\s\"“”'（）()]", "", name)
        for word in sorted(filler, key=len, reverse=True):
            key = key.replace(word, "")
        while key.endswith(TABLE_WORDS):
            key = key[:-len(next(w for w in TABLE_WORDS if key.endswith(w)))]
        key = key[2:] if key.startswith("部门") else key
        if len(key) >= SUBJECT_MIN and "和" not in key and "及" not in key:
            found.add(key)
    return found


def nil_statements(ctx: Context) -> list[str] | None:
    """The parts of the narrative and of the tables' notes that say the body has none of some
    money (disclosure_words.csv nil_statement: 本部门无政府性基金预算 -> '政府性基金预算'), each the
    text after the words up to the end of its clause; None when a note says every empty table
    means none (empty_means_nil: 空表表示本部门无相关收支情况)."""
    texts = [table.note or "" for table in ctx.tables.values()]
    texts += [str(row.values.get("text") or "") for table in ctx.tables.values() if table.table_id == "narrative" for row in table.rows]
    said = "|".join(re.escape(w) for w in sorted(ctx.standard.disclosure_words("nil_statement"), key=len, reverse=True))
    everything = ctx.standard.disclosure_words("empty_means_nil")
    found = []
    for text in texts:
        text = re.sub(r"[\s\"“”'‘’]+", "", text)
        if any(word in text for word in everything):
            return None
        found += [match.group(1) for match in re.finditer(rf"(?:{said})([^。；;，,]*)", text)]
    return found


def is_empty(table) -> bool:
    """No row prints a non-zero amount."""
    measures = measures_of(table)
    for row in table.rows:
        for name in measures:
            value = row.values.get(name)
            if isinstance(value, Decimal) and value != 0:
                return False
    return True
