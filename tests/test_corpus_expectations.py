"""The corpus expectation files (tests/corpus/NNN.json): what each document of ../shared/corpus
is and prints, read off the document by a person or a helper (pdftotext -layout, page
images), never off the converter's output. This test checks that each file is well formed
and consistent with the standard's table catalog; the conversion of the corpus is checked
against them by issue #11's corpus test once the converter handles the variety."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from opendata.standard import load_standard

HERE = Path(__file__).resolve().parent / "corpus"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SCHEMA = json.loads((HERE / "expectation.schema.json").read_text(encoding="utf-8"))
FILES = sorted(HERE.glob("[0-9][0-9][0-9].json"))


def test_expectation_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_expectation_file_is_well_formed(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["file"].split(".")[0] == path.stem
    catalog = set(load_standard().tables)
    unknown = [t["catalog_id"] for t in data["tables"] if t["catalog_id"] and t["catalog_id"] not in catalog]
    assert not unknown, f"not in schema/codelists/tables.csv: {unknown}"
    if data["kind"] == "disclosure":
        assert data["unit"] and data["stage"], "a disclosure names its unit and stage (the year only where printed)"
        if data["tables"]:
            titles = {t["table_title"] for t in data["cells"]}
            assert len(data["cells"]) >= 5 and len(titles) >= min(2, len(data["tables"])), \
                "at least five hand-read cells from different tables"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_expectation_file_names_a_corpus_document(path):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repository")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (CORPUS / data["file"]).is_file()
