"""Project forms (项目名称, 主管部门, 项目资金, 总体目标, then the indicator grid) whose grid runs over
a page break, the form's title printed again over the next page: the rows on that page belong to
the form above, with its project's name and amounts, and are not dropped as a table without header."""
from __future__ import annotations

from decimal import Decimal

import pytest

from opendata.convert import convert_file

FORM_TITLE = ["政策和项目预算绩效目标表", "(2026年度)"]


def form(name: str, amount: str, indicators: list[str]) -> list[str]:
    return FORM_TITLE + [
        f"项目名称\t\t\t{name}\t\t",
        "主管部门及代码\t\t\t273_某某局\t实施单位\t某某局",
        f"项目资金（万元）\t\t\t年度预算资金总额：\t{amount}\t",
        f"\t\t\t其中：财政拨款\t{amount}\t",
        "\t\t\t其他资金\t0.00\t",
        "总体目标\t保障机关运转。\t\t\t\t",
        "\t一级指标\t二级指标\t三级指标\t指标值\t",
    ] + indicators


def convert(tmp_path, body: list[str]):
    path = tmp_path / "forms.txt"
    path.write_text("\n".join(["某某局2026年部门预算"] + body + ["第四部分", "名词解释"]) + "\n", encoding="utf-8")
    result = convert_file(path)
    return result.disclosure.tables["project_performance_targets"].rows, [str(w) for w in result.warnings]


def test_indicator_rows_under_a_repeated_title_continue_the_form_above(tmp_path):
    """The grid of 宣传工作经费 goes on under the title printed again (twice, as 烟台 prints it), its
    first rows without 一级 / 二级 (merged cells from the page before); the next form is its own project."""
    body = form("宣传工作经费", "1278.00", [
        "绩效指标\t成本指标\t经济成本\t工作经费成本\t≤115万元\t",
        "绩效指标\t产出指标\t数量指标\t理论研究项目数量\t≥5个\t",
    ]) + FORM_TITLE + ["政策和项目预算绩效目标表",
        "\t\t\t国学小名士评选活动次数\t≥1场",
        "绩效指标\t满意度指标\t服务对象满意度指标\t参训人员满意度\t≥90%",
    ] + form("实施公车统管", "30.00", ["绩效指标\t成本指标\t经济成本\t公车统管费用\t≤100万元\t"])
    rows, warnings = convert(tmp_path, body)
    assert [(r.values["project_name"], r.values.get("indicator_level1"), r.values.get("indicator_level2"),
             r.values["indicator_level3"], r.values["target_value"], r.values["total"]) for r in rows] == [
        ("宣传工作经费", "成本指标", "经济成本", "工作经费成本", "≤115万元", Decimal("12780000.00")),
        ("宣传工作经费", "产出指标", "数量指标", "理论研究项目数量", "≥5个", Decimal("12780000.00")),
        ("宣传工作经费", "产出指标", "数量指标", "国学小名士评选活动次数", "≥1场", Decimal("12780000.00")),
        ("宣传工作经费", "满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", Decimal("12780000.00")),
        ("实施公车统管", "成本指标", "经济成本", "公车统管费用", "≤100万元", Decimal("300000.00")),
    ]
    assert all(r.values["item"] and r.values["goal"] == "保障机关运转。" for r in rows)
    assert [w for w in warnings if "project_performance_targets" in w] == []


def test_a_continued_grid_that_prints_its_header_again(tmp_path):
    """The page after prints the grid's header (一级指标 … 指标值) again above the rest of the rows; the last
    target value of the page before ends on the next page (构建共建共治共享的社会治理新格 | 局) and joins its row."""
    body = form("文化产业发展专项资金", "430.00", ["绩效指标\t成本指标\t经济成本\t扶持资金\t≤410万元\t",
                                              "绩效指标\t效益指标\t社会效益指标\t社会治理\t=构建新格\t"]) + FORM_TITLE + [
        "\t\t\t\t局\t",
        "\t一级指标\t二级指标\t三级指标\t指标值\t",
        "绩效指标\t效益指标\t社会效益指标\t产业链条建设情况\t初步构建\t",
    ]
    rows, warnings = convert(tmp_path, body)
    assert [r.values["target_value"] for r in rows] == ["≤410万元", "=构建新格局", "初步构建"]
    assert [(r.values["project_name"], r.values["indicator_level3"], r.values["total"]) for r in rows] == [
        ("文化产业发展专项资金", "扶持资金", Decimal("4300000.00")),
        ("文化产业发展专项资金", "社会治理", Decimal("4300000.00")),
        ("文化产业发展专项资金", "产业链条建设情况", Decimal("4300000.00"))]
    assert [w for w in warnings if "project_performance_targets" in w] == []


def test_the_corpus_forms_continued_over_pages_carry_their_project():
    """060.pdf pp. 29–43 (烟台, checked by hand with `pdftotext -layout -f 29 -l 43`): the grids of
    城市综合营销和对外宣传专项资金 (p. 29 → 30, printed twice: pp. 37 → 38) and 宣传工作经费 (p. 32 → 33 → 34)
    run over the page; p. 30 prints 广告覆盖人群 ≥1000万人次, p. 33 国学小名士评选活动次数 ≥1场, p. 34 参训人员满意度 ≥90%.
    Every indicator row carries its project's name and 年度预算资金总额."""
    from tests.corpus_compare import CORPUS

    source = CORPUS / "060.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    result = convert_file(source)
    rows = result.disclosure.tables["project_performance_targets"].rows
    assert all(r.values.get("project_name") and r.values.get("item") and r.values.get("total") is not None for r in rows)
    by_page = {(r.source_page, r.values["indicator_level3"]): (r.values["project_name"], r.values["target_value"], r.values["total"]) for r in rows}
    assert by_page[(30, "广告覆盖人群")] == ("城市综合营销和对外宣传专项资金", "≥1000万人次", Decimal("28900000.00"))
    assert by_page[(38, "广告覆盖人群")] == ("城市综合营销和对外宣传专项资金", "≥1000万人次", Decimal("28900000.00"))
    assert by_page[(33, "国学小名士评选活动次数")] == ("宣传工作经费", "≥1场", Decimal("12780000.00"))
    assert by_page[(34, "参训人员满意度")] == ("宣传工作经费", "≥90%", Decimal("12780000.00"))
    assert sum(1 for r in rows if r.values["project_name"] == "宣传工作经费") == 52   # 15 on p. 32, 24 on p. 33, 13 on p. 34
    assert not [w for w in result.warnings if "has no header" in str(w) and "project_performance_targets" in str(w)]
