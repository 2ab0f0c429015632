"""Mutation tests: break a clean package in one way — alter a cell, drop a row, swap a
code, change a unit, rename a table — and check that the rule meant to catch it fires
where it should and that nothing else appears.

"Nothing else" is measured against the unbroken package: every test validates the clean
package (trimmed to the tables the test needs, when other tables would legitimately
notice the same break) and the broken one, and compares what was added.
"""
from __future__ import annotations

import copy
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from opendata.model import Disclosure, Row, Table
from opendata.package import write_package
from opendata.validate import validate_package
from opendata.validate.report import rule_catalog

from .clean_packages import clean_disclosure

X = Decimal(12300)  # 1.23 万元: far beyond the printed precision


def key(finding) -> tuple:
    return (finding.rule, finding.table, finding.row_id, finding.measure)


def added(tmp_path: Path, change, *, seed: int = 0, keep: tuple[str, ...] | None = None, prepare=None,
          yuan: bool = False, edit_package=None) -> list:
    """Findings of the broken package that the clean one does not have."""
    base = clean_disclosure(seed, yuan=yuan)
    if keep is not None:
        base.tables = {k: v for k, v in base.tables.items() if k in keep}
    if prepare is not None:
        prepare(base)
    broken = copy.deepcopy(base)
    change(broken)
    clean_path = write_package(base, tmp_path / "clean")
    broken_path = write_package(broken, tmp_path / "broken")
    if edit_package is not None:
        edit_package(broken_path)
    before = Counter(key(f) for f in validate_package(clean_path).findings)
    new = []
    for finding in validate_package(broken_path).findings:
        if before[key(finding)]:
            before[key(finding)] -= 1
        else:
            new.append(finding)
    return new


def rules(findings) -> set[str]:
    return {f.rule for f in findings}


def row(d: Disclosure, table_id: str, row_id: str) -> Row:
    found = d.tables[table_id].row(row_id)
    assert found is not None, f"{table_id}: no row {row_id}"
    return found


def shift(r: Row, amount: Decimal, *measures: str) -> None:
    for m in measures:
        r.values[m] = (r.values.get(m) or Decimal(0)) + amount


def leaf(d: Disclosure, table_id: str = "general_budget_expenditure") -> str:
    """The first 项 (7-digit) function code of a table."""
    return next(r.row_id for r in d.tables[table_id].rows if len(str(r.values.get("function_code") or "")) == 7)


def with_ancestors(code: str) -> list[str]:
    return [code, code[:5], code[:3], "total"]


def assert_only(findings, rule: str, table: str | None = None, rows: set[str] | None = None) -> None:
    assert findings, f"{rule} did not fire"
    assert rules(findings) == {rule}, [(f.rule, f.table, f.row_id, f.message) for f in findings]
    for f in findings:
        assert f.severity == rule_catalog()[rule]["severity"]
        if table is not None:
            assert f.table == table, (f.table, f.message)
        if rows is not None:
            assert f.row_id in rows, (f.row_id, f.message)
        assert f.message and f.location, f


def test_the_clean_packages_are_clean(tmp_path):
    for seed in range(12):
        for yuan in (False, True):
            path = write_package(clean_disclosure(seed, yuan=yuan), tmp_path / f"p{seed}{yuan}")
            report = validate_package(path)
            assert [(f.rule, f.table, f.row_id, f.message) for f in report.findings] == []
            assert report.tables == 14 and report.rows > 80


# -- code lists -----------------------------------------------------------------------------------

def test_unknown_code_is_a_warning(tmp_path):
    def change(d):
        r = next(r for r in d.tables["general_budget_project_expenditure"].rows if len(str(r.values.get("economic_code") or "")) == 5)
        r.values["economic_code"] = "30298"  # "swap a code": not in the classification
    assert_only(added(tmp_path, change), "code.unknown", "general_budget_project_expenditure")


def test_code_of_another_year(tmp_path):
    """A 项 introduced in 2019 (2013799 其他网信事务支出) printed in a 2018 document."""
    def prepare(d):
        d.fiscal_year = 2018

    def change(d):
        table = d.tables["general_budget_expenditure"]
        table.rows.append(Row("2013799", values={"function_code": "2013799", "item": "其他网信事务支出"}))
    found = added(tmp_path, change, prepare=prepare)
    assert_only(found, "code.not-in-year", "general_budget_expenditure")
    assert "2019" in found[0].expected


