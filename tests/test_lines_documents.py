"""Issue #12 on real documents: one `opendata facts` filter on table, line (or project) and measure gives
exactly one value per package for the 三公 categories, 机关运行经费 and a project's funds, whatever layout
the document prints. Expected values are read off the documents (pdftotext -layout, the page named).

- 049.pdf (corpus) p.18, 一般公共预算“三公”经费支出预算表: the categories as rows (合计 9.30 万元).
- 016.pdf (corpus) p.57, 财政拨款“三公”经费支出表: the categories as columns, one row per unit and year, no 合计
  row: the department (深圳市建筑工务署) is printed as the first unit, its 本级 and subordinate units below.
- 04_shpt_shangwuwei_2025_dept_budget.pdf p.21: the categories as columns, 机关运行经费预算数 171.01 beside them.
- 01_shpt_caizhengju_2024_final.pdf p.18: final accounts, 预算数 | 决算数 under each category.
- seed 003 (a final-accounts self-evaluation): 年初预算数 | 全年预算数 | 全年执行数 of each project's funds."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from opendata.convert import convert_to_package
from opendata.facts import facts

SHARED = Path(__file__).resolve().parents[2] / "shared"
SOURCES = {"rows": SHARED / "corpus" / "049.pdf", "units": SHARED / "corpus" / "016.pdf",
           "budget": SHARED / "references" / "pdf" / "04_shpt_shangwuwei_2025_dept_budget.pdf",
           "final": SHARED / "references" / "pdf" / "01_shpt_caizhengju_2024_final.pdf",
           "evaluation": SHARED / "seeds" / "003_96e873028ef4e2c3.txt"}
WAN = Decimal(10000)
THREE = "three_public_expenses"


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """{name: the facts of the document converted}; a document not available is skipped."""
    out = tmp_path_factory.mktemp("documents")
    found = {}
    for name, source in SOURCES.items():
        if source.exists():
            found[name] = list(facts(convert_to_package(source, out / name).path))
    return found


def values(converted, name, table, line, measure, period="", unit=""):
    """The amounts one filter gives: table, line, measure (and the period heading), rows of the table itself
    (`facts --own-rows`) or of the unit named."""
    if name not in converted:
        pytest.skip(f"{SOURCES[name].name} not available")
    own = (lambda f: f["unit_name"] == unit) if unit else (lambda f: not f["unit_code"] and not f["unit_name"])
    return [f["amount"] for f in converted[name] if f["table"] == table and f["line"] == line and f["measure"] == measure
            and (not period or f["period"] == period) and own(f)]


@pytest.mark.parametrize("line, amount", [("total", "9.30"), ("overseas_travel", "0.00"), ("reception", "1.30"),
                                          ("vehicle", "8.00"), ("vehicle_purchase", "0.00"), ("vehicle_operation", "8.00")])
def test_categories_printed_as_rows(converted, line, amount):
    assert values(converted, "rows", THREE, line, "total") == [Decimal(amount) * WAN]


@pytest.mark.parametrize("line, amount", [("total", "100.22"), ("overseas_travel", "77.20"), ("reception", "1.00"),
                                          ("vehicle", "22.02"), ("vehicle_purchase", "0.00"), ("vehicle_operation", "22.02")])
def test_categories_printed_as_columns_by_unit_and_year(converted, line, amount):
    """The department's own row is the table's total (no unit fields): one value for the year, one for 2025."""
    assert values(converted, "units", THREE, line, "total", period="2026年") == [Decimal(amount) * WAN]
    assert len(values(converted, "units", THREE, line, "total", period="2025年")) == 1


def test_a_listed_unit_stays_selectable(converted):
    assert values(converted, "units", THREE, "total", "total", "2026年", "深圳市建筑工务署（本级）") == [Decimal("84.20") * WAN]
    assert values(converted, "units", THREE, "overseas_travel", "total", "2025年", "深圳市建筑工务署（本级）") == [72 * WAN]


def test_categories_as_columns_and_operating_costs_beside_them(converted):
    assert values(converted, "budget", THREE, "total", "total") == [1 * WAN]
    assert values(converted, "budget", THREE, "reception", "total") == [1 * WAN]
    assert values(converted, "budget", THREE, "overseas_travel", "total") == []   # printed blank: no fact
    assert values(converted, "budget", "operating_costs", "operating_costs", "total") == [Decimal("171.01") * WAN]


def test_final_accounts_budget_and_actual(converted):
    """预算数 0.95 under 合计 and 公务接待费, 决算数 printed blank."""
    assert values(converted, "final", THREE, "total", "budget_initial") == [Decimal("0.95") * WAN]
    assert values(converted, "final", THREE, "reception", "budget_initial") == [Decimal("0.95") * WAN]
    assert values(converted, "final", THREE, "total", "total") == []


@pytest.mark.parametrize("project, measures", [
    ("购置工作服", ("3.01", "2.95", "2.95")), ("档案资料保管费", ("49.41", "42.93", "42.93"))])
def test_a_projects_funds_in_a_final_accounts_self_evaluation(converted, project, measures):
    """年度资金总额 and 其中：当年财政拨款 print the same amounts: the line tells them apart."""
    if "evaluation" not in converted:
        pytest.skip("seed 003 not available")
    for measure, amount in zip(("budget_initial", "budget_full_year", "total"), measures):
        found = [f["amount"] for f in converted["evaluation"] if f["project"] == project and f["line"] == "project_funds"
                 and f["measure"] == measure]
        assert found == [Decimal(amount) * WAN], (project, measure)
