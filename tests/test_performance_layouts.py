"""Performance target tables as real producers print them: rows without an operator, a unit
cell set on a row of its own, merged cells cut at the page edge and text drawn off the page."""
from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("reportlab")

from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from opendata.convert import convert_file  # noqa: E402
from opendata.convert.pdf import pdf_lines  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

HEADER = "项目名称\t绩效目标\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位"


def text_disclosure(tmp_path, body: list[str]):
    path = tmp_path / "targets.txt"
    path.write_text("\n".join(["某某局2026年部门预算", "项目支出绩效目标表", HEADER] + body) + "\n", encoding="utf-8")
    result = convert_file(path)
    return result.disclosure.tables["project_performance_targets"], [str(w) for w in result.warnings]


def test_rows_without_operator_and_unit_fragment_are_kept(tmp_path):
    table, warnings = text_disclosure(tmp_path, [
        "办公经费\t保障运转\t产出指标\t数量指标\t会议次数\t≥\t12\t次",
        "\t\t成本指标\t经济成本指标\t项目总成本\t\t控制在预算之内\t",
        "\t\t\t\t\t\t\t项",
        "\t\t产出指标\t数量指标\t设备购置数\t≥\t37\t",
        "\t\t效益指标\t社会效益指标\t群众满意\t\t≥95%\t",
    ])
    rows = {r.values["indicator_level3"]: r.values for r in table.rows}
    assert set(rows) == {"会议次数", "项目总成本", "设备购置数", "群众满意"}
    cost = rows["项目总成本"]
    assert (cost["project_name"], cost["indicator_level1"], cost["target_value"]) == ("办公经费", "成本指标", "控制在预算之内")
    assert "operator" not in cost
    assert rows["设备购置数"]["target_unit"] == "项"  # the unit printed on a row of its own joins the next indicator
    assert rows["群众满意"]["target_value"] == "≥95%"
    assert not [w for w in warnings if "project_performance_targets" in w and "not converted" in w]


def test_shifted_row_without_operator_is_placed_by_its_words(tmp_path):
    table, warnings = text_disclosure(tmp_path, [
        "办公经费\t保障运转\t产出指标\t数量指标\t会议次数\t≥\t12\t次",
        "成本指标\t经济成本指标\t项目总成本\t控制在预算之内",
    ])
    last = table.rows[-1].values
    assert (last["indicator_level1"], last["indicator_level2"], last["indicator_level3"], last["target_value"]) == (
        "成本指标", "经济成本指标", "项目总成本", "控制在预算之内")
    assert last["project_name"] == "办公经费"


def test_loose_lines_are_one_warning(tmp_path):
    table, warnings = text_disclosure(tmp_path, [
        "办公经费\t保障运转\t产出指标\t数量指标\t会议次数\t≥\t12\t次",
        "被裁在页边的",
        "一段文字",
        "\t\t产出指标\t时效指标\t完成时间\t≤\t12\t月",
    ])
    assert len(table.rows) == 2
    loose = [w for w in warnings if "outside the table's cells" in w]
    assert len(loose) == 1 and "2 line(s)" in loose[0] and "被裁在页边的一段文字" in loose[0]


def test_merged_cell_cut_at_page_edge_and_text_off_page(tmp_path):
    """A ruled table whose left merged cell has no bottom border (it continues on the next
    page) keeps its text as a cell; a copy of the text drawn above the page is not read."""
    path = tmp_path / "cut.pdf"
    c = canvas.Canvas(str(path), pagesize=(600, 400))
    c.setFont(FONT, 9)
    xs = [50, 150, 250, 350, 450]
    top, bottom = 350, 100
    for x in xs:
        c.line(x, top, x, bottom)
    c.line(xs[0], top, xs[-1], top)
    c.line(xs[0], 320, xs[-1], 320)
    for y in (260, 200, 150, 100):  # the rows of the right part; the left cell is left open
        c.line(xs[1], y, xs[-1], y)
    for x, word in zip(xs, ["项目名称", "一级指标", "三级指标", "指标值"]):
        c.drawString(x + 5, 330, word)
    c.drawString(55, 220, "合并单元格文字")
    c.drawString(55, 420, "页外的重复文字")  # above the page: clipped, not printed
    for y, (a, b, v) in zip((280, 220, 170, 115), [("产出指标", "数量", "1"), ("产出指标", "质量", "2"), ("效益指标", "社会", "3"), ("满意度指标", "满意", "4")]):
        c.drawString(155, y, a)
        c.drawString(255, y, b)
        c.drawString(355, y, v)
    c.showPage()
    c.save()
    lines, _ = pdf_lines(path, path.read_bytes())
    text = "\n".join(line.text for line in lines)
    assert "页外的重复文字" not in text
    cells = [line.text.split("\t") for line in lines if "\t" in line.text]
    assert any(row[0] == "合并单元格文字" and "产出指标" in row for row in cells), text


