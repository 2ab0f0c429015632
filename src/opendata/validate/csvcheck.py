"""The fast structural check of one table: its CSV (as the package's one CSV reader,
`opendata.package.parse_csv`, read it) against its table schema, with no other machinery.

It finds what `frictionless validate` finds for the tables of this standard — header
labels (missing, extra, blank, duplicate, misnamed), cell counts, blank rows, cell
types (string / number / integer), constraints (required, pattern, enum, minimum …),
unique values and primary keys — with the same row and field numbers, cells and
messages, and reads the table into the model (`opendata.model.Table`) on the way, so the
later layers do not read the file again. `tests/test_validate_structure*.py` and
`benchmarks/bench_validate.py` compare it with frictionless.

One deliberate difference: frictionless accepts the numbers NaN and ±Infinity
(Python's Decimal does); an amount must be a finite decimal, so they are type errors here.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from ..model import Row, Table
from ..package import CsvTable
from ..standard import ROW_FIELDS, SOURCE_FIELDS

ERROR_LIMIT = 1000  # frictionless stops a task at 1,000 errors; so do we
SAMPLE_SIZE = 100  # rows frictionless looks at to find the header row
MISSING_VALUES = ("",)

TEMPLATES = {
    "type-error": 'Type error in the cell "{cell}" in row "{rowNumber}" and field "{fieldName}" at position "{fieldNumber}": {note}',
    "constraint-error": 'The cell "{cell}" in row at position "{rowNumber}" and field "{fieldName}" at position "{fieldNumber}" does not conform to a constraint: {note}',
    "unique-error": 'Row at position "{rowNumber}" has unique constraint violation in field "{fieldName}" at position "{fieldNumber}": {note}',
    "primary-key": 'Row at position "{rowNumber}" violates the primary key: {note}',
    "blank-row": 'Row at position "{rowNumber}" is completely blank',
    "extra-cell": 'Row at position "{rowNumber}" has an extra value in field at position "{fieldNumber}"',
    "missing-cell": 'Row at position "{rowNumber}" has a missing cell in field "{fieldName}" at position "{fieldNumber}"',
    "extra-label": 'There is an extra label "{label}" in header at position "{fieldNumber}"',
    "missing-label": 'There is a missing label in the header\'s field "{fieldName}" at position "{fieldNumber}"',
    "blank-label": 'Label in the header in field at position "{fieldNumber}" is blank',
    "duplicate-label": 'Label "{label}" in the header at position "{fieldNumber}" is duplicated to a label: {note}',
    "incorrect-label": 'Label "{label}" in field {fieldName} at position "{fieldNumber}" does not match the field name in the schema',
    "blank-header": "Header is completely blank",
    "source-error": "The data source could not be read: {note}",
    "encoding-error": "The data source could not be decoded as UTF-8: {note}",
}

SUPPORTED = {
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "number": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    "integer": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    "any": ("required", "enum"),
}
FAST_TYPES = frozenset(SUPPORTED)


@dataclass
class TableError:
    """One structural error, with the fields frictionless gives its errors."""
    type: str
    note: str = ""
    rowNumber: int | None = None
    fieldNumber: int | None = None
    fieldName: str | None = None
    cell: str | None = None
    cells: list[str] | None = None
    label: str | None = None

    @property
    def message(self) -> str:
        """The error's message: its TEMPLATES entry filled with the error's fields."""
        values = {k: ("" if v is None else v) for k, v in self.__dict__.items()}
        return TEMPLATES[self.type].format(**values)


def _read_string(cell: str):
    return cell


def _read_number(cell: str):
    try:
        value = Decimal(cell.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _read_integer(cell: str):
    try:
        return int(cell.strip())
    except ValueError:
        return None


READERS: dict[str, Callable[[str], Any]] = {
    "string": _read_string, "number": _read_number, "integer": _read_integer, "any": _read_string,
}


def _bound(op):
    return lambda limit, value: value is None or op(value, limit)


CHECKS: dict[str, Callable[[Any, Any], bool]] = {
    "required": lambda flag, value: not (flag and value is None),
    "minLength": lambda limit, value: value is None or len(value) >= limit,
    "maxLength": lambda limit, value: value is None or len(value) <= limit,
    "pattern": lambda regex, value: value is None or bool(regex.match(value)),
    "enum": lambda allowed, value: value is None or value in allowed,
    "minimum": _bound(lambda v, l: v >= l),
    "maximum": _bound(lambda v, l: v <= l),
    "exclusiveMinimum": _bound(lambda v, l: v > l),
    "exclusiveMaximum": _bound(lambda v, l: v < l),
}


@dataclass
class FieldCheck:
    """How one field of a table schema is checked: its name and type, the reader that turns a
    cell's text into a value (raising on a bad cell), the constraints as (name, predicate,
    shown value) and whether values must be unique."""
    name: str
    type: str
    reader: Callable[[str], Any]
    checks: list[tuple[str, Callable[[Any], bool], str]] = field(default_factory=list)
    unique: bool = False

    @classmethod
    def build(cls, descriptor: dict) -> "FieldCheck":
        """The FieldCheck of a table-schema field descriptor (type, constraints); KeyError for a type
        the fast engine does not read (only the constraints it supports are taken: callers check
        that the schema is supported first)."""
        kind = descriptor.get("type", "string")
        reader = READERS[kind]
        constraints = descriptor.get("constraints") or {}
        checks = []
        for name in SUPPORTED[kind]:
            raw = constraints.get(name)
            if raw is None:
                continue
            value = raw
            if name in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                value = reader(str(raw)) if not isinstance(raw, (int, Decimal)) else raw
            elif name == "pattern":
                value = re.compile(f"^{raw}$")
            elif name == "enum":
                value = [reader(str(item)) if isinstance(item, str) else item for item in raw]
            check = CHECKS[name]
            checks.append((name, (lambda v, _c=check, _l=value: _c(_l, v)), f'constraint "{name}" is "{raw}"'))
        return cls(name=descriptor["name"], type=kind, reader=reader, checks=checks,
                   unique=bool(constraints.get("unique")))

    def read(self, source: str | None):
        """(value, type note, constraint notes) of one cell, as frictionless computes them."""
        if source is None or source == "":
            value = None
        elif self.type == "string" or self.type == "any":
            value = source
        else:
            value = self.reader(source)
            if value is None:
                return None, f'type is "{self.type}/default"', ()
        if not self.checks:
            return value, None, ()
        return value, None, tuple(note for _, check, note in self.checks if not check(value))


@lru_cache(maxsize=4096)
def _compiled(key: str) -> FieldCheck:
    return FieldCheck.build(json.loads(key))


def compile_fields(fields: list) -> list[FieldCheck]:
    """The checks of a schema's fields, compiled once per distinct list of fields."""
    try:
        key = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        return [FieldCheck.build(f) for f in fields]
    return _compiled_fields(key)


