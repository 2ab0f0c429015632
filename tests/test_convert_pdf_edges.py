"""PDF edge cases, each a short disclosure built in code with reportlab and a CJK CID font
(STSong-Light, whose text pdfplumber extracts as Unicode): tables with and without borders,
a table continued on the next page (header repeated or not), a header cell on two lines,
numbers with and without thousands separators, function codes in 类 / 款 / 项 columns and a
wrapped row label. Each test checks the tables, row ids, exact amounts in 元 and the page
of every row."""
from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("pdfplumber")
reportlab = pytest.importorskip("reportlab")

from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from opendata.convert import convert_file  # noqa: E402
from opendata.convert.pdf import pdf_lines  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_HEIGHT = 842
SIZE = 9
ROW = 18          # row height of a table line
WAN = Decimal(10000)


# -- building PDFs -------------------------------------------------------------------

class Column:
    """A table column: left and right x, and how its body cells are aligned."""

    def __init__(self, x0: float, x1: float, align: str = "left"):
        self.x0, self.x1, self.align = x0, x1, align


def draw_cell(c, column: Column, top: float, height: float, text: str, align: str) -> None:
    """Text inside a cell, one printed line per '\\n', vertically centred."""
    lines = text.split("\n")
    first = top + (height - len(lines) * (SIZE + 2)) / 2 + SIZE
    for number, line in enumerate(lines):
        y = PAGE_HEIGHT - (first + number * (SIZE + 2))
        if align == "right":
            c.drawRightString(column.x1 - 3, y, line)
        elif align == "center":
            c.drawCentredString((column.x0 + column.x1) / 2, y, line)
        else:
            c.drawString(column.x0 + 3, y, line)


def draw_table(c, top: float, columns: list[Column], header: list[list], rows: list[list[str]],
               borders: bool, heights: dict[int, float] | None = None) -> float:
    """Header lines and body rows; returns the y (from the top) below the table. In the
    header a cell may span columns as (text, span), and None continues the cell above it
    (a cell merged over several header lines: its text is centred over all of them)."""
    grid = [("header", line) for line in header] + [("body", row) for row in rows]
    tops = [top]
    for index in range(len(grid)):
        tops.append(tops[-1] + (heights or {}).get(index, ROW))
    c.setLineWidth(0.5)
    for index, (kind, cells) in enumerate(grid):
        column = 0
        for cell in cells:
            text, span = cell if isinstance(cell, tuple) else (cell, 1)
            box = Column(columns[column].x0, columns[column + span - 1].x1, columns[column].align)
            if text is not None:
                last = index
                while last + 1 < len(grid) and grid[last + 1][0] == "header" and column < len(grid[last + 1][1]) and grid[last + 1][1][column] is None:
                    last += 1
                if text:
                    draw_cell(c, box, tops[index], tops[last + 1] - tops[index], text,
                              "center" if kind == "header" else columns[column].align)
                if borders:   # the cell's top and left border
                    c.line(box.x0, PAGE_HEIGHT - tops[index], box.x1, PAGE_HEIGHT - tops[index])
            if borders:
                c.line(box.x0, PAGE_HEIGHT - tops[index], box.x0, PAGE_HEIGHT - tops[index + 1])
            column += span
        if borders:
            c.line(columns[-1].x1, PAGE_HEIGHT - tops[index], columns[-1].x1, PAGE_HEIGHT - tops[index + 1])
    if borders:
        c.line(columns[0].x0, PAGE_HEIGHT - tops[-1], columns[-1].x1, PAGE_HEIGHT - tops[-1])
    return tops[-1]


def page_head(c, table_title: str, unit: str = "单位：元", year_title: bool = True) -> float:
    c.setFont(FONT, SIZE + 5)
    y = 60
    if year_title:
        c.drawCentredString(297, PAGE_HEIGHT - y, "某某区某某中心2024年部门预算")
        y += 30
        c.setFont(FONT, SIZE)
        c.drawString(50, PAGE_HEIGHT - y, "单位名称：某某区某某中心")
        y += 30
        c.setFont(FONT, SIZE + 3)
    c.drawCentredString(297, PAGE_HEIGHT - y, table_title)
    y += 22
    c.setFont(FONT, SIZE)
    c.drawRightString(560, PAGE_HEIGHT - y, unit)
    return y + 10


