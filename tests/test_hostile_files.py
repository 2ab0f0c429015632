"""Hostile input: documents that inflate hugely (input limits of `opendata convert`),
cells that Excel would run as formulas, control characters and wrong encodings in a
package's CSV files (validation findings, never a crash)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from opendata.convert import ConversionError, LimitError, Limits, convert_file

OPENDATA = Path(sys.executable).parent / "opendata"
MB = 1024 * 1024


def run(*args, env=None) -> subprocess.CompletedProcess:
    import os
    return subprocess.run([OPENDATA, *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


# -- building bombs, lazily ---------------------------------------------------------

def deflated(chunk: bytes, times: int) -> bytes:
    """`chunk` repeated `times` times, deflated, without ever holding the inflated bytes."""
    packer = zlib.compressobj(9)
    return b"".join(packer.compress(chunk) for _ in range(times)) + packer.flush()


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def flate_bomb_pdf(path: Path, inflated_mb: int) -> Path:
    """One page whose content stream inflates to `inflated_mb` MB of spaces."""
    content = deflated(b" " * MB, inflated_mb)
    path.write_bytes(pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        stream(content, b"/Filter /FlateDecode"),
    ]))
    return path


def many_pages_pdf(path: Path, pages: int, declared: int | None = None) -> Path:
    """`pages` pages sharing one small content stream; the page tree declares `declared`."""
    first = 4
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, declared if declared is not None else pages),
        stream(b"BT ET"),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    path.write_bytes(pdf_bytes(objects))
    return path


DOCX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                           '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                           '<Default Extension="xml" ContentType="application/xml"/>'
                           '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
}


def docx_bomb(path: Path, inflated_mb: int) -> Path:
    """A .docx whose word/document.xml inflates to `inflated_mb` MB (empty paragraphs),
    written in a stream: neither the XML nor the zip is ever held whole."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in DOCX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            block = b"<w:p/>" * (MB // 6)
            for _ in range(inflated_mb):
                member.write(block)
            member.write(b"</w:body></w:document>")
    return path


