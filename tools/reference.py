"""The reference pages of the docs site (site/docs/reference/): the overview, one page per
table and per code list, and the rules page, all from the standard in schema/."""
from __future__ import annotations

import json

from opendata.standard import load_standard
from opendata.validate.report import rule_catalog

from .codelist_years import documents, source_text, year_sections
from .common import GENERATED_NOTE, md_cell, md_table


def json_type(prop: dict) -> str:
    """A short form of a JSON Schema property's type for the reference tables."""
    if "const" in prop:
        return f"`{json.dumps(prop['const'], ensure_ascii=False)}`"
    if "enum" in prop:
        return " / ".join(f"`{json.dumps(v, ensure_ascii=False)}`" for v in prop["enum"])
    kind = prop.get("type", "")
    return " / ".join(kind) if isinstance(kind, list) else kind


def constraint_text(field: dict) -> str:
    constraints = dict(field.get("constraints", {}))
    constraints.pop("required", None)
    return ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in constraints.items())


def table_page(table_id: str) -> str:
    standard = load_standard()
    spec = standard.tables[table_id]
    schema = standard.table_schema(table_id)
    rows = []
    for field in schema["fields"]:
        notes = ["**必填 required**"] if field.get("constraints", {}).get("required") else []
        if constraint_text(field):
            notes.append(constraint_text(field))
        if field.get("codelist"):
            notes.append(f"代码表 code list: [{field['codelist']}](../codelists/{field['codelist']}.md)")
        if field.get("measure"):
            notes.append("阶段 stages: " + ", ".join(field.get("stages", [])))
        description = field.get("description", "")
        if field.get("example"):
            description += f"<br>示例 example: `{field['example']}`"
        rows.append([
            f"`{field['name']}`<br>{md_cell(field['title'])}",
            field["type"] + (f" ({field['unit']})" if field.get("unit") else ""),
            "<br>".join(notes), description,
        ])
    aliases = "、".join(spec.aliases) or "（叙述文字中提取 extracted from the narrative）"
    return "\n".join([
        GENERATED_NOTE, "", f"# {spec.title_zh} `{table_id}`", "", f"*{spec.title_en}*", "", spec.description, "",
        f"- 表格标识 table id: `{table_id}`，文件 file: `data/{table_id}.csv`",
        f"- 行键 rows keyed by: {spec.keyed_by}",
        f"- 常见标题 printed titles: {aliases}",
        f"- 必须公开 required in: {', '.join(spec.required_in) or '—'}"
        + (f"（自 {spec.required_from} 年起 from fiscal year {spec.required_from}）" if spec.required_from else ""),
        f"- 表结构 table schema: [{table_id}.json](../../schema/tables/{table_id}.json)",
        "", "## 字段 Fields", "",
        "金额一律以元为单位，精确小数；原表的金额单位和小数位记录在资源描述的 `moneyUnit`、`moneyDecimals` 中。"
        " Amounts are exact decimals in 元; the printed unit and decimals are kept in the resource's `moneyUnit` and `moneyDecimals`.",
        "",
        md_table(["字段 field", "类型 type", "约束 constraints", "说明 description"], rows),
        "",
    ])


def completeness(parts: tuple[str, ...]) -> str:
    """The `complete` column of codelists.csv in words: years, and `N:years` as one level only."""
    if not parts:
        return "否 no (codes it lacks are not judged)"
    words = []
    for part in parts:
        digits, _, span = part.rpartition(":")
        words.append(f"{span}（仅 {digits} 位代码这一级 only the level of {digits}-digit codes; other codes it lacks are not judged）"
                     if digits else span)
    return " ".join(words)


