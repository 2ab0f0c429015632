"""Flat money tables as other regions print them (issue #11): headers with words the
vocabulary does not know beside words it knows, economic-code name columns, a previous
year's column beside the current one, titles qualified into another table, table markers,
and a last table ending on its note. Inputs are small text documents built here."""
from __future__ import annotations

from pathlib import Path

from opendata.convert import convert_file
from opendata.convert.recognise import match_title
from tests.documents import lines, text_document


def document(tmp_path: Path, *parts: str) -> Path:
    return text_document(tmp_path, *parts)


def table(title: str, *rows: str, marker: str | None = None) -> str:
    return "\n".join(([marker] if marker else []) + [title, "单位：万元", *rows])


def test_header_with_unknown_words_beside_known_ones_is_read(tmp_path):
    """预算单位 / 支出总计 / a procurement group with 其中 sub-headings: the header is read, the
    total is 支出总计 (not the procurement 小计), the procurement 小计 and the part of it reserved
    for small and medium enterprises are their own measures."""
    source = document(tmp_path, table(
        "支出总表",
        "预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出\t2026年政府采购项目\t",
        "\t\t\t\t\t\t小计\t其中：2026年政府采购项目中预留给中小企业的项目资金规模",
        "测试市测试局\t\t\t30.00\t10.00\t20.00\t5.00\t1.00",
        "\t201\t一般公共服务支出\t30.00\t10.00\t20.00\t5.00\t1.00",
        "注：本表金额单位转换时可能存在尾数误差。"))
    result = convert_file(source)
    rows = result.disclosure.tables["expenditure_summary"].rows
    row = next(r for r in rows if r.values.get("function_code") == "201")
    assert (str(row.values["total"]), str(row.values["basic"]), str(row.values["project"])) == ("300000.00", "100000.00", "200000.00")
    assert row.values["item"] == "一般公共服务支出"
    assert any(r.values.get("unit_name") == "测试市测试局" for r in rows)
    assert (str(row.values["procurement"]), str(row.values["procurement_sme"])) == ("50000.00", "10000.00")
    assert not [w for w in result.warnings if "not converted" in w or "not recognised" in w]


def test_economic_name_columns(tmp_path):
    """部门预算支出经济分类科目名称 is the rows' label; 政府预算支出经济分类科目名称 its own field."""
    source = document(tmp_path, table(
        "一般公共预算基本支出表",
        "部门预算支出经济分类科目编码\t部门预算支出经济分类科目名称\t政府预算支出经济分类科目编码\t政府预算支出经济分类科目名称\t合计\t人员经费\t公用经费",
        "301\t工资福利支出\t501\t机关工资福利支出\t10.00\t10.00\t0.00",
        "\t合计\t\t\t10.00\t10.00\t0.00"))
    result = convert_file(source)
    row = next(r for r in result.disclosure.tables["general_budget_basic_expenditure"].rows if r.values.get("economic_code") == "301")
    assert row.values["item"] == "工资福利支出"
    assert row.values["gov_economic_code"] == "501"
    assert row.values["gov_economic_name"] == "机关工资福利支出"
    assert not [w for w in result.warnings if "not recognised" in w or "not converted" in w]


def test_income_columns_under_fiscal_appropriation_income(tmp_path):
    source = document(tmp_path, table(
        "收入总表",
        "科目编码\t科目名称\t合计\t财政拨款收入\t\t事业收入",
        "\t\t\t小计\t一般公共预算收入\t",
        "201\t一般公共服务支出\t12.00\t10.00\t10.00\t2.00",
        "\t合计\t12.00\t10.00\t10.00\t2.00"))
    result = convert_file(source)
    row = result.disclosure.tables["income_summary"].row("201")
    assert {k: str(row.values[k]) for k in ("total", "fiscal_appropriation", "general_budget", "business_income")} == \
        {"total": "120000.00", "fiscal_appropriation": "100000.00", "general_budget": "100000.00", "business_income": "20000.00"}
    assert not [w for w in result.warnings if "both read" in w or "not recognised" in w]


