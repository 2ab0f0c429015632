"""Versions, releases, diffs and changelogs of data packages.

A package folder holds the *working* package (datapackage.json, data/, source/ …) and,
once released, a registry of its frozen versions beside it:

    <package>/releases/<version>-<sha256[:12]>.tar.gz   one deterministic archive per release
    <package>/releases/index.json                       version, date, note, sha256, diff summary
    <package>/CHANGELOG.md                              generated from releases/index.json

`releases/`, `CHANGELOG.md` and dot-files are not part of the package content: they are
never archived and never diffed.

The Python API mirrors the command line:

    diff(old, new) -> Diff                     opendata diff OLD NEW
    release(path, note=None) -> Release        opendata release PATH --note …
    checkout(name, version, out) -> Path       opendata checkout NAME@VERSION --out DIR
    package_version(path) -> VersionInfo       opendata version PATH
    verify_releases(path) -> list[Verification]  opendata verify-releases PATH

Version rules (docs: guide/versions.md): MAJOR when the package moves to a new major
version of the standard, or when tables, rows or columns are removed (a row id a reader
could rely on is gone); MINOR for added tables, rows or columns, or a newer minor version
of the standard; PATCH for changed values, metadata and other files.
"""
from __future__ import annotations

import csv
import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import socket
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Union

from .package import (
    DESCRIPTOR, PackageError, check_output, descriptor_path, find_packages, fsync_dir, glob_escape, load_descriptor,
    output_folder, parse_json_object,
)

RELEASES = "releases"
INDEX = "index.json"
CHANGELOG = "CHANGELOG.md"
DEFAULT_ROOT = Path("datapackages")
# Bookkeeping that `release` itself writes: never a change.
IGNORED_METADATA = ("version", "created")
BUMPS = ("patch", "minor", "major")
DETAIL_LIMIT = 50  # entries per kind kept in releases/index.json and shown in CHANGELOG.md
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_MISSING = object()


class VersionError(PackageError):
    """Something about versions or releases that cannot be done (CLI exit 2)."""


class ReleaseRefused(VersionError):
    """A release that must not be made: nothing changed, or the version exists (CLI exit 1)."""


class NothingToRelease(ReleaseRefused):
    """The working package equals its last release."""


class TamperedRelease(VersionError):
    """A released archive (or its index entry) no longer matches what was released (CLI exit 1)."""


# -- semver -----------------------------------------------------------------

def parse_version(text: str) -> tuple[int, int, int]:
    match = _SEMVER.match(str(text or ""))
    if not match:
        raise VersionError(f"{text!r} is not a version MAJOR.MINOR.PATCH (e.g. 1.0.0)")
    return int(match[1]), int(match[2]), int(match[3])


def bump_version(version: str, kind: str) -> str:
    major, minor, patch = parse_version(version)
    if kind == "major":
        return f"{major + 1}.0.0"
    if kind == "minor":
        return f"{major}.{minor + 1}.0"
    if kind == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(kind)


def standard_bump(old: str | None, new: str | None) -> str | None:
    """What a change of the declared standard version asks for: MAJOR for another major
    version (or any step back), MINOR for a newer minor version, PATCH for a newer patch."""
    if old == new:
        return None
    try:
        o, n = parse_version(old), parse_version(new)
    except VersionError:
        return "patch"
    if o[0] != n[0] or n < o:
        return "major"
    return "minor" if n[1] != o[1] else "patch"


def _utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- snapshots: a package's content as {relative path: bytes} ---------------------

def package_files(package_dir: str | Path) -> list[str]:
    """The files that make up a package (relative POSIX paths, sorted): everything in the
    folder except releases/, CHANGELOG.md and dot-files."""
    package_dir = Path(package_dir)
    found = []
    for dirpath, dirnames, filenames in os.walk(package_dir):
        rel_dir = Path(dirpath).relative_to(package_dir)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (rel_dir == Path(".") and d == RELEASES))
        for filename in filenames:
            if filename.startswith(".") or (rel_dir == Path(".") and filename == CHANGELOG):
                continue
            path = Path(dirpath) / filename
            rel = (rel_dir / filename).as_posix()
            if path.is_symlink() or not path.is_file():
                raise VersionError(f"{path}: packages are released as plain files; {rel} is a link or a special file")
            found.append(rel)
    return sorted(found)


