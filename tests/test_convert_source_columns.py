"""Sources-of-funds columns of the 收入总表 and the 支出总表 printed by source of funds: the special
funds printed under 其中 beside the general budget, the balance of the unit's account from the year
before (上年实户资金余额) and the reserve fund covering the deficit (用事业基金弥补收支差额) are
measures of the standard, not dropped columns; the sources still add up to the total."""
from __future__ import annotations

from decimal import Decimal

from opendata.convert import convert_file
from opendata.package import write_package
from opendata.validate import validate_package

from .documents import text_document

HEADER = ["单位编码", "单位名称", "总计", "一般公共预算拨款", "", "政府性基金拨款", "事业收入", "用事业基金弥补收支差额", "上年实户资金余额", "其他收入"]
LOWER = ["", "", "", "小计", "其中：专项资金列入部门预算项目", "", "", "", "", ""]
ROWS = ["\t合计\t1,000.00\t600.00\t200.00\t100.00\t50.00\t0.00\t230.00\t20.00",
        "101001\t测试中心\t1,000.00\t600.00\t200.00\t100.00\t50.00\t0.00\t230.00\t20.00"]


def table(title: str) -> str:
    return "\n".join([title, "单位：元", "\t".join(HEADER), "\t".join(LOWER), *ROWS])


def test_source_columns_are_measures(tmp_path):
    source = text_document(tmp_path, table("部门综合预算收入总表"), table("部门综合预算支出总表"))
    result = convert_file(source)
    for table_id in ("income_summary", "expenditure_summary"):
        total = result.disclosure.tables[table_id].rows[0].values
        assert total["general_budget_special_funds"] == Decimal("200.00"), table_id
        assert total["account_balance"] == Decimal("230.00"), table_id
        assert total["general_budget"] == Decimal("600.00"), table_id
    assert not [w for w in result.warnings if "not recognised" in w], result.warnings
    out = tmp_path / "package"
    write_package(result.disclosure, out)
    report = validate_package(out)
    assert not [f for f in report.findings if f.table in ("income_summary", "expenditure_summary") and f.rule.startswith("sum.")], report.findings
