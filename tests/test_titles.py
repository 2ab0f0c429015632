"""Table titles as regions print them (issue #11): numbering prefixes, year and unit inside
the title, filler words (codelists/title_words.csv), classification qualifiers; what is not a
title (contents lines, narrative headings, part headings); tables outside the catalog end the
table before them and are reported, never swallowed."""
from __future__ import annotations

import pytest

from opendata.convert import convert_file
from opendata.convert.recognise import match_title, title_key, unlisted_title
from opendata.convert.segment import find_segments
from opendata.convert.source import Line


@pytest.mark.parametrize("title,table_id", [
    ("表1 2022年部门综合预算收支总表", "income_expenditure_summary"),
    ("表3  2023年部门综合预算支出总表", "expenditure_summary"),
    ("收支预算总表 公开表一", "income_expenditure_summary"),
    ("财政拨款收支预算总表公开表四部门：某某局单位：万元", "fiscal_appropriation_summary"),
    ("收支总表（预算表 1）", "income_expenditure_summary"),
    ("科技特派员专项项目绩效目标表", "project_performance_targets"),          # 专项 + 项目绩效目标表, not 专项项目 + 绩效目标表
    ("市级科技创新专项（转移支付）项目绩效目标表", "project_performance_targets"),
    ("本年一般公共预算支出表（预算表 5）", "general_budget_expenditure"),
    ("2024年部门综合预算一般公共预算支出明细表（按功能科目分）", "general_budget_expenditure"),
    ("一般公共预算基本支出明细表（按支出经济分类科目-不含上年结转）", "general_budget_basic_expenditure"),
    ("一般公共预算基本支出预算表（经济科目）", "general_budget_basic_expenditure"),
    ("政府采购（资产配置、购买服务）预算表（不含上年结转）", "government_procurement"),
    ("2019年政府采购预算表", "government_procurement"),
    ("一般公共预算拨款“三公”经费、会议费、培训费表（不含上年结转）", "three_public_expenses"),
    ("“三公”经费、会议费、培训费支出预算表", "three_public_expenses"),
    ("“三公”经费及会议费、培训费支出预算表", "three_public_expenses"),
    ("五、一般公共预算“三公”经费支出表", "three_public_expenses"),
    ("本年支出总体情况表", "expenditure_summary"),
    ("某某局 2026 年项目支出绩效目标表（预算表 11）", "project_performance_targets"),
    ("项目支出绩效自评表3", "performance_self_evaluation"),
    ("预算01表 部门收支总表", "income_expenditure_summary"),
    ("支出决算表", "expenditure_summary"),
    ("公开表七 一般公共预算支出预算表（功能科目）", "general_budget_expenditure"),   # 七 then 一般
    ("公开表十二 2019年政府采购预算表", "government_procurement"),
    ("2026年度一般公共预算拨款支出预算表", "general_budget_expenditure"),
    ("2026 年度国有资本经营预算拨款支出预算表", "state_capital_expenditure"),
    ("2026年度一般公共预算基本支出经济分类情况表", "general_budget_basic_expenditure"),
    ("项目支出总表", "project_expenditure"),
    ("科学普及活动项目项目绩效目标表", "project_performance_targets"),
    ("基本支出总表", "basic_expenditure"),                          # a part (基本) of the 支出总表: its own table
    ("一般公共预算支出表（按经济分类）", "general_budget_expenditure_economic"),  # general_budget_expenditure is by function
    ("一般公共预算支出明细表（按经济分类科目分）", "general_budget_expenditure_economic"),
    ("公开表10 基本支出预算情况表", "basic_expenditure"),            # all sources of funds, by economic code
    ("部门预算基本支出预算表", "basic_expenditure"),
    ("2021年一般公共预算基本支出情况表", "general_budget_basic_expenditure"),
    ("七、重点项目预算绩效目标情况", "project_performance_targets"),
    ("一般公共预算基本支出明细表（按功能科目分）", "general_budget_basic_expenditure_function"),   # by function, not economic code
    ("表7 部门综合预算一般公共预算基本支出明细表（按支出功能分类科目-不含上年结转）", "general_budget_basic_expenditure_function"),
    ("财政拨款结转资金支出表", "fiscal_carryover_expenditure"),
    ("表11 2021年部门综合预算财政拨款上年结转资金支出表", "fiscal_carryover_expenditure"),
    ("财政拨款支出预算表（功能科目）", "fiscal_appropriation_expenditure"),
    ("五、2017 年度江苏省高级人民法院部门财政拨款支出预算表", "fiscal_appropriation_expenditure"),
    ("公开表六 财政拨款基本支出预算表（经济科目）", "fiscal_appropriation_basic_expenditure"),
    ("一般公共预算财政拨款支出表", "general_budget_expenditure"),        # the general-budget part keeps its own table
    ("一般公共预算财政拨款基本支出表", "general_budget_basic_expenditure"),
])
def test_titles_of_the_national_variety(title, table_id):
    match = match_title(title)
    assert match is not None and match.table_id == table_id, (title, match, title_key(title))


