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
    """Header lines (each a list of cell texts; a cell may span columns as (text, span) or
    continue the cell above as None) and body rows; returns the y (from the top) below."""
    grid = [("header", line) for line in header] + [("body", row) for row in rows]
    y = top
    for index, (kind, cells) in enumerate(grid):
        height = (heights or {}).get(index, ROW)
        column = 0
        for cell in cells:
            text, span = cell if isinstance(cell, tuple) else (cell, 1)
            if text is not None and text != "":
                box = Column(columns[column].x0, columns[column + span - 1].x1, columns[column].align)
                draw_cell(c, box, y, height, text, "center" if kind == "header" else columns[column].align)
            column += span
        if borders:
            c.setLineWidth(0.5)
            c.line(columns[0].x0, PAGE_HEIGHT - y, columns[-1].x1, PAGE_HEIGHT - y)
        y += height
    if borders:
        c.line(columns[0].x0, PAGE_HEIGHT - y, columns[-1].x1, PAGE_HEIGHT - y)
        for x in sorted({col.x0 for col in columns} | {columns[-1].x1}):
            c.line(x, PAGE_HEIGHT - top, x, PAGE_HEIGHT - y)
    return y


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