def build(path, pages) -> None:
    """pages: one callable per page, drawing on the canvas."""
    c = canvas.Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    for draw in pages:
        c.setFont(FONT, SIZE)
        draw(c)
        c.showPage()
    c.save()


def convert(path):
    result = convert_file(path)
    return result.disclosure


def values(table):
    """row_id -> (row_type, amounts and labels without empty values, page)."""
    return {r.row_id: (r.row_type, {k: v for k, v in r.values.items() if v not in (None, "")}, r.source_page) for r in table.rows}


def dump(path) -> str:
    lines, _ = pdf_lines(path, path.read_bytes())
    return "\n".join(f"{l.page}: {l.text!r}" for l in lines)


# -- the expenditure summary used by several cases ---------------------------------

EXP_COLUMNS = [Column(50, 130), Column(130, 290), Column(290, 380, "right"), Column(380, 470, "right"), Column(470, 560, "right")]
EXP_HEADER = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
EXP_ROWS = [
    ["", "合计", "1,500,000.00", "1,000,000.00", "500,000.00"],
    ["201", "一般公共服务支出", "1,500,000.00", "1,000,000.00", "500,000.00"],
    ["20101", "人大事务", "1,500,000.00", "1,000,000.00", "500,000.00"],
    ["2010101", "行政运行", "1,000,000.00", "1,000,000.00", ""],
    ["2010102", "一般行政管理事务", "500,000.00", "", "500,000.00"],
]
EXP_EXPECTED = {
    "total": ("total", {"total": Decimal("1500000.00"), "basic": Decimal("1000000.00"), "project": Decimal("500000.00")}),
    "201": ("item", {"total": Decimal("1500000.00"), "basic": Decimal("1000000.00"), "project": Decimal("500000.00")}),
    "20101": ("item", {"total": Decimal("1500000.00"), "basic": Decimal("1000000.00"), "project": Decimal("500000.00")}),
    "2010101": ("item", {"total": Decimal("1000000.00"), "basic": Decimal("1000000.00")}),
    "2010102": ("item", {"total": Decimal("500000.00"), "project": Decimal("500000.00")}),
}


def check_amounts(table, expected, pages=None):
    got = values(table)
    assert set(got) == set(expected), (sorted(got), sorted(expected))
    for row_id, (row_type, amounts) in expected.items():
        assert got[row_id][0] == row_type, (row_id, got[row_id])
        money = {k: v for k, v in got[row_id][1].items() if isinstance(v, Decimal)}
        assert money == amounts, (row_id, money, amounts)
        if pages is not None:
            assert got[row_id][2] == pages.get(row_id, 1), (row_id, got[row_id][2])


@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_expenditure_table(tmp_path, borders):
    path = tmp_path / "exp.pdf"

    def page(c):
        top = page_head(c, "2024年部门支出总表")
        draw_table(c, top, EXP_COLUMNS, EXP_HEADER, EXP_ROWS, borders)
        c.drawString(50, PAGE_HEIGHT - 400, "注：本表金额单位为元。")

    build(path, [page])
    d = convert(path)
    assert (d.unit_name, d.fiscal_year, d.stage) == ("某某区某某中心", 2024, "budget"), dump(path)
    table = d.tables["expenditure_summary"]
    assert table.money_unit == "元"
    check_amounts(table, EXP_EXPECTED, pages={})
    assert values(table)["2010102"][1]["item"] == "一般行政管理事务"
    assert table.pages == [1]


# -- (3) a table continued on the next page ------------------------------------------

def footer(c, number: int) -> None:
    c.drawCentredString(297, 40, f"- {number} -")


