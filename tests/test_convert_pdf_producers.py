"""PDFs as real producers make them (issue #11), each built in the test from the expenditure table of
test_convert_pdf_edges and compared with the clean original: text drawn twice a fraction of a point apart
to fake bold, pages stored rotated with /Rotate 90/180/270, fonts without a Unicode map (refused, exit 2,
nothing written), owner-password AES-256 encryption, and amounts printed as bracketed negatives "(28.65)"
in PDF, text, Excel and Word. The probe files of ../shared/probes are converted too when present."""
from __future__ import annotations

import math
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")
pikepdf = pytest.importorskip("pikepdf")

from reportlab.pdfgen import canvas  # noqa: E402

from opendata.convert import ConversionError, convert_file  # noqa: E402
from opendata.convert.pdf import pdf_lines  # noqa: E402
from opendata.convert.pdf_page import check_unicode, text_direction, unreadable  # noqa: E402
from opendata.money import is_amount, parse_amount, printed_decimals  # noqa: E402

from .test_convert_pdf_edges import (  # noqa: E402
    EXP_COLUMNS, EXP_EXPECTED, EXP_HEADER, EXP_ROWS, FONT, PAGE_HEIGHT, SIZE, check_amounts, draw_table, page_head,
)

OPENDATA = Path(sys.executable).parent / "opendata"
PROBES = Path(__file__).resolve().parents[2] / "shared" / "probes"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "references" / "pdf" / "04_shpt_shangwuwei_2025_dept_budget.pdf"


class OverprintingCanvas(canvas.Canvas):
    """A canvas that draws every string `copies` times, `step` points apart (right and down), as producers fake bold."""

    copies, step = 2, 0.25

    def drawString(self, x, y, text, *args, **kwargs):  # noqa: N802 - reportlab's name
        for n in range(self.copies):
            super().drawString(x + n * self.step, y - n * self.step, text, *args, **kwargs)

    def drawRightString(self, x, y, text, *args, **kwargs):  # noqa: N802
        for n in range(self.copies):
            super().drawRightString(x + n * self.step, y - n * self.step, text, *args, **kwargs)

    def drawCentredString(self, x, y, text, *args, **kwargs):  # noqa: N802
        for n in range(self.copies):
            super().drawCentredString(x + n * self.step, y - n * self.step, text, *args, **kwargs)


def expenditure_pdf(path: Path, borders: bool, rows=EXP_ROWS, canvas_class=canvas.Canvas) -> Path:
    """The one-table budget of test_convert_pdf_edges (某某区某某中心 2024 部门支出总表), with or without borders."""
    c = canvas_class(str(path), pagesize=(595, PAGE_HEIGHT))
    c.setFont(FONT, SIZE)
    top = page_head(c, "2024年部门支出总表")
    draw_table(c, top, EXP_COLUMNS, EXP_HEADER, rows, borders)
    c.drawString(50, PAGE_HEIGHT - 400, "注：本表金额单位为元。")
    c.showPage()
    c.save()
    return path


def table_values(disclosure) -> dict:
    """table id -> row id -> (row type, non-empty values): what two conversions of the same document share."""
    return {tid: {r.row_id: (r.row_type, {k: v for k, v in r.values.items() if v not in (None, "")}) for r in t.rows}
            for tid, t in disclosure.tables.items()}


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([OPENDATA, *map(str, args)], capture_output=True, text=True, timeout=300)


# -- 1. text drawn twice to fake bold ---------------------------------------------------

@pytest.mark.parametrize("copies, step", [(2, 0.25), (3, 0.3), (2, 0.8)], ids=["twice_0.25pt", "thrice_0.3pt", "twice_0.8pt"])
@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_overprinted_text_reads_as_the_clean_original(tmp_path, borders, copies, step):
    class Overprinting(OverprintingCanvas):
        pass
    Overprinting.copies, Overprinting.step = copies, step
    clean = convert_file(expenditure_pdf(tmp_path / "clean.pdf", borders)).disclosure
    path = expenditure_pdf(tmp_path / "bold.pdf", borders, canvas_class=Overprinting)
    bold = convert_file(path).disclosure
    assert (bold.unit_name, bold.fiscal_year, bold.stage) == ("某某区某某中心", 2024, "budget")
    check_amounts(bold.tables["expenditure_summary"], EXP_EXPECTED)
    assert table_values(bold) == table_values(clean)


