"""A page box stored with its corners the other way round ([0 842 595 0] for [0 0 595 842]; the PDF standard allows
any two opposite corners, and a Word-to-PDF producer writes such pages): the page reads as the original, nothing is
taken for text drawn off the page. Built in the test with reportlab from the table of test_convert_pdf_edges."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

from reportlab.pdfgen import canvas  # noqa: E402

from opendata.convert import convert_file  # noqa: E402
from opendata.convert.pdf import pdf_lines  # noqa: E402

from .test_convert_pdf_edges import (  # noqa: E402
    EXP_COLUMNS, EXP_EXPECTED, EXP_HEADER, EXP_ROWS, FONT, PAGE_HEIGHT, SIZE, check_amounts, draw_table, page_head,
)


def expenditure_pdf(path: Path, borders: bool) -> Path:
    """The one-table budget of test_convert_pdf_edges on a 595 x PAGE_HEIGHT page."""
    c = canvas.Canvas(str(path), pagesize=(595, PAGE_HEIGHT))
    c.setFont(FONT, SIZE)
    draw_table(c, page_head(c, "2024年部门支出总表"), EXP_COLUMNS, EXP_HEADER, EXP_ROWS, borders)
    c.showPage()
    c.save()
    return path


def flipped_box(source: Path, target: Path) -> Path:
    """`source` with its MediaBox written top-left corner first (same byte length, so the xref stays valid)."""
    data = source.read_bytes()
    box = f"/MediaBox [ 0 0 595 {PAGE_HEIGHT} ]".encode()
    assert box in data
    target.write_bytes(data.replace(box, f"/MediaBox [ 0 {PAGE_HEIGHT} 595 0 ]".encode()))
    return target


@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_media_box_with_corners_the_other_way_round_reads_as_the_original(tmp_path, borders):
    clean = expenditure_pdf(tmp_path / "clean.pdf", borders)
    flipped = flipped_box(clean, tmp_path / "flipped.pdf")
    result = convert_file(flipped)
    assert not [w for w in result.warnings if "outside the visible page" in str(w)]
    check_amounts(result.disclosure.tables["expenditure_summary"], EXP_EXPECTED)
    assert pdf_lines(flipped, flipped.read_bytes())[0] == pdf_lines(clean, clean.read_bytes())[0]
