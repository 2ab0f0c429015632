"""Files generated from the standard in schema/: the table schemas (schema/tables/*.json),
the CKAN scheming schema (schema/ckan/dataset.json), the reference pages of the docs site
(a classification also gets one page per budget year), its downloadable copies of the schema
files and of the printed-codes extract the classifications rest on, and site/mkdocs.yml.

`generated_files()` says what every generated file must contain; `write_generated()` writes
them (`python tools/manage.py build-standard`); tests/test_docs.py fails when a committed
file differs.
"""
from __future__ import annotations

from pathlib import Path

from opendata.ckan import scheming_schema_text

from .codelist_years import DOCUMENTS, PRINTED, year_page, years
from .common import DOCS, GENERATED_NOTE, REPO, json_text, repository_standard
from .reference import codelist_page, overview_page, rules_page, table_page
from .site_config import EXTRA_CSS, mkdocs_config
from .versions_page import version_files


def generated_files() -> dict[Path, str]:
    """Every generated file (absolute path in the repository) and the text it must contain,
    computed from the repository's schema/ whatever $OPENDATA_SCHEMA_DIR says."""
    with repository_standard() as standard:
        files: dict[Path, str] = {}
        for table_id in standard.tables:
            schema_json = json_text(standard.table_schema(table_id))
            files[standard.root / "tables" / f"{table_id}.json"] = schema_json
            files[DOCS / "schema" / "tables" / f"{table_id}.json"] = schema_json
            files[DOCS / "reference" / "tables" / f"{table_id}.md"] = table_page(table_id)
        for list_id, codelist in standard.codelists.items():
            files[DOCS / "reference" / "codelists" / f"{list_id}.md"] = codelist_page(list_id)
            if codelist.year_versioned and codelist.code_lengths:  # the classifications: one page per year
                for year in years():
                    files[DOCS / "reference" / "codelists" / list_id / f"{year}.md"] = year_page(
                        codelist.title_zh, list_id, codelist.rows, year, GENERATED_NOTE)
            source = standard.root / "codelists" / codelist.file
            if source.exists():
                files[DOCS / "schema" / "codelists" / codelist.file] = source.read_text(encoding="utf-8")
        for extract in (PRINTED, DOCUMENTS):  # what the classifications' printed: sources rest on
            if extract.exists():
                files[DOCS / "schema" / "codelists" / extract.name] = extract.read_text(encoding="utf-8")
        for name in ("datapackage.schema.json", "rules.csv", "standard.json"):
            files[DOCS / "schema" / name] = (standard.root / name).read_text(encoding="utf-8")
        files[DOCS / "reference" / "index.md"] = overview_page()
        files[DOCS / "reference" / "rules.md"] = rules_page()
        changelog = standard.root / "CHANGELOG.md"
        files[DOCS / "reference" / "changelog.md"] = GENERATED_NOTE + "\n\n" + changelog.read_text(encoding="utf-8")
        files.update(version_files(DOCS))  # the versions page and the frozen copy of this version
        files[standard.root / "ckan" / "dataset.json"] = scheming_schema_text()  # the ckanext-scheming dataset schema
        files[DOCS / "stylesheets" / "extra.css"] = EXTRA_CSS
        files[REPO / "site" / "mkdocs.yml"] = mkdocs_config()
    return files


def stale_files() -> list[Path]:
    """The generated files that are missing or differ from what schema/ produces now."""
    return [path for path, content in generated_files().items()
            if not path.exists() or path.read_text(encoding="utf-8") != content]


def write_generated() -> list[Path]:
    """Write every generated file whose content changed; returns the paths written."""
    written = []
    for path, content in generated_files().items():
        if path.exists() and path.read_text(encoding="utf-8") == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