def test_wide_project_grid_with_total_row_and_fund_column(tmp_path):
    """Hunan's project grid: 单位编码 / 单位（项目）名称 / 资金总额 / 绩效目标 over the indicator columns,
    a 合计 row first (the table's total, not a header row, and its 270.00 not a unit code), the
    operator printed under 指标值类型."""
    path = tmp_path / "wide.txt"
    path.write_text("\n".join([
        "某某局2026年部门预算", "2026年项目支出绩效目标表", "单位名称：某某局 单位：万元",
        "单位编码\t单位（项目）名称\t资金总额\t绩效目标\t绩效指标\t\t\t\t",
        "\t\t\t\t一级指标\t二级指标\t三级指标\t指标值\t度量单位\t指标值类型",
        "合计\t\t270.00\t\t\t\t\t\t\t",
        "201056\t水电气经费\t270.00\t保障运转\t成本指标\t经济成本指标\t水费\t120\t万元\t＝",
        "\t\t\t\t\t\t电费\t140\t万元\t≤"]) + "\n", encoding="utf-8")
    result = convert_file(path)
    table = result.disclosure.tables["project_performance_targets"]
    total = table.rows[0]
    assert (total.row_type, total.values["item"], str(total.values["total"])) == ("total", "合计", "2700000.00")
    assert "unit_code" not in total.values
    fee = next(r.values for r in table.rows if r.values.get("indicator_level3") == "电费")
    assert (fee["project_name"], fee["unit_code"], str(fee["total"]), fee["operator"], fee["target_value"]) == (
        "水电气经费", "201056", "2700000.00", "≤", "140")
    assert not [w for w in result.warnings if "not converted" in w]


def test_department_row_under_header_rows_above_the_indicator_header(tmp_path):
    """A department form printed as one wide row: 年度预算申请 / 资金总额 and 整体绩效目标 in the
    header rows above 一级指标 name the amounts and goal printed beside the first indicator."""
    path = tmp_path / "dept.txt"
    path.write_text("\n".join([
        "某某局2026年部门预算", "2026年部门整体支出绩效目标表", "单位名称：某某局 单位：万元",
        "年度预算申请\t\t\t整体绩效目标\t部门整体支出年度绩效目标\t\t\t",
        "资金总额\t按支出性质分\t\t\t\t\t\t",
        "\t基本支出\t项目支出\t\t一级指标\t二级指标\t三级指标\t指标值",
        "656.73\t386.73\t270.00\t保障运转\t成本指标\t经济成本指标\t项目支出\t≤270",
        "\t\t\t\t产出指标\t数量指标\t场馆使用次数\t≥160"]) + "\n", encoding="utf-8")
    result = convert_file(path)
    rows = result.disclosure.tables["department_performance_targets"].rows
    first = rows[0].values
    assert (str(first["total"]), str(first["basic"]), str(first["project"]), first["goal"]) == (
        "6567300.00", "3867300.00", "2700000.00", "保障运转")
    assert [r.values.get("indicator_level3") for r in rows] == ["项目支出", "场馆使用次数"]
    assert not [w for w in result.warnings if "not converted" in w]


def test_project_form_with_funding_rows_and_indicator_grid(tmp_path):
    """Fuzhou prints each project as a form under its own title, below a heading naming the table:
    项目名称 | name (wrapped onto a line of its own), 主管部门 / 实施单位, 专项资金情况（万元） with
    资金总额 / 财政拨款 / 其他资金 amounts, 年度目标, then the indicator grid. The amounts are read in
    the unit the funding label prints; every indicator row carries the project."""
    path = tmp_path / "form.txt"
    path.write_text("\n".join([
        "某某局2026年部门预算", "1.项目支出绩效目标表",
        "医疗服务补助资金项目绩效目标表\t\t\t\t",
        "项目名称\t医疗服务补助资",
        "\t金\t\t\t",
        "主管部门\t某某局\t\t实施单位\t某某中心",
        "专项资金情况（万元）\t资金总额\t\t745.00\t",
        "\t财政拨款\t\t745.00\t",
        "\t其他资金\t\t0.00\t",
        "年度目标\t保障医疗服务\t\t\t",
        "绩效目标指标\t一级指标\t二级指标\t三级指标\t指标值",
        "\t成本指标\t社会成本指标\t案件完成及时率\t≥90%",
        "\t产出指标\t数量指标\t检查覆盖率\t≥90%",
        "\t\t质量指标\t宣传活动次数\t≥18次",
        "备注\t\t\t\t"]) + "\n", encoding="utf-8")
    result = convert_file(path)
    table = result.disclosure.tables["project_performance_targets"]
    assert table.money_unit == "万元"
    assert [r.values["indicator_level3"] for r in table.rows] == ["案件完成及时率", "检查覆盖率", "宣传活动次数"]
    last = table.rows[-1].values
    assert (last["project_name"], last["department"], last["unit_name"], last["goal"], last["indicator_level1"]) == (
        "医疗服务补助资金", "某某局", "某某中心", "保障医疗服务", "产出指标")
    assert (str(last["total"]), str(last["fiscal_appropriation"]), str(last["other_funds"])) == ("7450000.00", "7450000.00", "0.00")
    assert not [w for w in result.warnings if "not converted" in w]


