"""Tables as Jiangsu, Guangdong and Zhejiang print them: the procurement table with project /
采购品目 / 采购方式 / 资金来源 columns, 会议费 and 培训费 beside the 三公 expenses, 合计 in a
unit-code column, project targets under a numbered heading or with a unit line and column
numbers, codes printed in brackets, project tables with a 绩效目标 column, and an amount
wrapped inside a narrow ruled cell. Inputs are small text documents (and pdfplumber-shaped
words) built here."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from opendata.convert import convert_file
from opendata.convert.pdf_cells import cell_text
from opendata.convert.recognise import match_title
from tests.documents import lines, text_document


def document(tmp_path: Path, *parts: str) -> Path:
    return text_document(tmp_path, *parts)


def test_procurement_table_with_project_item_method_and_sources(tmp_path):
    source = document(tmp_path, "\n".join([
        "政府采购支出表", "部门：测试市测试局\t单位：万元",
        "采购品目大类\t专项名称\t经济科目\t采购品目名称\t采购组织形式\t资金来源\t\t\t\t总计",
        "\t\t\t\t\t一般公共预算资金\t政府性基金\t其他资金\t上年结转和结余资金\t",
        "合计\t\t\t\t\t12.00\t\t\t1.00\t13.00",
        "货物\t\t\t\t\t12.00\t\t\t1.00\t13.00",
        "\t定额\t办公费\t复印纸\t集中采购机构采购\t12.00\t\t\t1.00\t13.00"]))
    result = convert_file(source)
    rows = result.disclosure.tables["government_procurement"].rows
    assert rows[0].row_type == "total" and rows[0].values["total"] == Decimal("130000.00")
    assert (rows[1].values["item"], rows[1].row_type) == ("货物", "subtotal")   # the outer label column heads a group
    row = rows[-1]
    assert (row.values["item"], row.values["project_name"], row.values["economic_name"], row.values["procurement_method"]) == \
        ("复印纸", "定额", "办公费", "集中采购机构采购")
    assert (row.values["general_budget"], row.values["carryover"]) == (Decimal("120000.00"), Decimal("10000.00"))
    assert not [w for w in result.warnings if "not recognised" in w or "not converted" in w]


def test_meeting_and_training_fees_beside_the_three_public_expenses(tmp_path):
    source = document(tmp_path, "\n".join([
        "一般公共预算“三公”经费、会议费、培训费支出表", "单位：万元",
        "“三公”经费合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t会议费\t培训费",
        "\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t",
        "3.00\t0.00\t2.00\t1.00\t1.00\t1.00\t4.00\t5.00"]))
    result = convert_file(source)
    got = lines(result.disclosure.tables["three_public_expenses"])
    assert (got["total"]["total"], got["meeting_fees"]["total"], got["training_fees"]["total"]) == \
        (Decimal("30000.00"), Decimal("40000.00"), Decimal("50000.00"))
    assert not [w for w in result.warnings if "not recognised" in w or "not converted" in w]


def test_total_printed_in_the_unit_code_column(tmp_path):
    source = document(tmp_path, "\n".join([
        "收入总表", "单位：万元",
        "部门代码\t部门名称\t合计\t本年收入\t",
        "\t\t\t小计\t政府性基金预算",
        "合计\t\t5.00\t5.00\t5.00",
        "313001\t测试市测试局（本级）\t5.00\t5.00\t5.00"]))
    rows = convert_file(source).disclosure.tables["income_summary"].rows
    assert (rows[0].row_type, rows[0].values["item"]) == ("total", "合计")
    assert "unit_code" not in rows[0].values
    assert rows[1].values["unit_code"] == "313001" and rows[1].values["government_fund"] == Decimal("50000.00")
    assert rows[1].values["unit_name"] == "测试市测试局（本级）"


def test_project_targets_under_a_numbered_heading(tmp_path):
    """七、重点项目预算绩效目标情况, a sentence leading into it, 项目 / 预算数（单位：万元） / 绩效目标."""
    source = document(tmp_path, "\n".join([
        "七、重点项目预算绩效目标情况",
        "2026年，本部门重点项目绩效目标情况如下：",
        "项目\t预算数（单位：万元）\t绩效目标",
        "测试信息化运维项目\t568.42\t保障各应用系统运行稳定。",
        "注：无。",
        "第四部分 名词解释",
        "一、财政拨款收入：指预算单位从本级财政部门取得的财政预算资金收入。"]))
    result = convert_file(source)
    table = result.disclosure.tables["project_performance_targets"]
    assert len(table.rows) == 1
    row = table.rows[0]
    assert (row.values["project_name"], row.values["total"], row.values["goal"]) == \
        ("测试信息化运维项目", Decimal("5684200.00"), "保障各应用系统运行稳定。")
    assert "情况如下" in table.note
    assert not [w for w in result.warnings if "project_performance_targets" in w]


def test_project_targets_with_a_unit_line_and_column_numbers(tmp_path):
    source = document(tmp_path, "\n".join([
        "表11", "2026年市级部门项目支出绩效表", "606-测试市测试局 万元",
        "单位名称\t项目名称\t金额\t项目总体绩效目标",
        "**\t**\t**\t**",
        "测试市测试局\t综合管理\t136.80\t保障工作顺利开展"]))
    result = convert_file(source)
    row = result.disclosure.tables["project_performance_targets"].rows[0]
    assert (row.values["unit_name"], row.values["project_name"], row.values["total"], row.values["goal"]) == \
        ("测试市测试局", "综合管理", Decimal("1368000.00"), "保障工作顺利开展")


def test_a_note_naming_a_table_is_not_its_title():
    assert match_title("注：1.“机关运行经费”指行政单位（含参照公务员法管理的事业单位）使用一般公共预算安排的基本支") is None
    assert match_title("一般公共预算机关运行经费支出预算表") is not None


def test_codes_printed_in_brackets_and_project_goals(tmp_path):
    source = document(tmp_path, "\n".join([
        "一般公共预算项目支出情况表（按经济分类科目）", "单位：万元",
        "部门预算支出经济科目\t预算",
        "合计\t2.00",
        "[302]商品和服务支出\t2.00",
        "[30205]水费\t2.00"]), "\n".join([
        "部门预算项目支出及其他支出预算表", "单位：万元",
        "支出项目类别（资金使用单位）\t总计\t财政拨款\t\t财政专户拨款\t其他资金\t绩效目标",
        "\t\t合计\t一般公共预算\t\t\t",
        "合计\t2.00\t2.00\t2.00\t0.00\t0.00\t",
        "其他运行经费\t2.00\t2.00\t2.00\t0.00\t0.00\t保障设备正常运作。"]))
    result = convert_file(source)
    rows = result.disclosure.tables["general_budget_project_expenditure"].rows
    assert [(r.values.get("economic_code"), r.values["item"]) for r in rows] == [(None, "合计"), ("302", "商品和服务支出"), ("30205", "水费")]
    project = result.disclosure.tables["project_expenditure"].rows[-1]
    assert (project.values["item"], project.values["goal"], project.values["special_account"]) == ("其他运行经费", "保障设备正常运作。", Decimal("0.00"))
    assert not [w for w in result.warnings if "not recognised" in w or "not converted" in w]


def word(text: str, x0: float, top: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + 5 * len(text), "top": top, "bottom": top + 9}


def test_an_amount_wrapped_in_a_narrow_cell_is_one_amount():
    assert cell_text([word("143,999.0", 10, 100), word("0", 10, 111)]) == "143,999.00"
    assert cell_text([word("32,640.", 10, 100), word("00", 10, 111)]) == "32,640.00"
    assert cell_text([word("2026", 10, 100), word("12", 10, 111)]) == "2026 12"   # no comma or point: not one amount
    assert cell_text([word("测试", 10, 100), word("中心", 10, 111)]) == "测试中心"


def test_basic_expenditure_by_unit_and_economic_class(tmp_path):
    source = document(tmp_path, "\n".join([
        "表11", "部门预算基本支出预算表", "单位名称：测试市测试局\t单位：万元",
        "支出项目类别（资金使用单位）\t总计\t财政拨款\t\t\t\t财政专户拨款\t其他资金",
        "\t\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算\t\t",
        "合计\t3.00\t3.00\t3.00\t0.00\t0.00\t0.00\t0.00",
        "测试市测试局（本级）\t3.00\t3.00\t3.00\t0.00\t0.00\t0.00\t0.00",
        "工资福利支出\t3.00\t3.00\t3.00\t0.00\t0.00\t0.00\t0.00"]))
    result = convert_file(source)
    rows = result.disclosure.tables["basic_expenditure"].rows
    assert [(r.row_type, r.values["item"], r.values["fiscal_appropriation"]) for r in rows] == [
        ("total", "合计", Decimal("30000.00")), ("item", "测试市测试局（本级）", Decimal("30000.00")),
        ("item", "工资福利支出", Decimal("30000.00"))]
    assert not [w for w in result.warnings if "not in the table catalog" in w or "not converted" in w]
