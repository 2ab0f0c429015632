"""Files generated from the standard in schema/: the table schemas (schema/tables/*.json),
the reference pages of the docs site and its downloadable copies of the schema files.

`generated_files()` says what every generated file must contain; `write_generated()` writes
them (CLI: `opendata build-standard`); the tests fail when a committed file differs.
"""
from __future__ import annotations

import json
from pathlib import Path

from .standard import load_standard, read_csv
from .validate.report import rule_catalog

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "site" / "docs"
GENERATED_NOTE = "<!-- 本页由 schema/ 生成，请勿手工编辑。Generated from schema/ by `opendata build-standard`; do not edit. -->"
HANDWRITTEN_NAV = [
    {"首页 Home": "index.md"},
    {"指南 Guides": [
        {"标准的用途 What the standard is for": "guide/purpose.md"},
        {"如何发布 How to publish": "guide/publish.md"},
        {"如何使用数据 How to consume": "guide/consume.md"},
        {"命令行与 Python API CLI and API": "guide/cli.md"},
        {"版本、差异与更新记录 Versions, diffs and changelogs": "guide/versions.md"},
    ]},
]


def md_cell(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def md_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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
        stages = " ".join(field.get("stages", [])) if field.get("measure") else ""
        rows.append([
            f"`{field['name']}`", field["title"], field["type"], field.get("unit", ""),
            "是 yes" if field.get("constraints", {}).get("required") else "",
            constraint_text(field) or stages, field.get("description", ""), field.get("example", ""),
        ])
    aliases = "、".join(spec.aliases) or "（叙述文字中提取 extracted from the narrative）"
    return "\n".join([
        GENERATED_NOTE, "", f"# {spec.title_zh} `{table_id}`", "", f"*{spec.title_en}*", "", spec.description, "",
        f"- 表格标识 table id: `{table_id}`，文件 file: `data/{table_id}.csv`",
        f"- 行键 rows keyed by: {spec.keyed_by}",
        f"- 常见标题 printed titles: {aliases}",
        f"- 必须公开 required in: {', '.join(spec.required_in) or '—'}",
        f"- 表结构 table schema: [{table_id}.json](../../schema/tables/{table_id}.json)",
        "", "## 字段 Fields", "",
        "金额一律以元为单位，精确小数；原表的金额单位和小数位记录在资源描述的 `moneyUnit`、`moneyDecimals` 中。"
        " Amounts are exact decimals in 元; the printed unit and decimals are kept in the resource's `moneyUnit` and `moneyDecimals`.",
        "",
        md_table(["字段 name", "中文 title", "类型 type", "单位 unit", "必填 required", "约束 constraints", "说明 description", "示例 example"], rows),
        "",
    ])


def codelist_page(list_id: str) -> str:
    codelist = load_standard().codelists[list_id]
    headers = list(codelist.rows[0].keys()) if codelist.rows else ["code"]
    openness = "开放（未知代码报告为警告）open: unknown codes are reported as warnings" if codelist.open else "封闭（未知代码为错误）closed: unknown codes are errors"
    return "\n".join([
        GENERATED_NOTE, "", f"# {codelist.title_zh} `{list_id}`", "", f"*{codelist.title_en}*", "", codelist.description, "",
        f"- 文件 file: [{codelist.file}](../../schema/codelists/{codelist.file})",
        f"- {openness}",
        f"- 按年度分版本 versioned by fiscal year: {'是 yes' if codelist.year_versioned else '否 no'}",
        f"- 来源 provenance: {codelist.provenance}",
        f"- 条目数 entries: {len(codelist.rows)}", "",
        md_table(headers, [[row.get(h, "") for h in headers] for row in codelist.rows]), "",
    ])


def overview_page() -> str:
    standard = load_standard()
    schema = standard.descriptor_schema
    tables = [[f"[`{t.code}`](tables/{t.code}.md)", t.title_zh, t.title_en, t.keyed_by, " ".join(t.required_in)]
              for t in standard.tables.values()]
    props = [[f"`{name}`", "是 yes" if name in schema["required"] else "", prop.get("description", "")]
             for name, prop in schema["properties"].items()]
    lists = [[f"[`{c.id}`](codelists/{c.id}.md)", c.title_zh, c.title_en, "open" if c.open else "closed", len(c.rows)]
             for c in standard.codelists.values()]
    return "\n".join([
        GENERATED_NOTE, "", f"# 标准参考 Reference — {standard.meta['title']} {standard.version}", "",
        standard.meta["title_en"] + ".", "",
        "一次公开（一个单位、一个年度、一个阶段）对应一个 Frictionless 数据包：`datapackage.json` 加上每张表一个 "
        "`data/<table id>.csv`。One disclosure is one Frictionless data package: `datapackage.json` and one CSV per table.", "",
        "下载 Downloads: [datapackage.schema.json](../schema/datapackage.schema.json) (JSON Schema draft 2020-12) · "
        "[表结构 table schemas](../schema/tables/) · [代码表 code lists](../schema/codelists/) · "
        "[校验规则 rules](../schema/rules.csv) · [更新记录 changelog](changelog.md)", "",
        "## 数据包描述 Package descriptor", "", md_table(["属性 property", "必填 required", "说明 description"], props), "",
        "## 表格目录 Table catalog", "", md_table(["id", "中文", "English", "行键 keyed by", "必须公开 required in"], tables), "",
        "## 代码表 Code lists", "", md_table(["id", "中文", "English", "open/closed", "条目 entries"], lists), "",
        "## facts 视图 The facts view", "",
        "`opendata facts PATH --format csv` 把每个金额单元格写成一行。Every printed amount becomes one row with the columns "
        "`package, table, side, function_code, economic_code, item, measure, amount` (then `row_id, row_type, fiscal_year, stage`); "
        "`amount` is in 元, a plain decimal.", "",
    ])


def rules_page() -> str:
    rows = [[f"`{r['id']}`", r["layer"], r["severity"], r["title_zh"], r["title_en"], r["description"]] for r in rule_catalog().values()]
    return "\n".join([GENERATED_NOTE, "", "# 校验规则 Validation rules", "",
                      "每条规则有稳定的标识、级别和中英文标题。Each rule has a stable id, a severity and a Chinese and English title.", "",
                      md_table(["id", "层 layer", "级别 severity", "中文", "English", "说明 description"], rows), ""])




def nav() -> list:
    standard = load_standard()
    reference = [
        {"概览 Overview": "reference/index.md"},
        {"表格 Tables": [{f"{t.title_zh} {t.code}": f"reference/tables/{t.code}.md"} for t in standard.tables.values()]},
        {"代码表 Code lists": [{f"{c.title_zh} {c.id}": f"reference/codelists/{c.id}.md"} for c in standard.codelists.values()]},
        {"校验规则 Rules": "reference/rules.md"},
        {"更新记录 Changelog": "reference/changelog.md"},
    ]
    return [*HANDWRITTEN_NAV, {"标准参考 Reference": reference}]


def mkdocs_config() -> str:
    import yaml  # mkdocs depends on PyYAML

    config = {
        "site_name": "部门预算决算公开数据标准 opendata",
        "site_description": load_standard().meta["title_en"],
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,
        "theme": {"name": "material", "language": "zh", "font": False, "features": ["navigation.sections", "navigation.indexes", "search.suggest"]},
        "plugins": ["search"],
        "markdown_extensions": ["tables", "admonition", "toc"],
        "nav": nav(),
    }
    return "# Generated by `opendata build-standard` from schema/; edit site.py, not this file.\n" + yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def generated_files() -> dict[Path, str]:
    """Every generated file and what it must contain."""
    standard = load_standard()
    files: dict[Path, str] = {}
    for table_id in standard.tables:
        schema_json = json_text(standard.table_schema(table_id))
        files[standard.root / "tables" / f"{table_id}.json"] = schema_json
        files[DOCS / "schema" / "tables" / f"{table_id}.json"] = schema_json
        files[DOCS / "reference" / "tables" / f"{table_id}.md"] = table_page(table_id)
    for list_id, codelist in standard.codelists.items():
        files[DOCS / "reference" / "codelists" / f"{list_id}.md"] = codelist_page(list_id)
        source = standard.root / "codelists" / codelist.file
        if source.exists():
            files[DOCS / "schema" / "codelists" / codelist.file] = source.read_text(encoding="utf-8")
    for name in ("datapackage.schema.json", "rules.csv", "standard.json"):
        files[DOCS / "schema" / name] = (standard.root / name).read_text(encoding="utf-8")
    files[DOCS / "reference" / "index.md"] = overview_page()
    files[DOCS / "reference" / "rules.md"] = rules_page()
    changelog = standard.root / "CHANGELOG.md"
    files[DOCS / "reference" / "changelog.md"] = GENERATED_NOTE + "\n\n" + changelog.read_text(encoding="utf-8")
    files[REPO / "site" / "mkdocs.yml"] = mkdocs_config()
    return files


def write_generated() -> list[Path]:
    written = []
    for path, content in generated_files().items():
        if path.exists() and path.read_text(encoding="utf-8") == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
