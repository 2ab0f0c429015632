"""The money unit lines of OCR'd pages (单位：万元), and a warning for every OCR'd table whose unit was not read
surely. A unit line misread (单位;万元 not taken for a unit line, 万元 misread) scales every amount of its table
by 10000 without one amount read with low confidence: the unit is checked on its own.

`unit_readings` finds, in the words of an OCR'd page, each printed line with 单位 and a money unit of
codelists/money_units.csv (the colon read as any mark, as `ocr_words.corrected_line` reads it) and the lowest
confidence of its words from 单位 to the unit. `check_units` warns, for each table on OCR'd pages, when no unit
line was read on its first page (its unit is then the default), when the unit read there is not the table's,
or when it was read with low confidence.
"""
from __future__ import annotations

from .ocr import OcrPage
from .ocr_words import corrected_line, unit_label

UNIT_CONFIDENCE = 80     # a unit line read with less confidence is reported


def unit_readings(page: OcrPage) -> list[dict]:
    """[{"page", "unit", "text", "confidence"}] of the unit lines Tesseract read on `page` (the confidence: the lowest
    of the words printing 单位 and the unit)."""
    lines: dict[tuple, list] = {}
    for word in page.words:
        lines.setdefault(word.line, []).append(word)
    found = []
    for words in lines.values():
        words.sort(key=lambda w: w.box[0])
        text = corrected_line("".join(w.text for w in words))
        match = unit_label().search(text)
        if not match:
            continue
        # the words from the last one holding 单 or 位 before the unit to the one ending it
        ends, position, chosen = [], 0, []
        for w in words:
            position += len(corrected_line(w.text))
            ends.append(position)
        for w, end in zip(words, ends):
            start = end - len(corrected_line(w.text))
            if end > match.start() and start < match.end() and set(w.text) & set("单位" + match.group(1)):
                chosen.append(w)   # the colon's confidence aside: 单位 and the unit are what matter
        confidence = min((w.confidence for w in chosen), default=0.0)
        found.append({"page": page.number, "unit": match.group(1), "text": match.group(0), "confidence": round(confidence, 1)})
    return found


def check_units(disclosure, units: list[dict], scanned: set, warnings) -> None:
    """Warn of each money table on an OCR'd page whose money unit was not read surely from that page."""
    for table in disclosure.tables.values():
        pages = sorted(scanned & set(table.pages or []))
        if not pages or not table.money_unit or not any(r.values for r in table.rows):
            continue
        first = min(table.pages)
        read = [u for u in units if u["page"] == first] if first in scanned else []
        if not read:
            warnings.add(f"OCR read no money unit line (单位：万元) on page {first}: the money unit of the table is "
                         f"{table.money_unit} by default; check it on the page image, every amount depends on it",
                         table=table.table_id, page=first)
        elif all(u["unit"] != table.money_unit for u in read):
            warnings.add(f"OCR read the money unit line {read[0]['text']!r} on page {first} but the table's money unit "
                         f"is {table.money_unit}; check it on the page image, every amount depends on it",
                         table=table.table_id, page=first)
        elif min(u["confidence"] for u in read if u["unit"] == table.money_unit) < UNIT_CONFIDENCE:
            least = min(u["confidence"] for u in read if u["unit"] == table.money_unit)
            warnings.add(f"OCR read the money unit line {read[0]['text']!r} with confidence {least:.0f}%: the money unit "
                         f"of the table ({table.money_unit}) may be misread; every amount depends on it",
                         table=table.table_id, page=first)