def test_printed_name_differs(tmp_path):
    def change(d):
        code = leaf(d)
        for table in d.tables.values():
            for r in table.rows:
                if r.values.get("function_code") == code and r.values.get("item"):
                    r.values["item"] = "住房公积金" if "住房" not in r.values["item"] else "行政运行"
    found = added(tmp_path, change)
    assert_only(found, "code.name-mismatch")
    assert found[0].severity == "info"
    official = clean_name(leaf(clean_disclosure(0)))
    assert found[0].expected == official


def test_one_code_under_two_names(tmp_path):
    """A code printed with its official name in 支出总表 and another name in 一般公共预算支出表:
    the name differs from the official one (info) and the document contradicts itself (warning)."""
    def change(d):
        r = row(d, "general_budget_expenditure", leaf(d))
        r.values["item"] = "住房公积金" if "住房" not in r.values["item"] else "行政运行"
    found = added(tmp_path, change)
    assert rules(found) == {"code.name-mismatch", "code.name-inconsistent"}
    inconsistent = [f for f in found if f.rule == "code.name-inconsistent"]
    assert len(inconsistent) == 1 and inconsistent[0].severity == "warning"
    assert inconsistent[0].expected == clean_name(leaf(clean_disclosure(0)))


def clean_name(code: str) -> str:
    from opendata.standard import load_standard
    return load_standard().codelists["function_classification"].name_for(code, 2023)


@pytest.mark.parametrize("printed", ["八、社会保障和就业", "社会保障和就业支出（类）", "社会保障和就业", " 社会保障和就业支出 "])
def test_printed_names_are_not_differences(tmp_path, printed):
    def change(d):
        for table_id in ("general_budget_expenditure", "expenditure_summary"):
            r = d.tables[table_id].row("208")
            if r is not None:
                r.values["item"] = printed
    assert added(tmp_path, change) == []


def test_names_cut_short_or_qualified_are_not_differences(tmp_path):
    def change(d):
        for r in d.tables["general_budget_basic_expenditure"].rows:
            code = r.values.get("economic_code")
            if code == "30101":
                r.values["item"] = "基本工"  # cut short
            if code == "30110":
                r.values["item"] = "城镇职工基本医疗保险缴费"  # a longer local form
            if code == "30211":
                r.values["item"] = "国内差旅费"
            if code == "30102":
                r.values["item"] = "津贴补贴（在职）"
    assert added(tmp_path, change) == []


def test_former_name_is_a_warning(tmp_path):
    def change(d):
        for table_id in ("general_budget_expenditure", "expenditure_summary"):
            r = d.tables[table_id].row("210")
            r.values["item"] = "医疗卫生与计划生育支出"  # the name until 2018
    found = added(tmp_path, change)
    assert_only(found, "code.name-outdated")
    assert {f.table for f in found} == {"general_budget_expenditure", "expenditure_summary"}
    assert found[0].expected == "卫生健康支出"


# -- accounting: rows --------------------------------------------------------------------------------

def test_total_not_basic_plus_project(tmp_path):
    def change(d):
        code = leaf(d, "expenditure_summary")
        for rid in with_ancestors(code):
            shift(row(d, "expenditure_summary", rid), X, "basic")
    found = added(tmp_path, change, keep=("expenditure_summary",))
    code = leaf(clean_disclosure(0), "expenditure_summary")
    assert_only(found, "sum.basic-project", "expenditure_summary", set(with_ancestors(code)))
    assert {f.measure for f in found} == {"total"}
    assert found[0].difference == str(-X)


def test_total_off_basic_plus_project_by_rounding(tmp_path):
    """One unit of the last printed digit (0.01 万元) off: within the rounding of the parts, info."""
    def change(d):
        shift(row(d, "expenditure_summary", "total"), Decimal(100), "basic")
    found = added(tmp_path, change, keep=("expenditure_summary",))
    assert_only(found, "rounding", "expenditure_summary", {"total"})
    assert {f.measure for f in found} == {"total", "basic"}   # total ≠ basic + project; basic ≠ Σ 类


def test_basic_not_personnel_plus_public_use(tmp_path):
    def change(d):
        code = leaf(d)
        for rid in with_ancestors(code):
            shift(row(d, "general_budget_expenditure", rid), X, "personnel")
    assert_only(added(tmp_path, change, keep=("general_budget_expenditure",)), "sum.personnel-public-use",
                "general_budget_expenditure")


