"""Model <-> Frictionless data package on disk.

A package is a folder: datapackage.json, data/<table_id>.csv (UTF-8, exact decimals,
one row per printed row, keyed by row_id) and, where kept, source/<document>.
Writing goes to a temporary folder that is renamed into place, so a failed write
leaves no half-written package.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from .model import Disclosure, Row, SourceDocument, Table
from .money import format_amount
from .standard import ROW_FIELDS, SOURCE_FIELDS, load_standard
from .version import __version__

DESCRIPTOR = "datapackage.json"


class PackageError(Exception):
    """A path that is not a readable package of this standard."""


# -- names -----------------------------------------------------------------

def package_name(disclosure: Disclosure) -> str:
    """Stable ASCII name: division, unit code (or a hash of the unit name), year, stage."""
    unit = disclosure.unit_code or "u" + hashlib.sha1(disclosure.unit_name.encode("utf-8")).hexdigest()[:8]
    division = disclosure.division_code or "000000"
    stage = disclosure.stage.replace("_", "-")
    return f"{division}-{unit}-{disclosure.fiscal_year}-{stage}".lower()


def package_title(disclosure: Disclosure) -> str:
    stage = {"budget": "部门预算", "final_accounts": "部门决算"}[disclosure.stage]
    return f"{disclosure.unit_name}{disclosure.fiscal_year}年{stage}"


# -- writing ---------------------------------------------------------------

def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)


def table_csv(table: Table) -> tuple[list[str], str]:
    """The CSV text of a table and the columns it has, in the standard order."""
    standard = load_standard()
    # item is a required column wherever the table has one: written even for a table printed empty
    columns = standard.ordered_columns(table.table_id, [*table.columns, "item", *SOURCE_FIELDS])
    if not any(row.source_page for row in table.rows):
        columns = [c for c in columns if c != "source_page"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in table.rows:
        writer.writerow([cell_text(_row_value(row, name)) for name in columns])
    return columns, buffer.getvalue()


def _row_value(row: Row, name: str):
    if name == "row_id":
        return row.row_id
    if name == "row_type":
        return row.row_type
    if name == "source_line":
        return row.source_line
    if name == "source_page":
        return row.source_page
    return row.values.get(name)


def descriptor_for(disclosure: Disclosure, resources: list[dict]) -> dict:
    standard = load_standard()
    source = disclosure.source
    source_descriptor = {
        "title": source.title, "filename": source.filename, "path": None, "sha256": source.sha256,
        "bytes": source.bytes, "format": source.format, "url": source.url, "published": source.published,
    }
    if source.local_path:
        source_descriptor["path"] = f"source/{source.filename}"
    return {
        "name": disclosure.name or package_name(disclosure),
        "title": disclosure.title or package_title(disclosure),
        "version": disclosure.version,
        "created": disclosure.created or datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "standardVersion": disclosure.standard_version or standard.version,
        "licenses": disclosure.licenses or [standard.meta["default_license"]],
        "countryCode": "CN",
        "fiscalPeriod": {"start": f"{disclosure.fiscal_year}-01-01", "end": f"{disclosure.fiscal_year}-12-31"},
        "unit": {
            "name": disclosure.unit_name,
            "code": disclosure.unit_code,
            "parent": {"name": disclosure.parent_name, "code": disclosure.parent_code}
            if (disclosure.parent_name or disclosure.parent_code) else None,
        },
        "division": {"code": disclosure.division_code or "000000", "names": disclosure.division_names or ["未知"]},
        "fiscalYear": disclosure.fiscal_year,
        "stage": disclosure.stage,
        "moneyUnit": disclosure.money_unit,
        "source": source_descriptor,
        "conversion": disclosure.conversion or {"tool": f"opendata {__version__}"},
        "resources": resources,
    }


def resource_descriptor(table: Table, columns: list[str]) -> dict:
    standard = load_standard()
    spec = standard.tables[table.table_id]
    location = None
    if table.first_line or table.pages:
        location = {"firstLine": table.first_line, "lastLine": table.last_line, "pages": table.pages}
        location = {k: v for k, v in location.items() if v}
    return {
        "name": table.table_id,
        "tableId": table.table_id,
        "type": "table",
        "path": f"data/{table.table_id}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": spec.title_zh,
        "printedTitle": table.printed_title,
        "moneyUnit": table.money_unit,
        "moneyDecimals": table.money_decimals,
        "note": table.note,
        "sourceLocation": location,
        "schema": standard.resource_schema(table.table_id, columns),
    }


def write_package(disclosure: Disclosure, out_dir: str | Path, overwrite: bool = True) -> Path:
    """Write the package folder atomically; returns its path."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not overwrite:
        raise PackageError(f"{out_dir} already exists")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        (staging / "data").mkdir()
        resources = []
        for table in disclosure.tables.values():
            columns, text = table_csv(table)
            (staging / "data" / f"{table.table_id}.csv").write_text(text, encoding="utf-8")
            resources.append(resource_descriptor(table, columns))
        if disclosure.source.local_path:
            (staging / "source").mkdir()
            shutil.copyfile(disclosure.source.local_path, staging / "source" / disclosure.source.filename)
        descriptor = descriptor_for(disclosure, resources)
        (staging / DESCRIPTOR).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.chmod(staging, 0o755)
        if out_dir.exists():
            carry_over_history(out_dir, staging)
            backup = out_dir.with_name(f".{out_dir.name}.old")
            if backup.exists():
                shutil.rmtree(backup)
            out_dir.rename(backup)
            staging.rename(out_dir)
            shutil.rmtree(backup)
        else:
            staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


