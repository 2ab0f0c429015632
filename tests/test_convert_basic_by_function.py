"""一般公共预算基本支出明细表（按支出功能分类科目）: the basic expenditure of the general budget
by function code (人员经费 / 公用经费) is its own catalog table, told from the one by economic
code by the classification its title names."""
from __future__ import annotations

from decimal import Decimal

from opendata.convert import convert_file

from .documents import text_document

BY_FUNCTION = """表7
部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）
单位：元
功能科目编码\t功能科目名称\t合计\t人员经费支出\t公用经费支出
\t合计\t1,500.00\t1,200.00\t300.00
204\t公共安全支出\t1,500.00\t1,200.00\t300.00
20406\t司法\t1,500.00\t1,200.00\t300.00
2040601\t行政运行\t1,500.00\t1,200.00\t300.00
"""


def test_basic_expenditure_by_function_code(tmp_path):
    result = convert_file(text_document(tmp_path, BY_FUNCTION))
    tables = result.disclosure.tables
    assert "general_budget_basic_expenditure" not in tables
    rows = {r.values.get("function_code"): r.values for r in tables["general_budget_basic_expenditure_function"].rows}
    assert (rows["20406"]["personnel"], rows["20406"]["public_use"]) == (Decimal("1200.00"), Decimal("300.00"))
    assert rows[None]["total"] == Decimal("1500.00")
