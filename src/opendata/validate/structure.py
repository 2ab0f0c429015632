"""Layer 1, structure: the descriptor against the JSON Schema, every table against its
table schema. Nothing is fetched: remote and escaping paths are refused before any file
is opened.

Tables are checked by `csvcheck` (engine "fast", the default: the csv module, the same
findings as frictionless, many times faster) or by frictionless itself (engine
"frictionless"). Either way a table without structural errors is read into the model
for the later layers when a `tables` dict is passed."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path, PurePosixPath

import jsonschema
from frictionless import Resource, Schema

from ..package import CsvEncodingError, Package, PackageError, resource_key, safe_resource_path
from ..standard import load_standard
from . import csvcheck
from .cells import check_descriptor_text, check_table_text
from .report import Finding, PackageReport

FRICTIONLESS_RULES = {
    "type-error": "table.type-error",
    "constraint-error": "table.constraint-error",
    "unique-error": "table.unique-error",
    "primary-key": "table.primary-key",
    "missing-label": "table.label-error",
    "extra-label": "table.label-error",
    "incorrect-label": "table.label-error",
    "duplicate-label": "table.label-error",
    "blank-label": "table.label-error",
    "missing-cell": "table.cell-count",
    "extra-cell": "table.cell-count",
    "blank-row": "table.blank-row",
    "blank-header": "table.label-error",
}
ENGINES = ("fast", "frictionless")
REQUIRED_COLUMNS = ("row_id", "row_type", "item")


def check_package(package: Package | str | Path, report: PackageReport, engine: str = "fast",
                  tables: dict | None = None) -> dict | None:
    """Run the structural checks of `package` (a Package, or the path of one, which is then
    opened); returns the descriptor when it could be read. Tables without structural errors
    are put into `tables` (table id -> model Table) when given. Every file is read once,
    through the Package."""
    if not isinstance(package, Package):
        try:
            package = Package.open(package)
        except PackageError as exc:
            report.add(Finding("package.descriptor-unreadable", str(exc)))
            return None
    try:
        descriptor = package.descriptor
    except PackageError as exc:
        report.add(Finding("package.descriptor-unreadable", str(exc)))
        return None
    report.name = descriptor.get("name") if isinstance(descriptor.get("name"), str) else None
    check_descriptor_text(descriptor, report)
    check_descriptor(descriptor, report)
    check_standard_version(descriptor, report)
    resources = descriptor.get("resources")
    if isinstance(resources, list):
        seen: set[str] = set()
        for resource in resources:
            if isinstance(resource, dict):
                check_resource(package, resource, seen, report, engine=engine, tables=tables)
    return descriptor


@lru_cache(maxsize=None)
def descriptor_validator() -> jsonschema.Draft202012Validator:
    """The descriptor's JSON Schema validator, built once."""
    return jsonschema.Draft202012Validator(
        load_standard().descriptor_schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@lru_cache(maxsize=4096)
def _table_schema_valid(text: str) -> bool:
    """Whether a resource's `schema` object (as JSON text) is valid; table schemas repeat across packages."""
    try:
        schema = load_standard().descriptor_schema["$defs"]["resource"]["properties"]["schema"]
    except (KeyError, TypeError):
        return False  # the JSON Schema changed shape: always take the full check
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
                                           ).is_valid(json.loads(text))


def _quickly_valid(descriptor: dict) -> bool:
    """True when the descriptor is certainly valid: its parts other than the table schemas are
    checked against the JSON Schema, the table schemas once per distinct schema."""
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(isinstance(r, dict) and isinstance(r.get("schema"), dict) for r in resources):
        return False
    try:
        texts = [json.dumps(r["schema"], sort_keys=True, ensure_ascii=False) for r in resources]
    except (TypeError, ValueError):
        return False
    stub = {"fields": [{"name": "row_id", "type": "string"}]}
    light = {**descriptor, "resources": [{**r, "schema": stub} for r in resources]}
    return descriptor_validator().is_valid(light) and all(_table_schema_valid(text) for text in texts)


