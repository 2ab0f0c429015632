"""False alarms of the validator on real disclosures (issue #14, benchmarks/bench_findings.py),
each fixed by a general rule and pinned here on a small built document: the finding is gone (or
only reported, info) where the document is right, and still raised where it is wrong."""
from __future__ import annotations

from tests.test_validate_truth import findings, table


def fiscal_summary(state_capital: str = "") -> str:
    """A 财政拨款收支总表 listing 一般公共预算 and 国有资本经营预算 (`state_capital` its amount)."""
    total = 100 + (int(state_capital) if state_capital else 0)
    return table("财政拨款收支总表", "项目\t金额\t项目\t合计\t一般公共预算\t国有资本经营预算",
                 "一、一般公共预算拨款\t100.00\t一、一般公共服务支出\t100.00\t100.00\t",
                 f"二、国有资本经营预算拨款\t{state_capital}\t二、国防支出\t{state_capital}\t\t{state_capital}",
                 f"收入总计\t{total}.00\t支出总计\t{total}.00\t100.00\t{state_capital}")


EMPTY_FUND_TABLE = table("政府性基金预算支出表", "科目编码\t科目名称\t合计\t基本支出\t项目支出", "\t合计\t\t\t")


# -- a required table not printed, whose content the package shows ---------------------------------

def test_a_fund_table_not_printed_when_the_summaries_print_no_amount_of_the_fund_is_info(tmp_path):
    """长沙 2025, 江苏 2017/2019, 佛山 2019 print no 国有资本经营预算支出表; their 财政拨款收支总表
    prints the fund blank or not at all: the table would be empty (info, not a missing table)."""
    found = findings(tmp_path, fiscal_summary())
    rules = {f.rule: f for f in found if f.table == "state_capital_expenditure"}
    assert "completeness.missing-table" not in rules
    assert rules["completeness.table-not-printed"].severity == "info"


def test_a_fund_table_not_printed_while_the_fund_has_amounts_is_missing(tmp_path):
    found = findings(tmp_path, fiscal_summary("20"))
    assert [f.severity for f in found if f.table == "state_capital_expenditure"
            and f.rule == "completeness.missing-table"] == ["warning"]


def test_the_general_budget_basic_table_inside_a_printed_basic_table_is_info(tmp_path):
    """深圳 prints basic expenditure by economic code in 基本支出总表 (all funds) and no
    一般公共预算基本支出表: its figures are there (info)."""
    found = findings(tmp_path, table("基本支出总表", "经济科目编码\t经济科目名称\t合计\t人员经费\t公用经费",
                                     "\t合计\t30.00\t20.00\t10.00", "301\t工资福利支出\t20.00\t20.00\t",
                                     "302\t商品和服务支出\t10.00\t\t10.00"))
    rules = {f.rule for f in found if f.table == "general_budget_basic_expenditure"}
    assert rules == {"completeness.table-not-printed"}


def test_without_the_basic_table_the_general_budget_basic_table_is_missing(tmp_path):
    found = findings(tmp_path, fiscal_summary())
    assert {f.rule for f in found if f.table == "general_budget_basic_expenditure"} == {"completeness.missing-table"}


# -- an empty table explained by a narrative section on that table ----------------------------------

def test_an_empty_table_explained_as_nil_by_its_own_narrative_section_has_its_note(tmp_path):
    """江苏 2017: 七、政府性基金支出预算表 printed empty; the section 七、政府性基金支出预算表情况说明
    says 支出预算 0 万元，本部门无政府性基金预算: that is the table's note."""
    found = findings(tmp_path, EMPTY_FUND_TABLE, "七、政府性基金支出预算表情况说明\n本部门2026年政府性基金支出预算支出0万元，本部门无政府性基金预算。",
                     rule="completeness.empty-table-without-note")
    assert [f.table for f in found] == []


def test_an_empty_table_whose_section_does_not_say_nil_is_still_reported(tmp_path):
    found = findings(tmp_path, EMPTY_FUND_TABLE, "七、政府性基金支出预算表情况说明\n本表反映本部门2026年政府性基金支出预算安排情况。",
                     rule="completeness.empty-table-without-note")
    assert [f.table for f in found] == ["government_fund_expenditure"]


def test_a_nil_sentence_about_another_table_is_not_the_note(tmp_path):
    """上海 2026 (001, 003): "政府性基金拨款支出预算为0" in the overview is not the table's note."""
    found = findings(tmp_path, EMPTY_FUND_TABLE, "八、国有资本经营预算支出表情况说明\n本部门2026年国有资本经营预算支出0万元。",
                     rule="completeness.empty-table-without-note")
    assert [f.table for f in found] == ["government_fund_expenditure"]


# -- narrative: letter-spaced sentences and amounts that are a part of a figure ----------------------

def summary(total: str) -> str:
    return table("收支总表", "收入\t\t支出\t", "项目\t预算数\t项目\t预算数",
                 f"一、一般公共预算拨款收入\t{total}\t一、一般公共服务支出\t{total}",
                 f"本年收入合计\t{total}\t本年支出合计\t{total}",
                 f"收入总计\t{total}\t支出总计\t{total}")


def narrative(sentence: str, heading: str = "一、部门预算收支增减变化情况") -> str:
    return "\n".join(["第二部分 2026年部门预算情况说明", heading, sentence])


def test_a_letter_spaced_amount_is_read_whole(tmp_path):
    """广州 2026 (028 p. 27) prints "2 0 2 6年本部门收入预算2 2 5 , 4 3 1 . 7 8万元，比上年增加 45,939.77万元":
    read as printed the amount was its last digit, 8万元, and the increase larger than it."""
    right = findings(tmp_path / "a", summary("1000.00"),
                     narrative("2 0 2 6年本部门收入预算1 , 0 0 0 . 0 0万元，比上年增加\n200.00万元，增长25.0%。"),
                     rule="narrative.change")
    assert right == []
    wrong = findings(tmp_path / "b", summary("1000.00"),
                     narrative("2 0 2 6年本部门收入预算1 , 0 0 0 . 0 0万元，比上年增加\n200.00万元，增长35.0%。"),
                     rule="narrative.change")
    assert len(wrong) == 1 and "35.0%" in wrong[0].message


def test_letter_spaced_words_and_units_are_read(tmp_path):
    """江苏 2017 (086) prints "17981.68 万 元 ， 与 上 年 相 比 增 加 1454.35 万 元 ， 增 长 8.8 %"."""
    from opendata.validate.spacing import unspaced
    assert unspaced("17981.68 万 元 ， 与 上 年 相 比 增 加 1454.35 万 元 ， 增 长\n8.8 %。") == \
        "17981.68万元，与上年相比增加1454.35万元，增长8.8 %。"
    assert unspaced("办公费 138.00 15.70") == "办公费138.00 15.70"   # two numbers stay two


def test_an_amount_funded_one_way_is_not_the_years_expenditure(tmp_path):
    """深圳 2026 (013 p. 54): "上级专项转移支付支出预算 393.23 万元" is the part funded by earmarked
    transfers, not 本年支出合计 (支出预算)."""
    part = findings(tmp_path / "a", summary("1000.00"), narrative("上级专项转移支付支出预算393.23万元。", "三、其他"),
                    rule="narrative.figure-mismatch")
    assert part == []
    whole = findings(tmp_path / "b", summary("1000.00"), narrative("本部门2026年支出预算393.23万元。", "三、其他"),
                     rule="narrative.figure-mismatch")
    assert len(whole) == 1 and "393.23" in whole[0].message
