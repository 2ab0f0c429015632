"""A project table printing 类型 | 项目名称 (一级项目 | 二级项目) | 项目单位: each column is read into its own
field (project_category, item, project_name, unit_name), the second-level projects are the items, and the rows
that print only a project category or a first-level project head the rows below them (subtotals) and are kept."""
from __future__ import annotations

from decimal import Decimal

from tests.documents import text_document

from opendata.convert import convert_file

PROJECTS = """九、项目支出表
项目支出表
单位：万元
类型\t项目名称\t\t项目单位\t合计\t本年财政拨款\t\t\t财政拨款结转\t\t\t财政专户管理资金\t单位资金
\t一级项目\t二级项目\t\t\t一般公共预算\t政府性基金预算\t国有资本经营预算\t一般公共预算\t政府性基金预算\t国有资本经营预算\t\t
其他运转类项目\t\t\t\t12.00\t12.00\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00
\t日常运行\t\t\t12.00\t12.00\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00
\t\t办公楼维修经费\t测试市测试局\t12.00\t12.00\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00
特定目标类项目\t\t\t\t45.50\t40.00\t0.00\t0.00\t5.50\t0.00\t0.00\t0.00\t0.00
\t综合管理\t\t\t45.50\t40.00\t0.00\t0.00\t5.50\t0.00\t0.00\t0.00\t0.00
\t\t专项业务经费\t测试市测试局\t30.00\t24.50\t0.00\t0.00\t5.50\t0.00\t0.00\t0.00\t0.00
\t\t聘用人员经费\t测试市测试中心\t15.50\t15.50\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00\t0.00"""


def test_project_levels_unit_and_category_are_kept_apart(tmp_path):
    result = convert_file(text_document(tmp_path, PROJECTS))
    table = result.disclosure.tables["project_expenditure"]
    rows = [(r.row_type, r.values["item"], r.values.get("project_name"), r.values.get("unit_name"),
             r.values.get("project_category"), r.values["total"]) for r in table.rows]
    assert rows == [
        ("subtotal", "其他运转类项目", None, None, "其他运转类项目", Decimal("120000.00")),
        ("subtotal", "日常运行", None, None, None, Decimal("120000.00")),
        ("item", "办公楼维修经费", "办公楼维修经费", "测试市测试局", None, Decimal("120000.00")),
        ("subtotal", "特定目标类项目", None, None, "特定目标类项目", Decimal("455000.00")),
        ("subtotal", "综合管理", None, None, None, Decimal("455000.00")),
        ("item", "专项业务经费", "专项业务经费", "测试市测试局", None, Decimal("300000.00")),
        ("item", "聘用人员经费", "聘用人员经费", "测试市测试中心", None, Decimal("155000.00")),
    ]
    # 财政拨款结转 | 一般公共预算 is the carry-over of general public budget funds, not a second general_budget
    assert table.rows[5].values["carryover_general_budget"] == Decimal("55000.00")
    assert table.rows[5].values["general_budget"] == Decimal("245000.00")
    assert not [w for w in result.warnings if "not converted" in w or "without a label" in w]


def test_a_real_project_table_with_project_levels():
    """064.pdf page 14 prints 项目支出表(预算表 9) with 类型 | 项目名称 (一级项目 | 二级项目) | 项目单位; checked by
    hand against `pdftotext -layout -f 14 -l 14`: 部门特定目标类项目 474.56, 综合管理 474.56, then four projects
    of 长春市信访局: 2026信访专项经费 30.00, 2026信访接待中心运行费 116.00, 2026驻京经费 312.00, 信访局临聘人员经费 16.56."""
    import pytest

    from tests.corpus_compare import CORPUS

    source = CORPUS / "064.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    table = convert_file(source).disclosure.tables["project_expenditure"]
    rows = [(r.row_type, r.values["item"], r.values.get("project_name"), r.values.get("unit_name"), r.values["total"])
            for r in table.rows]
    assert rows == [
        ("subtotal", "部门特定目标类项目", None, None, Decimal("4745600.00")),
        ("subtotal", "综合管理", None, None, Decimal("4745600.00")),
        ("item", "2026信访专项经费", "2026信访专项经费", "长春市信访局", Decimal("300000.00")),
        ("item", "2026信访接待中心运行费", "2026信访接待中心运行费", "长春市信访局", Decimal("1160000.00")),
        ("item", "2026驻京经费", "2026驻京经费", "长春市信访局", Decimal("3120000.00")),
        ("item", "信访局临聘人员经费", "信访局临聘人员经费", "长春市信访局", Decimal("165600.00")),
    ]