@dataclass
class Snapshot:
    """The content of one package version: every file's bytes, by relative path."""
    label: str
    files: dict[str, bytes]

    @classmethod
    def from_folder(cls, path: str | Path, label: str | None = None) -> "Snapshot":
        package_dir = descriptor_path(path).parent
        files = {rel: (package_dir / rel).read_bytes() for rel in package_files(package_dir)}
        snapshot = cls(label or str(path), files)
        if DESCRIPTOR in files:  # parsed now, so that errors name the file
            snapshot.__dict__["descriptor"] = parse_json_object(files[DESCRIPTOR], str(package_dir / DESCRIPTOR))
        return snapshot

    @classmethod
    def from_archive(cls, data: bytes, label: str) -> "Snapshot":
        files: dict[str, bytes] = {}
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
                for member in tar.getmembers():
                    name = PurePosixPath(member.name)
                    if not member.isfile() or name.is_absolute() or ".." in name.parts:
                        raise TamperedRelease(f"{label}: archive entry {member.name!r} is not a plain file inside the package")
                    handle = tar.extractfile(member)
                    files[name.as_posix()] = handle.read() if handle else b""
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise TamperedRelease(f"{label}: the archive cannot be read ({exc})") from exc
        if DESCRIPTOR not in files:
            raise TamperedRelease(f"{label}: the archive has no {DESCRIPTOR}")
        return cls(label, files)

    @cached_property
    def descriptor(self) -> dict:
        if DESCRIPTOR not in self.files:
            raise VersionError(f"{self.label}: no {DESCRIPTOR}")
        try:
            return parse_json_object(self.files[DESCRIPTOR], f"{self.label}: {DESCRIPTOR}")
        except VersionError:
            raise
        except PackageError as exc:
            raise VersionError(str(exc)) from exc

    @property
    def name(self) -> str | None:
        return self.descriptor.get("name")

    @property
    def version(self) -> str | None:
        return self.descriptor.get("version")

    def file_hashes(self) -> dict[str, str]:
        return {path: _sha256(data) for path, data in sorted(self.files.items())}


def make_archive(files: dict[str, bytes]) -> bytes:
    """A deterministic .tar.gz of `files`: sorted entries, mtime 0, uid/gid 0, no user names,
    mode 0644, gzip header without name or time. The same content gives the same bytes."""
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name in sorted(files):
                data = files[name]
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(data), 0, 0o644
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                tar.addfile(info, io.BytesIO(data))
    return raw.getvalue()


# -- tables ---------------------------------------------------------------------

@dataclass
class _TableData:
    table_id: str
    columns: list[str]
    types: dict[str, str]
    rows: dict[str, list[str]]  # row_id -> cells, in file order (dicts keep insertion order)

    @cached_property
    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.columns)}

    def cell(self, cells: list[str], column: str) -> str | None:
        i = self.index.get(column)
        if i is None or i >= len(cells):
            return None
        return cells[i]


def _resource_table_id(resource: dict) -> str:
    return str(resource.get("tableId") or resource.get("name"))


def _read_tables(snapshot: Snapshot) -> tuple[dict[str, _TableData], dict[str, str]]:
    """Tables by id, and the resource path of each."""
    tables: dict[str, _TableData] = {}
    paths: dict[str, str] = {}
    for resource in snapshot.descriptor.get("resources") or []:
        if not isinstance(resource, dict):
            continue
        table_id = _resource_table_id(resource)
        rel = PurePosixPath(str(resource.get("path") or "")).as_posix()
        if rel not in snapshot.files:
            raise VersionError(f"{snapshot.label}: table {table_id}: {rel} is not in the package")
        fields = (resource.get("schema") or {}).get("fields") or []
        types = {f.get("name"): f.get("type", "string") for f in fields if isinstance(f, dict)}
        text = snapshot.files[rel].decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        if "row_id" not in header:
            raise VersionError(f"{snapshot.label}: table {table_id} has no row_id column; rows cannot be compared")
        key = header.index("row_id")
        rows: dict[str, list[str]] = {}
        for cells in reader:
            if not cells:
                continue
            row_id = cells[key] if key < len(cells) else ""
            if row_id in rows:
                raise VersionError(f"{snapshot.label}: table {table_id}: row_id {row_id!r} appears twice "
                                   "(row ids must be unique; see `opendata validate`)")
            rows[row_id] = cells
        tables[table_id] = _TableData(table_id, header, types, rows)
        paths[table_id] = rel
    return tables, paths


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
            base = f"resources/{_resource_table_id(resource)}"
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

def _item(table: _TableData, cells: list[str]) -> str | None:
    return table.cell(cells, "item") or None


def _row_values(table: _TableData, cells: list[str]) -> dict[str, str]:
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
        return render_markdown(self.to_dict(limit), heading_level=heading_level, title=title)

    def to_text(self) -> str:
        return render_text(self.to_dict())


def _side(snapshot: Snapshot) -> dict:
    d = snapshot.descriptor
    return {"label": snapshot.label, "name": d.get("name"), "version": d.get("version"),
            "created": d.get("created"), "standardVersion": d.get("standardVersion")}


def diff_snapshots(old: Snapshot, new: Snapshot) -> Diff:
    result = Diff(old=_side(old), new=_side(new))
    old_tables, old_paths = _read_tables(old)
    new_tables, new_paths = _read_tables(new)

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
        oh = _sha256(old.files[path]) if path in old.files else None
        nh = _sha256(new.files[path]) if path in new.files else None
        if oh != nh:
            change = "added" if oh is None else "removed" if nh is None else "changed"
            result.files_changed.append({"path": path, "change": change, "old_sha256": oh, "new_sha256": nh})
    return result


SnapshotLike = Union[str, Path, Snapshot]


