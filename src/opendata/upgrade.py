"""Moving a package to a newer version of the standard: `opendata upgrade PATH [--to VERSION]`.

The standard says how its versions differ in two files beside standard.json:

    schema/versions.csv     version, date, kind (initial/major/minor/patch), summary_zh, summary_en
    schema/migrations.csv   from_version, to_version, kind, table, field, old, new, note

A version with no row in migrations.csv only adds: upgrading to it only sets `standardVersion`.
A version that renames, removes or reshapes things (any new MAJOR version; 0.2.0, whose 三公 table,
main amounts and lines are restated) has each change as a row of migrations.csv (`kind`):

    rename_table    old -> new            table id, resource name and data/<old>.csv
    rename_field    old -> new            a dimension column (in `table`, or every table when empty)
    rename_measure  old -> new            a money column (same, for measures)
    drop_field      field                 a column that is gone
    map_code        field: old -> new     a code in the values of column `field`
    note            —                     a major version with nothing to change in packages
    restate         new: a converter step     the package read as the model, the step run on it
                                              (restate.py: three_public.reshape, main_amount.year_as_total,
                                              lines.assign_lines), written again

A migration applies to a package when its `to_version` is newer than the package's
standard version and not newer than the target. Going to another major version needs at
least one row whose `to_version` has that major (else the upgrade is refused: nobody has
said how). Downgrades are refused. The package is rewritten in a staging copy that replaces
it in one rename; its releases/ and CHANGELOG.md are kept. The result lists every change,
and `opendata diff <last release> PATH` shows them cell by cell; `opendata release PATH`
then records the package's new MAJOR (or MINOR) version.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from .package import (
    DESCRIPTOR, CsvTable, Package, PackageError, descriptor_bytes, output_folder, parse_csv, safe_resource_path,
    write_atomic,
)
from .standard import Standard, load_standard, read_csv
from .versions import VersionError, parse_version

MIGRATIONS = "migrations.csv"
VERSIONS = "versions.csv"
KINDS = ("rename_table", "rename_field", "rename_measure", "drop_field", "map_code", "note", "restate")
VERSION_KINDS = ("initial", "major", "minor", "patch")


class UpgradeRefused(VersionError):
    """An upgrade that must not be made: a downgrade, or no known way to the target (CLI exit 1)."""


# -- the standard's history ---------------------------------------------------------

@dataclass(frozen=True)
class StandardVersion:
    """One released version of the standard, a row of schema/versions.csv: version (semver),
    release date, kind (initial/major/minor/patch) and a summary in Chinese and English."""
    version: str
    date: str
    kind: str
    summary_zh: str
    summary_en: str


def standard_versions(standard: Standard | None = None) -> list[StandardVersion]:
    """The released versions of the standard (schema/versions.csv), oldest first."""
    standard = standard or load_standard()
    path = standard.root / VERSIONS
    if not path.exists():
        return [StandardVersion(standard.version, "", "initial", "", "")]
    rows = [StandardVersion(r["version"], r["date"], r["kind"], r.get("summary_zh", ""), r.get("summary_en", ""))
            for r in read_csv(path)]
    return sorted(rows, key=lambda v: parse_version(v.version))


def version_kind(previous: str | None, version: str) -> str:
    """What kind of step `version` is after `previous`: initial, major, minor or patch."""
    if previous is None:
        return "initial"
    p, v = parse_version(previous), parse_version(version)
    if v <= p:
        raise VersionError(f"{version} does not follow {previous}")
    return "major" if v[0] != p[0] else "minor" if v[1] != p[1] else "patch"


# -- migrations ---------------------------------------------------------------------

@dataclass(frozen=True)
class Migration:
    """One step of a migration between two versions of the standard, a row of
    schema/migrations.csv: `kind` (rename_table, rename_field, map_code …) with the table and field it
    applies to ("" or "*": every table), the old and new name or code, and a note."""
    from_version: str
    to_version: str
    kind: str
    table: str = ""
    field: str = ""
    old: str = ""
    new: str = ""
    note: str = ""

    def applies_to(self, table_id: str) -> bool:
        """True when this step applies to the table `table_id`."""
        return self.table in ("", "*", table_id)


REQUIRED_ARGS = {
    "rename_table": ("old", "new"), "rename_field": ("old", "new"), "rename_measure": ("old", "new"),
    "drop_field": ("field",), "map_code": ("field", "old", "new"), "note": (), "restate": ("new",),
}


def read_migrations(path: str | Path) -> list[Migration]:
    """The migrations of a migrations.csv, checked: known kinds, versions, their arguments."""
    path = Path(path)
    if not path.exists():
        return []
    out = []
    for n, row in enumerate(read_csv(path), start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        migration = Migration(**{k: row.get(k, "") for k in Migration.__dataclass_fields__})
        where = f"{path}:{n}"
        if migration.kind not in KINDS:
            raise VersionError(f"{where}: unknown migration kind {migration.kind!r} (one of {', '.join(KINDS)})")
        if parse_version(migration.to_version) <= parse_version(migration.from_version):
            raise VersionError(f"{where}: to_version {migration.to_version} must be newer than from_version {migration.from_version}")
        missing = [arg for arg in REQUIRED_ARGS[migration.kind] if not getattr(migration, arg)]
        if missing:
            raise VersionError(f"{where}: {migration.kind} needs {', '.join(missing)}")
        out.append(migration)
    return out


def plan(migrations: list[Migration], declared: str, target: str) -> list[Migration]:
    """The migrations taking a package from standard `declared` to `target`, in order.
    Refused when a major version in between has no migration row."""
    d, t = parse_version(declared), parse_version(target)
    steps = [m for m in migrations if d < parse_version(m.to_version) <= t]
    for major in range(d[0] + 1, t[0] + 1):
        if not any(parse_version(m.to_version)[0] == major for m in steps):
            raise UpgradeRefused(f"no migration to major version {major} of the standard is known "
                                 f"(none in {MIGRATIONS} with to_version {major}.x.x); cannot upgrade {declared} → {target}")
    order = {id(m): i for i, m in enumerate(steps)}
    return sorted(steps, key=lambda m: (parse_version(m.to_version), order[id(m)]))


# -- the upgrade ----------------------------------------------------------------------

@dataclass
class _Csv:
    """A table CSV being edited by migrations: copies of the header and records that
    `Package.csv` read (the one CSV reader), and whether a migration changed them."""
    header: list[str]
    rows: list[list[str]]
    dirty: bool = False

    @classmethod
    def of(cls, data: CsvTable) -> "_Csv":
        return cls(list(data.header), [list(record) for record in data.records])

    def text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buffer.getvalue()


@dataclass
class Upgrade:
    """What `upgrade` did (or, with dry_run, would do)."""
    path: str
    name: str | None
    old: str
    new: str
    changes: list[dict] = field(default_factory=list)
    written: bool = False

    def __bool__(self) -> bool:
        return self.old != self.new

    def to_dict(self) -> dict:
        """The upgrade as JSON-ready dict: path, name, from/to standard version, changes, written."""
        return {"path": self.path, "name": self.name, "from": self.old, "to": self.new,
                "changes": self.changes, "written": self.written}

    def to_text(self) -> str:
        """The upgrade as lines of text for the terminal: what was (or would be) changed."""
        if not self:
            return f"{self.name}: already at standard {self.new}; nothing to do\n"
        verb = "upgraded" if self.written else "would upgrade (dry run)"
        lines = [f"{self.name}: {verb} standard {self.old} → {self.new}"]
        for c in self.changes:
            lines.append("  - " + change_text(c))
        return "\n".join(lines) + "\n"


def change_text(c: dict) -> str:
    """One change of an upgrade (a dict with kind, table, old, new …) as a line of text."""
    kind = c["kind"]
    where = f"table {c['table']}: " if c.get("table") else ""
    if kind == "standardVersion":
        return f"standardVersion {c['old']} → {c['new']}"
    if kind == "rename_table":
        return f"table {c['old']} renamed {c['new']} (data/{c['old']}.csv → data/{c['new']}.csv)"
    if kind in ("rename_field", "rename_measure"):
        return f"{where}column {c['old']} renamed {c['new']}"
    if kind == "drop_field":
        return f"{where}column {c['field']} dropped ({c['cells']} non-empty cell(s))"
    if kind == "map_code":
        return f"{where}{c['field']} code {c['old']} → {c['new']} in {c['cells']} cell(s)"
    if kind == "restate":
        tables = ", ".join(c["tables"]) or "no table"
        return f"restated by converter step {c['step']}: {tables} changed" + "".join(f"\n      warning: {w}" for w in c["warnings"])
    if kind == "schema":
        return f"{where}table schema rewritten from standard {c['version']}"
    return f"{kind}: {c.get('note') or ''}".rstrip(": ")


def upgrade(path: str | Path, to: str | None = None, migrations: str | Path | list[Migration] | None = None,
            dry_run: bool = False) -> Upgrade:
    """Move the package at `path` to standard version `to` (default: the standard this
    toolkit loads). `migrations` is a migrations.csv or a list (default: the standard's)."""
    standard = load_standard()
    package = Package.open(path)
    package_dir = package.folder
    descriptor = package.descriptor  # edited in place: this Package is ours alone
    declared = descriptor.get("standardVersion")
    target = to or standard.version
    try:
        parse_version(declared)
    except VersionError as exc:
        raise VersionError(f"{package_dir}: standardVersion {declared!r} is not a version MAJOR.MINOR.PATCH") from exc
    if parse_version(target) > parse_version(standard.version):
        raise UpgradeRefused(f"this toolkit knows the standard up to {standard.version}; it cannot upgrade to {target}")
    if parse_version(target) < parse_version(declared):
        raise UpgradeRefused(f"{package_dir}: the package conforms to standard {declared}; "
                             f"going back to {target} is a downgrade, which is refused")
    result = Upgrade(str(package_dir), descriptor.get("name"), declared, target)
    if declared == target:
        return result
    if migrations is None:
        migrations = standard.root / MIGRATIONS
    steps = plan(read_migrations(migrations) if not isinstance(migrations, list) else migrations, declared, target)

    resources = [r for r in descriptor.get("resources") or [] if isinstance(r, dict)]
    tables: dict[int, _Csv] = {}
    original_paths = {id(r): r.get("path") for r in resources}

    def table(resource: dict) -> _Csv:  # read when a migration needs it
        if id(resource) not in tables:
            relative = original_paths[id(resource)]
            try:
                tables[id(resource)] = _Csv.of(parse_csv(package.read_bytes(relative), package_dir / str(relative)))
            except PackageError as exc:  # unreadable, not UTF-8, a BOM, not CSV: named with file and line
                raise VersionError(f"cannot upgrade: {exc}") from exc
        return tables[id(resource)]

    renamed_files: dict[str, str] = {}  # old relative path -> new
    touched: set[int] = set()
    result.changes.append({"kind": "standardVersion", "old": declared, "new": target})
    restates = [m for m in steps if m.kind == "restate"]
    for m in steps:
        if m.kind == "restate":
            continue
        if m.kind == "note":
            result.changes.append({"kind": "note", "to_version": m.to_version, "note": m.note})
            continue
        if m.kind == "rename_table":
            _rename_table(m, resources, renamed_files, touched, result)
            continue
        for resource in resources:
            table_id = str(resource.get("tableId") or resource.get("name"))
            if not m.applies_to(table_id):
                continue
            data = table(resource)
            change = _apply_column(m, table_id, data, resource)
            if change:
                touched.add(id(resource))
                result.changes.append({**change, "to_version": m.to_version})

    if target == standard.version:  # touched tables get the target standard's field descriptors
        for resource in resources:
            table_id = str(resource.get("tableId") or resource.get("name"))
            if id(resource) in touched and table_id in standard.tables:
                _refresh_schema(standard, table_id, resource, table(resource))
    descriptor["standardVersion"] = target
    restated = (lambda folder: _restate(folder, restates, target, result, write=True)) if restates else None
    if not dry_run:
        changed = [(r, tables[id(r)]) for r in resources if id(r) in tables and tables[id(r)].dirty]
        if changed or renamed_files or restated:
            _write(package_dir, descriptor, changed, renamed_files, restated)
        else:  # only the descriptor changes: replace it atomically
            write_atomic(package_dir / DESCRIPTOR, descriptor_bytes(descriptor))
        result.written = True
    elif restates:
        _restate(package_dir, restates, target, result, write=False)
    return result


def _restate(folder: Path, steps: list[Migration], target: str, result: Upgrade, write: bool) -> None:
    """The `restate` steps (restate.py) on the package in `folder` read as the model; its tables and
    descriptor written again in `folder` when `write` (the staging copy of `_write`)."""
    from .restate import restate, write_tables
    disclosure = Package.open(folder).disclosure()
    for m in steps:
        try:
            tables, warnings = restate(disclosure, m.new, str(result.name))
        except ValueError as exc:
            raise VersionError(f"cannot upgrade: {exc}") from exc
        result.changes.append({"kind": "restate", "step": m.new, "tables": tables, "warnings": warnings,
                               "to_version": m.to_version})
    disclosure.standard_version = target
    if write:
        write_tables(folder, disclosure)


def _rename_table(m: Migration, resources: list[dict], renamed_files: dict, touched: set, result: Upgrade) -> None:
    ids = {str(r.get("tableId") or r.get("name")) for r in resources}
    for resource in resources:
        if str(resource.get("tableId") or resource.get("name")) != m.old:
            continue
        if m.new in ids:
            raise VersionError(f"cannot rename table {m.old} to {m.new}: the package has both")
        resource["name"] = m.new
        if "tableId" in resource:
            resource["tableId"] = m.new
        old_path = resource.get("path")
        if old_path == f"data/{m.old}.csv":
            resource["path"] = f"data/{m.new}.csv"
            renamed_files[old_path] = resource["path"]
        touched.add(id(resource))
        result.changes.append({"kind": "rename_table", "old": m.old, "new": m.new, "to_version": m.to_version})


def _apply_column(m: Migration, table_id: str, data: _Csv, resource: dict) -> dict | None:
    fields = (resource.get("schema") or {}).get("fields") or []
    if m.kind in ("rename_field", "rename_measure"):
        if m.old not in data.header:
            return None
        if m.new in data.header:
            raise VersionError(f"table {table_id}: cannot rename column {m.old} to {m.new}: the table has both")
        data.header[data.header.index(m.old)] = m.new
        for f in fields:
            if isinstance(f, dict) and f.get("name") == m.old:
                f["name"] = m.new
        data.dirty = True
        return {"kind": m.kind, "table": table_id, "old": m.old, "new": m.new}
    if m.kind == "drop_field":
        if m.field not in data.header:
            return None
        i = data.header.index(m.field)
        cells = sum(1 for row in data.rows if i < len(row) and row[i] != "")
        data.header.pop(i)
        for row in data.rows:
            if i < len(row):
                row.pop(i)
        resource["schema"]["fields"] = [f for f in fields if not (isinstance(f, dict) and f.get("name") == m.field)]
        data.dirty = True
        return {"kind": m.kind, "table": table_id, "field": m.field, "cells": cells}
    if m.kind == "map_code":
        if m.field not in data.header:
            return None
        i = data.header.index(m.field)
        cells = 0
        for row in data.rows:
            if i < len(row) and row[i] == m.old:
                row[i] = m.new
                cells += 1
        if not cells:
            return None
        data.dirty = True
        return {"kind": m.kind, "table": table_id, "field": m.field, "old": m.old, "new": m.new, "cells": cells}
    raise ValueError(m.kind)


def _refresh_schema(standard: Standard, table_id: str, resource: dict, data: _Csv) -> None:
    """The fields of a changed table as the target standard describes them, in the file's column order."""
    allowed = set(standard.table_field_names(table_id))
    old = {f.get("name"): f for f in (resource.get("schema") or {}).get("fields") or [] if isinstance(f, dict)}
    resource.setdefault("schema", {})["fields"] = [
        standard.field_descriptor(table_id, name) if name in allowed else old.get(name, {"name": name, "type": "string"})
        for name in data.header
    ]
    resource["title"] = standard.tables[table_id].title_zh


def _write(package_dir: Path, descriptor: dict, changed: list[tuple[dict, _Csv]], renamed_files: dict[str, str],
           then=None) -> None:
    """Rewrite the package in a staging copy beside it (and `then(staging)`: the restate steps), then swap the
    copy in (`opendata.package.output_folder`: synced, renamed in, old copy removed last)."""
    with output_folder(package_dir, copy_existing=True) as staging:
        for old, new in renamed_files.items():
            os.replace(staging / old, staging / new)
        for resource, data in changed:
            safe_resource_path(staging, resource["path"]).write_text(data.text(), encoding="utf-8")
        (staging / DESCRIPTOR).write_bytes(descriptor_bytes(descriptor))
        if then is not None:
            then(staging)
