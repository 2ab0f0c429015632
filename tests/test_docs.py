"""The committed generated files equal what the standard produces now, and the site builds."""
from __future__ import annotations

import os
import subprocess

import pytest

from opendata.site import DOCS, HANDWRITTEN_NAV, REPO, generated_files

from .conftest import executable

GENERATED = generated_files()


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: str(p.relative_to(REPO)))
def test_generated_file_is_current(path):
    relative = path.relative_to(REPO)
    assert path.exists(), f"{relative} is missing: run `opendata build-standard`"
    assert path.read_text(encoding="utf-8") == GENERATED[path], f"{relative} is out of date: run `opendata build-standard`"


def test_generated_files_are_tracked_by_git():
    listed = subprocess.run(["git", "ls-files", "--", "schema/tables", "schema/ckan", "site"], cwd=REPO, capture_output=True,
                            text=True, check=True).stdout.split()
    untracked = [str(p.relative_to(REPO)) for p in GENERATED if str(p.relative_to(REPO)) not in listed]
    assert not untracked, f"generated but not committed: {untracked[:10]}: run `opendata build-standard` and commit"


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
