"""Cells a new user found misread (a trial on the national corpus): a procurement table whose only label
column (采购类别: A-货物, C-服务) was not recognised, its rows read as totals; and a wrapped project code whose
characters came out spaced apart (1 1 0 0 0 02 6T0 …) because the row's other cells wrap onto lines at other
heights. Inputs are small documents built here (text, or a PDF drawn with reportlab)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from opendata.convert import convert_file
from tests.documents import text_document


def _procurement(tmp_path, header: str):
    source = text_document(tmp_path, "\n".join([
        "政府采购预算明细表", "金额单位：万元", f"{header}\t金额",
        "A-货物\t264.126846", "C-服务\t8,341.932000", "合   计\t8,606.058846"]))
    result = convert_file(source)
    table = result.disclosure.tables["government_procurement"]
    return [(r.row_type, r.values["item"], r.values["total"]) for r in table.rows], result.warnings


@pytest.mark.parametrize("header", ["采购类别", "采购分组"])   # the standard's word, and one it does not know
def test_procurement_categories_are_rows_of_their_own(tmp_path, header):
    rows, warnings = _procurement(tmp_path, header)
    assert rows == [("item", "A-货物", Decimal("2641268.46")), ("item", "C-服务", Decimal("83419320.000")),
                    ("total", "合计", Decimal("86060588.46"))]
    assert not any("cell(s) not converted" in w for w in warnings)
    if header == "采购类别":
        assert not any("not recognised" in w for w in warnings)
    else:   # the column is still reported
        assert any(f"'{header}' not recognised" in w for w in warnings)


def test_a_table_without_label_column_is_still_its_total(tmp_path):
    """The 三公 table printing one row of amounts and no label column: the row is the table's total, also when
    amounts stand in columns not recognised (last year's, under no header)."""
    source = text_document(tmp_path, "\n".join([
        "“三公”经费支出预算表", "单位：万元", "合计\t因公出国（境）费\t公务接待费\t\t", "3.00\t1.00\t2.00\t4.00\t5.00"]))
    table = convert_file(source).disclosure.tables["three_public_expenses"]
    assert [(r.row_type, r.values["line"], r.values["item"]) for r in table.rows] == [
        ("total", "total", "合计"), ("item", "overseas_travel", "因公出国（境）费"), ("item", "reception", "公务接待费")]


def test_a_wrapped_code_beside_taller_cells_is_read_whole(tmp_path):
    """A ruled row: the project cell wraps a 21-character code over two lines (11000026T00000374 / 9339-作业点服务项目,
    the first line full) and the next cell prints three lines at heights in between, so that pdfplumber's line
    grouping chains the two lines of the code together. The code is read whole, without spaces."""
    pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    from opendata.convert.pdf import pdf_lines
    from tests.test_convert_pdf_edges import FONT, PAGE_HEIGHT

    size = 7.4
    path = tmp_path / "wrapped.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    xs = [40, 40 + stringWidth("11000026T00000374", FONT, size) + 4, 240, 300, 380]
    tops = [100, 118, 160]
    for top in tops:
        c.line(xs[0], PAGE_HEIGHT - top, xs[-1], PAGE_HEIGHT - top)
    for x in xs:
        c.line(x, PAGE_HEIGHT - tops[0], x, PAGE_HEIGHT - tops[-1])
    c.setFont(FONT, size)
    for x, text in zip(xs, ("项目名称", "绩效目标", "指标", "金额")):
        c.drawString(x + 2, PAGE_HEIGHT - 112, text)
    base = 128   # baseline of the code's first line, from the page top; lines 9.1 pt apart
    for k, text in enumerate(("11000026T00000374", "9339-作业点服", "务项目")):
        c.drawString(xs[0] + 2, PAGE_HEIGHT - base - 9.1 * k, text)
    for k, text in enumerate(("完成作业点、弹药存储", "安全管理、开展人影", "作业工作。")):   # 2.5 pt lower
        c.drawString(xs[1] + 2, PAGE_HEIGHT - base - 2.5 - 9.1 * k, text)
    for k, text in enumerate(("产出指标", "数量指标")):                                    # 5 pt lower
        c.drawString(xs[2] + 2, PAGE_HEIGHT - base - 5 - 9.1 * k, text)
    c.drawRightString(xs[4] - 2, PAGE_HEIGHT - base - 7.5, "1,086.578752")            # 7.5 pt lower
    c.showPage()
    c.save()
    lines, _ = pdf_lines(path, path.read_bytes())
    (row,) = [line.text for line in lines if "作业点服" in line.text]
    assert row.split("\t")[0] == "11000026T000003749339-作业点服务项目"
    assert "1,086.578752" in row.split("\t")
