"""PDF converter: the two reference PDFs (tables, row counts, totals, cells read off the
rendered pages by hand) and bad files (corrupt, scanned, encrypted)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")

from opendata.convert import ConversionError, convert_file  # noqa: E402
from tests.documents import lines  # noqa: E402

REFS = Path(__file__).resolve().parents[2] / "shared" / "references" / "pdf"
FINAL = REFS / "01_shpt_caizhengju_2024_final.pdf"
BUDGET = REFS / "04_shpt_shangwuwei_2025_dept_budget.pdf"

WAN = Decimal(10000)


def _convert(path):
    if not path.exists():
        pytest.skip(f"reference {path.name} not available")
    return convert_file(path)


@pytest.fixture(scope="module")
def final():
    return _convert(FINAL)


@pytest.fixture(scope="module")
def budget():
    return _convert(BUDGET)


def row(table, **match):
    found = [r for r in table.rows if all(r.values.get(k) == v for k, v in match.items())]
    assert found, f"no row {match} in {table.table_id}"
    return found[0]


def total(table, side=None):
    rows = [r for r in table.rows if r.row_type == "total" and r.values.get("side") == side]
    assert rows, f"no total row in {table.table_id}"
    return rows[-1]


def items_sum(table, measure, level=3):
    return sum((r.values.get(measure) or 0) for r in table.rows
               if r.values.get("function_code") and len(r.values["function_code"]) == level)


# -- 2024 final accounts, 万元 ------------------------------------------------------

FINAL_TABLES = {"income_expenditure_summary", "income_summary", "expenditure_summary", "fiscal_appropriation_summary",
                "general_budget_expenditure", "general_budget_basic_expenditure", "three_public_expenses",
                "government_fund_expenditure", "state_capital_expenditure"}


def test_final_metadata(final):
    d = final.disclosure
    assert (d.unit_name, d.fiscal_year, d.stage, d.money_unit) == ("上海市普陀区财政局", 2024, "final_accounts", "万元")
    assert FINAL_TABLES <= set(d.tables)
    assert all(d.tables[t].money_unit == "万元" for t in FINAL_TABLES)


def test_final_row_counts(final):
    t = final.disclosure.tables
    assert len(t["income_summary"].rows) == 20       # 合计 + 19 function rows (pages 8-9, one table)
    assert len(t["expenditure_summary"].rows) == 20
    assert len(t["general_budget_expenditure"].rows) == 20
    assert t["income_summary"].pages == [8, 9]
    assert len(t["general_budget_basic_expenditure"].rows) == 66   # two column blocks unfolded, pages 16-17
    assert t["government_fund_expenditure"].rows == [] or all(r.row_type == "total" for r in t["government_fund_expenditure"].rows)


def test_final_totals_reconcile(final):
    t = final.disclosure.tables
    inc = t["income_summary"]
    assert total(inc).values["total"] == Decimal("2946.25") * WAN
    # the document's own 类 rows add up to 2,946.26 (财政拨款 2,940.06) against its printed 合计
    # 2,946.25 (2,940.05): rounding in 万元, so the sum is checked to 0.01万元
    assert abs(items_sum(inc, "total") - total(inc).values["total"]) <= Decimal("0.01") * WAN
    exp = t["expenditure_summary"]
    assert total(exp).values["total"] == Decimal("2940.05") * WAN
    assert total(exp).values["basic"] + total(exp).values["project"] == total(exp).values["total"]
    gb = t["general_budget_expenditure"]
    assert total(gb).values["total"] == Decimal("2940.05") * WAN
    # same rounding as above: the 类 rows sum to 2,940.06 万元 against the printed 2,940.05
    assert abs(items_sum(gb, "total") - total(gb).values["total"]) <= Decimal("0.01") * WAN
    assert items_sum(gb, "project") == total(gb).values["project"]   # where the document agrees, exactly
    summary = t["income_expenditure_summary"]
    assert total(summary, "income").values["total"] == total(summary, "expenditure").values["total"] == Decimal("2995.39") * WAN
    fa = t["fiscal_appropriation_summary"]
    assert total(fa, "income").values["total"] == Decimal("2961.68") * WAN


def test_final_cells_read_by_hand(final):
    t = final.disclosure.tables
    inc, exp, gb, basic = t["income_summary"], t["expenditure_summary"], t["general_budget_expenditure"], t["general_budget_basic_expenditure"]
    hand = [  # page 8
        (row(inc, function_code="201").values["total"], "2112.86"),
        (row(inc, function_code="201").values["other_income"], "6.20"),
        (row(inc, function_code="2010601").values["total"], "1511.90"),
        (row(inc, function_code="2010601").values["fiscal_appropriation"], "1511.89"),
        (row(inc, function_code="2010601").values["other_income"], "0.01"),
        (row(inc, function_code="2010602").values["other_income"], "6.19"),
        (row(inc, function_code="2080505").values["fiscal_appropriation"], "160.75"),
        (row(inc, function_code="2210203").values["total"], "258.50"),   # page 9
        # page 10
        (row(exp, function_code="2010601").values["basic"], "1503.52"),
        (row(exp, function_code="2010601").values["project"], "8.37"),
        (row(exp, function_code="2010608").values["project"], "449.52"),
        (row(exp, function_code="2080599").values["basic"], "0.94"),
        # page 15
        (row(gb, function_code="201").values["basic"], "1503.52"),
        (row(gb, function_code="201").values["project"], "603.14"),
        (row(gb, function_code="2210201").values["total"], "187.19"),
        (row(gb, function_code="2101101").values["total"], "60.99"),
        # pages 16-17 (two column blocks)
        (row(basic, item="津贴补贴").values["total"], "1238.58"),
        (row(basic, item="住房公积金").values["total"], "187.19"),
        (row(basic, item="工会经费").values["total"], "24.42"),
        (row(basic, item="办公设备购置").values["total"], "13.58"),
        (row(basic, item="人员经费合计").values["total"], "2152.26"),
        (row(basic, item="公用经费合计").values["total"], "184.65"),
        (row(t["income_expenditure_summary"], item="年初结转和结余", side="income").values["total"], "49.14"),
        (row(t["income_expenditure_summary"], item="年末结转和结余", side="expenditure").values["total"], "55.34"),
    ]
    for got, printed in hand:
        assert got == Decimal(printed) * WAN, (got, printed)
    # a wrapped label is one label; source page per row
    assert row(inc, function_code="2080505").values["item"] == "机关事业单位基本养老保险缴费支出"
    assert row(inc, function_code="2210203").source_page == 9


# -- 2025 budget, 元 and 万元 -------------------------------------------------------

BUDGET_TABLES = FINAL_TABLES


def test_budget_metadata(budget):
    d = budget.disclosure
    assert (d.unit_name, d.fiscal_year, d.stage) == ("上海市普陀区商务委员会", 2025, "budget")
    assert BUDGET_TABLES <= set(d.tables)
    assert d.tables["income_summary"].money_unit == "元"
    assert d.tables["three_public_expenses"].money_unit == "万元"


def test_budget_row_counts_and_totals(budget):
    t = budget.disclosure.tables
    for table_id in ("income_summary", "expenditure_summary", "general_budget_expenditure"):
        table = t[table_id]
        assert len(table.rows) == 31, table_id
        assert total(table).values["total"] == Decimal("371514655.00")
        assert items_sum(table, "total") == total(table).values["total"]
    gb = t["general_budget_expenditure"]
    assert gb.pages == [15, 16]                     # continued with a repeated header
    basic = t["general_budget_basic_expenditure"]
    assert len(basic.rows) == 31
    assert total(basic).values["total"] == Decimal("19830655.00")
    assert total(basic).values["personnel"] + total(basic).values["public_use"] == total(basic).values["total"]
    summary = t["income_expenditure_summary"]
    assert total(summary, "income").values["total"] == total(summary, "expenditure").values["total"] == Decimal("371514655.00")
    three = t["three_public_expenses"]
    assert total(three).values["total"] == Decimal("1.00") * WAN
    assert total(t["operating_costs"]).values["total"] == Decimal("171.01") * WAN   # printed beside the 三公 figures


def test_budget_cells_read_by_hand(budget):
    t = budget.disclosure.tables
    inc, exp, gb, basic = t["income_summary"], t["expenditure_summary"], t["general_budget_expenditure"], t["general_budget_basic_expenditure"]
    hand = [
        (row(inc, function_code="2011301").values["total"], "9389913.00"),
        (row(inc, function_code="2011350").values["fiscal_appropriation"], "2901820.00"),
        (row(inc, function_code="2080502").values["total"], "17280.00"),
        (row(inc, function_code="2150899").values["total"], "293810000.00"),
        (row(exp, function_code="201").values["basic"], "12291733.00"),
        (row(exp, function_code="201").values["project"], "9310000.00"),
        (row(exp, function_code="2011399").values["project"], "4765000.00"),
        (row(exp, function_code="2060503").values["project"], "17200000.00"),
        (row(exp, function_code="2101102").values["basic"], "249862.00"),
        (row(gb, function_code="2080599").values["total"], "13260.00"),          # page 16
        (row(gb, function_code="2210203").values["basic"], "1488000.00"),
        (row(basic, item="基本工资").values["personnel"], "1952616.00"),
        (row(basic, item="津贴补贴").values["total"], "7533376.00"),
        (row(basic, item="差旅费").values["public_use"], "80000.00"),            # page 20
        (row(basic, item="工会经费").values["total"], "194962.00"),
        (row(basic, item="福利费").values["public_use"], "423360.00"),
        (row(basic, item="离休费").values["personnel"], "251936.00"),
        (row(basic, item="退休费").values["personnel"], "1197600.00"),
        (row(basic, item="办公设备购置").values["public_use"], "78000.00"),
        (row(t["income_expenditure_summary"], item="二、科学技术支出", side="expenditure").values["total"], "17200000.00"),
        (row(t["fiscal_appropriation_summary"], item="五、资源勘探工业信息等支出", side="expenditure").values["general_budget"], "293810000.00"),
        (row(t["three_public_expenses"], line="reception").values["total"], "10000.00"),
    ]
    for got, printed in hand:
        assert got == Decimal(printed), (got, printed)
    assert row(basic, item="差旅费").source_page == 20


# -- bad files ---------------------------------------------------------------------

def test_corrupt_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00garbage" * 50)
    with pytest.raises(ConversionError, match="corrupt|损坏"):
        convert_file(path)


def test_not_a_pdf(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a pdf")
    with pytest.raises(ConversionError, match="not a PDF"):
        convert_file(path)


def test_scanned_pdf(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 550, 300), outline="black")
    path = tmp_path / "scan.pdf"
    image.save(path, "PDF", resolution=72)
    with pytest.raises(ConversionError, match="no text layer"):
        convert_file(path)


def _encrypted_pdf() -> bytes:
    """A one-page PDF with a standard security handler (RC4, revision 2) whose user
    password is not empty: readers cannot open it without the password."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<" % (len(objects) + 1) + b"ab" * 16 + b"> <" + b"ab" * 16 + b">] >>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return out


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    with pytest.raises(ConversionError, match="encrypted"):
        convert_file(path)


def test_final_three_public_budget_and_actual_pairs(final):
    """Page 18 prints 预算数 / 决算数 pairs under each heading; only 合计 and 公务接待费 have a
    budget (0.95 万元) and nothing was spent (the narrative: 年初预算 0.95 万元, 决算 0.00 万元)."""
    got = lines(final.disclosure.tables["three_public_expenses"])
    assert got == {"total": {"budget_initial": Decimal("9500.00")}, "reception": {"budget_initial": Decimal("9500.00")}}
