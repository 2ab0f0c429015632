"""Snapshots: the content of one package version as {relative path: bytes}, read through
the one package object (`opendata.package.Package`)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Union

from ..package import DESCRIPTOR, Package, PackageError, descriptor_path, parse_json_object
from .archive import read_archive
from .errors import CHANGELOG, RELEASES, VersionError


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


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


class Snapshot:
    """The content of one package version: every file's bytes, by relative path (`files`),
    wrapped in a `Package` (`package`) through which its descriptor and tables are read.

    A folder's files are read once (`from_folder`), so what is diffed is exactly what a
    release archives; an archive's come from the tar (`from_archive`). `label` names the
    version in messages ("pkg@1.0.0" or the folder) and may be changed."""

    def __init__(self, label: str, files: dict[str, bytes]):
        self.package = Package.from_files(files, label)

    def __repr__(self) -> str:
        return f"Snapshot({self.label!r}, {len(self.files)} files)"

    @property
    def label(self) -> str:
        """What names this version in messages (that of its Package)."""
        return self.package.label

    @label.setter
    def label(self, value: str) -> None:
        """Rename the version in messages (its Package too)."""
        self.package.label = value

    @property
    def files(self) -> dict[str, bytes]:
        """Every file's bytes by relative POSIX path (the Package's in-memory files)."""
        return self.package.files

    @classmethod
    def from_folder(cls, path: str | Path, label: str | None = None) -> "Snapshot":
        """The working package in a folder (or of its datapackage.json): every file of
        `package_files`. PackageError when there is no package or naming datapackage.json when
        it cannot be parsed (checked now); VersionError when a file is a link."""
        package_dir = descriptor_path(path).parent
        files = {rel: (package_dir / rel).read_bytes() for rel in package_files(package_dir)}
        snapshot = cls(label or str(path), files)
        if DESCRIPTOR in files:  # checked now, so that errors name the file
            parse_json_object(files[DESCRIPTOR], str(package_dir / DESCRIPTOR))
        return snapshot

    @classmethod
    def from_archive(cls, data: bytes, label: str) -> "Snapshot":
        """The package in a release archive (.tar.gz bytes); TamperedRelease naming `label`
        when the archive cannot be read (see `read_archive`)."""
        return cls(label, read_archive(data, label))

    @property
    def descriptor(self) -> dict:
        """The parsed datapackage.json (read once); VersionError naming the snapshot when it
        is missing or not a JSON object."""
        if DESCRIPTOR not in self.files:
            raise VersionError(f"{self.label}: no {DESCRIPTOR}")
        try:
            return self.package.descriptor
        except VersionError:
            raise
        except PackageError as exc:
            raise VersionError(str(exc)) from exc

    @property
    def name(self) -> str | None:
        """The package name of the descriptor."""
        return self.descriptor.get("name")

    @property
    def version(self) -> str | None:
        """The version of the descriptor."""
        return self.descriptor.get("version")

    def file_hashes(self) -> dict[str, str]:
        """{relative path: sha256 hex} of every file, sorted by path (a release's manifest)."""
        return {path: sha256_hex(data) for path, data in sorted(self.files.items())}


SnapshotLike = Union[str, Path, Snapshot]
