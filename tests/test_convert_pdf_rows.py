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
