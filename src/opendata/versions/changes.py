"""The cell-level diff of two package versions, keyed by table id and row_id, and what it
asks of the version number (`Diff.bump`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

from ..package import DESCRIPTOR, CsvTable, parse_csv, resource_key
from .checkout import open_snapshot
from .errors import VersionError
from .render import render_markdown, render_text
from .semver import BUMPS, standard_bump
from .snapshot import Snapshot, SnapshotLike, sha256_hex

# Bookkeeping that `release` itself writes: never a change.
IGNORED_METADATA = ("version", "created")
_MISSING = object()


# -- tables ---------------------------------------------------------------------

@dataclass
class _TableRows:
    """One table of a snapshot: its CSV (`csv`: header and records as strings), the field
    types of its schema, and its records by row_id in file order."""
    table_id: str
    csv: CsvTable
    types: dict[str, str]
    rows: dict[str, list[str]]

    @property
    def columns(self) -> list[str]:
        """The column names of the header, in file order."""
        return self.csv.header

    @property
    def index(self) -> dict[str, int]:
        """Column name -> position in the header."""
        return self.csv.index


def read_tables(snapshot: Snapshot) -> tuple[dict[str, _TableRows], dict[str, str]]:
    """The tables of a snapshot by resource key (`resource_key`: the table id, unlisted_table_N for a table outside the catalog), and the resource path of each. The CSVs are read
    by the one reader (`opendata.package.parse_csv`; a byte order mark is tolerated, as
    spreadsheets write one). VersionError naming the snapshot and table when a table's file is
    missing, has no row_id column or repeats a row_id; CsvEncodingError (a PackageError)
    naming the file and line for bytes that are not UTF-8."""
    tables: dict[str, _TableRows] = {}
    paths: dict[str, str] = {}
    for resource in snapshot.package.resources:
        table_id = resource_key(resource)   # unlisted_table_1, unlisted_table_2 … compared apart
        rel = PurePosixPath(str(resource.get("path") or "")).as_posix()
        if rel not in snapshot.files:
            raise VersionError(f"{snapshot.label}: table {table_id}: {rel} is not in the package")
        fields = (resource.get("schema") or {}).get("fields") or []
        types = {f.get("name"): f.get("type", "string") for f in fields if isinstance(f, dict)}
        data = parse_csv(snapshot.files[rel], f"{snapshot.label}: {rel}", bom="strip")
        if "row_id" not in data.header:
            raise VersionError(f"{snapshot.label}: table {table_id} has no row_id column; rows cannot be compared")
        key = data.index["row_id"]
        rows: dict[str, list[str]] = {}
        for cells in data.records:
            if not cells:
                continue
            row_id = cells[key] if key < len(cells) else ""
            if row_id in rows:
                raise VersionError(f"{snapshot.label}: table {table_id}: row_id {row_id!r} appears twice "
                                   "(row ids must be unique; see `opendata validate`)")
            rows[row_id] = cells
        tables[table_id] = _TableRows(table_id, data, types, rows)
        paths[table_id] = rel
    return tables, paths


def content_summary(snapshot: Snapshot) -> dict:
    """{"tables": number of tables, "rows": number of rows in them} (a first release's summary)."""
    tables, _ = read_tables(snapshot)
    return {"tables": len(tables), "rows": sum(len(t.rows) for t in tables.values())}


def _same(old: str | None, new: str | None, kind: str) -> bool:
    if old == new or (not old and not new):
        return True
    if kind in ("number", "integer") and old and new:
        try:
            return Decimal(old) == Decimal(new)
        except InvalidOperation:
            return False
    return False


# -- metadata -------------------------------------------------------------------

def _walk(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _walk(f"{prefix}/{key}", item, out)
    else:
        out[prefix] = value


def _metadata(descriptor: dict) -> dict[str, Any]:
    """The descriptor as leaf paths. Resources are keyed by table id and fields by name,
    never by position, so reordering them is no change."""
    out: dict[str, Any] = {}
    for key, value in descriptor.items():
        if key in IGNORED_METADATA:
            continue
        if key != "resources" or not isinstance(value, list):
            _walk(key, value, out)
            continue
        for resource in value:
            if not isinstance(resource, dict):
                continue
            base = f"resources/{resource_key(resource)}"
            for rkey, rvalue in resource.items():
                if rkey == "schema" and isinstance(rvalue, dict):
                    for skey, svalue in rvalue.items():
                        if skey == "fields" and isinstance(svalue, list):
                            for f in svalue:
                                if isinstance(f, dict):
                                    out[f"{base}/schema/fields/{f.get('name')}"] = f
                        else:
                            _walk(f"{base}/schema/{skey}", svalue, out)
                else:
                    _walk(f"{base}/{rkey}", rvalue, out)
    return out


# -- the diff ---------------------------------------------------------------------

def _item(table: _TableRows, cells: list[str]) -> str | None:
    return table.csv.cell(cells, "item") or None


def _row_values(table: _TableRows, cells: list[str]) -> dict[str, str]:
    return {name: cells[i] for name, i in table.index.items() if i < len(cells) and cells[i] != ""}


@dataclass
class Diff:
    """What changed from `old` to `new`, keyed by table id and row_id."""
    old: dict
    new: dict
    tables_added: list[dict] = field(default_factory=list)
    tables_removed: list[dict] = field(default_factory=list)
    columns_added: list[dict] = field(default_factory=list)
    columns_removed: list[dict] = field(default_factory=list)
    rows_added: list[dict] = field(default_factory=list)
    rows_removed: list[dict] = field(default_factory=list)
    cells_changed: list[dict] = field(default_factory=list)
    metadata_changed: list[dict] = field(default_factory=list)
    files_changed: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(self.summary().values())

    def summary(self) -> dict[str, int]:
        """The number of entries of each kind ({"tables_added": n, …}, all nine kinds)."""
        return {
            "tables_added": len(self.tables_added), "tables_removed": len(self.tables_removed),
            "columns_added": len(self.columns_added), "columns_removed": len(self.columns_removed),
            "rows_added": len(self.rows_added), "rows_removed": len(self.rows_removed),
            "cells_changed": len(self.cells_changed), "metadata_changed": len(self.metadata_changed),
            "files_changed": len(self.files_changed),
        }

    def bump(self) -> str | None:
        """The part of the version this diff asks to increase, or None when nothing changed."""
        kinds = [standard_bump(self.old.get("standardVersion"), self.new.get("standardVersion"))]
        if self.tables_removed or self.rows_removed or self.columns_removed:
            kinds.append("major")
        if self.tables_added or self.rows_added or self.columns_added:
            kinds.append("minor")
        if self.cells_changed or self.metadata_changed or self.files_changed:
            kinds.append("patch")
        kinds = [k for k in kinds if k]
        return max(kinds, key=BUMPS.index) if kinds else None

    def to_dict(self, limit: int | None = None) -> dict:
        """JSON-ready form. With `limit`, each list keeps its first `limit` entries (the
        summary always has the full counts) and `truncated` says so."""
        def cut(items):
            return items if limit is None else items[:limit]
        lists = {
            "tables_added": self.tables_added, "tables_removed": self.tables_removed,
            "columns_added": self.columns_added, "columns_removed": self.columns_removed,
            "rows_added": self.rows_added, "rows_removed": self.rows_removed,
            "cells_changed": self.cells_changed, "metadata_changed": self.metadata_changed,
            "files_changed": self.files_changed,
        }
        return {
            "old": self.old, "new": self.new, "bump": self.bump(), "summary": self.summary(),
            **{key: cut(value) for key, value in lists.items()},
            "truncated": limit is not None and any(len(v) > limit for v in lists.values()),
        }

    def to_markdown(self, heading_level: int = 2, limit: int | None = None, title: bool = True) -> str:
        """The diff as Markdown (see `render_markdown`), each list cut to `limit` entries."""
        return render_markdown(self.to_dict(limit), heading_level=heading_level, title=title)

    def to_text(self) -> str:
        """The diff as plain text, one line per change (what `opendata diff` prints)."""
        return render_text(self.to_dict())


def _side(snapshot: Snapshot) -> dict:
    d = snapshot.descriptor
    return {"label": snapshot.label, "name": d.get("name"), "version": d.get("version"),
            "created": d.get("created"), "standardVersion": d.get("standardVersion")}


def diff_snapshots(old: Snapshot, new: Snapshot) -> Diff:
    """What changed from snapshot `old` to `new`: tables, columns and rows added or removed
    (by table id, column name, row_id), cells changed (numbers compared as Decimal, so 1.0
    equals 1.00), descriptor metadata changed (leaf paths; resources by table id and fields by
    name, so reordering is no change; version and created ignored) and other files changed
    (by sha256). Errors as in `read_tables`."""
    result = Diff(old=_side(old), new=_side(new))
    old_tables, old_paths = read_tables(old)
    new_tables, new_paths = read_tables(new)

    for table_id, table in new_tables.items():
        if table_id not in old_tables:
            result.tables_added.append({"table": table_id, "rows": len(table.rows)})
    for table_id, table in old_tables.items():
        if table_id not in new_tables:
            result.tables_removed.append({"table": table_id, "rows": len(table.rows)})

    for table_id, nt in new_tables.items():
        ot = old_tables.get(table_id)
        if ot is None:
            continue
        old_cols, new_cols = set(ot.columns), set(nt.columns)
        result.columns_added += [{"table": table_id, "column": c} for c in nt.columns if c not in old_cols]
        result.columns_removed += [{"table": table_id, "column": c} for c in ot.columns if c not in new_cols]
        columns = [c for c in ot.columns if c != "row_id"] + [c for c in nt.columns if c not in old_cols]
        kinds = {c: ("number" if "number" in (ot.types.get(c), nt.types.get(c)) else
                     "integer" if "integer" in (ot.types.get(c), nt.types.get(c)) else "string") for c in columns}
        # Positions of each column on both sides, resolved once per table.
        plan = [(c, ot.index.get(c), nt.index.get(c), kinds[c]) for c in columns]
        old_rows = ot.rows
        for row_id, ncells in nt.rows.items():
            ocells = old_rows.get(row_id)
            if ocells is None:
                result.rows_added.append({"table": table_id, "row_id": row_id, "item": _item(nt, ncells),
                                          "values": _row_values(nt, ncells)})
                continue
            if ocells == ncells and ot.columns == nt.columns:
                continue
            for column, oi, ni, kind in plan:
                ov = ocells[oi] if oi is not None and oi < len(ocells) else None
                nv = ncells[ni] if ni is not None and ni < len(ncells) else None
                if not _same(ov, nv, kind):
                    result.cells_changed.append({"table": table_id, "row_id": row_id, "item": _item(nt, ncells) or _item(ot, ocells),
                                                 "column": column, "old": ov or None, "new": nv or None})
        new_rows = nt.rows
        for row_id, ocells in ot.rows.items():
            if row_id not in new_rows:
                result.rows_removed.append({"table": table_id, "row_id": row_id, "item": _item(ot, ocells),
                                            "values": _row_values(ot, ocells)})

    skip = {f"resources/{t['table']}/" for t in result.tables_added + result.tables_removed}
    skip |= {f"resources/{c['table']}/schema/fields/{c['column']}" for c in result.columns_added + result.columns_removed}
    old_meta, new_meta = _metadata(old.descriptor), _metadata(new.descriptor)
    for key in [*old_meta, *(k for k in new_meta if k not in old_meta)]:
        if key in skip or any(key.startswith(prefix) for prefix in skip if prefix.endswith("/")):
            continue
        ov, nv = old_meta.get(key, _MISSING), new_meta.get(key, _MISSING)
        if ov != nv:
            result.metadata_changed.append({"path": key, "old": None if ov is _MISSING else ov,
                                            "new": None if nv is _MISSING else nv,
                                            **({"change": "added"} if ov is _MISSING else {"change": "removed"} if nv is _MISSING else {})})

    data_files = {DESCRIPTOR, *old_paths.values(), *new_paths.values()}
    for path in sorted(set(old.files) | set(new.files)):
        if path in data_files:
            continue
        oh = sha256_hex(old.files[path]) if path in old.files else None
        nh = sha256_hex(new.files[path]) if path in new.files else None
        if oh != nh:
            change = "added" if oh is None else "removed" if nh is None else "changed"
            result.files_changed.append({"path": path, "change": change, "old_sha256": oh, "new_sha256": nh})
    return result


def diff(old: SnapshotLike, new: SnapshotLike, root: str | Path | None = None) -> Diff:
    """Cell-level diff of two package versions (folders, archives or NAME@VERSION)."""
    return diff_snapshots(open_snapshot(old, root), open_snapshot(new, root))