def open_snapshot(ref: SnapshotLike, root: str | Path | None = None) -> Snapshot:
    """A package folder, its datapackage.json, a release archive (.tar.gz) or NAME@VERSION
    (searched under `root`, default datapackages/)."""
    if isinstance(ref, Snapshot):
        return ref
    path = Path(ref)
    if path.exists():
        if path.is_file() and path.name.endswith(".tar.gz"):
            return Snapshot.from_archive(path.read_bytes(), str(path))
        return Snapshot.from_folder(path)
    text = str(ref)
    if "@" in text:
        name, version = text.rsplit("@", 1)
        return release_snapshot(name, version, root=root)
    raise VersionError(f"{text}: no such package folder, and not NAME@VERSION")


def diff(old: SnapshotLike, new: SnapshotLike, root: str | Path | None = None) -> Diff:
    """Cell-level diff of two package versions (folders, archives or NAME@VERSION)."""
    return diff_snapshots(open_snapshot(old, root), open_snapshot(new, root))


# -- rendering ------------------------------------------------------------------

SUMMARY_LABELS = {
    "tables_added": ("新增表", "table(s) added"), "tables_removed": ("删除表", "table(s) removed"),
    "columns_added": ("新增列", "column(s) added"), "columns_removed": ("删除列", "column(s) removed"),
    "rows_added": ("新增行", "row(s) added"), "rows_removed": ("删除行", "row(s) removed"),
    "cells_changed": ("修改单元格", "cell(s) changed"), "metadata_changed": ("元数据变化", "metadata change(s)"),
    "files_changed": ("文件变化", "file change(s)"),
}


def summary_text(summary: dict[str, int]) -> str:
    parts = [f"{n} {SUMMARY_LABELS[k][1]}" for k, n in summary.items() if n and k in SUMMARY_LABELS]
    return ", ".join(parts) or "no changes"


def summary_text_zh(summary: dict[str, int]) -> str:
    parts = [f"{SUMMARY_LABELS[k][0]} {n}" for k, n in summary.items() if n and k in SUMMARY_LABELS]
    return "，".join(parts) or "无变化"


def _side_label(side: dict) -> str:
    if side.get("name") and side.get("version") and "@" in str(side.get("label", "")):
        return f"{side['name']}@{side['version']}"
    return f"{side.get('label')} ({side.get('name')} {side.get('version')})"


def _short(value, width: int = 80) -> str:
    if value is None:
        return "∅"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(d: dict) -> str:
    lines = [f"--- {_side_label(d['old'])}", f"+++ {_side_label(d['new'])}"]
    bump = d.get("bump")
    lines.append(f"{summary_text(d['summary'])}" + (f"  → {bump.upper()}" if bump else ""))
    for t in d["tables_added"]:
        lines.append(f"+ table {t['table']} ({t['rows']} rows)")
    for t in d["tables_removed"]:
        lines.append(f"- table {t['table']} ({t['rows']} rows)")
    for c in d["columns_added"]:
        lines.append(f"+ column {c['table']}.{c['column']}")
    for c in d["columns_removed"]:
        lines.append(f"- column {c['table']}.{c['column']}")
    for r in d["rows_added"]:
        lines.append(f"+ row {r['table']} [{r['row_id']}] {r.get('item') or ''}".rstrip())
    for r in d["rows_removed"]:
        lines.append(f"- row {r['table']} [{r['row_id']}] {r.get('item') or ''}".rstrip())
    for c in d["cells_changed"]:
        item = f" {c['item']}" if c.get("item") else ""
        lines.append(f"~ {c['table']} [{c['row_id']}]{item} {c['column']}: {_short(c['old'])} → {_short(c['new'])}")
    for m in d["metadata_changed"]:
        lines.append(f"~ metadata {m['path']}: {_short(m['old'])} → {_short(m['new'])}")
    for f in d["files_changed"]:
        lines.append(f"{ {'added': '+', 'removed': '-'}.get(f['change'], '~') } file {f['path']} ({f['change']})")
    if d.get("truncated"):
        lines.append("… (more changes not shown: `opendata diff` gives them all)")
    return "\n".join(lines) + "\n"


def _md(value) -> str:
    text = _short(value, 120) if value is not None else ""
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(headers: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers),
            *("| " + " | ".join(_md(c) for c in row) + " |" for row in rows)]


