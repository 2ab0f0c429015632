"""The validator on the two reference PDFs (../shared/references/pdf, issue #14: zero false errors on the seeds and
reference PDFs). Each finding of error or warning severity below was read off the document:

01_shpt_caizhengju_2024_final.pdf (上海市普陀区财政局 2024 决算):
- p. 5 / p. 9: 208 社会保障和就业支出 printed 326.71 in 收支总表 and 财政拨款收支总表, 326.72 in 支出决算表 and
  一般公共预算财政拨款支出决算表 (one figure printed twice must be equal): across.function-classes ×2, error.
- p. 21: "财政拨款收入支出总计0.3万元" where 财政拨款收支总表 prints 2,940.05 万元: narrative.figure-mismatch, error.
- p. 21: "一般公共服务支出（类）2106.66万元，占71.73%" of 2940.05 万元 is 71.65 %: narrative.percentage, warning.
False alarms it raised before (kept out by a test each):
- p. 17: the two-panel basic-expenditure table: 人员经费合计 2,152.26 = 301 + 303, 公用经费合计 184.65 = 302 + 310, never
  the sum of all four classes;
- pp. 22–23: the 项 paragraphs ("行政运行（项）……年初预算为 1560.05 万元，支出决算为1511.89万元") and the 三公 sentence
  ("“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元"; "公务用车购置及运行维护费支出决算为0.00万元") state
  those rows' amounts, not the year's expenditure.
04_shpt_shangwuwei_2025_dept_budget.pdf (上海市普陀区商务委员会 2025 预算): no finding of error or warning severity
(its tables and text agree, read page by page).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from opendata.convert import convert_to_package
from opendata.validate import validate_package

REFS = Path(__file__).resolve().parents[2] / "shared" / "references" / "pdf"
FINAL = REFS / "01_shpt_caizhengju_2024_final.pdf"
BUDGET = REFS / "04_shpt_shangwuwei_2025_dept_budget.pdf"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("references")
    return {source.name: validate_package(convert_to_package(source, out / source.stem).path) for source in (FINAL, BUDGET)}


def serious(report):
    return [f for f in report.findings if f.severity in ("error", "warning")]


def test_final_accounts_reference_findings_are_the_documents_errors(reports):
    found = Counter((f.severity, f.rule) for f in serious(reports[FINAL.name]))
    assert found == Counter({("error", "across.function-classes"): 2, ("error", "narrative.figure-mismatch"): 1,
                             ("warning", "narrative.percentage"): 1})
    mismatch = next(f for f in serious(reports[FINAL.name]) if f.rule == "narrative.figure-mismatch")
    assert "0.3万元" in mismatch.message and "2,940.05" in mismatch.message


def test_two_panel_basic_expenditure_totals_are_their_classes_sums(reports):
    """p. 17: 人员经费合计 and 公用经费合计 are not reported as the sum of all four classes."""
    assert not [f for f in reports[FINAL.name].findings if f.rule.startswith("sum.") and f.table == "general_budget_basic_expenditure"]


def test_item_and_three_public_paragraphs_are_not_the_years_expenditure(reports):
    """pp. 22–23: 1511.89 (行政运行 项), 135.25, 449.52 … and 三公's 0.00 are not compared with 本年支出合计."""
    wrong = [f for f in reports[FINAL.name].findings if f.rule == "narrative.figure-mismatch" and "本年支出合计" in f.message]
    assert wrong == []


def test_budget_reference_has_no_error_or_warning(reports):
    assert serious(reports[BUDGET.name]) == []


def test_a_wrong_panel_total_is_still_reported(tmp_path):
    """The panel total is checked against its own classes: 人员经费合计 125.00 ≠ 301 + 303 = 120.00 is an error, 公用经费合计
    30.00 = 302 is not, nor 合计 150.00 = all classes (a built document: the panels of p. 17 one under the other)."""
    from tests.documents import text_document
    source = text_document(tmp_path, "\n".join([
        "一般公共预算基本支出表", "单位：万元", "科目编码\t科目名称\t合计",
        "301\t工资福利支出\t100.00", "303\t对个人和家庭的补助\t20.00", "人员经费合计\t\t125.00",
        "302\t商品和服务支出\t30.00", "公用经费合计\t\t30.00", "合计\t\t150.00"]))
    report = validate_package(convert_to_package(source, tmp_path / "package").path)
    sums = [f for f in report.findings if f.rule == "sum.total-row"]
    assert [(f.label, f.severity) for f in sums] == [("人员经费合计", "error")]
