"""The `rounding` rule (issue #14): a printed whole off the sum of its printed parts by what
the rounding of the parts explains is reported (info), beyond that it is the identity's
error; one figure printed in two tables with the same precision must be equal."""
from __future__ import annotations

from decimal import Decimal

import pytest

from opendata.model import Row, Table
from opendata.package import write_package
from opendata.validate import validate_package
from opendata.validate.identities.across import Quantity, across_kind
from opendata.validate.identities.rounding import gap_kind
from opendata.validate.report import rule_catalog
from opendata.validate.rules import Context
from opendata.validate.report import PackageReport

from .clean_packages import clean_disclosure
from .conftest import run_cli

CENT = Decimal(100)  # 0.01 万元, one unit of the last digit of the clean packages (万元, two decimals)


def by_rule(report, rule):
    return [f for f in report.findings if f.rule == rule]


def test_the_rule_is_in_the_catalog_as_info():
    row = rule_catalog()["rounding"]
    assert (row["layer"], row["severity"]) == ("accounting", "info")
    assert row["example"]


@pytest.mark.parametrize("diff, parts, kind", [
    (Decimal(0), 2, "exact"), (CENT, 2, "rounding"), (-CENT, 1, "rounding"), (Decimal(150), 2, "rounding"),
    (Decimal(151), 2, "error"), (2 * CENT, 2, "error"), (2 * CENT, 3, "rounding"), (Decimal(12300), 20, "error")])
def test_what_rounding_of_the_parts_explains(diff, parts, kind):
    """n parts and their whole, each printed to ±50 元: up to (n + 1) × 50 元 is rounding."""
    assert gap_kind(diff, parts, Decimal(50)) == kind


def test_one_figure_printed_in_two_places_must_be_equal():
    """236.63 in one table, 236.64 in another, both 万元 with two decimals: an error, not
    rounding; a sum of rows against one figure may differ by the rounding of its rows; a
    figure in 万元 with two decimals is the one in 元 rounded, else rounding."""
    ctx = Context(None, {"moneyUnit": "万元"}, PackageReport("p"))
    wan = Table("expenditure_summary", money_unit="万元", money_decimals=2)
    other = Table("general_budget_expenditure", money_unit="万元", money_decimals=2)
    yuan = Table("general_budget_basic_expenditure", money_unit="元", money_decimals=2)

    def q(table, value, figures=1):
        return Quantity(table, None, "total", Decimal(value), figures, "x")
    assert across_kind(ctx, q(wan, 2366300), q(other, 2366400)) == "error"
    assert across_kind(ctx, q(wan, 2366300), q(other, 2366300)) == "exact"
    assert across_kind(ctx, q(wan, 2366300, 3), q(other, 2366400)) == "rounding"
    assert across_kind(ctx, q(wan, 2366300, 2), q(other, 2366500, 2)) == "rounding"   # (2 + 2) halves, as before
    assert across_kind(ctx, q(wan, 2366300, 2), q(other, 2366600, 2)) == "error"
    assert across_kind(ctx, q(wan, 2366300), q(yuan, Decimal("2366349.99"))) == "exact"
    assert across_kind(ctx, q(wan, 2366300), q(yuan, Decimal("2366350.01"))) == "error"   # beyond both halves
    assert across_kind(ctx, q(wan, 2366300, 3), q(yuan, Decimal("2366360.00"))) == "rounding"


def basic_project_off(tmp_path, off):
    d = clean_disclosure(0)
    d.tables = {k: v for k, v in d.tables.items() if k == "expenditure_summary"}
    row = d.tables["expenditure_summary"].row("total")
    row.values["basic"] += off
    return validate_package(write_package(d, tmp_path / "p"), layers=("accounting",))


def test_a_total_off_its_parts_by_one_cent_is_rounding(tmp_path):
    report = basic_project_off(tmp_path, CENT)
    found = by_rule(report, "rounding")
    # the row (total = basic + project) and the column (basic of the 合计 row = Σ 类)
    assert sorted((f.row_id, f.measure) for f in found) == [("total", "basic"), ("total", "total")]
    assert not [f for f in report.findings if f.severity in ("error", "warning")], [f.message for f in report.findings]
    assert found[0].severity == "info"
    row = next(f for f in found if f.measure == "total")
    assert Decimal(row.found) - Decimal(row.expected) == -CENT
    assert "基本支出 + 项目支出" in row.message and "万元" in row.message and "差 gap -0.01 万元" in row.message


