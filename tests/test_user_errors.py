"""Mistakes a new user made, each a clear one-line error (exit 2, no traceback) instead of a
crash or a misleading message (found by trying the tool as a new user would)."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from opendata.package import PackageError, read_package

from .conftest import run_cli

SEED = Path(__file__).resolve().parent.parent / "datapackages" / "110101-01075003-2021-budget"


def one_line_error(result, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "错误 / error" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def edited(tmp_path) -> Path:
    """A seed package whose expenditure_summary total of the second row was replaced by a formula."""
    package = tmp_path / "pkg"
    shutil.copytree(SEED, package)
    path = package / "data" / "expenditure_summary.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[2][rows[0].index("total")] = "=SUM(F2:G2)"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return package


@pytest.mark.parametrize("command", [["facts"], ["export-xlsx", "--out", "x.xlsx"]])
def test_a_formula_typed_into_an_amount_cell_is_a_clear_error(edited, tmp_path, command):
    args = [command[0], edited, *[tmp_path / a if a.endswith(".xlsx") else a for a in command[1:]]]
    one_line_error(run_cli(*args), "expenditure_summary.csv", "'total'", "=SUM(F2:G2)", "not a number")


def test_read_package_raises_package_error_for_a_bad_amount(edited):
    with pytest.raises(PackageError, match="line 3 .*'total'.*not a number"):
        read_package(edited)


def test_export_xlsx_onto_a_folder_is_a_clear_error(tmp_path):
    one_line_error(run_cli("export-xlsx", SEED, "--out", tmp_path), "is a folder")


def test_convert_out_dir_onto_a_file_says_it_is_a_file(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("mine", encoding="utf-8")
    source = next((Path(__file__).resolve().parents[2] / "shared" / "seeds").glob("*.txt"))
    one_line_error(run_cli("convert", source, "--out-dir", afile), "is a file, not a folder")
    assert afile.read_text(encoding="utf-8") == "mine"


def test_checkout_finds_the_package_below_the_current_folder(tmp_path):
    package = tmp_path / "work" / "packages" / "p"
    shutil.copytree(SEED, package)
    assert run_cli("release", package).returncode == 0
    name = read_package(package).name
    result = run_cli("checkout", f"{name}@latest", "--out", tmp_path / "co", cwd=tmp_path / "work")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "co" / "datapackage.json").exists()
    missing = run_cli("checkout", "no-such-package@latest", "--out", tmp_path / "co2", cwd=tmp_path / "work")
    one_line_error(missing, "no package named", "--from")