@pytest.mark.parametrize("title", [
    "一般公共预算项目支出明细表（按功能科目分）",      # by function: the project table is by economic code
    "文化和旅游项目资金安排表",
    "财政拨款项目支出明细表（按经济科目分）",   # project expenditure is keyed by project
])
def test_tables_outside_the_catalog_are_not_matched_but_read_as_titles(title):
    assert match_title(title) is None
    assert unlisted_title(title) == title


@pytest.mark.parametrize("text", [
    "三、关于2022年部门综合预算收支总表的说明",      # a narrative heading about a table
    "（一）收入预算",
    "收支总表……………………3",                        # contents lines
    "一般公共预算支出表 .......... 12",
    "一、收支总表    5",
    "第四部分 2022年部门综合预算公开报表",            # headings of the set of tables
    "附件：某某中心 2021 年部门预算表",
    "详见附表一般公共预算支出表",
    "2022年一般公共预算支出表反映了本部门的支出，其中基本支出占比较大。",
])
def test_what_is_not_a_table_title(text):
    assert match_title(text) is None
    assert unlisted_title(text) is None


def test_the_contents_and_the_narrative_start_no_table():
    text = ["目录", "一、收支总表……………………3", "二、支出总表……………………4",
            "三、关于收支总表的说明", "本年收入合计 100.00 万元，支出合计 100.00 万元。"]
    assert find_segments([Line(no=i + 1, text=t, page=1) for i, t in enumerate(text)]) == []


def test_a_contents_listing_without_page_numbers_starts_no_table(tmp_path):
    """A 目录 whose entries are tab-led (so they look like table rows to each other) and carry no
    page numbers names tables printed further on: the tables are read where they are printed,
    with their own title and unit, not from the contents line."""
    text = ["某某局2025年部门预算", "目 录", "第二部分 部门预算表", "\t1、部门收支总表", "\t2、部门收入总表",
            "\t3、部门支出总表", "\t4、一般公共预算支出表", "\t\t注：以上报表中，空表表示本部门无相关收支情况", "",
            "2025年一般公共预算支出情况表", "单位名称：某某局\t单位：万元", "项目\t合计\t基本支出\t项目支出",
            "合计\t300.00\t100.00\t200.00", "201\t300.00\t100.00\t200.00", ""]
    lines = [Line(no=i + 1, text=t, page=1 if i < 8 else 2) for i, t in enumerate(text)]
    assert [(s.table_id, s.title_line) for s in find_segments(lines)] == [("general_budget_expenditure", 9)]
    path = tmp_path / "contents.txt"
    path.write_text("\n".join(text), encoding="utf-8")
    result = convert_file(path)
    table = result.disclosure.tables["general_budget_expenditure"]
    assert (table.printed_title, table.money_unit, table.pages) == ("2025年一般公共预算支出情况表", "万元", [])
    assert str(table.rows[0].values["total"]) == "3000000.00"
    assert not [w for w in result.warnings if "no rows or header" in w]


