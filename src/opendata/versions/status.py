"""What `opendata version` shows: a package's version, its verified releases and what changed
since the last one."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .changes import Diff, diff_snapshots
from .errors import TamperedRelease
from .semver import bump_version
from .snapshot import Snapshot
from .verify import load_release, package_dir_of, read_index, verify_package_releases


@dataclass
class VersionInfo:
    """What `opendata version` shows of a package: its descriptor's name, title, version,
    created time and standard version, its releases (index entries, oldest first), problems
    found checking them, and the diff of the working package since the last release (None
    without releases or when they fail their check)."""
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
        """The last released version, or None."""
        return self.releases[-1]["version"] if self.releases else None

    @property
    def next_release(self) -> str | None:
        """The version `opendata release` would make now, or None when nothing changed."""
        if self.working is None or not self.working or not self.latest:
            return None
        return bump_version(self.latest, self.working.bump())

    def to_dict(self) -> dict:
        """JSON-ready form (what `opendata version --json` prints)."""
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
    package_dir = package_dir_of(path)
    working = Snapshot.from_folder(package_dir)
    d = working.descriptor
    verification = verify_package_releases(package_dir)
    try:
        releases = read_index(package_dir)["releases"]
    except TamperedRelease:
        releases = []
    changes = None
    if releases and not verification.problems:
        base = load_release(package_dir, releases[-1], label=f"{d.get('name')}@{releases[-1]['version']}")
        changes = diff_snapshots(base, working)
    return VersionInfo(path=str(package_dir), name=d.get("name"), title=d.get("title"), version=d.get("version"),
                       created=d.get("created"), standard_version=d.get("standardVersion"), releases=releases,
                       problems=verification.problems, working=changes)
