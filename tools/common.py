"""What the generators share: the repository's paths, the note on every generated page,
Markdown tables and JSON text, and `repository_standard()`, which makes the standard read
during generation the repository's schema/ (not an installed copy or $OPENDATA_SCHEMA_DIR).
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from opendata.standard import SCHEMA_DIR_ENV, Standard, load_standard

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "schema"
DOCS = REPO / "site" / "docs"
GENERATED_NOTE = "<!-- 本页由 schema/ 生成，请勿手工编辑。Generated from schema/ by `python tools/manage.py build-standard`; do not edit. -->"


@contextmanager
def repository_standard() -> Iterator[Standard]:
    """Within the block, `opendata` reads the standard from the repository's schema/ (the
    source of the generated files); yields that standard. Restores $OPENDATA_SCHEMA_DIR after."""
    before = os.environ.get(SCHEMA_DIR_ENV)
    os.environ[SCHEMA_DIR_ENV] = str(SCHEMA)
    try:
        yield load_standard(SCHEMA)
    finally:
        if before is None:
            del os.environ[SCHEMA_DIR_ENV]
        else:
            os.environ[SCHEMA_DIR_ENV] = before


def md_cell(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def md_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
