"""Codes and side-by-side panels as other regions print them, in PDFs built here with reportlab:

- a 基本支出 table printing 人员经费 and 公用经费 as two lists side by side (经济分类科目编码 | 科目名称 |
  金额 twice): each panel is its own block of rows with its own codes, names, amounts and total,
  never one row joining the two;
- 类 / 款 / 项 in separate columns, each row printing only its own level (08 under 205, 03 under
  08), continued on a second page: the full code is read from the rows above;
- codes printed with their names in one cell: '[2060503]科技条件专项', '30101-基本工资'."""
from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

from opendata.convert.codes import split_code  # noqa: E402

from .test_convert_pdf_edges import Column, build, convert, draw_table, page_head  # noqa: E402

WAN = Decimal(10000)


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) * WAN


PANEL_COLUMNS = [Column(22, 100), Column(100, 205), Column(205, 290, "right"),
                 Column(290, 375, "center"), Column(375, 480), Column(480, 570, "right")]
PANEL_HEADER = [[("人员经费", 3), ("公用经费", 3)],
                ["经济分类科目编码", "科目名称", "金额", "经济分类科目编码", "科目名称", "金额"]]
PANEL_ROWS = [
    ["301", "工资福利支出", "120.00", "302", "商品和服务支出", "30.00"],
    ["30101", "基本工资", "100.00", "30201", "办公费", "13.80"],
    ["30102", "津贴补贴", "20.00", "30211", "差旅费", "16.20"],
    ["", "", "", "310", "资本性支出", "2.54"],
    ["", "", "", "31002", "办公设备购置", "2.54"],
    ["", "人员经费合计", "120.00", "", "公用经费合计", "32.54"],
]


@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_side_by_side_panels_are_separate_blocks(tmp_path, borders):
    path = tmp_path / "panels.pdf"

    def page(c):
        top = page_head(c, "2024年一般公共预算财政拨款基本支出表", unit="单位：万元")
        draw_table(c, top, PANEL_COLUMNS, PANEL_HEADER, PANEL_ROWS, borders)

    build(path, [page])
    table = convert(path).tables["general_budget_basic_expenditure"]
    rows = [(r.values.get("economic_code"), r.values["item"], r.values.get("personnel"), r.values.get("public_use"))
            for r in table.rows]
    assert rows == [
        ("301", "工资福利支出", amount("120.00"), None),
        ("30101", "基本工资", amount("100.00"), None),
        ("30102", "津贴补贴", amount("20.00"), None),
        (None, "人员经费合计", amount("120.00"), None),
        ("302", "商品和服务支出", None, amount("30.00")),
        ("30201", "办公费", None, amount("13.80")),
        ("30211", "差旅费", None, amount("16.20")),
        ("310", "资本性支出", None, amount("2.54")),
        ("31002", "办公设备购置", None, amount("2.54")),
        (None, "公用经费合计", None, amount("32.54")),
    ]
    assert not any(" / " in r.values["item"] for r in table.rows)


CODE_COLUMNS = [Column(40, 70, "center"), Column(70, 100, "center"), Column(100, 130, "center"), Column(130, 320),
                Column(320, 440, "right"), Column(440, 560, "right")]
CODE_HEADER = [[("科目编码", 3), "科目名称", "合计", "基本支出"], ["类", "款", "项", None, None, None]]
PAGE_ONE = [
    ["", "", "", "合计", "40.00", "30.00"],
    ["205", "", "", "教育支出", "4.70", "4.70"],
    ["", "08", "", "进修及培训", "4.70", "4.70"],
    ["", "", "03", "培训支出", "4.70", "4.70"],
    ["210", "", "", "卫生健康支出", "35.30", "25.30"],
    ["", "11", "", "行政事业单位医疗", "25.30", "25.30"],
]
PAGE_TWO = [
    ["", "", "01", "行政单位医疗", "22.41", "22.41"],
    ["", "", "99", "其他行政事业单位医疗支出", "2.89", "2.89"],
    ["", "15", "", "医疗保障管理事务", "10.00", ""],
    ["", "", "50", "事业运行", "10.00", ""],
]