def test_both_year_columns_are_kept_as_periods(tmp_path):
    """A 三公 table printing last year's budget beside this year's keeps both, one row per period
    (2025年预算数 | 2026年预算数: title_words.csv year_figure); nothing is dropped."""
    source = document(tmp_path, table(
        "“三公”经费支出表",
        "2025年预算数\t2026年预算数",
        "8.00\t9.00"))
    result = convert_file(source)
    rows = result.disclosure.tables["three_public_expenses"].rows
    assert [(r.values["period"], str(r.values["total"])) for r in rows] == [("2025年预算数", "80000.00"), ("2026年预算数", "90000.00")]
    assert not any("is not converted" in w for w in result.warnings)


def test_qualified_titles_are_other_tables():
    assert match_title("基本支出总表").table_id == "basic_expenditure"   # its own table, not the 支出总表
    assert match_title("一般公共预算支出表（按经济分类）").table_id == "general_budget_expenditure_economic"
    assert match_title("一般公共预算支出表").table_id == "general_budget_expenditure"
    assert match_title("项目支出总表").table_id == "project_expenditure"
    assert match_title("支出总表").table_id == "expenditure_summary"
    assert match_title("2026年预算单位支出预算总表").table_id == "expenditure_summary"
    assert match_title("一般公共预算基本支出表").table_id == "general_budget_basic_expenditure"


def test_another_marker_ends_a_table_and_a_note_ends_the_document(tmp_path):
    """表2 支出总表 then 表3 with a title outside the catalog: its rows are not read into 支出总表;
    the document ends on the last table's note without a 合计 row and is not refused."""
    source = document(
        tmp_path,
        table("支出总表", "科目编码\t科目名称\t支出总计\t基本支出\t项目支出",
              "201\t一般公共服务支出\t3.00\t1.00\t2.00", marker="表2"),
        table("文化和旅游项目资金安排表", "科目编码\t科目名称\t总计\t人员经费\t公用经费",
              "301\t工资福利支出\t1.00\t1.00\t0.00", marker="表3"),
        table("国有资本经营预算支出表", "科目编码\t科目名称\t支出总计\t基本支出\t项目支出",
              "测试市测试局\t\t0.00\t0.00\t0.00", "注：本表本年无发生额。", marker="表4"))
    result = convert_file(source)
    rows = result.disclosure.tables["expenditure_summary"].rows
    assert [r.values.get("function_code") for r in rows] == ["201"]
    assert "state_capital_expenditure" in result.disclosure.tables


def test_hunan_headers_are_read(tmp_path):
    """Headers as Hunan prints them: 本级财政拨款 over 金额 and 其中:经费拨款 (the fiscal appropriation and
    its general-budget appropriation part), 经济科目编码 / 经济科目名称 with 人员类 / 公用经费, and a
    三公 table keyed by 部门名称 with 其中：公务用车购置."""
    source = document(tmp_path, table(
        "部门收入总体情况表",
        "功能科目\t合计\t本级财政拨款\t\t上级补助收入",
        "\t\t金额\t其中:经费拨款\t",
        "合计\t30.00\t30.00\t20.00\t",
        "201\t30.00\t30.00\t20.00\t"), table(
        "一般公共预算基本支出情况表",
        "经济科目编码\t经济科目名称\t总计\t人员类\t公用经费",
        "\t合计\t12.00\t10.00\t2.00",
        "301\t工资福利支出\t12.00\t10.00\t2.00"), table(
        "一般公共预算“三公”经费支出情况表",
        "部门名称\t三公经费预（决）算数（财政拨款）\t\t\t\t",
        "\t小计\t公务接待费\t公务用车购置及运行费\t其中：公务用车购置\t其中：公务用车运行费",
        "合计\t5.00\t1.00\t4.00\t3.00\t1.00",
        "某某局\t5.00\t1.00\t4.00\t3.00\t1.00"))
    result = convert_file(source)
    tables = result.disclosure.tables
    income = next(r for r in tables["income_summary"].rows if r.values.get("function_code") == "201")
    assert (str(income.values["total"]), str(income.values["fiscal_appropriation"]), str(income.values["general_budget_appropriation"])) == (
        "300000.00", "300000.00", "200000.00")
    basic = next(r for r in tables["general_budget_basic_expenditure"].rows if r.values.get("economic_code") == "301")
    assert (basic.values["item"], str(basic.values["personnel"]), str(basic.values["public_use"])) == ("工资福利支出", "100000.00", "20000.00")
    unit = lines(tables["three_public_expenses"], unit_name="某某局")
    assert (str(unit["total"]["total"]), str(unit["vehicle_purchase"]["total"]), str(unit["vehicle_operation"]["total"])) == ("50000.00", "30000.00", "10000.00")
    assert not [w for w in result.warnings if "not recognised" in w or "not converted" in w]


