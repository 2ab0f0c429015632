"""Column groups as Shanghai, Beijing and Foshan print them: 人员经费 / 公用经费 under 预算数 /
基本支出 in the 收支总表, 上年结转结余 over source columns, 本年支出合计 as a table's only total,
预算数 | 决算数 groups of a final-accounts 三公 table, a 人员经费 | 公用经费 ruled table printed as
two blocks side by side, and a department-wide target form whose 总体资金情况（万元） splits
财政拨款 and 其他资金 into 合计 / 基本支出 / 项目支出. Inputs are built here."""
from __future__ import annotations

from decimal import Decimal

import pytest

from opendata.convert import convert_file
from tests.documents import lines
from tests.test_convert_flat_tables import document, table


def test_carry_over_source_columns_named_with_zijin(tmp_path):
    """上年结转结余 / 一般公共预算资金 is the carry-over of that source, not 本年收入's."""
    source = document(tmp_path, table(
        "收入总表",
        "合计\t本年收入\t\t上年结转结余\t\t",
        "\t小计\t一般公共预算资金\t小计\t一般公共预算资金\t政府性基金预算资金",
        "30.00\t10.00\t10.00\t20.00\t5.00\t15.00"))
    result = convert_file(source)
    values = result.disclosure.tables["income_summary"].rows[0].values
    assert {k: str(values[k]) for k in ("general_budget", "carryover", "carryover_general_budget", "carryover_government_fund")} == \
        {"general_budget": "100000.00", "carryover": "200000.00", "carryover_general_budget": "50000.00",
         "carryover_government_fund": "150000.00"}
    assert not [w for w in result.warnings if "both read" in w]


def test_current_year_total_is_the_total_of_a_table_without_carry_over(tmp_path):
    """一般公共预算支出表 printing 本年支出合计 / 基本支出 / 项目支出: 本年支出合计 is its total."""
    source = document(tmp_path, table(
        "一般公共预算支出表",
        "科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出",
        "\t合计\t16.00\t7.00\t9.00",
        "208\t社会保障和就业支出\t16.00\t7.00\t9.00"))
    result = convert_file(source)
    row = result.disclosure.tables["general_budget_expenditure"].row("208")
    assert (str(row.values["total"]), str(row.values["basic"])) == ("160000.00", "70000.00")
    assert not [w for w in result.warnings if "does not carry" in w]


def test_current_year_column_beside_a_total_stays_unconverted(tmp_path):
    """With 合计 printed as well, 本年支出合计 is not read as a second total: it is reported."""
    source = document(tmp_path, table(
        "一般公共预算支出表",
        "科目编码\t科目名称\t合计\t本年支出合计\t基本支出",
        "208\t社会保障和就业支出\t16.00\t16.00\t16.00",
        "\t合计\t16.00\t16.00\t16.00"))
    result = convert_file(source)
    assert str(result.disclosure.tables["general_budget_expenditure"].row("208").values["total"]) == "160000.00"
    assert any("本年支出合计" in w and "does not carry" in w for w in result.warnings)


def test_final_accounts_three_public_budget_beside_actual(tmp_path):
    """预算数 | 决算数 groups over the same items: 决算数 are the measures, 预算数 their budgets."""
    source = tmp_path / "final.txt"
    source.write_text("\n".join([
        "测试市测试局2025年部门决算", "", "单位名称：测试市测试局", "",
        "一般公共预算财政拨款“三公”经费支出决算表", "单位：万元",
        "预算数\t\t\t决算数\t\t",
        "合计\t因公出国（境）费\t公务接待费\t合计\t因公出国（境）费\t公务接待费",
        "1.00\t0.60\t0.40\t0.16\t0.00\t0.16", ""]), encoding="utf-8")
    result = convert_file(source)
    got = {line: {k: str(v) for k, v in measures.items()} for line, measures in lines(result.disclosure.tables["three_public_expenses"]).items()}
    assert got == {"total": {"total": "1600.00", "budget_initial": "10000.00"},
                   "overseas_travel": {"total": "0.00", "budget_initial": "6000.00"},
                   "reception": {"total": "1600.00", "budget_initial": "4000.00"}}
    assert not [w for w in result.warnings if "both read" in w]