def test_class_section_item_printed_at_their_own_level(tmp_path):
    """Each row prints only its own level's digits; a page break between a 款 and its 项 rows."""
    path = tmp_path / "levels.pdf"

    def page(rows, first):
        def draw(c):
            top = page_head(c, "2024年一般公共预算支出表", unit="单位：万元", year_title=first)
            draw_table(c, top, CODE_COLUMNS, CODE_HEADER, rows, borders=True)
        return draw

    build(path, [page(PAGE_ONE, True), page(PAGE_TWO, False)])
    table = convert(path).tables["general_budget_expenditure"]
    codes = [(r.values.get("function_code"), r.values["item"]) for r in table.rows]
    assert codes == [
        (None, "合计"), ("205", "教育支出"), ("20508", "进修及培训"), ("2050803", "培训支出"),
        ("210", "卫生健康支出"), ("21011", "行政事业单位医疗"), ("2101101", "行政单位医疗"),
        ("2101199", "其他行政事业单位医疗支出"), ("21015", "医疗保障管理事务"), ("2101550", "事业运行"),
    ]


def test_codes_printed_with_their_names(tmp_path):
    """'[2060503]科技条件专项' under 功能科目名称, '50101-工资奖金津补贴' and '30101-基本工资' under the
    economic classifications: code and name apart, in every row."""
    path = tmp_path / "named.pdf"
    function_columns = [Column(40, 300), Column(300, 430, "right"), Column(430, 560, "right")]
    function_rows = [["合计", "53.44", "0.00"], ["[206]科学技术支出", "53.44", "0.00"],
                     ["[20605]科技条件与服务", "53.44", "0.00"], ["[2060503]科技条件专项", "53.44", "0.00"]]
    economic_columns = [Column(40, 180), Column(180, 330), Column(330, 410, "right"), Column(410, 490, "right"),
                        Column(490, 560, "right")]
    economic_header = [["政府支出经济分类科目", "部门支出经济分类科目", "合计", "人员经费", "公用经费"]]
    economic_rows = [["50101-工资奖金津补贴", "30101-基本工资", "10.00", "10.00", ""],
                     ["50201-办公经费", "30201-办公费", "2.00", "", "2.00"],
                     ["合计", "", "12.00", "10.00", "2.00"]]

    def first(c):
        top = page_head(c, "2024年一般公共预算支出表", unit="单位：万元")
        draw_table(c, top, function_columns, [["功能科目名称", "合计", "基本支出"]], function_rows, borders=True)

    def second(c):
        top = page_head(c, "2024年一般公共预算基本支出表", unit="单位：万元", year_title=False)
        draw_table(c, top, economic_columns, economic_header, economic_rows, borders=True)

    build(path, [first, second])
    tables = convert(path).tables
    functions = [(r.values.get("function_code"), r.values["item"]) for r in tables["general_budget_expenditure"].rows]
    assert functions == [(None, "合计"), ("206", "科学技术支出"), ("20605", "科技条件与服务"), ("2060503", "科技条件专项")]
    assert "function_code" in tables["general_budget_expenditure"].columns
    basic = tables["general_budget_basic_expenditure"]
    row = basic.row("50101|30101")
    assert (row.values["item"], row.values["gov_economic_name"], row.values["personnel"]) == ("基本工资", "工资奖金津补贴", amount("10.00"))
    assert basic.row("50201|30201").values["item"] == "办公费"
    assert "gov_economic_name" in basic.columns


@pytest.mark.parametrize("text, expected", [
    ("[2200501]行政运行", ("2200501", "行政运行")), ("【205】教育支出", ("205", "教育支出")),
    ("30101-基本工资", ("30101", "基本工资")), ("2010101 行政运行", ("2010101", "行政运行")),
    ("[2200501行政运行", (None, "[2200501行政运行")), ("2026年预算", (None, "2026年预算")),
])
def test_split_code(text, expected):
    assert split_code(text) == expected