@pytest.mark.parametrize("split", [3, 4], ids=["two_rows_on_page_2", "one_row_with_a_blank_column_on_page_2"])
@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
@pytest.mark.parametrize("repeat_header", [True, False], ids=["header_repeated", "header_not_repeated"])
def test_table_continued_on_next_page(tmp_path, borders, repeat_header, split):
    """Page numbers in the footer are not rows; without the header, the second page's rows
    keep the first page's columns (a column blank on the whole page stays in its place)."""
    path = tmp_path / "continued.pdf"

    def first(c):
        top = page_head(c, "2024年部门支出总表")
        draw_table(c, top, EXP_COLUMNS, EXP_HEADER, EXP_ROWS[:split], borders)
        footer(c, 1)

    def second(c):
        draw_table(c, 60, EXP_COLUMNS, EXP_HEADER if repeat_header else [], EXP_ROWS[split:], borders)
        c.drawString(50, PAGE_HEIGHT - 200, "一、部门支出总体情况说明")
        c.drawString(50, PAGE_HEIGHT - 220, "2024年部门支出预算1,500,000.00元，其中基本支出1,000,000.00元。")
        footer(c, 2)

    build(path, [first, second])
    table = convert(path).tables["expenditure_summary"]
    check_amounts(table, EXP_EXPECTED, pages={row[0]: 2 for row in EXP_ROWS[split:]})
    assert table.pages == [1, 2]


# -- (4) a header cell on two lines; (5) numbers with and without separators --------------

INC_COLUMNS = [Column(50, 110), Column(110, 270), Column(270, 350, "right"), Column(350, 430, "right"),
               Column(430, 500, "right"), Column(500, 560, "right")]


@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_two_line_header_cell_and_mixed_separators(tmp_path, borders):
    path = tmp_path / "income.pdf"
    header = [["科目编码", "科目名称", "本年收入\n合计", "财政拨款", "事业收入", "其他收入"]]
    rows = [
        ["", "合计", "12,345.67", "12000.00", "300.5", "45.17"],
        ["208", "社会保障和就业支出", "12345.67", "12,000.00", "300.50", "45.17"],
        ["20805", "行政事业单位养老支出", "12,345.67", "12,000", "300.50", "45.17"],
        ["2080505", "机关事业单位基本养老保险缴费支出", "1,012,345.67", "1000000", "", ""],
    ]
    rows[0][2:] = ["1,024,691.34", "1012000.00", "601.00", "90.34"]

    def page(c):
        top = page_head(c, "2024年部门收入总表", unit="单位：元")
        draw_table(c, top, INC_COLUMNS, header, rows, borders, heights={0: 30})

    build(path, [page])
    table = convert(path).tables["income_summary"]
    expected = {
        "total": ("total", {"total": Decimal("1024691.34"), "fiscal_appropriation": Decimal("1012000.00"),
                            "business_income": Decimal("601.00"), "other_income": Decimal("90.34")}),
        "208": ("item", {"total": Decimal("12345.67"), "fiscal_appropriation": Decimal("12000.00"),
                         "business_income": Decimal("300.50"), "other_income": Decimal("45.17")}),
        "20805": ("item", {"total": Decimal("12345.67"), "fiscal_appropriation": Decimal("12000"),
                           "business_income": Decimal("300.50"), "other_income": Decimal("45.17")}),
        "2080505": ("item", {"total": Decimal("1012345.67"), "fiscal_appropriation": Decimal("1000000")}),
    }
    check_amounts(table, expected, pages={})
    assert values(table)["2080505"][1]["item"] == "机关事业单位基本养老保险缴费支出"


# -- (6) function codes in 类 / 款 / 项 columns; amounts in 万元 ----------------------------

CODE_COLUMNS = [Column(50, 80, "center"), Column(80, 110, "center"), Column(110, 140, "center"), Column(140, 300),
                Column(300, 390, "right"), Column(390, 475, "right"), Column(475, 560, "right")]
CODE_HEADER = [[("功能分类科目编码", 3), "科目名称", "合计", "基本支出", "项目支出"],
               ["类", "款", "项", None, None, None, None]]
CODE_ROWS = [
    ["", "", "", "合计", "2,946.25", "2,100.00", "846.25"],
    ["201", "", "", "一般公共服务支出", "2,112.86", "1,503.52", "609.34"],
    ["201", "06", "", "财政事务", "2,112.86", "1,503.52", "609.34"],
    ["201", "06", "01", "行政运行", "1,511.90", "1,503.52", "8.38"],
    ["201", "06", "08", "财政委托业务支出", "600.96", "", "600.96"],
    ["208", "", "", "社会保障和就业支出", "833.39", "596.48", "236.91"],
    ["208", "05", "", "行政事业单位养老支出", "833.39", "596.48", "236.91"],
    ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "833.39", "596.48", "236.91"],
]