def test_department_form_groups_and_money_unit(tmp_path):
    """总体资金情况（万元）: 预算支出总额, then 财政拨款 and 其他资金 each with 合计 / 基本支出 /
    项目支出. The form row keeps the whole and each group's 合计; each group is a row of its
    own; the amounts are 万元 and the table says so."""
    source = document(tmp_path, "\n".join([
        "部门整体支出绩效目标表",
        "部门名称\t测试市测试局",
        "\t预算支出总额\t财政拨款\t\t\t其他资金\t\t",
        "总体资金情况（万元）\t\t合计\t基本支出\t项目支出\t合计\t基本支出\t项目支出",
        "\t30.00\t28.00\t8.00\t20.00\t2.00\t2.00\t",
        "整体绩效目标\t做好测试工作。"]))
    result = convert_file(source)
    targets = result.disclosure.tables["department_performance_targets"]
    assert targets.money_unit == "万元"
    money = [{k: str(v) for k, v in r.values.items() if isinstance(v, Decimal)} | {"item": r.values["item"]}
             for r in targets.rows if any(isinstance(v, Decimal) for v in r.values.values())]
    assert money == [
        {"item": "总体资金情况（万元）", "total": "300000.00", "fiscal_appropriation": "280000.00", "other_funds": "20000.00"},
        {"item": "财政拨款", "total": "280000.00", "basic": "80000.00", "project": "200000.00"},
        {"item": "其他资金", "total": "20000.00", "basic": "20000.00"},
    ]


def test_personnel_and_public_use_blocks_side_by_side(tmp_path):
    """A ruled 基本支出表 printed as 人员经费 (code, name, 金额) | 公用经费 (code, name, 金额): one
    row per code, its amount under personnel or public_use, on both pages."""
    pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from tests.test_convert_pdf_edges import Column, build, draw_table, page_head

    columns = [Column(40, 90), Column(90, 200), Column(200, 290, "right"), Column(290, 340), Column(340, 450), Column(450, 550, "right")]
    header = [[("人员经费", 3), ("公用经费", 3)], ["经济分类科目编码", "科目名称", "金额", "经济分类科目编码", "科目名称", "金额"]]
    first = [["301", "工资福利支出", "649.20", "302", "商品和服务支出", "94.65"],
             ["30101", "基本工资", "301.79", "30201", "办公费", "13.80"]]
    second = [["", "", "", "30239", "其他交通费用", "16.19"],
              ["人员经费合计", "", "649.20", "公用经费合计", "", "97.19"]]

    def page(rows):
        def draw(c):
            top = page_head(c, "一般公共预算财政拨款基本支出表", unit="单位：万元")
            bottom = draw_table(c, top, columns, header, rows, True)
            if rows is second:
                c.drawString(40, 842 - bottom - 20, "注：本表反映基本支出明细情况。")
        return draw

    path = tmp_path / "blocks.pdf"
    build(path, [page(first), page(second)])
    result = convert_file(path)
    rows = {r.row_id: r for r in result.disclosure.tables["general_budget_basic_expenditure"].rows}
    assert str(rows["30101"].values["personnel"]) == "3017900.00" and "public_use" not in rows["30101"].values
    assert str(rows["30201"].values["public_use"]) == "138000.00" and rows["30201"].values["item"] == "办公费"
    assert str(rows["30239"].values["public_use"]) == "161900.00" and rows["30239"].source_page == 2
    assert not [w for w in result.warnings if "both read" in w]


