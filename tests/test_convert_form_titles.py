"""Performance forms named by their titles (Quanzhou's variety: no 项目名称 row, the funding rows
first, titles wrapped mid-name) and department-wide forms with label | amount pairs and a task grid
(Guangzhou's 部门整体预算绩效目标申报表)."""
from __future__ import annotations

from opendata.convert import convert_file


def form(title: list[str], total: str, appropriation: str, other: str, goal: str, indicators: list[str]) -> list[str]:
    return title + [
        f"专项资金情况（万元）\t资金总额：\t{total}\t\t",
        f"\t财政拨款：\t{appropriation}\t\t",
        f"\t其他资金：\t{other}\t\t",
        f"项目实施期目标\t{goal}\t\t\t",
        "绩效目标指标\t一级指标\t二级指标\t三级指标\t目标值",
    ] + indicators


def test_forms_named_by_wrapped_titles(tmp_path):
    """Each project is a form under its own title (a unit code and name before the project's name,
    wrapped over two lines, once cut right before 目标表); the form prints no 项目名称, its funding rows
    come first; a page number stands between the forms; a title outside the catalog (…补助绩效目标表)
    after the forms is one more form; a target value wrapped onto the next page joins its row."""
    body = ["某某市公安局2026年部门预算", "1.项目支出绩效目标表"]
    body += form(["301007_某某市公安局机场分局_机场公安综", "合修缮改造项目绩效目标表"], "57.00", "57.00", "0.00", "完成改造", [
        "\t成本指标\t经济成本指标\t预算执行率\t100%",
        "\t产出指标\t数量指标\t停车场建设面积\t100%"])
    body += ["2 3"]
    body += form(["301008_某某市公安局台商分局_科技兴警绩效", "目标表"], "237.50", "237.50", "0.00", "深化科技兴警", [
        "\t产出指标\t数量指标\t执法车辆采购数量\t3辆"])
    body += ["2 4"]
    body += form(["公务用车购置项目绩效目标表"], "30.00", "0.00", "30.00", "完成公务车购置更新。", [
        "\t产出指标\t数量指标\t公务车购置数量\t≤3辆",
        "\t效益指标\t社会效益指标\t社会治理\t=构建共建共治共享的社会治理新格",
        "\t\t\t\t局"])
    body += ["2 5"]
    body += form(["业务及其他经费补助绩效目标表"], "332.50", "332.50", "0.00", "保障办案", [
        "\t满意度指标\t服务对象满意度指标\t服务对象满意度\t≥95%"])
    path = tmp_path / "forms.txt"
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    result = convert_file(path)
    rows = [r.values for r in result.disclosure.tables["project_performance_targets"].rows]
    projects = {}
    for values in rows:
        projects.setdefault(values["project_name"], values)
    assert list(projects) == ["机场公安综合修缮改造项目", "科技兴警", "公务用车购置项目", "业务及其他经费补助"]
    first = projects["机场公安综合修缮改造项目"]
    assert (first["unit_code"], first["unit_name"], first["goal"], str(first["total"])) == ("301007", "某某市公安局机场分局", "完成改造", "570000.00")
    car = projects["公务用车购置项目"]
    assert (str(car["fiscal_appropriation"]), str(car["other_funds"])) == ("0.00", "300000.00")
    assert [v["target_value"] for v in rows if v["project_name"] == "公务用车购置项目"] == ["≤3辆", "=构建共建共治共享的社会治理新格局"]
    assert [v["indicator_level3"] for v in rows if v["project_name"] == "科技兴警"] == ["执法车辆采购数量"]
    assert not [w for w in result.warnings if "project_performance_targets" in str(w)]


def test_department_form_pairs_and_task_grid(tmp_path):
    """预算整体情况 prints label | amount pairs under 预算金额（万元） headers; 年度重点工作任务 is a grid
    whose columns its header words name (名称 / 主要实施内容 / 拟投入的资金（万元） / 期望达到的目标),
    its label repeated at the top of the next page; then the indicator grid."""
    path = tmp_path / "department.txt"
    path.write_text("\n".join([
        "某某局2026年部门预算", "部门整体预算绩效目标申报表",
        "部门名称\t某某局\t\t\t",
        "预算整体情况\t部门预算支出\t预算金额（万元）\t收入来源\t预算金额（万元）",
        "\t基本支出\t12,634.14\t财政拨款\t98,880.78",
        "\t项目支出\t86,246.64\t其他资金\t0.00",
        "\t事业发展性支出\t预算金额（万元）\t按预算级次划分\t预算金额（万元）",
        "\t财政专项资金\t0.00\t市本级使用资金\t98,880.78",
        "总体绩效目标\t推动数字发展\t\t\t",
        "年度重点工作任务\t名称\t主要实施内容\t拟投入的资金（万元）\t期望达到的目标（概述）",
        "\t热线服务\t运营热线平台\t12,000.00\t提升服务效能",
        "年度重点工作任务\t\t安全保障\t统一运维\t51,365.96\t筑牢底座\t",
        "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值",
        "\t产出指标\t数量指标\t话务接通率\t≥93%",
    ]) + "\n", encoding="utf-8")
    result = convert_file(path)
    table = result.disclosure.tables["department_performance_targets"]
    assert table.money_unit == "万元"
    rows = {r.values["item"]: r.values for r in table.rows}
    assert str(rows["基本支出"]["basic"]) == "126341400.00"
    assert str(rows["财政拨款"]["fiscal_appropriation"]) == "988807800.00"
    assert str(rows["市本级使用资金"]["total"]) == "988807800.00"
    hotline = rows["热线服务"]
    assert (hotline["activity"], str(hotline["total"]), hotline["goal"]) == ("运营热线平台", "120000000.00", "提升服务效能")
    assert str(rows["安全保障"]["total"]) == "513659600.00"
    assert rows["话务接通率"]["target_value"] == "≥93%"


def test_name_and_phone_pairs_are_not_amounts(tmp_path):
    """姓名 | 职务 | 联系电话 rows far from any unit word stay text: a phone number is no amount."""
    path = tmp_path / "department.txt"
    path.write_text("\n".join([
        "某某局2026年部门预算", "部门整体支出绩效目标表",
        "部门名称\t某某局\t\t",
        "总体目标\t保障运转\t\t",
        "参与目标设置人员\t\t\t",
        "姓名\t单位及职务\t联系电话\t备注",
        "朱某\t中心主任\t65818744\t",
    ]) + "\n", encoding="utf-8")
    table = convert_file(path).disclosure.tables["department_performance_targets"]
    assert not [r for r in table.rows if any(not isinstance(v, str) for v in r.values.values())]
    assert any("65818744" in (r.values.get("goal") or "") for r in table.rows)
