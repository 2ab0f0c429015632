"""Performance tables of the text seeds: targets (项目 / 部门整体) and self-evaluations,
checked against values read off the documents by hand."""
from __future__ import annotations

from decimal import Decimal

from .seeds import converted


def rows_of(prefix, table_id):
    return converted(prefix).disclosure.tables[table_id].rows


def at(prefix, table_id, line):
    found = [r for r in rows_of(prefix, table_id) if r.source_line == line]
    assert found, f"{table_id}: no row from line {line}"
    return found[0].values


# -- 004: 表12 项目支出绩效表 (tab rows, some shifted left) and 部门整体绩效表 --------------

def test_004_project_targets():
    rows = rows_of("004", "project_performance_targets")
    assert len(rows) == 108
    assert len({r.values["project_name"] for r in rows}) == 22
    first = at("004", "project_performance_targets", 335)
    assert first["unit_name"] == "哈尔滨市道里区社会保险经办服务中心"
    assert first["project_name"] == "工资支出"
    assert first["project_category"] == "工资支出"
    assert first["total"] == Decimal("1358200")
    assert (first["indicator_level1"], first["indicator_level2"], first["indicator_level3"]) == ("产出指标", "数量指标", "足额保障率")
    assert (first["operator"], first["operator_printed"], first["target_value"], first["target_unit"], first["weight"]) == ("＝", "等于", "100", "%", "22.50")
    cont = at("004", "project_performance_targets", 336)  # continuation row inherits project and levels
    assert (cont["project_name"], cont["indicator_level2"], cont["indicator_level3"], cont["operator"], cont["target_unit"]) == ("工资支出", "数量指标", "科目调整次数", "≤", "次")
    shifted = at("004", "project_performance_targets", 400)  # printed shifted left
    assert (shifted["project_name"], shifted["indicator_level1"], shifted["indicator_level3"], shifted["weight"]) == ("物业外包人员委托业务费", "满意度指标", "完成服务对象满意度指标", "10.00")
    lead = at("004", "project_performance_targets", 417)  # 时效指标 printed in front
    assert (lead["project_name"], lead["indicator_level1"], lead["indicator_level2"], lead["indicator_level3"]) == ("电费", "产出指标", "时效指标", "完成时效指标")
    assert lead["unit_name"] == "哈尔滨市道里区社会保险经办服务中心"
    only3 = at("004", "project_performance_targets", 412)
    assert (only3["project_name"], only3["indicator_level2"], only3["indicator_level3"]) == ("水费", "社会效益指标", "效益提升率")
    wan = at("004", "project_performance_targets", 434)
    assert (wan["operator"], wan["target_value"], wan["target_unit"], wan["total"]) == ("≤", "9", "万元", Decimal("91200"))


def test_004_department_targets():
    rows = rows_of("004", "department_performance_targets")
    indicators = [r.values for r in rows if r.values.get("indicator_level3")]
    assert len(indicators) == 8
    assert indicators[0]["indicator_level1"] == "成本指标" and indicators[0]["target_value"] == "977" and indicators[0]["target_unit"] == "万元"
    qual = at("004", "department_performance_targets", 468)
    assert (qual["indicator_level1"], qual["indicator_level3"], qual["operator"], qual["target_value"], qual["indicator_direction"]) == ("效益指标", "项目经济效益情况", "定性", "逐步稳定", "正向")
    assert at("004", "department_performance_targets", 470)["indicator_level1"] == "满意度指标"


# -- 001: 表十三 (one cell per line) and 表十四 (a form) ---------------------------------

