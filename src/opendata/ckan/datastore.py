"""What a table becomes in CKAN's DataStore: its fields (types and labels from the standard)
and its records (the table CSV's cells as text, checked for what the DataStore would refuse).

Both read the package through the one Package object (`opendata.package.Package`) and the
one CSV reader (`Package.csv`); nothing is written here."""
from __future__ import annotations

import decimal

from ..package import CsvEncodingError, Package, PackageError
from ..standard import load_standard
from .errors import UnreadableTable

DATASTORE_TYPES = {"string": "text", "number": "numeric", "integer": "int"}
DATASTORE_CHUNK = 5000


def datastore_fields(package: Package, table_id: str) -> list[dict]:
    """The DataStore fields of a table of `package`, in the order of its descriptor's schema:
    `{"id": column, "type": "text" | "numeric" | "int", "info": {"label", "notes"}}`, label and
    notes (with the unit, e.g. 元) from the standard where it knows the field, else from the
    descriptor. Raises PackageError when the package has no such table."""
    resource = package.resource(table_id)
    if resource is None:
        raise PackageError(f"{package.label}: no table {table_id}")
    standard = load_standard()
    catalog_id = str(resource.get("tableId") or resource.get("name"))   # unlisted_table_N -> unlisted_table
    fields = []
    for f in resource["schema"]["fields"]:
        if catalog_id in standard.tables:
            try:
                f = {**f, **standard.field_descriptor(catalog_id, f["name"])}
            except KeyError:
                pass
        notes = f.get("description") or ""
        if f.get("unit"):
            notes = f"{notes} 单位 unit: {f['unit']}".strip()
        fields.append({"id": f["name"], "type": DATASTORE_TYPES.get(f.get("type", "string"), "text"),
                       "info": {"label": f.get("title") or f["name"], "notes": notes}})
    return fields


def datastore_records(package: Package, table_id: str) -> tuple[list[dict], list[dict]]:
    """The DataStore fields (see `datastore_fields`) and rows of a table: one dict per CSV
    record, column name -> text (None for an empty cell), blank lines skipped. The CSV is read
    with `Package.csv(table_id, bom="strip")`: a UTF-8 BOM is allowed and is not part of the
    first column's name. Raises UnreadableTable ("<file>, line N: …") for what the DataStore
    would refuse or the CSV reader cannot read: bytes that are not UTF-8, a NUL character, a
    value that is not a number in a number/integer column, a row_id missing or seen twice."""
    fields = datastore_fields(package, table_id)
    try:
        table = package.csv(table_id, bom="strip")
    except CsvEncodingError as exc:
        raise UnreadableTable(f"{exc.path}, line {exc.line}: {exc.reason}; save it as UTF-8") from None
    except PackageError as exc:
        raise UnreadableTable(str(exc)) from None
    names = [f["id"] for f in fields]
    types = {f["id"]: f["type"] for f in fields}
    records, seen = [], {}
    line = 1  # the header's last line
    for cells in table.records:
        first = line + 1
        line = first + sum(cell.count("\n") for cell in cells)  # the record's last line
        if not cells:
            continue
        nul = next((i for i, cell in enumerate(cells) if "\0" in cell), None)
        if nul is not None:
            before = sum(cell.count("\n") for cell in cells[:nul]) + cells[nul][:cells[nul].index("\0")].count("\n")
            raise UnreadableTable(f"{table.label}, line {first + before}: a NUL character (\\0), which the "
                                  "DataStore cannot hold")
        record = {name: (table.cell(cells, name) or None) for name in names}
        for name, value in record.items():
            if value is None or types.get(name) not in ("numeric", "int"):
                continue
            try:
                number = decimal.Decimal(value)
                if not number.is_finite() or (types[name] == "int" and number != number.to_integral_value()):
                    raise decimal.InvalidOperation
            except decimal.InvalidOperation:
                raise UnreadableTable(f"{table.label}, line {line}: column {name!r} holds {value!r}, "
                                      f"not {'an integer' if types[name] == 'int' else 'a number'}") from None
        if "row_id" in types:
            key = record.get("row_id")
            if key is None:
                raise UnreadableTable(f"{table.label}, line {line}: row_id is empty (the DataStore's primary key)")
            if key in seen:
                raise UnreadableTable(f"{table.label}, line {line}: row_id {key!r} again (first on line "
                                      f"{seen[key]}); the DataStore's primary key must be unique")
            seen[key] = line
        records.append(record)
    return fields, records