def codelist_page(list_id: str) -> str:
    codelist = load_standard().codelists[list_id]
    headers = list(codelist.rows[0].keys()) if codelist.rows else ["code"]
    by_year = codelist.year_versioned and bool(codelist.code_lengths)
    known = documents() if by_year else {}

    def cell(row: dict, header: str) -> str:  # a classification's sources in words (publisher, region, year)
        value = row.get(header, "")
        return source_text(value, known) if by_year and header == "source" else value.replace(";", "; ")

    openness = "开放（未知代码报告为警告）open: unknown codes are reported as warnings" if codelist.open else "封闭（未知代码为错误）closed: unknown codes are errors"
    return "\n".join([
        GENERATED_NOTE, "", f"# {codelist.title_zh} `{list_id}`", "", f"*{codelist.title_en}*", "", codelist.description, "",
        f"- 文件 file: [{codelist.file}](../../schema/codelists/{codelist.file})",
        f"- {openness}",
        f"- 按年度分版本 versioned by fiscal year: {'是 yes' if codelist.year_versioned else '否 no'}",
        f"- 来源 provenance: {codelist.provenance}",
        f"- 完整 complete (a code it lacks is reported as unknown): {completeness(codelist.complete)}",
        f"- 条目数 entries: {len(codelist.rows)}", "",
        *(year_sections(codelist.rows, list_id) if by_year else []),
        md_table(headers, [[cell(row, h) for h in headers] for row in codelist.rows]), "",
    ])


def overview_page() -> str:
    standard = load_standard()
    schema = standard.descriptor_schema
    tables = [[f"[`{t.code}`](tables/{t.code}.md)", t.title_zh, t.title_en, t.keyed_by, " ".join(t.required_in),
               f"[JSON](../schema/tables/{t.code}.json)"]
              for t in standard.tables.values()]
    props = [[f"`{name}`", json_type(prop), "是 yes" if name in schema["required"] else "", prop.get("description", "")]
             for name, prop in schema["properties"].items()]
    lists = [[f"[`{c.id}`](codelists/{c.id}.md)", c.title_zh, c.title_en, "open" if c.open else "closed", len(c.rows),
              f"[CSV](../schema/codelists/{c.file})"]
             for c in standard.codelists.values()]
    return "\n".join([
        GENERATED_NOTE, "", f"# 标准参考 Reference — {standard.meta['title']} {standard.version}", "",
        standard.meta["title_en"] + ".", "",
        "一次公开（一个单位、一个年度、一个阶段）对应一个 Frictionless 数据包：`datapackage.json` 加上每张表一个 "
        "`data/<table id>.csv`。One disclosure is one Frictionless data package: `datapackage.json` and one CSV per table.", "",
        "下载 Downloads: [datapackage.schema.json](../schema/datapackage.schema.json) (JSON Schema draft 2020-12) · "
        "[表结构 table schemas](#table-catalog) · [代码表 code lists](#code-lists) · "
        "[校验规则 rules](../schema/rules.csv) · [更新记录 changelog](changelog.md) · [版本 versions](versions.md)", "",
        "## 数据包描述 Package descriptor", "", md_table(["属性 property", "类型 type", "必填 required", "说明 description"], props), "",
        "## 表格目录 Table catalog", "", md_table(["id", "中文", "English", "行键 keyed by", "必须公开 required in", "表结构 schema"], tables), "",
        "## 代码表 Code lists", "", md_table(["id", "中文", "English", "open/closed", "条目 entries", "文件 file"], lists), "",
        "## facts 视图 The facts view", "",
        "`opendata facts PATH --format csv` 把每个金额单元格写成一行。Every printed amount becomes one row with the columns "
        "`package, table, side, unit_code, unit_name, function_code, economic_code, item, line, period, project, project_code, "
        "measure, amount` (then `row_id, row_type, fiscal_year, stage`); "
        "`amount` is in 元, a plain decimal.", "",
    ])


def rules_page() -> str:
    rows = [[f"`{r['id']}`", r["layer"], r["severity"], r["title_zh"], r["title_en"], r["description"], r.get("example") or ""]
            for r in rule_catalog().values()]
    return "\n".join([GENERATED_NOTE, "", "# 校验规则 Validation rules", "",
                      "每条规则有稳定的标识、级别和中英文标题，以及一个印在真实文件中的例子。Each rule has a stable id, a severity, "
                      "a Chinese and English title and an example printed in a real document.", "",
                      md_table(["id", "层 layer", "级别 severity", "中文", "English", "说明 description", "例 example"], rows), ""])
