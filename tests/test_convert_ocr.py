"""Scanned disclosures (issue #15): text PDFs rasterised to image-only PDFs at 300 and 150 dpi are converted by
OCR and compared with the conversion of the text original (tests/ocr_compare.py). At 300 dpi at least 98 % of
the amounts are identical, and every differing amount is flagged by a warning; the package records the OCR."""
from __future__ import annotations

import shutil

import pytest

from opendata.convert import convert_in_process
from opendata.convert.limits import Limits
from tests.ocr_compare import PAGES, REFERENCES, Comparison, compare, convert_scan, scanned_copy, text_page

pytestmark = [pytest.mark.skipif(not REFERENCES.is_dir(), reason="../shared/references is not beside the repository"),
              pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract-ocr is not installed")]


def convert_both(tmp_path, name: str, page: int, dpi: int):
    original = text_page(REFERENCES / name, page, tmp_path / f"{name[:2]}_{page}.pdf")
    scan = scanned_copy(original, tmp_path / f"{name[:2]}_{page}_{dpi}dpi.pdf", dpi)
    return convert_in_process(original, Limits.from_env()), convert_scan(scan)


def test_a_scan_at_300_dpi_reads_98_percent_of_the_amounts_and_flags_the_rest(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENDATA_OCR_JOBS", "2")
    total = Comparison()
    for name, page in PAGES:
        text, scan = convert_both(tmp_path, name, page, 300)
        assert not isinstance(scan, Exception), scan
        ocr = scan.disclosure.conversion["ocr"]
        assert ocr["engine"] == "tesseract" and ocr["version"] and ocr["pages"] == [1] and ocr["dpi"] == 300
        assert ocr["amounts"] and all(0 <= a["confidence"] <= 100 for a in ocr["amounts"])
        total.add(compare(text, scan))
    assert total.total >= 60
    assert total.share >= 0.98, (total.identical, total.total, total.differing)
    assert not total.silent, total.silent


def test_a_scan_at_150_dpi_converts_and_flags_what_it_misreads(tmp_path):
    name, page = PAGES[1]
    text, scan = convert_both(tmp_path, name, page, 150)
    result = compare(text, scan)
    assert result.total and result.identical, result
    assert not result.silent, result.silent


def test_a_pdf_with_text_is_not_read_by_ocr(tmp_path):
    name, page = PAGES[1]
    original = text_page(REFERENCES / name, page, tmp_path / "text.pdf")
    assert "ocr" not in convert_in_process(original, Limits.from_env()).disclosure.conversion
