"""Reading a Frictionless data package of this standard from disk: the descriptor (parsed
with a bound on nesting), table CSVs (UTF-8 without BOM, exact decimals) and the model.

Shapes: `load_descriptor(path) -> dict`, `read_table(package_dir, resource) -> Table`,
`read_package(path) -> Disclosure` (amounts Decimal in 元, blank cells None),
`find_packages(path) -> list[Path]`. Errors: PackageError (CsvEncodingError for a CSV that
is not UTF-8), naming the file and, where known, the line.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from pathlib import Path

from .model import Disclosure, Row, SourceDocument, Table
from .standard import ROW_FIELDS, SOURCE_FIELDS

DESCRIPTOR = "datapackage.json"


class PackageError(Exception):
    """A path that is not a readable package of this standard."""


class CsvEncodingError(PackageError):
    """A table CSV that is not UTF-8 without a byte order mark; `line` is the first bad line
    (1-based), `reason` what is wrong there."""

    def __init__(self, path: Path, line: int, reason: str):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}: line {line}: {reason}")


# -- reading ---------------------------------------------------------------

def descriptor_path(path: str | Path) -> Path:
    """The datapackage.json of a package folder (or `path` itself when it is that file);
    PackageError when there is none."""
    path = Path(path)
    if path.is_dir():
        path = path / DESCRIPTOR
    if not path.exists():
        raise PackageError(f"{path}: no such package (datapackage.json not found)")
    return path


MAX_JSON_DEPTH = 64  # a descriptor is a few levels deep; this bounds parsing, not the standard


def json_depth(value) -> int:
    """How deeply `value` (parsed JSON) nests objects and arrays (a scalar is 0); iterative."""
    depth, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth = max(depth, level)
        stack.extend((child, level + 1) for child in children)
    return depth


def parse_json_object(data: bytes | str, label: str, what: str = "the descriptor") -> dict:
    """Parse `data` as a JSON object nested at most MAX_JSON_DEPTH levels; PackageError naming
    `label` otherwise (not UTF-8, not JSON, not an object, nested too deeply)."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise PackageError(f"{label}: not UTF-8 text ({exc.reason})") from exc
    too_deep = PackageError(f"{label}: {what} is nested more than {MAX_JSON_DEPTH} levels deep; "
                            f"expected a JSON object a few levels deep (see the standard's datapackage.schema.json)")
    try:
        value = json.loads(text)
    except RecursionError:
        raise too_deep from None
    except json.JSONDecodeError as exc:
        raise PackageError(f"{label}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    if not isinstance(value, dict):
        raise PackageError(f"{label}: {what} must be a JSON object")
    if json_depth(value) > MAX_JSON_DEPTH:
        raise too_deep
    return value


def load_descriptor(path: str | Path) -> dict:
    """The descriptor of the package at `path` (folder or datapackage.json) as a dict.

    The one place descriptors are read: PackageError naming the file when it is missing, not
    UTF-8, not JSON, not an object, or nested more than MAX_JSON_DEPTH levels."""
    path = descriptor_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackageError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return parse_json_object(data, str(path))


def safe_resource_path(package_dir: Path, relative) -> Path:
    """The file of a resource, refusing remote URLs and paths that leave the package."""
    if not isinstance(relative, str) or not relative:
        raise PackageError(f"resource path must be a non-empty string, got {relative!r}")
    if "://" in relative or relative.startswith("//"):
        raise PackageError(f"resource path {relative!r} is a remote URL; packages must be self-contained (nothing is fetched)")
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise PackageError(f"resource path {relative!r} points outside the package")
    resolved = (package_dir / candidate).resolve()
    if package_dir.resolve() not in resolved.parents:
        raise PackageError(f"resource path {relative!r} points outside the package")
    return resolved


def parse_cell(text: str, field_type: str):
    """A CSV cell typed by its table-schema type: "" -> None, number -> Decimal (元),
    integer -> int, anything else the text. decimal.InvalidOperation / ValueError for a cell
    that is not of its type."""
    if text == "":
        return None
    if field_type == "number":
        return Decimal(text)
    if field_type == "integer":
        return int(text)
    return text


def decode_csv(data: bytes, label, *, bom: str = "refuse") -> str:
    """The text of a table CSV's bytes, which must be UTF-8. A UTF-8 byte order mark is refused
    (`bom="refuse"`, the standard: table CSVs are UTF-8 without BOM) or dropped
    (`bom="strip"`, for readers that take what a spreadsheet wrote). Raises CsvEncodingError
    naming `label` and the first bad line for a BOM or bytes that are not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        if bom != "strip":
            raise CsvEncodingError(label, 1, "the file begins with a UTF-8 byte order mark (BOM); table CSVs are UTF-8 "
                                             "without BOM. 文件以BOM开头")
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:  # from the bad line on: a file may begin in ASCII
            data[data.rfind(b"\n", 0, exc.start) + 1:].decode("gb18030")
            guess = " (the file looks like GBK/GB18030)"
        except UnicodeDecodeError:
            guess = ""
        raise CsvEncodingError(label, line, f"bytes {data[exc.start:exc.start + 4].hex(' ')} are not UTF-8{guess}; "
                                            "table CSVs must be UTF-8. 文件不是UTF-8编码") from exc


def csv_text(path: Path) -> str:
    """The text of the table CSV file at `path` (see `decode_csv`); OSError when it cannot be read."""
    return decode_csv(Path(path).read_bytes(), path)


@dataclass
class CsvTable:
    """A table CSV as its file holds it: `header` (column names) and `records` (each record's
    cells as strings, "" for blank, in file order; record i is on line i + 2 when no cell
    holds a line break). `label` names the file in messages."""
    label: str
    header: list[str]
    records: list[list[str]]
    empty: bool = False  # the file held no row at all (not even a blank header line)

    @property
    def rows(self) -> list[list[str]]:
        """Every row of the file, the header first, as csv.reader gives them ([] for an empty file)."""
        return [] if self.empty else [self.header, *self.records]

    @cached_property
    def index(self) -> dict[str, int]:
        """Column name -> position in `header`."""
        return {name: i for i, name in enumerate(self.header)}

    def cell(self, record: list[str], column: str) -> str:
        """The cell of `record` under `column` ("" when the column or the cell is missing)."""
        i = self.index.get(column)
        return record[i] if i is not None and i < len(record) else ""


def parse_csv(data: bytes, label, *, bom: str = "refuse") -> CsvTable:
    """The one reader of table CSVs: bytes -> CsvTable. Decoding as in `decode_csv`;
    csv.Error (e.g. a NUL byte in older Pythons) becomes PackageError naming `label`."""
    text = decode_csv(data, label, bom=bom)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise PackageError(f"{label}: not a readable CSV ({exc})") from exc
    return CsvTable(str(label), rows[0] if rows else [], rows[1:], empty=not rows)


def table_from_csv(resource: dict, data: CsvTable) -> Table:
    """The model's Table for a resource of the descriptor and its parsed CSV: typed values
    (number -> Decimal in 元, integer -> int, blank -> None). PackageError when the header has
    no row_id column."""
    types = {f["name"]: f.get("type", "string") for f in resource["schema"]["fields"]}
    table = Table(
        table_id=resource.get("tableId", resource["name"]),
        printed_title=resource.get("printedTitle"), money_unit=resource.get("moneyUnit"),
        money_decimals=resource.get("moneyDecimals"), note=resource.get("note"),
    )
    if resource_key(resource) != table.table_id:
        table.name = resource_key(resource)
    location = resource.get("sourceLocation") or {}
    table.first_line, table.last_line = location.get("firstLine"), location.get("lastLine")
    table.pages = list(location.get("pages") or [])
    header = data.header
    if "row_id" not in header:
        raise PackageError(f"{data.label}: line 1: the header has no row_id column")
    table.columns = [name for name in header if name not in (*ROW_FIELDS, *SOURCE_FIELDS)]
    for number, record in enumerate(data.records, start=2):
        cells = dict(zip(header, record))
        name = None
        try:
            values = {}
            for name in table.columns:
                values[name] = parse_cell(cells.get(name, ""), types.get(name, "string"))
            name = "source_line"
            source_line = parse_cell(cells.get(name, ""), "integer")
            name = "source_page"
            source_page = parse_cell(cells.get(name, ""), "integer")
        except (ArithmeticError, ValueError):
            kind = "integer" if name in ("source_line", "source_page") else types.get(name, "string")
            raise PackageError(f"{data.label}: record {number - 1} (line {number} when no cell breaks a line): "
                               f"column {name!r} holds {cells.get(name, '')[:40]!r}, not a {kind}; "
                               "see opendata validate (table.type-error)") from None
        table.rows.append(Row(row_id=cells["row_id"], row_type=cells.get("row_type") or "item", values=values,
                              source_line=source_line, source_page=source_page))
    return table


def read_table(package_dir: Path, resource: dict) -> Table:
    """The model's Table of one resource of the package in `package_dir`."""
    path = safe_resource_path(package_dir, resource.get("path"))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackageError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return table_from_csv(resource, parse_csv(data, path))


def resource_table_id(resource: dict) -> str:
    """The table id of a descriptor resource (`tableId`, else its `name`)."""
    return str(resource.get("tableId") or resource.get("name"))


def resource_key(resource: dict) -> str:
    """The identity of a descriptor resource inside its package (`Table.key`): its `name`, else
    its `tableId`. A catalog table's name is its table id; the tables outside the catalog share
    the table id unlisted_table and differ by name (unlisted_table_1, unlisted_table_2 …)."""
    return str(resource.get("name") or resource.get("tableId"))


class Package:
    """One data package, read once and lazily: from a folder (`Package.open`) or from its
    files in memory (`Package.from_files`, e.g. a release archive). Every stage after
    `convert` takes one of these instead of reading the folder its own way.

    - `descriptor` (dict, parsed once with the nesting bound of `parse_json_object`);
    - `resources` (the descriptor's resources that are objects), `resource(table_id)`;
    - `read_bytes(relative)` (a file of the package; paths that leave it are refused);
    - `csv(table_id)` -> CsvTable (the cells as strings, read once), `table(table_id)` -> Table
      (typed values), `disclosure()` -> Disclosure (the whole model).
    Errors: PackageError (CsvEncodingError for a CSV that is not UTF-8) naming the file."""

    def __init__(self, *, folder: Path | None = None, files: dict[str, bytes] | None = None, label: str = ""):
        self.folder = Path(folder) if folder is not None else None
        self.files = files
        self.label = label or (str(self.folder) if self.folder is not None else "package")
        self._csv: dict[tuple[str, str], CsvTable] = {}
        self._tables: dict[str, Table] = {}

    @classmethod
    def open(cls, path: str | Path) -> "Package":
        """The package in a folder (or of its datapackage.json); PackageError when there is none."""
        return cls(folder=descriptor_path(path).parent)

    @classmethod
    def from_files(cls, files: dict[str, bytes], label: str) -> "Package":
        """A package given as {relative POSIX path: bytes} (datapackage.json among them)."""
        return cls(files=files, label=label)

    def __repr__(self) -> str:
        return f"Package({self.label!r})"

    def read_bytes(self, relative) -> bytes:
        """The bytes of a file of the package, by its relative path (PackageError when missing
        or outside the package)."""
        if self.files is not None:
            if not isinstance(relative, str) or relative not in self.files:
                raise PackageError(f"{self.label}: {relative} is not in the package")
            return self.files[relative]
        path = safe_resource_path(self.folder, relative)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise PackageError(f"{path}: cannot be read ({exc.strerror or exc})") from exc

    def has_file(self, relative) -> bool:
        """Whether the package holds a file at `relative`; PackageError (as `safe_resource_path`)
        for a path that is not a string, is remote or leaves the package."""
        if self.files is not None:
            safe_resource_path(Path("/package"), relative)
            return relative in self.files
        return safe_resource_path(self.folder, relative).is_file()

    @cached_property
    def descriptor(self) -> dict:
        """The package's datapackage.json as a dict, parsed once (nesting bounded; PackageError)."""
        if self.folder is not None:
            return load_descriptor(self.folder)
        return parse_json_object(self.read_bytes(DESCRIPTOR), f"{self.label}: {DESCRIPTOR}")

    @property
    def name(self) -> str | None:
        """The package's `name` from its descriptor."""
        return self.descriptor.get("name")

    @property
    def version(self) -> str | None:
        """The package's `version` from its descriptor."""
        return self.descriptor.get("version")

    @property
    def resources(self) -> list[dict]:
        """The descriptor's resources that are JSON objects, in order."""
        return [r for r in self.descriptor.get("resources") or [] if isinstance(r, dict)]

    def resource(self, table_id: str) -> dict | None:
        """The descriptor resource of `table_id` (a resource key, `resource_key`, else a table id), or None."""
        return next((r for r in self.resources if resource_key(r) == table_id), None) or \
            next((r for r in self.resources if resource_table_id(r) == table_id), None)

    def _label(self, resource: dict):
        rel = resource.get("path")
        return (self.folder / rel) if self.folder is not None and isinstance(rel, str) else f"{self.label}: {rel}"

    def csv(self, table_id: str, *, bom: str = "refuse") -> CsvTable:
        """The CSV of `table_id` as strings (read and parsed once); see `parse_csv`."""
        key = (table_id, bom)
        if key not in self._csv:
            resource = self.resource(table_id)
            if resource is None:
                raise PackageError(f"{self.label}: no table {table_id!r} in the package")
            self._csv[key] = parse_csv(self.read_bytes(resource.get("path")), self._label(resource), bom=bom)
        return self._csv[key]

    def table(self, table_id: str) -> Table:
        """The model's Table of `table_id` (typed values, read once)."""
        if table_id not in self._tables:
            self._tables[table_id] = table_from_csv(self.resource(table_id) or {}, self.csv(table_id))
        return self._tables[table_id]

    def disclosure(self) -> Disclosure:
        """The whole package as the model (see `read_package`)."""
        return _disclosure(self)


def read_package(path: str | Path) -> Disclosure:
    """Read a package folder (or its datapackage.json) back into the model, losslessly:
    `Package.open(path).disclosure()`."""
    return Package.open(path).disclosure()


def _disclosure(package: Package) -> Disclosure:
    descriptor_file = package.folder / DESCRIPTOR if package.folder is not None else package.label
    package_dir = package.folder
    d = package.descriptor
    try:
        json.dumps(d, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PackageError(f"{descriptor_file}: holds a lone surrogate (a \\u{ord(exc.object[exc.start]):04x} escape), "
                           "which is not text; see opendata validate (text.control-character)") from exc
    try:
        source = d["source"]
        unit = d["unit"]
        parent = unit.get("parent") or {}
        local = None
        if source.get("path") and package_dir is not None:
            local_path = safe_resource_path(package_dir, source["path"])
            local = str(local_path) if local_path.exists() else None
        disclosure = Disclosure(
            unit_name=unit["name"], unit_code=unit.get("code"),
            parent_name=parent.get("name"), parent_code=parent.get("code"),
            fiscal_year=d["fiscalYear"], stage=d["stage"],
            division_code=d["division"]["code"], division_names=list(d["division"]["names"]),
            level=d.get("level"), consolidated=d.get("consolidated"), government_level=d.get("governmentLevel"),
            money_unit=d["moneyUnit"], title=d["title"], name=d["name"], version=d["version"],
            created=d["created"], standard_version=d["standardVersion"], licenses=d["licenses"],
            conversion=d.get("conversion") or {}, metadata_sources=d.get("metadataSources") or {},
            source=SourceDocument(
                filename=source["filename"], sha256=source["sha256"], bytes=source.get("bytes", 0),
                format=source.get("format", ""), title=source.get("title"), url=source.get("url"),
                published=source.get("published"), local_path=local,
            ),
        )
        for resource in d["resources"]:
            table = package.table(resource_key(resource))
            disclosure.tables[table.key] = table
    except (KeyError, TypeError) as exc:
        raise PackageError(f"{descriptor_file}: descriptor is missing {exc}") from exc
    return disclosure


def find_packages(path: str | Path) -> list[Path]:
    """Package folders at `path`: the package itself, or every package below a folder."""
    path = Path(path)
    if not path.exists():
        raise PackageError(f"{path}: no such file or folder")
    if path.is_file():
        if path.name == DESCRIPTOR:
            return [path.parent]
        raise PackageError(f"{path}: not a data package (expected a folder with datapackage.json)")
    if (path / DESCRIPTOR).exists():
        return [path]
    found = sorted(p.parent for p in path.rglob(DESCRIPTOR) if "releases" not in p.parts and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not found:
        raise PackageError(f"{path}: no data package found (no datapackage.json in it or below it)")
    return found
