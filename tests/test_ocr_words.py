"""OCR'd titles, headers, page numbers and rules (issue #15): what Tesseract misreads on pages not tuned on is
put back only where one word of the standard is that near, never making one table another's."""
from __future__ import annotations

import numpy as np
from PIL import Image

from opendata.convert.ocr import DPI, OcrWord, find_rules
from opendata.convert.ocr_words import corrected_line, joined_words, snapped
from opendata.convert.pdf import is_page_number
from opendata.convert.recognise import match_title


def test_a_title_with_a_bracketed_qualifier_its_brackets_misread_is_snapped_before_it():
    # 财政拨款支出预算表（功能科目） as read on a scan of a Jiangsu budget (corpus 088, page 5)
    line = corrected_line("财政拨短文出预算表 〈功能科目)")
    assert line == "财政拨款支出预算表（功能科目）"
    assert match_title(line).table_id == "fiscal_appropriation_expenditure"
    assert corrected_line("财政拨秋支出预算表【〈功能科目)") == "财政拨款支出预算表（功能科目）"
    assert corrected_line("财政拨款支出预算表（功能科目）") == "财政拨款支出预算表（功能科目）"   # read right: as read


def test_a_long_title_two_characters_off_is_snapped_only_where_no_title_prints_the_characters_read():
    assert corrected_line("一般公共预算基木支山表") == "一般公共预算基本支出表"   # 木, 山: in no title
    assert corrected_line("一般公共预算项目支出表") == "一般公共预算项目支出表"   # a title as read stays itself
    # 收入 two characters off 支出, both printed by titles: another table's words, left as read
    assert corrected_line("一般公共预算基本收入表") == "一般公共预算基本收入表"


def test_a_title_one_character_off_a_title_as_printed_not_in_the_catalog_is_put_back_where_one_character_does():
    # 拨称 for 拨款 (corpus 046 page 15): 一般公共预算拨款支出预算表 is no alias, but names general_budget_expenditure
    line = corrected_line("2026年度一般公共预算拨称支出预算表")
    assert line == "2026年度一般公共预算拨款支出预算表" and match_title(line).table_id == "general_budget_expenditure"
    assert corrected_line("部门:中共江苏省委办公打 单位：万元") == "部门:中共江苏省委办公打 单位：万元"   # no title: as read


def test_a_title_near_two_catalog_titles_one_ending_the_other_is_snapped_to_the_longer():
    assert corrected_line("2026年度部门收支总休情况表") == "2026年度部门收支总体情况表"


def test_a_word_of_latin_letters_read_with_no_confidence_is_dropped():
    words = [OcrWord("注", (10, 10, 40, 40), 91, (1, 1, 1)), OcrWord("=zG=", (900, 1000, 1000, 1030), 0, (1, 2, 1)),
             OcrWord("PPP", (10, 100, 90, 130), 88, (1, 3, 1)), OcrWord("一", (10, 200, 40, 230), 5, (1, 4, 1))]
    assert [w.text for w in joined_words(words)] == ["注", "PPP", "一"]


def test_the_colon_of_a_cell_starting_with_among_misread_is_put_back():
    # 其中：基本支出 read 其中，基本支出 (corpus 026 page 11): the header was not recognised
    assert corrected_line("\t小计\t其中，基本支出\t项目支出") == "\t小计\t其中：基本支出\t项目支出"
    assert corrected_line("本年其中，x") == "本年其中，x"   # not at a cell's start: as read


def test_words_of_one_line_read_alone_keep_their_order():
    from opendata.convert.ocr_cells import in_order

    words = [OcrWord(t, b, 90, ("large", 0)) for t, b in [("财政", (1745, 422, 2714, 524)), ("拨款", (1994, 399, 2232, 580))]]
    assert [w.box[:3:2] for w in in_order(words)] == [(1745, 1994), (1994, 2232)]


def test_a_header_cell_one_character_off_a_column_header_of_the_fields_is_snapped():
    assert snapped("科目名各") == "科目名称"   # 科目名称 (fields.csv header alias), corpus 014 page 21


def test_a_page_number_with_its_dashes_read_as_one_is_a_page_number():
    words = [{"text": "一18", "x0": 280, "x1": 300, "top": 800, "bottom": 810}, {"text": "一", "x0": 306, "x1": 312, "top": 800, "bottom": 810}]
    assert is_page_number(words, 842)
    assert not is_page_number([{"text": "一18", "x0": 280, "x1": 300, "top": 800, "bottom": 810}], 842)   # one dash: no
    assert is_page_number([{"text": "= 3-=", "x0": 280, "x1": 312, "top": 800, "bottom": 810}], 842)   # - 13 - (corpus 026 p15)
    assert not is_page_number([{"text": "= 3-=", "x0": 280, "x1": 312, "top": 400, "bottom": 410}], 842)   # not in a margin


def test_a_ruled_table_cut_by_the_page_edge_gets_its_border_on_that_edge():
    grey = np.full((1200, 1000), 255, dtype=np.uint8)
    for y in (100, 300, 500, 700):
        grey[y:y + 3, 0:900] = 0            # rows ruled from the page's left edge: the table's left border is off the page
    for x in (400, 897):
        grey[100:703, x:x + 3] = 0
    rules = find_rules(Image.fromarray(grey), DPI)
    left = [r for r in rules if r[0] == "v" and r[1] < 10]
    assert len(left) == 1 and left[0][2] <= 101 and left[0][3] >= 700
    assert not [r for r in rules if r[0] == "h" and r[1] < 10]   # the top edge: no vertical rule reaches it
