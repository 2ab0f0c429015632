"""The Python API mirrors the CLI: whatever a command does, a Python user does with the same
names (`opendata.convert`, `opendata.validate`, …; the table on site/docs/guide/cli.md)."""
from __future__ import annotations

import json
import shutil

import pytest

import opendata
from opendata.convert import ConversionResult, StrictRefused, convert_file
from opendata.package import PackageError, load_descriptor
from opendata.validate import Report

from .conftest import REPO
from tests.seeds import seed_path

API = ["convert", "convert_file", "convert_to_package", "convert_batch", "validate", "facts", "publish", "pull",
       "release", "diff", "checkout", "upgrade", "read_package", "write_package", "Package"]
SEEDS = REPO / "datapackages"


@pytest.mark.parametrize("name", API)
def test_top_level_names_are_documented_callables(name):
    value = getattr(opendata, name)
    assert callable(value), name
    assert (value.__doc__ or "").strip(), f"opendata.{name} has no docstring"
    assert name in opendata.__all__


def test_convert_stays_a_subpackage_and_is_callable(tmp_path):
    import opendata.convert as module
    from opendata.convert import convert_to_package

    assert module is opendata.convert and module.convert_file is convert_file
    result = opendata.convert(seed_path("001"), tmp_path / "out")
    assert isinstance(result, ConversionResult) and result.path == tmp_path / "out"
    assert load_descriptor(tmp_path / "out")["name"] == result.disclosure.name
    assert convert_to_package is opendata.convert_to_package


def test_regenerating_a_package_keeps_its_version_and_created(tmp_path):
    out = tmp_path / "pkg"
    opendata.convert_to_package(seed_path("001"), out)
    path = out / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["version"], descriptor["created"] = "3.1.4", "2020-01-02T03:04:05Z"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = opendata.convert_to_package(seed_path("001"), out)
    assert (result.disclosure.version, result.disclosure.created) == ("3.1.4", "2020-01-02T03:04:05Z")
    again = load_descriptor(out)
    assert (again["version"], again["created"]) == ("3.1.4", "2020-01-02T03:04:05Z")


def test_convert_batch_writes_each_package_on_its_own(tmp_path):
    out_dir = tmp_path / "packages"
    name = convert_file(seed_path("002")).disclosure.name
    out_dir.mkdir()
    (out_dir / name).write_text("a file where the second package would go", encoding="utf-8")
    report = opendata.convert_batch([seed_path("001"), seed_path("002")], out_dir, jobs=1)
    assert [item.status for item in report.items] == ["converted", "not_written"]
    assert name in report.items[1].error
    assert (out_dir / name).read_text(encoding="utf-8") == "a file where the second package would go"


def test_convert_under_strict_refuses_warnings_and_writes_nothing(tmp_path):
    with pytest.raises(StrictRefused) as caught:
        opendata.convert_to_package(seed_path("002"), tmp_path / "out", strict=True)
    assert caught.value.result.warnings and "002" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_convert_batch_refuses_an_out_dir_that_is_a_file(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("mine", encoding="utf-8")
    with pytest.raises(PackageError):
        opendata.convert_batch([seed_path("001")], afile)
    assert afile.read_text(encoding="utf-8") == "mine"


def test_validate_takes_several_paths_once_each_and_reports_progress(tmp_path):
    one = SEEDS / "110102-257004-2023-budget"
    seen = []
    report = opendata.validate([one, SEEDS, one], progress=lambda path, done, total: seen.append((path, done, total)))
    packages = sorted(p for p in SEEDS.iterdir() if (p / "datapackage.json").exists())
    assert isinstance(report, Report)
    assert [r.path for r in report.packages] == [str(one)] + [str(p) for p in packages if p != one]
    assert [(done, total) for _, done, total in seen] == [(i, len(packages)) for i in range(1, len(packages) + 1)]


def test_validate_refuses_a_path_without_packages_before_validating_any(tmp_path):
    seen = []
    with pytest.raises(PackageError):
        opendata.validate([SEEDS / "110102-257004-2023-budget", tmp_path], progress=lambda *args: seen.append(args))
    assert not seen
