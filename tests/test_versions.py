"""Versions, releases, diffs and changelogs (opendata.versions, issue 6)."""
from __future__ import annotations

import csv
import io
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from opendata.cli import main
from opendata.model import Disclosure, Row, SourceDocument, Table
from opendata.package import write_package
from opendata.versions import (
    NothingToRelease, ReleaseRefused, Snapshot, TamperedRelease, bump_version, checkout, diff, make_archive,
    package_files, package_version, read_index, release, verify_releases,
)

REPO = Path(__file__).resolve().parents[1]
NAME = "110101-u0000001-2021-budget"


def general_budget(rows: int = 4) -> Table:
    table = Table("general_budget_expenditure", columns=["function_code", "item", "total", "basic", "project"],
                  money_unit="万元", money_decimals=2, printed_title="一般公共预算支出表")
    for i in range(rows):
        code = f"20801{i:02d}"
        table.rows.append(Row(code, values={"function_code": code, "item": f"科目{i}", "total": Decimal(f"{100 + i}.5"),
                                            "basic": Decimal(f"{60 + i}"), "project": Decimal("40.5")}, source_line=10 + i))
    table.rows.append(Row("total", row_type="total", values={"item": "合计", "total": Decimal("999")}, source_line=30))
    return table


def fund_table() -> Table:
    table = Table("government_fund_expenditure", columns=["function_code", "item", "total"])
    table.rows.append(Row("2120801", values={"function_code": "2120801", "item": "征地和拆迁补偿支出", "total": Decimal("5000")}))
    return table


def disclosure(**tables: Table) -> Disclosure:
    d = Disclosure(unit_name="北京市东城区测试中心", fiscal_year=2021, stage="budget", name=NAME,
                   source=SourceDocument(filename="doc.txt", sha256="0" * 64, bytes=10, format="txt"),
                   division_code="110101", division_names=["北京市", "东城区"], created="2026-01-01T00:00:00Z")
    d.tables = {t.table_id: t for t in tables.values()} or {"general_budget_expenditure": general_budget()}
    return d


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "datapackages"


@pytest.fixture
def package(root) -> Path:
    return write_package(disclosure(), root / NAME)


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(package: Path, table: str, row_id: str, column: str, value: str) -> None:
    path = package / "data" / f"{table}.csv"
    rows = read_rows(path)
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("row_id")] == row_id:
            row[header.index(column)] = value
    write_rows(path, rows)


def rewrite(package: Path, d: Disclosure) -> None:
    """Re-write the package's content in place, keeping releases/ and CHANGELOG.md.

    (write_package replaces the whole folder, so it is written beside and copied over.)"""
    fresh = write_package(d, package.parent / ".fresh")
    shutil.rmtree(package / "data")
    shutil.copytree(fresh / "data", package / "data")
    shutil.copyfile(fresh / "datapackage.json", package / "datapackage.json")
    shutil.rmtree(fresh)


def all_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- release and bumps --------------------------------------------------------------