def test_a_second_run_of_code_columns_is_not_read_into_the_first(tmp_path):
    """A procurement table printing the function code (科目编码 类 款 项) and, further right, the department and
    government economic codes as 类 款 under 部门预算支出 / 政府预算支出: the function code is read from its own
    columns, the other runs are reported, not written over it; 采购项目 is the project, 预算金额 the amount."""
    source = document(tmp_path, table(
        "表12 2021年部门综合预算政府采购（资产配置、购买服务）预算表（不含上年结转）",
        "序号\t科目编码\t\t\t单位编码\t采购项目\t购买服务内容\t数量\t部门预算支出\t\t政府预算支出\t\t预算金额",
        "\t类\t款\t项\t\t\t\t\t类\t款\t类\t款\t",
        "1\t\t\t\t\t合计\t\t2\t\t\t\t\t179.50",
        "2\t208\t02\t07\t\t路牌设置及维护\t路牌保洁\t1\t302\t13\t502\t09\t81.50",
        "3\t208\t02\t07\t\t路牌设置及维护\t路牌维修\t1\t309\t05\t504\t02\t98.00"))
    result = convert_file(source)
    rows = result.disclosure.tables["government_procurement"].rows
    assert [(r.row_type, r.values.get("function_code"), r.values.get("project_name"), str(r.values["total"])) for r in rows] == [
        ("total", None, "合计", "1795000.00"),
        ("item", "2080207", "路牌设置及维护", "815000.00"),
        ("item", "2080207", "路牌设置及维护", "980000.00")]
    assert any("部门预算支出/类" in w and "not recognised" in w for w in result.warnings), result.warnings


def test_xian_column_words_read_as_their_measures(tmp_path):
    """人员经费支出 / 公用经费支出 / 专项业务经费支出 (the 专项业务经费 of a 专项业务经费支出表 is the project expenditure)
    and 功能科目编码 are the personnel, public-use and project columns and the function code."""
    source = document(tmp_path, table(
        "表5 2021年部门综合预算一般公共预算支出明细表（按支出功能分类科目－不含上年结转）",
        "序号\t功能科目编码\t功能科目名称\t合计\t人员经费支出\t公用经费支出\t专项业务经费支出\t备注",
        "1\t\t合计\t600.00\t100.00\t200.00\t300.00\t",
        "2\t2080201\t行政运行\t600.00\t100.00\t200.00\t300.00\t"))
    rows = convert_file(source).disclosure.tables["general_budget_expenditure"].rows
    assert [(r.values.get("function_code"), *(str(r.values[m]) for m in ("total", "personnel", "public_use", "project")))
            for r in rows] == [(None, "6000000.00", "1000000.00", "2000000.00", "3000000.00"),
                               ("2080201", "6000000.00", "1000000.00", "2000000.00", "3000000.00")]


