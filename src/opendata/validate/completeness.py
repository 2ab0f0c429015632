"""Layer 5, completeness: the tables the stage and year require are present (tables.csv,
`required_in`, from the year `required_from`); a table printed empty is data, not a gap — but it should carry its note
("本部门没有……故本表无数据") so a reader can tell "nothing to report" from "not filled in".

A required table that is not printed is a gap (warning) unless the package shows what it would
hold: its fund (tables.csv `fund`) is printed in the summary tables with no amount — the table
would be empty — and no contents line names the table, or a wider table holding its figures (`part_of`) is printed; then the omission is only
reported (info). A narrative section that explains the table by its title
(七、政府性基金支出预算表情况说明) and says it is nil is the empty table's note; so is a sentence
of the narrative or of a note saying the body has none of the table's money (本部门无政府性基金预算,
disclosure_words.csv nil_statement) or that its empty tables mean none (empty_means_nil).

A document printing no table of amounts at all (the narrative only, its tables in an attachment:
具体公开表样附后) gets one finding for all the tables it lacks, not one per table.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..convert.recognise import match_title
from .identities import side_block
from .rules import Context, amount_of, measures_of

SUMMARIES = ("income_expenditure_summary", "fiscal_appropriation_summary", "income_summary")
_EXPLAINS = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)?(?:关于)?(.+?)(?:的)?(?:情况)?说明$")
_NIL = re.compile(r"(?<![\d.,])0(?:\.0+)?\s*(?:亿元|万元|元)|无|没有|未安排|不涉及")


def check(ctx: Context) -> None:
    """Layer 5 over one package (`Context`), adding findings, returns None: a table
    required in the package's stage and fiscal year (codelists/tables.csv `required_in`,
    `required_from`) that the package does not declare is completeness.missing-table, or
    completeness.table-not-printed when the package shows what it would hold (`_shown_elsewhere`)
    or the year is before the table's `required_from`; a package printing no money table at all
    gets one finding instead of one per table (`_no_tables`: completeness.tables-elsewhere when its
    text says where the tables are, else completeness.no-tables); a money table with no non-zero
    amount and no note (its own, or a narrative section explaining it that says it is nil) is
    completeness.empty-table-without-note (a required table) or
    completeness.empty-optional-table-without-note. Does nothing when the stage is unknown."""
    stage = ctx.stage
    if stage is None:
        return
    year = ctx.fiscal_year
    kind = "预算" if stage != "final_accounts" else "决算"
    missing = [spec for table_id, spec in ctx.standard.tables.items()
               if spec.required(stage, year) and table_id not in ctx.present]
    printed_any = any(ctx.standard.tables[t].kind in MONEY_KINDS for t in ctx.present if t in ctx.standard.tables)
    if missing and not printed_any:
        _no_tables(ctx, missing, kind)
        missing = []
    for spec in missing:
        table_id = spec.code
        why = _shown_elsewhere(ctx, spec)
        if why:
            ctx.add("completeness.table-not-printed",
                    f"{kind}公开通常包含「{spec.title_zh}」（{table_id}），本数据包没有；{why[0]}"
                    f" The {stage} disclosure does not print the table {table_id}; {why[1]}",
                    table=table_id, expected=table_id, location={"pointer": "/resources"})
            continue
        ctx.add("completeness.missing-table",
                f"{kind}公开必须包含「{spec.title_zh}」（{table_id}），本数据包没有。"
                f" A {stage} disclosure must include the table {table_id} ({spec.title_en}); this package has none.",
                table=table_id, expected=table_id, location={"pointer": "/resources"})
    for table_id, spec in ctx.standard.tables.items():
        if printed_any and stage in spec.required_in and not spec.required(stage, year) and table_id not in ctx.present:
            ctx.add("completeness.table-not-printed",
                    f"{kind}公开自{spec.required_from}年起才须包含「{spec.title_zh}」（{table_id}），"
                    f"本数据包（{year}年）没有。"
                    f" The standard requires the table {table_id} of {stage} disclosures from {spec.required_from}"
                    f" (tables.csv required_from); this {year} package does not print it.",
                    table=table_id, expected=table_id, location={"pointer": "/resources"})
    statements = nil_statements(ctx)
    for table in ctx.tables.values():
        spec = ctx.standard.tables.get(table.table_id)
        if spec is None or spec.kind != "money" or not is_empty(table) or (table.note or "").strip():
            continue
        if statements is None or any(subject in text for subject in subjects(ctx.standard, spec) for text in statements):
            continue   # the document says the body has none of this money, or that its empty tables mean none
        if explained_nil(ctx, table.table_id):
            continue   # a narrative section explaining the table by its title says it is nil
        required = spec.required(stage, ctx.fiscal_year)
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


MONEY_KINDS = ("money", "cells")   # tables of amounts; an unlisted table (cells) is a table printed too
# a clause of the narrative saying where the tables are: 附件：…报表, 公开表样附后, 报表详见附件, 另行公开
_ELSEWHERE_WORD = re.compile(r"附件|附表|附后|另行公开|另附|单独公开")
_ELSEWHERE = re.compile(r"[^。；;\n]*(?:附件|附表|附后|另行公开|另附|单独公开)[^。；;\n]*")
_TABLE_WORD = re.compile(r"表样?(?:附后|详见附件|见附件|另行公开|另附)?")


def tables_elsewhere(ctx: Context):
    """Where the narrative says the disclosure's tables are: (narrative row, the clause as printed
    without spaces, at most 60 characters) for the first clause naming a table (表) together with
    附件 / 附后 / 另行公开 … ("具体公开表样附后", "附件：2019年部门综合预算公开报表"), or None."""
    narrative = ctx.tables.get("narrative")
    for row in narrative.rows if narrative is not None else []:
        for name in ("text", "heading"):
            text = re.sub(r"[ \t\u3000]+", "", str(row.values.get(name) or ""))
            for match in _ELSEWHERE.finditer(text.replace("\n", "")):
                clause = match.group(0).strip("，,：: ")
                word = _TABLE_WORD.search(clause)
                if word is not None:   # cut after the words naming the tables (a signature may follow)
                    said = _ELSEWHERE_WORD.search(clause)
                    return row, clause[:max(word.end(), said.end() if said else 0)][:60]
    return None


def _no_tables(ctx: Context, missing: list, kind: str) -> None:
    """One finding for a package that prints no money table: the `missing` required tables
    (TableSpec) are not in this document."""
    names = "、".join(spec.title_zh for spec in missing)
    codes = ", ".join(spec.code for spec in missing)
    where = tables_elsewhere(ctx)
    if where is not None:
        row, clause = where
        ctx.add("completeness.tables-elsewhere",
                f"本文件没有印出任何收支表格；文中说表格另见：“{clause}”。"
                f"{kind}公开须包含的{len(missing)}张表（{names}）不在本文件中，无法核对。"
                f" This document prints no table of amounts; it says the tables are"
                f" published elsewhere. The {len(missing)} required tables ({codes}) can not be checked here.",
                table=ctx.tables["narrative"], row=row, label=clause)
        return
    ctx.add("completeness.no-tables",
            f"本文件没有印出任何收支表格，文中也未说明表格在何处；{kind}公开须包含{len(missing)}张表（{names}）。"
            f" This document prints no table of amounts and does not say where its tables are; a disclosure"
            f" of this stage must include {len(missing)} tables ({codes}).",
            location={"pointer": "/resources"})


def _shown_elsewhere(ctx: Context, spec) -> tuple[str, str] | None:
    """Why a required table that is not printed loses nothing (Chinese, English), or None: a
    wider table holding its figures is printed, or its fund prints no amount in the summaries."""
    wider = [t for t in spec.part_of if t in ctx.present]
    if wider:
        title = ctx.standard.tables[wider[0]].title_zh
        return (f"其数字包含在「{title}」（{wider[0]}）中。", f"its figures are in {wider[0]}.")
    if spec.fund and fund_is_nil(ctx, spec.fund) and not listed(ctx, spec.code):
        name = ctx.standard.measures[spec.fund].title_zh if spec.fund in ctx.standard.measures else spec.fund
        return (f"各收支总表中「{name}」没有金额，该表将为空。",
                f"the summary tables print no amount of {spec.fund}: the table would be empty.")
    return None


def fund_is_nil(ctx: Context, fund: str) -> bool:
    """True when a summary table (收支总表, 财政拨款收支总表, 收入总表) prints the fund `fund` (a
    measure: its column, or its row on a side) and none prints a non-zero amount of it. A fund
    printed nowhere is not known to be nil."""
    tables = [ctx.tables[t] for t in SUMMARIES if t in ctx.tables]
    printed = False
    for table in tables:
        if fund in table.columns:
            printed = True
            if any(amount_of(row, fund) for row in table.rows):
                return False
        if not any(r.values.get("side") for r in table.rows):
            continue
        for side in ("income", "expenditure"):
            block = side_block(ctx, table, side)
            row = block.measures.get(fund) if block else None
            if row is not None:
                printed = True
                if any(amount_of(row, m) for m in measures_of(table)):
                    return False
    return printed


def listed(ctx: Context, table_id: str) -> bool:
    """Whether the narrative names the table by its title outside a section explaining it (a
    contents line 八、政府性基金预算支出情况表): the document promises the table."""
    narrative = ctx.tables.get("narrative")
    if narrative is None:
        return False
    for row in narrative.rows:
        heading = re.sub(r"\s+", "", str(row.values.get("heading") or ""))
        if not heading or _EXPLAINS.match(heading):
            continue
        title = match_title(heading)
        if title is not None and title.table_id == table_id:
            return True
    return False


def explained_nil(ctx: Context, table_id: str) -> bool:
    """Whether a narrative section explains the table `table_id` by its title (…表情况说明,
    关于…表的说明) and says it is nil (0万元, 无, 没有 …): the table's note, printed apart."""
    narrative = ctx.tables.get("narrative")
    if narrative is None:
        return False
    for row in narrative.rows:
        heading = re.sub(r"\s+", "", str(row.values.get("heading") or ""))
        named = _EXPLAINS.match(heading)
        if not named:
            continue
        title = match_title(named.group(1))
        if title is None or title.table_id != table_id:
            continue
        text = re.sub(r"\s+", "", str(row.values.get("text") or ""))
        if text.startswith(heading):
            text = text[len(heading):]
        if _NIL.search(text):
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