def test_beyond_rounding_it_is_the_error_rule(tmp_path):
    report = basic_project_off(tmp_path, 2 * CENT)
    assert {f.rule for f in report.findings} >= {"sum.basic-project"}
    assert not by_rule(report, "rounding") or all(f.measure != "total" or f.row_id != "total"
                                                  for f in by_rule(report, "rounding"))


def item_one_cent_high(tmp_path):
    """The 一般公共预算支出表 alone, its first 项 printed 0.01 万元 high in 合计, 基本支出 and 人员经费:
    (that 项's row, the accounting report)."""
    d = clean_disclosure(0)
    d.tables = {k: v for k, v in d.tables.items() if k == "general_budget_expenditure"}
    t = d.tables["general_budget_expenditure"]
    leaf = next(r for r in t.rows if len(str(r.values.get("function_code") or "")) == 7)
    for name in ("total", "basic", "personnel"):
        leaf.values[name] += CENT
    return leaf, validate_package(write_package(d, tmp_path / "p"), layers=("accounting",))


def test_a_class_off_its_items_by_one_cent_is_rounding(tmp_path):
    leaf, report = item_one_cent_high(tmp_path)
    assert {f.rule for f in report.findings} == {"rounding"}, [f.message for f in report.findings]
    assert {f.row_id for f in report.findings} == {leaf.row_id[:5]}   # its 款, within rounding of its 项


def test_fail_on_chooses_by_severity(tmp_path):
    d = clean_disclosure(0)
    d.tables["expenditure_summary"].row("total").values["basic"] += CENT
    package = write_package(d, tmp_path / "p")
    report = validate_package(package)
    assert by_rule(report, "rounding") and not report.count("error") and not report.count("warning")
    assert run_cli("validate", package).returncode == 0
    assert run_cli("validate", package, "--fail-on", "error").returncode == 0
    assert run_cli("validate", package, "--fail-on", "warning").returncode == 0
    assert run_cli("validate", package, "--fail-on", "info").returncode == 1


def unit_blocks(tmp_path, second_total, department=None):
    """一般公共预算支出表 in blocks, each headed by a row naming the unit only (Shenzhen), the same
    codes printed again in each block."""
    d = clean_disclosure(0)
    t = Table("general_budget_expenditure", columns=["function_code", "unit_name", "item", "total"],
              money_unit="万元", money_decimals=2)

    def row(code, item, total, unit=None, repeat=""):
        values = {"item": item, "total": Decimal(total)}
        values.update({"function_code": code} if code else {"unit_name": unit})
        return Row((code or unit) + repeat, values=values)
    t.rows = [row(None, "测试局（本级）", 3000000, "测试局（本级）"), row("208", "社会保障和就业支出", 3000000),
              row("20805", "行政事业单位养老支出", 3000000), row("2080501", "行政单位离退休", 1000000),
              row("2080505", "机关事业单位基本养老保险缴费支出", 2000000),
              row(None, "测试中心", 700000, "测试中心"), row("208", "社会保障和就业支出", 700000, repeat="#2"),
              row("20805", "行政事业单位养老支出", second_total, repeat="#2"),
              row("2080501", "行政单位离退休", 300000, repeat="#2"),
              row("2080505", "机关事业单位基本养老保险缴费支出", 400000, repeat="#2")]
    if department is not None:
        t.rows.insert(0, row(None, "测试局", department, "测试局"))
    d.tables = {"general_budget_expenditure": t}
    return validate_package(write_package(d, tmp_path / "p"), layers=("accounting",))


@pytest.mark.parametrize("department, rule", [(3700000, None), (3700100, "rounding"), (3800000, "sum.hierarchy")])
def test_a_department_named_over_its_units_is_their_sum(tmp_path, department, rule):
    report = unit_blocks(tmp_path, 700000, department)
    assert [(f.rule, f.row_id) for f in report.findings] == ([(rule, "测试局")] if rule else []), \
        [f.message for f in report.findings]


