"""The facts view: one row per printed amount, exactly these columns, over one package or a folder."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

import opendata
from opendata.facts import FACT_COLUMNS
from opendata.model import Disclosure, Row, SourceDocument, Table
from opendata.money import parse_amount
from opendata.package import write_package

from .conftest import run_cli

EXPECTED_COLUMNS = ["package", "table", "side", "unit_code", "unit_name", "function_code", "economic_code", "item", "line",
                    "period", "project", "project_code", "measure", "amount", "row_id", "row_type", "fiscal_year", "stage"]


def small_disclosure(unit_code: str = "257004", year: int = 2024, stage: str = "budget") -> Disclosure:
    source = SourceDocument(filename="doc.pdf", sha256="f" * 64, bytes=1, format="pdf")
    d = Disclosure(unit_name="北京市东城区社会保险基金管理中心", unit_code=unit_code, division_code="110101",
                   division_names=["北京市", "东城区"], fiscal_year=year, stage=stage, money_unit="万元",
                   source=source, created="2024-02-06T08:00:00Z")
    two_sided = Table("income_expenditure_summary", columns=["side", "item", "total"], money_unit="万元", money_decimals=2)
    two_sided.rows = [
        Row("income/一般公共预算拨款收入", "item", {"side": "income", "item": "一般公共预算拨款收入",
                                             "total": parse_amount("461.84", "万元")}),
        Row("expenditure/社会保障和就业支出", "item", {"side": "expenditure", "item": "社会保障和就业支出",
                                               "total": parse_amount("461.84", "万元")}),
    ]
    summary = Table("expenditure_summary", columns=["function_code", "item", "total", "basic", "project"],
                    money_unit="万元", money_decimals=6)
    summary.rows = [
        Row("2080109", "item", {"function_code": "2080109", "item": "社会保险经办机构",
                                "total": parse_amount("5,932.091636", "万元"), "basic": None,
                                "project": parse_amount("0.000000", "万元")}),
        Row("total", "total", {"function_code": None, "item": "合计", "total": parse_amount("5,932.091636", "万元"),
                               "basic": None, "project": None}),
    ]
    basic = Table("general_budget_basic_expenditure", columns=["gov_economic_code", "economic_code", "item", "total"],
                  money_unit="元", money_decimals=2)
    basic.rows = [
        Row("50101|30101", "item", {"gov_economic_code": "50101", "economic_code": "30101", "item": "基本工资",
                                    "total": Decimal("100.10")}),
        Row("50201", "item", {"gov_economic_code": "50201", "economic_code": None, "item": "办公经费",
                              "total": Decimal("-20")}),
    ]
    d.tables = {t.table_id: t for t in (two_sided, summary, basic)}
    return d


def expected_rows(package: str, year: str = "2024", stage: str = "budget") -> list[dict[str, str]]:
    def row(table, side, function_code, economic_code, item, measure, amount, row_id, row_type):
        return dict(zip(EXPECTED_COLUMNS, [package, table, side, "", "", function_code, economic_code, item, "", "", "", "", measure, amount,
                                           row_id, row_type, year, stage]))
    return [
        row("income_expenditure_summary", "income", "", "", "一般公共预算拨款收入", "total", "4618400",
            "income/一般公共预算拨款收入", "item"),
        row("income_expenditure_summary", "expenditure", "", "", "社会保障和就业支出", "total", "4618400",
            "expenditure/社会保障和就业支出", "item"),
        row("expenditure_summary", "", "2080109", "", "社会保险经办机构", "total", "59320916.36", "2080109", "item"),
        row("expenditure_summary", "", "2080109", "", "社会保险经办机构", "project", "0", "2080109", "item"),
        row("expenditure_summary", "", "", "", "合计", "total", "59320916.36", "total", "total"),
        row("general_budget_basic_expenditure", "", "", "30101", "基本工资", "total", "100.1", "50101|30101", "item"),
        row("general_budget_basic_expenditure", "", "", "50201", "办公经费", "total", "-20", "50201", "item"),
    ]


@pytest.fixture
def one_package(tmp_path):
    return write_package(small_disclosure(), tmp_path / "one")


def test_columns_are_the_documented_ones():
    assert FACT_COLUMNS == EXPECTED_COLUMNS


def test_facts_csv(one_package):
    result = run_cli("facts", one_package, "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(EXPECTED_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == expected_rows("110101-257004-2024-budget")


def test_facts_json(one_package):
    result = run_cli("facts", one_package, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout, parse_float=Decimal)
    typed = [dict(row, amount=Decimal(row["amount"]), fiscal_year=int(row["fiscal_year"]))
             for row in expected_rows("110101-257004-2024-budget")]
    assert data == typed
    assert all(list(item) == EXPECTED_COLUMNS for item in data)


def test_facts_output_file(one_package, tmp_path):
    out = tmp_path / "facts.csv"
    result = run_cli("facts", one_package, "-o", out)
    assert result.returncode == 0, result.stderr
    assert list(csv.DictReader(out.open(encoding="utf-8", newline=""))) == expected_rows("110101-257004-2024-budget")


def test_amounts_are_plain_decimals(one_package):
    facts = list(opendata.facts(one_package))
    assert facts
    for fact in facts:
        assert isinstance(fact["amount"], Decimal), fact
        assert isinstance(fact["fiscal_year"], int), fact
    result = run_cli("facts", one_package, "--format", "csv")
    for row in csv.DictReader(io.StringIO(result.stdout)):
        amount = row["amount"]
        assert all(c.isdigit() or c in "-." for c in amount), amount
        assert "," not in amount and "e" not in amount.lower()
        Decimal(amount)


def test_json_amounts_are_exact_numbers(tmp_path):
    d = small_disclosure()
    table = next(iter(d.tables.values()))
    measure = next(name for name in table.columns if any(isinstance(r.values.get(name), Decimal) for r in table.rows))
    row = next(r for r in table.rows if isinstance(r.values.get(measure), Decimal))
    row.values[measure] = Decimal("12345678901234567.89")
    package = write_package(d, tmp_path / "exact")
    text = run_cli("facts", package, "--format", "json").stdout
    assert '"amount": 12345678901234567.89' in text
    data = json.loads(text, parse_float=Decimal)
    assert Decimal("12345678901234567.89") in {f["amount"] for f in data}
    assert all(isinstance(f["fiscal_year"], int) for f in data)


def test_facts_over_a_folder_of_two_packages(tmp_path):
    folder = tmp_path / "packages"
    write_package(small_disclosure(), folder / "a")
    write_package(small_disclosure(unit_code="257005", year=2023, stage="final_accounts"), folder / "nested" / "b")
    result = run_cli("facts", folder, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = expected_rows("110101-257004-2024-budget") + expected_rows(
        "110101-257005-2023-final-accounts", year="2023", stage="final_accounts")
    assert rows == expected


def test_python_api_matches_cli(one_package):
    result = run_cli("facts", one_package, "--format", "json")
    assert list(opendata.facts(one_package)) == json.loads(result.stdout, parse_float=Decimal)


def test_economic_code_falls_back_to_government_scheme(one_package):
    by_row = {(f["table"], f["row_id"]): f for f in opendata.facts(one_package)}
    assert by_row[("general_budget_basic_expenditure", "50101|30101")]["economic_code"] == "30101"
    assert by_row[("general_budget_basic_expenditure", "50201")]["economic_code"] == "50201"


@pytest.mark.parametrize("make", ["missing", "empty_folder", "not_descriptor"])
def test_facts_on_a_non_package_exits_2(tmp_path, make):
    if make == "missing":
        target = tmp_path / "nope"
    elif make == "empty_folder":
        target = tmp_path / "empty"
        target.mkdir()
    else:
        target = tmp_path / "notes.txt"
        target.write_text("hello", encoding="utf-8")
    result = run_cli("facts", target)
    assert result.returncode == 2
    assert "error" in result.stderr and "Traceback" not in result.stderr


def test_only_money_columns_become_facts(tmp_path):
    d = small_disclosure(stage="final_accounts")
    evaluation = Table("performance_self_evaluation", columns=["project_name", "item", "budget_full_year", "total",
                                                               "execution_rate"])
    evaluation.rows = [Row("社保运行保障经费", "item", {"project_name": "社保运行保障经费", "item": "社保运行保障经费",
                                                   "budget_full_year": Decimal("200"), "total": Decimal("200"),
                                                   "execution_rate": "100%"})]
    d.tables = {evaluation.table_id: evaluation}
    package = write_package(d, tmp_path / "evaluation")
    assert [(f["measure"], f["amount"]) for f in opendata.facts(package)] == [("budget_full_year", Decimal("200")),
                                                                              ("total", Decimal("200"))]
    assert run_cli("validate", package).returncode == 0


def test_facts_filters_give_one_value_per_package(tmp_path):
    """`--table --line --measure --own-rows` select one concept: the 三公 table's 公务接待费 of each seed package
    is one fact (issue #12)."""
    from pathlib import Path

    packages = Path(__file__).resolve().parent.parent / "datapackages"
    result = run_cli("facts", packages, "--table", "three_public_expenses", "--line", "reception",
                     "--measure", "total", "--own-rows")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    names = [row["package"] for row in rows]
    assert rows and len(names) == len(set(names)), names
    assert {(row["table"], row["line"], row["measure"], row["unit_code"]) for row in rows} == {
        ("three_public_expenses", "reception", "total", "")}


def test_facts_period_column_and_filter(tmp_path):
    """A 三公 table printing 2025年预算数 | 2026年预算数 side by side: each fact carries its period heading as
    printed, and `--period` keeps one year's."""
    from opendata.convert import convert_file

    from .documents import text_document
    from .test_convert_periods import three_public

    table = three_public(["2025年预算数", "2026年预算数"], "\t合计\t176.70\t\t134.00\t42.70\t142.00\t\t102.00\t40.00")
    out = write_package(convert_file(text_document(tmp_path, table)).disclosure, tmp_path / "package")
    result = run_cli("facts", out, "--table", "three_public_expenses", "--line", "total", "--measure", "total",
                     "--period", "2026年预算数", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout, parse_float=Decimal)
    assert [(row["period"], row["amount"]) for row in rows] == [("2026年预算数", Decimal("142.00"))]
