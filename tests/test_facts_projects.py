"""One fact per project amount: the tables whose indicator rows repeat their project's amounts
(tables.csv `repeated_amounts`) give each project's amount once in the facts view, while the CSV
keeps every row as printed and the validator never sums those amounts."""
from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal

from opendata.convert import convert_to_package
from opendata.facts import facts
from opendata.standard import load_standard
from opendata.validate import validate_package

from .documents import text_document
from .seeds import seed_path

TARGETS = "\n".join([
    "项目支出绩效目标表",
    "单位：万元",
    "项目名称\t项目金额\t财政拨款\t绩效目标\t一级指标\t二级指标\t三级指标\t指标值",
    "办公经费\t343.00\t343.00\t保障运转\t产出指标\t数量指标\t会议次数\t12次",
    "办公经费\t343.00\t343.00\t保障运转\t产出指标\t质量指标\t合格率\t100%",
    "办公经费\t343.00\t343.00\t保障运转\t效益指标\t社会效益指标\t群众满意\t≥95%",
    "设备购置\t50.00\t50.00\t更新设备\t产出指标\t数量指标\t设备数\t37台",
    "设备购置\t50.00\t50.00\t更新设备\t成本指标\t经济成本指标\t项目总成本\t控制在预算之内",
    "设备购置\t60.00\t50.00\t更新设备\t成本指标\t经济成本指标\t单价\t≤2万元",
])


def by_project(rows, table):
    """{(project, measure): [amounts]} of one table's facts."""
    found = defaultdict(list)
    for row in rows:
        if row["table"] == table:
            found[(row["project"], row["measure"])].append(row["amount"])
    return dict(found)


def test_the_catalog_names_the_tables_with_repeated_amounts():
    standard = load_standard()
    assert {code for code, spec in standard.tables.items() if spec.repeated_amounts} == {
        "project_performance_targets", "department_performance_targets", "performance_self_evaluation"}
    # the validator's sums (identities, completeness, narrative) run on money tables only: none of these
    assert not [code for code, spec in standard.tables.items() if spec.repeated_amounts and spec.is_money]


def test_built_document_gives_each_project_amount_once(tmp_path):
    result = convert_to_package(text_document(tmp_path, TARGETS), tmp_path / "package")
    rows = list(facts(result.path))
    assert by_project(rows, "project_performance_targets") == {
        ("办公经费", "total"): [Decimal("3430000")],
        ("办公经费", "fiscal_appropriation"): [Decimal("3430000")],
        # a different printed value is its own fact; the same value after it is the project's again
        ("设备购置", "total"): [Decimal("500000"), Decimal("600000")],
        ("设备购置", "fiscal_appropriation"): [Decimal("500000")],
    }
    first = [row["row_id"] for row in rows if row["project"] == "办公经费" and row["measure"] == "total"]
    assert first == ["办公经费/会议次数"]   # from the first row printing it
    with open(result.path / "data" / "project_performance_targets.csv", encoding="utf-8") as handle:
        printed = [row["total"] for row in csv.DictReader(handle)]
    assert printed == ["3430000", "3430000", "3430000", "500000", "500000", "600000"]   # the CSV as printed


def test_the_validator_does_not_sum_repeated_project_amounts(tmp_path):
    result = convert_to_package(text_document(tmp_path, TARGETS), tmp_path / "package")
    report = validate_package(result.path)
    assert [f.rule for f in report.findings if f.table and f.table.startswith("project_performance_targets")
            and f.rule.startswith(("sum.", "across.", "rounding"))] == []


def test_seed_project_targets_one_value_per_project_and_measure(tmp_path):
    """001 prints each project's 项目金额 / 财政拨款 beside every indicator of the project
    (困难人员参加城乡居民基本养老保险代缴保费（2023年）: 1,738,000.00 on three indicator rows)."""
    result = convert_to_package(seed_path("001"), tmp_path / "001")
    with open(result.path / "data" / "project_performance_targets.csv", encoding="utf-8") as handle:
        printed = [row for row in csv.DictReader(handle) if row["total"]]
    found = by_project(list(facts(result.path)), "project_performance_targets")
    assert found[("困难人员参加城乡居民基本养老保险代缴保费（2023年）", "total")] == [Decimal("1738000")]
    assert all(len(amounts) == 1 for (project, _), amounts in found.items() if project)
    assert len({row["project_name"] for row in printed}) == len({p for p, m in found if m == "total"}) < len(printed)


def test_self_evaluation_funding_lines_stay_facts(tmp_path):
    """003's self-evaluations print 年度资金总额 and 其中：当年财政拨款 on rows of their own (no indicator):
    both are facts, even with the same amounts."""
    result = convert_to_package(seed_path("003"), tmp_path / "003")
    rows = [row for row in facts(result.path) if row["table"] == "performance_self_evaluation"
            and row["project"] == "档案资料保管费" and row["measure"] == "total"]
    assert [(row["item"], row["amount"]) for row in rows] == [("年度资金总额", Decimal("429300")),
                                                              ("其中：当年财政拨款", Decimal("429300"))]