def render_markdown(d: dict, heading_level: int = 2, title: bool = True) -> str:
    """Markdown form of a diff dict (Diff.to_dict()); used in CHANGELOG.md."""
    h = "#" * heading_level
    out: list[str] = []
    if title:
        out += [f"{h} 差异 Diff: `{_side_label(d['old'])}` → `{_side_label(d['new'])}`", ""]
    bump = d.get("bump")
    out.append(f"**{summary_text_zh(d['summary'])}** — {summary_text(d['summary'])}"
               + (f" (**{bump.upper()}**)" if bump else ""))
    out.append("")
    sub = h + "#"
    summary = d["summary"]
    if d["tables_added"] or d["tables_removed"]:
        out += [f"{sub} 表 Tables", ""]
        out += [f"- 新增 added: `{t['table']}` ({t['rows']} rows)" for t in d["tables_added"]]
        out += [f"- 删除 removed: `{t['table']}` ({t['rows']} rows)" for t in d["tables_removed"]]
        out.append("")
    if d["columns_added"] or d["columns_removed"]:
        out += [f"{sub} 列 Columns", ""]
        out += [f"- 新增 added: `{c['table']}.{c['column']}`" for c in d["columns_added"]]
        out += [f"- 删除 removed: `{c['table']}.{c['column']}`" for c in d["columns_removed"]]
        out.append("")
    if d["rows_added"] or d["rows_removed"]:
        out += [f"{sub} 行 Rows", ""]
        rows = [["+", r["table"], r["row_id"], r.get("item")] for r in d["rows_added"]]
        rows += [["−", r["table"], r["row_id"], r.get("item")] for r in d["rows_removed"]]
        out += _md_table(["", "表 table", "row_id", "项目 item"], rows)
        out += _more(d["rows_added"] + d["rows_removed"], summary["rows_added"] + summary["rows_removed"])
        out.append("")
    if d["cells_changed"]:
        out += [f"{sub} 单元格 Cells", ""]
        out += _md_table(["表 table", "row_id", "项目 item", "列 column", "原值 old", "新值 new"],
                         [[c["table"], c["row_id"], c.get("item"), c["column"], c["old"], c["new"]] for c in d["cells_changed"]])
        out += _more(d["cells_changed"], summary["cells_changed"])
        out.append("")
    if d["metadata_changed"]:
        out += [f"{sub} 元数据 Metadata", ""]
        out += _md_table(["属性 property", "原值 old", "新值 new"],
                         [[f"`{m['path']}`", m["old"], m["new"]] for m in d["metadata_changed"]])
        out += _more(d["metadata_changed"], summary["metadata_changed"])
        out.append("")
    if d["files_changed"]:
        out += [f"{sub} 文件 Files", ""]
        out += [f"- {f['change']}: `{f['path']}`" for f in d["files_changed"]]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _more(shown: list, total: int) -> list[str]:
    return ["", f"…… 另有 {total - len(shown)} 项 and {total - len(shown)} more (`opendata diff`)"] if total > len(shown) else []


# -- the registry: releases/index.json ---------------------------------------------

def _package_dir(path: str | Path) -> Path:
    return descriptor_path(path).parent


def read_index(package_dir: str | Path) -> dict:
    path = Path(package_dir) / RELEASES / INDEX
    if not path.exists():
        return {"name": None, "releases": []}
    try:
        index = parse_json_object(path.read_bytes(), str(path), what="the release index")
    except PackageError as exc:
        raise TamperedRelease(str(exc)) from exc
    if not isinstance(index.get("releases"), list):
        raise TamperedRelease(f"{path}: expected an object with a list of releases")
    return index


def _temp_beside(path: Path, data: bytes, mode: int) -> str:
    """`data` written and synced to a new temporary file beside `path`; returns its name."""
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
    return tmp


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace the file `path` by `data` atomically: written and synced to a temporary file
    beside it, then renamed over it (readers see the old or the new bytes, never a mix).
    `mode` defaults to the old file's (0644 for a new file)."""
    if mode is None:
        mode = (path.stat().st_mode & 0o777) if path.exists() else 0o644
    tmp = None
    try:
        tmp = _temp_beside(path, data, mode)
        os.replace(tmp, path)
    except BaseException:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise


LOCK = ".lock"


class ReleaseLocked(VersionError):
    """Another release of the same package is running (CLI exit 2)."""


