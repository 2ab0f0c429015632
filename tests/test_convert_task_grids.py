"""The task grid of a department-wide target form (部门整体支出绩效目标表): a header row of words
(任务名称 | 主要内容 | 预算金额（万元） | 执行率分值（10分）) whose amount column is split by the row
below it into measures (总额 | 财政拨款 | 其他资金); each task's amounts are read by column."""
from __future__ import annotations

from decimal import Decimal

from opendata.convert import convert_file

from .documents import text_document

FORM = """表15
部门整体支出绩效目标表
部门（单位）名称\t\t\t测试市测试局\t\t\t\t
年度主要任务\t任务名称\t\t主要内容\t预算金额（万元）\t\t\t执行率分值（10分）
\t\t\t\t总额\t财政拨款\t其他资金\t
\t基本支出\t\t保障人员经费及机关运转类\t1190.38\t1190.38\t\t
\t业务工作\t\t开展业务工作\t84.64\t80.00\t4.64\t
\t金额合计\t\t\t1275.02\t1270.38\t4.64\t
年度总体目标\t完成年度各项工作任务
"""


def test_task_amounts_by_column(tmp_path):
    result = convert_file(text_document(tmp_path, FORM))
    rows = {r.values.get("item"): r.values for r in result.disclosure.tables["department_performance_targets"].rows}
    basic = rows["基本支出"]
    assert basic["activity"] == "保障人员经费及机关运转类"
    assert (basic["total"], basic["fiscal_appropriation"]) == (Decimal("11903800"), Decimal("11903800"))
    work = rows["业务工作"]
    assert (work["total"], work["fiscal_appropriation"], work["other_funds"]) == (Decimal("846400"), Decimal("800000"), Decimal("46400"))
    assert rows["金额合计"]["total"] == Decimal("12750200")
