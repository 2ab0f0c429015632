"""Scanned pages of a PDF: read by OCR before the pages are read (ocr.py, in parallel), and the reading
checked by the accounts.

A figure OCR misreads is still a figure: the check is the accounting identity of its row. In a table whose
rows mostly print a total and its parts (合计 = 基本支出 + 项目支出, the total first or last), a row where
the identity fails is a warning naming the row, the column and the difference; when the difference is one
digit's worth (d × 10^k, |d| ≤ 9) the warning says so and names the cell most likely misread (the one read
with the lowest confidence). An amount read with low confidence is a warning too. Under --strict these
warnings refuse the conversion. The package records `conversion.ocr`: engine, version, languages, dpi, the
pages read by OCR, and every amount as read with its confidence.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

from ..model import Disclosure
from .errors import ConversionError, Warnings
from .limits import Limits, check_page_streams
from .ocr import (DPI, ENGINE, LANGUAGES, OcrPage, check_engine, engine_version, find_rules, ocr_jobs, rasterise, read_words,
                  recheck_numbers, whiten_rules)
from .ocr_cells import reread_large_lines, reread_tall_cells
from .ocr_units import check_units, unit_readings

LOW_CONFIDENCE = 80          # an amount read with less confidence is reported
ROW_IDENTITY_SHARE = 0.6     # a table has the row identity when this share of its full rows satisfy it
TOLERANCE = Decimal("0.011")  # in the printed unit: rounding of two decimals


def ocr_dpi() -> int:
    """The resolution pages are rasterised at for OCR: OPENDATA_OCR_DPI when set, else DPI."""
    try:
        return max(72, int(os.environ.get("OPENDATA_OCR_DPI", DPI)))
    except ValueError:
        return DPI


def read_scanned_pages(path: Path, pdf, limits: Limits, sizes: dict, ocr: dict) -> dict:
    """The pages of pdfplumber document `pdf` with images and no text, read by OCR in parallel: number -> OcrPage.
    `ocr` gets engine, version, languages, dpi and pages; {} when every page has text."""
    from .pdf_page import normalise_media_box

    numbers = []
    for number, page in enumerate(pdf.pages, 1):
        check_page_streams(path, number, page.page_obj, limits, dict(sizes))
        normalise_media_box(page)
        if page.images and not any(c["text"].strip() for c in page.chars):
            numbers.append(number)
    if not numbers:
        return {}
    check_engine(path)
    dpi = ocr_dpi()
    read = ocr_pages(path, numbers, dpi)
    ocr.update({"engine": ENGINE, "version": engine_version(), "languages": LANGUAGES, "dpi": dpi, "pages": numbers,
                "units": [unit for number in numbers for unit in unit_readings(read[number])]})
    return read


def ocr_pages(path: Path, numbers: list[int], dpi: int = DPI, jobs: int | None = None) -> dict[int, OcrPage]:
    """Pages `numbers` (1-based) of the PDF at `path` read by OCR, `jobs` at a time: number -> OcrPage."""
    jobs = max(1, min(jobs or ocr_jobs(), len(numbers) or 1))
    def read(number: int) -> OcrPage:
        try:
            return ocr_page(path, number, dpi)
        except ConversionError as error:
            raise ConversionError(f"{path}: page {number}: {error}") from error
        except Exception as error:   # a page the engine or the raster cannot read is a refusal, never a traceback
            raise ConversionError(f"{path}: page {number} cannot be read by OCR ({type(error).__name__}: {error})") from error

    if jobs == 1:
        return {n: read(n) for n in numbers}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(zip(numbers, pool.map(read, numbers)))


def ocr_page(path: Path, number: int, dpi: int = DPI) -> OcrPage:
    """Page `number` of `path`: rasterised, its ruling lines found and whitened, its words read."""
    image = rasterise(path, number - 1, dpi)
    rules = find_rules(image, dpi)
    clean = whiten_rules(image, rules)
    words = read_words(clean, psm=6)
    words = reread_tall_cells(clean, words, rules)
    words = reread_large_lines(clean, words, rules)
    words = recheck_numbers(clean, words)
    return OcrPage(number=number, width=image.width, height=image.height, dpi=dpi, words=words, rules=rules)


def record_ocr(disclosure: Disclosure, ocr: dict, warnings: Warnings) -> None:
    """Record the OCR reading on `disclosure.conversion["ocr"]`, warn of amounts read with low confidence and
    check the OCR'd tables' row identities (`check_rows`)."""
    amounts = ocr.get("amounts", [])
    disclosure.conversion["ocr"] = {key: ocr[key] for key in ("engine", "version", "languages", "dpi", "pages") if key in ocr}
    disclosure.conversion["ocr"]["amounts"] = amounts
    pages = sorted(ocr.get("pages", []))
    if pages:   # never silent: a title, unit line or header misread by OCR can change a whole table without a low-confidence amount
        warnings.add(f"page(s) {', '.join(map(str, pages))} have no text layer and were read by OCR "
                     f"({ocr.get('engine', 'OCR')} {ocr.get('version', '')}, {ocr.get('dpi', '')} dpi): their tables, money units "
                     "and amounts are not checked beyond the warnings that follow; compare them with the page images before use",
                     page=pages[0])
    for amount in amounts:
        if amount["confidence"] < LOW_CONFIDENCE:
            warnings.add(f"OCR read {amount['text']!r} with confidence {amount['confidence']:.0f}%: it may be misread",
                         page=amount["page"])
    scanned = set(ocr.get("pages", []))
    confidence: dict = {}
    for a in amounts:
        key = (a["page"], digits(a["text"]))
        confidence[key] = min(confidence.get(key, 100.0), a["confidence"])
    for table in disclosure.tables.values():
        if scanned & set(table.pages or []):
            check_rows(table, warnings, confidence)
    check_units(disclosure, ocr.get("units", []), scanned, warnings)


def digits(text) -> str:
    """The digits of a printed or stored amount without leading zeros and trailing zeros (12,300.00 and 1230000 -> 123)."""
    return "".join(c for c in str(text) if c.isdigit()).lstrip("0").rstrip("0")


def amount_columns(table) -> list[str]:
    """The columns of `table` holding Decimal amounts, in order."""
    return [c for c in table.columns if any(isinstance(r.values.get(c), Decimal) for r in table.rows)]


def one_digit(difference: Decimal) -> bool:
    """True when `difference` is one digit's worth: d × 10^k with 1 ≤ |d| ≤ 9."""
    if difference == 0:
        return False
    digits = difference.copy_abs().normalize().as_tuple().digits
    return len(digits) == 1


