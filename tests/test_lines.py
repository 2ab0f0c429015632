"""Canonical lines (codelists/lines.csv): the converter sets `line` from the printed label, and one
`opendata facts` filter on table, line and measure gives exactly one value per package — over the
seeds, both reference PDFs and small built documents."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from opendata.convert import convert_file, convert_to_package
from opendata.convert.lines import line_key
from opendata.facts import facts
from opendata.standard import load_standard

from .conftest import run_cli
from .documents import text_document

SHARED = Path(__file__).resolve().parents[2] / "shared"
SOURCES = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "references" / "pdf").glob("*.pdf"))
SUMMARIES = ("income_expenditure_summary", "fiscal_appropriation_summary")
CATEGORIES = ("overseas_travel", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """Every seed and reference document converted: {source name: list of facts}."""
    out = tmp_path_factory.mktemp("lines")
    converted = {}
    for source in SOURCES:
        result = convert_to_package(source, out / source.stem)
        converted[source.name] = list(facts(result.path))
    return converted


def pick(rows, table, line, measure):
    """The amounts of one line and measure of the table's own rows (not those of a unit it lists)."""
    return [row["amount"] for row in rows if row["table"] == table and row["line"] == line and row["measure"] == measure
            and not row["unit_code"] and not row["unit_name"]]


def test_the_sources_are_there():
    assert len(SOURCES) == 7, SOURCES


def test_every_line_code_is_unique_and_names_catalog_tables():
    standard = load_standard()
    rows = standard.codelists["lines"].rows
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    for row in rows:
        assert set(row["table"].split()) <= set(standard.tables), row
        assert row["within"] in ("", *codes), row
    figures = {row["code"] for row in standard.codelists["key_figures"].rows}
    assert figures <= {row["code"] for row in rows if "key_figures" in row["table"].split()}


@pytest.mark.parametrize("label, key", [("一、一般公共预算拨款收入", "一般公共预算拨款收入"), ("（一）一般公共预算资金", "一般公共预算资金"),
                                        ("其中：（1）公务用车运行维护费", "公务用车运行维护费"), ("1.一般公共预算资金", "一般公共预算资金"),
                                        ("二十六、抗疫特别国债安排的支出", "抗疫特别国债安排的支出"), ("“三公”经费合计", "三公经费合计"),
                                        ("一 般 公 共 预 算", "一般公共预算")])
def test_numbering_and_spaces_are_stripped_before_matching(label, key):
    assert line_key(label) == key


@pytest.mark.parametrize("line", ["general_budget_appropriation_income", "total_income", "total_expenditure"])
def test_one_value_per_package_in_each_summary(packages, line):
    seen = 0
    for name, rows in packages.items():
        for table in SUMMARIES:
            if not any(row["table"] == table for row in rows):
                continue   # the document does not print that table (the final-accounts seed)
            values = pick(rows, table, line, "total")
            assert len(values) == 1, (name, table, line, values)
            seen += 1
    assert seen >= 12


def test_the_printed_general_budget_income_is_found(packages):
    """Values as printed (元): the 收支总表 of each document."""
    expected = {"000_456597b442e87669.txt": Decimal("59320916.36"), "001_55e2fc65d40c4b28.txt": Decimal("68353777.63"),
                "002_08156c0f8873661b.txt": Decimal("4618400"), "004_93472fa86a087a5d.txt": Decimal("9774000"),
                "01_shpt_caizhengju_2024_final.pdf": Decimal("29400500"), "04_shpt_shangwuwei_2025_dept_budget.pdf": Decimal("371514655")}
    for name, amount in expected.items():
        assert pick(packages[name], "income_expenditure_summary", "general_budget_appropriation_income", "total") == [amount], name


def test_final_accounts_carry_over_parts_are_their_own_lines(packages):
    """财政拨款收入支出决算总表 prints 一、一般公共预算财政拨款 twice: in the year's income and under
    年初财政拨款结转和结余 (21.63 万元)."""
    rows = packages["01_shpt_caizhengju_2024_final.pdf"]
    table = "fiscal_appropriation_summary"
    assert pick(rows, table, "general_budget_appropriation_income", "total") == [Decimal("29400500")]
    assert pick(rows, table, "carryover", "total") == [Decimal("216300")]
    assert pick(rows, table, "carryover_general_budget", "total") == [Decimal("216300")]
    assert pick(rows, table, "current_year_expenditure", "total") == [Decimal("29400500")]


def test_three_public_categories_one_value_each(packages):
    """Each 三公 category is one fact where printed, whatever the layout: a row of its own (line =
    category, measure total; three_public_lines.csv), the rows of listed units apart (unit_code / unit_name)."""
    for name, rows in packages.items():
        for category in CATEGORIES:
            values = pick(rows, "three_public_expenses", category, "total")
            assert len(values) <= 1, (name, category, values)
    budget = packages["04_shpt_shangwuwei_2025_dept_budget.pdf"]   # 1.00 万元, all of it 公务接待费
    assert pick(budget, "three_public_expenses", "total", "total") == [Decimal("10000")]
    assert pick(budget, "three_public_expenses", "reception", "total") == [Decimal("10000")]
    final = packages["01_shpt_caizhengju_2024_final.pdf"]   # 预算数 0.95 万元, 公务接待费
    assert pick(final, "three_public_expenses", "total", "budget_initial") == [Decimal("9500")]
    assert pick(final, "three_public_expenses", "reception", "budget_initial") == [Decimal("9500")]
    seed = packages["000_456597b442e87669.txt"]   # printed 0 in every column, one row per unit below 合计
    for category in CATEGORIES:
        assert pick(seed, "three_public_expenses", category, "total") == [Decimal("0")]


