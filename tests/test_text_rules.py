"""The text rules (opendata.validate.text_rules, issue #14): the wording of the narrative itself.
Each rule on a small built disclosure: a true hit, and a near miss that must not fire."""
from __future__ import annotations

import pytest

from opendata.convert import convert_file
from opendata.package import write_package
from opendata.validate import validate_package

from .documents import text_document

TABLE = "\n".join([
    "收支总体情况表", "单位：万元",
    "\t".join(["收入项目", "预算数", "支出项目", "预算数"]),
    "\t".join(["一般公共预算拨款", "100.00", "一般公共服务支出", "100.00"]),
    "\t".join(["收入总计", "100.00", "支出总计", "100.00"]),
])


def findings(tmp_path, *paragraphs: str, cover=None) -> list:
    """The text-layer findings of a disclosure printing `paragraphs` under one heading, then a table."""
    parts = ["一、部门预算情况说明", "\n".join(paragraphs), TABLE]
    kwargs = {"cover": cover} if cover else {}
    result = convert_file(text_document(tmp_path, *parts, **kwargs))
    out = tmp_path / "package"
    write_package(result.disclosure, out)
    return [f for f in validate_package(out, layers=("text",)).findings]


def rules(found) -> list[str]:
    return [f.rule for f in found]


@pytest.mark.parametrize("text, fires", [
    ("2026年一般公共预算支出100万元，比上年增加（减少）0万元。", True),
    ("2026年一般公共预算支出100万元，比上年下降(增长)5%。", True),
    ("2026A年，测试局主要任务是做好各项工作。", True),
    ("公务接待费X万元，主要用于接待。", True),
    ("2026年一般公共预算支出100万元，比上年增加5万元，增长5.26%。", False),
    ("“三公”经费预算100万元（含公务用车购置及运行费）。", False),
])
def test_placeholder(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("text.placeholder" in rules(found)) is fires, [f.message for f in found]


def test_placeholder_gives_page_and_line(tmp_path):
    found = [f for f in findings(tmp_path, "第一句话没有问题。", "比上年增加（减少）0万元。")
             if f.rule == "text.placeholder"]
    assert len(found) == 1
    # printed on line 8 (cover 1-4, heading 5, blank 6, first sentence 7); the section's text keeps no
    # blank lines, so the line is estimated from the section's first line and the next table row
    assert 7 <= found[0].location["line"] <= 9
    assert "增加（减少）" in found[0].message


@pytest.mark.parametrize("text, fires", [
    ("“三公”经费预算10万元，比上年减少2.7万元，下降21.26%。主要原因是。", True),
    ("“三公”经费预算10万元，比上年减少2.7万元，下降21.26%。主要原因是\n其中：1.因公出国（境）费5万元。", True),
    ("一般公共服务支出100万元，主要用于；", True),
    ("“三公”经费预算10万元，比上年减少2.7万元，下降21.26%。主要原因是\n压减公务接待。", False),
    ("主要原因是：\n1.压减公务接待。", False),
    ("主要原因是其中一个项目已经结束。", False),
])
def test_empty_reason(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("text.empty-reason" in rules(found)) is fires, [f.message for f in found]


@pytest.mark.parametrize("text, fires", [
    ("2026年一般公共预算支出100万元，比2026年预算增加5万元。", True),
    ("2026年一般公共预算支出100万元，比2025年预算增加5万元。", False),
])
def test_self_comparison(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("text.self-comparison" in rules(found)) is fires, [f.message for f in found]


def test_self_comparison_of_a_final_account_with_its_budget_is_by_design(tmp_path):
    cover = ("测试市测试局2026年部门决算", "单位名称：测试市测试局")
    found = findings(tmp_path, "2026年支出决算100万元，比2026年年初预算增加5万元。", cover=cover)
    assert "text.self-comparison" not in rules(found), [f.message for f in found]


@pytest.mark.parametrize("text, fires", [
    ("一般公共预算支出100万元，比上年增加5万元，增长5.26。", True),
    ("一般公共预算支出100万元，比上年增加5万元，增长5.26%。", False),
    ("一般公共预算支出100万元，比上年增加5万元，增长0.5个百分点。", False),
])
def test_rate_without_percent(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("text.rate-without-percent" in rules(found)) is fires, [f.message for f in found]


@pytest.mark.parametrize("text, fires", [
    ("3．教育支出(类)普通教育(款)职业教育(项)：教育支出(类)普通教育(款)职业教育(项)：反映职业学校教育支出。", True),
    ("本单位收入全部为财政拨款，支出全部用于保障运转。本单位收入全部为财政拨款，支出全部用于保障运转。", True),
    ("指除上述“财政拨款收入”、“事业收入”、“事业单位经营收入”等以外的收入。", False),
    ("主要用于保障运转。其他收入为0。主要用于保障运转。", False),
    ("（二）2060102-一般行政管理事务587.85万元。主要用于用于测试局本级日常运转。", True),
    ("（一）（一）提升战略科技力量。", True),
    ("较上年增加314.25万元万元。", True),
    ("报表目录\n报表\t报表名称\t是否空表", False),
    ("测试市2026年单位预算\n预算单位：测试局", False),
    ("自觉接受人大、政协、纪委监委监督和社会监督。", False),
])
def test_repeated_paragraph(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("text.repeated-text" in rules(found)) is fires, [f.message for f in found]


@pytest.mark.parametrize("text, fires", [
    ("因公出国（境）费0万元，比上年增加0万元，增长0%。", True),
    ("公务用车运行维护费10.00万元，较2025年年初预算增加0.00万元。", True),
    ("因公出国（境）费0万元，与上年持平。", False),
    ("公务用车运行维护费0万元，比上年减少8.5万元，下降100%。", False),
    ("公务用车运行维护费10.00万元，比上年增加0.50万元，增长5.26%。", False),
])
def test_zero_change(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("narrative.zero-change" in rules(found)) is fires, [f.message for f in found]


def test_zero_change_once_a_clause(tmp_path):
    found = findings(tmp_path, "因公出国（境）费0万元，比上年增加0万元，增长0%；公务接待费1.31万元，比上年增加0万元，增长0%。")
    assert rules(found).count("narrative.zero-change") == 2


@pytest.mark.parametrize("text, fires", [
    ("“三公”经费财政拨款支出决算为0.16万元，完成预算0万元的0%。", True),
    ("年初预算为0万元，全年支出9.59万元，完成年初预算的95.89%。", True),
    ("机关运行经费支出97.19万元，比预算数增加97.19万元，增长0%。", True),
    ("因公出国（境）费支出决算为0万元，完成预算0万元的0%。", False),
    ("年初预算为10万元，全年支出9.59万元，完成年初预算的95.89%。", False),
    ("机关运行经费支出97.19万元，比预算数增加97.19万元，增长100%。", False),
    ("机关运行经费支出97.19万元，比预算数增加7.19万元，增长7.99%。", False),
])
def test_rate_of_zero_budget(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("narrative.rate-of-zero-budget" in rules(found)) is fires, [f.message for f in found]
    if fires:
        assert next(f for f in found if f.rule == "narrative.rate-of-zero-budget").severity == "error"


@pytest.mark.parametrize("text, fires", [
    ("截至2026年12月31日，本单位共有车辆0辆。", True),
    ("截至2025年12月31日，本单位共有车辆2辆。", False),
    ("截至2026年1月31日，本单位共有车辆2辆。", False),
])
def test_future_date(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("text.future-date" in rules(found)) is fires, [f.message for f in found]


@pytest.mark.parametrize("text, fires", [
    ("单位价值50万元以上设备8台，其中，单位价值100万元以上设备15台。", True),
    ("2026年预算支出1682.76元，其中基本支出预算1208.20万元。", True),
    ("单位价值50万元以上设备18台，其中，单位价值100万元以上设备15台。", False),
    ("2026年预算支出1682.76万元，其中基本支出预算1208.20万元。", False),
    ("预算支出较上年增加6915.49万元，其中基本支出减少了8627.56万元。", False),
    ("地上建筑面积为8013平方米（其中计容面积7998平方米，不计容面积105平方米）。", True),
    ("地上建筑面积为8103平方米（其中计容面积7998平方米，不计容面积105平方米）。", False),
    ("支出100.00万元（其中基本支出80.00万元，其中人员经费60.00万元）。", False),
])
def test_part_exceeds_whole(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("narrative.part-exceeds-whole" in rules(found)) is fires, [f.message for f in found]


def test_wrong_stage(tmp_path):
    parts = ["二、机构设置及部门决算单位构成", "本部门由机关本级和2个下属单位组成。", TABLE]
    result = convert_file(text_document(tmp_path, *parts))
    write_package(result.disclosure, tmp_path / "package")
    found = validate_package(tmp_path / "package", layers=("text",)).findings
    assert "text.wrong-stage" in rules(found), [f.message for f in found]


def test_wrong_stage_not_in_the_text(tmp_path):
    found = findings(tmp_path, "“三公”经费：纳入财政预决算管理的“三公”经费，指部门决算中的因公出国（境）费。")
    assert "text.wrong-stage" not in rules(found), [f.message for f in found]


@pytest.mark.parametrize("text, fires", [
    ("2026年本单位机关运行经费安排210.32万元，比上年1.43万元，增加0.68%。", True),
    ("2026年本单位机关运行经费安排210.32万元，比上年208.89万元，增加0.68%。", False),
    ("2026年本单位机关运行经费安排210.32万元，比上年增加1.43万元，增长0.68%。", False),
])
def test_comparison_without_verb(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("text.comparison-without-verb" in rules(found)) is fires, [f.message for f in found]


THREE_PUBLIC = "\n".join([
    "“三公”经费支出预算表", "单位：万元",
    "\t".join(["合计", "因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]),
    "\t".join(["{total}", "0.00", "0.00", "{running}", "0.00"]),
])


@pytest.mark.parametrize("running, fires", [("28.00", True), ("0.00", False)])
def test_vehicle_costs_without_vehicles(tmp_path, running, fires):
    parts = ["五、国有资产占有使用情况", "截至2025年8月31日，测试局共有车辆0辆。", TABLE,
             THREE_PUBLIC.format(total=running, running=running)]
    result = convert_file(text_document(tmp_path, *parts))
    write_package(result.disclosure, tmp_path / "package")
    found = validate_package(tmp_path / "package", layers=("text",)).findings
    assert ("narrative.vehicle-costs-without-vehicles" in rules(found)) is fires, [f.message for f in found]


@pytest.mark.parametrize("text, fires", [
    ("本部门没有下属单位。\n本年度局机关及下属1个单位共接待国内公务接待2批次。", True),
    ("本部门没有下属单位。\n本年度局机关及下属0个单位共接待国内公务接待2批次。", False),
])
def test_subordinate_count(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("text.subordinate-count" in rules(found)) is fires, [f.message for f in found]


@pytest.mark.parametrize("text, fires", [
    ("2026年政府性基金支出预算支出万元。", True),
    ("2026年政府性基金支出预算支出0万元。", False),
    ("本表金额转换为万元时，因四舍五入可能存在尾差。", False),
])
def test_missing_amount(tmp_path, text, fires):
    found = findings(tmp_path, text)
    assert ("text.missing-amount" in rules(found)) is fires, [f.message for f in found]


EXPENDITURE = "\n".join([
    "一般公共预算支出表", "单位：万元",
    "\t".join(["科目编码", "科目名称", "合计"]),
    "\t".join(["2040502", "一般行政管理事务", "100.00"]),
    "\t".join(["", "合计", "100.00"]),
])


@pytest.mark.parametrize("text, fires", [
    ("法院（款）一般行政事务管理（项）支出100.00万元。", True),
    ("法院（款）一般行政管理事务（项）支出100.00万元。", False),
    ("原法院（款）其他法院支出（项）调整为法院（款）一般行政管理事务（项）。", False),
])
def test_subject_name_transposed(tmp_path, text, fires):
    result = convert_file(text_document(tmp_path, "一、部门预算情况说明", text, EXPENDITURE))
    write_package(result.disclosure, tmp_path / "package")
    found = validate_package(tmp_path / "package", layers=("text",)).findings
    assert ("text.subject-name-transposed" in rules(found)) is fires, [f.message for f in found]


@pytest.mark.parametrize("numbers, fires", [(("十五", "十六", "十六", "十八"), True), (("十五", "十六", "十七", "十八"), False),
                                            (("一", "二", "一", "三"), False)])
def test_numbering(tmp_path, numbers, fires):
    parts = [part for n in numbers for part in (f"{n}、测试{n}中心", f"测试{n}中心预算100.00万元。")] + [TABLE]
    result = convert_file(text_document(tmp_path, *parts))
    write_package(result.disclosure, tmp_path / "package")
    found = validate_package(tmp_path / "package", layers=("text",)).findings
    assert ("text.numbering" in rules(found)) is fires, [f.message for f in found]


@pytest.mark.parametrize("text, fires", [
    ("纳入2026年部门预算的政府采购项目共有39,591.53万元，其中：货物类项目12,049.73万元、工程类项目3,177.68万元、"
     "服务类项目24,364.13万元。", True),
    ("人力资源综合管理2,858.27万元，主要包括：综合管理服务1,763.95万元，用于内部审计；政务服务管理工作经费711.86万元，"
     "用于窗口服务；人力资源市场管理382.45万元，用于宣传推介。", True),
    ("纳入2026年部门预算的政府采购项目共有39,591.54万元，其中：货物类项目12,049.73万元、工程类项目3,177.68万元、"
     "服务类项目24,364.13万元。", False),
    ("项目支出2,858.27万元，主要包括：人员培训1,763.95万元、宣传经费711.86万元。", False),
    ("支出比上年增加2,858.27万元，其中：基本支出增加1,763.95万元，项目支出增加1,094.31万元。", False),
])
def test_breakdown_rounding(tmp_path, text, fires):
    found = [f for f in findings(tmp_path, text) if f.rule == "rounding"]
    assert bool(found) is fires, [f.message for f in found]
    if fires:
        assert all(f.severity == "info" for f in found)


@pytest.mark.parametrize("text, fires", [
    ("一般公共服务（类）支出5356.01万元，占78.4%；社会保障和就业（类）支出796.52万元，占11.6%；卫生健康（类）支出"
     "265.81万元，占3.9%；住房保障（类）支出420.07万元，占6.1%。", True),
    ("一般公共服务（类）支出5356.01万元，占78.3%；社会保障和就业（类）支出796.52万元，占11.7%；卫生健康（类）支出"
     "265.81万元，占3.9%；住房保障（类）支出420.07万元，占6.1%。", False),
    ("一般公共服务（类）支出5356.01万元，占60.0%；社会保障和就业（类）支出796.52万元，占11.6%。", False),
])
def test_listed_shares(tmp_path, text, fires):
    found = [f for f in findings(tmp_path, text) if f.rule == "narrative.percentage" and "5356.01" in f.message]
    assert bool(found) is fires, [f.message for f in found]
