"""Shared helpers: a small hand-built disclosure, its package on disk, and the venv's CLI."""
from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from opendata.model import Disclosure, Row, SourceDocument, Table
from opendata.money import parse_amount
from opendata.package import write_package

pytest_plugins = ["tests.ckan_fixtures"]

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def executable(name: str) -> str:
    """An executable of the environment running the tests (opendata, frictionless, mkdocs)."""
    path = BIN / name
    assert path.exists(), f"{path} not found: install the project with `pip install -e '.[test]'`"
    return str(path)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([executable("opendata"), *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=300)


def sample_disclosure() -> Disclosure:
    """A small budget disclosure printed in 万元: two tables, totals, blanks, non-ASCII text."""
    source = SourceDocument(
        filename="东城区社保中心2024年部门预算.pdf", sha256="0123456789abcdef" * 4, bytes=123456, format="pdf",
        title="北京市东城区社会保险基金管理中心2024年部门预算", url="https://example.org/2024.pdf",
        published="2024-02-05",
    )
    disclosure = Disclosure(
        unit_name="北京市东城区社会保险基金管理中心", unit_code="257004", parent_name="北京市东城区人力资源和社会保障局",
        parent_code="257", division_code="110101", division_names=["北京市", "东城区"], fiscal_year=2024,
        stage="budget", money_unit="万元", source=source, created="2024-02-06T08:00:00Z",
    )
    summary = Table("expenditure_summary", columns=["function_code", "item", "total", "basic", "project"],
                    printed_title="部门支出总体情况表", money_unit="万元", money_decimals=6, note="注：本表无政府性基金。",
                    first_line=40, last_line=48, pages=[5])
    summary.rows = [
        Row("total", "total", {"item": "合计", "total": parse_amount("5,932.091636", "万元"),
                               "basic": parse_amount("5,470.251636", "万元"), "project": parse_amount("461.84", "万元")},
            source_line=42, source_page=5),
        Row("208", "item", {"function_code": "208", "item": "社会保障和就业支出", "total": parse_amount("461.84", "万元"),
                            "basic": parse_amount("0.000000", "万元"), "project": parse_amount("461.84", "万元")},
            source_line=43, source_page=5),
        Row("2080109", "item", {"function_code": "2080109", "item": "社会保险经办机构", "total": parse_amount("461.84", "万元"),
                                "basic": None, "project": parse_amount("461.84", "万元")},
            source_line=44, source_page=5),
        Row("2080505", "item", {"function_code": "2080505", "item": "机关事业单位基本养老保险缴费支出",
                                "total": parse_amount("0.000000", "万元"), "basic": parse_amount("0.000000", "万元"),
                                "project": None},
            source_line=45, source_page=5),
        Row("221", "item", {"function_code": "221", "item": "住房保障支出", "total": parse_amount("5,470.251636", "万元"),
                            "basic": parse_amount("5,470.251636", "万元"), "project": None},
            source_line=46, source_page=5),
        Row("2210201", "item", {"function_code": "2210201", "item": "住房公积金", "total": parse_amount("5,470.251636", "万元"),
                                "basic": parse_amount("5,470.251636", "万元"), "project": None},
            source_line=47, source_page=5),
    ]
    basic = Table("general_budget_basic_expenditure", columns=["gov_economic_code", "economic_code", "item", "total"],
                  printed_title="一般公共预算基本支出表", money_unit="元", money_decimals=2)
    basic.rows = [
        Row("50101|30101", "item", {"gov_economic_code": "50101", "economic_code": "30101", "item": "基本工资",
                                    "total": parse_amount("1,234,567.89")}, source_line=60),
        Row("50201", "item", {"gov_economic_code": "50201", "economic_code": None, "item": "办公经费",
                              "total": parse_amount("-12.50")}, source_line=61),
        Row("total", "total", {"gov_economic_code": None, "economic_code": None, "item": "合计",
                               "total": Decimal("1234555.39")}, source_line=62),
    ]
    disclosure.tables = {summary.table_id: summary, basic.table_id: basic}
    return disclosure


@pytest.fixture
def disclosure() -> Disclosure:
    return sample_disclosure()


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """The sample disclosure written as a package folder."""
    return write_package(sample_disclosure(), tmp_path / "packages" / "110101-257004-2024-budget")