def test_personnel_and_public_use_under_basic_in_the_summary(tmp_path):
    """预算数 / 基本支出 / 人员经费 · 公用经费 (three header levels) on the expenditure side of
    the 收支总表: measures the summary carries, converted."""
    pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from tests.test_convert_pdf_edges import Column, build, draw_table, page_head

    columns = [Column(40, 120), Column(120, 190, "right"), Column(190, 300), Column(300, 365, "right"),
               Column(365, 430, "right"), Column(430, 495, "right"), Column(495, 560, "right")]
    header = [[("本年收入", 2), ("本年支出", 5)],
              ["项目", "预算数", "项目", ("预算数", 4)],
              [None, None, None, "合计", ("基本支出", 2), "项目支出"],
              [None, None, None, None, "人员经费", "公用经费", None]]
    rows = [["一、财政拨款收入", "100.00", "一、一般公共服务支出", "100.00", "60.00", "30.00", "10.00"],
            ["收入总计", "100.00", "支出总计", "100.00", "60.00", "30.00", "10.00"]]

    def draw(c):
        draw_table(c, page_head(c, "2024年财务收支预算总表"), columns, header, rows, True)

    path = tmp_path / "summary.pdf"
    build(path, [draw])
    result = convert_file(path)
    row = result.disclosure.tables["income_expenditure_summary"].row("expenditure/一、一般公共服务支出")
    assert {k: str(row.values.get(k)) for k in ("total", "personnel", "public_use", "project")} == \
        {"total": "100.00", "personnel": "60.00", "public_use": "30.00", "project": "10.00"}
    assert not [w for w in result.warnings if "not converted" in w]



def test_basic_expenditure_with_two_economic_codes_side_by_side(tmp_path):
    """基本支出预算情况表 (all sources of funds): 科目编码 类 / 款 under a bare heading, then the
    classification's name column (部门预算支出经济分类科目), twice: each run of 类 / 款 is the
    code of the classification named beside it, the names go to item and gov_economic_name."""
    source = document(tmp_path, table(
        "公开表10 基本支出预算情况表",
        "科目编码\t\t部门预算支出经济分类科目\t科目编码\t\t政府预算支出经济分类科目\t合计\t财政拨款\t\t单位资金",
        "类\t款\t\t类\t款\t\t\t小计\t一般公共预算\t",
        "\t\t合计\t\t\t\t12.00\t10.00\t10.00\t2.00",
        "301\t01\t基本工资\t501\t01\t工资奖金津补贴\t12.00\t10.00\t10.00\t2.00"))
    result = convert_file(source)
    row = result.disclosure.tables["basic_expenditure"].row("50101|30101")
    assert {k: str(row.values[k]) for k in ("economic_code", "gov_economic_code", "item", "gov_economic_name", "total",
                                            "general_budget", "unit_funds")} == \
        {"economic_code": "30101", "gov_economic_code": "50101", "item": "基本工资", "gov_economic_name": "工资奖金津补贴",
         "total": "120000.00", "general_budget": "100000.00", "unit_funds": "20000.00"}


def test_department_form_indicator_grid_headed_by_activity(tmp_path):
    """活动 / 绩效指标 / 指标性质 / 指标值 / 度量单位 heads an indicator grid: its rows are
    indicators, a stray cell inside the grid does not end it."""
    source = document(tmp_path, "\n".join([
        "部门整体支出绩效目标表",
        "部门名称\t测试市测试局",
        "活动\t绩效指标\t指标性质\t指标值\t度量单位",
        "监测\t产出指标数量指标监测人员\t≥\t200\t人",
        "\t\t\t\t项",
        "服务\t成本指标经济成本指标所需成本\t≤\t15910.48\t万元",
        "整体绩效目标\t做好测试工作。"]))
    result = convert_file(source)
    rows = [r.values for r in result.disclosure.tables["department_performance_targets"].rows]
    cost = next(r for r in rows if r.get("activity") == "服务")
    assert {k: cost[k] for k in ("indicator_level3", "operator", "target_value", "target_unit")} == \
        {"indicator_level3": "成本指标经济成本指标所需成本",
         "operator": "≤", "target_value": "15910.48", "target_unit": "万元"}
    assert next(r for r in rows if r.get("activity") == "监测")["target_value"] == "200"