def test_overprinting_keeps_repeated_characters(tmp_path):
    """'11', '00', '1,111,100.00' and '2010101' are printed twice: each character is read once, a character
    printed twice in a row by the text itself stays twice."""
    rows = [["", "合计", "1,111,100.00", "1,111,100.00", ""],
            ["201", "一般公共服务支出", "1,111,100.00", "1,111,100.00", ""],
            ["20101", "人大事务", "1,111,100.00", "1,111,100.00", ""],
            ["2010101", "行政运行", "1,111,100.00", "1,111,100.00", ""]]
    path = expenditure_pdf(tmp_path / "bold.pdf", False, rows=rows, canvas_class=OverprintingCanvas)
    text = "\n".join(line.text for line in pdf_lines(path, path.read_bytes())[0])
    assert "2010101\t行政运行\t1,111,100.00\t1,111,100.00" in text, text
    table = convert_file(path).disclosure.tables["expenditure_summary"]
    assert {r.row_id: r.values["total"] for r in table.rows} == {
        "total": Decimal("1111100.00"), "201": Decimal("1111100.00"), "20101": Decimal("1111100.00"), "2010101": Decimal("1111100.00")}


# -- 2. pages stored rotated ------------------------------------------------------------

def stored_rotated(source: Path, target: Path, rotate: int, set_rotate: bool = True) -> Path:
    """`source` with every page's content drawn through a rotated matrix (cos/sin computed in floating point,
    as producers do, so 90° leaves noise of 1e-17) inside a MediaBox turned to match, and /Rotate set so that
    the page displays as the original; without `set_rotate` the page displays turned (content printed sideways)."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            width, height = float(page.mediabox[2]), float(page.mediabox[3])
            angle = math.radians(rotate)
            cos, sin = math.cos(angle), math.sin(angle)
            # displayed (u, v) -> stored (x, y): the content turned counter-clockwise by `rotate` degrees and moved
            # back into the box; the reader's clockwise /Rotate turns it upright again
            a, b, c, d = cos, sin, -sin, cos
            stored_w, stored_h = (height, width) if rotate in (90, 270) else (width, height)
            e, f = {90: (stored_w, 0), 180: (stored_w, stored_h), 270: (0, stored_h)}[rotate]
            page.mediabox = [0, 0, stored_w, stored_h]
            page.contents_add(pikepdf.Stream(pdf, ("q " + " ".join(f"{v:.20f}" for v in (a, b, c, d, e, f)) + " cm\n").encode()), prepend=True)
            page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))
            if set_rotate:
                page.obj.Rotate = rotate
        pdf.save(target)
    return target


@pytest.mark.parametrize("rotate", [90, 180, 270])
@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_page_stored_rotated_reads_upright(tmp_path, borders, rotate):
    clean_path = expenditure_pdf(tmp_path / "clean.pdf", borders)
    rotated = stored_rotated(clean_path, tmp_path / f"rotated{rotate}.pdf", rotate)
    import pdfplumber
    with pdfplumber.open(rotated) as pdf:
        assert pdf.pages[0].rotation == rotate
    clean = convert_file(clean_path).disclosure
    turned = convert_file(rotated).disclosure
    check_amounts(turned.tables["expenditure_summary"], EXP_EXPECTED)
    assert table_values(turned) == table_values(clean)
    assert pdf_lines(rotated, rotated.read_bytes())[0] == pdf_lines(clean_path, clean_path.read_bytes())[0]


@pytest.mark.parametrize("rotate", [90, 180, 270])
@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_content_printed_sideways_reads_as_the_reader_turns_the_page(tmp_path, borders, rotate):
    """No /Rotate: the table itself is drawn turned (a landscape table printed sideways on a portrait sheet)."""
    clean_path = expenditure_pdf(tmp_path / "clean.pdf", borders)
    sideways = stored_rotated(clean_path, tmp_path / f"sideways{rotate}.pdf", rotate, set_rotate=False)
    import pdfplumber
    with pdfplumber.open(sideways) as pdf:
        assert pdf.pages[0].rotation == 0 and text_direction(pdf.pages[0].chars[0]) == {90: "up", 180: "left", 270: "down"}[rotate]
    turned = convert_file(sideways).disclosure
    check_amounts(turned.tables["expenditure_summary"], EXP_EXPECTED)
    assert table_values(turned) == table_values(convert_file(clean_path).disclosure)


# -- 3. fonts without a Unicode map -----------------------------------------------------

def without_unicode_map(source: Path, target: Path, private_use: bool = False) -> Path:
    """`source` with its CJK font's codes read as glyph ids (Identity-H, Adobe-Identity): no Unicode map, so the
    text extracts as (cid:N); with `private_use`, a ToUnicode map sending every code to the private-use area."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            for _, font in page.resources.Font.items():
                if font.get("/Subtype") != "/Type0":
                    continue
                font.Encoding = pikepdf.Name("/Identity-H")
                font.DescendantFonts[0].CIDSystemInfo = pikepdf.Dictionary(
                    Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0)
                if private_use:
                    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /PUA def "
                            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                            + "".join(f"1 beginbfrange <{hi:02X}00> <{hi:02X}FF> <E{hi % 0x19:02X}00> endbfrange\n" for hi in range(256))
                            + "endcmap CMapName currentdict /CMap defineresource pop end end")
                    font.ToUnicode = pikepdf.Stream(pdf, cmap.encode())
        pdf.save(target)
    return target


