"""A ckanext-scheming dataset schema generated from the standard (`opendata ckan-schema`,
committed as schema/ckan/dataset.json by `python tools/manage.py build-standard`).

The fields, their labels, help texts, presets and validators are data: the code list
`ckan_fields` (schema/codelists/ckan_fields.csv, one row per CKAN dataset or resource field,
in form order); a field's `choices` name a code list whose codes and titles become the options."""
from __future__ import annotations

import json

from ..standard import load_standard

GENERATED_BY = "opendata ckan-schema (from schema/codelists/ckan_fields.csv); do not edit"
# the order of a field's keys in the schema; empty cells are left out
FIELD_KEYS = ("help_text", "validators", "preset", "choices", "form_snippet", "form_placeholder")


def scheming_field(row: dict[str, str]) -> dict:
    """One field of a scheming schema from a row of ckan_fields.csv: `field_name`, `label`
    (zh_Hans_CN, en), then whichever of FIELD_KEYS the row fills; `choices` (a code list id) ->
    [{"value": code, "label": {"zh_Hans_CN": title_zh, "en": title_en}}]. KeyError for a
    code list that does not exist."""
    field = {"field_name": row["field_name"], "label": {"zh_Hans_CN": row["label_zh"], "en": row["label_en"]}}
    for key in FIELD_KEYS:
        if key == "help_text":
            if row.get("help_zh") or row.get("help_en"):
                field[key] = {"zh_Hans_CN": row.get("help_zh", ""), "en": row.get("help_en", "")}
        elif key == "choices":
            if row.get("choices"):
                field[key] = [{"value": choice["code"],
                               "label": {"zh_Hans_CN": choice["title_zh"], "en": choice["title_en"]}}
                              for choice in load_standard().codelists[row["choices"]].rows]
        elif row.get(key):
            field[key] = row[key]
    return field


def scheming_schema() -> dict:
    """A ckanext-scheming dataset schema (scheming_version 2) generated from the standard:
    CKAN's core fields with Chinese labels, and the package's extras (EXTRA_KEYS) as proper
    fields, all from the code list ckan_fields; `stage` offers the codes of stages.csv."""
    standard = load_standard()
    rows = standard.codelists["ckan_fields"].rows
    return {
        "scheming_version": 2,
        "dataset_type": "dataset",
        "about": f"部门预算/决算公开数据包 (opendata standard {standard.version})",
        "about_url": standard.meta.get("base_uri", ""),
        "generated_by": GENERATED_BY,
        "dataset_fields": [scheming_field(row) for row in rows if row["kind"] == "dataset"],
        "resource_fields": [scheming_field(row) for row in rows if row["kind"] == "resource"],
    }


def scheming_schema_text() -> str:
    """`scheming_schema()` as the text of schema/ckan/dataset.json (indented JSON, UTF-8 as is)."""
    return json.dumps(scheming_schema(), ensure_ascii=False, indent=2) + "\n"