def check_rows(table, warnings: Warnings, confidence: dict) -> None:
    """Warn of each row of `table` where its total (first or last amount column) is not the sum of the other
    amounts, when most of the table's full rows do satisfy that identity (else the table has no such identity)."""
    columns = amount_columns(table)
    if len(columns) < 3:
        return
    factor = Decimal(10000) if table.money_unit == "万元" else Decimal(1)
    full = [r for r in table.rows if all(isinstance(r.values.get(c), Decimal) for c in columns)]
    for total, parts in ((columns[0], columns[1:]), (columns[-1], columns[:-1])):
        rows = [r for r in table.rows if isinstance(r.values.get(total), Decimal) and any(isinstance(r.values.get(c), Decimal) for c in parts)]
        holds = [r for r in full if abs(r.values[total] - sum(r.values[c] for c in parts)) <= TOLERANCE * factor]
        if len(full) < 2 or len(holds) < len(full) * ROW_IDENTITY_SHARE:
            continue
        for row in rows:
            sum_parts = sum((row.values.get(c) or Decimal(0)) for c in parts if isinstance(row.values.get(c), Decimal))
            difference = (row.values[total] - sum_parts) / factor
            if abs(difference) <= TOLERANCE:
                continue
            cells = [total, *[c for c in parts if isinstance(row.values.get(c), Decimal)]]
            what = "one digit misread would explain it" if one_digit(difference) else "a misread or a printed error"
            sure = {c: confidence.get((row.source_page, digits(row.values[c] / factor)), 100.0) for c in cells}
            least = min(cells, key=lambda c: sure[c])
            warnings.add(f"OCR'd row {row.row_id}: {total} {row.values[total] / factor} ≠ sum of {', '.join(parts)} "
                         f"{sum_parts / factor} (difference {difference}; {what}); cells {', '.join(cells)}; "
                         f"least sure: {least} ({sure[least]:.0f}%)",
                         line=row.source_line, table=table.table_id, page=row.source_page)
        return
