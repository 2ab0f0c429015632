"""A real Excel 97-2003 (.xls) workbook, written in code with xlwt and read through xlrd:
merged header cells, numbers stored as numbers (with number formats) and as text, two
sheets, a table continued after a repeated header."""
from __future__ import annotations

from decimal import Decimal

import pytest

xlwt = pytest.importorskip("xlwt")

from opendata.convert import convert_file  # noqa: E402


def write_xls(path, sheets: dict[str, list[list]], merges: dict[str, list[tuple[int, int, int, int]]], formats: dict | None = None):
    """merges: (first_row, last_row, first_col, last_col), 0-based as xlwt takes them;
    formats: {(sheet, row, col): number format}."""
    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        merged = {(r, c): (r1, c1) for r, r1, c, c1 in merges.get(name, [])}
        covered = {(r, c) for r0, r1, c0, c1 in merges.get(name, []) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if (r, c) in merged:
                    r1, c1 = merged[(r, c)]
                    sheet.write_merge(r, r1, c, c1, value)
                elif (r, c) in covered or value is None:
                    continue
                else:
                    number_format = (formats or {}).get((name, r, c))
                    if number_format:
                        sheet.write(r, c, value, xlwt.easyxf(num_format_str=number_format))
                    else:
                        sheet.write(r, c, value)
    book.save(str(path))


def test_xls_merged_headers_numbers_and_text(tmp_path):
    expenditure = [
        ["某某区某某中心2024年部门预算"],
        ["2024年部门支出总表"],
        ["编制部门：某某区某某中心", None, None, None, "单位：万元"],
        ["功能分类科目编码", None, None, "功能分类科目名称", "支出预算"],
        ["类", "款", "项", None, "合计", "基本支出", "项目支出"],
        ["合计", None, None, None, 1012.8, 10.3, 1002.5],
        [201, None, None, "一般公共服务支出", 1012.8, 10.3, 1002.5],
        [201, "01", None, "人大事务", 1012.8, 10.3, 1002.5],
        [201, "01", "01", "行政运行", 12.3, "10.30", 2],
        ["功能分类科目编码", None, None, "功能分类科目名称", "支出预算"],   # header repeated
        ["类", "款", "项", None, "合计", "基本支出", "项目支出"],
        [201, "01", "02", "一般行政管理事务", "1,000.5", None, 1000.5],
    ]
    income = [
        ["2024年部门收入总表"],
        [None, None, None, "单位：万元"],
        ["科目编码", "科目名称", "本年收入", None],
        [None, None, "合计", "财政拨款"],
        [None, "合计", 1012.8, 1012.8],
        ["201", "一般公共服务支出", "1,012.80", 1012.8],
    ]
    merges = {
        "支出": [(3, 3, 0, 2), (3, 4, 3, 3), (3, 3, 4, 6), (5, 5, 0, 3), (9, 9, 0, 2), (9, 10, 3, 3), (9, 9, 4, 6)],
        "收入": [(2, 3, 0, 0), (2, 3, 1, 1), (2, 2, 2, 3)],
    }
    formats = {("支出", 8, 4): "#,##0.00", ("支出", 5, 4): "0.00", ("收入", 4, 2): "#,##0.00"}
    path = tmp_path / "budget.xls"
    write_xls(path, {"支出": expenditure, "收入": income}, merges, formats)
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"            # an OLE2 (BIFF8) file, not a zip
    d = convert_file(path).disclosure
    assert d.source.format == "xls"
    assert (d.fiscal_year, d.stage, d.unit_name) == (2024, "budget", "某某区某某中心")

    table = d.tables["expenditure_summary"]
    assert table.money_unit == "万元"
    rows = {r.row_id: r for r in table.rows}
    assert set(rows) == {"total", "201", "20101", "2010101", "2010102"}
    assert rows["total"].row_type == "total"
    assert rows["total"].values["total"] == Decimal("10128000")
    assert rows["2010101"].values["total"] == Decimal("123000")       # 12.3 stored as a float
    assert rows["2010101"].values["basic"] == Decimal("103000")       # "10.30" stored as text
    assert rows["2010101"].values["project"] == Decimal("20000")
    assert rows["2010102"].values["total"] == Decimal("10005000")     # "1,000.5" text with a separator
    assert rows["2010102"].values["project"] == Decimal("10005000")
    assert rows["2010102"].values.get("basic") is None
    assert rows["2010102"].values["item"] == "一般行政管理事务"
    assert rows["2010101"].source_line == 9 and rows["2010101"].source_page == 1     # sheet 1, row 9
    assert rows["2010102"].source_line == 12

    income_table = d.tables["income_summary"]
    got = {r.row_id: r for r in income_table.rows}
    assert set(got) == {"total", "201"}
    assert got["total"].values["total"] == Decimal("10128000")
    assert got["201"].values["total"] == Decimal("10128000")
    assert got["201"].values["fiscal_appropriation"] == Decimal("10128000")
