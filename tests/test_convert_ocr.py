"""Scanned disclosures (issue #15): text PDFs rasterised to image-only PDFs at 300 and 150 dpi are converted by
OCR and compared with the conversion of the text original (tests/ocr_compare.py). At 300 dpi at least 98 % of
the amounts are identical, and every differing amount is flagged by a warning; the package records the OCR."""
from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from opendata.convert import convert_in_process
from opendata.convert.errors import Warnings
from opendata.convert.limits import Limits
from opendata.convert.ocr_check import check_rows, digits
from opendata.model import Row, Table
from tests.ocr_compare import (CORPUS, CORPUS_PAGES, PAGES, REFERENCES, Comparison, compare, convert_scan, scanned_copy,
                               text_page)

needs_ocr = pytest.mark.skipif(not REFERENCES.is_dir() or not shutil.which("tesseract"),
                               reason="needs ../shared/references and tesseract-ocr")
needs_corpus_ocr = pytest.mark.skipif(not CORPUS.is_dir() or not shutil.which("tesseract"),
                                      reason="needs ../shared/corpus and tesseract-ocr")


def convert_both(tmp_path, name: str, page: int, dpi: int):
    original = text_page(REFERENCES / name, page, tmp_path / f"{name[:2]}_{page}.pdf")
    scan = scanned_copy(original, tmp_path / f"{name[:2]}_{page}_{dpi}dpi.pdf", dpi)
    return convert_in_process(original, Limits.from_env()), convert_scan(scan)


@needs_ocr
def test_a_scan_at_300_dpi_reads_98_percent_of_the_amounts_and_flags_the_rest(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENDATA_OCR_JOBS", "2")
    total = Comparison()
    for name, page in PAGES:
        text, scan = convert_both(tmp_path, name, page, 300)
        assert not isinstance(scan, Exception), scan
        ocr = scan.disclosure.conversion["ocr"]
        assert ocr["engine"] == "tesseract" and ocr["version"] and ocr["pages"] == [1] and ocr["dpi"] == 300
        assert ocr["amounts"] and all(0 <= a["confidence"] <= 100 for a in ocr["amounts"])
        assert any("no text layer and were read by OCR" in w and "compare them with the page images" in w
                   for w in scan.warnings), scan.warnings   # an OCR'd page is never silent
        read = {digits(a["text"]) for a in ocr["amounts"]}
        stored = {digits(v) for t in scan.disclosure.tables.values() for r in t.rows for v in r.values.values()
                  if isinstance(v, Decimal) and v}
        assert stored <= read, stored - read   # every amount of the package has its confidence recorded
        total.add(compare(text, scan))
    assert total.total >= 60
    assert total.share >= 0.98, (total.identical, total.total, total.differing)
    assert not total.silent, total.silent


@needs_corpus_ocr
def test_scans_of_corpus_pages_not_tuned_on_read_98_percent_and_flag_the_rest(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENDATA_OCR_JOBS", "1")
    total, silent = Comparison(), {}
    for name, page in CORPUS_PAGES:
        original = text_page(CORPUS / name, page, tmp_path / f"{name[:3]}_{page}.pdf")
        scan = scanned_copy(original, tmp_path / f"{name[:3]}_{page}_300dpi.pdf", 300)
        result = compare(convert_in_process(original, Limits.from_env()), convert_scan(scan))
        total.add(result)
        if result.silent:
            silent[f"{name} p{page}"] = result.silent
    assert total.total >= 140
    assert total.share >= 0.98, (total.identical, total.total, total.differing)
    assert not silent, silent


@needs_ocr
def test_a_scan_at_150_dpi_converts_and_flags_what_it_misreads(tmp_path):
    name, page = PAGES[1]
    text, scan = convert_both(tmp_path, name, page, 150)
    result = compare(text, scan)
    assert result.total and result.identical, result
    assert not result.silent, result.silent


@needs_ocr
def test_a_pdf_with_text_is_not_read_by_ocr(tmp_path):
    name, page = PAGES[1]
    original = text_page(REFERENCES / name, page, tmp_path / "text.pdf")
    assert "ocr" not in convert_in_process(original, Limits.from_env()).disclosure.conversion


def test_a_row_whose_total_is_off_by_one_digit_names_the_cell_read_least_surely():
    columns = ["total", "basic", "project"]
    values = [("a", "30.00", "10.00", "20.00"), ("b", "16.20", "10.00", "0.20"), ("c", "5.00", "2.00", "3.00")]
    table = Table("expenditure_summary", columns=columns, money_unit="元",
                  rows=[Row(row_id=r, values={c: Decimal(v) for c, v in zip(columns, vs)}, source_page=1) for r, *vs in values])
    warnings = Warnings("scan.pdf")
    check_rows(table, warnings, {(1, "2"): 40.0, (1, "162"): 95.0, (1, "1"): 95.0})
    assert len(warnings.items) == 1, warnings.items
    warning = warnings.items[0]
    assert "row b" in warning and "one digit misread would explain it" in warning and "least sure: project (40%)" in warning


@needs_ocr
def test_a_scanned_page_inside_a_text_pdf_is_read_by_ocr(tmp_path):
    import pikepdf

    (first, page_a), (_, page_b) = PAGES[1], PAGES[2]
    text_a = text_page(REFERENCES / first, page_a, tmp_path / "a.pdf")
    scan_b = scanned_copy(text_page(REFERENCES / first, page_b, tmp_path / "b.pdf"), tmp_path / "b_scan.pdf", 300)
    mixed = tmp_path / "mixed.pdf"
    with pikepdf.open(text_a) as a, pikepdf.open(scan_b) as b:
        out = pikepdf.new()
        out.pages.extend(a.pages)
        out.pages.extend(b.pages)
        out.save(mixed)
    result = convert_scan(mixed)
    assert not isinstance(result, Exception), result
    assert result.disclosure.conversion["ocr"]["pages"] == [2]
    assert {"income_expenditure_summary", "fiscal_appropriation_summary"} <= set(result.disclosure.tables)
