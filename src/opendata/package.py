"""Model <-> Frictionless data package on disk.

A package is a folder: datapackage.json, data/<table_id>.csv (UTF-8, exact decimals,
one row per printed row, keyed by row_id) and, where kept, source/<document>.
Writing goes to a staging folder beside the target that is renamed into place, so a failed
write leaves no half-written package; an existing folder that is not a package of ours is
never overwritten (see "output folders" below: every command writing a folder uses it).
Reading a package back lives in package_reader.py; its names are re-exported here, so
`opendata.package` stays the one place to import from.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from .model import Disclosure, Row, Table
from .money import format_amount
from .standard import SOURCE_FIELDS, load_standard
from .version import __version__

# the reading side, re-exported: opendata.package is the API
from .package_reader import (  # noqa: F401
    CsvEncodingError,
    CsvTable,
    DESCRIPTOR,
    MAX_JSON_DEPTH,
    Package,
    PackageError,
    csv_text,
    decode_csv,
    descriptor_path,
    find_packages,
    json_depth,
    load_descriptor,
    parse_cell,
    parse_csv,
    parse_json_object,
    read_package,
    read_table,
    resource_key, resource_table_id, safe_resource_path, table_from_csv,
)


# -- names -----------------------------------------------------------------

def package_name(disclosure: Disclosure) -> str:
    """Stable ASCII name: division, unit code (or a hash of the unit name), year, stage. A unit
    whose name was not found is named by a hash of the source document ("src" + the first 8
    hex digits of its sha256), a missing year or stage by "unknown"."""
    if disclosure.unit_code:
        unit = disclosure.unit_code
    elif disclosure.unit_name:
        unit = "u" + hashlib.sha1(disclosure.unit_name.encode("utf-8")).hexdigest()[:8]
    else:
        unit = "src" + (disclosure.source.sha256 or hashlib.sha1(disclosure.source.filename.encode("utf-8")).hexdigest())[:8]
    division = disclosure.division_code or "000000"
    stage = disclosure.stage.replace("_", "-") if disclosure.stage else "unknown"
    year = disclosure.fiscal_year if disclosure.fiscal_year is not None else "unknown"
    return f"{division}-{unit}-{year}-{stage}".lower()


def package_title(disclosure: Disclosure) -> str:
    """The package's title: unit name, fiscal year and the stage's Chinese title
    (schema/codelists/stages.csv: `unit_title_zh` for a unit's disclosure, level "unit"), e.g.
    北京市东城区某单位2024年部门预算 or 上海市某医院2024年单位预算; what was not found reads
    单位名称未知 / 年度未知 / 阶段未知. StopIteration for a stage the standard does not know."""
    stage = "阶段未知"
    if disclosure.stage:
        row = next(row for row in load_standard().codelists["stages"].rows if row["code"] == disclosure.stage)
        stage = row["unit_title_zh"] if disclosure.level == "unit" and row.get("unit_title_zh") else row["title_zh"]
    year = f"{disclosure.fiscal_year}年" if disclosure.fiscal_year is not None else "年度未知"
    return f"{disclosure.unit_name or '单位名称未知'}{year}{stage}"


# -- writing ---------------------------------------------------------------

def cell_text(value) -> str:
    """A model value as CSV text: None -> "", a Decimal amount in 元 as a plain decimal
    (money.format_amount: no exponent, no separators), anything else str()."""
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
    """The datapackage.json of a disclosure (dict, in the standard's key order): metadata, source
    document (path source/<filename> when the document is kept), conversion record and the
    given `resources` (see resource_descriptor). Shape: schema/datapackage.schema.json."""
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
        "fiscalPeriod": {"start": f"{disclosure.fiscal_year}-01-01", "end": f"{disclosure.fiscal_year}-12-31"}
        if disclosure.fiscal_year is not None else None,
        "unit": {
            "name": disclosure.unit_name,
            "code": disclosure.unit_code,
            "parent": {"name": disclosure.parent_name, "code": disclosure.parent_code}
            if (disclosure.parent_name or disclosure.parent_code) else None,
        },
        "division": {"code": disclosure.division_code or "000000", "names": disclosure.division_names or ["未知"]},
        "governmentLevel": disclosure.government_level, "level": disclosure.level, "consolidated": disclosure.consolidated,
        "fiscalYear": disclosure.fiscal_year,
        "stage": disclosure.stage,
        "moneyUnit": disclosure.money_unit,
        **({"metadataSources": disclosure.metadata_sources} if disclosure.metadata_sources else {}),
        "source": source_descriptor,
        "conversion": disclosure.conversion or {"tool": f"opendata {__version__}"},
        "resources": resources,
    }


def resource_descriptor(table: Table, columns: list[str]) -> dict:
    """The descriptor resource of one table written with `columns`: name/tableId, path
    data/<table_id>.csv, printed title, money unit and decimals, source location, and the table
    schema of those columns from the standard (schema/tables/<table_id>.json). KeyError for a
    table id the standard does not know."""
    standard = load_standard()
    spec = standard.tables[table.table_id]
    location = None
    if table.first_line or table.pages:
        location = {"firstLine": table.first_line, "lastLine": table.last_line, "pages": table.pages}
        location = {k: v for k, v in location.items() if v}
    return {
        "name": table.key,
        "tableId": table.table_id,
        "type": "table",
        "path": f"data/{table.key}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": spec.title_zh if not table.name else f"{spec.title_zh}：{table.printed_title or table.name}",
        "printedTitle": table.printed_title,
        "moneyUnit": table.money_unit,
        "moneyDecimals": table.money_decimals,
        "note": table.note,
        "sourceLocation": location,
        "schema": standard.resource_schema(table.table_id, columns),
    }


def write_package(disclosure: Disclosure, out_dir: str | Path, overwrite: bool = True) -> Path:
    """Write the package folder atomically; returns its path.

    `out_dir` goes through `prepare_output`: a missing or empty folder is written, an earlier
    package of ours is replaced (keeping its releases/ and CHANGELOG.md) when `overwrite`, and
    anything else is refused with OutputRefused before anything is written."""
    out_dir = Path(out_dir)
    with output_folder(out_dir, allow_replace_package=overwrite) as staging:
        (staging / "data").mkdir()
        resources = []
        for table in disclosure.tables.values():
            columns, text = table_csv(table)
            (staging / "data" / f"{table.key}.csv").write_text(text, encoding="utf-8")
            resources.append(resource_descriptor(table, columns))
        if disclosure.source.local_path:
            (staging / "source").mkdir()
            shutil.copyfile(disclosure.source.local_path, staging / "source" / disclosure.source.filename)
        descriptor = descriptor_for(disclosure, resources)
        (staging / DESCRIPTOR).write_bytes(descriptor_bytes(descriptor))
    return out_dir


def descriptor_bytes(descriptor: dict) -> bytes:
    """The bytes of datapackage.json for `descriptor`: UTF-8 JSON, non-ASCII kept, indent 2,
    a final newline (how every writer of descriptors formats them)."""
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


HISTORY = ("releases", "CHANGELOG.md")


def carry_over_history(old: Path, new: Path) -> None:
    """Rewriting a package keeps its release history (releases/, CHANGELOG.md)."""
    for name in HISTORY:
        source = old / name
        if (new / name).exists():
            continue
        if source.is_dir():
            shutil.copytree(source, new / name, symlinks=True)
        elif source.is_file():
            shutil.copy2(source, new / name)


# -- output folders ---------------------------------------------------------
#
# Every command that writes a package folder (convert, checkout, upgrade, pull) goes through
# `prepare_output` / `commit_output` (or `output_folder`, which is both): the new folder is
# built in a staging folder beside the target, synced, and renamed into place; the old copy
# is removed only once the new one is in place. An existing folder that is not ours is refused
# before anything is written.

PACKAGE_LAYOUT = frozenset({DESCRIPTOR, "data", "source", *HISTORY})
_STAGING, _OLD = "staging", "old"


class OutputRefused(PackageError):
    """An output folder that must not be written: it holds files that are not ours, it is
    (or contains) the current folder, or it is a file."""


def _marker(target: Path, kind: str) -> str:
    return f".{target.name}.{kind}-"


def _listing(names: list[str], limit: int = 5) -> str:
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def package_written_by_us(folder: str | Path) -> str | None:
    """None when `folder` is a package folder that opendata wrote (a readable descriptor whose
    `conversion.tool` is opendata, nothing at the top but datapackage.json, data/, source/,
    releases/ and CHANGELOG.md, and nothing in data/ or source/ that the descriptor does not
    list); otherwise the reason it is not, as text."""
    folder = Path(folder)
    names = sorted(p.name for p in folder.iterdir())
    if DESCRIPTOR not in names:
        return f"is not a data package (it holds {_listing(names)})"
    try:
        descriptor = load_descriptor(folder)
    except PackageError as exc:
        return f"its datapackage.json cannot be read as a package of opendata ({exc})"
    tool = (descriptor.get("conversion") or {}).get("tool") if isinstance(descriptor.get("conversion"), dict) else None
    if not (isinstance(tool, str) and tool.startswith("opendata")):
        return "its datapackage.json was not written by opendata (no conversion.tool \"opendata …\")"
    foreign = [name for name in names if name not in PACKAGE_LAYOUT]
    if foreign:
        return f"it holds files that are not part of the package: {_listing(foreign)}"
    unlisted = _unlisted_files(folder, descriptor)
    if unlisted:
        return f"it holds files that are not part of the package: {_listing(unlisted)}"
    return None


def _unlisted_files(folder: Path, descriptor: dict) -> list[str]:
    """Files (and links, and empty folders) under data/ and source/ that the descriptor does
    not list as a resource or as the source document: a user's own files, which replacing
    the package would delete."""
    listed = {r.get("path") for r in descriptor.get("resources") or [] if isinstance(r, dict)}
    source = descriptor.get("source")
    if isinstance(source, dict):
        listed.add(source.get("path"))
    found = []
    for top in ("data", "source"):
        base = folder / top
        if base.is_symlink() or (base.exists() and not base.is_dir()):
            found.append(top)
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            here = Path(dirpath)
            for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
                relative = (here / name).relative_to(folder).as_posix()
                if relative not in listed:
                    found.append(relative)
            if not dirnames and not filenames and here != base:
                found.append(here.relative_to(folder).as_posix() + "/")
    return sorted(found)


def check_output(target: str | Path, *, allow_replace_package: bool = True, copy_existing: bool = False) -> None:
    """Raise OutputRefused (or PackageError) when `prepare_output` would refuse `target`;
    writes nothing. Lets a command check all its outputs before writing any."""
    target = Path(os.path.realpath(target))
    try:
        cwd = Path.cwd().resolve()
    except FileNotFoundError:  # the current folder was deleted: nothing to protect
        cwd = None
    if not target.name:
        raise OutputRefused(f"{target}: cannot write a package over the root folder; give a new folder name")
    existing = next((parent for parent in target.parents if parent.exists()), None)
    if existing is not None and not existing.is_dir():
        raise OutputRefused(f"{existing}: is a file, not a folder, so {target} cannot be written there; nothing written")
    if cwd is not None and (target == cwd or target in cwd.parents):
        raise OutputRefused(f"{target}: is the current folder or contains it, so it cannot be replaced; " + (
            "run the command from outside it (e.g. `cd ..`)" if copy_existing
            else "give a new folder name (e.g. a subfolder named after the package)"))
    interrupted = sorted(target.parent.glob(f"{glob_escape(_marker(target, _OLD))}*")) if target.parent.is_dir() else []
    if interrupted and not target.exists():
        raise OutputRefused(f"{target}: an earlier replacement was interrupted; the previous copy is in "
                            f"{interrupted[0]} (move it back to {target.name}, or delete it, then run again)")
    if not target.exists():
        if copy_existing:
            raise PackageError(f"{target}: no such package (datapackage.json not found)")
        return
    if not target.is_dir():
        raise OutputRefused(f"{target}: exists and is not a folder; nothing written")
    if not copy_existing and not any(target.iterdir()):
        return
    if copy_existing:
        descriptor_path(target)
        return
    reason = package_written_by_us(target)
    if reason:
        raise OutputRefused(f"{target}: exists, is not an empty folder, and {reason}; nothing written "
                            "(give a new or empty folder, or move these files away)")
    if not allow_replace_package:
        raise OutputRefused(f"{target}: exists and is not an empty folder (a package is there); nothing written "
                            "(give a new or empty folder)")


def glob_escape(text: str) -> str:
    """`text` with glob's special characters escaped (for Path.glob)."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def prepare_output(target: str | Path, *, allow_replace_package: bool = True, copy_existing: bool = False) -> Path:
    """Check the output folder `target` and return a new, empty staging folder beside it.

    Accepted targets: a folder that does not exist, an empty folder, and (when
    `allow_replace_package`) a package folder opendata wrote (see `package_written_by_us`).
    Refused with OutputRefused, before anything is written: a file, a folder holding anything
    else, the current folder or one of its parents, the root folder. With `copy_existing`,
    `target` must be an existing package (any) and the staging folder starts as a full copy
    of it (for rewriting a package in place, e.g. `upgrade`).

    Write the new folder into the staging folder, then call `commit_output(staging, target)`
    (or `discard_output(staging)` on failure); `output_folder` does both."""
    target = Path(os.path.realpath(target))
    check_output(target, allow_replace_package=allow_replace_package, copy_existing=copy_existing)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_marker(target, _STAGING), dir=target.parent))
    except OSError as exc:
        raise OutputRefused(f"{target}: cannot create a folder beside it ({exc.strerror or exc})") from exc
    try:
        if copy_existing:
            shutil.copytree(target, staging, symlinks=True, dirs_exist_ok=True)
            os.chmod(staging, target.stat().st_mode & 0o7777)
        else:
            os.chmod(staging, 0o755)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _fsync_tree(folder: Path) -> None:
    for dirpath, _dirnames, filenames in os.walk(folder):
        for filename in filenames:
            path = Path(dirpath) / filename
            if path.is_symlink():
                continue
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        fsync_dir(Path(dirpath))


