"""Model -> package -> model: exact decimals, text as printed, order kept; the package is valid
for opendata and for plain frictionless; writing is atomic."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from opendata import read_package, write_package
from opendata.model import Row, Table
from opendata.package import (
    MAX_JSON_DEPTH, OutputRefused, PackageError, commit_output, load_descriptor, output_folder, prepare_output,
)

from .conftest import executable, run_cli, sample_disclosure


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_amounts_are_exact_decimals_in_yuan(package):
    rows = {row["row_id"]: row for row in csv_rows(package / "data" / "expenditure_summary.csv")}
    assert rows["total"]["total"] == "59320916.36"       # 5,932.091636 万元
    assert rows["total"]["project"] == "4618400"         # 461.84 万元
    assert rows["2080505"]["total"] == "0"               # 0.000000 万元
    assert rows["2080109"]["basic"] == ""                # blank stays blank
    basic = {row["row_id"]: row for row in csv_rows(package / "data" / "general_budget_basic_expenditure.csv")}
    assert basic["50101|30101"]["total"] == "1234567.89"
    assert basic["50201"]["total"] == "-12.5"


def test_round_trip_keeps_values_text_and_order(package):
    original = sample_disclosure()
    back = read_package(package)
    for name in ("unit_name", "unit_code", "parent_name", "parent_code", "division_code", "division_names",
                 "fiscal_year", "stage", "money_unit", "created"):
        assert getattr(back, name) == getattr(original, name), name
    assert back.source.filename == original.source.filename == "东城区社保中心2024年部门预算.pdf"
    assert back.source.sha256 == original.source.sha256
    assert back.source.title == original.source.title
    assert back.name == "110101-257004-2024-budget"
    assert back.title == "北京市东城区社会保险基金管理中心2024年部门预算"
    assert list(back.tables) == list(original.tables)
    for table_id, table in original.tables.items():
        read = back.tables[table_id]
        assert read.columns == table.columns
        assert (read.printed_title, read.money_unit, read.money_decimals, read.note) == \
               (table.printed_title, table.money_unit, table.money_decimals, table.note)
        assert [row.row_id for row in read.rows] == [row.row_id for row in table.rows]
        for mine, theirs in zip(table.rows, read.rows):
            assert theirs.row_type == mine.row_type
            assert theirs.source_line == mine.source_line
            assert theirs.source_page == mine.source_page
            for column in table.columns:
                expected, found = mine.values.get(column), theirs.values.get(column)
                assert found == expected, f"{table_id}/{mine.row_id}/{column}: {found!r} != {expected!r}"
                assert type(found) is type(expected), f"{table_id}/{mine.row_id}/{column}: {type(found)}"
    summary = back.tables["expenditure_summary"]
    assert summary.first_line == 40 and summary.last_line == 48 and summary.pages == [5]
    total = summary.row("total")
    assert total.get("total") == Decimal("59320916.36")
    assert total.get("project") == Decimal("4618400")
    assert summary.row("2080505").get("total") == Decimal("0")
    assert summary.row("2080109").get("basic") is None
    assert summary.row("2080109").get("item") == "社会保险经办机构"
    assert summary.note == "注：本表无政府性基金。"


def test_write_read_write_is_stable(package, tmp_path):
    again = write_package(read_package(package), tmp_path / "again")
    for name in ("datapackage.json", "data/expenditure_summary.csv", "data/general_budget_basic_expenditure.csv"):
        assert (again / name).read_bytes() == (package / name).read_bytes(), name


def test_descriptor_records_units_and_precision(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["moneyUnit"] == "万元"
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert resources["expenditure_summary"]["moneyUnit"] == "万元"
    assert resources["expenditure_summary"]["moneyDecimals"] == 6
    assert resources["general_budget_basic_expenditure"]["moneyUnit"] == "元"
    assert resources["expenditure_summary"]["path"] == "data/expenditure_summary.csv"
    fields = {f["name"]: f for f in resources["expenditure_summary"]["schema"]["fields"]}
    assert fields["total"]["type"] == "number" and fields["total"]["unit"] == "元"
    assert list(fields) == ["row_id", "row_type", "function_code", "item", "total", "basic", "project",
                            "source_page", "source_line"]
    header = (package / "data" / "expenditure_summary.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(fields)


def test_package_passes_opendata_validate(package):
    result = run_cli("validate", package)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_package_passes_plain_frictionless(package):
    result = subprocess.run([executable("frictionless"), "validate", "--json", str(package / "datapackage.json")],
                            capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["valid"] is True


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_failing_write_leaves_nothing(tmp_path):
    disclosure = sample_disclosure()
    disclosure.tables["no_such_table"] = Table("no_such_table", columns=["item", "total"],
                                               rows=[Row("x", "item", {"item": "x", "total": Decimal(1)})])
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(KeyError):
        write_package(disclosure, out / "pkg")
    assert _leftovers(out) == [], "a failed write left files behind"


def test_failing_write_keeps_the_previous_package(package):
    before = {p.relative_to(package): p.read_bytes() for p in package.rglob("*") if p.is_file()}
    disclosure = sample_disclosure()
    disclosure.tables["no_such_table"] = Table("no_such_table")
    with pytest.raises(KeyError):
        write_package(disclosure, package)
    after = {p.relative_to(package): p.read_bytes() for p in package.rglob("*") if p.is_file()}
    assert after == before
    assert _leftovers(package.parent) == [package.name]


def test_overwrite_false_refuses_an_existing_folder(package):
    with pytest.raises(PackageError):
        write_package(sample_disclosure(), package, overwrite=False)


def test_overwrite_replaces_the_whole_folder(package):
    """A table the old package had and the new one lacks goes; a file the descriptor does not
    list (the user's) makes the replacement refused instead."""
    tables = list(read_package(package).tables)
    smaller = sample_disclosure()
    del smaller.tables[tables[-1]]
    write_package(smaller, package)
    gone = read_package(package)
    assert list(gone.tables) == tables[:-1]
    assert sorted(p.name for p in (package / "data").iterdir()) == sorted(f"{t}.csv" for t in tables[:-1])
    assert _leftovers(package.parent) == [package.name]
    (package / "data" / "stale.csv").write_text("row_id\n", encoding="utf-8")
    with pytest.raises(PackageError, match="stale.csv"):
        write_package(sample_disclosure(), package)
    assert (package / "data" / "stale.csv").exists()


def test_read_package_accepts_the_descriptor_file(package):
    assert read_package(package / "datapackage.json").name == read_package(package).name


def test_read_package_refuses_escaping_paths(package):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../outside.csv"
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PackageError, match="outside the package"):
        read_package(package)


