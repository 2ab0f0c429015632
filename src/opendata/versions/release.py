"""Releasing: freeze the working package as its next version in releases/ (archive, index
entry, changelog), all or nothing, one release of a package at a time."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..package import DESCRIPTOR, PackageError, descriptor_bytes, fsync_dir, write_atomic, write_temp_beside
from .changelog import changelog_markdown
from .changes import Diff, content_summary, diff_snapshots
from .errors import CHANGELOG, INDEX, RELEASES, NothingToRelease, ReleaseRefused, TamperedRelease, VersionError
from .lock import release_lock
from .archive import make_archive
from .semver import bump_version, parse_version, utc_now
from .snapshot import Snapshot, sha256_hex
from .verify import load_release, package_dir_of, pending_archive, read_index

DETAIL_LIMIT = 50  # entries per kind kept in releases/index.json and shown in CHANGELOG.md


@dataclass
class Release:
    """A release made by `release`: its version, the one before (None for the first), the
    bump, when (`created`, UTC ISO 8601), the archive and its sha256, the diff against the
    previous release and its summary, and what was cleaned up first (`notes`)."""
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
        """JSON-ready form (the archive as a path string; the diff as its summary)."""
        return {"name": self.name, "version": self.version, "previous": self.previous, "bump": self.bump,
                "created": self.created, "note": self.note, "archive": str(self.archive), "sha256": self.sha256,
                "summary": self.summary, "notes": self.notes}


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
    package_dir = package_dir_of(path)
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
        base = load_release(package_dir, last, label=f"{name}@{previous}")
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
    created = now or utc_now()
    descriptor = dict(working.descriptor)
    files = dict(working.files)
    if descriptor.get("version") != new_version:
        descriptor["version"] = new_version
        files[DESCRIPTOR] = descriptor_bytes(descriptor)
    final = Snapshot(f"{name}@{new_version}", files)
    data = make_archive(files)
    sha = sha256_hex(data)
    archive = releases_dir / f"{new_version}-{sha[:12]}.tar.gz"

    summary = changes.summary() if changes else content_summary(final)
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
    tmp = write_temp_beside(archive, data, 0o444)
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
        pending = pending_archive(releases_dir, entry) if isinstance(entry, dict) else None
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
