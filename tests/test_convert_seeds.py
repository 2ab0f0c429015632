"""The tab and one-cell-per-line seeds convert completely; cells checked against the documents
(values read off the printed tables; 万元 amounts × 10000 = 元)."""
from decimal import Decimal as D

import pytest

from tests.seeds import converted, row


def amounts(result, table_id, row_id, **expected):
    values = row(result, table_id, row_id).values
    for measure, value in expected.items():
        want = None if value is None else D(value)
        assert values.get(measure) == want, f"{table_id}/{row_id}/{measure}: {values.get(measure)} != {want}"


# -- 004 哈尔滨市道里区 2023 budget: tab rows, headers repeated after page breaks ------------

@pytest.fixture(scope="module")
def harbin():
    return converted("004")


def test_harbin_metadata(harbin):
    d = harbin.disclosure
    assert (d.unit_name, d.unit_code, d.parent_code, d.parent_name) == ("哈尔滨市道里区社会保险经办服务中心", "63002", "63", "人社部门")
    assert (d.fiscal_year, d.stage, d.division_code, d.money_unit) == (2023, "budget", "230102", "万元")


def test_harbin_tables_present(harbin):
    tables = harbin.disclosure.tables
    for table_id in ["income_expenditure_summary", "income_summary", "expenditure_summary", "fiscal_appropriation_summary",
                     "general_budget_expenditure", "general_budget_basic_expenditure", "general_budget_project_expenditure",
                     "three_public_expenses", "government_fund_expenditure", "state_capital_expenditure", "project_expenditure",
                     "project_performance_targets", "department_performance_targets"]:
        assert table_id in tables, table_id
    assert len(tables["expenditure_summary"].rows) == 20
    assert len(tables["general_budget_basic_expenditure"].rows) == 31
    assert len(tables["project_expenditure"].rows) == 11
    assert tables["general_budget_basic_expenditure"].money_decimals == 2


def test_harbin_cells(harbin):
    amounts(harbin, "expenditure_summary", "total", total="9774000", basic="2321100", project="7452900")
    amounts(harbin, "expenditure_summary", "2080109", total="7452900", basic="0", project="7452900")
    amounts(harbin, "expenditure_summary", "2101101", total="111300")  # after the repeated header
    amounts(harbin, "expenditure_summary", "2210201", total="204800")
    amounts(harbin, "general_budget_expenditure", "208", personnel="1633100", public_use="297200", project="7452900")
    amounts(harbin, "general_budget_basic_expenditure", "total", total="2321100", personnel="2007900", public_use="313200")
    amounts(harbin, "general_budget_basic_expenditure", "3010202", personnel="30100")
    amounts(harbin, "general_budget_basic_expenditure", "3030202", total="2500")  # after the page break
    amounts(harbin, "general_budget_basic_expenditure", "3020801", public_use="162900")
    amounts(harbin, "general_budget_project_expenditure", "30227", total="4062500")
    amounts(harbin, "income_summary", "63002", total="9774000", general_budget="9774000", government_fund="0")
    amounts(harbin, "income_expenditure_summary", "income/一、一般公共预算拨款收入", total="9774000")
    amounts(harbin, "income_expenditure_summary", "expenditure/二、社会保障和就业支出", total="9383200")
    amounts(harbin, "fiscal_appropriation_summary", "expenditure/(四)住房保障支出", total="204800")
    amounts(harbin, "project_expenditure", "综合窗口服务人员委托业务费", total="2928900", general_budget="2928900")
    amounts(harbin, "project_expenditure", "五星评价系统维护费及云平台租赁费", total="40000")  # wrapped name, after page break
    assert row(harbin, "income_expenditure_summary", "income/收入总计").row_type == "total"
    assert row(harbin, "general_budget_basic_expenditure", "3010202").values["item"] == "采暖补贴（在职）"


def test_harbin_empty_tables_keep_their_notes(harbin):
    for table_id in ("three_public_expenses", "government_fund_expenditure", "state_capital_expenditure"):
        table = harbin.disclosure.tables[table_id]
        assert "故本表无数据" in (table.note or ""), table_id
        amounts(harbin, table_id, "total", total="0")


