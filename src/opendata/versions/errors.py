"""The errors of versions and releases, and where a package keeps its releases.

Exit codes of the command line: VersionError 2 (cannot be done), ReleaseRefused and
TamperedRelease 1 (the answer is no / the history is damaged)."""
from __future__ import annotations

from pathlib import Path

from ..package import PackageError

RELEASES = "releases"  # <package>/releases/: archives, index.json, .lock
INDEX = "index.json"  # <package>/releases/index.json: the record of releases
CHANGELOG = "CHANGELOG.md"  # <package>/CHANGELOG.md, generated from the index
DEFAULT_ROOT = Path(".")  # where NAME@VERSION is looked for by default: the current folder and below


class VersionError(PackageError):
    """Something about versions or releases that cannot be done (CLI exit 2)."""


class ReleaseRefused(VersionError):
    """A release that must not be made: nothing changed, or the version exists (CLI exit 1)."""


class NothingToRelease(ReleaseRefused):
    """The working package equals its last release."""


class TamperedRelease(VersionError):
    """A released archive (or its index entry) no longer matches what was released (CLI exit 1)."""


class ReleaseLocked(VersionError):
    """Another release of the same package is running (CLI exit 2)."""
