"""Budget tables as some provinces print them (the 2017–2019 公开表 series): the title, the table
number 公开表N and the 部门：… 单位：万元 line laid on a white box above the ruled table; a
two-sided summary with a second expenditure list (支出用途 beside 功能分类); an income table whose
merged 项目名称 header covers two label columns; 单位预留机动经费 beside 基本支出 and 项目支出; a
三公 table whose 合计 also holds 会议费 and 培训费; a procurement table by 采购品目大类, 专项名称,
经济科目, 采购物品名称 and 采购组织形式. PDFs are built with reportlab, the rest as text documents."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from opendata.convert import convert_file
from opendata.convert.recognise import is_table_number
from tests.documents import lines, text_document

WAN = Decimal(10000)


def document(tmp_path: Path, *parts: str) -> Path:
    return text_document(tmp_path, *parts, cover=("测试省测试厅2019年部门预算", "部门：测试省测试厅"))


# -- the title box of a ruled table (PDF) -------------------------------------------------

def boxed_pdf(path: Path) -> None:
    """One page: a white, unstroked box under the title lines reaching over the table's first two
    rows (as exports lay a background box), and a table whose borders are thin black filled
    rectangles, as Excel exports print them."""
    pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font, height = "STSong-Light", 842
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    c = canvas.Canvas(str(path), pagesize=(595, height))
    c.setFillColorRGB(1, 1, 1)
    c.rect(40, height - 166, 510, 146, stroke=0, fill=1)   # the white box: title, 公开表五, 部门/单位 and the table's first rows
    c.setFillColorRGB(0, 0, 0)
    c.setFont(font, 14)
    c.drawCentredString(297, height - 50, "一般公共预算支出预算表（功能科目）")
    c.setFont(font, 9)
    c.drawString(50, height - 80, "公开表五")
    c.drawString(50, height - 110, "部门：")
    c.drawString(200, height - 110, "测试省测试厅")
    c.drawRightString(550, height - 110, "单位：万元")
    xs = [150, 280, 430, 550]
    rows = [["功能科目编码", "功能科目名称", "金额"], ["合计", "", "30.00"], ["201", "一般公共服务支出", "30.00"],
            ["20101", "人大事务", "30.00"], ["2010101", "行政运行", "30.00"]]
    top = 130
    for n, cells in enumerate(rows):
        y = height - top - 18 * n
        c.rect(xs[0], y - 0.5, xs[-1] - xs[0], 1, stroke=0, fill=1)
        for k, text in enumerate(cells):
            if text:
                if k == 2 and n:
                    c.drawRightString(xs[3] - 3, y - 13, text)
                else:
                    c.drawString(xs[k] + 3, y - 13, text)
    bottom = height - top - 18 * len(rows)
    c.rect(xs[0], bottom - 0.5, xs[-1] - xs[0], 1, stroke=0, fill=1)
    for x in xs:
        c.rect(x - 0.5, bottom, 1, height - top - bottom, stroke=0, fill=1)
    c.showPage()
    c.save()


def test_title_box_is_no_cell_of_the_table(tmp_path):
    """The white box draws nothing: the title, 公开表五 and 部门/单位 are lines above the table,
    the table has its three columns and every row."""
    path = tmp_path / "boxed.pdf"
    boxed_pdf(path)
    result = convert_file(path)
    table = result.disclosure.tables["general_budget_expenditure"]
    assert table.printed_title == "一般公共预算支出预算表（功能科目）"
    assert {r.values.get("function_code"): r.values["total"] for r in table.rows} == {
        None: 30 * WAN, "201": 30 * WAN, "20101": 30 * WAN, "2010101": 30 * WAN}
    assert table.money_unit == "万元"
    assert not [w for w in result.warnings if "not converted" in w or "not recognised" in w or "without a label" in w], result.warnings


def test_table_number_lines():
    assert all(is_table_number(t) for t in ("公开表一", "公开表十二", "预算表 5", "公开01表", "附表1", "表3"))
    assert not any(is_table_number(t) for t in ("收支预算总表", "公开表一 收支预算总表", "表", "公开"))


# -- text documents -------------------------------------------------------------------------

def test_second_expenditure_list_and_unit_reserve(tmp_path):
    """支出用途 beside 功能分类: the uses are rows of the side expenditure_use (codelists/sides.csv); 支出预算总表
    reads 单位预留机动经费 as unit_reserve; a 公开表N line under a title is no row."""
    source = document(tmp_path, "\n".join([
        "收支预算总表", "公开表一", "部门：测试省测试厅\t\t\t\t单位：万元\t",
        "收入\t\t支出\t\t\t",
        "项目名称\t金额\t功能分类\t\t支出用途\t",
        "\t\t功能科目名称\t金额\t项目名称\t金额",
        "一、财政拨款\t30.00\t一、一般公共服务支出\t30.00\t一、基本支出\t20.00",
        "\t\t二、外交支出\t\t二、项目支出\t7.00",
        "\t\t三、国防支出\t\t三、单位预留机动经费\t3.00",
        "收入合计\t30.00\t支出合计\t\t\t30.00"]), "\n".join([
        "支出预算总表", "公开表三", "部门：测试省测试厅\t\t\t\t单位：万元",
        "合计\t基本支出\t项目支出\t单位预留机动经费\t结转下年资金",
        "30.00\t20.00\t7.00\t3.00\t"]))
    result = convert_file(source)
    summary = result.disclosure.tables["income_expenditure_summary"]
    uses = [(r.values["item"], r.values.get("total")) for r in summary.rows if r.values.get("side") == "expenditure_use"]
    assert uses == [("一、基本支出", 20 * WAN), ("二、项目支出", 7 * WAN), ("三、单位预留机动经费", 3 * WAN)]
    assert next(r for r in summary.rows if r.values["item"] == "支出合计").row_type == "total"
    assert not any("公开表" in r.values["item"] for r in summary.rows)
    spent = result.disclosure.tables["expenditure_summary"].rows[0]
    assert (spent.values["total"], spent.values["basic"], spent.values["project"], spent.values["unit_reserve"]) == (30 * WAN, 20 * WAN, 7 * WAN, 3 * WAN)
    assert not [w for w in result.warnings if "not converted" in w or "not recognised" in w or "without a label" in w], result.warnings


def test_merged_label_header_over_two_label_columns(tmp_path):
    """项目名称 printed once over two label columns: the second column is part of the label, a
    group's 小计 row is its subtotal."""
    source = document(tmp_path, "\n".join([
        "收入预算总表", "单位：万元",
        "项目名称\t\t金额",
        "收入总计\t\t30.00",
        "一般公共预算资金\t小计\t30.00",
        "\t公共财政拨款(补助)资金\t25.00",
        "\t专项收入\t5.00",
        "其他资金\t小计\t"]))
    result = convert_file(source)
    rows = {r.values["item"]: (r.row_type, r.values.get("total")) for r in result.disclosure.tables["income_summary"].rows}
    assert rows == {"收入总计": ("total", 30 * WAN), "一般公共预算资金 / 小计": ("subtotal", 30 * WAN),
                    "公共财政拨款(补助)资金": ("item", 25 * WAN), "专项收入": ("item", 5 * WAN), "其他资金 / 小计": ("subtotal", None)}
    assert not [w for w in result.warnings if "not converted" in w or "without a label" in w], result.warnings