@pytest.mark.parametrize("private_use", [False, True], ids=["cid", "private_use"])
def test_font_without_unicode_map_is_refused(tmp_path, private_use):
    clean = expenditure_pdf(tmp_path / "clean.pdf", True)
    path = without_unicode_map(clean, tmp_path / "garbled.pdf", private_use)
    with pytest.raises(ConversionError, match=r"page 1: the font has no Unicode map; the text cannot be read \(OCR would be needed\)"):
        convert_file(path)
    out = tmp_path / "out"
    result = run("convert", path, "--out", out)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "garbled.pdf" in result.stderr and "page 1" in result.stderr, result.stderr
    assert not out.exists()


def test_a_few_unmapped_symbols_do_not_refuse_a_page():
    """Unit check of the threshold on real character dicts: two bullets of a symbol font among readable text pass;
    a page mostly (cid:N) does not."""
    text = [{"text": ch} for ch in "一般公共服务支出1,500,000.00行政运行1,000,000.00"]
    check_unicode(text + [{"text": "(cid:3)"}, {"text": "\uf0b7"}], Path("x.pdf"), 3)
    with pytest.raises(ConversionError, match="x.pdf: page 3: the font has no Unicode map"):
        check_unicode(text[:5] + [{"text": f"(cid:{n})"} for n in range(20)], Path("x.pdf"), 3)
    assert unreadable("(cid:12)") and unreadable("\ue001") and unreadable("\ufffd") and not unreadable("（")


# -- 4. owner password, AES-256 ---------------------------------------------------------

@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_owner_password_aes256_converts_as_the_original(tmp_path, borders):
    clean_path = expenditure_pdf(tmp_path / "clean.pdf", borders)
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(clean_path) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner-secret", user="", aes=True, R=6,
                                                       allow=pikepdf.Permissions(extract=False, modify_other=False)))
    with pikepdf.open(locked) as pdf:
        assert pdf.is_encrypted and pdf.encryption.R == 6
    assert table_values(convert_file(locked).disclosure) == table_values(convert_file(clean_path).disclosure)


# -- 5. bracketed negatives -------------------------------------------------------------

def test_bracketed_amounts_are_negative_and_bracketed_text_is_not_an_amount():
    assert parse_amount("(28.65)") == Decimal("-28.65")
    assert parse_amount("（28.65）", "万元") == Decimal("-286500")
    assert parse_amount("(1,234)") == Decimal("-1234")
    assert parse_amount("( 1,200.50 )") == Decimal("-1200.50")
    assert printed_decimals("(28.65)") == 2
    for text in ("(一)", "（一）", "（2026年）", "(3)", "（12）", "(2010101)", "(28.65", "28.65)", "()", "(-28.65)"):
        assert not is_amount(text), text


