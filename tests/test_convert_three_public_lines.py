"""Issue #12: the 三公 table in one shape whatever the printed layout (one row per line, field `line`,
codelists/three_public_lines.csv; 机关运行经费 in table operating_costs), and `total` as the row's main
amount of the final accounts' 收入决算表 / 支出决算表, so that the checks across tables needing it run on
final accounts. Inputs: small text documents built here and the final-accounts reference PDF."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from opendata.convert import convert_file
from opendata.package import write_package
from opendata.validate import validate_package
from tests.documents import lines, text_document

WAN = Decimal(10000)
REFS = Path(__file__).resolve().parents[2] / "shared" / "references" / "pdf"
FINAL = REFS / "01_shpt_caizhengju_2024_final.pdf"

WIDE = "\n".join([
    "一般公共预算“三公”经费支出表", "单位：万元",
    "合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t机关运行经费",
    "\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t",
    "6.00\t1.00\t3.00\t1.00\t2.00\t2.00\t50.00"])
LONG = "\n".join([
    "一般公共预算“三公”经费支出表", "单位：万元",
    "项目\t预算数",
    "合计\t6.00",
    "1、因公出国（境）费\t1.00",
    "2、公务用车购置及运行维护费\t3.00",
    "其中：公务用车购置费\t1.00",
    "公务用车运行维护费\t2.00",
    "3、公务接待费\t2.00",
    "机关运行经费\t50.00"])


def shape(tmp_path: Path, text: str):
    result = convert_file(text_document(tmp_path, text))
    tables = result.disclosure.tables
    three = {r.row_id: (r.row_type, r.values.get("line"), {k: v for k, v in r.values.items() if isinstance(v, Decimal)})
             for r in tables["three_public_expenses"].rows}
    operating = [(r.row_id, r.row_type, r.values.get("total")) for r in tables["operating_costs"].rows]
    return three, operating, result.warnings


@pytest.mark.parametrize("text", [WIDE, LONG], ids=["categories as columns", "categories as rows"])
def test_both_printed_layouts_give_the_same_rows(tmp_path, text):
    three, operating, warnings = shape(tmp_path, text)
    assert three == {
        "total": ("total", "total", {"total": 6 * WAN}),
        "overseas_travel": ("item", "overseas_travel", {"total": 1 * WAN}),
        "vehicle": ("subtotal", "vehicle", {"total": 3 * WAN}),
        "vehicle_purchase": ("item", "vehicle_purchase", {"total": 1 * WAN}),
        "vehicle_operation": ("item", "vehicle_operation", {"total": 2 * WAN}),
        "reception": ("item", "reception", {"total": 2 * WAN})}
    assert operating == [("total", "total", 50 * WAN)]   # 机关运行经费 beside or below the 三公 figures
    assert not [w for w in warnings if "three_public_expenses" in w or "operating_costs" in w], warnings


def test_the_two_layouts_are_one_shape_in_the_package(tmp_path):
    wide, long = (shape(tmp_path / name, text) for name, text in (("wide", WIDE), ("long", LONG)) if not (tmp_path / name).mkdir())
    assert wide[:2] == long[:2]


def test_a_row_naming_no_line_is_kept_and_reported(tmp_path):
    """其他支出 printed above the 三公 rows is none of the lines, and the 合计 over both is not the 三公 total named
    above it: both kept with no line, and warned. (行政经费 there is the 机关运行经费: test_lines_document_shapes.py.)"""
    result = convert_file(text_document(tmp_path, "\n".join([
        "“三公”经费支出预算表", "单位：万元", "项目\t预算数", "其他支出\t500.00", "“三公”经费\t3.00",
        "其中：（一）因公出国（境）支出\t1.00", "（二）公务接待费支出\t2.00", "合计\t503.00"])))
    rows = result.disclosure.tables["three_public_expenses"].rows
    assert [(r.values.get("line"), r.values["total"]) for r in rows] == [
        (None, 500 * WAN), ("total", 3 * WAN), ("overseas_travel", 1 * WAN), ("reception", 2 * WAN), (None, 503 * WAN)]
    assert any("name none of its lines" in w and "2 row(s)" in w for w in result.warnings), result.warnings


def test_final_accounts_three_public_by_unit(tmp_path):
    """A final-accounts 三公 table listing units, 预算数 | 决算数 under each category: one row per unit and line,
    决算数 in total, 预算数 in budget_initial; each line's rows add up to the 合计 (the validator finds nothing)."""
    source = tmp_path / "final.txt"
    source.write_text("\n".join([
        "测试市测试局2025年部门决算", "", "单位名称：测试市测试局", "",
        "财政拨款“三公”经费支出决算表", "单位：万元",
        "单位名称\t合计\t\t因公出国（境）费\t\t公务接待费\t",
        "\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数",
        "合计\t3.00\t2.50\t1.00\t0.50\t2.00\t2.00",
        "测试中心\t3.00\t2.50\t1.00\t0.50\t2.00\t2.00", ""]), encoding="utf-8")
    result = convert_file(source)
    table = result.disclosure.tables["three_public_expenses"]
    assert lines(table, unit_name=None) == {
        "total": {"total": Decimal("2.50") * WAN, "budget_initial": 3 * WAN},
        "overseas_travel": {"total": Decimal("0.50") * WAN, "budget_initial": 1 * WAN},
        "reception": {"total": 2 * WAN, "budget_initial": 2 * WAN}}
    assert lines(table, unit_name="测试中心")["overseas_travel"] == {"total": Decimal("0.50") * WAN, "budget_initial": 1 * WAN}
    assert [r.row_id for r in table.rows if r.values["line"] == "total"] == ["total", "测试中心/total"]
    report = validate_package(write_package(result.disclosure, tmp_path / "p"), layers=("accounting",))
    assert not [f for f in report.findings if f.table == "three_public_expenses"], [f.message for f in report.findings]
    assert report.identities_checked > 0