def economic_class_table(d: Disclosure) -> None:
    t = Table("expenditure_summary", columns=["function_code", "item", "total", "basic", "project", "wage_welfare",
                                              "goods_services", "household_subsidy", "general_project", "personnel_project"],
              money_unit="万元", money_decimals=2)
    v = Decimal
    t.rows = [
        Row("total", "total", {"item": "合计", "total": v(4618400), "basic": v(4234000), "project": v(384400), "wage_welfare": v(3805500),
                               "goods_services": v(335300), "household_subsidy": v(93200), "general_project": v(252400),
                               "personnel_project": v(132000)}),
        Row("2080109", "item", {"function_code": "2080109", "item": "社会保险经办机构", "total": v(4618400), "basic": v(4234000),
                                "project": v(384400), "wage_welfare": v(3805500), "goods_services": v(335300),
                                "household_subsidy": v(93200), "general_project": v(252400), "personnel_project": v(132000)}),
    ]
    d.tables = {"expenditure_summary": t}


def test_basic_not_the_economic_classes(tmp_path):
    def change(d):
        for r in d.tables["expenditure_summary"].rows:
            shift(r, X, "wage_welfare")
    assert_only(added(tmp_path, change, keep=(), prepare=economic_class_table), "sum.economic-classes", "expenditure_summary")


def test_project_not_its_kinds(tmp_path):
    def change(d):
        for r in d.tables["expenditure_summary"].rows:
            shift(r, -X, "general_project")
    assert_only(added(tmp_path, change, keep=(), prepare=economic_class_table), "sum.project-kinds", "expenditure_summary")


def test_total_not_the_sources_of_funds(tmp_path):
    def change(d):
        for r in d.tables["income_summary"].rows:
            shift(r, X, "general_budget")
    found = added(tmp_path, change, keep=("income_summary",))
    assert_only(found, "sum.funding-sources", "income_summary", {"total", "601", "601001"})


def test_three_public_parts(tmp_path):
    def change(d):
        for r in d.tables["three_public_expenses"].rows:
            if r.values["line"] == "vehicle_purchase":
                shift(r, X, "total")
    assert_only(added(tmp_path, change), "sum.three-public", "three_public_expenses")


# -- accounting: hierarchy and totals ------------------------------------------------------------------

def test_parent_code_not_the_sum_of_its_children(tmp_path):
    def change(d):
        r = next(r for r in d.tables["general_budget_basic_expenditure"].rows if r.values.get("economic_code") == "30101")
        shift(r, X, "total", "personnel")
    assert_only(added(tmp_path, change), "sum.hierarchy", "general_budget_basic_expenditure", {"301"})


def test_function_class_not_the_sum_of_its_items(tmp_path):
    def change(d):
        code = leaf(d)
        shift(row(d, "general_budget_expenditure", code), X, "total", "basic", "personnel")
    found = added(tmp_path, change, keep=("general_budget_expenditure",))
    code = leaf(clean_disclosure(0))
    assert_only(found, "sum.hierarchy", "general_budget_expenditure", {code[:5]})


def test_dropped_row_breaks_the_total(tmp_path):
    dropped = {}

    def change(d):
        t = d.tables["project_expenditure"]
        victim = t.rows[1]
        dropped["value"] = victim.values["total"]
        t.rows.remove(victim)
    found = added(tmp_path, change)
    assert_only(found, "sum.total-row", "project_expenditure", {"total"})
    assert Decimal(found[0].difference) == dropped["value"]


def test_row_the_total_leaves_out_is_named(tmp_path):
    """The Luoyang case: a class row printed in the appropriation table but not in its total."""
    def change(d):
        t = d.tables["fiscal_appropriation_summary"]
        at = next(i for i, r in enumerate(t.rows) if r.row_id == "income/二、上年结转")
        t.rows.insert(at, Row("expenditure/（九）交通运输支出", "item",
                              {"side": "expenditure", "item": "（九）交通运输支出", "total": Decimal(140000)}))
    found = added(tmp_path, change)
    assert rules(found) == {"sum.total-row", "across.function-classes"}
    total = next(f for f in found if f.rule == "sum.total-row")
    assert total.row_id == "expenditure/一、本年支出" and total.difference == "-140000"
    assert "交通运输" in total.message and "未计入合计" in total.message
    across = next(f for f in found if f.rule == "across.function-classes")
    assert across.row_id == "expenditure/（九）交通运输支出"