NEGATIVE_ROWS = [
    ["", "合计", "1,471,350.00", "971,350.00", "500,000.00"],
    ["201", "一般公共服务支出", "1,471,350.00", "971,350.00", "500,000.00"],
    ["20101", "人大事务", "1,471,350.00", "971,350.00", "500,000.00"],
    ["2010101", "行政运行", "1,000,000.00", "1,000,000.00", ""],
    ["2010102", "一般行政管理事务", "500,000.00", "", "500,000.00"],
    ["2010103", "机关服务", "(28,650.00)", "（28,650.00）", ""],
]


@pytest.mark.parametrize("borders", [False, True], ids=["no_borders", "borders"])
def test_bracketed_negatives_in_a_pdf(tmp_path, borders):
    path = expenditure_pdf(tmp_path / "negative.pdf", borders, rows=NEGATIVE_ROWS)
    result = convert_file(path)
    rows = {r.row_id: r.values for r in result.disclosure.tables["expenditure_summary"].rows}
    assert rows["2010103"]["total"] == Decimal("-28650.00") and rows["2010103"]["basic"] == Decimal("-28650.00")
    assert rows["total"]["total"] == Decimal("1471350.00")
    assert not [w for w in result.warnings if "not converted" in w], result.warnings


def test_bracketed_negatives_in_excel_and_word(tmp_path):
    import docx
    import openpyxl

    header = [["某某区某某局2024年部门预算"], ["2024年部门支出总表"], ["单位名称：某某区某某局", None, None, "单位：元"],
              ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
    body = [["", "合计", "971.35", "971.35", ""], ["2010101", "行政运行", "1,000.00", "1,000.00", ""],
            ["2010103", "机关服务", "(28.65)", "（28.65）", ""]]
    book = openpyxl.Workbook()
    for row in header + body:
        book.active.append(row)
    book.save(tmp_path / "budget.xlsx")
    document = docx.Document()
    for line in header[:3]:
        document.add_paragraph(" ".join(c for c in line if c))
    table = document.add_table(rows=4, cols=5)
    for r, row in enumerate(header[3:] + body):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(tmp_path / "budget.docx")
    for name in ("budget.xlsx", "budget.docx"):
        rows = {r.row_id: r.values for r in convert_file(tmp_path / name).disclosure.tables["expenditure_summary"].rows}
        assert rows["2010103"]["total"] == Decimal("-28.65") and rows["2010103"]["basic"] == Decimal("-28.65"), (name, rows)


# -- the probe files ----------------------------------------------------------------------

def probe(name: str) -> Path:
    path = PROBES / name
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path


def test_probe_overprinted_text():
    d = convert_file(probe("overprinted_text.pdf")).disclosure
    assert (d.unit_name, d.fiscal_year, d.stage) == ("某某区某某中心", 2024, "budget")
    check_amounts(d.tables["expenditure_summary"], EXP_EXPECTED)


@pytest.mark.parametrize("name", ["rotated_pages.pdf", "owner_password_aes256.pdf"])
def test_probe_converts_as_its_clean_original(name):
    path = probe(name)
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is not here")
    original, probed = convert_file(REFERENCE), convert_file(path)
    assert table_values(probed.disclosure) == table_values(original.disclosure)
    # 157 rows of the money tables (the 三公 table's 合计 and 公务接待费 lines, 机关运行经费 in operating_costs),
    # 44 narrative sections and 5 key figures (as read off the document)
    assert sum(len(t.rows) for t in probed.disclosure.tables.values()) == 206
    assert len(probed.warnings) == len(original.warnings)


def test_probe_parenthesised_negatives():
    result = convert_file(probe("parenthesised_negatives.txt"))
    rows = {r.row_id: r.values for r in result.disclosure.tables["expenditure_summary"].rows}
    assert [rows["2101102"][k] for k in ("total", "basic")] == [Decimal("-286500"), Decimal("-286500")]
    assert not [w for w in result.warnings if "28.65" in w], result.warnings
