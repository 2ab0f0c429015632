"""Standard 0.1.0 → 0.2.0 (issue #12): `opendata upgrade` restates an old package by the converter's own
steps (migrations.csv kind `restate`), and the result is the package a fresh conversion of the same seed
makes: the same tables, rows and values, byte for byte."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from opendata.cli import main
from opendata.convert import convert_to_package
from opendata.model import Disclosure, Row, SourceDocument, Table
from opendata.package import load_descriptor
from opendata.restate import STEPS, main_amount, restate
from opendata.standard import load_standard
from opendata.upgrade import Migration, read_migrations, upgrade
from opendata.versions import VersionError, diff, release

from .seeds import seed_path

FIXTURES = Path(__file__).parent / "fixtures" / "standard-0.1.0"
OLD = {"110101-01075003-2021-budget": "000",            # 三公 printed wide (categories as columns)
       "110102-257004-2023-budget": "001",              # 三公 printed long (categories as rows)
       "110106-u852b836a-2020-final-accounts": "003"}   # final accounts
# descriptor keys allowed to differ, and why: `created` is when the package was made (an upgrade keeps it);
# `conversion` records the conversion that made it (its warning count); `title`: the converter now titles a
# 单位预算 by its own words (a converter fix of 2026-12-04, not a change of the standard: kept as written).
KEPT = {"created", "conversion", "title"}


def old_copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / "old" / name
    shutil.copytree(FIXTURES / name, target)
    return target


def test_migrations_of_0_2_0_are_restate_steps_of_the_converter():
    steps = [m for m in read_migrations(load_standard().root / "migrations.csv") if m.to_version == "0.2.0"]
    assert [m.kind for m in steps] == ["restate"] * 4
    assert [m.new for m in steps] == list(STEPS)


@pytest.mark.parametrize("name", sorted(OLD))
def test_upgraded_0_1_0_package_equals_a_fresh_conversion(tmp_path, name):
    package = old_copy(tmp_path, name)
    assert load_descriptor(package)["standardVersion"] == "0.1.0"
    result = upgrade(package)
    assert result.written and (result.old, result.new) == ("0.1.0", "0.2.0")
    assert [c["step"] for c in result.changes if c["kind"] == "restate"] == list(STEPS)

    fresh = convert_to_package(seed_path(OLD[name]), tmp_path / "fresh" / name).path
    data = sorted(p.name for p in (package / "data").iterdir())
    assert data == sorted(p.name for p in (fresh / "data").iterdir())
    for file in data:
        assert (package / "data" / file).read_bytes() == (fresh / "data" / file).read_bytes(), file
    upgraded, converted = load_descriptor(package), load_descriptor(fresh)
    assert upgraded["standardVersion"] == "0.2.0"
    assert {k: v for k, v in upgraded.items() if k not in KEPT} == {k: v for k, v in converted.items() if k not in KEPT}
    assert upgraded["created"] == load_descriptor(FIXTURES / name)["created"]
    assert upgrade(package).changes == []   # again: nothing to do


def test_wide_three_public_is_restated_long_with_lines(tmp_path):
    package = old_copy(tmp_path, "110101-01075003-2021-budget")
    before = (package / "data" / "three_public_expenses.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "overseas_travel" in before and "line" not in before
    upgrade(package)
    header = (package / "data" / "three_public_expenses.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "line" in header and "overseas_travel" not in header


def test_dry_run_lists_the_steps_and_writes_nothing(tmp_path):
    package = old_copy(tmp_path, "110101-01075003-2021-budget")
    files = {p: p.read_bytes() for p in package.rglob("*") if p.is_file()}
    out = CliRunner().invoke(main, ["upgrade", str(package), "--dry-run"])
    assert out.exit_code == 0, out.output
    assert "would upgrade (dry run) standard 0.1.0 → 0.2.0" in out.output
    for step in STEPS:
        assert f"restated by converter step {step}" in out.output
    assert "three_public_expenses" in out.output and "income_expenditure_summary" in out.output
    assert {p: p.read_bytes() for p in package.rglob("*") if p.is_file()} == files


def _final_income(columns: list[str]) -> Disclosure:
    source = SourceDocument("x.txt", "0" * 64, 1, "txt")
    rows = [Row("total", "total", {"item": "合计", **{c: Decimal("10") for c in columns}})]
    return Disclosure("测试局", 2025, "final_accounts", source,
                      tables={"income_summary": Table("income_summary", rows, ["item", *columns])})


def test_main_amount_step_reads_the_only_year_total_as_total():
    alone = _final_income(["current_year_subtotal", "fiscal_appropriation"])   # 本年收入合计 and its parts
    changed, _ = restate(alone, "main_amount.year_as_total", "x")
    table = alone.tables["income_summary"]
    assert changed == ["income_summary"] and table.columns[:2] == ["item", "total"]
    assert table.rows[0].values["total"] == Decimal("10") and "current_year_subtotal" not in table.rows[0].values

    beside = _final_income(["current_year_subtotal", "carryover"])   # 年初结转和结余 printed beside: not the total
    main_amount(beside, None)
    assert beside.tables["income_summary"].columns == ["item", "current_year_subtotal", "carryover"]


def test_unknown_restate_step_is_refused():
    with pytest.raises(ValueError, match="unknown restate step"):
        restate(_final_income(["total"]), "no.such_step", "x")


def test_restate_keeps_every_other_file_and_fails_whole(tmp_path):
    package = old_copy(tmp_path, "110101-01075003-2021-budget")
    (package / "NOTES.md").write_text("我的笔记", encoding="utf-8")
    before = {p: p.read_bytes() for p in package.rglob("*") if p.is_file()}
    with pytest.raises(VersionError, match="unknown restate step"):   # a failing step: nothing written
        upgrade(package, migrations=[Migration("0.1.0", "0.2.0", "restate", new="no.such_step")])
    assert {p: p.read_bytes() for p in package.rglob("*") if p.is_file()} == before
    assert load_descriptor(package)["standardVersion"] == "0.1.0"

    release(package, note="under 0.1.0")
    upgrade(package)
    assert (package / "NOTES.md").read_text(encoding="utf-8") == "我的笔记"
    assert (package / "releases" / "index.json").is_file() and (package / "source").is_dir()
    d = diff(f"{package}/releases/{json.loads((package / 'releases' / 'index.json').read_text())['releases'][0]['archive']}",
             package)
    assert {"path": "standardVersion", "old": "0.1.0", "new": "0.2.0"} in d.metadata_changed
    assert "three_public_expenses" in json.dumps(d.to_dict(), ensure_ascii=False)


FINAL_TEMPLATE = Path(__file__).resolve().parents[2] / "shared" / "references" / "shanghai_2024_dept_final_accounts_template.pdf"


def test_final_accounts_reference_0_1_0_upgraded_equals_a_fresh_conversion(tmp_path):
    """The final-accounts reference PDF as the converter of 0.1.0 (dccb3b7) wrote it — its source/ copy left out of
    the fixture (source.path null), the PDF is in ../shared/references: upgraded, 本年收入合计 / 本年支出合计 become
    `total` (main_amount.year_as_total) and the tables equal a fresh conversion's."""
    if not FINAL_TEMPLATE.exists():
        pytest.skip(f"{FINAL_TEMPLATE} not present")
    name = "310000-srcdeb3a453-2024-final-accounts"
    package = old_copy(tmp_path, name)
    header = (package / "data" / "income_summary.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "current_year_subtotal" in header and "total" not in header
    result = upgrade(package)
    steps = {c["step"]: c["tables"] for c in result.changes if c["kind"] == "restate"}
    assert steps["main_amount.year_as_total"] == ["expenditure_summary", "income_summary"]
    fresh = convert_to_package(FINAL_TEMPLATE, tmp_path / "fresh" / name).path
    data = sorted(p.name for p in (fresh / "data").iterdir())
    assert sorted(p.name for p in (package / "data").iterdir()) == data
    for file in data:
        assert (package / "data" / file).read_bytes() == (fresh / "data" / file).read_bytes(), file
    upgraded, converted = load_descriptor(package), load_descriptor(fresh)
    assert upgraded["resources"] == converted["resources"]
    assert upgraded["source"] == {**converted["source"], "path": None}