def test_final_accounts_three_public_parts_checked(tmp_path):
    """The 三公 identities read the lines: a 决算数 total that is not the sum of its parts is reported."""
    result = convert_file(text_document(tmp_path, "\n".join([
        "财政拨款“三公”经费支出决算表", "单位：万元",
        "合计\t\t因公出国（境）费\t\t公务接待费\t", "预算数\t决算数\t预算数\t决算数\t预算数\t决算数",
        "3.00\t2.60\t1.00\t0.50\t2.00\t2.00"]), cover=("测试市测试局2025年部门决算", "单位名称：测试市测试局")))
    report = validate_package(write_package(result.disclosure, tmp_path / "p"), layers=("accounting",))
    found = [f for f in report.findings if f.rule == "sum.three-public"]
    assert [(f.row_id, f.measure) for f in found] == [("total", "total")], [f.message for f in report.findings]


# -- the row's main amount in final accounts ----------------------------------------------------------

def test_the_year_total_of_a_final_accounts_income_table_is_its_total(tmp_path):
    source = text_document(tmp_path, "\n".join([
        "收入决算表", "单位：万元",
        "科目编码\t科目名称\t本年收入合计\t财政拨款收入\t其他收入",
        "\t合计\t12.00\t10.00\t2.00",
        "201\t一般公共服务支出\t12.00\t10.00\t2.00"]), cover=("测试市测试局2025年部门决算", "单位名称：测试市测试局"))
    row = convert_file(source).disclosure.tables["income_summary"].row("201")
    assert (row.values["total"], row.values.get("current_year_subtotal")) == (12 * WAN, None)


def test_the_year_income_beside_a_carry_over_stays_the_years(tmp_path):
    """本年收入 printed beside 上年结转 with no 合计: something larger than the year's money exists, so the year's
    column is not the row's total."""
    source = text_document(tmp_path, "\n".join([
        "收入总表", "单位：万元",
        "科目编码\t科目名称\t本年收入\t上年结转",
        "201\t一般公共服务支出\t12.00\t3.00", "\t合计\t12.00\t3.00"]))
    row = convert_file(source).disclosure.tables["income_summary"].row("201")
    assert (row.values.get("total"), row.values["current_year_subtotal"]) == (None, 12 * WAN)


@pytest.fixture(scope="module")
def final():
    if not FINAL.exists():
        pytest.skip(f"reference {FINAL.name} not available")
    return convert_file(FINAL).disclosure


def across_count(disclosure, path: Path) -> tuple[int, list]:
    report = validate_package(write_package(disclosure, path), layers=("accounting",))
    return report.identities_checked, [f for f in report.findings if f.rule.startswith("across.")]


def test_checks_across_tables_run_on_final_accounts(final, tmp_path):
    """01_shpt_caizhengju_2024_final.pdf: 本年支出合计 of 支出决算表 is compared with 本年支出合计 of the 收支总表
    (across.grand-totals) now that it is the row's total; read as current_year_subtotal (as before issue #12),
    fewer identities are compared, and a misprinted 本年支出合计 goes unnoticed."""
    exp = final.tables["expenditure_summary"]
    grand = exp.row("total")
    assert grand.values["total"] == Decimal("2940.05") * WAN and "current_year_subtotal" not in exp.columns
    now, findings = across_count(final, tmp_path / "now")
    # the one true difference: 208 printed 326.71 in the 收支总表 and 326.72 in the 支出决算表 (read off page 12)
    assert [(f.rule, f.expected, f.found) for f in findings if f.rule != "across.function-classes"] == [], [f.message for f in findings]
    grand.values["total"] += WAN   # misprinted by 1 万元
    _, findings = across_count(final, tmp_path / "misprinted")
    assert [(f.rule, f.table) for f in findings if f.rule != "across.function-classes"] == [("across.grand-totals", "expenditure_summary")]
    grand.values["total"] -= WAN
    for name in ("income_summary", "expenditure_summary"):   # the columns as read before issue #12
        table = final.tables[name]
        for row in table.rows:
            if "total" in row.values:
                row.values["current_year_subtotal"] = row.values.pop("total")
        table.columns = ["current_year_subtotal" if c == "total" else c for c in table.columns]
    before, _ = across_count(final, tmp_path / "before")
    assert before < now