def test_001_project_targets():
    rows = rows_of("001", "project_performance_targets")
    assert len(rows) == 22
    first = at("001", "project_performance_targets", 1382)
    assert first["project_code"] == "11010223T000001959550"
    assert first["project_name"] == "困难人员参加城乡居民基本养老保险代缴保费（2023年）"
    assert (first["project_category"], first["responsible_person"], first["contact_phone"]) == ("31-部门项目", "刘东华", "66201659")
    assert first["total"] == Decimal("1738000") and first["fiscal_appropriation"] == Decimal("1738000")
    assert (first["indicator_level3"], first["operator"], first["target_value"], first["target_unit"]) == ("符合条件的困难人员", "≤", "3000", "人/户")
    cont = at("001", "project_performance_targets", 1410)
    assert (cont["project_code"], cont["indicator_level1"], cont["indicator_level3"], cont["target_value"]) == ("11010223T000001959550", "满意度指标", "困难人员满意", "90")
    last = at("001", "project_performance_targets", 1676)
    assert (last["project_name"], last["total"], last["target_value"], last["target_unit"]) == ("预留机动费（社保中心2023年）", Decimal("382056.57"), "1", "项")
    assert at("001", "project_performance_targets", 1564)["operator"] == "＝"


def test_001_department_targets():
    money = at("001", "department_performance_targets", 1709)
    assert money["total"] == Decimal("68353777.63")
    assert money["fiscal_appropriation"] == Decimal("68353777.63")
    assert "basic" not in money and "other_funds" not in money
    # 合计 / 基本支出 / 项目支出 under 财政拨款 are that group's own row (其他资金 printed blank: no row)
    groups = [r.values for r in rows_of("001", "department_performance_targets") if r.source_line == 1709][1:]
    assert groups == [{"item": "财政拨款", "total": Decimal("68353777.63"), "basic": Decimal("52212451.06"),
                       "project": Decimal("16141326.57")}]
    goal = at("001", "department_performance_targets", 1718)
    assert "严格落实北京市社会保险政策和经办规定" in goal["goal"]


# -- 002: 预算10表 form, the project table recognised by its header, the wide 绩效指标 grid --

def test_002_projects_and_grid():
    rows = rows_of("002", "project_performance_targets")
    projects = [r.values for r in rows if not r.values.get("indicator_level3")]
    assert [p["project_name"] for p in projects] == ["劳务派遣人员工资", "办公经费-其他", "城乡居民养老信息化办公网络费用", "办公经费-设备购置", "党建工作经费"]
    assert projects[1]["responsible_person"] == "朱华" and projects[1]["implementation_end"] == "202112"
    assert projects[0]["project_category"] == "新增项目" and projects[0]["unit_code"] == "309001"
    grid = [r.values for r in rows if r.values.get("indicator_level3")]
    assert len(grid) == 33
    salary = [g for g in grid if g["project_name"] == "劳务派遣人员工资"]
    assert {"indicator_level3": "质量指标1 (年度)", "target_value": "人员素质高，工作积极主动"}.items() <= next(g for g in salary if g["indicator_level3"] == "质量指标1 (年度)").items()
    assert next(g for g in salary if g["indicator_level3"] == "指标1")["target_value"] == "服务窗口政策宣传解读到位参保办事群众满意"
    assert next(g for g in salary if g["indicator_level3"] == "指标2")["target_value"] == "参保人员满意度100%"
    party = [g for g in grid if g["project_name"] == "党建工作经费"]
    assert next(g for g in party if g["indicator_level3"] == "成本指标2 (年度)")["target_value"] == "订阅党报党刊6280元购买书籍3000元"


def test_002_department_form():
    rows = rows_of("002", "department_performance_targets")
    indicators = [r.values for r in rows if r.values.get("indicator_level3")]
    first = next(v for v in indicators if v["indicator_level3"] == "劳务派遣4人")
    assert first["indicator_level2"] == "数量指标" and first["target_value"] == "4人"
    assert any(r.values.get("item") == "部门（单位）名称" for r in rows)


# -- 003: nine self-evaluations ----------------------------------------------------------