def _lines(texts: list[str]) -> list[Line]:
    return [Line(no=i + 1, text=t, page=1 + i // 8) for i, t in enumerate(texts)]


BODY = ["单位：元", "项目\t合计\t基本支出\t项目支出", "合计\t300.00\t100.00\t200.00", "201\t300.00\t100.00\t200.00"]


def test_a_table_outside_the_catalog_ends_the_table_before_it():
    lines = _lines(["表5 2022年一般公共预算支出明细表（按功能科目分）", *BODY,
                    "表6 2022年一般公共预算项目支出明细表（按功能科目分）", *BODY,
                    "表7 2022年部门综合预算专项业务经费支出表", *BODY])
    unlisted = []
    segments = find_segments(lines, unlisted)
    assert [s.table_id for s in segments] == ["general_budget_expenditure", "project_expenditure"]
    assert segments[0].end == 5                       # not swallowing 表6's rows
    assert [(u.title, u.title_line, u.end) for u in unlisted] == [
        ("表6 2022年一般公共预算项目支出明细表（按功能科目分）", 5, 10)]


def test_a_table_outside_the_catalog_is_a_warning_with_its_page(tmp_path):
    text = ["某某局2022年部门预算", "", "一般公共预算支出表", *BODY, "",
            "文化和旅游项目资金安排表", "单位：元", "项目\t金额", "合计\t50.00", "201\t50.00", ""]
    path = tmp_path / "unlisted.txt"
    path.write_text("\n".join(text), encoding="utf-8")
    result = convert_file(path)
    assert "general_budget_expenditure" in result.disclosure.tables
    assert result.disclosure.tables["general_budget_expenditure"].last_line < 9                  # the unlisted title is line 9
    warned = [w for w in result.warnings if "文化和旅游项目资金安排表" in w]
    assert len(warned) == 1 and "not in the table catalog" in warned[0] and "line 9" in warned[0], result.warnings


def test_a_title_printed_on_two_lines_is_read_whole():
    lines = _lines(["表13", "2021年部门综合预算一般公共预算拨款“三公”经费及", "会议费、培训费支出预算表（不含上年结转）", *BODY,
                    "表12", "2021年部门综合预算政府采购（资产配置、购买服务）", "预算表（不含上年结转）", *BODY])
    segments = find_segments(lines)
    assert [(s.table_id, s.title_line, s.start) for s in segments] == [
        ("three_public_expenses", 1, 3), ("government_procurement", 8, 10)]
    assert segments[0].title.endswith("会议费、培训费支出预算表（不含上年结转）")
    assert segments[0].end == 7                        # up to 表12, the next table's marker


def test_a_remark_in_brackets_on_the_line_under_the_title_is_part_of_it():
    """（按支出经济分类科目-不含上年结转） under 一般公共预算支出明细表 says the table is keyed by economic code:
    general_budget_expenditure_economic, not the function-keyed one; the remark line is neither a row nor the header."""
    lines = _lines(["表5", "2021年部门综合预算一般公共预算支出明细表", "（按支出功能分类科目－不含上年结转）", *BODY,
                    "表6", "2021年部门综合预算一般公共预算支出明细表", "（按支出经济分类科目 -不含上年结转）", *BODY,
                    "表8", "2021年部门综合预算一般公共预算基本支出明细表", "（按支出经济分类科目-不含上年结转）", *BODY])
    unlisted = []
    segments = find_segments(lines, unlisted)
    assert [(s.table_id, s.title_line, s.start, s.end) for s in segments] == [
        ("general_budget_expenditure", 1, 3, 7), ("general_budget_expenditure_economic", 8, 10, 14),
        ("general_budget_basic_expenditure", 15, 17, 21)]
    assert segments[0].title == "2021年部门综合预算一般公共预算支出明细表（按支出功能分类科目－不含上年结转）"
    assert unlisted == []


def test_a_title_wrapped_inside_its_bracket_is_read_whole():
    lines = _lines(["表7", "2021年部门综合预算一般公共预算项目支出明细表（按支出功", "能分类科目-不含上年结转）", *BODY,
                    "表8", "2021年部门综合预算一般公共预算基本支出明细表（按支出经", "济分类科目-不含上年结转）", *BODY])
    unlisted = []
    segments = find_segments(lines, unlisted)
    assert [(s.table_id, s.title_line, s.start) for s in segments] == [("general_budget_basic_expenditure", 8, 10)]
    assert [u.title for u in unlisted] == ["2021年部门综合预算一般公共预算项目支出明细表（按支出功能分类科目-不含上年结转）"]


def test_a_sheet_holding_a_table_outside_the_catalog_is_not_the_previous_table(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "表5": [["2022年一般公共预算支出表"], ["单位：元"], ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                ["", "合计", 300, 100, 200], ["201", "一般公共服务支出", 300, 100, 200]],
        "表6": [["2022年文化和旅游项目资金安排表"], ["单位：元"], ["科目编码", "科目名称", "金额"],
                ["", "合计", 50], ["201", "一般公共服务支出", 50]],
    }
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "unlisted.xlsx"
    book.save(path)
    result = convert_file(path)
    table = result.disclosure.tables["general_budget_expenditure"]
    assert all(row.values.get("total") != 50 for row in table.rows)
    warned = [w for w in result.warnings if "文化和旅游项目资金安排表" in w]
    assert len(warned) == 1 and "not in the table catalog" in warned[0], result.warnings


def test_a_section_heading_followed_by_prose_is_not_a_title():
    """一、机关运行经费 right under the last rows of a table, followed by sentences, heads a part of
    the narrative: no operating_costs table starts there."""
    lines = _lines(["项目支出表", *BODY, "第八部分 其他需要说明情况", "一、机关运行经费",
                    "2026年本单位机关运行经费财政拨款预算1,040.46万元，", "较上年减少73.33万元。", "单价100万元以上设备1台；",
                    "二、国有资产占用情况", "截至2025年10月，共有车辆2辆。"])
    segments = find_segments(lines)
    assert [s.table_id for s in segments] == ["project_expenditure"]


def test_titles_of_empty_tables_in_a_row_are_not_a_contents_listing():
    """Tables printed empty, title only, one after the other: the last title, with its unit line
    and rows under it, still starts its table."""
    text = ["政府性基金预算支出表", "国有资本经营预算支出表", "一般公共预算“三公”经费支出表", "一般公共预算支出表",
            "单位：万元", "项目\t合计\t基本支出\t项目支出", "合计\t300.00\t100.00\t200.00"]
    segments = find_segments([Line(no=i + 1, text=t, page=1) for i, t in enumerate(text)])
    assert ("general_budget_expenditure", 3) in [(s.table_id, s.title_line) for s in segments]


def test_basic_expenditure_titles_by_classification():
    assert match_title("一般公共预算基本支出明细表（按功能科目分）").table_id == "general_budget_basic_expenditure_function"
    assert match_title("一般公共预算基本支出明细表（按经济科目分）").table_id == "general_budget_basic_expenditure"
    assert match_title("一般公共预算基本支出表").table_id == "general_budget_basic_expenditure"
