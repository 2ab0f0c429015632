"""What a package becomes in CKAN's DataStore, without a portal (opendata.ckan.datastore,
opendata.ckan.mapping): every stage takes the one Package object, so the descriptor is read
once, and table CSVs go through the one CSV reader (Package.csv, a BOM stripped)."""
from __future__ import annotations

import shutil

import pytest

from opendata.ckan import UnreadableTable, dataset_spec, datastore_records
from opendata.package import Package

from .conftest import REPO

SEED = REPO / "datapackages" / "110101-01075003-2021-budget"


@pytest.fixture
def package_dir(tmp_path):
    return shutil.copytree(SEED, tmp_path / SEED.name, ignore=shutil.ignore_patterns("releases", "CHANGELOG.md"))


def test_descriptor_is_read_once_for_every_table(package_dir):
    package = Package.open(package_dir)
    expected = {r["tableId"]: datastore_records(Package.open(package_dir), r["tableId"]) for r in package.resources}
    assert len(expected) > 3
    (package_dir / "datapackage.json").write_text("not JSON any more", encoding="utf-8")
    # the Package read its descriptor once: every table still maps from it
    for table_id, (fields, records) in expected.items():
        assert datastore_records(package, table_id) == (fields, records)
    spec = dataset_spec(Package.open(SEED), report_bytes=b"{}")
    assert [r.name for r in spec.resources if r.table_id] == list(expected)


def test_bom_is_stripped_and_row_id_kept(package_dir):
    package = Package.open(package_dir)
    table_id = package.resources[0]["tableId"]
    path = package_dir / package.resource(table_id)["path"]
    plain = datastore_records(Package.open(package_dir), table_id)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    fields, records = datastore_records(package, table_id)
    assert (fields, records) == plain and all(r["row_id"] for r in records)


def test_nul_is_refused_on_its_line_after_a_cell_with_a_line_break(package_dir):
    package = Package.open(package_dir)
    resource = next(r for r in package.resources if any(f["name"] == "item" for f in r["schema"]["fields"]))
    path = package_dir / resource["path"]
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    at = header.index("item")
    first = lines[1].split(",")
    first[at] = '"two\nlines"'  # record 1 now spans lines 2-3
    lines[1] = ",".join(first)
    second = lines[2].split(",")
    second[at] += "\0"  # record 2, on line 4
    lines[2] = ",".join(second)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(UnreadableTable, match=rf"{path}, line 4: a NUL character"):
        datastore_records(package, resource["tableId"])


def test_not_utf8_names_file_and_line(package_dir):
    package = Package.open(package_dir)
    resource = next(r for r in package.resources
                    if any(ord(c) > 127 for c in (package_dir / r["path"]).read_text(encoding="utf-8").split("\n")[1]))
    path = package_dir / resource["path"]
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(UnreadableTable, match=rf"{path}, line 2: .*not UTF-8"):
        datastore_records(package, resource["tableId"])