def test_income_not_expenditure(tmp_path):
    def change(d):
        for rid in ("expenditure/年终结转结余", "expenditure/支出总计"):
            shift(row(d, "income_expenditure_summary", rid), X, "total")
    assert_only(added(tmp_path, change), "sum.two-sided-balance", "income_expenditure_summary")


def test_one_grand_total_printed_blank(tmp_path):
    # 收入总计 printed blank beside 支出总计 195,774,300 (上海市审计局 2026): nothing to compare, but a finding
    def change(d):
        row(d, "income_expenditure_summary", "income/收入总计").values["total"] = None
    assert_only(added(tmp_path, change, keep=("income_expenditure_summary",)), "sum.two-sided-total-blank",
                "income_expenditure_summary", {"income/收入总计"})


def test_grand_total_not_year_plus_carryover(tmp_path):
    def change(d):
        shift(row(d, "income_expenditure_summary", "income/上年结转结余"), X, "total")
    assert_only(added(tmp_path, change), "sum.two-sided-carryover", "income_expenditure_summary", {"income/收入总计"})


# -- accounting: across tables ---------------------------------------------------------------------------

def test_summary_and_income_table_disagree(tmp_path):
    def change(d):
        shift(row(d, "income_expenditure_summary", "income/一、一般公共预算拨款收入"), -X, "total")
        shift(row(d, "income_expenditure_summary", "income/五、事业收入"), X, "total")
    found = added(tmp_path, change, keep=tuple(t for t in clean_disclosure(0).tables if t != "fiscal_appropriation_summary"))
    assert_only(found, "across.grand-totals", "income_summary")


def test_appropriation_table_disagrees(tmp_path):
    def change(d):
        shift(row(d, "fiscal_appropriation_summary", "income/（一）一般公共预算拨款"), -X, "total")
        shift(row(d, "fiscal_appropriation_summary", "income/（二）政府性基金预算拨款"), X, "total")
    assert_only(added(tmp_path, change), "across.fiscal-appropriation")


def test_function_class_differs_between_tables(tmp_path):
    def change(d):
        side = [r for r in d.tables["income_expenditure_summary"].rows
                if r.values.get("side") == "expenditure" and r.row_type == "item" and r.values.get("total")]
        shift(side[0], X, "total")
        shift(side[1], -X, "total")
    found = added(tmp_path, change)
    assert_only(found, "across.function-classes", "income_expenditure_summary")
    assert len(found) == 2


def test_basic_table_disagrees_with_the_basic_column(tmp_path):
    def change(d):
        for r in d.tables["general_budget_basic_expenditure"].rows:
            if r.values.get("economic_code") in ("30101", "301") or r.row_id == "total":
                shift(r, X, "total", "personnel")
    found = added(tmp_path, change)
    assert_only(found, "across.basic-expenditure", "general_budget_basic_expenditure", {"total"})
    assert {f.measure for f in found} == {"total", "personnel"}


def test_project_table_disagrees_with_the_project_column(tmp_path):
    def change(d):
        for r in d.tables["general_budget_project_expenditure"].rows:
            if r.row_id in ("total", "302") or r is d.tables["general_budget_project_expenditure"].rows[2]:
                shift(r, X, "total")
    assert_only(added(tmp_path, change), "across.project-expenditure", "general_budget_project_expenditure", {"total"})


def test_expenditure_tables_disagree_on_a_code(tmp_path):
    # two 项 of one 款: moving money between them keeps every class and 款 total
    seed, pair = next((s, p) for s in range(200) for p in [_siblings(clean_disclosure(s))] if p)

    def change(d):
        a, b = pair
        shift(row(d, "expenditure_summary", a), X, "total", "basic")
        shift(row(d, "expenditure_summary", b), -X, "total", "basic")
    found = added(tmp_path, change, seed=seed)
    assert_only(found, "across.function-codes", "expenditure_summary", set(pair))


def _siblings(d: Disclosure):
    leaves = [r for r in d.tables["expenditure_summary"].rows if len(str(r.values.get("function_code") or "")) == 7]
    for a in leaves:
        for b in leaves:
            if a is not b and a.row_id[:5] == b.row_id[:5] and b.values["basic"] > X * 2:
                return a.row_id, b.row_id
    return None


# -- narrative --------------------------------------------------------------------------------------

