"""Every stage takes the one package object (`opendata.package.Package`) and reads table CSVs
with the one CSV reader (`parse_csv`): validate, facts and upgrade, from a folder or from
files held in memory."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from opendata.facts import facts
from opendata.package import Package, load_descriptor, write_package
from opendata.upgrade import Migration, upgrade
from opendata.validate import validate_package
from opendata.versions import VersionError

from opendata.standard import SCHEMA_DIR_ENV

from .clean_packages import clean_disclosure
from .conftest import REPO
from .test_upgrade import schema_copy

SEED = REPO / "datapackages" / "110102-257004-2023-budget"
SRC = REPO / "src" / "opendata"


def in_memory(folder: Path) -> Package:
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    return Package.from_files(files, label=folder.name)


class CountingPackage(Package):
    """A real Package that counts the files it reads (by relative path)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.reads: dict[str, int] = {}

    def read_bytes(self, relative):
        self.reads[relative] = self.reads.get(relative, 0) + 1
        return super().read_bytes(relative)


def findings(report) -> list[dict]:
    return [f.to_dict() if hasattr(f, "to_dict") else vars(f) for f in report.findings]


def test_validate_package_takes_a_package_object_in_memory():
    on_disk = validate_package(SEED)
    held = validate_package(in_memory(SEED))
    assert findings(held) == findings(on_disk)
    assert (held.tables, held.rows, held.name) == (on_disk.tables, on_disk.rows, on_disk.name)
    assert held.tables > 5 and held.rows > 0


def test_validation_reads_each_table_once_for_every_layer():
    package = CountingPackage(folder=SEED)
    report = validate_package(package)
    tables = [r["path"] for r in load_descriptor(SEED)["resources"]]
    assert report.tables == len(tables)
    assert {path: package.reads.get(path) for path in tables} == {path: 1 for path in tables}


def test_encoding_findings_in_memory_are_those_on_disk(tmp_path):
    package = write_package(clean_disclosure(0), tmp_path / "p")
    target = package / "data" / "expenditure_summary.csv"
    target.write_bytes(b"\xef\xbb\xbf" + target.read_bytes().replace("合计".encode(), "合计".encode("gbk")))
    on_disk, held = validate_package(package), validate_package(in_memory(package))
    encoding = [f for f in findings(on_disk) if f["rule"] == "table.encoding"]
    assert encoding and "byte order mark" in encoding[0]["message"]
    assert findings(held) == findings(on_disk)


def test_facts_of_a_package_object_are_those_of_its_folder():
    assert list(facts(in_memory(SEED))) == list(facts(SEED))


@pytest.mark.parametrize("damage, words", [
    (lambda data: b"\xef\xbb\xbf" + data, ("line 1", "byte order mark")),
    (lambda data: data.decode("utf-8").encode("gbk"), ("line ", "GBK")),
])
def test_upgrade_names_file_and_line_of_a_csv_it_cannot_read(tmp_path, monkeypatch, damage, words):
    package = write_package(clean_disclosure(0), tmp_path / "p")
    target = package / "data" / "expenditure_summary.csv"
    target.write_bytes(damage(target.read_bytes()))
    before = {p: p.read_bytes() for p in package.rglob("*") if p.is_file()}
    monkeypatch.setenv(SCHEMA_DIR_ENV, str(schema_copy(tmp_path, "1.0.0")))
    migrations = [Migration("0.1.0", "1.0.0", "map_code", table="expenditure_summary", field="function_code", old="201", new="299")]
    with pytest.raises(VersionError) as caught:
        upgrade(package, migrations=migrations)
    message = str(caught.value)
    assert "expenditure_summary.csv" in message and all(word in message for word in words), message
    assert {p: p.read_bytes() for p in package.rglob("*") if p.is_file()} == before  # nothing written


def test_no_csv_reader_over_table_csvs_outside_the_package_reader():
    readers = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "package_reader.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\bcsv\.(reader|DictReader)\(", line):
                readers.append(f"{path.relative_to(SRC)}:{number}")
    # standard.read_csv reads the standard's own files in schema/ (code lists, rules), not a package's tables
    assert {r.split(":")[0] for r in readers} <= {"standard.py"}, readers