def test_three_public_table_with_meeting_and_training_fees(tmp_path):
    """The 三公经费及会议费、培训费 table under a year heading: 合计 (line total_with_meeting_training), the 三公 小计
    (line total), its parts, 会议费 and 培训费, each its own line; nothing is reported as not converted."""
    source = document(tmp_path, table(
        "表13 2021年部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表（不含上年结转）",
        "序号\t单位编码\t单位名称\t2021年\t\t\t\t\t\t\t\t",
        "\t\t\t合计\t一般公共预算拨款安排的“三公”经费预算\t\t\t\t\t\t会议费\t培训费",
        "\t\t\t\t小计\t因公出国（境）费用\t公务接待费\t公务用车购置及运行费\t\t\t\t",
        "\t\t\t\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t\t",
        "1\t\t合计\t16.00\t3.00\t0.00\t1.00\t2.00\t0.00\t2.00\t3.00\t10.00",
        "2\t241\t某某局\t16.00\t3.00\t0.00\t1.00\t2.00\t0.00\t2.00\t3.00\t10.00"))
    result = convert_file(source)
    unit = lines(result.disclosure.tables["three_public_expenses"], unit_code="241")
    assert {line: str(measures["total"]) for line, measures in unit.items()} == {
        "total_with_meeting_training": "160000.00", "total": "30000.00", "overseas_travel": "0.00", "reception": "10000.00",
        "vehicle": "20000.00", "vehicle_purchase": "0.00", "vehicle_operation": "20000.00", "meeting_fees": "30000.00",
        "training_fees": "100000.00"}
    assert not [w for w in result.warnings if "three_public_expenses" in w], result.warnings


def test_three_public_table_of_last_year_this_year_and_the_change(tmp_path):
    """上年 | 当年 | 增减变化情况, each with the same columns (title_words.csv previous_year / this_year / change): one
    row per period (field period, the heading as printed), none of the columns dropped; 合计 printed in the
    unit-code column is the total row's label."""
    source = document(tmp_path, table(
        "部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表",
        "单位编码\t单位名称\t上年\t\t\t当年\t\t\t增减变化情况\t\t",
        "\t\t合计\t会议费\t培训费\t合计\t会议费\t培训费\t合计\t会议费\t培训费",
        "合计\t\t5.00\t2.00\t3.00\t7.00\t3.00\t4.00\t2.00\t1.00\t1.00",
        "154\t某某局\t5.00\t2.00\t3.00\t7.00\t3.00\t4.00\t2.00\t1.00\t1.00"))
    result = convert_file(source)
    three = result.disclosure.tables["three_public_expenses"]
    got = [(unit, period, *(str(lines(three, unit_code=unit, period=period)[line]["total"]) for line in ("total", "meeting_fees", "training_fees")))
           for unit in (None, "154") for period in ("上年", "当年", "增减变化情况")]
    assert got == [(None, "上年", "50000.00", "20000.00", "30000.00"), (None, "当年", "70000.00", "30000.00", "40000.00"),
                   (None, "增减变化情况", "20000.00", "10000.00", "10000.00"), ("154", "上年", "50000.00", "20000.00", "30000.00"),
                   ("154", "当年", "70000.00", "30000.00", "40000.00"), ("154", "增减变化情况", "20000.00", "10000.00", "10000.00")]
    assert [r.row_type for r in three.rows if r.values["line"] == "total"] == ["total"] * 3 + ["subtotal"] * 3   # 合计, then the unit's
    assert not any("is not converted" in w for w in result.warnings), result.warnings


def test_general_budget_subtotal_under_its_heading_is_not_a_second_total(tmp_path):
    """总计 | 部门预算 / 一般公共预算拨款 / 小计 | 政府性基金拨款: the 小计 under 一般公共预算拨款 is the general budget."""
    source = document(tmp_path, table(
        "表2 2021年部门综合预算收入总表",
        "单位编码\t单位名称\t总计\t部门预算\t\t",
        "\t\t\t一般公共预算拨款\t\t政府性基金拨款",
        "\t\t\t小计\t其中：专项资金列入部门预算项目\t",
        "\t合计\t5.00\t3.00\t1.00\t2.00"))
    result = convert_file(source)
    row = result.disclosure.tables["income_summary"].rows[0]
    assert (str(row.values["total"]), str(row.values["general_budget"]), str(row.values["government_fund"])) == (
        "50000.00", "30000.00", "20000.00")
    assert not any("both read as measure total" in w for w in result.warnings), result.warnings