def test_three_public_with_meeting_and_training(tmp_path):
    """合计 over “三公”经费 (小计 and its items), 会议费 and 培训费: each its own line; the 三公 小计 is line total,
    the 合计 holding 会议费 and 培训费 line total_with_meeting_training."""
    source = document(tmp_path, "\n".join([
        "“三公”经费、会议费、培训费支出预算表", "公开表九", "部门：测试省测试厅\t\t\t\t\t\t单位：万元\t\t",
        "合计\t“三公”经费\t\t\t\t\t\t会议费\t培训费",
        "\t小计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t\t",
        "\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t",
        "26.00\t7.00\t2.00\t3.00\t1.00\t2.00\t2.00\t15.00\t4.00"]))
    result = convert_file(source)
    table = result.disclosure.tables["three_public_expenses"]
    got = {line: measures["total"] for line, measures in lines(table).items()}
    assert got == {"total_with_meeting_training": 26 * WAN, "total": 7 * WAN, "overseas_travel": 2 * WAN, "vehicle": 3 * WAN,
                   "vehicle_purchase": 1 * WAN, "vehicle_operation": 2 * WAN, "reception": 2 * WAN,
                   "meeting_fees": 15 * WAN, "training_fees": 4 * WAN}
    assert table.row("total_with_meeting_training").row_type == "total"
    assert table.row("total").row_type == "subtotal"


def test_procurement_by_category_project_and_item(tmp_path):
    source = document(tmp_path, "\n".join([
        "2019年政府采购预算表", "公开表十二", "部门：测试省测试厅\t\t\t\t\t单位：万元",
        "采购品目大类\t专项名称\t经济科目\t采购物品名称\t采购组织形式\t总计",
        "合计\t\t\t\t\t12.00",
        "一、货物A\t\t\t\t\t12.00",
        "\t办公设备购置费\t办公设备购置\t\t\t12.00",
        "\t\t\t台式计算机\t分散自行组织\t12.00"]))
    result = convert_file(source)
    rows = result.disclosure.tables["government_procurement"].rows
    assert [(r.row_type, r.values["item"], r.values["total"]) for r in rows] == [
        ("total", "合计", 12 * WAN), ("subtotal", "一、货物A", 12 * WAN),   # a category over the rows below it
        ("subtotal", "办公设备购置费", 12 * WAN),   # a 专项 printed left of 采购物品名称: a group over the purchases below
        ("item", "台式计算机", 12 * WAN)]
    assert (rows[2].values["project_name"], rows[2].values["economic_name"]) == ("办公设备购置费", "办公设备购置")
    assert rows[3].values["procurement_method"] == "分散自行组织"
    assert not [w for w in result.warnings if "not converted" in w or "not recognised" in w or "without a label" in w], result.warnings