@dataclass
class LockOwner:
    """Who holds (or held) a release lock, as recorded in releases/.lock."""
    pid: int | None = None
    host: str | None = None
    started: str | None = None

    @classmethod
    def parse(cls, text: str) -> "LockOwner":
        """The owner recorded in a lock file: JSON {pid, host, started}, or a bare pid (older
        versions of opendata), or nothing."""
        text = text.strip()
        if text.isdigit():
            return cls(pid=int(text))
        try:
            data = json.loads(text) if text else {}
        except (ValueError, RecursionError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        pid = data.get("pid")
        return cls(pid if isinstance(pid, int) else None, str(data.get("host") or "") or None,
                   str(data.get("started") or "") or None)

    @classmethod
    def me(cls) -> "LockOwner":
        return cls(os.getpid(), socket.gethostname(), _utc_now())

    def to_bytes(self) -> bytes:
        return json.dumps({"pid": self.pid, "host": self.host, "started": self.started}).encode("utf-8")

    def alive(self) -> bool | None:
        """Whether the owner process still runs: None when that cannot be told (no pid, or
        another host)."""
        if not self.pid or (self.host and self.host != socket.gethostname()):
            return None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def describe(self) -> str:
        if not self.pid:
            return "owner unknown"
        return f"pid {self.pid}" + (f" on {self.host}" if self.host else "") + (f", since {self.started}" if self.started else "")


def _read_fd(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", "replace")


@contextmanager
def release_lock(releases_dir: str | Path) -> Iterator[LockOwner | None]:
    """Hold the release lock of a package (`releases_dir`/.lock) for the block.

    The lock is an exclusive flock(2) on the lock file, which records the holder's pid, host
    and start time. The kernel drops the flock when its holder dies, so a lock left by a
    crashed or killed release is taken over; the block gets that dead owner (LockOwner), else
    None. ReleaseLocked, naming the holder, when a running release holds the lock (or a live
    process of an older opendata recorded only its pid)."""
    releases_dir = Path(releases_dir)
    releases_dir.mkdir(parents=True, exist_ok=True)
    lock = releases_dir / LOCK
    while True:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            owner = LockOwner.parse(_read_fd(fd))
            os.close(fd)
            raise ReleaseLocked(f"{lock}: another release of this package is running ({owner.describe()}); "
                                "wait for it to finish and run again") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder before us removed the file meanwhile: lock the new one
    try:
        text = _read_fd(fd)
        previous = LockOwner.parse(text) if text.strip() else None
        if previous and text.strip().isdigit() and previous.pid != os.getpid() and previous.alive():
            raise ReleaseLocked(f"{lock}: recorded by pid {previous.pid}, which is still running (a release by an "
                                f"older opendata?); wait for it to finish, or if that process is no release, "
                                f"remove {lock} and run again")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, LockOwner.me().to_bytes())
        os.fsync(fd)
        try:
            yield previous
        finally:
            lock.unlink(missing_ok=True)  # while still holding the flock
    finally:
        os.close(fd)  # releases the flock


def descriptor_bytes(descriptor: dict) -> bytes:
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- verification ----------------------------------------------------------------

def verify_entry(package_dir: Path, entry: dict) -> tuple[list[str], bytes | None]:
    """Problems with one released version, and the archive's bytes when it could be read."""
    version = entry.get("version")
    archive = entry.get("archive")
    if not isinstance(archive, str) or "/" in archive or "\\" in archive or archive.startswith("."):
        return [f"{version}: index entry names no archive inside releases/"], None
    path = package_dir / RELEASES / archive
    if not path.is_file():
        pending = _pending_archive(package_dir / RELEASES, entry)
        if pending:
            return [f"{version}: the release was interrupted before its archive was put in place (it is in "
                    f"releases/{pending.name}); run `opendata release {package_dir}` to finish it"], None
        return [f"{version}: archive releases/{archive} is missing"], None
    data = path.read_bytes()
    problems = []
    sha = _sha256(data)
    if sha != entry.get("sha256"):
        problems.append(f"{version}: releases/{archive} has sha256 {sha}, the release recorded {entry.get('sha256')}: "
                        "the archive was changed after release")
    if archive != f"{version}-{str(entry.get('sha256'))[:12]}.tar.gz":
        problems.append(f"{version}: archive name {archive} does not match the recorded version and sha256")
    if not problems:
        try:
            snapshot = Snapshot.from_archive(data, f"{version}")
        except TamperedRelease as exc:
            return [str(exc)], None
        if entry.get("files") is not None and snapshot.file_hashes() != entry.get("files"):
            problems.append(f"{version}: the files in releases/{archive} differ from the recorded manifest")
        if snapshot.version != version:
            problems.append(f"{version}: the archived datapackage.json says version {snapshot.version}")
    return problems, (data if not problems else None)


@dataclass
class Verification:
    path: str
    name: str | None
    releases: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {"path": self.path, "name": self.name, "releases": self.releases, "ok": self.ok, "problems": self.problems}


def verify_package_releases(package_dir: str | Path) -> Verification:
    package_dir = _package_dir(package_dir)
    problems: list[str] = []
    try:
        index = read_index(package_dir)
    except TamperedRelease as exc:
        return Verification(str(package_dir), None, 0, [str(exc)])
    seen: list[tuple[int, int, int]] = []
    referenced = set()
    for entry in index["releases"]:
        if not isinstance(entry, dict):
            problems.append("releases/index.json: an entry is not an object")
            continue
        try:
            key = parse_version(entry.get("version"))
        except VersionError as exc:
            problems.append(f"releases/index.json: {exc}")
            continue
        if seen and key <= seen[-1]:
            problems.append(f"{entry['version']}: versions in releases/index.json must increase (after {'.'.join(map(str, seen[-1]))})")
        seen.append(key)
        referenced.add(entry.get("archive"))
        problems += verify_entry(package_dir, entry)[0]
    releases_dir = package_dir / RELEASES
    if releases_dir.is_dir():
        for path in sorted(releases_dir.glob("*.tar.gz")):
            if path.name not in referenced and not path.name.startswith("."):
                problems.append(f"releases/{path.name} is not a recorded release (not in releases/index.json)")
    return Verification(str(package_dir), index.get("name"), len(index["releases"]), problems)


def verify_releases(path: str | Path) -> list[Verification]:
    """Check every release of the package at `path` (or of every package below it)."""
    return [verify_package_releases(p) for p in find_packages(path)]


def _load_release(package_dir: Path, entry: dict) -> Snapshot:
    problems, data = verify_entry(package_dir, entry)
    if problems:
        raise TamperedRelease("; ".join(problems))
    return Snapshot.from_archive(data, f"{entry.get('name') or package_dir.name}@{entry['version']}")


# -- release ---------------------------------------------------------------------

@dataclass
class Release:
    name: str
    version: str
    previous: str | None
    bump: str | None
    created: str
    note: str | None
    archive: Path
    sha256: str
    diff: Diff | None
    summary: dict
    notes: list[str] = field(default_factory=list)  # what was cleaned up before releasing

    def to_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "previous": self.previous, "bump": self.bump,
                "created": self.created, "note": self.note, "archive": str(self.archive), "sha256": self.sha256,
                "summary": self.summary, "notes": self.notes}


