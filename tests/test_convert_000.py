"""Seed 000: 北京市东城区社会保险基金管理中心 2021 budget, PDF text with cells run together
(预算01表 … 预算12表, bodies before titles and headers). Expected values read off the
document by hand; line numbers are the seed's."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from opendata.convert import convert_file

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_456597b442e87669.txt"

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="seeds not beside the repository")


@pytest.fixture(scope="module")
def result():
    return convert_file(SEED)


@pytest.fixture(scope="module")
def tables(result):
    return result.disclosure.tables


def wan(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) * 10000


def find(table, **match):
    rows = [r for r in table.rows if all(r.values.get(k) == v for k, v in match.items())]
    assert len(rows) == 1, (match, [r.values for r in rows])
    return rows[0]


def test_metadata(result):
    d = result.disclosure
    assert d.unit_name == "北京市东城区社会保险基金管理中心"
    assert d.unit_code == "01075003"
    assert (d.fiscal_year, d.stage, d.division_code, d.money_unit) == (2021, "budget", "110101", "万元")


def test_every_table_under_its_catalog_id(tables):
    expected = {"income_expenditure_summary": 29, "income_summary": 15, "expenditure_summary": 19,
                "fiscal_appropriation_summary": 25, "general_budget_expenditure": 20,
                "general_budget_basic_expenditure": 27, "three_public_expenses": 12,
                "government_fund_expenditure": 0, "project_expenditure": 10, "government_procurement": 8,
                "government_purchased_services": 0}
    for table_id, count in expected.items():
        assert table_id in tables, table_id
        assert len(tables[table_id].rows) == count, (table_id, len(tables[table_id].rows))
        assert tables[table_id].money_unit == "万元"
    targets = tables["project_performance_targets"]
    projects = [r for r in targets.rows if not r.values.get("indicator_level2")]
    assert [r.values["project_name"] for r in projects] == [
        "离休人员生活补贴", "困难企业离休干部医疗统筹经费", "东城区社保中心档案整理存储外包项目",
        "社保基金管理工作经费", "人力资源和社会保障政务服务电话咨询中心服务外包项目"]


def test_totals(tables):
    ies = tables["income_expenditure_summary"]
    income_total = find(ies, side="income", item="收入总计")
    assert income_total.row_type == "total" and income_total.values["total"] == wan("5,932.091636")
    spend = find(ies, side="expenditure", item="支出总计")
    assert spend.values["total"] == spend.values["fiscal_appropriation"] == spend.values["general_budget"] == wan("5,932.091636")
    assert find(tables["expenditure_summary"], item="总计").values["project"] == wan("1,897.260984")
    assert find(tables["general_budget_basic_expenditure"], item="总计").values["personnel"] == wan("3,772.155744")
    assert find(tables["project_expenditure"], item="合计").values["total"] == wan("1,897.260984")
    assert find(tables["government_procurement"], item="总计").values["total"] == wan("260.260984")
    assert find(tables["three_public_expenses"], line="total", unit_code=None).row_type == "total"   # 6 lines x (合计, the unit)


def test_cells_read_by_hand(tables):
    ies = tables["income_expenditure_summary"]
    # 对个人和家庭的补助支出24: the 行号 glued to the label
    row = find(ies, side="expenditure", line_number=24)
    assert row.values["item"] == "对个人和家庭的补助支出" and row.values["total"] == wan("12.165800")
    # blank cells: 政府性基金 / 专户 / 其他资金 of the expenditure side, 一般性项目 wholly blank
    assert "government_fund" not in find(ies, side="expenditure", item="工资福利支出").values
    assert find(ies, side="expenditure", item="一般性项目").values.get("total") is None
    assert find(ies, side="income", line_number=8).values["item"] == "四、事业收入(不含事业单位预算外资金)"
    assert find(ies, side="income", item="其中:一般公共预算拨款").values["total"] == wan("5,932.091636")
    # 预算02表: labels and amounts printed apart
    inc = tables["income_summary"]
    assert find(inc, item="一、财政拨款").values["total"] == wan("5,932.091636")
    assert find(inc, item="七、其他收入").values["total"] == 0
    assert find(inc, item="本年收入合计").values["total"] == wan("5,932.091636")
    exp = tables["expenditure_summary"]
    assert find(exp, function_code="2080109").values["basic"] == wan("2,595.415615")
    assert find(exp, function_code="2210203").values["total"] == wan("304.413912")
    fas = tables["fiscal_appropriation_summary"]
    assert find(fas, side="expenditure", item="住房保障支出").values["general_budget"] == wan("550.836720")
    assert find(fas, side="income", item="一般公共预算").values["total"] == wan("5,932.091636")
    assert find(fas, side="expenditure", item="国防支出").values["government_fund"] == 0
    gbe = tables["general_budget_expenditure"]
    assert find(gbe, function_code="2080502").values["total"] == 0   # only in 预算05表
    assert find(gbe, function_code="20899").values["project"] == wan("1,130.000000")
    basic = tables["general_budget_basic_expenditure"]
    assert find(basic, economic_code="30213").values["item"] == "维修(护)费"
    assert find(basic, economic_code="30228").values["public_use"] == wan("34.359108")
    assert find(basic, economic_code="30399").values["personnel"] == wan("0.138000")
    assert find(tables["three_public_expenses"], unit_code="01075003", line="reception").values["total"] == 0
    # 预算09表 prints project names cut short, 预算10表 whole
    pe = tables["project_expenditure"]
    cut = find(pe, project_name="人力资源和社会保障政务服务电话咨")
    assert cut.values["total"] == wan("115.360984") and cut.values["purchased_service"] == "否"
    assert find(pe, project_name="东城区社保中心档案整理存储外包项").values["fiscal_appropriation"] == wan("187.000000")
    assert find(pe, project_name="社保基金管理工作经费").values["total"] == wan("140.900000")
    gp = tables["government_procurement"]
    whole = find(gp, project_name="人力资源和社会保障政务服务电话咨询中心服务外包项目")
    assert whole.values["total"] == wan("115.360984") and whole.values["quantity"] == "1"
    assert find(gp, project_name="社保基金管理工作经费").values["total"] == wan("7.900000")
    assert find(gp, project_name="东城区社保中心档案整理存储外包项目").source_line == 451
    # performance targets
    targets = tables["project_performance_targets"]
    head = find(targets, item="困难企业离休干部医疗统筹经费")
    assert head.values["total"] == head.values["fiscal_appropriation"] == Decimal(3240000)
    assert head.values["department"] == "北京市东城区人力资源和社会保障局"
    assert find(targets, project_name="离休人员生活补贴", indicator_level2="数量指标").values["target_value"] == "119人"
    assert find(targets, project_name="困难企业离休干部医疗统筹经费", indicator_level2="质量指标").values["target_value"] == "7500元/人/月"


def test_row_ids_and_sources(tables):
    for table in tables.values():
        ids = [r.row_id for r in table.rows]
        assert len(ids) == len(set(ids)) and all(ids), table.table_id
        assert all(r.source_line for r in table.rows if table.table_id != "narrative"), table.table_id


def test_unpaired_indicators_are_reported(result):
    assert any("project_performance_targets" in w and "cannot be paired" in w for w in result.warnings)


def test_key_figures(tables):
    figures = {r.values["figure"]: r.values["amount"] for r in tables["key_figures"].rows}
    assert figures["total_income_expenditure"] == Decimal("59320900")
