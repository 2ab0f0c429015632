"""A wrapped label whose last line is printed across the rule under its cell (009 p. 3: "支出"
of "2120399-其他城乡社区公共设施支出" on the border, its middle just inside the next row's cell):
the piece ends the label above, not the next label, which begins with its code. Built with
reportlab like test_convert_pdf_edges."""
from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

from .test_convert_pdf_edges import FONT, PAGE_HEIGHT, ROW, SIZE, Column, build, convert, draw_table, page_head, values  # noqa: E402

COLUMNS = [Column(50, 250), Column(250, 350, "right"), Column(350, 450, "right"), Column(450, 550, "right")]
HEADER = [["支出功能分类科目", "合计", "基本支出", "项目支出"]]
ROWS = [
    ["2120399-其他城乡社区公共设施", "432.64", "", "432.64"],
    ["2120803-城市建设支出", "4,683.73", "", "4,683.73"],
    ["2240101-行政运行", "1,650.60", "1,650.60", ""],
    ["", "6,766.97", "1,650.60", "5,116.37"],
]


@pytest.mark.parametrize("below", [1.5, -2.0], ids=["middle_below_the_rule", "middle_above_the_rule"])
def test_the_last_line_of_a_label_printed_on_the_rule_below_ends_that_label(tmp_path, below):
    path = tmp_path / "overflow.pdf"

    def page(c):
        top = page_head(c, "2024年部门支出总表")
        rows = [list(r) for r in ROWS]
        rows[-1][0] = "合计"
        draw_table(c, top, COLUMNS, HEADER, rows, True)
        rule = top + 2 * ROW   # the border under the first body row (one header line)
        c.setFont(FONT, SIZE)
        c.drawString(COLUMNS[0].x0 + 3, PAGE_HEIGHT - (rule + below + SIZE / 2 - 1), "支出")

    build(path, [page])
    got = values(convert(path).tables["expenditure_summary"])
    assert got["2120399"][1]["item"] == "其他城乡社区公共设施支出"
    assert got["2120803"][1]["item"] == "城市建设支出"
    assert got["2120803"][1]["total"] == Decimal("4683.73")
