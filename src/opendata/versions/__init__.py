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

One module per job: errors (errors and the releases/ layout), semver, snapshot (a version's
files, read through opendata.package.Package), archive (.tar.gz), changes (the diff), render
(text and Markdown), lock, verify (tamper checks), release, changelog, checkout (finding and
opening versions), status (`opendata version`). Everything is re-exported here.
"""
from __future__ import annotations

from ..package import descriptor_bytes, write_atomic  # noqa: F401  (imported from here before)
from .archive import make_archive, read_archive  # noqa: F401
from .changelog import CHANGELOG_NOTE, changelog_markdown, write_changelog  # noqa: F401
from .changes import (  # noqa: F401
    IGNORED_METADATA, Diff, content_summary, diff, diff_snapshots, read_tables,
)
from .checkout import checkout, find_package, open_snapshot, parse_ref, release_snapshot  # noqa: F401
from .errors import (  # noqa: F401
    CHANGELOG, DEFAULT_ROOT, INDEX, RELEASES, NothingToRelease, ReleaseLocked, ReleaseRefused, TamperedRelease,
    VersionError,
)
from .lock import LOCK, LockOwner, release_lock  # noqa: F401
from .release import DETAIL_LIMIT, Release, finish_interrupted, release  # noqa: F401
from .render import SUMMARY_LABELS, render_markdown, render_text, summary_text, summary_text_zh  # noqa: F401
from .semver import BUMPS, bump_version, parse_version, standard_bump, utc_now  # noqa: F401
from .snapshot import Snapshot, SnapshotLike, package_files, sha256_hex  # noqa: F401
from .status import VersionInfo, package_version  # noqa: F401
from .verify import (  # noqa: F401
    Verification, load_release, package_dir_of, pending_archive, read_index, verify_entry, verify_package_releases,
    verify_releases,
)