HISTORY = ("releases", "CHANGELOG.md")


def carry_over_history(old: Path, new: Path) -> None:
    """Rewriting a package keeps its release history (releases/, CHANGELOG.md)."""
    for name in HISTORY:
        source = old / name
        if source.is_dir():
            shutil.copytree(source, new / name, symlinks=True)
        elif source.is_file():
            shutil.copy2(source, new / name)


# -- reading ---------------------------------------------------------------

def descriptor_path(path: str | Path) -> Path:
    path = Path(path)
    if path.is_dir():
        path = path / DESCRIPTOR
    if not path.exists():
        raise PackageError(f"{path}: no such package (datapackage.json not found)")
    return path


def load_descriptor(path: str | Path) -> dict:
    path = descriptor_path(path)
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise PackageError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise PackageError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    if not isinstance(descriptor, dict):
        raise PackageError(f"{path}: the descriptor must be a JSON object")
    return descriptor


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
    if text == "":
        return None
    if field_type == "number":
        return Decimal(text)
    if field_type == "integer":
        return int(text)
    return text


def read_table(package_dir: Path, resource: dict) -> Table:
    path = safe_resource_path(package_dir, resource.get("path"))
    types = {f["name"]: f.get("type", "string") for f in resource["schema"]["fields"]}
    table = Table(
        table_id=resource.get("tableId", resource["name"]),
        printed_title=resource.get("printedTitle"), money_unit=resource.get("moneyUnit"),
        money_decimals=resource.get("moneyDecimals"), note=resource.get("note"),
    )
    location = resource.get("sourceLocation") or {}
    table.first_line, table.last_line = location.get("firstLine"), location.get("lastLine")
    table.pages = list(location.get("pages") or [])
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        table.columns = [name for name in header if name not in (*ROW_FIELDS, *SOURCE_FIELDS)]
        for record in reader:
            cells = dict(zip(header, record))
            values = {name: parse_cell(cells.get(name, ""), types.get(name, "string")) for name in table.columns}
            table.rows.append(Row(
                row_id=cells["row_id"], row_type=cells.get("row_type") or "item", values=values,
                source_line=parse_cell(cells.get("source_line", ""), "integer"),
                source_page=parse_cell(cells.get("source_page", ""), "integer"),
            ))
    return table


def read_package(path: str | Path) -> Disclosure:
    """Read a package folder (or its datapackage.json) back into the model, losslessly."""
    descriptor_file = descriptor_path(path)
    package_dir = descriptor_file.parent
    d = load_descriptor(descriptor_file)
    try:
        source = d["source"]
        unit = d["unit"]
        parent = unit.get("parent") or {}
        local = None
        if source.get("path"):
            local_path = safe_resource_path(package_dir, source["path"])
            local = str(local_path) if local_path.exists() else None
        disclosure = Disclosure(
            unit_name=unit["name"], unit_code=unit.get("code"),
            parent_name=parent.get("name"), parent_code=parent.get("code"),
            fiscal_year=d["fiscalYear"], stage=d["stage"],
            division_code=d["division"]["code"], division_names=list(d["division"]["names"]),
            money_unit=d["moneyUnit"], title=d["title"], name=d["name"], version=d["version"],
            created=d["created"], standard_version=d["standardVersion"], licenses=d["licenses"],
            conversion=d.get("conversion") or {},
            source=SourceDocument(
                filename=source["filename"], sha256=source["sha256"], bytes=source.get("bytes", 0),
                format=source.get("format", ""), title=source.get("title"), url=source.get("url"),
                published=source.get("published"), local_path=local,
            ),
        )
        for resource in d["resources"]:
            table = read_table(package_dir, resource)
            disclosure.tables[table.table_id] = table
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
