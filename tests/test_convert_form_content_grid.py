"""A project form whose indicator grid is headed 一级指标 | 二级指标 | 指标内容 | 指标值 | 备注 (no 三级指标
column; Xi'an's 专项业务经费绩效目标表): every indicator row is kept, with its project's values."""
from __future__ import annotations

from opendata.convert import convert_file


def test_indicator_grid_headed_by_content(tmp_path):
    body = ["某某市某某局2026年部门预算", "1.项目支出绩效目标表",
            "项目名称\t委托咨询业务",
            "主管部门\t某某市某某局",
            "总体目标\t保障专项资金安全。",
            "\t一级指标\t二级指标\t指标内容\t指标值\t备注",
            "\t产出指标\t数量指标\t指标1：评审次数\t45次\t",
            "\t\t\t指标2：组织专家评审会\t4次\t",
            "\t\t质量指标\t指标1：专项资金使用效率\t逐步提高\t"]
    path = tmp_path / "form.txt"
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    result = convert_file(path)
    rows = [r.values for r in result.disclosure.tables["project_performance_targets"].rows]
    assert [(v["indicator_level2"], v["indicator_level3"], v["target_value"]) for v in rows] == [
        ("数量指标", "指标1：评审次数", "45次"), ("数量指标", "指标2：组织专家评审会", "4次"), ("质量指标", "指标1：专项资金使用效率", "逐步提高")]
    assert {(v["project_name"], v["department"]) for v in rows} == {("委托咨询业务", "某某市某某局")}
    assert not [w for w in result.warnings if "form cells not converted" in str(w)]