def test_header_word_cut_at_its_border_and_rows_named_by_their_only_text(tmp_path):
    """采购组织形 with 式 printed in the 合计 row below it is one header; a row printing only its
    经济科目 (the 专项名称 merged from above) or only its 采购组织形式 is named by that text."""
    source = document(tmp_path, "\n".join([
        "2019年政府采购预算表", "部门：测试省测试厅\t\t\t\t\t单位：万元",
        "采购品目大类\t专项名称\t经济科目\t采购物品名称\t采购组织形\t总计",
        "合计\t\t\t\t式\t12.00",
        "三、服务C\t\t\t\t\t12.00",
        "\t会议经费\t会议费\t\t\t10.00",
        "\t\t\t会议服务\t分散自行组织\t10.00",
        "\t\t培训费\t\t\t2.00",
        "\t\t\t\t分散自行组织\t2.00"]))
    result = convert_file(source)
    rows = result.disclosure.tables["government_procurement"].rows
    assert [(r.values["item"], r.values["total"]) for r in rows] == [
        ("合计", 12 * WAN), ("三、服务C", 12 * WAN), ("会议经费", 10 * WAN), ("会议服务", 10 * WAN), ("培训费", 2 * WAN), ("分散自行组织", 2 * WAN)]
    assert rows[0].values.get("procurement_method") in (None, "")
    assert rows[4].values["economic_name"] == "培训费"
    assert not [w for w in result.warnings if "not converted" in w or "not recognised" in w or "without a label" in w], result.warnings


def test_amount_told_in_a_justified_sentence_is_no_data_line():
    from opendata.convert.pdf import is_data_line

    sentence = [(0, 60, "6032.55万元，比"), (80, 100, "2016"), (120, 160, "年增加"), (180, 260, "3401.59万元，增长")]
    assert not is_data_line(sentence, "6032.55万元，比 2016 年增加 3401.59万元，增长")
    row = [(0, 60, "30201"), (80, 160, "办公费"), (200, 260, "570.00")]
    assert is_data_line(row, "30201 办公费 570.00")


def test_new_columns_come_back_from_the_workbook(tmp_path):
    """export-xlsx then convert gives the same rows: a group's 小计 row, 经济科目 and 采购组织形式 of
    the procurement table, 会议费 and 培训费 (the workbook holds the first expenditure list of a
    two-sided table, the side expenditure; further lists are compared apart)."""
    pytest.importorskip("openpyxl")
    from opendata.workbook import export_workbook

    source = document(tmp_path, "\n".join([
        "收支预算总表", "单位：万元",
        "收入\t\t支出\t\t\t",
        "项目名称\t金额\t功能分类\t\t支出用途\t",
        "\t\t功能科目名称\t金额\t项目名称\t金额",
        "一、财政拨款\t30.00\t一、一般公共服务支出\t30.00\t一、基本支出\t20.00",
        "\t\t二、外交支出\t\t二、项目支出\t10.00",
        "收入合计\t30.00\t支出合计\t\t\t30.00"]), "\n".join([
        "收入预算总表", "单位：万元", "项目名称\t\t金额", "收入总计\t\t30.00", "一般公共预算资金\t小计\t30.00",
        "\t公共财政拨款(补助)资金\t30.00"]), "\n".join([
        "“三公”经费、会议费、培训费支出预算表", "单位：万元",
        "合计\t“三公”经费\t\t\t\t\t\t会议费\t培训费",
        "\t小计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t\t",
        "\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t",
        "26.00\t7.00\t2.00\t3.00\t1.00\t2.00\t2.00\t15.00\t4.00"]), "\n".join([
        "政府采购预算表", "单位：万元",
        "采购品目大类\t专项名称\t经济科目\t采购物品名称\t采购组织形式\t总计",
        "合计\t\t\t\t\t12.00", "\t办公设备购置费\t办公设备购置\t\t\t12.00", "\t\t\t台式计算机\t分散自行组织\t12.00"]))
    original = convert_file(source).disclosure
    back = convert_file(export_workbook(original, tmp_path / "export.xlsx")).disclosure
    for table_id in ("income_expenditure_summary", "income_summary", "three_public_expenses", "government_procurement"):
        mine, theirs = back.tables[table_id], original.tables[table_id]
        sides = ("income", "expenditure", None)
        assert [(r.row_id, r.row_type, r.values) for r in mine.rows if r.values.get("side") in sides] == [
            (r.row_id, r.row_type, r.values) for r in theirs.rows if r.values.get("side") in sides], table_id
