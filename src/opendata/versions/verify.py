"""Tamper checks: every released archive still matches what releases/index.json recorded
(sha256, archive name, file manifest, version)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..package import PackageError, descriptor_path, find_packages, glob_escape, parse_json_object
from .errors import INDEX, RELEASES, TamperedRelease, VersionError
from .semver import parse_version
from .snapshot import Snapshot, sha256_hex


def package_dir_of(path: str | Path) -> Path:
    """The folder of the package at `path` (a folder or its datapackage.json); PackageError
    when there is none."""
    return descriptor_path(path).parent


def read_index(package_dir: str | Path) -> dict:
    """The package's releases/index.json: {"name", "title", "releases": [entry, …]} (oldest
    first; {"name": None, "releases": []} before the first release). TamperedRelease naming
    the file when it is not a JSON object with a list of releases."""
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


def verify_entry(package_dir: Path, entry: dict) -> tuple[list[str], bytes | None]:
    """Problems with one released version, and the archive's bytes when it could be read."""
    version = entry.get("version")
    archive = entry.get("archive")
    if not isinstance(archive, str) or "/" in archive or "\\" in archive or archive.startswith("."):
        return [f"{version}: index entry names no archive inside releases/"], None
    path = package_dir / RELEASES / archive
    if not path.is_file():
        pending = pending_archive(package_dir / RELEASES, entry)
        if pending:
            return [f"{version}: the release was interrupted before its archive was put in place (it is in "
                    f"releases/{pending.name}); run `opendata release {package_dir}` to finish it"], None
        return [f"{version}: archive releases/{archive} is missing"], None
    data = path.read_bytes()
    problems = []
    sha = sha256_hex(data)
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
    """The check of one package's releases: `problems` (sentences) is empty when every
    archive matches its recorded sha256, manifest and version."""
    path: str
    name: str | None
    releases: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def to_dict(self) -> dict:
        """JSON-ready form ({"path", "name", "releases", "ok", "problems"})."""
        return {"path": self.path, "name": self.name, "releases": self.releases, "ok": self.ok, "problems": self.problems}


def verify_package_releases(package_dir: str | Path) -> Verification:
    """Check every release of one package (folder or its datapackage.json): the index is
    readable, versions increase, each archive matches its entry (`verify_entry`), and no
    archive in releases/ is unrecorded."""
    package_dir = package_dir_of(package_dir)
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


def load_release(package_dir: Path, entry: dict, label: str | None = None) -> Snapshot:
    """The snapshot of one released version (an entry of releases/index.json), after checking
    it (`verify_entry`; TamperedRelease listing the problems). `label` names it in messages
    (default FOLDER@VERSION)."""
    problems, data = verify_entry(package_dir, entry)
    if problems:
        raise TamperedRelease("; ".join(problems))
    return Snapshot.from_archive(data, label or f"{entry.get('name') or package_dir.name}@{entry['version']}")


def pending_archive(releases_dir: Path, entry: dict) -> Path | None:
    """The temporary file holding the archive of a recorded release that was interrupted
    before its archive got its final name (content matching the recorded sha256), if any."""
    archive = entry.get("archive")
    if not isinstance(archive, str) or "/" in archive or (releases_dir / archive).exists():
        return None
    for path in sorted(releases_dir.glob(f".{glob_escape(archive)}.*")):
        if path.is_file() and sha256_hex(path.read_bytes()) == entry.get("sha256"):
            return path
    return None