def _content_summary(snapshot: Snapshot) -> dict:
    tables, _ = _read_tables(snapshot)
    return {"tables": len(tables), "rows": sum(len(t.rows) for t in tables.values())}


def _refuse_released(name: str, version: str, released: set) -> None:
    if version in released:
        raise ReleaseRefused(f"{name}: version {version} is already released; released versions never change "
                             "(make the change as a new version)")


def release(path: str | Path, note: str | None = None, version: str | None = None, now: str | None = None) -> Release:
    """Freeze the working package as its next version.

    The first release is the descriptor's current version. Later releases diff the working
    package against the last release and bump MAJOR, MINOR or PATCH (see `Diff.bump`);
    `version` may ask for a higher version than that. Refused (ReleaseRefused) when nothing
    changed or the version exists; TamperedRelease when the last release fails its check;
    ReleaseLocked while another release of the package runs.

    All or nothing: the archive is written (temporary file, then a link that never overwrites)
    and then recorded in releases/index.json (temporary file, then rename); a failure in between
    removes the archive again. An archive left unrecorded by a release that was killed, and the
    lock it left, are cleaned up here (listed in `Release.notes`). The working descriptor is
    changed only in its `version`, and only when that differs."""
    package_dir = _package_dir(path)
    releases_dir = package_dir / RELEASES
    notes: list[str] = []
    with release_lock(releases_dir) as stale:
        if stale:
            notes.append(f"took over the lock of a release that did not finish ({stale.describe()}; no longer running)")
        try:
            notes += finish_interrupted(package_dir)
            return _release_locked(package_dir, note, version, now, notes)
        except PackageError as exc:
            if notes:  # what was repaired is said even when the release itself is refused
                raise type(exc)("; ".join([*notes, str(exc)])) from exc
            raise


