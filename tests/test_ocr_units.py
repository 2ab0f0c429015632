"""OCR'd money units and number separators (issue #15): a unit line misread must never scale a table silently,
and a thousands separator misread is repaired only where the page shows what it is, always reported."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from opendata.convert.errors import Warnings
from opendata.convert.ocr import OcrPage, OcrWord
from opendata.convert.ocr_units import check_units, unit_readings
from opendata.convert.ocr_words import corrected, corrected_line, doubtful, whole_amounts
from opendata.model import Row, Table


def page(*lines: list[tuple[str, float]]) -> OcrPage:
    """An OCR'd page of these lines of (word, confidence), words 40 pixels wide."""
    words = [OcrWord(text, (40 * n, 50 * y, 40 * n + 38, 50 * y + 30), confidence, (1, 1, y))
             for y, line in enumerate(lines, 1) for n, (text, confidence) in enumerate(line)]
    return OcrPage(number=1, width=2000, height=2000, dpi=300, words=words)


def money_table(unit: str) -> Table:
    return Table("income_summary", columns=["total"], money_unit=unit, pages=[1],
                 rows=[Row(row_id="a", values={"total": Decimal("68632.12")}, source_page=1)])


def checked(read: OcrPage, unit: str) -> list[str]:
    warnings = Warnings("scan.pdf")
    check_units(SimpleNamespace(tables={"income_summary": money_table(unit)}), unit_readings(read), {1}, warnings)
    return warnings.items


def test_a_unit_label_with_its_colon_misread_is_read_as_the_unit_line():
    assert corrected_line("单位名称:长沙市公安局 单位;万元") == "单位名称:长沙市公安局 单位：万元"
    assert corrected_line("部门名称，深圳市发展和改革委员会 单位，万元") == "部门名称，深圳市发展和改革委员会 单位：万元"
    assert corrected_line("本单位，2026年") == "本单位，2026年"   # no unit after it: left as read
    read = page([("单位", 93), (";", 38), ("万", 93), ("元", 96)])
    assert unit_readings(read) == [{"page": 1, "unit": "万元", "text": "单位：万元", "confidence": 93.0}]


def test_a_table_on_an_ocrd_page_without_a_unit_line_read_is_warned_of():
    items = checked(page([("收入总表", 95)]), "元")
    assert len(items) == 1 and "[income_summary]" in items[0] and "money unit" in items[0] and "by default" in items[0]


def test_a_unit_line_read_unlike_the_tables_unit_or_unsurely_is_warned_of():
    assert checked(page([("单位：万元", 95)]), "万元") == []
    items = checked(page([("单位：万元", 95)]), "元")
    assert len(items) == 1 and "money unit" in items[0] and "元" in items[0]
    items = checked(page([("单位：万元", 61)]), "万元")
    assert len(items) == 1 and "confidence 61%" in items[0] and "money unit" in items[0]


def test_thousands_separators_misread_are_repaired_and_reported():
    assert corrected("93,654,.340") == "93,654,340" and doubtful("93,654,.340", "93,654,340")
    assert corrected("21.802.560") == "21,802,560" and doubtful("21.802.560", "21,802,560")
    assert corrected("2.946.25") == "2,946.25"
    assert corrected("1,740.93") == "1,740.93" and not doubtful("1,740.93", "1,740.93")
    assert corrected("801.000") == "801.000" and doubtful("801.000", "801.000")   # a decimal point or a comma?


def test_a_point_before_three_digits_is_a_comma_only_on_a_page_of_whole_amounts():
    assert whole_amounts(["195,774,300", "134,339,860", "93,654,340", "801.000"])
    assert not whole_amounts(["195,774,300", "134,339,860", "93,654,340", "801.000", "3.50"])
    assert not whole_amounts(["801.000", "42,000"])


def test_a_title_one_character_off_a_longer_catalog_title_is_snapped_to_it():
    assert corrected_line("2026年度财政拨黎收支预算总表") == "2026年度财政拨款收支预算总表"   # not 收支预算总表
    assert corrected_line("2026年度收支预算总表") == "2026年度收支预算总表"
    assert corrected_line("本年收入，财政拨黎收支预算总表") == "本年收入，财政拨黎收支预算总表"   # a sentence: left as read
