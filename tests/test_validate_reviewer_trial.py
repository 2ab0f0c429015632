"""Issue #14, the new-user trial T14 on corpus 052, 054, 057 and 087: a disclosure printing no
table (its tables in an attachment) gets one finding, not one per table; 国有资本经营预算支出表 is
not demanded before the year the standard requires it from (tables.csv `required_from`); a rate
printed in brackets after a change (较上年减少24.5万元（43%）) is checked; the reports show
expected / found in the unit the table printed."""
from __future__ import annotations

import pytest
from rich.console import Console

from opendata.standard import load_standard
from opendata.validate.render import render_markdown, render_text
from opendata.validate.report import Report, rule_catalog
from tests.test_validate_xian_levels import corpus_report as converted_report


def corpus_report(tmp_path_factory, number: str):
    """The validation report of corpus file NNN.pdf converted (`test_validate_xian_levels.corpus_report`)."""
    return converted_report(tmp_path_factory, number)[1]


@pytest.fixture(scope="module")
def r087(tmp_path_factory):
    return corpus_report(tmp_path_factory, "087")   # 江苏省委办公厅 2017 预算, narrative only


@pytest.fixture(scope="module")
def r052(tmp_path_factory):
    return corpus_report(tmp_path_factory, "052")   # 西安市发改委 2019 预算, narrative only


@pytest.fixture(scope="module")
def r057(tmp_path_factory):
    return corpus_report(tmp_path_factory, "057")   # 佛山市轨道交通局 2019 决算


def by_rule(report, prefix):
    return [f for f in report.findings if f.rule.startswith(prefix)]


def test_the_new_rules_are_in_the_catalog():
    catalog = rule_catalog()
    assert catalog["completeness.tables-elsewhere"]["severity"] == "info"
    assert catalog["completeness.no-tables"]["severity"] == "warning"


def test_narrative_only_disclosure_gets_one_finding(r087):
    """087 p. 5: "第二部分 省委办公厅2017年度部门预算表 / 具体公开表样附后" and no table printed: one
    info naming where the tables are, not nine missing-table warnings."""
    found = by_rule(r087, "completeness.")
    assert [f.rule for f in found] == ["completeness.tables-elsewhere"], [f.message for f in found]
    assert found[0].severity == "info" and found[0].location["page"] == 5
    assert "“具体公开表样附后”" in found[0].message
    assert "8张表" in found[0].message and "国有资本经营" not in found[0].message   # 2017: not required yet


def test_narrative_only_disclosure_names_its_attachment(r052):
    """052 pp. 27–28: "附件：2019 年部门综合预算公开报表" (the signature after it is not quoted)."""
    found = by_rule(r052, "completeness.")
    assert [f.rule for f in found] == ["completeness.tables-elsewhere"]
    assert "“附件：2019年部门综合预算公开报表”" in found[0].message


def test_state_capital_table_not_demanded_before_2020(r057):
    """057, a 2019 决算 whose contents (p. 2) list 8 tables without 国有资本经营预算支出表: an info,
    not a missing-table warning."""
    assert not by_rule(r057, "completeness.missing-table")
    found = [f for f in by_rule(r057, "completeness.table-not-printed") if f.table == "state_capital_expenditure"]
    assert len(found) == 1 and found[0].severity == "info" and "2020" in found[0].message


def test_required_from_in_the_catalog():
    spec = load_standard().tables["state_capital_expenditure"]
    assert spec.required_from == 2020
    assert not spec.required("budget", 2019) and spec.required("budget", 2020) and spec.required("final_accounts", None)
    assert load_standard().tables["income_summary"].required("budget", 2017)


def test_bracketed_rates_are_checked(r052):
    """052 p. 26: 三公 18.6万元 较上年减少24.5万元（43%） (true 56.84%), 公务接待费 8.6万元 较上年增加1.5万元
    （1.21%） (21.13%), 公务用车运行维护费 10万元 较上年减少1万元（1.1%） (9.09%)."""
    found = by_rule(r052, "narrative.change")
    assert sorted((f.expected, f.found) for f in found) == [("21.13%", "1.21%"), ("56.84%", "43%"), ("9.09%", "1.1%")]
    assert {f.location["page"] for f in found} == {26}


def test_bracketed_rates_right_and_wrong(tmp_path_factory):
    """054 p. 12: 会议费 32万元 较上年减少14.2万元（44.38%） (14.2 / 46.2 = 30.74%) and 培训费 109.6万元
    较上年增加89.06万元（81.26%） (433.59%) are wrong; 公务接待费 6.51万元 减少1.49万元（18.63%） and
    公务用车运行维护费 0万元 减少8万元（100%） are right and not reported."""
    report = corpus_report(tmp_path_factory, "054")
    found = by_rule(report, "narrative.change")
    assert sorted((f.expected, f.found) for f in found) == [("30.74%", "44.38%"), ("433.59%", "81.26%")]


def test_report_shows_amounts_in_the_printed_unit(r057):
    """057 p. 6, 收支总表 printed in 万元: 本年收入合计 1,668.14 against its items 1,668.15, shown so
    in the text and Markdown reports (the JSON keeps 元 and says the unit)."""
    report = Report(packages=[r057])
    console = Console(width=80, record=True, color_system=None)
    render_text(report, console)
    text = console.export_text()
    assert "应为 expected 1,668.15 万元 · 实为 found 1,668.14 万元" in text
    assert "16681500" not in text
    assert "| 1,668.15 万元 | 1,668.14 万元 |" in render_markdown(report)
    finding = next(f for f in r057.findings if f.expected == "16681500")
    assert finding.to_dict()["unit"] == "万元" and finding.to_dict()["decimals"] == 2