def test_project_form_with_group_label_on_every_indicator_row(tmp_path):
    """Yantai's variant: 主管部门及代码, 项目资金（万元） | 年度预算资金总额： | amount, 总体目标, and 绩效指标
    printed in the first cell of every indicator row; the part heading after the last form ends it."""
    path = tmp_path / "form.txt"
    path.write_text("\n".join([
        "某某局2026年部门预算", "政策和项目预算绩效目标表", "(2026年度)",
        "项目名称\t\t\t公车统管费用\t\t",
        "主管部门及代码\t\t\t273_某某局\t实施单位\t某某局",
        "项目资金（万元）\t\t\t年度预算资金总额：\t18.00\t",
        "\t\t\t其中：财政拨款\t18.00\t",
        "\t\t\t其他资金\t0.00\t",
        "总体目标\t保障机关运转。\t\t\t\t",
        "\t一级指标\t二级指标\t三级指标\t指标值\t",
        "绩效指标\t成本指标\t经济成本\t项目总成本控制\t≤18万元\t",
        "绩效指标\t产出指标\t数量指标\t车辆租赁天数\t≥50天\t",
        "第四部分", "名词解释"]) + "\n", encoding="utf-8")
    result = convert_file(path)
    rows = result.disclosure.tables["project_performance_targets"].rows
    assert [(r.values["indicator_level1"], r.values["indicator_level3"], r.values["target_value"]) for r in rows] == [
        ("成本指标", "项目总成本控制", "≤18万元"), ("产出指标", "车辆租赁天数", "≥50天")]
    first = rows[0].values
    assert (first["project_name"], first["department"], first["goal"], str(first["total"]), str(first["fiscal_appropriation"])) == (
        "公车统管费用", "273_某某局", "保障机关运转。", "180000.00", "180000.00")
    assert [w for w in result.warnings if "not converted" in w] == []   # 第四部分 ends the table: the rest is narrative
    assert "名词解释" in "".join(r.values.get("text") or "" for r in result.disclosure.tables["narrative"].rows)


def test_project_form_whose_name_holds_a_header_word(tmp_path):
    """烟台 (062.pdf p.36): a form named 办公楼运行维护费, a name holding the column word 运行维护费, is still a
    form when the rows under 项目名称 are form rows (主管部门及代码 | its value, the funding row): its indicators,
    funding and goal are read as on the other forms, not as a grid whose header is the name."""
    path = tmp_path / "form.txt"
    path.write_text("\n".join([
        "某某局2026年部门预算", "政策和项目预算绩效目标表", "(2026年度)",
        "项目名称\t\t\t办公楼运行维护费\t\t",
        "主管部门及代码\t\t\t273_某某局\t实施单位\t某某局",
        "项目资金（万元）\t\t\t年度预算资金总额：\t112.00\t",
        "\t\t\t其中：财政拨款\t112.00\t",
        "\t\t\t其他资金\t0.00\t",
        "总体目标\t保障机关运转。\t\t\t\t",
        "\t一级指标\t二级指标\t三级指标\t指标值\t",
        "绩效指标\t成本指标\t经济成本\t项目总成本控制\t≤112万元\t",
        "绩效指标\t产出指标\t数量指标\t维保项目数量\t≥3项\t",
        "第四部分", "名词解释"]) + "\n", encoding="utf-8")
    result = convert_file(path)
    rows = result.disclosure.tables["project_performance_targets"].rows
    assert [(r.values["project_name"], r.values["indicator_level3"], r.values["target_value"], str(r.values["total"])) for r in rows] == [
        ("办公楼运行维护费", "项目总成本控制", "≤112万元", "1120000.00"), ("办公楼运行维护费", "维保项目数量", "≥3项", "1120000.00")]
    assert all(r.values["item"] for r in rows)
    assert [w for w in result.warnings if "project_performance_targets" in w] == []


