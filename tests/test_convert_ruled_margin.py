"""A ruled table continued over pages whose grids differ: the first page rules a narrow empty column that the
next pages do not (an outer margin column, or a spacer between two columns). Each page's cells are read under
the header they stand under on the page, not one column to the left."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

from opendata.convert import convert_file  # noqa: E402
from opendata.convert.pdf import pdf_lines  # noqa: E402

from .test_convert_pdf_edges import (EXP_COLUMNS, EXP_EXPECTED, EXP_HEADER, EXP_ROWS, Column, build,  # noqa: E402
                                     check_amounts, convert, draw_table, footer, page_head)


def widened(columns: list[Column], rows: list[list], at: int) -> list[list]:
    """`rows` with an empty cell inserted at column `at` (the extra ruled column)."""
    return [[*row[:at], "", *row[at:]] for row in rows]


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header_repeated", "header_not_repeated"])
def test_empty_outer_column_on_the_first_page_only(tmp_path, repeat_header):
    """The first page's grid has an empty narrow first column (x 42–50) that the second page's grid lacks:
    the second page's codes, names and amounts stay under their headers."""
    path = tmp_path / "margin.pdf"
    margin = [Column(42, 50), *EXP_COLUMNS]

    def first(c):
        top = page_head(c, "2024年部门支出总表")
        draw_table(c, top, margin, widened(margin, EXP_HEADER, 0), widened(margin, EXP_ROWS[:3], 0), True)
        footer(c, 1)

    def second(c):
        draw_table(c, 60, EXP_COLUMNS, EXP_HEADER if repeat_header else [], EXP_ROWS[3:], True)
        footer(c, 2)

    build(path, [first, second])
    lines, _ = pdf_lines(path, path.read_bytes())
    assert ["2010101", "行政运行", "1,000,000.00", "1,000,000.00", ""] in [line.text.split("\t") for line in lines]
    table = convert(path).tables["expenditure_summary"]
    check_amounts(table, EXP_EXPECTED, pages={row[0]: 2 for row in EXP_ROWS[3:]})


def test_repeated_header_over_fewer_ruled_columns(tmp_path):
    """The first page rules an empty spacer column between 科目名称 and 合计 that the second page does not:
    the second page repeats the header, and its columns are laid on the first page's by their borders."""
    path = tmp_path / "spacer.pdf"
    spaced = [*EXP_COLUMNS[:2], Column(290, 298), Column(298, 380, "right"), *EXP_COLUMNS[3:]]

    def first(c):
        top = page_head(c, "2024年部门支出总表")
        draw_table(c, top, spaced, widened(spaced, EXP_HEADER, 2), widened(spaced, EXP_ROWS[:3], 2), True)
        footer(c, 1)

    def second(c):
        narrowed = [EXP_COLUMNS[0], Column(130, 298), Column(298, 380, "right"), *EXP_COLUMNS[3:]]
        draw_table(c, 60, narrowed, EXP_HEADER, EXP_ROWS[3:], True)
        footer(c, 2)

    build(path, [first, second])
    lines, _ = pdf_lines(path, path.read_bytes())
    assert ["2010101", "行政运行", "", "1,000,000.00", "1,000,000.00", ""] in [line.text.split("\t") for line in lines]
    table = convert(path).tables["expenditure_summary"]
    check_amounts(table, EXP_EXPECTED, pages={row[0]: 2 for row in EXP_ROWS[3:]})



def test_a_wide_column_empty_on_a_continued_page_keeps_its_place(tmp_path):
    """A continued page starting with a line of text, whose first (code) column is empty in every row, a column as
    wide as the others and not a margin (a merged cell begun on the page before): its rows keep the empty cell, and
    the names and amounts stay under their headers."""
    path = tmp_path / "wide.pdf"

    def first(c):
        top = page_head(c, "2024年部门支出总表")
        draw_table(c, top, EXP_COLUMNS, EXP_HEADER, EXP_ROWS[:4], True)
        footer(c, 1)

    def second(c):
        draw_table(c, 60, EXP_COLUMNS, [], [["", "（续上页）", "", "", ""], ["", "一般行政管理事务", "500,000.00", "", "500,000.00"]], True)
        footer(c, 2)

    build(path, [first, second])
    lines, _ = pdf_lines(path, path.read_bytes())
    assert ["", "一般行政管理事务", "500,000.00", "", "500,000.00"] in [line.text.split("\t") for line in lines if line.page == 2]


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.skipif(not (CORPUS / "010.pdf").exists(), reason="national corpus not present")
def test_expenditure_summary_pages_without_the_margin_column():
    """010.pdf 预算03表 支出总表: page 3 rules an empty first column that pages 4 and 5 do not. The row printed
    on page 4 as 2010350-事业运行 | 50501-工资福利支出 | 30107-绩效工资 | 767.317749 | 767.317749 (万元) keeps its codes
    and amounts under their headers, and no row has a 部门 (30…) code read as its 政府 economic code."""
    table = convert_file(CORPUS / "010.pdf").disclosure.tables["expenditure_summary"]
    row = next(r for r in table.rows if r.source_page == 4 and r.values.get("economic_code") == "30107")
    assert (row.values.get("function_code"), row.values.get("gov_economic_code")) == ("2010350", "50501")
    assert (row.values.get("total"), row.values.get("basic"), row.values.get("project")) == (
        Decimal("7673177.49"), Decimal("7673177.49"), None)
    assert not [r.row_id for r in table.rows if str(r.values.get("gov_economic_code") or "").startswith("3")]
    assert {r.source_page for r in table.rows} == {3, 4, 5, 6}