def _release_locked(package_dir: Path, note: str | None, version: str | None, now: str | None,
                    notes: list[str]) -> Release:
    releases_dir = package_dir / RELEASES
    index = read_index(package_dir)
    entries = index["releases"]
    working = Snapshot.from_folder(package_dir, label=str(package_dir))
    name = working.name
    if not isinstance(name, str) or not name:
        raise VersionError(f"{package_dir}: the descriptor has no name")
    released = {e.get("version") for e in entries}
    changes: Diff | None = None
    previous = None
    kind = None
    if entries:
        last = entries[-1]
        previous = last["version"]
        base = _load_release(package_dir, last)
        base.label = f"{name}@{previous}"
        changes = diff_snapshots(base, working)
        if not changes:
            raise NothingToRelease(f"{name}: nothing changed since {previous}; nothing to release")
        kind = changes.bump()
        needed = bump_version(previous, kind)
        new_version = version or needed
        _refuse_released(name, new_version, released)
        if parse_version(new_version) < parse_version(needed):
            raise ReleaseRefused(f"{name}: the changes since {previous} need a {kind.upper()} release "
                                 f"(at least {needed}); {new_version} is not enough")
    else:
        new_version = version or working.version
        parse_version(new_version)
    _refuse_released(name, new_version, released)
    created = now or _utc_now()
    descriptor = dict(working.descriptor)
    files = dict(working.files)
    if descriptor.get("version") != new_version:
        descriptor["version"] = new_version
        files[DESCRIPTOR] = descriptor_bytes(descriptor)
    final = Snapshot(f"{name}@{new_version}", files)
    data = make_archive(files)
    sha = _sha256(data)
    archive = releases_dir / f"{new_version}-{sha[:12]}.tar.gz"

    summary = changes.summary() if changes else _content_summary(final)
    entry = {
        "version": new_version, "date": created[:10], "created": created, "note": note,
        "bump": kind, "previous": previous, "standardVersion": descriptor.get("standardVersion"),
        "archive": archive.name, "sha256": sha, "bytes": len(data),
        "summary": summary,
        "changes": changes.to_dict(limit=DETAIL_LIMIT) if changes else None,
        "files": final.file_hashes(),
    }
    index = {"name": name, "title": descriptor.get("title"), "releases": [*entries, entry]}
    try:
        _publish(archive, data, releases_dir / INDEX,
                 (json.dumps(index, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        if files[DESCRIPTOR] != working.files[DESCRIPTOR]:
            write_atomic(package_dir / DESCRIPTOR, files[DESCRIPTOR])
        write_atomic(package_dir / CHANGELOG, changelog_markdown(index).encode("utf-8"))
    except OSError as exc:
        try:
            recorded = any(e.get("version") == new_version for e in read_index(package_dir)["releases"])
        except PackageError:
            recorded = False
        outcome = (f"version {new_version} is recorded; run `opendata release {package_dir}` to finish it" if recorded
                   else "nothing was released")
        raise VersionError(f"{package_dir}: cannot write {exc.filename or 'a file'} ({exc.strerror or exc}); {outcome}") from exc
    return Release(name=name, version=new_version, previous=previous, bump=kind, created=created, note=note,
                   archive=archive, sha256=sha, diff=changes, summary=summary, notes=notes)


def _publish(archive: Path, data: bytes, index_path: Path, index_bytes: bytes) -> None:
    """Record, then publish: the archive is written and synced under a temporary dot-name
    beside its final name, the index naming it is replaced atomically (the release exists
    from then on), and the archive is linked to its final name. Killed before the index is
    written, only a dot-file is left (never a release; `finish_interrupted` removes it); killed
    after, `finish_interrupted` puts the archive in place. Never overwrites an archive."""
    if archive.exists():
        raise ReleaseRefused(f"{archive} already exists; releases are never overwritten")
    tmp = Path(_temp_beside(archive, data, 0o444))
    try:
        write_atomic(index_path, index_bytes)
    except BaseException:
        tmp.unlink()
        raise
    _link_new(tmp, archive)  # when this fails, the recorded archive stays in tmp for finish_interrupted
    tmp.unlink(missing_ok=True)


def _link_new(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)  # atomic, and fails when the target exists
    except FileExistsError as exc:
        raise ReleaseRefused(f"{path} already exists; releases are never overwritten") from exc
    except OSError:  # file systems without hard links
        if path.exists():
            raise ReleaseRefused(f"{path} already exists; releases are never overwritten")
        os.replace(tmp, path)
    fsync_dir(path.parent)


def _pending_archive(releases_dir: Path, entry: dict) -> Path | None:
    """The temporary file holding the archive of a recorded release that was interrupted
    before its archive got its final name (content matching the recorded sha256), if any."""
    archive = entry.get("archive")
    if not isinstance(archive, str) or "/" in archive or (releases_dir / archive).exists():
        return None
    for path in sorted(releases_dir.glob(f".{glob_escape(archive)}.*")):
        if path.is_file() and _sha256(path.read_bytes()) == entry.get("sha256"):
            return path
    return None


def _temporary_files(releases_dir: Path) -> list[Path]:
    """Temporary files of archive and index writes (`.NAME.tar.gz.XXXX`, `.index.json.XXXX`)."""
    if not releases_dir.is_dir():
        return []
    return sorted(p for p in releases_dir.iterdir() if p.name.startswith(".") and p.is_file()
                  and (".tar.gz." in p.name or p.name.startswith(f".{INDEX}.")))


def finish_interrupted(package_dir: str | Path) -> list[str]:
    """Repair what killed releases left in releases/ (call it holding `release_lock`): a
    recorded release whose archive is still under its temporary name is put in place, and the
    other temporary files (releases that were never recorded) are removed. Returns what was
    done, as sentences; a package without such leftovers gives []."""
    package_dir = Path(package_dir)
    releases_dir = package_dir / RELEASES
    done = []
    try:
        entries = read_index(package_dir)["releases"]
    except TamperedRelease:
        entries = []
    for entry in entries:
        pending = _pending_archive(releases_dir, entry) if isinstance(entry, dict) else None
        if pending:
            _link_new(pending, releases_dir / entry["archive"])
            done.append(f"finished release {entry.get('version')}, which was recorded but interrupted before its "
                        f"archive releases/{entry['archive']} was in place")
    leftovers = _temporary_files(releases_dir)
    for path in leftovers:
        path.unlink()
    if any(".tar.gz." in p.name for p in leftovers) and not done:
        done.append("removed the unrecorded archive of a release that did not finish (nothing had been released)")
    return done


# -- changelog -------------------------------------------------------------------

CHANGELOG_NOTE = ("<!-- 由 releases/index.json 生成，请勿手工编辑。"
                  "Generated from releases/index.json by `opendata release`; do not edit. -->")


def changelog_markdown(index: dict) -> str:
    title = index.get("title") or index.get("name")
    out = [CHANGELOG_NOTE, "", f"# 更新记录 Changelog — {title}", "",
           f"数据包 package `{index.get('name')}`。每个版本都冻结在 `releases/` 中，可用 "
           f"`opendata checkout {index.get('name')}@VERSION --out DIR` 原样取回。"
           " Every version is frozen in `releases/` and given back byte for byte by `opendata checkout`.", ""]
    for entry in reversed(index.get("releases") or []):
        bump = entry.get("bump")
        out.append(f"## {entry['version']} — {entry.get('date')}")
        out.append("")
        kind = bump.upper() if bump else "首次发布 first release"
        out.append(f"{kind} · 标准 standard {entry.get('standardVersion')} · "
                   f"`releases/{entry.get('archive')}` · sha256 `{entry.get('sha256')}`")
        out.append("")
        if entry.get("note"):
            out += [entry["note"].strip(), ""]
        if entry.get("changes"):
            out.append(render_markdown(entry["changes"], heading_level=2, title=False).rstrip())
            out.append("")
        else:
            s = entry.get("summary") or {}
            out += [f"{s.get('tables', '?')} 张表 tables，{s.get('rows', '?')} 行 rows。", ""]
    return "\n".join(out).rstrip() + "\n"


def write_changelog(path: str | Path) -> Path:
    """Regenerate <package>/CHANGELOG.md from releases/index.json."""
    package_dir = _package_dir(path)
    target = package_dir / CHANGELOG
    write_atomic(target, changelog_markdown(read_index(package_dir)).encode("utf-8"))
    return target


# -- finding and checking out releases ----------------------------------------------

def find_package(name: str, root: str | Path | None = None) -> Path:
    """The folder of the package called `name` (datapackage.json `name`) under `root`."""
    root = Path(root) if root is not None else DEFAULT_ROOT
    matches = []
    for package_dir in find_packages(root):
        try:
            descriptor = load_descriptor(package_dir)
        except PackageError:
            continue
        if descriptor.get("name") == name:
            matches.append(package_dir)
    if not matches:
        raise VersionError(f"no package named {name!r} under {root}")
    if len(matches) > 1:
        raise VersionError(f"{len(matches)} packages are named {name!r} under {root}: {', '.join(map(str, matches))}")
    return matches[0]


def _find_entry(package_dir: Path, name: str, version: str) -> dict:
    entries = read_index(package_dir)["releases"]
    if not entries:
        raise VersionError(f"{name} has no releases (run `opendata release {package_dir}`)")
    if version == "latest":
        return entries[-1]
    for entry in entries:
        if entry.get("version") == version:
            return entry
    known = ", ".join(str(e.get("version")) for e in entries)
    raise VersionError(f"{name}@{version} is not released (released: {known})")


def release_snapshot(name: str, version: str, root: str | Path | None = None) -> Snapshot:
    package_dir = find_package(name, root)
    entry = _find_entry(package_dir, name, version)
    snapshot = _load_release(package_dir, entry)
    snapshot.label = f"{name}@{entry['version']}"
    return snapshot


def checkout(name: str, version: str, out: str | Path, root: str | Path | None = None) -> Path:
    """Write released version `version` ("latest" for the last) of package `name` to the
    folder `out`, byte for byte, after checking its sha256. `out` must not exist or be an
    empty folder (OutputRefused otherwise, before anything is written; see
    `opendata.package.prepare_output`)."""
    out = Path(out)
    check_output(out, allow_replace_package=False)
    package_dir = find_package(name, root)
    entry = _find_entry(package_dir, name, version)
    snapshot = _load_release(package_dir, entry)
    with output_folder(out, allow_replace_package=False) as staging:
        for rel, data in snapshot.files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, 0o644)
    return out


def parse_ref(ref: str) -> tuple[str, str]:
    if "@" not in ref:
        raise VersionError(f"{ref!r}: expected NAME@VERSION (e.g. 110101-01075003-2021-budget@1.0.0)")
    name, version = ref.rsplit("@", 1)
    if not name or not version:
        raise VersionError(f"{ref!r}: expected NAME@VERSION")
    return name, version


# -- what `opendata version` shows -------------------------------------------------

@dataclass
class VersionInfo:
    path: str
    name: str | None
    title: str | None
    version: str | None
    created: str | None
    standard_version: str | None
    releases: list[dict]
    problems: list[str]
    working: Diff | None  # changes of the working package since the last release

    @property
    def latest(self) -> str | None:
        return self.releases[-1]["version"] if self.releases else None

    @property
    def next_release(self) -> str | None:
        if self.working is None or not self.working or not self.latest:
            return None
        return bump_version(self.latest, self.working.bump())

    def to_dict(self) -> dict:
        return {
            "path": self.path, "name": self.name, "title": self.title, "version": self.version,
            "created": self.created, "standardVersion": self.standard_version,
            "latestRelease": self.latest, "nextRelease": self.next_release,
            "working": None if self.working is None else {"changed": bool(self.working), "bump": self.working.bump(),
                                                          "summary": self.working.summary()},
            "releases": [{k: e.get(k) for k in ("version", "date", "created", "bump", "note", "archive", "sha256", "summary")}
                         for e in self.releases],
            "verified": not self.problems, "problems": self.problems,
        }


def package_version(path: str | Path) -> VersionInfo:
    """The package's version, created time, standard version, its releases (verified) and
    what changed in the working package since the last release."""
    package_dir = _package_dir(path)
    working = Snapshot.from_folder(package_dir)
    d = working.descriptor
    verification = verify_package_releases(package_dir)
    try:
        releases = read_index(package_dir)["releases"]
    except TamperedRelease:
        releases = []
    changes = None
    if releases and not verification.problems:
        base = _load_release(package_dir, releases[-1])
        base.label = f"{d.get('name')}@{releases[-1]['version']}"
        changes = diff_snapshots(base, working)
    return VersionInfo(path=str(package_dir), name=d.get("name"), title=d.get("title"), version=d.get("version"),
                       created=d.get("created"), standard_version=d.get("standardVersion"), releases=releases,
                       problems=verification.problems, working=changes)