# -- descriptors nested too deeply (issue 17) -------------------------------------------

def nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.fixture
def deep_package(package, tmp_path) -> Path:
    """A copy of the package whose descriptor has a property nested 1,000 levels deep."""
    deep = tmp_path / "deep" / package.name
    shutil.copytree(package, deep)
    text = (deep / "datapackage.json").read_text(encoding="utf-8")
    (deep / "datapackage.json").write_text(text.replace('"countryCode"', f'"extra": {nested(1000)}, "countryCode"', 1),
                                           encoding="utf-8")
    return deep


@pytest.mark.parametrize("command", [
    ["validate", "{deep}", "--json"], ["facts", "{deep}"], ["release", "{deep}"], ["version", "{deep}"],
    ["diff", "{package}", "{deep}"], ["diff", "{deep}", "{package}"], ["upgrade", "{deep}", "--to", "0.1.0"],
    ["publish", "{deep}", "--dry-run", "--ckan", "http://127.0.0.1:9"], ["verify-releases", "{deep}"],
])
def test_deeply_nested_descriptor_is_a_clear_error_in_every_command(command, package, deep_package):
    args = [a.format(deep=deep_package, package=package) for a in command]
    run = subprocess.run([executable("opendata"), *args], capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert "Traceback" not in run.stderr and "RecursionError" not in run.stderr, run.stderr[-2000:]
    if command[0] == "verify-releases":  # reads no descriptor of the working package: nothing released yet
        assert run.returncode == 0
        return
    assert run.returncode != 0, run.stdout
    output = run.stdout + run.stderr
    assert str(deep_package / "datapackage.json") in output and "nested more than" in output, output[-2000:]


def test_nesting_limit_is_checked_in_the_parsed_descriptor(tmp_path):
    (tmp_path / "datapackage.json").write_text(nested(MAX_JSON_DEPTH + 1), encoding="utf-8")
    with pytest.raises(PackageError, match="nested more than"):
        load_descriptor(tmp_path)
    (tmp_path / "datapackage.json").write_text(nested(MAX_JSON_DEPTH), encoding="utf-8")
    assert load_descriptor(tmp_path)["a"]


# -- output folders (issue 17) ------------------------------------------------------------

def test_write_package_never_replaces_a_folder_that_is_not_ours(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "datapackage.json").write_text('{"name": "someone-elses", "resources": []}', encoding="utf-8")
    (mine / "data").mkdir()
    (mine / "data" / "theirs.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(OutputRefused, match="not written by opendata"):
        write_package(sample_disclosure(), mine)
    assert sorted(p.relative_to(mine).as_posix() for p in mine.rglob("*")) == ["data", "data/theirs.csv", "datapackage.json"]
    assert _leftovers(tmp_path) == ["mine"]


def test_write_package_into_an_empty_folder_and_over_its_own_package(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    write_package(sample_disclosure(), out)
    (out / "releases").mkdir()
    (out / "releases" / "index.json").write_text('{"releases": []}', encoding="utf-8")
    (out / "CHANGELOG.md").write_text("history", encoding="utf-8")
    write_package(sample_disclosure(), out)
    assert (out / "releases" / "index.json").read_text(encoding="utf-8") == '{"releases": []}'
    assert (out / "CHANGELOG.md").read_text(encoding="utf-8") == "history"
    assert _leftovers(tmp_path) == ["out"]


def test_current_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for target in (".", "..", tmp_path, "/"):
        with pytest.raises(OutputRefused):
            write_package(sample_disclosure(), target)
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_replacement_is_reported_with_the_way_out(package):
    """Killed between the two renames of a replacement, the old copy is beside the target."""
    old = package.with_name(f".{package.name}.old-x1y2z3")
    package.rename(old)
    with pytest.raises(OutputRefused, match="interrupted") as refused:
        write_package(sample_disclosure(), package)
    assert str(old) in str(refused.value) and not package.exists()


def test_prepare_and_commit_output(package):
    staging = prepare_output(package)
    assert staging.parent == package.parent and staging.name.startswith(f".{package.name}.")
    new = {"name": "new", "conversion": {"tool": "opendata test"}}
    (staging / "datapackage.json").write_text(json.dumps(new), encoding="utf-8")
    assert load_descriptor(package)["name"] != "new"  # the target is untouched until the commit
    assert commit_output(staging, package) == package
    assert load_descriptor(package) == new and _leftovers(package.parent) == [package.name]
    with output_folder(package, copy_existing=True) as copy:
        assert (copy / "datapackage.json").exists()
        (copy / "extra.txt").write_text("x", encoding="utf-8")
    assert (package / "extra.txt").exists() and _leftovers(package.parent) == [package.name]
    with pytest.raises(OutputRefused, match="extra.txt"):
        prepare_output(package)


def test_package_object_reads_a_folder_and_in_memory_files_alike(package):
    from opendata.package import Package

    on_disk = Package.open(package)
    files = {p.relative_to(package).as_posix(): p.read_bytes() for p in package.rglob("*") if p.is_file()}
    in_memory = Package.from_files(files, "archive")
    assert on_disk.descriptor == in_memory.descriptor
    for resource in on_disk.resources:
        table_id = resource.get("tableId") or resource["name"]
        assert on_disk.csv(table_id) is on_disk.csv(table_id)  # read once
        assert on_disk.csv(table_id).header == in_memory.csv(table_id).header
        assert on_disk.table(table_id) == in_memory.table(table_id) == read_package(package).tables[table_id]
    assert on_disk.disclosure().tables == read_package(package).tables


def test_the_one_csv_reader_refuses_or_strips_a_bom():
    from opendata.package import CsvEncodingError, parse_csv

    data = "row_id,item\n1,=x\n".encode("utf-8")
    assert parse_csv(data, "t.csv").records == [["1", "=x"]]
    with pytest.raises(CsvEncodingError, match="t.csv: line 1: .*byte order mark"):
        parse_csv(b"\xef\xbb\xbf" + data, "t.csv")
    assert parse_csv(b"\xef\xbb\xbf" + data, "t.csv", bom="strip").header == ["row_id", "item"]
    with pytest.raises(CsvEncodingError, match="t.csv: line 2: .*GBK"):
        parse_csv("row_id,item\n1,行政运行\n".encode("gbk"), "t.csv")


# -- the one atomic writer of single files --------------------------------------------

def test_write_atomic_replaces_a_file_and_keeps_its_mode(tmp_path):
    from opendata.package import write_atomic

    target = tmp_path / "report.md"
    write_atomic(target, "新".encode("utf-8"))
    assert target.read_bytes() == "新".encode("utf-8")
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second" and target.stat().st_mode & 0o777 == 0o600
    write_atomic(target, b"third", mode=0o444)
    assert target.stat().st_mode & 0o777 == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no temporary file left


def test_write_atomic_failing_leaves_the_old_content_and_no_temporary_file(tmp_path):
    from opendata.package import write_atomic

    target = tmp_path / "taken"
    (target / "inside").mkdir(parents=True)  # a folder where the file should go: the rename fails
    with pytest.raises(OSError):
        write_atomic(target, b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"] and (target / "inside").is_dir()
    with pytest.raises(OSError):
        write_atomic(tmp_path / "missing" / "file", b"data")


@pytest.mark.parametrize("command", [["validate"], ["facts"], ["facts", "--format", "json"]])
def test_output_file_that_cannot_be_written_is_a_clear_error(command, package, tmp_path):
    target = tmp_path / "no-such-folder" / "out.txt"
    result = run_cli(command[0], package, *command[1:], "--output", target)
    assert result.returncode == 2, result.stderr
    assert f"{target}: cannot be written" in result.stderr and "Traceback" not in result.stderr
    assert not target.parent.exists()


def test_output_file_is_replaced_whole(package, tmp_path):
    target = tmp_path / "facts.csv"
    target.write_text("old content that is longer than nothing\n" * 1000, encoding="utf-8")
    result = run_cli("facts", package, "--output", target)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("package,table,side,")
    assert "old content" not in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
