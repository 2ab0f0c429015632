"""The standard's sources in schema/ are consistent: the JSON Schema, the table schemas, the
catalog of tables, fields and measures, and every code list."""
from __future__ import annotations

import csv
import json
import re
from collections import defaultdict

import jsonschema
import pytest
from frictionless import Schema

from opendata.standard import load_standard, read_csv

STANDARD = load_standard()
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
CATALOG = read_csv(STANDARD.root / "codelists" / "codelists.csv")


def test_descriptor_schema_is_valid_2020_12():
    schema = STANDARD.descriptor_schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_descriptor_schema_rejects_what_it_should():
    validator = jsonschema.Draft202012Validator(STANDARD.descriptor_schema)
    assert not validator.is_valid({})
    assert not validator.is_valid({"name": "x", "resources": []})


@pytest.mark.parametrize("table_id", sorted(STANDARD.tables))
def test_generated_table_schema_loads_in_frictionless(table_id):
    path = STANDARD.root / "tables" / f"{table_id}.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    schema = Schema.from_descriptor(descriptor)
    assert schema.primary_key == ["row_id"]
    assert descriptor["fields"], f"{table_id}: no fields"
    names = [field["name"] for field in descriptor["fields"]]
    assert len(names) == len(set(names)), f"{table_id}: duplicate field names"
    for field in descriptor["fields"]:
        for key in ("name", "title", "type", "description"):
            assert isinstance(field.get(key), str) and field[key].strip(), f"{table_id}.{field.get('name')}: no {key}"
    assert names[:2] == ["row_id", "row_type"], f"{table_id}: row_id and row_type must come first"


@pytest.mark.parametrize("table_id", sorted(STANDARD.tables))
def test_table_uses_known_measures_and_dimensions(table_id):
    spec = STANDARD.tables[table_id]
    unknown_measures = [m for m in spec.measures if m not in STANDARD.measures]
    assert not unknown_measures, f"{table_id}: measures not in measures.csv: {unknown_measures}"
    unknown_dimensions = [d for d in spec.dimensions if d not in STANDARD.fields]
    assert not unknown_dimensions, f"{table_id}: dimensions not in fields.csv: {unknown_dimensions}"
    assert not set(spec.dimensions) & set(spec.measures), f"{table_id}: a column is both dimension and measure"


def test_measure_columns_are_typed_as_money_and_fields_by_fields_csv():
    for table_id, spec in STANDARD.tables.items():
        schema = {f["name"]: f for f in STANDARD.table_schema(table_id)["fields"]}
        for measure in spec.measures:
            assert schema[measure]["type"] == "number" and schema[measure]["unit"] == "元", f"{table_id}.{measure}"
        for dimension in spec.dimensions:
            assert "measure" not in schema[dimension], f"{table_id}.{dimension} is a dimension, typed as a measure"
            assert schema[dimension]["type"] == STANDARD.fields[dimension].type, f"{table_id}.{dimension}"


def test_every_field_codelist_exists():
    for field in STANDARD.fields.values():
        if field.codelist:
            assert field.codelist in STANDARD.codelists, f"field {field.name}: unknown code list {field.codelist}"


def test_catalog_ids_unique_and_snake_case():
    ids = [row["id"] for row in CATALOG]
    assert len(ids) == len(set(ids)), "duplicate code list ids in codelists.csv"
    for list_id in ids:
        assert SNAKE_CASE.match(list_id), f"code list id {list_id!r} is not snake_case"
    files = [row["file"] for row in CATALOG]
    assert len(files) == len(set(files)), "two code lists share a file"
    for table_id in STANDARD.tables:
        assert SNAKE_CASE.match(table_id), f"table id {table_id!r} is not snake_case"
    for measure in STANDARD.measures:
        assert SNAKE_CASE.match(measure), f"measure id {measure!r} is not snake_case"


@pytest.mark.parametrize("entry", CATALOG, ids=[row["id"] for row in CATALOG])
def test_codelist_file_is_well_formed(entry):
    path = STANDARD.root / "codelists" / entry["file"]
    assert path.is_file(), f"code list {entry['id']}: {path} does not exist"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        rows = list(reader)
    assert "code" in header, f"{entry['file']}: header has no 'code' column: {header}"
    assert rows, f"{entry['file']}: no entries"
    for number, row in enumerate(rows, start=2):
        assert None not in row, f"{entry['file']} record {number}: more cells than the header"
        assert (row["code"] or "").strip(), f"{entry['file']} record {number}: empty code"
        assert row["code"] == row["code"].strip(), f"{entry['file']} record {number}: code {row['code']!r} has spaces"
    if entry["year_versioned"] == "true":
        assert {"from_year", "to_year"} <= set(header), f"{entry['file']}: year-versioned list needs from_year, to_year"
        keys = [(row["code"], row["from_year"]) for row in rows]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        assert not duplicates, f"{entry['file']}: duplicate (code, from_year): {duplicates[:10]}"
        ranges = defaultdict(list)
        for row in rows:
            start = int(row["from_year"] or 0)
            end = int(row["to_year"] or 9999)
            assert start <= end, f"{entry['file']}: code {row['code']} has from_year {start} after to_year {end}"
            ranges[row["code"]].append((start, end))
        for code, spans in ranges.items():
            spans.sort()
            for (_, end), (start, _) in zip(spans, spans[1:]):
                assert start > end, f"{entry['file']}: code {code} has overlapping year ranges {spans}"
    else:
        codes = [row["code"] for row in rows]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        assert not duplicates, f"{entry['file']}: duplicate codes {duplicates[:10]}"


def test_descriptor_enums_agree_with_code_lists():
    properties = STANDARD.descriptor_schema["properties"]
    assert set(properties["stage"]["enum"]) - {None} == set(STANDARD.stage_codes())  # null: not found
    units = {row["title_zh"] for row in STANDARD.codelists["money_units"].rows}
    assert set(properties["moneyUnit"]["enum"]) == units
    row_types = {row["code"] for row in STANDARD.codelists["row_types"].rows}
    assert set(STANDARD.fields["row_type"].constraints["enum"]) == row_types
    sides = {row["code"] for row in STANDARD.codelists["sides"].rows}
    assert set(STANDARD.fields["side"].constraints["enum"]) == sides


def test_table_catalog_stages_are_known():
    stages = set(STANDARD.stage_codes())
    for spec in STANDARD.tables.values():
        assert set(spec.required_in) <= stages, f"{spec.code}: unknown stage in required_in {spec.required_in}"
    for measure in STANDARD.measures.values():
        assert set(measure.stages) <= stages, f"measure {measure.code}: unknown stage {measure.stages}"