def figure_row(d: Disclosure, figure: str) -> Row:
    return row(d, "key_figures", figure)


def test_narrative_figure_disagrees(tmp_path):
    def change(d):
        r = figure_row(d, "basic")
        old = f"{r.values['amount'] / 10000:.2f}万元"
        r.values["amount"] += X
        r.values["text"] = r.values["text"].replace(old, f"{r.values['amount'] / 10000:.2f}万元")
    found = added(tmp_path, change)
    assert_only(found, "narrative.figure-mismatch", "key_figures", {"basic"})
    assert Decimal(found[0].difference) == X


def test_narrative_component_in_the_wrong_unit(tmp_path):
    """"change a unit": the amount printed in 元 but labelled 万元 — larger than the whole budget."""
    def change(d):
        r = figure_row(d, "basic")
        old = f"{r.values['amount'] / 10000:.2f}万元"
        new = f"{r.values['amount']:.2f}万元"
        r.values["amount"] *= 10000
        r.values["text"] = r.values["text"].replace(old, new)
    found = added(tmp_path, change)
    assert_only(found, "narrative.component-exceeds-whole", "key_figures", {"basic"})
    assert "单位可能印错" in found[0].message


def test_stated_share_disagrees(tmp_path):
    def change(d):
        r = d.tables["narrative"].rows[1]
        import re
        r.values["text"] = re.sub(r"占(\d+\.\d+)%", lambda m: f"占{Decimal(m.group(1)) + 7}%", r.values["text"], count=1)
    assert_only(added(tmp_path, change), "narrative.percentage", "narrative", {"2"})


def test_stated_change_disagrees(tmp_path):
    def change(d):
        r = d.tables["narrative"].rows[0]
        import re
        r.values["text"] = re.sub(r"增长(\d+\.\d+)%", lambda m: f"增长{Decimal(m.group(1)) * 2 + 3}%", r.values["text"])
    assert_only(added(tmp_path, change), "narrative.change", "narrative", {"1"})


def test_earlier_figure_in_the_wrong_unit(tmp_path):
    def change(d):
        r = d.tables["narrative"].rows[0]
        import re
        m = re.search(r"收支总预算(\d+\.\d+)万元，比上年预算增加(\d+\.\d+)万元", r.values["text"])
        current, change_ = Decimal(m.group(1)), Decimal(m.group(2))
        r.values["text"] = r.values["text"].replace(
            m.group(0), f"收支总预算{current}万元，比上年{current - change_:.2f}元增加{change_}万元")
    found = added(tmp_path, change)
    assert_only(found, "narrative.change", "narrative", {"1"})
    assert "单位可能印错" in found[0].message


# -- completeness ------------------------------------------------------------------------------------

def test_required_table_missing(tmp_path):
    def change(d):
        del d.tables["three_public_expenses"]
    assert_only(added(tmp_path, change), "completeness.missing-table", "three_public_expenses")


def _tables_in_an_attachment(d: Disclosure, sentence: str | None) -> None:
    """Keep the narrative only (a document whose tables are published apart), saying `sentence`."""
    d.tables = {k: v for k, v in d.tables.items() if k == "narrative"}
    if sentence:
        _say(d, "第二部分 2017年度部门预算表", sentence)


def test_narrative_only_document_is_one_finding(tmp_path):
    # 江苏省委办公厅 2017 (087 p. 5): 第二部分 … 部门预算表 / 具体公开表样附后, and no table printed
    found = added(tmp_path, lambda d: _tables_in_an_attachment(d, "具体公开表样附后"))
    assert [f.rule for f in found] == ["completeness.tables-elsewhere"]
    assert "具体公开表样附后" in found[0].message
    found = added(tmp_path / "b", lambda d: _tables_in_an_attachment(d, None))
    assert [f.rule for f in found] == ["completeness.no-tables"]


def test_state_capital_table_not_required_before_its_year(tmp_path):
    def change(d):
        del d.tables["state_capital_expenditure"]
    found = added(tmp_path, change)
    assert "completeness.missing-table" in rules(found) or "completeness.table-not-printed" in rules(found)

    def earlier(d):
        d.fiscal_year = 2017
        del d.tables["state_capital_expenditure"]
    found = added(tmp_path / "b", earlier, prepare=lambda d: setattr(d, "fiscal_year", 2017))
    assert [(f.rule, f.table) for f in found] == [("completeness.table-not-printed", "state_capital_expenditure")]
    assert "2020" in found[0].message