def test_first_release_is_the_current_version(package):
    before = (package / "datapackage.json").read_bytes()
    first = release(package, note="首次发布")
    assert first.version == "1.0.0" and first.previous is None and first.bump is None
    assert first.archive.parent == package / "releases"
    assert first.archive.name == f"1.0.0-{first.sha256[:12]}.tar.gz"
    index = read_index(package)
    assert [e["version"] for e in index["releases"]] == ["1.0.0"]
    assert index["releases"][0]["note"] == "首次发布"
    assert index["releases"][0]["summary"] == {"tables": 1, "rows": 5}
    # the working descriptor already says 1.0.0: the release leaves it as it was, byte for byte
    assert (package / "datapackage.json").read_bytes() == before
    assert index["releases"][0]["created"] == first.created
    assert "1.0.0" in (package / "CHANGELOG.md").read_text(encoding="utf-8")
    assert not (package / "releases" / ".lock").exists()
    # the archive is read-only
    assert not first.archive.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_changed_cell_gives_patch_with_one_cell_diff(package):
    release(package)
    set_cell(package, "general_budget_expenditure", "2080101", "total", "123.45")
    second = release(package, note="更正一个数")
    assert (second.previous, second.version, second.bump) == ("1.0.0", "1.0.1", "patch")
    d = second.diff
    assert d.summary() == {**{k: 0 for k in d.summary()}, "cells_changed": 1}
    assert d.cells_changed == [{"table": "general_budget_expenditure", "row_id": "2080101", "item": "科目1",
                                "column": "total", "old": "101.5", "new": "123.45"}]
    changelog = (package / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 1.0.1") < changelog.index("## 1.0.0")
    assert "更正一个数" in changelog and "| general_budget_expenditure | 2080101 | 科目1 | total | 101.5 | 123.45 |" in changelog
    assert json.loads((package / "datapackage.json").read_text(encoding="utf-8"))["version"] == "1.0.1"


def test_release_changes_only_the_version_of_the_working_descriptor(package):
    release(package, now="2026-05-01T00:00:00Z")
    set_cell(package, "general_budget_expenditure", "2080101", "total", "123.45")
    before = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    release(package, now="2026-06-01T00:00:00Z")
    after = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert after == {**before, "version": "1.0.1"}
    assert after["created"] == "2026-01-01T00:00:00Z"  # when the package was made, not when it was released
    assert [e["created"] for e in read_index(package)["releases"]] == ["2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z"]


def test_added_table_gives_minor(package):
    release(package)
    rewrite(package, disclosure(a=general_budget(), b=fund_table()))
    result = release(package)
    assert (result.version, result.bump) == ("1.1.0", "minor")
    assert result.diff.tables_added == [{"table": "government_fund_expenditure", "rows": 1}]
    assert result.diff.summary()["cells_changed"] == 0 and result.diff.summary()["metadata_changed"] == 0


def test_added_row_gives_minor_and_removed_row_gives_major(package):
    release(package)
    rewrite(package, disclosure(a=general_budget(rows=5)))
    added = release(package)
    assert (added.version, added.bump) == ("1.1.0", "minor")
    assert [(r["table"], r["row_id"]) for r in added.diff.rows_added] == [("general_budget_expenditure", "2080104")]
    rewrite(package, disclosure(a=general_budget(rows=3)))
    removed = release(package)
    assert (removed.version, removed.bump) == ("2.0.0", "major")
    assert [r["row_id"] for r in removed.diff.rows_removed] == ["2080103", "2080104"]


def test_new_major_standard_version_gives_major(package):
    release(package)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["standardVersion"] = "1.0.0"
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    result = release(package)
    assert (result.version, result.bump) == ("2.0.0", "major")
    assert result.diff.metadata_changed == [{"path": "standardVersion", "old": "0.2.0", "new": "1.0.0"}]


def test_release_with_no_change_is_refused(package):
    release(package)
    archives = sorted((package / "releases").iterdir())
    with pytest.raises(NothingToRelease, match="nothing changed since 1.0.0"):
        release(package)
    # a re-written package with the same values (new created time) is no change either
    fresh = disclosure()
    fresh.created = "2027-01-01T00:00:00Z"
    rewrite(package, fresh)
    with pytest.raises(NothingToRelease):
        release(package)
    assert sorted((package / "releases").iterdir()) == archives
    result = CliRunner().invoke(main, ["release", str(package)])
    assert result.exit_code == 1 and "nothing changed since 1.0.0" in result.output


def test_releasing_an_existing_version_is_refused(package):
    release(package)
    set_cell(package, "general_budget_expenditure", "2080101", "total", "1")
    with pytest.raises(ReleaseRefused, match="version 1.0.0 is already released"):
        release(package, version="1.0.0")
    with pytest.raises(ReleaseRefused, match="at least 1.0.1"):
        release(package, version="0.9.0")
    assert release(package, version="1.2.0").version == "1.2.0"  # higher than needed is allowed
    set_cell(package, "general_budget_expenditure", "2080101", "total", "2")
    result = CliRunner().invoke(main, ["release", str(package), "--version", "1.2.0"])
    assert result.exit_code == 1 and "1.2.0" in result.output


def test_archive_is_never_overwritten(package):
    first = release(package)
    data = first.archive.read_bytes()
    (package / "releases" / "index.json").unlink()  # as if the index had been lost
    os.chmod(first.archive, 0o644)
    with pytest.raises(ReleaseRefused, match="never overwritten"):
        release(package, version="1.0.0", now=first.created)  # same content, same bytes, same name
    assert first.archive.read_bytes() == data


# -- immutability ----------------------------------------------------------------------

def test_archives_are_deterministic(package):
    files = Snapshot.from_folder(package).files
    assert make_archive(files) == make_archive(dict(reversed(list(files.items()))))
    assert "releases/index.json" not in package_files(package)


def test_checkout_returns_identical_bytes(package, root, tmp_path):
    (package / "source").mkdir()
    (package / "source" / "说明文件.txt").write_bytes("原始文件 bytes \x00\r\n".encode("utf-8"))
    release(package)
    released_1 = all_files(package)
    set_cell(package, "general_budget_expenditure", "2080102", "basic", "7")
    release(package)
    released_2 = all_files(package)

    out1 = checkout(NAME, "1.0.0", tmp_path / "out1", root=root)
    out2 = tmp_path / "out2"
    result = CliRunner().invoke(main, ["checkout", f"{NAME}@1.0.1", "--from", str(root), "--out", str(out2)])
    assert result.exit_code == 0, result.output
    content = lambda files: {k: v for k, v in files.items() if not k.startswith("releases/") and k != "CHANGELOG.md"}  # noqa: E731
    assert all_files(out1) == content(released_1)
    assert all_files(out2) == content(released_2)
    assert all_files(out2)["source/说明文件.txt"] == "原始文件 bytes \x00\r\n".encode("utf-8")
    assert not diff(out2, package)
    latest = checkout(NAME, "latest", tmp_path / "out3", root=root)
    assert all_files(latest) == all_files(out2)
    with pytest.raises(Exception, match="not an empty folder"):
        checkout(NAME, "1.0.0", out1, root=root)


def test_tampering_with_an_archive_is_detected(package, root, tmp_path):
    first = release(package)
    assert verify_releases(package)[0].ok
    data = bytearray(first.archive.read_bytes())
    data[-20] ^= 0xFF
    os.chmod(first.archive, 0o644)
    first.archive.write_bytes(bytes(data))

    assert "was changed after release" in verify_releases(package)[0].problems[0]
    with pytest.raises(TamperedRelease, match="sha256"):
        checkout(NAME, "1.0.0", tmp_path / "out", root=root)
    assert not (tmp_path / "out").exists()
    runner = CliRunner()
    for args in (["verify-releases", str(package)], ["version", str(package)],
                 ["checkout", f"{NAME}@1.0.0", "--from", str(root), "--out", str(tmp_path / "out")]):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, args
        assert "sha256" in result.output
    set_cell(package, "general_budget_expenditure", "2080101", "total", "1")
    with pytest.raises(TamperedRelease):
        release(package)


def test_a_rewritten_archive_with_a_matching_index_is_still_caught(package):
    """Re-packing changed content under the old name leaves the name's sha256 prefix wrong."""
    first = release(package)
    files = Snapshot.from_archive(first.archive.read_bytes(), "x").files
    files["data/general_budget_expenditure.csv"] = files["data/general_budget_expenditure.csv"].replace(b"101.5", b"999")
    forged = make_archive(files)
    os.chmod(first.archive, 0o644)
    first.archive.write_bytes(forged)
    index = read_index(package)
    import hashlib
    index["releases"][0]["sha256"] = hashlib.sha256(forged).hexdigest()
    (package / "releases" / "index.json").write_text(json.dumps(index), encoding="utf-8")
    problems = verify_releases(package)[0].problems
    assert any("does not match" in p for p in problems)


def test_stray_archive_is_reported(package):
    release(package)
    (package / "releases" / "9.9.9-000000000000.tar.gz").write_bytes(b"x")
    assert any("not a recorded release" in p for p in verify_releases(package)[0].problems)


# -- diff -------------------------------------------------------------------------------

def test_row_moved_is_not_a_change(package, tmp_path):
    release(package)
    path = package / "data" / "general_budget_expenditure.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0], rows[3], *rows[1:3], *reversed(rows[4:])])
    released = Snapshot.from_archive(next((package / "releases").glob("*.tar.gz")).read_bytes(), "1.0.0")
    assert path.read_bytes() != released.files["data/general_budget_expenditure.csv"]
    d = diff(f"{NAME}@1.0.0", package, root=package.parent)
    assert not d and d.bump() is None
    with pytest.raises(NothingToRelease):
        release(package)


def test_columns_reordered_and_number_formats_are_not_changes(package, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(package, old)
    path = package / "data" / "general_budget_expenditure.csv"
    rows = read_rows(path)
    header = rows[0]
    total = header.index("total")
    for row in rows[1:]:
        row[total] = row[total] + "0" if "." in row[total] else row[total] + ".00"  # 100.5 -> 100.50, 999 -> 999.00
    order = [header.index(c) for c in reversed(header)]
    write_rows(path, [[row[i] for i in order] for row in rows])
    assert not diff(old, package)


def test_diff_lists_every_kind_of_change(package, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(package, old)
    d = disclosure(a=general_budget(rows=5), b=fund_table())
    d.tables["general_budget_expenditure"].rows.pop(0)
    d.tables["general_budget_expenditure"].rows[0].values["project"] = Decimal("41")
    d.title = "新标题"
    write_package(d, package)
    (package / "README.txt").write_text("说明", encoding="utf-8")
    result = diff(old, package)
    s = result.summary()
    assert (s["tables_added"], s["rows_added"], s["rows_removed"], s["cells_changed"], s["files_changed"]) == (1, 1, 1, 1, 1)
    assert result.metadata_changed == [{"path": "title", "old": "北京市东城区测试中心2021年部门预算", "new": "新标题"}]
    assert result.bump() == "major"
    data = result.to_dict()
    json.dumps(data, ensure_ascii=False)
    assert data["rows_removed"][0]["row_id"] == "2080100"
    markdown = result.to_markdown()
    assert "| general_budget_expenditure | 2080101 | 科目1 | project | 40.5 | 41 |" in markdown
    runner = CliRunner()
    for fmt in ("text", "json", "markdown"):
        out = runner.invoke(main, ["diff", str(old), str(package), "--format", fmt])
        assert out.exit_code == 0 and "2080101" in out.output
    assert json.loads(runner.invoke(main, ["diff", str(old), str(package), "--json"]).output)["bump"] == "major"
    assert runner.invoke(main, ["diff", str(old), str(package), "--exit-code"]).exit_code == 1
    assert runner.invoke(main, ["diff", str(old), str(old), "--exit-code"]).exit_code == 0


def test_diff_between_releases_by_name(package, root):
    release(package)
    set_cell(package, "general_budget_expenditure", "total", "total", "1000")
    release(package)
    d = diff(f"{NAME}@1.0.0", f"{NAME}@1.0.1", root=root)
    assert [(c["row_id"], c["old"], c["new"]) for c in d.cells_changed] == [("total", "999", "1000")]
    assert d.metadata_changed == []  # version and created are the release's own bookkeeping


def test_version_command_and_api(package):
    info = package_version(package)
    assert (info.version, info.releases, info.working) == ("1.0.0", [], None)
    release(package, note="初版")
    set_cell(package, "general_budget_expenditure", "2080101", "total", "1")
    info = package_version(package)
    assert info.latest == "1.0.0" and info.working.summary()["cells_changed"] == 1 and info.next_release == "1.0.1"
    result = CliRunner().invoke(main, ["version", str(package)])
    assert result.exit_code == 0, result.output
    for text in (NAME, "1.0.0", "2026-", "0.2.0", "初版", "next release: PATCH → 1.0.1"):
        assert text in result.output
    data = json.loads(CliRunner().invoke(main, ["version", str(package), "--json"]).output)
    assert data["verified"] and data["releases"][0]["version"] == "1.0.0"


def test_bump_version():
    assert [bump_version("1.2.3", k) for k in ("patch", "minor", "major")] == ["1.2.4", "1.3.0", "2.0.0"]


def test_package_with_releases_still_validates(package, root):
    from frictionless import Package

    from opendata.facts import facts
    from opendata.validate import validate

    release(package)
    set_cell(package, "general_budget_expenditure", "2080101", "total", "1")
    release(package)
    assert (package / "releases" / "index.json").exists() and (package / "CHANGELOG.md").exists()
    report = validate(root, layers=())  # structure only: the edited cell breaks a total, on purpose
    assert len(report.packages) == 1 and report.packages[0].valid, report.to_dict()
    frictionless_report = Package(str(package / "datapackage.json")).validate()
    assert frictionless_report.valid, frictionless_report.flatten(["type", "note"])
    assert {f["package"] for f in facts(root)} == {NAME}


# -- the Dongcheng seed package ---------------------------------------------------------

def dongcheng_seed() -> Path | None:
    for path in sorted((REPO / "datapackages").glob("**/datapackage.json")):
        if "releases" in path.parts:
            continue
        d = json.loads(path.read_text(encoding="utf-8"))
        if "东城区" in (d.get("unit") or {}).get("name", "") and d.get("fiscalYear") == 2021 and d.get("stage") == "budget":
            return path.parent
    return None


def test_dongcheng_seed_with_three_edited_cells(tmp_path):
    seed = dongcheng_seed()
    if seed is None:
        pytest.skip("pending: no Dongcheng 2021 budget seed package under datapackages/ yet")
    copy = tmp_path / "copy"
    shutil.copytree(seed, copy, ignore=shutil.ignore_patterns("releases", "CHANGELOG.md"))
    descriptor = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    # One amount cell per row, taken round-robin across the tables: three cells in three rows.
    tables, queues = {}, []
    for resource in descriptor["resources"]:
        numbers = [f["name"] for f in resource["schema"]["fields"] if f["type"] == "number"]
        rows = read_rows(copy / resource["path"])
        header = rows[0]
        tables[resource["path"]] = rows
        queue = [(resource, i, column) for i, row in enumerate(rows[1:], 1)
                 for column in [next((c for c in numbers if row[header.index(c)]), None)] if column]
        queues.append(queue)
    picks = [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)][:3]
    edited = []
    for resource, i, column in picks:
        rows = tables[resource["path"]]
        header, row = rows[0], rows[i]
        old = row[header.index(column)]
        new = str(Decimal(old) + Decimal("1.5"))
        row[header.index(column)] = new
        edited.append((resource["tableId"], row[header.index("row_id")], column, old, new))
    for path, rows in tables.items():
        write_rows(copy / path, rows)
    assert len(edited) == 3, "the seed package has fewer than three rows with amounts"
    result = diff(seed, copy)
    assert sorted((c["table"], c["row_id"], c["column"], c["old"], c["new"]) for c in result.cells_changed) == sorted(edited)
    assert result.summary() == {**{k: 0 for k in result.summary()}, "cells_changed": 3}
    assert result.bump() == "patch"


# -- releases are all or nothing; locks (issue 17) ----------------------------------------

OPENDATA = str(Path(sys.executable).parent / "opendata")
FSIZE_LIMIT = 64 * 1024  # bigger than the archive below, smaller than its index entry


def opendata(*args, cwd=None, limit_file_size: bool = False, ignore_sigxfsz: bool = False) -> subprocess.CompletedProcess:
    """Run the real `opendata` CLI; with `limit_file_size`, the kernel stops it (SIGXFSZ, or
    EFBIG when the signal is ignored) when it writes a file beyond FSIZE_LIMIT bytes."""
    def limits():
        resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE_LIMIT, FSIZE_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if ignore_sigxfsz:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([OPENDATA, *map(str, args)], capture_output=True, text=True, encoding="utf-8", cwd=cwd,
                          env=env, timeout=300, preexec_fn=limits if limit_file_size else None)


def many_pages(package: Path, count: int = 1500) -> None:
    """Source pages that make the index entry (one sha256 per file) much larger than the archive."""
    (package / "source").mkdir(exist_ok=True)
    for i in range(count):
        (package / "source" / f"page-{i:04d}.txt").write_text(f"第{i}页\n", encoding="utf-8")


def test_release_killed_while_writing_its_archive_leaves_nothing_permanent(package):
    """SIGKILL as soon as the archive's file appears: a large source document makes writing and
    syncing it take long enough that the kill lands before releases/index.json is written."""
    (package / "source").mkdir()
    (package / "source" / "scan.pdf").write_bytes(os.urandom(24 * 1024 * 1024))
    releases = package / "releases"
    proc = subprocess.Popen([OPENDATA, "release", str(package)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if releases.is_dir() and any(".tar.gz" in p.name for p in releases.iterdir()):
                break
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the release ended before it could be killed"
    assert (releases / ".lock").exists() and not (releases / "index.json").exists()
    verified = opendata("verify-releases", package)
    assert verified.returncode == 0, verified.stdout + verified.stderr  # nothing was released, nothing is broken
    again = opendata("release", package)
    assert again.returncode == 0, again.stderr
    assert "took over the lock" in again.stderr and "no longer running" in again.stderr, again.stderr
    assert "removed the unrecorded archive" in again.stderr, again.stderr
    assert sorted(p.name for p in releases.iterdir()) == sorted(["index.json", read_index(package)["releases"][0]["archive"]])
    assert opendata("verify-releases", package).returncode == 0


def test_release_failing_to_record_removes_its_archive(package):
    release(package)
    set_cell(package, "general_budget_expenditure", "2080101", "total", "1.5")
    many_pages(package)
    before = all_files(package)
    failed = opendata("release", package, limit_file_size=True, ignore_sigxfsz=True)
    assert failed.returncode == 2, failed.stderr
    assert "Traceback" not in failed.stderr and "nothing was released" in failed.stderr, failed.stderr
    assert all_files(package) == before  # no archive, no lock, index, descriptor and changelog as they were
    assert opendata("verify-releases", package).returncode == 0
    assert release(package).version == "1.0.1"


def test_release_interrupted_after_recording_is_finished_by_the_next_release(package):
    first = release(package)
    pending = first.archive.with_name(f".{first.archive.name}.k9x2m1")
    first.archive.rename(pending)  # the state of a release killed between index.json and the archive's final name
    verified = opendata("verify-releases", package)
    assert verified.returncode == 1 and "interrupted" in verified.stdout and "opendata release" in verified.stdout
    again = opendata("release", package)
    assert again.returncode == 1 and "finished release 1.0.0" in again.stderr and "nothing changed" in again.stderr
    assert first.archive.exists() and not pending.exists()
    assert opendata("verify-releases", package).returncode == 0


def test_a_running_release_blocks_and_a_dead_one_does_not(package):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from opendata.versions import release_lock\n"
         f"with release_lock({str(package / 'releases')!r}):\n    print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        blocked = opendata("release", package)
        assert blocked.returncode == 2 and "Traceback" not in blocked.stderr
        assert f"another release of this package is running (pid {holder.pid} on " in blocked.stderr, blocked.stderr
        assert not (package / "releases" / "index.json").exists()
    finally:
        holder.kill()
        holder.wait()
    lock = json.loads((package / "releases" / ".lock").read_text(encoding="utf-8"))
    assert lock["pid"] == holder.pid and lock["host"] and lock["started"]  # left behind by the killed holder
    done = opendata("release", package)
    assert done.returncode == 0 and f"pid {holder.pid}" in done.stderr and "no longer running" in done.stderr, done.stderr
    assert not (package / "releases" / ".lock").exists()


def test_lock_of_an_older_opendata_names_its_pid(package):
    (package / "releases").mkdir()
    (package / "releases" / ".lock").write_text(str(os.getpid()), encoding="utf-8")  # alive: this test
    refused = opendata("release", package)
    assert refused.returncode == 2 and f"pid {os.getpid()}, which is still running" in refused.stderr
    assert "remove" in refused.stderr and "Traceback" not in refused.stderr
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (package / "releases" / ".lock").write_text(gone.stdout.strip(), encoding="utf-8")  # that process has exited
    assert opendata("release", package).returncode == 0


def test_checkout_never_writes_over_a_folder_that_is_not_empty(package, root, tmp_path):
    release(package)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("x", encoding="utf-8")
    refused = opendata("checkout", f"{NAME}@1.0.0", "--from", root, "--out", mine)
    assert refused.returncode == 2 and "not an empty folder" in refused.stderr and "Traceback" not in refused.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    for where in (".", ".."):
        here = opendata("checkout", f"{NAME}@1.0.0", "--from", root, "--out", where, cwd=mine)
        assert here.returncode == 2 and "current folder" in here.stderr and "Traceback" not in here.stderr, here.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert opendata("checkout", f"{NAME}@1.0.0", "--from", root, "--out", empty).returncode == 0
    assert (empty / "datapackage.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# -- snapshots read through the one package object ---------------------------------------

def test_snapshot_reads_through_a_package(package):
    from opendata.package import Package

    snapshot = Snapshot.from_folder(package)
    assert isinstance(snapshot.package, Package)
    assert snapshot.package.files is snapshot.files
    snapshot.label = "x@1.0.0"
    assert snapshot.package.label == "x@1.0.0"


def test_diff_tolerates_a_byte_order_mark(package, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(package, old)
    path = package / "data" / "general_budget_expenditure.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # what a spreadsheet saves
    assert not diff(old, package)


def test_diff_of_a_table_that_is_not_utf8_names_the_file_and_line(package, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(package, old)
    path = package / "data" / "general_budget_expenditure.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))  # line 2 is the first with 汉字
    result = CliRunner().invoke(main, ["diff", str(old), str(package)])
    assert result.exit_code == 2, result.output
    assert "data/general_budget_expenditure.csv: line 2:" in result.output and "GBK" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