@pytest.mark.parametrize("second_total, rule", [(700000, None), (700100, "rounding"), (712300, "sum.hierarchy")])
def test_codes_repeated_in_each_units_block_are_checked_within_the_block(tmp_path, second_total, rule):
    report = unit_blocks(tmp_path, second_total)
    assert {(f.rule, f.row_id) for f in report.findings} <= {(rule, "20805#2"), (rule, "208#2")}
    assert bool(report.findings) is (rule is not None), [f.message for f in report.findings]
    if rule:
        assert any(f.row_id == "20805#2" for f in report.findings)   # against its 项: 30.00 + 40.00


def test_income_and_expenditure_tables_agree_code_by_code_in_a_budget(tmp_path):
    """收入总表 and 支出总表 by function code, the same totals: a 项 printed 0.01 万元 apart in the
    two (1,535.86 / 1,535.85) is an error, not rounding."""
    d = clean_disclosure(0)
    exp = d.tables["expenditure_summary"]
    inc = Table("income_summary", columns=["function_code", "item", "total"], money_unit="万元", money_decimals=2)
    inc.rows = [Row(r.row_id, r.row_type, {k: r.values.get(k) for k in ("function_code", "item", "total")
                                          if r.values.get(k) is not None}) for r in exp.rows]
    d.tables = {"expenditure_summary": exp, "income_summary": inc}
    clean = validate_package(write_package(d, tmp_path / "clean"), layers=("accounting",))
    assert not clean.findings, [f.message for f in clean.findings]
    for code, off in (("2050803", CENT), ("2050804", -CENT)):   # the 款 20508 and the total unchanged
        for name in ("total", "basic"):
            exp.row(code).values[name] += off
    report = validate_package(write_package(d, tmp_path / "broken"), layers=("accounting",))
    assert sorted((f.rule, f.row_id, f.severity) for f in report.findings) == [
        ("across.function-codes", "2050803", "error"), ("across.function-codes", "2050804", "error")]


@pytest.mark.parametrize("unit_a, rule", [(1000000, None), (1000100, "rounding")])
def test_a_list_printed_at_two_levels_reports_rounding_within_each_level(tmp_path, unit_a, rule):
    """项目支出表 listing each unit's total above its projects (amounts printed twice, at two
    levels): a unit 0.01 万元 off its projects is rounding, as is the 合计 then off the units."""
    d = clean_disclosure(0)
    t = Table("project_expenditure", columns=["unit_name", "project_name", "item", "total"], money_unit="万元",
              money_decimals=2)

    def row(rid, item, total, kind="item", unit=None, project=None):
        values = {"item": item, "total": Decimal(total)}
        values.update({"unit_name": unit} if unit else {})
        values.update({"project_name": project} if project else {})
        return Row(rid, kind, values)
    t.rows = [row("total", "合计", 3000000 + unit_a - 1000000, "total"),
              row("a", "测试局（本级）", unit_a, unit="测试局（本级）"),
              row("a1", "办公楼维修", 400000, project="办公楼维修"), row("a2", "信息化建设", 600000, project="信息化建设"),
              row("b", "测试中心", 2000000, unit="测试中心"),
              row("b1", "设备购置", 1200000, project="设备购置"), row("b2", "课题研究", 800000, project="课题研究")]
    d.tables = {"project_expenditure": t}
    report = validate_package(write_package(d, tmp_path / "p"), layers=("accounting",))
    assert {f.severity for f in report.findings} <= {"info"}, [f.message for f in report.findings]
    assert {(f.rule, f.row_id) for f in report.findings} == ({(rule, "a")} if rule else set()), \
        [f.message for f in report.findings]


def test_one_rounding_finding_per_row_naming_its_columns(tmp_path):
    """A 项 printed 0.01 万元 high in three columns leaves its 款 off by rounding in each: one finding
    for the 款 row, naming the three columns (合计, 基本支出 and 人员经费 with their figures)."""
    leaf, report = item_one_cent_high(tmp_path)
    found = [f for f in by_rule(report, "rounding") if f.row_id == leaf.row_id[:5]]
    assert len(found) == 1, [f.message for f in found]
    assert found[0].measure == "total, basic, personnel"
    assert found[0].message.count("印刷为 printed") == 3 and found[0].expected is None
