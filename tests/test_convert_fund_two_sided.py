"""A 政府性基金收支表 printing its income beside its expenditure (收入 | 支出): the one-sided
government_fund_expenditure table reads it by side (the optional field `side`), and the validator
checks each side and their balance, never one sum over both."""
from __future__ import annotations

from decimal import Decimal

from opendata.convert import convert_file
from opendata.package import write_package
from opendata.validate import validate_package

from .documents import text_document

TABLE = """表9
部门综合预算政府性基金收支表
单位：元
收入\t\t支出\t
项目\t预算数\t支出功能分类科目\t预算数
一、政府性基金拨款\t500.00\t一、社会保障和就业支出\t0.00
\t\t二、其他支出\t500.00
收入总计\t500.00\t支出总计\t500.00
"""


def test_income_beside_expenditure_read_by_side(tmp_path):
    result = convert_file(text_document(tmp_path, TABLE))
    rows = result.disclosure.tables["government_fund_expenditure"].rows
    sides = {(r.values.get("side"), r.values["item"]): r.values.get("total") for r in rows}
    assert sides[("income", "一、政府性基金拨款")] == Decimal("500.00")
    assert sides[("expenditure", "二、其他支出")] == Decimal("500.00")
    out = tmp_path / "package"
    write_package(result.disclosure, out)
    report = validate_package(out)
    assert not [f for f in report.findings if f.table == "government_fund_expenditure"], report.findings
    assert report.identities_checked > 0
