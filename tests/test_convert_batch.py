"""`opendata convert SOURCES --out-dir DIR` (`opendata.convert.batch.convert_batch`): every
source is converted on its own; the packages of those that convert are written, each refused
one is named with its reason, a summary table and a JSON report give the counts; `--jobs`
converts in parallel and gives the same packages."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from opendata.convert.batch import CONVERTED, NOT_WRITTEN, REFUSED, convert_batch
from tests.seeds import seed_path

OPENDATA = Path(sys.executable).parent / "opendata"


def convert(*args) -> subprocess.CompletedProcess:
    return subprocess.run([OPENDATA, "convert", *map(str, args)], capture_output=True, text=True)


def not_a_disclosure(tmp_path: Path) -> Path:
    path = tmp_path / "notice.txt"
    path.write_text("关于开展春季植树活动的通知\n各单位：请于三月十二日前报名。\n", encoding="utf-8")
    return path


def package_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_out_dir_writes_the_good_names_the_bad_and_exits_2(tmp_path):
    bad = not_a_disclosure(tmp_path)
    out, report = tmp_path / "out", tmp_path / "report.json"
    done = convert(seed_path("000"), bad, seed_path("001"), "--out-dir", out, "--report", report)
    assert done.returncode == 2, done.stderr
    assert f"错误 / error: {bad}" in done.stderr
    assert "summary: 3 source(s), 2 converted, 1 refused, 0 refused by --strict, 0 not written" in done.stdout
    assert done.stdout.count("converted ") >= 2 and "refused " in done.stdout  # the summary table
    assert len([p for p in out.iterdir()]) == 2 and not any(p.name.startswith(".") for p in out.iterdir())
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["converted"] == 2 and data["summary"]["refused"] == 1
    statuses = [item["status"] for item in data["items"]]
    assert statuses == [CONVERTED, REFUSED, CONVERTED]
    refused = data["items"][1]
    assert refused["source"] == str(bad) and "notice.txt" in refused["error"] and refused["package"] is None
    first = data["items"][0]
    assert Path(first["package"]).is_dir() and first["tables"] and first["rows"] > 0 and first["amounts"] > 0
    assert first["warnings"] == len(first["warning_texts"])


def test_all_converted_exits_0(tmp_path):
    done = convert(seed_path("002"), "--out-dir", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "1 converted, 0 refused" in done.stdout


def test_parallel_jobs_give_the_same_packages(tmp_path):
    sources = [seed_path(p) for p in ("000", "001", "002", "003")]
    one = convert_batch(sources, tmp_path / "one", jobs=1)
    two = convert_batch(sources, tmp_path / "two", jobs=2)
    assert [i.status for i in one.items] == [i.status for i in two.items] == [CONVERTED] * 4
    for a, b in zip(one.items, two.items):
        assert Path(a.package).name == Path(b.package).name
        left, right = package_files(Path(a.package)), package_files(Path(b.package))
        left.pop("datapackage.json"), right.pop("datapackage.json")  # holds the creation time
        assert left == right
    assert one.summary()["amounts"] == two.summary()["amounts"] > 0


def test_two_sources_giving_one_package_the_second_is_not_written(tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(seed_path("000").read_bytes())
    report = convert_batch([seed_path("000"), copy], tmp_path / "out", jobs=1)
    assert [i.status for i in report.items] == [CONVERTED, NOT_WRITTEN]
    assert "already gives the package" in report.items[1].error and str(seed_path("000")) in report.items[1].error


def test_a_refused_output_folder_is_not_written_and_the_rest_go_on(tmp_path):
    out = tmp_path / "out"
    first = convert_batch([seed_path("000")], out)
    foreign = Path(first.items[0].package)
    (foreign / "data" / "mine.txt").write_text("the user's own file", encoding="utf-8")
    report = convert_batch([seed_path("000"), seed_path("001")], out)
    assert [i.status for i in report.items] == [NOT_WRITTEN, CONVERTED]
    assert (foreign / "data" / "mine.txt").read_text(encoding="utf-8") == "the user's own file"


def test_strict_refuses_each_document_with_warnings_and_exits_1(tmp_path):
    """Seed 002 converts with warnings, seed 003 without (datapackages/*/datapackage.json: conversion.warnings)."""
    out = tmp_path / "out"
    done = convert(seed_path("003"), seed_path("002"), "--out-dir", out, "--strict")
    assert done.returncode == 1, done.stderr
    assert "warning(s) with --strict; not written" in done.stderr and "1 refused by --strict" in done.stdout
    assert len(list(out.iterdir())) == 1


def test_bad_options_are_refused_before_anything_is_written(tmp_path):
    done = convert(seed_path("000"), "--out", tmp_path / "pkg", "--report", tmp_path / "r.json")
    assert done.returncode == 2 and "--out-dir" in done.stderr
    done = convert(seed_path("000"), "--out-dir", tmp_path / "out", "--jobs", "-1")
    assert done.returncode == 2 and "jobs" in done.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "pkg").exists() and not (tmp_path / "r.json").exists()


def test_an_out_dir_or_report_that_cannot_be_written_is_said_before_converting(tmp_path):
    """Under a file nothing can be created (even for root): the run stops at once, naming the
    folder, with no document converted; an --out-dir that is a file still gets a report saying why."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    done = convert(seed_path("000"), "--out-dir", blocker / "out")
    assert done.returncode == 2 and f"{blocker}: is a file, not a folder" in done.stderr
    assert "converting" not in done.stderr and "summary:" not in done.stdout
    done = convert(seed_path("000"), "--out-dir", tmp_path / "out", "--report", blocker / "r.json")
    assert done.returncode == 2 and "--report" in done.stderr and not (tmp_path / "out").exists()
    report = tmp_path / "r.json"
    done = convert(seed_path("000"), "--out-dir", blocker, "--report", report)
    assert done.returncode == 2
    data = json.loads(report.read_text(encoding="utf-8"))
    assert "is a file" in data["error"] and data["items"] == [] and data["summary"]["sources"] == 0


def test_warnings_of_documents_not_written_are_counted(tmp_path):
    """--strict refuses seed 002 for its warnings: the summary still counts them, as its row does."""
    report = convert_batch([seed_path("002")], tmp_path / "out", strict=True)
    item = report.items[0]
    assert item.warnings > 0 and report.summary()["warnings"] == item.warnings and report.summary()["converted"] == 0