def lie_about_sizes(path: Path, member: str, size: int) -> Path:
    """Rewrite the inflated size that the zip declares for `member` (local header and central
    directory) to `size`: the zip then lies about how much it inflates to."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    # central directory entry: signature PK\1\2, uncompressed size at offset 24
    at = data.find(b"PK\x01\x02", 0)
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + name_length] == name:
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    # zip64 extra fields carry the real sizes: point them at the lie too
    extra_at = data.find(b"\x01\x00", info.header_offset + 30 + len(name), info.header_offset + 30 + len(name) + 4)
    if extra_at != -1:
        struct.pack_into("<Q", data, extra_at + 4, size)
    path.write_bytes(bytes(data))
    return path


# -- 1. input limits -------------------------------------------------------------------

def test_pdf_flate_bomb_is_refused_by_the_page_stream_limit(tmp_path):
    bomb = flate_bomb_pdf(tmp_path / "bomb.pdf", 200)
    assert bomb.stat().st_size < MB
    with pytest.raises(LimitError) as caught:
        convert_file(bomb, Limits(max_page_stream_mb=16, max_memory_mb=0))
    message = str(caught.value)
    for part in ("bomb.pdf page 1", "max_page_stream_mb", "16", "--max-page-stream-mb", "OPENDATA_MAX_PAGE_STREAM_MB"):
        assert part in message, message


def test_pdf_flate_bomb_through_the_cli_with_the_limit_from_the_environment(tmp_path):
    bomb = flate_bomb_pdf(tmp_path / "bomb.pdf", 200)
    out = tmp_path / "out"
    result = run("convert", bomb, "--out", out, env={"OPENDATA_MAX_PAGE_STREAM_MB": "20"})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "bomb.pdf page 1" in result.stderr and "20 MB" in result.stderr, result.stderr
    assert not out.exists()


def test_the_memory_cap_stops_what_the_other_limits_let_through(tmp_path):
    import pdfplumber  # noqa: F401  (imported before the fork, as the CLI has it)

    bomb = flate_bomb_pdf(tmp_path / "bomb.pdf", 300)
    with pytest.raises(LimitError) as caught:
        convert_file(bomb, Limits(max_page_stream_mb=100_000, max_memory_mb=96))
    message = str(caught.value)
    assert "max_memory_mb" in message and "--max-memory-mb" in message and "96" in message, message


def test_the_memory_cap_worker_gives_back_results_and_errors(tmp_path):
    from tests.seeds import seed_path

    source = seed_path("000")
    capped = convert_file(source, Limits(max_memory_mb=1024))
    direct = convert_file(source, Limits(max_memory_mb=0))
    assert capped.warnings == direct.warnings
    assert capped.disclosure.tables.keys() == direct.disclosure.tables.keys()
    for table_id, table in direct.disclosure.tables.items():
        assert capped.disclosure.tables[table_id].rows == table.rows
    empty = tmp_path / "empty.txt"
    empty.write_text(" ", encoding="utf-8")
    with pytest.raises(ConversionError, match="empty"):
        convert_file(empty, Limits(max_memory_mb=1024))


def test_pdf_page_count_limit(tmp_path):
    many = many_pages_pdf(tmp_path / "many.pdf", 600)
    with pytest.raises(LimitError, match=r"declares 600 pages.*max_pages"):
        convert_file(many, Limits(max_pages=500, max_memory_mb=0))
    lying = many_pages_pdf(tmp_path / "lying.pdf", 600, declared=1)
    with pytest.raises(LimitError, match=r"has 600 pages.*--max-pages"):
        convert_file(lying, Limits(max_pages=500, max_memory_mb=0))


def test_docx_bomb_is_refused_by_the_inflated_size_limit(tmp_path):
    bomb = docx_bomb(tmp_path / "bomb.docx", 200)
    assert bomb.stat().st_size < 2 * MB
    with pytest.raises(LimitError) as caught:
        convert_file(bomb, Limits(max_inflated_mb=50, max_memory_mb=0))
    message = str(caught.value)
    for part in ("bomb.docx", "max_inflated_mb", "50", "--max-inflated-mb", "OPENDATA_MAX_INFLATED_MB"):
        assert part in message, message
    as_xlsx = shutil.copy(bomb, tmp_path / "bomb.xlsx")
    with pytest.raises(LimitError, match="max_inflated_mb"):
        convert_file(as_xlsx, Limits(max_inflated_mb=50, max_memory_mb=0))


def test_a_zip_that_lies_about_its_inflated_size_is_refused(tmp_path):
    bomb = lie_about_sizes(docx_bomb(tmp_path / "liar.docx", 100), "word/document.xml", 1000)
    with zipfile.ZipFile(bomb) as archive:
        assert sum(info.file_size for info in archive.infolist()) < 50 * MB
    with pytest.raises(ConversionError, match="liar.docx"):
        convert_file(bomb, Limits(max_inflated_mb=50, max_memory_mb=0))


def test_bad_limit_values_are_refused_by_the_cli(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text("x", encoding="utf-8")
    result = run("convert", source, "--out", tmp_path / "out", "--max-pages", "-3")
    assert result.returncode == 2 and "--max-pages" in result.stderr and "Traceback" not in result.stderr
    result = run("convert", source, "--out", tmp_path / "out", env={"OPENDATA_MAX_MEMORY_MB": "lots"})
    assert result.returncode == 2 and "OPENDATA_MAX_MEMORY_MB" in result.stderr and "Traceback" not in result.stderr


# -- 2. formula injection --------------------------------------------------------------

PACKAGES = Path(__file__).resolve().parents[1] / "datapackages"
DONGCHENG = PACKAGES / "110101-01075003-2021-budget"
FORMULAS = {
    "208": '=HYPERLINK("http://127.0.0.1/x","点击")',
    "20801": "@SUM(1+1)",
    "2080109": "+86 10 1234",
    "20805": "-其中：离退休",
}
NARRATIVE_FORMULA = "=cmd|' /C calc'!A0"


def formula_package(tmp_path) -> Path:
    """The Dongcheng package with items that begin like formulas, a narrative paragraph
    that is a formula, an escaped-looking text and a negative amount."""
    from opendata.package import read_package, write_package

    disclosure = read_package(DONGCHENG)
    table = disclosure.tables["expenditure_summary"]
    for row in table.rows:
        if row.row_id in FORMULAS:
            row.values["item"] = FORMULAS[row.row_id]
    table.row("20801").values["total"] = __import__("decimal").Decimal("-12.5")
    table.row("2080109").values["item"] = "'" + FORMULAS["2080109"]  # already begins with an apostrophe
    FORMULAS["2080109'"] = "'" + FORMULAS["2080109"]
    narrative = disclosure.tables["narrative"]
    narrative.rows[1].values["text"] = NARRATIVE_FORMULA
    return write_package(disclosure, tmp_path / "formulas")


def test_export_xlsx_writes_formula_text_as_escaped_strings_and_converts_back(tmp_path):
    import openpyxl

    from opendata.package import read_package

    package = formula_package(tmp_path)
    out = tmp_path / "export.xlsx"
    result = run("export-xlsx", package, "--out", out)
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell may be a formula"
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in ('=HYPERLINK("http://127.0.0.1/x","点击")', "@SUM(1+1)", "-其中：离退休", NARRATIVE_FORMULA):
        assert text not in texts and "'" + text in texts, text
        assert texts["'" + text].data_type == "s"
    assert "''+86 10 1234" in texts
    assert any(isinstance(c.value, (int, float)) and c.value < 0 and c.data_type == "n" for c in cells), "a negative amount stays a number"
    back = convert_file(out, Limits(max_memory_mb=0)).disclosure
    original = read_package(package)
    items = {r.row_id: r.values.get("item") for r in back.tables["expenditure_summary"].rows}
    for row in original.tables["expenditure_summary"].rows:
        assert items[row.row_id] == row.values.get("item"), row.row_id
    assert back.tables["expenditure_summary"].row("20801").values["total"] == __import__("decimal").Decimal("-12.5")
    assert NARRATIVE_FORMULA in "\n".join(str(r.values.get("text") or "") for r in back.tables["narrative"].rows)


def test_excel_csv_escapes_formula_text_and_keeps_numbers(tmp_path):
    from opendata.ckan import dataset_spec

    package = formula_package(tmp_path)
    spec = dataset_spec(package, excel_csv=True)
    resources = {r.name: r for r in spec.resources}
    canonical = list(csv.DictReader(io.StringIO(resources["expenditure_summary"].data.decode("utf-8"))))
    excel = resources["expenditure_summary-excel"].data
    assert excel.startswith(b"\xef\xbb\xbf")
    rows = {r["row_id"]: r for r in csv.DictReader(io.StringIO(excel[3:].decode("utf-8")))}
    assert rows["208"]["item"] == "'" + FORMULAS["208"]
    assert rows["20801"]["item"] == "'@SUM(1+1)" and rows["20801"]["total"] == "-12.5"
    assert rows["20805"]["item"] == "'-其中：离退休"
    assert {r["row_id"]: r["item"] for r in canonical}["208"] == FORMULAS["208"], "the canonical CSV keeps what was printed"
    narrative = {r["row_id"]: r for r in csv.DictReader(io.StringIO(resources["narrative-excel"].data[3:].decode("utf-8")))}
    assert "'" + NARRATIVE_FORMULA in [r["text"] for r in narrative.values()]
    # a table with nothing to escape keeps its bytes
    assert resources["income_summary-excel"].data == b"\xef\xbb\xbf" + resources["income_summary"].data


def test_validation_reports_formula_like_text(tmp_path):
    from opendata.validate import validate_package

    package = formula_package(tmp_path)
    found = [f for f in validate_package(package).findings if f.rule == "text.formula-like"]
    where = {(f.table, f.row_id, f.location["column"]) for f in found}
    assert {("expenditure_summary", "208", "item"), ("expenditure_summary", "20801", "item"),
            ("expenditure_summary", "20805", "item"), ("narrative", None, "text")} - {(t, r if t != "narrative" else None, c) for t, r, c in where} == set()
    assert all(f.severity == "info" and f.location["file"].startswith("data/") and f.location["row"] for f in found)
    assert not any(f.location["column"] == "total" for f in found), "a negative amount is a number, not formula text"


# -- 3. control characters ---------------------------------------------------------------

def copy_package(tmp_path, name: str = "pkg") -> Path:
    return Path(shutil.copytree(DONGCHENG, tmp_path / name))


def test_control_characters_in_cells_and_descriptor_are_findings(tmp_path):
    from opendata.validate import validate_package

    package = copy_package(tmp_path)
    data = package / "data" / "expenditure_summary.csv"
    text = data.read_text(encoding="utf-8")
    text = text.replace("社会保障和就业支出", "社会保障\x00和就业支出", 1).replace("总计", "总\x7f计", 1)
    data.write_text(text, encoding="utf-8")
    descriptor = package / "datapackage.json"
    raw = descriptor.read_text(encoding="utf-8")
    meta = json.loads(raw)
    # a lone surrogate and a vertical tab, as JSON escapes (valid JSON, invalid text)
    raw = raw.replace(json.dumps(meta["title"], ensure_ascii=False), json.dumps(meta["title"] + "\ud800\x0b"), 1)
    descriptor.write_text(raw, encoding="utf-8")
    report = validate_package(package)
    found = [f for f in report.findings if f.rule == "text.control-character"]
    cells = {(f.table, f.row_id, f.location.get("column"), f.found) for f in found if f.table}
    assert ("expenditure_summary", "208", "item", "U+0000") in cells
    assert ("expenditure_summary", "total", "item", "U+007F") in cells
    pointers = {(f.location["pointer"], f.found) for f in found if not f.table}
    assert ("/title", "U+D800, U+000B") in pointers
    assert all(f.severity == "error" for f in found) and not report.valid
    assert not [f for f in report.findings if f.rule == "validator.layer-failed"]
    for fmt in ("text", "json", "markdown"):
        result = run("validate", package, "--format", fmt)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    result = run("facts", package)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "datapackage.json" in result.stderr, result.stderr


def test_tabs_and_newlines_are_not_control_character_findings(tmp_path):
    from opendata.validate import validate_package

    findings = validate_package(DONGCHENG).findings
    assert not [f for f in findings if f.rule == "text.control-character"], "narrative text has newlines"


# -- 4. CSV encodings ------------------------------------------------------------------------

def test_bom_and_gbk_csv_are_findings_with_file_and_line_and_never_crash(tmp_path):
    from opendata.validate import validate_package

    package = copy_package(tmp_path)
    bom = package / "data" / "income_summary.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())
    gbk = package / "data" / "expenditure_summary.csv"
    lines = gbk.read_text(encoding="utf-8").split("\n")
    gbk.write_bytes("\n".join(lines[:3]).encode("utf-8") + b"\n" + "\n".join(lines[3:]).encode("gbk"))
    for engine in ("fast", "frictionless"):
        report = validate_package(package, engine=engine)
        found = {f.table: f for f in report.findings if f.rule == "table.encoding"}
        assert found["income_summary"].location == {"file": "data/income_summary.csv", "line": 1}
        assert "BOM" in found["income_summary"].message
        assert found["expenditure_summary"].location == {"file": "data/expenditure_summary.csv", "line": 4}
        assert "GBK" in found["expenditure_summary"].message and "line 4" in found["expenditure_summary"].message
        assert not [f for f in report.findings if f.rule in ("validator.layer-failed", "table.label-error", "table.read-error")]
    for command in (("validate", package), ("facts", package)):
        result = run(*command)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode in (1, 2)
    result = run("facts", package)
    assert result.returncode == 2 and "line 1" in result.stderr and "income_summary.csv" in result.stderr, result.stderr