def test_year_headings_make_a_header_row(tmp_path):
    """单位编码 | 单位名称 | 2020年 | 2021年 | 增减变化情况: the year headings are header words, each heading a
    period of its own."""
    source = document(tmp_path, table(
        "2021年部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表（不含上年结转）",
        "单位编码\t单位名称\t2020年\t\t2021年\t\t增减变化情况\t",
        "\t\t合计\t会议费\t合计\t会议费\t合计\t会议费",
        "\t合计\t5.00\t2.00\t7.00\t3.00\t2.00\t1.00"))
    rows = convert_file(source).disclosure.tables["three_public_expenses"].rows
    assert [(r.row_type, r.values["period"], r.values["line"], str(r.values["total"])) for r in rows] == [
        ("total", "2020年", "total", "50000.00"), ("item", "2020年", "meeting_fees", "20000.00"),
        ("total", "2021年", "total", "70000.00"), ("item", "2021年", "meeting_fees", "30000.00"),
        ("total", "增减变化情况", "total", "20000.00"), ("item", "增减变化情况", "meeting_fees", "10000.00")]


def test_unit_row_heading_its_projects_is_a_subtotal(tmp_path):
    """A project table listing the unit named over the table (单位名称：…), then its projects: the unit row is
    a subtotal of the project rows, not an item counted beside them; a unit row with nothing under it is an item."""
    source = document(tmp_path, table(
        "项目支出表",
        "单位名称：测试市测试中心 单位：万元",
        "支出项目类别（资金使用单位）\t总计\t财政拨款",
        "合计\t30.00\t30.00",
        "测试市测试中心\t30.00\t30.00",
        "人员工资\t10.00\t10.00",
        "运行经费\t20.00\t20.00"))
    rows = convert_file(source).disclosure.tables["project_expenditure"].rows
    types = {r.values["item"]: r.row_type for r in rows}
    assert types == {"合计": "total", "测试市测试中心": "subtotal", "人员工资": "item", "运行经费": "item"}


def test_special_item_row_over_purchases_is_a_subtotal(tmp_path):
    """采购品目大类 | 专项名称 | 经济科目 | 采购物品名称: a row printing its 专项名称 (and 经济科目) but no 采购物品名称
    heads the purchases under it (a subtotal); the purchases are the items."""
    source = document(tmp_path, table(
        "政府采购支出表",
        "采购品目大类\t专项名称\t经济科目\t采购物品名称\t采购组织形式\t总计",
        "合计\t\t\t\t\t100.00",
        "一、货物\t\t\t\t\t100.00",
        "\t设备更新购置费\t办公设备购置\t\t\t100.00",
        "\t\t\t台式计算机\t政府集中采购\t60.00",
        "\t\t\t复印机\t分散自行组织\t40.00"))
    rows = convert_file(source).disclosure.tables["government_procurement"].rows
    types = [(r.values["item"], r.row_type) for r in rows]
    assert types == [("合计", "total"), ("一、货物", "subtotal"), ("设备更新购置费", "subtotal"),
                     ("台式计算机", "item"), ("复印机", "item")]


def test_bare_code_columns_before_economic_name_columns(tmp_path):
    """科目编码 类 款 | 部门预算支出经济分类科目名称 | 科目编码 类 款 | 政府预算支出经济分类科目名称
    (烟台 2026): each run of 类 / 款 is the code of the classification whose names follow it —
    not a function code."""
    source = document(tmp_path, table(
        "一般公共预算基本支出表",
        "科目编码\t\t部门预算支出经济分类科目名称\t科目编码\t\t政府预算支出经济分类科目名称\t合计\t人员经费\t公用经费",
        "类\t款\t\t类\t款\t\t\t\t",
        "301\t\t工资福利支出\t501\t\t机关工资福利支出\t10.00\t10.00\t0.00",
        "301\t01\t基本工资\t501\t01\t工资奖金津补贴\t10.00\t10.00\t0.00",
        "\t\t合计\t\t\t\t10.00\t10.00\t0.00"))
    result = convert_file(source)
    rows = result.disclosure.tables["general_budget_basic_expenditure"].rows
    row = next(r for r in rows if r.values.get("economic_code") == "30101")
    assert row.values["gov_economic_code"] == "50101"
    assert row.values["item"] == "基本工资" and row.values["gov_economic_name"] == "工资奖金津补贴"
    assert not any(r.values.get("function_code") for r in rows)
