"""PDF rows a new user found misread: an amount filling its cell up to the border glued to the label of the
next cell, a 合计 row printed alone at the top of a page, printed page numbers and running page headers read
as item rows. Each input is a small PDF built here with reportlab."""
from __future__ import annotations

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

from reportlab.pdfgen import canvas  # noqa: E402

from opendata.convert.pdf import pdf_lines  # noqa: E402

from .test_convert_pdf_edges import FONT, PAGE_HEIGHT, SIZE  # noqa: E402


def test_amount_filling_its_cell_is_not_glued_to_the_next_cells_label(tmp_path):
    """The income amount ends a fraction of a point before the border and the expenditure label starts
    just past it (gap under the word tolerance): each is read in its own cell."""
    path = tmp_path / "glued.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    c.setFont(FONT, SIZE)
    xs = [40, 200, 262, 420, 520]
    tops = [100, 118, 136, 154]
    for top in tops:
        c.line(xs[0], PAGE_HEIGHT - top, xs[-1], PAGE_HEIGHT - top)
    for x in xs:
        c.line(x, PAGE_HEIGHT - tops[0], x, PAGE_HEIGHT - tops[-1])
    rows = [("项目", "预算数", "项目", "预算数"),
            ("一、一般公共预算拨款收入", "110,387.976749", "一、一般公共服务支出", ""),
            ("本年收入合计", "110,387.976749", "本年支出合计", "110,387.976749")]
    for top, cells in zip(tops, rows):
        y = PAGE_HEIGHT - top - 12
        c.drawString(xs[0] + 2, y, cells[0])
        c.drawRightString(xs[2] - 0.2, y, cells[1])     # the amount fills its cell up to the border
        c.drawString(xs[2] + 0.8, y, cells[2])          # the label starts right past it
        c.drawRightString(xs[4] - 2, y, cells[3])
    c.showPage()
    c.save()
    lines, _ = pdf_lines(path, path.read_bytes())
    texts = [line.text.split("\t") for line in lines]
    assert ["一、一般公共预算拨款收入", "110,387.976749", "一、一般公共服务支出", ""] in texts
    assert not any("110,387.976749一" in line.text for line in lines)


def test_total_row_alone_on_the_next_page_keeps_its_columns(tmp_path):
    """A ruled table whose 合计 row is printed alone on the next page, its label cell merged over the code and
    name columns (four grid columns where the table has five): the row is the table's total, amounts in place."""
    from opendata.convert import convert_file

    from .test_convert_pdf_edges import EXP_COLUMNS, EXP_EXPECTED, EXP_HEADER, EXP_ROWS, check_amounts, draw_table, page_head

    path = tmp_path / "total_alone.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    c.setFont(FONT, SIZE)
    top = page_head(c, "2024年部门支出总表")
    draw_table(c, top, EXP_COLUMNS, EXP_HEADER, EXP_ROWS[1:], True)
    c.showPage()
    c.setFont(FONT, SIZE)
    draw_table(c, 60, EXP_COLUMNS, [], [[("合计", 2), *EXP_ROWS[0][2:]]], True)
    c.showPage()
    c.save()
    table = convert_file(path).disclosure.tables["expenditure_summary"]
    check_amounts(table, EXP_EXPECTED, pages={"total": 2})


def test_page_number_cut_by_a_space_character_is_no_row(tmp_path):
    """A page number 11 whose digits a producer's space character (another font) cuts into two words "1" "1"
    is still the page number in the bottom margin, not an item row of the table above it."""
    from opendata.convert import convert_file

    from .test_convert_pdf_edges import EXP_COLUMNS, EXP_EXPECTED, EXP_HEADER, EXP_ROWS, check_amounts, draw_table, page_head

    path = tmp_path / "page_number.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    c.setFont(FONT, SIZE)
    top = page_head(c, "2024年部门支出总表")
    draw_table(c, top, EXP_COLUMNS, EXP_HEADER, EXP_ROWS, True)
    y = PAGE_HEIGHT - 790
    c.setFont("Helvetica", 9.75)
    c.drawString(292.9, y, "1")
    c.drawString(298.1, y, "1")
    c.setFont("Times-Roman", 9)
    c.drawString(297.4, y, " ")
    c.showPage()
    c.save()
    lines, _ = pdf_lines(path, path.read_bytes())
    assert not [line.text for line in lines if line.text.replace(" ", "") == "11"]
    check_amounts(convert_file(path).disclosure.tables["expenditure_summary"], EXP_EXPECTED)


def test_running_page_header_between_continued_rows_is_no_row(tmp_path):
    """The document's title printed over every page (a running header) falls between the rows of a table
    continued on the next page: it is read once, where first printed, and is no row of the table."""
    from opendata.convert import convert_file

    from .test_convert_pdf_edges import EXP_COLUMNS, EXP_EXPECTED, EXP_HEADER, EXP_ROWS, check_amounts, draw_table, page_head

    running = "某某区某某中心2024年度部门预算公开"
    path = tmp_path / "running.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, PAGE_HEIGHT))

    def header():
        c.setFont(FONT, SIZE)
        c.drawString(50, PAGE_HEIGHT - 30, running)

    header()
    top = page_head(c, "2024年部门支出总表")
    draw_table(c, top, EXP_COLUMNS, EXP_HEADER, EXP_ROWS[:3], True)
    c.showPage()
    header()
    draw_table(c, 60, EXP_COLUMNS, [], EXP_ROWS[3:], True)
    c.showPage()
    header()
    c.drawString(50, PAGE_HEIGHT - 80, "三、名词解释")
    c.showPage()
    c.save()
    lines, _ = pdf_lines(path, path.read_bytes())
    assert [line.page for line in lines if line.text == running] == [1]
    table = convert_file(path).disclosure.tables["expenditure_summary"]
    check_amounts(table, EXP_EXPECTED, pages={"2010101": 2, "2010102": 2})