# -- 002 洛阳市西工区 2021 budget: codes split into 类/款/项, merged header cells ----------------

@pytest.fixture(scope="module")
def luoyang():
    return converted("002")


def test_luoyang_metadata(luoyang):
    d = luoyang.disclosure
    assert (d.unit_name, d.unit_code, d.fiscal_year, d.stage, d.division_code) == ("洛阳市西工区社会保险中心", "309001", 2021, "budget", "410303")


def test_luoyang_cells(luoyang):
    amounts(luoyang, "income_expenditure_summary", "income/一般公共预算/小计", total="4618400")
    amounts(luoyang, "income_expenditure_summary", "expenditure/1、工资福利支出", total="3805500", general_budget="3805500")
    amounts(luoyang, "income_expenditure_summary", "expenditure/4、人员类项目", total="132000")
    amounts(luoyang, "income_expenditure_summary", "income/收入合计", total="4618400")
    amounts(luoyang, "income_summary", "2080109", total="3692800")
    amounts(luoyang, "income_summary", "2101102", total="286500")  # printed 210 11 2
    amounts(luoyang, "income_summary", "309001", total="4618400")
    amounts(luoyang, "expenditure_summary", "2080109", basic="3308400", wage_welfare="2971600", household_subsidy="1500",
            goods_services="335300", project="384400", general_project="252400", special_project=None, personnel_project="132000")
    amounts(luoyang, "expenditure_summary", "2080599", household_subsidy="91700", wage_welfare=None)
    amounts(luoyang, "fiscal_appropriation_summary", "expenditure/十四、交通运输", total="140000", general_budget=None)
    amounts(luoyang, "fiscal_appropriation_summary", "expenditure/八、社会保障和就业", total="4090400", general_budget="4090400")
    amounts(luoyang, "general_budget_expenditure", "2210201", total="241500")
    amounts(luoyang, "operating_costs", "total", total="523700")
    amounts(luoyang, "operating_costs", "30214", total="22800")
    amounts(luoyang, "operating_costs", "30226", total="132000")
    three = luoyang.disclosure.tables["three_public_expenses"]
    assert len(three.rows) == 5 and all(r.values.get("total") is None for r in three.rows)


# -- 001 北京市西城区 2023 budget: one cell per line, amounts in 元 --------------------------------

@pytest.fixture(scope="module")
def xicheng():
    return converted("001")


def test_xicheng_metadata(xicheng):
    d = xicheng.disclosure
    assert (d.unit_name, d.unit_code, d.parent_code, d.fiscal_year, d.stage, d.division_code, d.money_unit) == (
        "北京市西城区社会保险基金管理中心", "257004", "257", 2023, "budget", "110102", "元")


def test_xicheng_tables(xicheng):
    tables = xicheng.disclosure.tables
    for table_id in ["income_expenditure_summary", "income_summary", "expenditure_summary", "project_expenditure",
                     "fiscal_appropriation_summary", "general_budget_expenditure", "general_budget_basic_expenditure",
                     "government_fund_expenditure", "state_capital_expenditure", "three_public_expenses",
                     "government_purchased_services", "transfer_payment_details", "project_performance_targets",
                     "department_performance_targets"]:
        assert table_id in tables, table_id
    assert len(tables["expenditure_summary"].rows) == 35
    assert len(tables["project_expenditure"].rows) == 8
    assert tables["government_fund_expenditure"].money_unit == "万元"


