"""across.general-within-all (issue #14): per 项 function code, 一般公共预算支出表 (general-budget money)
can not print more than 支出总表 (all funds), the rows printing a code summed in each table."""
from __future__ import annotations

from decimal import Decimal

from opendata.model import Row
from opendata.package import write_package
from opendata.validate import validate_package
from opendata.validate.report import rule_catalog

from .clean_packages import clean_disclosure

RULE = "across.general-within-all"


def _pair(seed=0):
    d = clean_disclosure(seed)
    d.tables = {k: d.tables[k] for k in ("expenditure_summary", "general_budget_expenditure")}
    return d


def _findings(d, path):
    report = validate_package(write_package(d, path), layers=("accounting",))
    return [(f.rule, f.row_id, f.severity) for f in report.findings if f.rule == RULE]


def test_the_rule_is_in_the_catalog_with_an_example():
    row = rule_catalog()[RULE]
    assert (row["layer"], row["severity"]) == ("accounting", "error") and row["example"]


def test_the_same_tables_pass(tmp_path):
    assert _findings(_pair(), tmp_path / "clean") == []


def test_a_code_of_the_general_budget_over_its_all_funds_rows_is_an_error(tmp_path):
    d = _pair()
    exp, gbe = d.tables["expenditure_summary"], d.tables["general_budget_expenditure"]
    code = next(r.values["function_code"] for r in gbe.rows if len(str(r.values.get("function_code") or "")) == 7)
    # 支出总表 prints the code twice (two units), together less than the general budget's one row
    row = exp.row(code)
    half = (row.values["total"] / 2).quantize(Decimal(100))
    row.values["total"] = half
    exp.rows.append(Row(f"{code}#2", row.row_type, {"function_code": code, "item": row.values.get("item"), "total": half - 100000}))
    assert _findings(d, tmp_path / "broken") == [(RULE, code, "error")]


def test_codes_printed_in_several_rows_are_summed(tmp_path):
    d = _pair()
    exp, gbe = d.tables["expenditure_summary"], d.tables["general_budget_expenditure"]
    code = next(r.values["function_code"] for r in gbe.rows if len(str(r.values.get("function_code") or "")) == 7)
    row = exp.row(code)
    half = (row.values["total"] / 2).quantize(Decimal(100))
    whole = row.values["total"]
    row.values["total"] = half
    exp.rows.append(Row(f"{code}#2", row.row_type, {"function_code": code, "item": row.values.get("item"), "total": whole - half}))
    assert _findings(d, tmp_path / "split") == []


def _targets_with_total(d, total):
    t = d.tables["project_performance_targets"]
    t.rows.insert(0, Row("total", "total", {"item": "合计", "total": total}))
    return t


def test_a_performance_list_total_is_its_projects_counted_once(tmp_path):
    d = clean_disclosure(0)
    d.tables = {"project_performance_targets": d.tables["project_performance_targets"]}
    t = d.tables["project_performance_targets"]
    for row in t.rows:   # every indicator row repeats its project's amount, as printed lists do
        if row.values.get("total") is None:
            row.values["total"] = next(r.values["total"] for r in t.rows
                                       if r.values.get("project_name") == row.values["project_name"] and r.values.get("total"))
    once = sum({r.values["project_name"]: r.values["total"] for r in t.rows}.values(), Decimal(0))
    _targets_with_total(d, once)
    clean = validate_package(write_package(d, tmp_path / "clean"), layers=("accounting",))
    assert not [f for f in clean.findings if f.rule == "sum.performance-projects"], [f.message for f in clean.findings]
    t.rows[0].values["total"] = once + 11810900   # a 合计 over a project not listed
    report = validate_package(write_package(d, tmp_path / "broken"), layers=("accounting",))
    assert [(f.rule, f.row_id, f.severity) for f in report.findings if f.rule == "sum.performance-projects"] == [
        ("sum.performance-projects", "total", "error")]


def test_the_general_budget_column_of_the_project_list_is_the_general_budget_project_column(tmp_path):
    d = clean_disclosure(0)
    d.tables = {k: d.tables[k] for k in ("general_budget_expenditure", "project_expenditure")}
    rule = "across.project-expenditure"
    clean = validate_package(write_package(d, tmp_path / "clean"), layers=("accounting",))
    assert not [f for f in clean.findings if f.rule == rule], [f.message for f in clean.findings]
    d.tables["project_expenditure"].row("total").values["general_budget"] += 1100   # 0.11 万元 of carry-over counted in
    report = validate_package(write_package(d, tmp_path / "broken"), layers=("accounting",))
    found = [(f.rule, f.row_id, f.measure) for f in report.findings if f.rule == rule]
    assert ("across.project-expenditure", "total", "general_budget") in found, [f.message for f in report.findings]
