"""Finding released versions (NAME@VERSION under a folder of packages), opening any version
as a snapshot, and checking one out into a folder byte for byte."""
from __future__ import annotations

import os
from pathlib import Path

from ..package import PackageError, check_output, find_packages, load_descriptor, output_folder
from .errors import DEFAULT_ROOT, VersionError
from .snapshot import Snapshot, SnapshotLike
from .verify import load_release, read_index


def find_package(name: str, root: str | Path | None = None) -> Path:
    """The folder of the package called `name` (datapackage.json `name`) under `root` (default:
    the current folder and every folder below it). VersionError when none or several are found."""
    root = Path(root) if root is not None else DEFAULT_ROOT
    matches = []
    try:
        found = find_packages(root)
    except PackageError as exc:
        raise VersionError(f"{exc}; give --from FOLDER (the folder that holds package {name!r})") from None
    for package_dir in found:
        try:
            descriptor = load_descriptor(package_dir)
        except PackageError:
            continue
        if descriptor.get("name") == name:
            matches.append(package_dir)
    if not matches:
        raise VersionError(f"no package named {name!r} under {root}; give --from FOLDER (the folder that holds it)")
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
    """The checked snapshot of `name`@`version` ("latest" for the last) found under `root`
    (default datapackages/), labelled NAME@VERSION. VersionError when the package or version
    is unknown, TamperedRelease when the archive fails its check."""
    package_dir = find_package(name, root)
    entry = _find_entry(package_dir, name, version)
    return load_release(package_dir, entry, label=f"{name}@{entry['version']}")


def checkout(name: str, version: str, out: str | Path, root: str | Path | None = None) -> Path:
    """Write released version `version` ("latest" for the last) of package `name` to the
    folder `out`, byte for byte, after checking its sha256. `out` must not exist or be an
    empty folder (OutputRefused otherwise, before anything is written; see
    `opendata.package.prepare_output`)."""
    out = Path(out)
    check_output(out, allow_replace_package=False)
    package_dir = find_package(name, root)
    entry = _find_entry(package_dir, name, version)
    snapshot = load_release(package_dir, entry)
    with output_folder(out, allow_replace_package=False) as staging:
        for rel, data in snapshot.files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, 0o644)
    return out


def parse_ref(ref: str) -> tuple[str, str]:
    """"NAME@VERSION" -> (NAME, VERSION), split at the last @; VersionError otherwise."""
    if "@" not in ref:
        raise VersionError(f"{ref!r}: expected NAME@VERSION (e.g. 110101-01075003-2021-budget@1.0.0)")
    name, version = ref.rsplit("@", 1)
    if not name or not version:
        raise VersionError(f"{ref!r}: expected NAME@VERSION")
    return name, version


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
