"""Excel and Word converters, the input workbook template and the package -> workbook ->
package round trip. Workbooks and documents are built in code for each edge case."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from opendata.convert import ConversionError, convert_file
from opendata.convert.xlsx import number_text
from opendata.package import read_package, write_package
from opendata.workbook import export_workbook, write_template
from tests.documents import lines

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT.parent / "shared" / "references" / "shanghai_putuo_2026_dept_budget_template.xlsx"
PACKAGES = ROOT / "datapackages"


def rows_of(table):
    return {row.row_id: (row.row_type, {k: v for k, v in row.values.items() if v not in (None, "")}) for row in table.rows}


def workbook_with(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None, formats: dict | None = None):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
        for cell_range in (merges or {}).get(name, []):
            sheet.merge_cells(cell_range)
        for coordinate, number_format in (formats or {}).get(name, {}).items():
            sheet[coordinate].number_format = number_format
    return book


def test_number_text_is_exact():
    assert number_text(1234.5, "#,##0.00") == "1234.50"
    assert number_text(0.1 + 0.2, "General") == "0.3"          # float noise beyond 15 digits dropped
    assert number_text(1234.56, "#,##0") == "1234.56"           # the format never cuts decimals
    assert number_text(59320916.36, "0.00") == "59320916.36"
    assert number_text(205, "General") == "205"
    assert number_text(Decimal("5932.091636"), None) == "5932.091636"
    assert number_text(-0.0, "0") == "0"


def test_merged_headers_numbers_as_numbers_and_text(tmp_path):
    sheet = [
        ["某某区某某局2024年部门预算"],
        ["2024年部门支出总表"],
        ["编制部门：某某区某某局", None, None, None, "单位：万元"],
        ["功能分类科目编码", None, None, "功能分类科目名称", "支出预算"],
        ["类", "款", "项", None, "合计", "基本支出", "项目支出"],
        [201, "01", "01", "行政运行", 12.3, "10.30", 2],
        [201, "01", "02", "一般行政管理事务", "1,000.5", None, 1000.5],
        ["合计", None, None, None, 1012.8, 10.3, 1002.5],
    ]
    merges = {"支出": ["A4:C4", "D4:D5", "E4:G4", "A8:D8"]}
    book = workbook_with({"支出": sheet}, merges, {"支出": {"E6": "#,##0.00", "E8": "0.00"}})
    path = tmp_path / "budget.xlsx"
    book.save(path)
    result = convert_file(path)
    d = result.disclosure
    assert (d.fiscal_year, d.stage, d.unit_name) == (2024, "budget", "某某区某某局")
    table = d.tables["expenditure_summary"]
    assert table.money_unit == "万元" and table.money_decimals == 2
    rows = {r.row_id: r for r in table.rows}
    assert rows["2010101"].values["total"] == Decimal("123000")
    assert rows["2010101"].values["basic"] == Decimal("103000")
    assert rows["2010101"].values["project"] == Decimal("20000")
    assert rows["2010102"].values["total"] == Decimal("10005000")      # text with thousands separator
    assert rows["2010102"].values["project"] == Decimal("10005000")
    assert rows["total"].values["total"] == Decimal("10128000")
    assert rows["2010101"].source_line == 6 and rows["2010101"].source_page == 1
    assert table.pages == [1]
    assert not [w for w in result.warnings if "not converted" in w or "not recognised" in w]


def test_several_tables_per_sheet_and_continued_after_repeated_header(tmp_path):
    header = ["科目编码", "科目名称", "合计"]
    sheet = [
        ["某某区某某中心2024年部门预算"],
        ["一般公共预算支出表"], ["单位名称：某某区某某中心", None, "单位：元"], header,
        ["2010101", "行政运行", 100], ["2010102", "一般行政管理事务", 50],
        header,                                     # repeated header: the table goes on
        ["2010199", "其他一般公共服务支出", 25], ["合计", None, 175],
        [],
        ["政府性基金预算支出表"], [None, None, "单位：元"], header,
        ["2290802", "彩票公益金", 7], ["合计", None, 7],
    ]
    path = tmp_path / "two.xlsx"
    workbook_with({"预算表": sheet}).save(path)
    d = convert_file(path).disclosure
    general = d.tables["general_budget_expenditure"]
    assert [r.row_id for r in general.rows] == ["2010101", "2010102", "2010199", "total"]
    assert general.row("total").values["total"] == Decimal("175")
    fund = d.tables["government_fund_expenditure"]
    assert [r.row_id for r in fund.rows] == ["2290802", "total"]
    assert fund.rows[0].source_line == 14


def test_sheet_name_as_title_and_sheet_boundaries(tmp_path):
    book = workbook_with({
        "封面": [["某某区某某局2024年部门预算"], ["单位名称：某某区某某局"]],
        "部门收入总表": [["单位：元"], ["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", 10], ["合计", None, 10]],
        "情况说明": [["一、收入预算情况"], ["收入预算10元。"]],
    })
    path = tmp_path / "named.xlsx"
    book.save(path)
    d = convert_file(path).disclosure
    table = d.tables["income_summary"]
    assert table.printed_title == "部门收入总表" and table.pages == [2]
    assert [r.row_id for r in table.rows] == ["201", "total"]
    assert any("收入预算10元" in (r.values.get("text") or "") for r in d.tables["narrative"].rows)


def test_docx_tables_paragraphs_and_merged_cells(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某某区某某局2024年部门预算")
    document.add_paragraph("单位名称：某某区某某局")
    document.add_paragraph("一、部门收入预算情况")
    document.add_paragraph("2024年收入预算总计1,500元。")
    document.add_paragraph("2024年部门支出总表")
    document.add_paragraph("单位：元")
    table = document.add_table(rows=5, cols=5)
    cells = [["功能分类科目编码", "", "科目名称", "支出预算", ""],
             ["", "", "", "基本支出", "项目支出"],
             ["2010101", "", "行政运行", "1000", "200"],
             ["2010102", "", "一般行政管理事务", "", "300"],
             ["合计", "", "", "1000", "500"]]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(1, 1))     # 功能分类科目编码 over two rows and two columns
    table.cell(0, 3).merge(table.cell(0, 4))     # 支出预算 over 基本支出 / 项目支出
    table.cell(0, 2).merge(table.cell(1, 2))
    for r in (2, 3, 4):
        table.cell(r, 0).merge(table.cell(r, 1))
    document.add_paragraph("二、其他说明")
    document.add_paragraph("本部门无政府性基金预算。")
    path = tmp_path / "budget.docx"
    document.save(path)
    result = convert_file(path)
    d = result.disclosure
    assert (d.fiscal_year, d.unit_name) == (2024, "某某区某某局")
    table = d.tables["expenditure_summary"]
    rows = {r.row_id: r.values for r in table.rows}
    assert rows["2010101"]["basic"] == Decimal("1000") and rows["2010101"]["project"] == Decimal("200")
    assert rows["2010102"]["project"] == Decimal("300") and "basic" not in rows["2010102"]
    assert rows["total"]["project"] == Decimal("500")
    headings = [r.values.get("heading") for r in d.tables["narrative"].rows]
    assert "一、部门收入预算情况" in headings and "二、其他说明" in headings


def test_official_template_recognised(tmp_path):
    if not TEMPLATE.exists():
        pytest.skip("reference template not available")
    result = convert_file(TEMPLATE)
    d = result.disclosure
    assert (d.fiscal_year, d.stage) == (2026, "budget")
    expected = {"income_expenditure_summary", "income_summary", "expenditure_summary", "fiscal_appropriation_summary",
                "general_budget_expenditure", "government_fund_expenditure", "state_capital_expenditure",
                "general_budget_basic_expenditure", "three_public_expenses"}
    assert expected <= set(d.tables)
    assert d.tables["three_public_expenses"].money_unit == "万元"
    assert d.tables["income_summary"].money_unit == "元"
    # fill a few cells of a copy
    copy = tmp_path / "filled.xlsx"
    shutil.copy(TEMPLATE, copy)
    book = openpyxl.load_workbook(copy)
    income = book["部门收入总表"]
    income["E9"], income["F9"], income["G9"] = 1500, 1000, "500"
    income["E20"], income["F20"], income["G20"] = 1500, 1000, 500
    three = next(s for s in book.worksheets if "三公" in s.title)
    three["A7"], three["B7"], three["C7"], three["D7"], three["E7"], three["F7"], three["G7"] = 12.5, 2.5, 4, 6, 1, 5, 88.12
    book.save(copy)
    d = convert_file(copy).disclosure
    rows = {r.row_id: r.values for r in d.tables["income_summary"].rows}
    assert rows["205"]["total"] == Decimal("1500") and rows["205"]["fiscal_appropriation"] == Decimal("1000")
    assert rows["205"]["business_income"] == Decimal("500")
    assert rows["total"]["total"] == Decimal("1500")
    three = lines(d.tables["three_public_expenses"])   # the categories printed as columns: one row each
    assert set(three) == {"total", "overseas_travel", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"}
    assert three["total"]["total"] == Decimal("125000") and three["overseas_travel"]["total"] == Decimal("25000")
    assert three["reception"]["total"] == Decimal("40000") and three["vehicle"]["total"] == Decimal("60000")
    operating = d.tables["operating_costs"].rows   # 机关运行经费 printed beside them: the total of its own table
    assert [(r.row_id, r.row_type, r.values["total"]) for r in operating] == [("total", "total", Decimal("881200"))]


@pytest.mark.parametrize("name, data, words", [
    ("corrupt.xlsx", b"PK\x03\x04 this is not really a zip", "corrupt"),
    ("notzip.docx", b"plain text pretending to be Word", "not a Word .docx"),
    ("empty.xlsx", b"", "empty"),
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".doc"),
    ("corrupt.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 broken", "corrupt"),
])
def test_bad_files(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ConversionError, match=r"(?i)" + words.replace(".", r"\.")):
        convert_file(path)


def test_empty_workbook(tmp_path):
    path = tmp_path / "empty_book.xlsx"
    book = openpyxl.Workbook()
    book.save(path)
    with pytest.raises(ConversionError, match="empty"):
        convert_file(path)


def test_template_filled_converts_to_valid_package(tmp_path):
    from opendata.validate import validate_package

    path = write_template("budget", tmp_path / "template.xlsx", year=2025)
    book = openpyxl.load_workbook(path)
    assert book["代码表"].sheet_state == "hidden"
    assert {"说明", "填报信息", "文字说明"} <= set(book.sheetnames)
    sheet = book["部门支出总表"]
    assert sheet.data_validations.dataValidation, "code columns have drop-down lists"
    meta = book["填报信息"]
    meta["B1"], meta["B2"], meta["B7"] = "上海市普陀区某某局", "123001", "310107"
    headers = {sheet.cell(row=r, column=c).value: c for r in (3, 4, 5) for c in range(1, sheet.max_column + 1) if sheet.cell(row=r, column=c).value}
    first = next(r for r in range(3, 10) if all(sheet.cell(row=r, column=c).value is None for c in range(1, sheet.max_column + 1)))
    code, item, total = headers["支出功能分类科目编码"], headers["科目名称"], headers["合计"]
    for offset, (c, name, amount) in enumerate([("2010101", "行政运行", 100.25), (None, "合计", 100.25)]):
        if c:
            sheet.cell(row=first + offset, column=code, value=c)
        sheet.cell(row=first + offset, column=item, value=name)
        sheet.cell(row=first + offset, column=total, value=amount)
    book["文字说明"]["A1"] = "一、部门主要职能"
    book["文字说明"]["A2"] = "负责某某工作。"
    book.save(path)
    result = convert_file(path)
    d = result.disclosure
    assert (d.unit_name, d.unit_code, d.fiscal_year, d.stage, d.division_code) == ("上海市普陀区某某局", "123001", 2025, "budget", "310107")
    assert d.division_names[-1] == "普陀区"
    rows = {r.row_id: r.values for r in d.tables["expenditure_summary"].rows}
    assert rows["2010101"]["total"] == Decimal("100.25") and rows["total"]["total"] == Decimal("100.25")
    out = write_package(d, tmp_path / "package")
    report = validate_package(out, layers=("structure",)) if "layers" in validate_package.__code__.co_varnames else validate_package(out)
    assert report.count("error") == 0, [f for f in report.findings if f.severity == "error"]


@pytest.mark.parametrize("stage", ["budget", "final_accounts"])
def test_every_template_column_is_recognised(tmp_path, stage):
    """Each header the template writes is one the converter reads (the 政府采购项目 column of the
    budget's expenditure summary was warned as not recognised)."""
    result = convert_file(write_template(stage, tmp_path / "template.xlsx", year=2026))
    assert not [w for w in result.warnings if "not recognised" in str(w)]


SEEDS = sorted(p.name for p in PACKAGES.iterdir() if (p / "datapackage.json").exists()) if PACKAGES.exists() else []
# what legitimately differs after package -> export-xlsx -> convert: the source document (the
# workbook is the new source), when and by what the package was converted, its version, and
# where the unit, year and stage came from (now the workbook's metadata sheet)
ROUND_TRIP_DIFFERS = ("source/", "conversion/", "created", "version", "metadataSources/")


@pytest.mark.parametrize("package", SEEDS)
def test_package_workbook_package_round_trip(tmp_path, package):
    from opendata.versions import diff

    original = read_package(PACKAGES / package)
    path = export_workbook(original, tmp_path / "export.xlsx")
    back = convert_file(path).disclosure
    for name in ("unit_name", "unit_code", "parent_name", "parent_code", "fiscal_year", "stage", "division_code", "money_unit"):
        assert getattr(back, name) == getattr(original, name), name
    assert {"project_performance_targets", "department_performance_targets", "performance_self_evaluation"} & set(original.tables)
    assert set(back.tables) == set(original.tables)
    for table_id, table in original.tables.items():   # performance tables, narrative and key figures included
        mine = back.tables[table_id]
        assert [r.row_id for r in mine.rows] == [r.row_id for r in table.rows], table_id
        assert rows_of(mine) == rows_of(table), table_id
        assert [(r.source_line, r.source_page) for r in mine.rows] == [(r.source_line, r.source_page) for r in table.rows], table_id
        assert (mine.money_unit, mine.money_decimals, mine.columns) == (table.money_unit, table.money_decimals, table.columns), table_id
    out = write_package(back, tmp_path / "back")
    changes = diff(PACKAGES / package, out)
    summary = changes.summary()
    assert {k: v for k, v in summary.items() if k not in ("metadata_changed", "files_changed")} == dict.fromkeys(
        ["tables_added", "tables_removed", "columns_added", "columns_removed", "rows_added", "rows_removed", "cells_changed"], 0)
    assert [m for m in changes.metadata_changed if not m["path"].startswith(ROUND_TRIP_DIFFERS)] == []
    assert [f for f in changes.files_changed if not f["path"].startswith("source/")] == []
    for csv_file in sorted((PACKAGES / package / "data").glob("*.csv")):   # the tables byte for byte
        assert (out / "data" / csv_file.name).read_bytes() == csv_file.read_bytes(), csv_file.name


def test_export_record_sheets_escape_formula_text(tmp_path):
    """Performance tables go on record sheets: text that looks like a formula is an escaped string
    cell, amounts are numbers with their decimals, and converting gives the same values back."""
    original = read_package(PACKAGES / "110102-257004-2023-budget")
    table = original.tables["project_performance_targets"]
    table.rows[0].values["goal"] = '=HYPERLINK("http://127.0.0.1/x","点击")'
    table.rows[1].values["target_value"] = "-5%"
    table.rows[1].values["total"] = Decimal("-1738000.50")
    path = export_workbook(original, tmp_path / "export.xlsx")
    book = openpyxl.load_workbook(path)
    assert book["数据包"].sheet_state == "hidden"
    sheet = book["项目支出绩效目标表"]
    fields = [c.value for c in sheet[3]]
    goal, target, total = (sheet.cell(row=r, column=fields.index(n) + 1) for r, n in ((4, "goal"), (5, "target_value"), (5, "total")))
    assert goal.value == '\'=HYPERLINK("http://127.0.0.1/x","点击")' and goal.data_type == "s"
    assert target.value == "'-5%" and target.data_type == "s"
    assert total.value == -1738000.5 and total.data_type == "n" and total.number_format == "0.0"   # the CSV text: -1738000.5
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    back = convert_file(path).disclosure.tables["project_performance_targets"]
    assert rows_of(back) == rows_of(table)


def test_row_added_by_hand_keeps_its_workbook_place(tmp_path):
    """A row the 数据包 sheet does not list (its code edited) keeps the workbook's row number
    and sheet position and stays where it stood; the other rows keep the document's."""
    original = read_package(PACKAGES / "110101-01075003-2021-budget")
    path = export_workbook(original, tmp_path / "export.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["部门支出总表"]
    target = next(c for row in sheet.iter_rows() for c in row if c.value == "2080501")
    target.value = "2080599"
    book.save(path)
    back = convert_file(path).disclosure.tables["expenditure_summary"]
    table = original.tables["expenditure_summary"]
    ids = [r.row_id for r in table.rows]
    assert [r.row_id for r in back.rows] == [("2080599" if i == "2080501" else i) for i in ids]
    edited = back.row("2080599")
    assert (edited.source_line, edited.source_page) == (target.row, book.sheetnames.index("部门支出总表") + 1)
    assert all((r.source_line, r.source_page) == (table.row(r.row_id).source_line, None) for r in back.rows if r.row_id != "2080599")


def test_edited_package_sheet_is_a_clear_error(tmp_path):
    original = read_package(PACKAGES / "110101-01075003-2021-budget")
    path = export_workbook(original, tmp_path / "export.xlsx")
    book = openpyxl.load_workbook(path)
    book["数据包"]["F3"] = "{not json"
    book.save(path)
    with pytest.raises(ConversionError, match=r"export\.xlsx: sheet '数据包' row 3: .*must not be edited"):
        convert_file(path)


def test_template_has_no_package_sheet(tmp_path):
    book = openpyxl.load_workbook(write_template("final_accounts", tmp_path / "t.xlsx", year=2025))
    assert "数据包" not in book.sheetnames and not any("绩效" in name for name in book.sheetnames)


def test_export_xlsx_help_says_what_is_not_kept():
    from click.testing import CliRunner

    from opendata.cli import main

    text = " ".join(CliRunner().invoke(main, ["export-xlsx", "--help"]).output.split())
    assert "source_line and source_page" in text and "performance tables" in text
    assert "Not kept: the source document" in text and "`created`" in text and "`conversion`" in text and "`version`" in text


def test_narrative_with_tabs_and_table_like_lines_round_trips(tmp_path):
    """Found by a new user: narrative text holding tab-separated lines (项目\\t预算数\\t绩效目标)
    came back as a table, and the rows after it were lost; text is kept exactly, spaces too."""
    original = read_package(PACKAGES / SEEDS[0])
    narrative = original.tables["narrative"]
    narrative.rows[0].values["text"] = "项目\t预算数（单位：万元）\t绩效目标\n信息化运维\t12.50\t按期完成 "
    narrative.rows[1].values["text"] = "  前后有空格的说明\u00a0"
    export_workbook(original, tmp_path / "book.xlsx")
    back = convert_file(tmp_path / "book.xlsx").disclosure
    assert [r.values for r in back.tables["narrative"].rows] == [r.values for r in narrative.rows]
    assert set(back.tables) == set(original.tables)