def write_temp_beside(path: Path, data: bytes, mode: int) -> Path:
    """`data` written and synced to a new temporary dot-file beside `path` (`.NAME.XXXX`, file
    mode `mode`); returns it. Nothing is left behind when writing fails. Used by `write_atomic`
    and by writers that give the file its final name themselves (a release archive is linked)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def write_atomic(path: str | Path, data: bytes, mode: int | None = None) -> None:
    """The one atomic writer of single files: replace the file `path` by `data` (bytes).

    Written and synced to a temporary file beside it (`write_temp_beside`), renamed over it,
    and the folder synced: readers see the old or the new bytes, never a mix, and a failure
    leaves the old file and no temporary file. `mode` defaults to the old file's (0644 for a
    new file). Raises OSError (e.g. a missing or read-only folder). Folders are written with
    `output_folder` instead."""
    path = Path(path)
    if mode is None:
        mode = (path.stat().st_mode & 0o777) if path.exists() else 0o644
    tmp = None
    try:
        tmp = write_temp_beside(path, data, mode)
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None and tmp.exists():
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Sync a folder's entries (new and renamed names) to disk, where the file system can."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder
    finally:
        os.close(fd)


def commit_output(staging: str | Path, target: str | Path, *, keep_history: bool = True) -> Path:
    """Put the folder built in `staging` (from `prepare_output`) in place of `target`; returns
    `target`. The staging folder is synced first; when `target` is a package, its releases/ and
    CHANGELOG.md are copied over unless `keep_history` is false or the staging folder has its
    own. The old folder is renamed aside, the new one renamed in, and only then is the old one
    removed; if the second rename fails, the old folder is put back."""
    staging, target = Path(staging), Path(os.path.realpath(target))
    try:
        if keep_history and (target / DESCRIPTOR).is_file():
            carry_over_history(target, staging)
        _fsync_tree(staging)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=_marker(target, _OLD), dir=target.parent))
            os.rmdir(old)
            target.rename(old)
            try:
                staging.rename(target)
            except BaseException:
                old.rename(target)
                raise
            fsync_dir(target.parent)
            shutil.rmtree(old)
        else:
            staging.rename(target)
        fsync_dir(target.parent)
    except BaseException:
        discard_output(staging)
        raise
    return target


def discard_output(staging: str | Path) -> None:
    """Remove a staging folder from `prepare_output` (after a failure); the target is untouched."""
    shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def output_folder(target: str | Path, *, allow_replace_package: bool = True, copy_existing: bool = False,
                  keep_history: bool = True) -> Iterator[Path]:
    """`prepare_output`, then yield the staging folder to write into; on success
    `commit_output`, on any exception `discard_output` (the target stays as it was)."""
    staging = prepare_output(target, allow_replace_package=allow_replace_package, copy_existing=copy_existing)
    try:
        yield staging
    except BaseException:
        discard_output(staging)
        raise
    commit_output(staging, target, keep_history=keep_history)
