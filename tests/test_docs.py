"""The committed generated files equal what the standard produces now, and the site builds."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import REPO, executable

if str(REPO) not in sys.path:  # the generators are the repository's tooling (tools/), not in the package
    sys.path.insert(0, str(REPO))

from tools.build import generated_files  # noqa: E402
from tools.common import DOCS  # noqa: E402
from tools.site_config import HANDWRITTEN_NAV  # noqa: E402

BUILD = "python tools/manage.py build-standard"
GENERATED = generated_files()


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: str(p.relative_to(REPO)))
def test_generated_file_is_current(path):
    relative = path.relative_to(REPO)
    assert path.exists(), f"{relative} is missing: run `{BUILD}`"
    assert path.read_text(encoding="utf-8") == GENERATED[path], f"{relative} is out of date: run `{BUILD}`"


def test_generated_files_are_tracked_by_git():
    listed = subprocess.run(["git", "ls-files", "--", "schema/tables", "schema/ckan", "site"], cwd=REPO, capture_output=True,
                            text=True, check=True).stdout.split()
    untracked = [str(p.relative_to(REPO)) for p in GENERATED if str(p.relative_to(REPO)) not in listed]
    assert not untracked, f"generated but not committed: {untracked[:10]}: run `{BUILD}` and commit"


def _nav_pages(items):
    for item in items:
        for value in item.values():
            if isinstance(value, list):
                yield from _nav_pages(value)
            else:
                yield value


def test_handwritten_pages_exist():
    for page in _nav_pages(HANDWRITTEN_NAV):
        assert (DOCS / page).is_file(), f"site/docs/{page} is in the nav but does not exist"


def test_mkdocs_build_strict(tmp_path):
    result = subprocess.run(
        [executable("mkdocs"), "build", "--strict", "-f", str(REPO / "site" / "mkdocs.yml"), "-d", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=REPO / "site", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = tmp_path / "out" / "reference" / "tables" / "expenditure_summary.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert "部门支出总表" in html and "function_code" in html
    assert (tmp_path / "out" / "schema" / "tables" / "expenditure_summary.json").is_file()
    assert (tmp_path / "out" / "guide" / "consume.html").is_file()


def test_manage_checks_the_repository_schema_from_anywhere(tmp_path):
    """`python tools/manage.py build-standard --check` derives from this checkout's schema/, whatever the
    working directory and $OPENDATA_SCHEMA_DIR (another copy of the standard) say."""
    other = tmp_path / "schema"
    shutil.copytree(REPO / "schema", other)
    rules = other / "rules.csv"
    rules.write_text(rules.read_text(encoding="utf-8").replace("\n", "\nchanged.rule,structure,error,改,Changed,x\n", 1),
                     encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "tools" / "manage.py"), "build-standard", "--check"],
                            cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=300,
                            env={**os.environ, "OPENDATA_SCHEMA_DIR": str(other)})
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
