"""The docs site's pages for the versions of the standard: reference/versions.md (every
version from schema/versions.csv with its CHANGELOG.md section and migrations) and a frozen
copy of the current version's schema files under site/docs/schema/<version>/.

Only the current version's copy is generated; the copies of earlier versions were generated
when they were current and stay as committed (the tests check each released version has one).
"""
from __future__ import annotations

import re
from pathlib import Path

from opendata.standard import Standard, load_standard
from opendata.upgrade import MIGRATIONS, read_migrations, standard_versions

from .common import GENERATED_NOTE, json_text, md_table

FROZEN_FILES = ("standard.json", "datapackage.schema.json", "fields.csv", "rules.csv", "migrations.csv", "versions.csv")
KIND_TITLES = {"initial": "首个版本 initial", "major": "主版本 MAJOR", "minor": "次版本 MINOR", "patch": "修订 PATCH"}


def changelog_sections(text: str) -> dict[str, str]:
    """CHANGELOG.md's `## <version> — <date>` sections: version -> body (Markdown)."""
    sections: dict[str, str] = {}
    parts = re.split(r"^## ", text, flags=re.M)
    for part in parts[1:]:
        heading, _, body = part.partition("\n")
        version = heading.split()[0] if heading.split() else ""
        sections[version] = body.strip()
    return sections


def frozen_files(standard: Standard, docs: Path) -> dict[Path, str]:
    """site/docs/schema/<version>/…: the current version's standard as published."""
    base = docs / "schema" / standard.version
    files: dict[Path, str] = {}
    for name in FROZEN_FILES:
        source = standard.root / name
        if source.exists():
            files[base / name] = source.read_text(encoding="utf-8")
    for source in sorted((standard.root / "codelists").glob("*.csv")):
        files[base / "codelists" / source.name] = source.read_text(encoding="utf-8")
    for table_id in standard.tables:
        files[base / "tables" / f"{table_id}.json"] = json_text(standard.table_schema(table_id))
    return files


def versions_page(standard: Standard | None = None) -> str:
    standard = standard or load_standard()
    versions = standard_versions(standard)
    changelog = standard.root / "CHANGELOG.md"
    sections = changelog_sections(changelog.read_text(encoding="utf-8")) if changelog.exists() else {}
    migrations = read_migrations(standard.root / MIGRATIONS)
    current = standard.version
    rows = [[f"`{v.version}`" + (" （当前 current）" if v.version == current else ""), v.date, KIND_TITLES.get(v.kind, v.kind),
             f"{v.summary_zh} {v.summary_en}".strip(), f"[standard.json](../schema/{v.version}/standard.json)"]
            for v in reversed(versions)]
    out = [
        GENERATED_NOTE, "", "# 标准的版本 Versions of the standard", "",
        f"当前版本 Current version: **{current}**。标准遵循语义化版本：主版本（MAJOR）改名或删除表、字段、代码，"
        "已有数据包需要迁移；次版本（MINOR）只新增；修订（PATCH）只改说明和标题。", "",
        "The standard follows semantic versioning: a MAJOR version renames or removes tables, fields or codes "
        "(existing packages need a migration), a MINOR version only adds, a PATCH only corrects descriptions and titles.", "",
        "数据包在 `standardVersion` 中声明所遵循的版本。校验器接受同一主版本的任何版本（例如 0.1.0 的数据包按 0.2.0 校验），"
        "其他主版本报告 `package.standard-version`。`opendata upgrade PATH` 把数据包迁移到当前版本"
        "（见 [版本指南](../guide/versions.md)）。", "",
        "A package declares the version it conforms to in `standardVersion`. The validator accepts any version of its "
        "own major version (a 0.1.0 package validates against 0.2.0) and reports `package.standard-version` for another "
        "major; `opendata upgrade PATH` moves a package to the current version (see the [versions guide](../guide/versions.md)).", "",
        "每个版本的全部文件都冻结保存在 `schema/<version>/` 下。Every version's files are kept, frozen, under "
        "`schema/<version>/` on this site; machine-readable history: "
        f"[versions.csv](../schema/{current}/versions.csv), migrations: [migrations.csv](../schema/{current}/migrations.csv).", "",
        md_table(["版本 version", "日期 date", "类型 kind", "摘要 summary", "文件 files"], rows), "",
    ]
    for v in reversed(versions):
        base = f"../schema/{v.version}"
        out += [f"## {v.version} — {v.date}", "", f"*{KIND_TITLES.get(v.kind, v.kind)}*" + (" · 当前版本 current" if v.version == current else ""), ""]
        out += [sections.get(v.version) or "（更新记录中没有这一节 no section in CHANGELOG.md）", ""]
        into = [m for m in migrations if m.to_version == v.version]
        if into:
            out += ["迁移 Migrations (`opendata upgrade`):", "",
                    md_table(["from", "kind", "table", "field", "old", "new", "note"],
                             [[m.from_version, m.kind, m.table or "*", m.field, m.old, m.new, m.note] for m in into]), ""]
        elif v.kind in ("minor", "patch"):
            out += ["旧版本的数据包无需改动；`opendata upgrade` 只更新 `standardVersion`。Packages of earlier versions need "
                    "no change; `opendata upgrade` only sets `standardVersion`.", ""]
        out += ["下载 Downloads: " + " · ".join(
            f"[{name}]({base}/{path})" for name, path in (
                ("standard.json", "standard.json"), ("datapackage.schema.json", "datapackage.schema.json"),
                ("fields.csv", "fields.csv"), ("tables.csv", "codelists/tables.csv"),
                ("measures.csv", "codelists/measures.csv"), ("rules.csv", "rules.csv"),
                ("expenditure_summary.json", "tables/expenditure_summary.json"),
            )), ""]
    return "\n".join(out)


def version_files(docs: Path) -> dict[Path, str]:
    """Everything this module generates."""
    standard = load_standard()
    return {**frozen_files(standard, docs), docs / "reference" / "versions.md": versions_page(standard)}
