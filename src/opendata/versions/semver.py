"""Version numbers MAJOR.MINOR.PATCH: parsing, bumping, and what a change of the standard
version asks for."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from .errors import VersionError

BUMPS = ("patch", "minor", "major")  # in increasing order
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


def parse_version(text: str) -> tuple[int, int, int]:
    """"1.2.3" -> (1, 2, 3); VersionError for anything that is not MAJOR.MINOR.PATCH."""
    match = _SEMVER.match(str(text or ""))
    if not match:
        raise VersionError(f"{text!r} is not a version MAJOR.MINOR.PATCH (e.g. 1.0.0)")
    return int(match[1]), int(match[2]), int(match[3])


def bump_version(version: str, kind: str) -> str:
    """The version after `version` for a `kind` ("major", "minor" or "patch") change:
    bump_version("1.2.3", "minor") == "1.3.0". VersionError for a bad version, ValueError
    for another kind."""
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


def utc_now() -> str:
    """The current time in UTC to the second, ISO 8601 with Z ("2024-05-01T08:00:00Z")."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
