"""Versions of the standard: validating against a newer minor version, the unsupported-major
finding, `opendata upgrade` (identity for minor versions, data-driven migrations for a
fabricated major version), and the standard's version history (issue 6)."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from opendata.cli import main
from opendata.package import load_descriptor, write_package
from opendata.standard import SCHEMA_DIR_ENV, load_standard, schema_dir
from opendata.upgrade import (
    Migration, UpgradeRefused, plan, read_migrations, standard_versions, upgrade, version_kind,
)
from opendata.validate import validate_package
from opendata.versions import diff, release

from .clean_packages import clean_disclosure
from .conftest import executable

REPO = Path(__file__).resolve().parents[1]
RENAMED = ("fiscal_appropriation", "fiscal_funds")  # the measure 1.0.0 renames (project_performance_targets)


def schema_copy(tmp_path: Path, version: str, migrations: list[dict] | None = None,
                rename_measure: tuple[str, str] | None = None) -> Path:
    """A copy of schema/ declaring `version`; optionally with a measure renamed and migrations."""
    root = tmp_path / f"schema-{version}"
    shutil.copytree(REPO / "schema", root)
    meta = json.loads((root / "standard.json").read_text(encoding="utf-8"))
    meta["version"] = version
    (root / "standard.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with (root / "versions.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([version, "2027-01-01", "major" if version.startswith("1.") else "minor", "测试", "test"])
    if rename_measure:
        old, new = rename_measure
        for name in ("measures.csv", "tables.csv"):
            path = root / "codelists" / name
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(rf"\b{old}\b", new, text), encoding="utf-8")
    if migrations:
        with (root / "migrations.csv").open("a", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=["from_version", "to_version", "kind", "table", "field", "old", "new", "note"],
                                    lineterminator="\n")
            writer.writerows(migrations)
    return root


def run(*args, schema: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop(SCHEMA_DIR_ENV, None)
    if schema:
        env[SCHEMA_DIR_ENV] = str(schema)
    return subprocess.run([executable("opendata"), *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=300)


@pytest.fixture
def clean(tmp_path) -> Path:
    return write_package(clean_disclosure(0), tmp_path / "pkgs" / "clean")


def set_standard_version(package: Path, version: str) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["standardVersion"] = version
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def rules(report) -> list[str]:
    return sorted(f.rule for f in report.findings)


MAJOR_MIGRATION = [{"from_version": "0.2.0", "to_version": "1.0.0", "kind": "rename_measure", "table": "",
                    "field": "", "old": RENAMED[0], "new": RENAMED[1], "note": "test: a renamed measure"}]


# -- the hook: another copy of the standard ----------------------------------------

def test_schema_dir_env_var_loads_another_copy(tmp_path, monkeypatch):
    newer = schema_copy(tmp_path, "0.3.0")
    assert load_standard().version == "0.2.0"
    monkeypatch.setenv(SCHEMA_DIR_ENV, str(newer))
    assert schema_dir() == newer
    assert load_standard().version == "0.3.0"
    assert load_standard(REPO / "schema").version == "0.2.0"
    monkeypatch.delenv(SCHEMA_DIR_ENV)
    assert load_standard().version == "0.2.0"


# -- validating against another version ----------------------------------------------

def test_package_of_older_minor_validates_against_newer_minor(clean, tmp_path, monkeypatch):
    assert load_descriptor(clean)["standardVersion"] == "0.2.0"
    before = validate_package(clean)
    assert before.findings == [] or "package.standard-version" not in rules(before)
    monkeypatch.setenv(SCHEMA_DIR_ENV, str(schema_copy(tmp_path, "0.3.0")))
    assert load_standard().version == "0.3.0"
    after = validate_package(clean)
    assert "package.standard-version" not in rules(after)
    assert rules(after) == rules(before)


def test_package_of_older_minor_validates_against_newer_minor_cli(clean, tmp_path):
    result = run("validate", clean, schema=schema_copy(tmp_path, "0.3.0"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_unsupported_major_is_a_finding(clean):
    set_standard_version(clean, "1.0.0")
    report = validate_package(clean)
    findings = [f for f in report.findings if f.rule == "package.standard-version"]
    assert len(findings) == 1
    assert findings[0].found == "1.0.0" and findings[0].expected == "0.2.0"
    assert "package.standard-version" in run("validate", clean, "--json").stdout


def test_older_major_is_a_finding_under_a_newer_major(clean, tmp_path):
    newer = schema_copy(tmp_path, "1.0.0", MAJOR_MIGRATION, RENAMED)
    result = run("validate", clean, "--json", schema=newer)
    assert result.returncode == 1
    found = {f["rule"] for p in json.loads(result.stdout)["packages"] for f in p["findings"]}
    assert "package.standard-version" in found


# -- upgrade: minor -----------------------------------------------------------------------

def test_upgrade_to_same_version_does_nothing(clean):
    before = {p: p.read_bytes() for p in clean.rglob("*") if p.is_file()}
    result = upgrade(clean)
    assert not result and not result.written and result.changes == []
    assert {p: p.read_bytes() for p in clean.rglob("*") if p.is_file()} == before
    out = CliRunner().invoke(main, ["upgrade", str(clean)])
    assert out.exit_code == 0 and "nothing to do" in out.output


def test_upgrade_minor_only_sets_standard_version(clean, tmp_path, monkeypatch):
    release(clean, note="first")
    data_before = {p.name: p.read_bytes() for p in (clean / "data").iterdir()}
    newer = schema_copy(tmp_path, "0.3.0")
    result = run("upgrade", clean, schema=newer)
    assert result.returncode == 0, result.stderr
    assert "0.2.0 → 0.3.0" in result.stdout
    assert load_descriptor(clean)["standardVersion"] == "0.3.0"
    assert {p.name: p.read_bytes() for p in (clean / "data").iterdir()} == data_before
    assert (clean / "releases" / "index.json").is_file()  # the history is kept
    d = diff(f"{clean}/releases/{json.loads((clean / 'releases' / 'index.json').read_text())['releases'][0]['archive']}", clean)
    assert d.metadata_changed == [{"path": "standardVersion", "old": "0.2.0", "new": "0.3.0"}]
    assert d.bump() == "minor" and not d.cells_changed
    assert run("validate", clean, schema=newer).returncode == 0


def test_upgrade_refuses_downgrade(clean, tmp_path):
    set_standard_version(clean, "0.3.0")
    descriptor = (clean / "datapackage.json").read_bytes()
    newer = schema_copy(tmp_path, "0.4.0")
    result = run("upgrade", clean, "--to", "0.2.0", schema=newer)
    assert result.returncode == 1 and "downgrade" in result.stderr
    with pytest.raises(UpgradeRefused, match="downgrade"):
        upgrade(clean, to="0.2.0")
    assert (clean / "datapackage.json").read_bytes() == descriptor


def test_upgrade_refuses_a_package_newer_than_the_toolkit(clean):
    with pytest.raises(UpgradeRefused, match="knows the standard up to"):
        upgrade(clean, to="0.3.0")
    set_standard_version(clean, "1.0.0")
    with pytest.raises(UpgradeRefused, match="downgrade"):
        upgrade(clean)


def test_major_without_migration_is_refused(clean, tmp_path):
    newer = schema_copy(tmp_path, "1.0.0")  # no migrations.csv rows
    result = run("upgrade", clean, schema=newer)
    assert result.returncode == 1 and "no migration to major version 1" in result.stderr
    assert load_descriptor(clean)["standardVersion"] == "0.2.0"


# -- upgrade: a fabricated major version ---------------------------------------------

def test_upgrade_major_renames_measure_validates_and_diffs(clean, tmp_path):
    release(clean, note="under 0.2.0")
    newer = schema_copy(tmp_path, "1.0.0", MAJOR_MIGRATION, RENAMED)
    assert run("validate", clean, schema=newer).returncode == 1  # the old major is not supported

    dry = run("upgrade", clean, "--dry-run", "--json", schema=newer)
    assert dry.returncode == 0, dry.stderr
    planned = json.loads(dry.stdout)
    assert not planned["written"] and load_descriptor(clean)["standardVersion"] == "0.2.0"

    result = run("upgrade", clean, "--json", schema=newer)
    assert result.returncode == 0, result.stderr
    done = json.loads(result.stdout)
    assert done["written"] and done["from"] == "0.2.0" and done["to"] == "1.0.0"
    assert done["changes"] == planned["changes"]
    assert {"kind": "rename_measure", "table": "project_performance_targets", "old": RENAMED[0], "new": RENAMED[1],
            "to_version": "1.0.0"} in done["changes"]

    descriptor = load_descriptor(clean)
    assert descriptor["standardVersion"] == "1.0.0"
    resource = next(r for r in descriptor["resources"] if r["name"] == "project_performance_targets")
    names = [f["name"] for f in resource["schema"]["fields"]]
    assert RENAMED[1] in names and RENAMED[0] not in names
    header = (clean / "data" / "project_performance_targets.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == names

    validated = run("validate", clean, "--json", schema=newer)
    assert validated.returncode == 0, validated.stdout

    shown = run("diff", "--json", next((clean / "releases").glob("*.tar.gz")), clean, schema=newer)
    d = json.loads(shown.stdout)
    assert d["bump"] == "major"
    assert {"table": "project_performance_targets", "column": RENAMED[0]} in d["columns_removed"]
    assert {"table": "project_performance_targets", "column": RENAMED[1]} in d["columns_added"]
    assert {"path": "standardVersion", "old": "0.2.0", "new": "1.0.0"} in d["metadata_changed"]
    assert not d["rows_added"] and not d["rows_removed"] and not d["tables_added"]

    again = run("upgrade", clean, schema=newer)
    assert again.returncode == 0 and "nothing to do" in again.stdout


def test_migration_kinds(clean, tmp_path, monkeypatch):
    """rename_table, rename_field, drop_field and map_code on the package files (no target standard needed)."""
    migrations = [
        Migration("0.2.0", "1.0.0", "rename_table", old="key_figures", new="key_figures_v1"),
        Migration("0.2.0", "1.0.0", "rename_field", table="project_expenditure", old="unit_name", new="unit_title"),
        Migration("0.2.0", "1.0.0", "drop_field", table="key_figures_v1", field="percent"),
        Migration("0.2.0", "1.0.0", "map_code", table="expenditure_summary", field="function_code", old="201", new="299"),
    ]
    with (clean / "data" / "expenditure_summary.csv").open(encoding="utf-8", newline="") as handle:
        codes = sum(1 for row in csv.DictReader(handle) if row["function_code"] == "201")
    assert codes
    monkeypatch.setenv(SCHEMA_DIR_ENV, str(schema_copy(tmp_path, "1.0.0")))
    result = upgrade(clean, migrations=migrations)
    kinds = [c["kind"] for c in result.changes]
    assert kinds[0] == "standardVersion" and {"rename_table", "rename_field", "drop_field"} <= set(kinds)
    assert not (clean / "data" / "key_figures.csv").exists()
    figures = (clean / "data" / "key_figures_v1.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "percent" not in figures
    descriptor = load_descriptor(clean)
    resource = next(r for r in descriptor["resources"] if r["name"] == "key_figures_v1")
    assert resource["tableId"] == "key_figures_v1" and resource["path"] == "data/key_figures_v1.csv"
    assert [f["name"] for f in resource["schema"]["fields"]] == figures
    projects = (clean / "data" / "project_expenditure.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "unit_title" in projects and "unit_name" not in projects
    mapped = [c for c in result.changes if c["kind"] == "map_code"]
    assert mapped and mapped[0]["cells"] == codes
    with (clean / "data" / "expenditure_summary.csv").open(encoding="utf-8", newline="") as handle:
        assert sum(1 for row in csv.DictReader(handle) if row["function_code"] == "299") == codes
    assert not list(clean.parent.glob(".clean*"))  # no staging or backup left behind


def test_plan_orders_and_selects_steps():
    steps = [Migration("1.0.0", "2.0.0", "note", note="b"), Migration("0.1.0", "1.0.0", "note", note="a"),
             Migration("0.1.0", "0.2.0", "note", note="minor")]
    assert [m.note for m in plan(steps, "0.1.0", "2.0.0")] == ["minor", "a", "b"]
    assert [m.note for m in plan(steps, "1.0.0", "2.0.0")] == ["b"]
    assert plan(steps, "0.2.0", "0.2.0") == []
    with pytest.raises(UpgradeRefused):
        plan(steps[2:], "0.1.0", "1.0.0")


def test_read_migrations_rejects_bad_rows(tmp_path):
    path = tmp_path / "migrations.csv"
    path.write_text("from_version,to_version,kind,table,field,old,new,note\n0.1.0,1.0.0,explode,,,a,b,\n", encoding="utf-8")
    with pytest.raises(Exception, match="unknown migration kind"):
        read_migrations(path)
    path.write_text("from_version,to_version,kind,table,field,old,new,note\n0.1.0,1.0.0,rename_field,,,a,,\n", encoding="utf-8")
    with pytest.raises(Exception, match="needs new"):
        read_migrations(path)
    path.write_text("from_version,to_version,kind,table,field,old,new,note\n1.0.0,0.1.0,note,,,,,\n", encoding="utf-8")
    with pytest.raises(Exception, match="must be newer"):
        read_migrations(path)


# -- the standard's own history ------------------------------------------------------

def test_standard_history_is_consistent():
    standard = load_standard(REPO / "schema")
    versions = standard_versions(standard)
    assert versions[-1].version == standard.version, "schema/versions.csv must end with standard.json's version"
    previous = None
    for v in versions:
        assert v.kind == version_kind(previous, v.version), f"{v.version}: kind {v.kind}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.date)
        previous = v.version
    changelog = (REPO / "schema" / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (\S+) — (\S+)", changelog, re.M)
    assert sorted(headings) == sorted((v.version, v.date) for v in versions)
    for m in read_migrations(REPO / "schema" / "migrations.csv"):
        assert m.to_version in {v.version for v in versions}


def test_every_released_version_has_a_frozen_copy_on_the_site():
    for v in standard_versions(load_standard(REPO / "schema")):
        frozen = REPO / "site" / "docs" / "schema" / v.version
        meta = json.loads((frozen / "standard.json").read_text(encoding="utf-8"))
        assert meta["version"] == v.version
        assert (frozen / "datapackage.schema.json").is_file()
        assert (frozen / "tables" / "expenditure_summary.json").is_file()
    page = (REPO / "site" / "docs" / "reference" / "versions.md").read_text(encoding="utf-8")
    for v in standard_versions(load_standard(REPO / "schema")):
        assert f"## {v.version}" in page and f"../schema/{v.version}/standard.json" in page


def test_upgrade_with_a_migrations_file_of_ones_own(clean, tmp_path):
    newer = schema_copy(tmp_path, "1.0.0", rename_measure=RENAMED)  # the standard ships no migration
    own = tmp_path / "my-migrations.csv"
    with own.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(MAJOR_MIGRATION[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(MAJOR_MIGRATION)
    assert run("upgrade", clean, schema=newer).returncode == 1
    result = run("upgrade", clean, "--migrations", own, schema=newer)
    assert result.returncode == 0, result.stderr
    assert f"column {RENAMED[0]} renamed {RENAMED[1]}" in result.stdout
    assert run("validate", clean, schema=newer).returncode == 0


def test_upgrade_rewrite_keeps_every_file_and_refuses_the_current_folder(clean, tmp_path):
    """The rewrite goes through the one output-folder mechanism: a staging copy of the whole
    folder (releases/, CHANGELOG.md and the user's own files kept), swapped in; the folder one
    stands in cannot be swapped, and is refused without a traceback."""
    release(clean, note="under 0.2.0")
    (clean / "NOTES.md").write_text("我的笔记", encoding="utf-8")
    newer = schema_copy(tmp_path, "1.0.0", MAJOR_MIGRATION, RENAMED)
    before = sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*"))

    env = {**os.environ, SCHEMA_DIR_ENV: str(newer)}
    inside = subprocess.run([executable("opendata"), "upgrade", "."], cwd=clean, capture_output=True, text=True,
                            encoding="utf-8", env=env, timeout=300)
    assert inside.returncode == 2 and "current folder" in inside.stderr and "cd .." in inside.stderr, inside.stderr
    assert "Traceback" not in inside.stderr
    assert load_descriptor(clean)["standardVersion"] == "0.2.0"

    result = run("upgrade", clean, schema=newer)
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*")) == before
    assert (clean / "NOTES.md").read_text(encoding="utf-8") == "我的笔记"
    assert load_descriptor(clean)["standardVersion"] == "1.0.0"
    assert run("verify-releases", clean).returncode == 0
    assert sorted(p.name for p in clean.parent.iterdir()) == ["clean"]
