"""across.department-performance-total on a real document: 部门整体支出绩效目标表's 资金总额 against the department's
expenditure (issue #14, found by a new-user trial).

056.pdf (泉州市公安局 2026 预算), read off the pages: p. 52 部门整体支出绩效目标表 资金总额 81,562.56 万元 and 基本支出
52,047.74; p. 7 收支总表 本年支出合计 / 支出总计 81,206.56; p. 21 基本支出 51,691.74 — 356.00 万元 more on both lines.
Every other corpus disclosure printing the table agrees with 本年支出合计 or with 支出总计 (010 prints 支出总计 incl. the
year-end carry-over, 101,673.030619 万元) and gets no such finding.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from opendata.convert import convert_to_package
from opendata.validate import validate_package

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.parametrize("name, expected", [("056.pdf", [(Decimal("815625600"), Decimal("812065600"))]), ("010.pdf", [])])
def test_department_performance_total_against_the_summaries(tmp_path, name, expected):
    report = validate_package(convert_to_package(CORPUS / name, tmp_path / "package").path)
    found = [(Decimal(str(f.found)), Decimal(str(f.expected))) for f in report.findings
             if f.rule == "across.department-performance-total"]
    assert found == expected
    assert all(f.severity == "warning" for f in report.findings if f.rule == "across.department-performance-total")