def test_change_rates_in_other_forms(tmp_path):
    # 035 p. 22 prints a rate with a thousands comma (增长2,168.43%); 061 "提高8.03%"; 052 p. 26 the bracket form
    def right(d):
        _say(d, "说明", "项目支出127,692.11万元，与上年相比增加122,063.01万元，增长2,168.43%。"
                      "会议费102.18万元，较2025年预算增加7.594万元，提高8.03%。培训费8.6万元，较上年增加1.5万元（21.13%）。")
    assert added(tmp_path, right) == []

    def wrong(d):
        _say(d, "说明", "公务接待费8.6万元，较上年增加1.5万元（1.21%），主要原因工作任务增加；会议费102.18万元，"
                      "较2025年预算增加7.594万元，提高9.03%。")
    found = added(tmp_path / "b", wrong)
    assert sorted((f.rule, f.expected, f.found) for f in found) == [
        ("narrative.change", "21.13%", "1.21%"), ("narrative.change", "8.03%", "9.03%")]


def test_renamed_table_is_unknown_and_missing(tmp_path):
    def edit(path: Path):
        descriptor = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
        for resource in descriptor["resources"]:
            if resource["name"] == "three_public_expenses":
                resource["name"] = resource["tableId"] = "three_public"
        (path / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    found = added(tmp_path, lambda d: None, edit_package=edit)
    assert rules(found) == {"resource.unknown-table", "completeness.missing-table"}


def test_empty_table_without_its_note(tmp_path):
    def change(d):
        d.tables["government_fund_expenditure"].note = None
    assert_only(added(tmp_path, change), "completeness.empty-table-without-note", "government_fund_expenditure")


def _say(d: Disclosure, heading: str, text: str) -> None:
    d.tables["narrative"].rows.append(Row("said", values={"section": "99", "heading": heading, "text": text, "item": heading}))


def test_empty_table_explained_in_the_narrative(tmp_path):
    # 江苏省人民检察院 2017: 七、政府性基金支出预算表 printed empty, its 情况说明 says 本部门无政府性基金预算
    def change(d):
        d.tables["government_fund_expenditure"].note = None
        _say(d, "七、政府性基金支出预算表情况说明", "某局2017年政府性基金支出预算支出0万元，\n本部门无政府性\n基金预算。")
    assert added(tmp_path, change) == []

    def listed(d):   # one sentence naming two kinds of money (本单位无政府性基金预算支出、国有资本经营预算支出)
        d.tables["government_fund_expenditure"].note = None
        _say(d, "说明", "本单位无国有资本经营预算支出、政府性基金预算支出。")
    assert added(tmp_path / "b", listed) == []

    def everything(d):   # one note for all the empty tables
        d.tables["government_fund_expenditure"].note = None
        _say(d, "说明", "注：以上部门预算报表中，空表表示本部门无相关收支情况。")
    assert added(tmp_path / "c", everything) == []


def test_empty_table_with_a_nil_amount_or_another_subject_is_not_explained(tmp_path):
    def change(d):
        d.tables["government_fund_expenditure"].note = None
        _say(d, "说明", "某局2017年政府性基金支出预算支出0万元。本部门无国有资本经营预算，本单位无下属单位。")
    assert_only(added(tmp_path, change), "completeness.empty-table-without-note", "government_fund_expenditure")


def test_empty_optional_table_without_a_note(tmp_path):
    def change(d):
        t = Table("government_procurement", columns=["item", "total"], money_unit="万元", money_decimals=2)
        t.rows.append(Row("total", "total", {"item": "合计", "total": Decimal(0)}))
        d.tables["government_procurement"] = t
    assert_only(added(tmp_path, change), "completeness.empty-optional-table-without-note", "government_procurement")


# -- structure: a broken table is reported once, by layer 1 ------------------------------------------------

def test_text_in_an_amount_cell_is_a_type_error_only(tmp_path):
    def edit(path: Path):
        csv_path = path / "data" / "general_budget_expenditure.csv"
        lines = csv_path.read_text(encoding="utf-8").splitlines()
        cells = lines[2].split(",")
        cells[lines[0].split(",").index("total")] = "一百"
        lines[2] = ",".join(cells)
        csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = added(tmp_path, lambda d: None, edit_package=edit)
    assert_only(found, "table.type-error", "general_budget_expenditure")


def test_duplicate_row_id_is_structural_only(tmp_path):
    def change(d):
        t = d.tables["project_expenditure"]
        t.rows[2].row_id = t.rows[1].row_id
    found = added(tmp_path, change)
    assert rules(found) == {"table.unique-error", "table.primary-key"}


def test_required_table_not_printed_whose_figures_are_in_a_wider_table(tmp_path):
    def change(d):
        basic = d.tables.pop("general_budget_basic_expenditure")
        d.tables["basic_expenditure"] = Table("basic_expenditure", columns=list(basic.columns), rows=list(basic.rows),
                                              money_unit=basic.money_unit, money_decimals=basic.money_decimals)
    found = added(tmp_path, change)
    assert "completeness.table-not-printed" in rules(found)
    assert "completeness.missing-table" not in rules(found)


def test_general_budget_over_all_funds_on_a_code(tmp_path):
    # 支出总表 alone (no income table: not known to be all general-budget money): money moved between two 项
    seed, pair = next((s, p) for s in range(200) for p in [_siblings(clean_disclosure(s))] if p)

    def change(d):
        a, b = pair
        shift(row(d, "expenditure_summary", b), X, "total", "basic")
        shift(row(d, "expenditure_summary", a), -X, "total", "basic")
    found = added(tmp_path, change, seed=seed, keep=("expenditure_summary", "general_budget_expenditure"))
    assert_only(found, "across.general-within-all", "general_budget_expenditure", {pair[0]})


def test_performance_list_total_off_its_projects(tmp_path):
    def prepare(d):
        t = d.tables["project_performance_targets"]
        total = sum((r.values["total"] for r in t.rows if r.values.get("total") is not None), Decimal(0))
        t.rows.insert(0, Row("total", "total", {"item": "合计", "total": total}))

    def change(d):
        shift(row(d, "project_performance_targets", "total"), X, "total")
    found = added(tmp_path, change, keep=("project_performance_targets",), prepare=prepare)
    assert_only(found, "sum.performance-projects", "project_performance_targets", {"total"})


def test_performance_projects_beyond_the_whole_expenditure(tmp_path):
    """One project's 资金总额 printed larger by the department's whole expenditure: the projects add up
    to more than 支出总表's 合计 (at most its 项目支出 was expected)."""
    def change(d):
        whole = row(d, "expenditure_summary", "total").values["total"]
        first = next(r for r in d.tables["project_performance_targets"].rows if r.values.get("total") is not None)
        shift(first, whole, "total")
    found = added(tmp_path, change, keep=("project_performance_targets", "expenditure_summary"))
    assert_only(found, "across.performance-projects", "project_performance_targets")


def test_department_performance_total_off_the_expenditure(tmp_path):
    """部门整体支出绩效目标表's 资金总额 printed 1.23 万元 above 支出总表's 合计: none of the department's expenditure totals."""
    def prepare(d):
        whole = row(d, "expenditure_summary", "total").values["total"]
        d.tables["department_performance_targets"] = Table(
            "department_performance_targets", rows=[Row("资金总额", "item", {"item": "资金总额", "total": whole})],
            columns=["item", "total"], money_unit="元")

    def change(d):
        shift(row(d, "department_performance_targets", "资金总额"), X, "total")
    found = added(tmp_path, change, prepare=prepare)
    assert_only(found, "across.department-performance-total", "department_performance_targets", {"资金总额"})


def test_a_code_printed_with_its_parents_name(tmp_path):
    """An economic 款 printed with the name of its 类 (30101 printed 工资福利支出, 301's name): the code or the name is
    wrong, a warning naming the parent."""
    def change(d):
        for r in d.tables["general_budget_basic_expenditure"].rows:
            if r.values.get("economic_code") == "30101":
                r.values["item"] = "工资福利支出"
    found = added(tmp_path, change)
    assert_only(found, "code.name-of-other-code", "general_budget_basic_expenditure")
    assert "301" in found[0].message


def test_a_year_before_the_code_lists_is_said_once(tmp_path):
    """A package of 2017, before the classification lists begin (2018): its codes are not judged, and one finding
    per list says so."""
    def change(d):
        d.fiscal_year = 2017
    found = [f for f in added(tmp_path, change) if f.rule.startswith("code.")]
    assert found and {f.rule for f in found} == {"code.not-checked"}
    assert all(f.severity == "info" and f.found == "2017" for f in found)