def test_a_row_left_without_its_label_is_a_warning_with_its_place(tmp_path):
    """Rows the converter cannot name (no item: a grid whose header names no project nor indicator column) are
    kept, never silently: one warning for the table gives the place (page and line) of each such row."""
    path = tmp_path / "targets.txt"
    path.write_text("\n".join(["某某局2026年部门预算", "项目支出绩效目标表", "主管部门\t实施单位\t绩效目标",
                               "某局\t某单位\t保障运转", "某局\t某单位\t另一目标"]) + "\n", encoding="utf-8")
    result = convert_file(path)
    rows = result.disclosure.tables["project_performance_targets"].rows
    assert [r.values["item"] for r in rows] == ["", ""]
    assert [w for w in result.warnings if "[project_performance_targets]" in w and "2 row(s) whose label (item) could not be read" in w
            and "line 4, line 5" in w]


def test_real_forms_and_cut_codes_are_read_whole():
    """062.pdf (烟台) p.36 and p.53 print the forms 办公楼运行维护费 (112.00) and 橡胶坝工程运行维护费 (110.00), read like
    the other forms; 007.pdf (北京) p.30–31 prints the code 11000026Y00000364 / 5516-禁毒科技中心互联网接入服务 5.8398 cut
    at the page break (checked with pdftotext -layout and the page images)."""
    from tests.corpus_compare import CORPUS

    if not (CORPUS / "062.pdf").exists() or not (CORPUS / "007.pdf").exists():
        pytest.skip("the national corpus is not here")
    result = convert_file(CORPUS / "062.pdf")
    rows = result.disclosure.tables["project_performance_targets"].rows
    assert all(r.values.get("item") for r in rows)
    by_name = {}
    for r in rows:
        by_name.setdefault(r.values["project_name"], []).append(r)
    assert {r.source_page for r in by_name["办公楼运行维护费"]} == {36} and len(by_name["办公楼运行维护费"]) == 7
    assert {r.values["total"] for r in by_name["办公楼运行维护费"]} == {Decimal("1120000")}
    assert {r.values["total"] for r in by_name["橡胶坝工程运行维护费"]} == {Decimal("1100000")}
    assert not [w for w in result.warnings if "[project_performance_targets]" in w]
    result = convert_file(CORPUS / "007.pdf")
    rows = [r for r in result.disclosure.tables["project_performance_targets"].rows if "互联网接入服务" in (r.values.get("project_name") or "")]
    assert {(r.values["project_code"], r.values["project_name"], r.values["total"]) for r in rows} == {
        ("11000026Y000003645516", "禁毒科技中心互联网接入服务", Decimal("58398"))}
    assert len(rows) == 6


def test_a_project_code_cut_at_a_page_break_is_one_code(tmp_path):
    """北京 (007.pdf p.30–31): a project cell wrapped by character inside its code (11000026Y00000364 / 5516-禁毒科技中心
    / 互联网接入服务) is cut at the page break: the first row prints the code's first line and the indicators, the
    next page's row the code's last digits, the name and the amounts. One project, code 11000026Y000003645516
    (the length of the table's other codes), its amounts on every indicator row."""
    path = tmp_path / "targets.txt"
    path.write_text("\n".join(["某某局2026年部门预算", "项目支出绩效目标表", "金额单位：万元",
                               "项目名称\t项目总额\t财政资金\t绩效目标\t一级指标\t二级指标\t三级指标\t绩效指标性质\t本年绩效指标值\t绩效度量单位",
                               "11000022T000000431061-实验室耗材购置经费\t73.714945\t73.714945\t保障实验室运行。\t产出指标\t数量指标\t采购种类\t＝\t3\t类",
                               "11000026Y00000364\t\t\t保障业务工作正常开展。\t成本指标\t经济成本指标\t项目月均成本\t≤\t0.48665\t万元",
                               "\t\t\t\t产出指标\t数量指标\t互联网带宽\t＝\t20\tMB",
                               "5516-禁毒科技中心互联网接入服务\t5.8398\t5.8398\t\t产出指标\t质量指标\t租用互联网带宽故障次数\t≤\t3\t次",
                               ]) + "\n", encoding="utf-8")
    result = convert_file(path)
    rows = result.disclosure.tables["project_performance_targets"].rows
    assert [(r.values.get("project_code"), r.values["project_name"], r.values["indicator_level3"], r.values.get("total")) for r in rows] == [
        ("11000022T000000431061", "实验室耗材购置经费", "采购种类", Decimal("737149.45")),
        ("11000026Y000003645516", "禁毒科技中心互联网接入服务", "项目月均成本", Decimal("58398")),
        ("11000026Y000003645516", "禁毒科技中心互联网接入服务", "互联网带宽", Decimal("58398")),
        ("11000026Y000003645516", "禁毒科技中心互联网接入服务", "租用互联网带宽故障次数", Decimal("58398"))]
    assert rows[-1].values["goal"] == "保障业务工作正常开展。"
