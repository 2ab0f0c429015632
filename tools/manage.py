"""The repository's maintenance commands (the standard's maintainers run them from a checkout;
they are not part of the installed `opendata` package).

    python tools/manage.py build-standard           # regenerate every file derived from schema/
    python tools/manage.py build-standard --check   # list stale generated files; exit 1 if any

Like the Open Contracting standard's manage.py: schema/ holds the data, this derives the
generated files from it, and tests/test_docs.py fails when a committed one differs.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make `tools` importable as a package
    sys.path.insert(0, str(REPO))
# Generate from this checkout's schema/, also where `opendata` reads the standard on import
# (opendata.standard.SCHEMA_DIR_ENV; named literally: importing opendata would read it first).
os.environ["OPENDATA_SCHEMA_DIR"] = str(REPO / "schema")

from tools.build import stale_files, write_generated  # noqa: E402


def build_standard(check: bool) -> int:
    """Regenerate the table schemas, the CKAN schema, the docs' reference pages, the frozen copy
    of the current version and site/mkdocs.yml from schema/; with `check`, only list the files
    that differ (exit code 1 if any)."""
    if check:
        stale = stale_files()
        for path in stale:
            print(f"out of date: {path.relative_to(REPO)}")
        return 1 if stale else 0
    for path in write_generated():
        print(f"wrote {path.relative_to(REPO)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the command; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python tools/manage.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-standard", help="Regenerate the files derived from schema/.")
    build.add_argument("--check", action="store_true",
                       help="Only report files that differ from what schema/ produces; exit 1 if any.")
    args = parser.parse_args(argv)
    return build_standard(args.check)


if __name__ == "__main__":
    sys.exit(main())
