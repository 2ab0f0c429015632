"""Narrative figures read by their subject, and rates checked to their printed precision (issue #14,
benchmarks/bench_findings.py: 086-1, 086-3, 089-1), on small built documents: the finding is raised
where the text is wrong and absent where it is right."""
from __future__ import annotations

from tests.test_validate_precision import findings, narrative, summary, table


def test_a_headline_figure_stated_again_later_is_compared(tmp_path):
    """江苏 2017 (086 p. 19): "此外，基本支出预算数为 12323.46 万元。与上年相比增加…" where the tables and
    the first statement print 12,323.48: the second statement (not a key figure of the converter)
    is read by its subject too, and compared once."""
    spending = table("支出总表", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
                     "201\t一般公共服务支出\t1000.00\t600.00\t400.00", "\t合计\t1000.00\t600.00\t400.00")
    text = "本部门2026年支出预算1000.00万元，其中：基本支出600.00万元。\n此外，基本支出预算数为{}万元。与上年相比增加100.00万元。"
    wrong = findings(tmp_path / "a", summary("1000.00"), spending, narrative(text.format("599.98"), "三、其他"),
                     rule="narrative.figure-mismatch")
    assert len(wrong) == 1 and "599.98" in wrong[0].message and "600.00" in wrong[0].message
    right = findings(tmp_path / "b", summary("1000.00"), spending, narrative(text.format("600.00"), "三、其他"),
                     rule="narrative.figure-mismatch")
    assert right == []


def test_a_part_or_a_comparison_is_not_the_headline_figure(tmp_path):
    text = "2026年支出预算1000.00万元。其中，项目支出预算为400.00万元。上年支出预算为800.00万元。"
    assert findings(tmp_path, summary("1000.00"), narrative(text, "三、其他"), rule="narrative.figure-mismatch") == []


def test_a_change_compared_with_yu_shang_nian_xiang_bi_is_checked(tmp_path):
    """江苏 2017 (089 p. 22): "支出 1959.99 万元，与上年相比增加 865.57 万元，增长 79.05%" (79.09%)."""
    text = "2026年支出预算1000.00万元，与上年相比增加200.00万元，增长{}%。"
    wrong = findings(tmp_path / "a", summary("1000.00"), narrative(text.format("25.05")), rule="narrative.change")
    assert len(wrong) == 1 and "25.05%" in wrong[0].message
    assert findings(tmp_path / "b", summary("1000.00"), narrative(text.format("25.00")), rule="narrative.change") == []
    jiao = "2026年支出预算1000.00万元，较上年减少250.00万元，下降{}%。"
    assert len(findings(tmp_path / "c", summary("1000.00"), narrative(jiao.format("20.05")), rule="narrative.change")) == 1
    assert findings(tmp_path / "d", summary("1000.00"), narrative(jiao.format("20.00")), rule="narrative.change") == []


def test_a_share_is_checked_to_its_printed_digits(tmp_path):
    """江苏 2017 (086 p. 22): "公务用车购置及运行费支出 317.8 万元，占…54.43%" of 584.35 (54.39%):
    within 0.5 % of the value, but not within the rounding of the printed figures."""
    text = "2026年支出预算1000.00万元，其中基本支出100.00万元，占{}%。"
    wrong = findings(tmp_path / "a", summary("1000.00"), narrative(text.format("10.05")), rule="narrative.percentage")
    assert len(wrong) == 1 and "10.05%" in wrong[0].message
    assert findings(tmp_path / "b", summary("1000.00"), narrative(text.format("10.00")),
                    rule="narrative.percentage") == []


def test_a_project_named_as_its_row_is_compared_with_that_row(tmp_path):
    """长春 2026 (064 p. 18): "信访局临聘人员经费15.56万元" where 项目支出表 prints 16.56."""
    projects = table("项目支出表", "项目名称\t单位名称\t合计\t一般公共预算",
                     "信访专项经费\t测试局\t30.00\t30.00", "临聘人员经费\t测试局\t16.56\t16.56", "\t合计\t46.56\t46.56")
    text = "2026年项目支出预算46.56万元，信访专项经费30万元，临聘人员经费{}万元。"
    wrong = findings(tmp_path / "a", summary("46.56"), projects, narrative(text.format("15.56"), "八、项目支出情况说明"),
                     rule="narrative.figure-mismatch")
    assert len(wrong) == 1 and "临聘人员经费" in wrong[0].message and "16.56" in wrong[0].message
    right = findings(tmp_path / "b", summary("46.56"), projects, narrative(text.format("16.56"), "八、项目支出情况说明"),
                     rule="narrative.figure-mismatch")
    assert right == []


def test_personnel_costs_are_the_economic_classes_301_and_303_when_no_column_prints_them(tmp_path):
    """福州 2026 (045 p. 25): "（一）人员经费7263.35万元，主要包括：…" where the basic table by economic
    class prints 301 7070.34 and 303 239.21 (7309.55) and no 人员经费 column."""
    basic = table("一般公共预算基本支出表", "科目编码\t科目名称\t合计",
                  "301\t工资福利支出\t70.00", "302\t商品和服务支出\t20.00", "303\t对个人和家庭的补助\t10.00", "\t合计\t100.00")
    text = "（一）人员经费{}万元，主要包括：基本工资、津贴补贴。"
    wrong = findings(tmp_path / "a", summary("100.00"), basic, narrative(text.format("75.00"), "五、基本支出情况"),
                     rule="narrative.figure-mismatch")
    assert len(wrong) == 1 and "75.00" in wrong[0].message and "80.00" in wrong[0].message
    right = findings(tmp_path / "b", summary("100.00"), basic, narrative(text.format("80.00"), "五、基本支出情况"),
                     rule="narrative.figure-mismatch")
    assert right == []