THREE_PUBLIC_ROWS = """2026年度“三公”经费支出预算表
单位：万元
项目\t预算数
合计\t12.00
1、因公出国（境）费\t2.00
2、公务接待费\t3.00
3、公务用车购置及运行维护费\t7.00
其中：公务用车购置费\t5.00
公务用车运行维护费\t2.00
"""

FISCAL_SUMMARY = """2026年度财政拨款收支预算总表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、本年收入\t120.50\t一、本年支出\t120.50
（一）一般公共预算拨款\t120.50\t（一）一般公共服务支出\t100.00
（二）政府性基金预算拨款\t\t（二）住房保障支出\t20.50
二、上年结转\t10.00\t二、年终结转结余\t10.00
（一）一般公共预算拨款\t10.00\t\t
某某调剂收入\t\t\t
收入总计\t130.50\t支出总计\t130.50
"""


def test_built_document_three_public_rows_and_carry_over(tmp_path):
    result = convert_file(text_document(tmp_path, THREE_PUBLIC_ROWS, FISCAL_SUMMARY))
    tables = result.disclosure.tables
    three = {row.values.get("line"): row.values.get("total") for row in tables["three_public_expenses"].rows}
    assert three == {"total": Decimal("120000"), "overseas_travel": Decimal("20000"), "reception": Decimal("30000"),
                     "vehicle": Decimal("70000"), "vehicle_purchase": Decimal("50000"), "vehicle_operation": Decimal("20000")}
    lines = {row.values.get("line"): (row.values.get("item"), row.values.get("total"))
             for row in tables["fiscal_appropriation_summary"].rows}
    assert lines["general_budget_appropriation_income"] == ("（一）一般公共预算拨款", Decimal("1205000"))
    assert lines["carryover_general_budget"] == ("（一）一般公共预算拨款", Decimal("100000"))   # item kept as printed
    assert lines["function_201"][1] == Decimal("1000000") and lines["function_221"][1] == Decimal("205000")
    assert lines["current_year_income"][1] == lines["current_year_expenditure"][1] == Decimal("1205000")
    assert lines["carryover_year_end"][1] == Decimal("100000")
    unmapped = [row for row in tables["fiscal_appropriation_summary"].rows if not row.values.get("line")]
    assert [row.values["item"] for row in unmapped] == ["某某调剂收入"]
    reports = [w for w in result.warnings if "canonical line" in w]
    assert len(reports) == 1 and "某某调剂收入" in reports[0] and "[fiscal_appropriation_summary]" in reports[0], reports


def test_a_label_shared_by_two_lines_is_decided_by_the_row_type(tmp_path):
    """收入合计 is the year's subtotal where 收入总计 follows, the grand total where it is the last line."""
    text = """2026年度收支预算总表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t120.50\t一、一般公共服务支出\t120.50
收入合计\t120.50\t支出合计\t120.50
"""
    table = convert_file(text_document(tmp_path, text)).disclosure.tables["income_expenditure_summary"]
    lines = {(row.values["side"], row.row_type): row.values.get("line") for row in table.rows if "合计" in row.values["item"]}
    assert lines == {("income", "total"): "total_income", ("expenditure", "total"): "total_expenditure"}


def test_a_named_projects_amount_is_one_fact(packages):
    """The facts view names the project (`project`) of project-keyed tables: 001 prints
    困难人员参加城乡居民基本养老保险代缴保费（2023年） once in its project table, 1,738,000.00 元, under the
    function class 财政代缴城乡居民基本养老保险费支出 (the row's `item`)."""
    rows = packages["001_55e2fc65d40c4b28.txt"]
    found = [row for row in rows if row["table"] == "project_expenditure" and row["measure"] == "total"
             and row["project"] == "困难人员参加城乡居民基本养老保险代缴保费（2023年）"]
    assert [(row["amount"], row["item"]) for row in found] == [(Decimal("1738000"), "财政代缴城乡居民基本养老保险费支出")]
    named = [row for row in rows if row["table"] == "project_expenditure" and row["measure"] == "total" and row["project"]]
    assert len(named) == len({row["project"] for row in named}) == 7
    assert not any(row["project"] for row in rows if row["table"] in SUMMARIES)


def test_a_project_is_found_by_its_code(tmp_path):
    """`opendata facts --project` takes a project's code as well as its name: 001 prints
    11010223T000001959580-电子设备类（2023年） in its 项目支出绩效目标表 with 373,300.00 元 (项目金额 and 财政拨款),
    repeated on each indicator row (one fact per measure)."""
    package = convert_to_package(SHARED / "seeds" / "001_55e2fc65d40c4b28.txt", tmp_path / "p").path
    found = {}
    for project in ("11010223T000001959580", "电子设备类（2023年）"):
        out = run_cli("facts", str(package), "--table", "project_performance_targets", "--project", project).stdout
        found[project] = [(row["project"], row["project_code"], row["measure"], row["amount"]) for row in csv.DictReader(io.StringIO(out))]
    assert found["11010223T000001959580"] == found["电子设备类（2023年）"] == [
        ("电子设备类（2023年）", "11010223T000001959580", "total", "373300"),
        ("电子设备类（2023年）", "11010223T000001959580", "fiscal_appropriation", "373300")]