def test_003_self_evaluations():
    rows = [r.values for r in rows_of("003", "performance_self_evaluation")]
    assert len(rows) == 156
    assert len({r["project_name"] for r in rows}) == 9
    totals = [r for r in rows if r["record_type"] == "total_score"]
    assert len(totals) == 9
    funding = at("003", "performance_self_evaluation", 108)
    assert funding["project_name"] == "档案资料保管费" and funding["item"] == "年度资金总额"
    assert (funding["budget_initial"], funding["budget_full_year"], funding["total"]) == (Decimal("494100"), Decimal("429300"), Decimal("429300"))
    assert (funding["score_weight"], funding["execution_rate"], funding["score"]) == ("10", "100%", "10")
    assert funding["responsible_person"] == "杨立群" and funding["department"] == "北京市丰台区人力资源和社会保障局"
    goal = next(r for r in rows if r["project_name"] == "档案资料保管费" and r["record_type"] == "goal")
    assert goal["goal"].startswith("更好地为参保对象") and "3．提高了档案用品日常使用的满意度" in goal["actual_value"]
    ind = at("003", "performance_self_evaluation", 234)
    assert (ind["indicator_level2"], ind["indicator_level3"], ind["target_value"], ind["actual_value"], ind["score"]) == ("成本指标", "项目总成本控制在预算内", "成本控制在预算内", "42.93（万元）", "10")
    sat = at("003", "performance_self_evaluation", 266)
    assert (sat["indicator_level1"], sat["target_value"]) == ("满意度指标", "≥95%")
    assert at("003", "performance_self_evaluation", 278)["score"] == "100"
    broken = at("003", "performance_self_evaluation", 420)  # a row broken by a page break
    assert broken["indicator_level3"] == "落实佩戴标识、出示执法证件的执法工作要求求。" and broken["score"] == "15"
    scored = [r for r in totals if r.get("score") == "97.54"]
    assert len(scored) == 1
    last = [r for r in rows if r["project_name"] == "机房设备升级改造经费"]
    assert last[0]["budget_initial"] == Decimal("490410") and last[-1]["record_type"] == "total_score"


def test_an_unlabelled_amount_row_above_the_first_project_is_the_lists_total():
    """081.pdf p. 35 (2026年市级部门项目支出绩效表) prints 1,266.75 under the header with no label, then the
    projects (财政服务综合业务管理 120.00 …); checked by hand with `pdftotext -layout`. It is the list's total:
    read as 合计 with a warning, never as a project without a name (an empty required `item`)."""
    import pytest

    from opendata.convert import convert_file
    from tests.corpus_compare import CORPUS

    source = CORPUS / "081.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    result = convert_file(source)
    table = result.disclosure.tables["project_performance_targets"]
    first = table.rows[0]
    assert (first.row_type, first.values["item"], first.values["total"]) == ("total", "合计", Decimal("12667500.00"))
    assert all(row.values.get("item") for row in table.rows)
    assert any("without a label above the first project" in w for w in result.warnings)


def test_target_content_and_scoring_standard_columns_are_kept():
    """042.pdf p. 22 (2026年项目支出绩效目标表) prints 指标值内容 and 评（扣）分标准 beside 指标值: read by hand
    with `pdftotext -layout`, 水费 120 万元 has 指标值内容 水费财政拨款总费用 and the standard 偏离目标40%不得分；… ;
    both are kept (fields target_content, scoring_standard), not warned as columns not recognised."""
    import pytest

    from opendata.convert import convert_file
    from tests.corpus_compare import CORPUS

    source = CORPUS / "042.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    result = convert_file(source)
    rows = result.disclosure.tables["project_performance_targets"].rows
    water = next(r.values for r in rows if r.values.get("indicator_level3") == "水费")
    assert (water["target_value"], water["target_content"]) == ("120", "水费财政拨款总费用")
    assert water["scoring_standard"].startswith("偏离目标40%不得分") and water["scoring_standard"].endswith("无偏离得满分")
    assert not [w for w in result.warnings if "not recognised" in w]