def test_xicheng_cells(xicheng):
    amounts(xicheng, "income_expenditure_summary", "income/一、一般公共预算拨款收入", total="68353777.63")
    amounts(xicheng, "income_expenditure_summary", "expenditure/八、社会保障和就业支出", total="57715208.87")
    amounts(xicheng, "income_expenditure_summary", "expenditure/二十七、抗疫特别国债安排的支出", total=None)
    amounts(xicheng, "income_summary", "257004", total="68353777.63", general_budget="68353777.63", government_fund=None)
    amounts(xicheng, "expenditure_summary", "2080101|50502|30239", total="1163520", basic="1163520")
    amounts(xicheng, "expenditure_summary", "2080109|50601|31002", total="373300", basic=None, project="373300")
    amounts(xicheng, "expenditure_summary", "total", total="68353777.63", basic="52212451.06", project="16141326.57")
    # 表六: its upper header rows print only their non-empty cells (merged headings)
    amounts(xicheng, "general_budget_expenditure", "2080101", total="34989296.54", personnel="31050272.99", public_use="3939023.55")
    amounts(xicheng, "general_budget_expenditure", "2080109", basic=None, project="3201956.57", project_excluding_capital="3201956.57")
    amounts(xicheng, "general_budget_expenditure", "total", total="68353777.63", personnel="48043580.51", public_use="4168870.55")
    assert row(xicheng, "general_budget_expenditure", "2080101").values["unit_name"] == "北京市西城区社会保险基金管理中心"
    amounts(xicheng, "general_budget_basic_expenditure", "2210203|50501|30102", personnel="3095364")
    amounts(xicheng, "fiscal_appropriation_summary", "expenditure/五、教育支出", total="196187")
    row_ = row(xicheng, "expenditure_summary", "2050803|50502|30216")
    assert row_.values["economic_name"] == "培训费" and row_.values["gov_economic_name"] == "商品和服务支出"
    assert row_.values["item"] == "培训支出"
    project = xicheng.disclosure.tables["project_expenditure"].rows[0]
    assert project.values["project_name"] == "困难人员参加城乡居民基本养老保险代缴保费（2023年）"
    assert project.values["unit_code"] == "257004" and project.values["total"] == D("1738000")


# -- 003 北京市丰台区 2020 final accounts: narrative figures and nine self-evaluations ---------------

@pytest.fixture(scope="module")
def fengtai():
    return converted("003")


def test_fengtai_metadata(fengtai):
    d = fengtai.disclosure
    assert (d.unit_name, d.unit_code, d.fiscal_year, d.stage, d.division_code) == (
        "北京市丰台区社会保险基金管理中心", None, 2020, "final_accounts", "110106")
    assert set(d.tables) == {"performance_self_evaluation", "key_figures", "narrative"}


def test_fengtai_key_figures(fengtai):
    """Headline figures of the narrative (lines 11-60), in 元."""
    amounts(fengtai, "key_figures", "total_income_expenditure", amount="51810200")
    amounts(fengtai, "key_figures", "income_total", amount="49480800")
    amounts(fengtai, "key_figures", "expenditure_total", amount="50218100")
    amounts(fengtai, "key_figures", "basic", amount="44079400")
    amounts(fengtai, "key_figures", "project", amount="6138700")
    amounts(fengtai, "key_figures", "procurement", amount="2780200")
    amounts(fengtai, "key_figures", "three_public", amount="0")
    assert row(fengtai, "key_figures", "basic").values["percent"] == "87.78%"
    assert row(fengtai, "key_figures", "staff_actual#2").values["quantity"] == "145"


def test_fengtai_self_evaluations(fengtai):
    table = fengtai.disclosure.tables["performance_self_evaluation"]
    projects = {r.values["project_name"] for r in table.rows}
    assert len(projects) == 9 and "档案资料保管费" in projects and "购置工作服" in projects
    amounts(fengtai, "performance_self_evaluation", "档案资料保管费/年度资金总额",
            budget_initial="494100", budget_full_year="429300", total="429300")
    amounts(fengtai, "performance_self_evaluation", "购置工作服/年度资金总额",
            budget_initial="30100", budget_full_year="29500", total="29500")
    amounts(fengtai, "performance_self_evaluation", "社保窗口服务经费/年度资金总额",
            budget_initial="1296500", budget_full_year="1253300", total="1253300")
    amounts(fengtai, "performance_self_evaluation", "档案资料保管费/上年结转资金", budget_initial=None, total=None)
    funding = row(fengtai, "performance_self_evaluation", "档案资料保管费/年度资金总额").values
    assert (funding["score_weight"], funding["execution_rate"], funding["score"]) == ("10", "100%", "10")
    indicator = row(fengtai, "performance_self_evaluation", "社保窗口服务经费/聘用人数").values
    assert (indicator["indicator_level1"], indicator["indicator_level2"], indicator["target_value"], indicator["actual_value"]) == (
        "产出指标", "数量指标", "41", "41")