@lru_cache(maxsize=1024)
def _compiled_fields(key: str) -> list[FieldCheck]:
    return [FieldCheck.build(f) for f in json.loads(key)]


def compile_field(descriptor: dict) -> FieldCheck:
    """The check of one field descriptor, compiled once per distinct descriptor."""
    try:
        key = json.dumps(descriptor, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        return FieldCheck.build(descriptor)
    return _compiled(key)


def supports(schema: dict) -> bool:
    """True when every field has a type this checker reads (the standard uses only these)."""
    fields = schema.get("fields") or []
    return all(isinstance(f, dict) and isinstance(f.get("name"), str) and f.get("type", "string") in FAST_TYPES
               for f in fields)


def header_index(rows: list[list[str]], sample_size: int = SAMPLE_SIZE) -> int | None:
    """Which row is the header, as frictionless guesses it: the first row of the sample whose
    width is within 10% of the sample's average width (rows above it are not read)."""
    sample = rows[:sample_size]
    if not sample:
        return 0
    width = round(sum(len(cells) for cells in sample) / len(sample))
    drift = max(round(width * 0.1), 1)
    for index, cells in enumerate(sample):
        if width - drift <= len(cells) <= width + drift:
            return index
    return 0


def check_table(data: CsvTable, schema: dict) -> tuple[list[TableError], list[list[Any]], list[str], int]:
    """Check one table CSV, as `opendata.package.Package.csv` / `parse_csv` read it, against
    its schema (this module reads no file).

    Returns (errors, data rows as typed cell lists, the header labels, rows read). Errors
    come in frictionless's order: header errors first, then each row's errors in row order."""
    rows = data.rows
    if not rows:
        return [TableError("source-error", note="the file is empty")], [], [], 0
    fields = compile_fields(schema["fields"])
    primary_key = list(schema.get("primaryKey") or [])
    first = header_index(rows)
    labels = [label.strip() for label in rows[first]]
    errors: list[TableError] = _header_errors(labels, fields)
    expected = _expected_fields(labels, fields)
    names = [f.name for f in expected]
    has_primary_key = bool(primary_key) and set(primary_key) <= set(names)
    key_index = [names.index(name) for name in primary_key] if has_primary_key else []
    unique_index = [i for i, f in enumerate(expected) if f.unique]
    seen_unique: dict[int, dict] = {i: {} for i in unique_index}
    seen_keys: dict[tuple, int] = {}
    n_fields = len(expected)
    data = rows[first + 1:]
    typed: list[list[Any]] = []
    count = 0
    plan = [(f.name, f.type in ("string", "any"), f.reader, f.checks, f'type is "{f.type}/default"') for f in expected]
    for row_number, cells in enumerate(data, start=first + 2):
        count += 1
        row_errors: list[TableError] = []
        ncells = len(cells)
        values: list[Any] = [None] * n_fields
        blank = 0
        for index in range(n_fields):
            name, plain, reader, checks, type_note = plan[index]
            source = cells[index] if index < ncells else None
            if source is None or source == "":
                value = None
                blank += 1
            elif plain:
                value = source
            else:
                value = reader(source)
                if value is None:
                    row_errors.append(TableError("type-error", type_note, row_number, index + 1, name, str(source), cells))
                    continue
            values[index] = value
            if checks:
                for _, check, note in checks:
                    if not check(value):
                        row_errors.append(TableError("constraint-error", note, row_number, index + 1, name, str(source), cells))
        typed.append(values)
        if len(cells) > n_fields:
            for number in range(n_fields + 1, len(cells) + 1):
                row_errors.append(TableError("extra-cell", "", row_number, number, "", cells[number - 1], cells))
        elif n_fields > len(cells):
            for index in range(len(cells), n_fields):
                row_errors.append(TableError("missing-cell", "", row_number, index + 1, expected[index].name, "", cells))
        if blank == n_fields:
            row_errors = [TableError("blank-row", "", row_number, None, None, None, cells)]
        for index in unique_index:
            value = values[index]
            if value is not None:
                match = seen_unique[index].get(value)
                seen_unique[index][value] = row_number
                if match:
                    row_errors.append(TableError("unique-error", f"the same as in the row at position {match}",
                                                 row_number, index + 1, expected[index].name, str(value), cells))
        if has_primary_key:
            key = tuple(values[i] for i in key_index)
            if all(part is None for part in key):
                row_errors.append(TableError("primary-key", 'cells composing the primary keys are all "None"', row_number, cells=cells))
            else:
                match = seen_keys.get(key)
                seen_keys[key] = row_number
                if match:
                    row_errors.append(TableError("primary-key", f"the same as in the row at position {match}", row_number, cells=cells))
        errors += row_errors
        if len(errors) >= ERROR_LIMIT:
            del errors[ERROR_LIMIT:]
            break
    return errors, typed, labels, count


def _header_errors(labels: list[str], fields: list[FieldCheck]) -> list[TableError]:
    if not labels:
        return [TableError("blank-header")]
    errors = []
    for number in range(len(fields) + 1, len(labels) + 1):
        errors.append(TableError("extra-label", fieldNumber=number, fieldName="", label=labels[number - 1]))
    for offset, missing in enumerate(fields[len(labels):]):
        errors.append(TableError("missing-label", fieldNumber=len(labels) + 1 + offset, fieldName=missing.name, label=""))
    for number, (check, label) in enumerate(zip(fields, labels), start=1):
        if not label:
            errors.append(TableError("blank-label", fieldNumber=number, fieldName=check.name, label=""))
        if label:
            duplicates = [n for n, seen in enumerate(labels[: number - 1], start=1) if seen == label]
            if duplicates:
                errors.append(TableError("duplicate-label", note=f'at position "{", ".join(map(str, duplicates))}"',
                                         fieldNumber=number, fieldName=check.name, label=label))
                continue
            if label != check.name:
                errors.append(TableError("incorrect-label", fieldNumber=number, fieldName=check.name, label=label))
    return errors


def _expected_fields(labels: list[str], fields: list[FieldCheck]) -> list[FieldCheck]:
    """The field each label pairs with (by position); a label beyond the schema reads as `any`."""
    expected: list[FieldCheck] = []
    used: set[str] = set()
    for position, label in enumerate(labels):
        if position < len(fields):
            check = fields[position]
        else:
            name, suffix = label, 2
            while name in used:
                name, suffix = f"{label}{suffix}", suffix + 1
            check = FieldCheck(name=name, type="any", reader=_read_string)
        used.add(check.name)
        expected.append(check)
    return expected


# -- the model ---------------------------------------------------------------

def build_table(resource: dict, schema: dict, labels: list[str], data: list[list[Any]]) -> Table:
    """The model of a table whose structure is valid (header = schema fields, every cell typed):
    `data` are the typed values `check_table` read."""
    table = Table(
        table_id=resource.get("tableId") or resource.get("name"),
        printed_title=resource.get("printedTitle"), money_unit=resource.get("moneyUnit"),
        money_decimals=resource.get("moneyDecimals"), note=resource.get("note"),
    )
    if resource.get("name") and resource.get("tableId") and resource["name"] != resource["tableId"]:
        table.name = resource["name"]   # unlisted_table_N
    location = resource.get("sourceLocation") or {}
    if isinstance(location, dict):
        table.first_line, table.last_line = location.get("firstLine"), location.get("lastLine")
        table.pages = list(location.get("pages") or [])
    skip = {*ROW_FIELDS, *SOURCE_FIELDS}
    table.columns = [name for name in labels if name not in skip]
    columns = [(i, name) for i, name in enumerate(labels) if name not in skip]
    i_id, i_type = labels.index("row_id"), labels.index("row_type") if "row_type" in labels else None
    i_line = labels.index("source_line") if "source_line" in labels else None
    i_page = labels.index("source_page") if "source_page" in labels else None
    rows = table.rows
    for values in data:
        rows.append(Row(
            row_id=values[i_id], row_type=(values[i_type] if i_type is not None else None) or "item",
            values={name: values[i] for i, name in columns},
            source_line=values[i_line] if i_line is not None else None,
            source_page=values[i_page] if i_page is not None else None,
        ))
    return table