def check_descriptor(descriptor: dict, report: PackageReport) -> None:
    """Check the descriptor (parsed datapackage.json) against schema/datapackage.schema.json (JSON
    Schema 2020-12, formats checked); one package.descriptor-schema finding per error, with its JSON
    pointer, added to `report`."""
    if _quickly_valid(descriptor):
        return
    validator = descriptor_validator()
    for error in sorted(validator.iter_errors(descriptor), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        report.add(Finding("package.descriptor-schema", f"datapackage.json {where}: {error.message}",
                           location={"pointer": "/" + where if where != "(root)" else ""}))


def check_standard_version(descriptor: dict, report: PackageReport) -> None:
    """package.standard-version when the descriptor's `standardVersion` (x.y.z) has another
    major version than the loaded standard (schema/standard.json); nothing for a missing or
    malformed version (the descriptor schema reports those)."""
    declared = descriptor.get("standardVersion")
    if not isinstance(declared, str) or declared.count(".") != 2:
        return
    ours = load_standard().version
    if declared.split(".")[0] != ours.split(".")[0]:
        report.add(Finding("package.standard-version",
                           f"package conforms to standard {declared}; this validator supports {ours.split('.')[0]}.x",
                           expected=ours, found=declared))


def check_resource(package: Package, resource: dict, seen: set[str], report: PackageReport,
                   engine: str = "fast", tables: dict | None = None) -> None:
    """Check one resource of `package`: a catalog table, once, at a safe path to a file that
    exists, with the standard's columns, and its CSV (`check_table_rows`)."""
    standard = load_standard()
    table_id = resource.get("tableId") or resource.get("name")
    if table_id not in standard.tables:
        report.add(Finding("resource.unknown-table", f"resource {resource.get('name')!r}: table id {table_id!r} is not in the catalog", table=str(table_id)))
        return
    # a catalog table appears once; the tables outside the catalog (kind cells) once per name (unlisted_table_N)
    key = resource_key(resource) if standard.tables[table_id].kind == "cells" else table_id
    if key in seen:
        report.add(Finding("resource.duplicate-table", f"table {key} appears twice", table=key))
        return
    seen.add(key)
    try:
        present = package.has_file(resource.get("path"))
    except PackageError as exc:
        report.add(Finding("resource.unsafe-path", str(exc), table=table_id))
        return
    if not present:
        report.add(Finding("resource.missing-file", f"{resource.get('path')}: file not found in the package", table=table_id))
        return
    schema = resource.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return  # already reported by the descriptor schema
    if not check_fields(table_id, schema["fields"], report):
        return
    report.tables += 1
    check_table_rows(package, resource, schema, key, report, engine=engine, tables=tables)


@lru_cache(maxsize=None)
def allowed_fields(table_id: str) -> dict[str, dict]:
    """The standard's field descriptors of a table, by name."""
    standard = load_standard()
    return {name: standard.field_descriptor(table_id, name) for name in standard.table_field_names(table_id)}


def check_fields(table_id: str, fields: list, report: PackageReport) -> bool:
    """The resource's schema `fields` (list of field descriptors) against the standard's fields of
    `table_id`: every name is a column of the table with the standard's type, and row_id,
    row_type and item are present where the table has them. Adds resource.schema-mismatch and
    table.missing-required-field findings; returns True when there were none."""
    allowed = allowed_fields(table_id)
    ok = True
    names = [f.get("name") for f in fields if isinstance(f, dict)]
    for field in fields:
        if not isinstance(field, dict):
            continue
        name = field.get("name")
        if name not in allowed:
            report.add(Finding("resource.schema-mismatch", f"table {table_id}: column {name!r} is not a column of this table in the standard", table=table_id, found=str(name)))
            ok = False
        elif field.get("type") != allowed[name]["type"]:
            report.add(Finding("resource.schema-mismatch", f"table {table_id}: column {name!r} has type {field.get('type')!r}, the standard says {allowed[name]['type']!r}",
                               table=table_id, expected=allowed[name]["type"], found=str(field.get("type"))))
            ok = False
    for name in REQUIRED_COLUMNS:
        if name in allowed and name not in names:  # narrative has no item column
            report.add(Finding("table.missing-required-field", f"table {table_id}: required column {name!r} is missing", table=table_id, expected=name))
            ok = False
    return ok


def check_table_rows(package: Package, resource: dict, schema: dict, table_id: str, report: PackageReport,
                     engine: str = "fast", tables: dict | None = None) -> None:
    """The structural check of one table's CSV, read once through `package.csv`: its text
    (`cells.check_table_text`: encoding, control characters, formula-like cells), then its
    rows against `schema` by `engine` ("fast": `csvcheck`; "frictionless", which reads the
    file from the package's folder itself). A table without errors goes into `tables`."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    name = resource_file_name(package, resource)
    try:
        data, problem = package.csv(table_id), None
    except CsvEncodingError as exc:  # not clean UTF-8: reported once, not misread
        where = f"data/{name}"
        report.add(Finding("table.encoding", f"{table_id}: {where} line {exc.line}: {exc.reason}", table=table_id,
                           location={"file": where, "line": exc.line}))
        return
    except PackageError as exc:  # unreadable (OSError) or not CSV (csv.Error): the checkers report it
        data, problem = None, exc.__cause__ or exc
    if data is not None:
        check_table_text(data, schema, table_id, report, where=f"data/{name}")
    if engine == "fast" and csvcheck.supports(schema):
        if data is None:
            errors, typed, labels, count = [csvcheck.TableError("source-error", note=str(problem))], [], [], 0
        else:
            errors, typed, labels, count = csvcheck.check_table(data, schema)
        report.rows += count
        for e in errors:
            _add_table_error(report, table_id, name, schema, e.type, e.rowNumber, e.fieldName, e.cell, e.cells, e.message)
        if tables is not None and not errors:
            tables[table_id] = csvcheck.build_table(resource, schema, labels, typed)
        return
    if package.folder is None:
        raise ValueError(f"{package.label}: the frictionless engine reads tables from a package folder; "
                         "use engine 'fast' for a package held in memory")
    try:
        package_dir = package.folder.resolve()
        path = safe_resource_path(package.folder, resource.get("path"))
        frictionless_resource = Resource(
            path=str(path.relative_to(package_dir)), basepath=str(package_dir),
            schema=Schema.from_descriptor(schema), format="csv", encoding="utf-8",
        )
        result = frictionless_resource.validate()
    except Exception as exc:  # frictionless raises on unreadable sources
        report.add(Finding("table.read-error", f"{name}: {exc}", table=table_id))
        return
    task = result.tasks[0] if result.tasks else None
    if task is not None:
        report.rows += task.stats.get("rows") or 0
    flat = result.flatten(["type", "rowNumber", "fieldName", "cell", "cells", "message"])
    for kind, row_number, field_name, cell, cells, message in flat:
        _add_table_error(report, table_id, name, schema, kind, row_number, field_name, cell, cells, message)
    if tables is not None and not flat:
        tables[table_id] = package.table(table_id)


def resource_file_name(package: Package, resource: dict) -> str:
    """The file name of a resource's CSV as findings name it (`data/<name>`): the name of the
    file it resolves to in a folder, the last part of its path in memory."""
    relative = resource.get("path")
    if package.folder is not None:
        return safe_resource_path(package.folder, relative).name
    return PurePosixPath(relative).name


def _add_table_error(report: PackageReport, table_id: str, name: str, schema: dict, kind: str, row_number,
                     field_name, cell, cells, message: str) -> None:
    names = [f.get("name") for f in schema["fields"] if isinstance(f, dict)]
    row_id_index = names.index("row_id") if "row_id" in names else None
    rule = FRICTIONLESS_RULES.get(kind, "table.read-error")
    row_id = None
    if row_id_index is not None and cells and len(cells) > row_id_index and cells[row_id_index]:
        row_id = str(cells[row_id_index])
    location = {"file": f"data/{name}", "row": row_number, "column": field_name} if row_number else {"file": f"data/{name}"}
    source = _source_place(names, cells)   # the row's page and line in the source document, when it has them
    location.update(source)
    if source.get("page"):
        message = f"{message} (page {source['page']}" + (f", line {source['line']})" if source.get("line") else ")")
    report.add(Finding(
        rule, f"{table_id}: {message}", table=table_id, row_id=row_id,
        measure=field_name if field_name in load_standard().measures else None,
        found=None if cell is None else str(cell), location=location,
    ))


def _source_place(names: list, cells) -> dict:
    """{'page': n, 'line': n} from a CSV row's source_page and source_line cells (`cells` in the order of the
    schema's field `names`), as far as they hold whole numbers."""
    place = {}
    for key, field_name in (("page", "source_page"), ("line", "source_line")):
        if cells and field_name in names and names.index(field_name) < len(cells):
            text = str(cells[names.index(field_name)] or "").strip()
            if text.isdigit():
                place[key] = int(text)
    return place