@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_function_codes_in_class_section_item_columns(tmp_path, borders):
    path = tmp_path / "codes.pdf"

    def page(c):
        top = page_head(c, "2024年部门支出总表", unit="单位：万元")
        draw_table(c, top, CODE_COLUMNS, CODE_HEADER, CODE_ROWS, borders)

    build(path, [page])
    table = convert(path).tables["expenditure_summary"]
    assert table.money_unit == "万元"
    expected = {}
    for code_class, section, item, label, total, basic, project in CODE_ROWS:
        row_id = (code_class + section + item) or "total"
        amounts = {"total": Decimal(total.replace(",", "")) * WAN}
        if basic:
            amounts["basic"] = Decimal(basic.replace(",", "")) * WAN
        amounts["project"] = Decimal(project.replace(",", "")) * WAN
        expected[row_id] = ("total" if row_id == "total" else "item", amounts)
    check_amounts(table, expected, pages={})
    got = values(table)
    assert got["2010608"][1]["item"] == "财政委托业务支出"
    assert got["2010608"][1]["function_code"] == "2010608"
    assert got["total"][1]["total"] == Decimal("29462500.00")


# -- (7) a row label wrapped inside its cell ---------------------------------------------

@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_wrapped_row_label(tmp_path, borders):
    path = tmp_path / "wrapped.pdf"
    columns = [Column(50, 120), Column(120, 230), Column(230, 340, "right"), Column(340, 450, "right"), Column(450, 560, "right")]
    rows = [
        ["", "合计", "1,200.00", "1,000.00", "200.00"],
        ["208", "社会保障和就业支出", "1,200.00", "1,000.00", "200.00"],
        ["20805", "行政事业单位养老\n支出", "1,200.00", "1,000.00", "200.00"],
        ["2080505", "机关事业单位基本\n养老保险缴费支出", "1,000.00", "1,000.00", ""],
        ["2080506", "机关事业单位职业\n年金缴费支出", "200.00", "", "200.00"],
    ]

    def page(c):
        top = page_head(c, "2024年部门支出总表")
        draw_table(c, top, columns, EXP_HEADER, rows, borders, heights={i: 28 for i in (3, 4, 5)})

    build(path, [page])
    table = convert(path).tables["expenditure_summary"]
    got = values(table)
    assert got["20805"][1]["item"] == "行政事业单位养老支出"
    assert got["2080505"][1]["item"] == "机关事业单位基本养老保险缴费支出"
    assert got["2080506"][1]["item"] == "机关事业单位职业年金缴费支出"
    assert {k: v for k, v in got["2080506"][1].items() if isinstance(v, Decimal)} == {"total": Decimal("200.00"), "project": Decimal("200.00")}
    assert {k: v for k, v in got["2080505"][1].items() if isinstance(v, Decimal)} == {"total": Decimal("1000.00"), "basic": Decimal("1000.00")}
    assert set(got) == {"total", "208", "20805", "2080505", "2080506"}


@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_heading_over_several_columns(tmp_path, borders):
    """本年收入 printed once over 合计 / 财政拨款 / 其他收入 (a merged header cell), amounts
    in 万元 with and without separators."""
    path = tmp_path / "grouped.pdf"
    columns = [Column(50, 120), Column(120, 280), Column(280, 370, "right"), Column(370, 460, "right"), Column(460, 560, "right")]
    header = [["科目编码", "科目名称", ("本年收入", 3)], [None, None, "合计", "财政拨款", "其他收入"]]
    rows = [
        ["", "合计", "1,234.56", "1234.00", "0.56"],
        ["201", "一般公共服务支出", "1234.56", "1,234.00", "0.56"],
        ["2010101", "行政运行", "1,234.56", "1,234.00", "0.56"],
    ]

    def page(c):
        top = page_head(c, "2024年部门收入总表", unit="单位：万元")
        draw_table(c, top, columns, header, rows, borders)

    build(path, [page])
    table = convert(path).tables["income_summary"]
    amounts = {"total": Decimal("12345600.00"), "fiscal_appropriation": Decimal("12340000.00"),
               "other_income": Decimal("5600.00")}
    check_amounts(table, {"total": ("total", amounts), "201": ("item", amounts), "2010101": ("item", amounts)}, pages={})
