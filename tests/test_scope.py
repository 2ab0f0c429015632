"""Who a disclosure covers (issue #11): department or unit, consolidated or own level, the
government level and the division — from the unit's own name and the title, never from a place
the narrative merely mentions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from opendata.convert import convert_file, convert_to_package
from opendata.convert.recognise import match_title
from opendata.convert.scope import consolidation, disclosure_level, division_and_level, number

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TABLE = "\n".join(["科目编码\t科目名称\t合计\t人员经费\t公用经费", "301\t工资福利支出\t10.00\t10.00\t0.00",
                   "\t合计\t10.00\t10.00\t0.00"])


def place(name, *cover):
    warnings = set()
    result = division_and_level(name, list(cover), warnings)
    return result["code"], result["governmentLevel"], result["division"], warnings


# -- government level and division -----------------------------------------------------------------

@pytest.mark.parametrize("name, code, level", [
    ("上海市审计局", "310000", "provincial"),
    ("上海市普陀区人民政府办公室", "310107", "county"),
    ("深圳市审计局", "440300", "municipal"),
    ("湖州市财政局", "330500", "municipal"),
    ("江苏省人民检察院", "320000", "provincial"),
    ("中共江苏省委办公厅", "320000", "provincial"),
    ("国家税务总局长沙市税务局", "430100", "municipal"),
    ("上海市普陀区人民政府万里街道办事处", "310107", "county"),
])
def test_division_and_government_level_from_the_unit_name(name, code, level):
    got_code, got_level, where, warnings = place(name, "2026年部门预算", "目录")
    assert (got_code, got_level, where) == (code, level, "unit name")
    assert not warnings


def test_a_central_body_has_no_division():
    assert place("国家信访局", "国家信访局2026年部门预算") == (None, "central", "central", set())


def test_a_short_county_name_without_its_suffix_is_not_a_division():
    """福州市鼓楼生态环境局 is the 鼓楼 branch of a city bureau: 鼓楼 alone is not 鼓楼区."""
    assert place("福州市鼓楼生态环境局")[:2] == ("350100", "municipal")


def test_a_county_name_is_placed_by_the_title():
    code, level, where, warnings = place("普陀区测试局", "上海市普陀区2025年区级部门预算", "预算主管部门：普陀区测试局")
    assert (code, level, where, warnings) == ("310107", "county", "unit name", set())


def test_an_ambiguous_county_name_is_null_with_a_warning():
    code, level, where, warnings = place("普陀区测试局", "2025年区级部门预算")
    assert (code, level, where) == (None, "county", "missing")
    assert any("310107" in w and "330903" in w for w in warnings)


def test_a_shortened_name_takes_the_city_of_the_title():
    code, level, where, _ = place("市卫生健康委", "湖州市2026年市级部门预算", "市卫生健康委")
    assert (code, level, where) == ("330500", "municipal", "title line 1")


def test_a_place_the_narrative_mentions_is_never_taken():
    narrative = ["测试中心2026年部门预算", "目录"] + [""] * 20 + ["本中心在苏州市开展项目，并与上海市普陀区合作。"]
    assert place("测试中心", *narrative)[:3] == (None, None, "missing")
    assert place("深圳市测试局", *narrative)[:2] == ("440300", "municipal")


def test_chinese_numerals():
    assert [number(t) for t in ("8", "一", "十二", "二十三", "两", "x")] == [8, 1, 12, 23, 2, None]


# -- department or unit ---------------------------------------------------------------------------

@pytest.mark.parametrize("lines, level", [
    (["2026 年度测试市测试局部门预算公开"], "department"),
    (["测试市2026年市级单位预算", "预算单位：测试市测试中心"], "unit"),
    (["测试市测试局 2022 年部门综合预算"], "department"),
    (["测试市2025年区级单位预算"], "unit"),
    (["收支总表", "部门： 测试省测试厅   单位：万元"], "department"),
    (["收支总表", "预算单位：测试市测试中心   单位：元"], "unit"),
    (["收支总表", "单位：万元"], None),
])
def test_department_or_unit(lines, level):
    assert disclosure_level(lines)[0] == level


def test_parts_of_a_department_budget_do_not_make_it_a_unit():
    lines = ["2026年测试市测试局部门预算", "本部门预算为汇总预算，包括：局本级预算，以及纳入编制范围的下属单位预算"]
    assert disclosure_level(lines) == ("department", "title line 1")


# -- consolidated -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lines, name, level, expected", [
    (["说明"], "测试市测试局（本级）", "department", False),
    (["说明"], "测试市测试局（汇总）", "department", True),
    (["2026 年测试市测试局（本级）部门预算"], "测试市测试局", "department", False),
    (["2.从预算单位构成看，纳入本部门 2026 年部门汇总预算编", "制范围的预算单位共计 8 家，具体包括："], None, "department", True),
    (["纳入本部门2018年部门汇总预算编制范围的预算单位共计一家，具体包括：部门本级"], None, "department", False),
    (["纳入 2022 年部门综合预算编制范围的二级预算单位共十二个，包括："], None, "department", True),
    (["本部门预算为汇总预算，包括：局本级预算，以及纳入编制范围的下属单位预算"], None, "department", True),
    (["部门预算是包括街道本部以及下属 5 家预算单位的综合收支计划。"], None, "department", True),
    (["“本年预算数”的单位范围包括部门本级及所属0 个预算单位。"], None, "department", False),
    (["本部门无下属单位，部门预算为局本级预算。"], None, "department", False),
    (["我部门没有下属单位，按照部门决算编报要求，单独编制本部门决算。"], None, "department", False),
    (["本单位无下属单位。"], None, "unit", None),
    (["测试局下属1家机关和1家事业单位财政拨款的机关运行经费预算为213.28万元。"], None, "unit", None),
    (["县区补助编入市本级预算。"], None, "department", None),
    (["测试局预算包括：局本级预算、局属市测试中心预算。"], None, "department", True),
])
def test_consolidated_as_the_document_says(lines, name, level, expected):
    assert consolidation(lines, name, level)[0] is expected


def test_consolidation_is_recorded_with_its_line():
    lines = ["2026年测试市测试局部门预算", "", "本部门预算为汇总预", "算，包括：局本级预算"]
    assert consolidation(lines, "测试市测试局", "department") == (True, "text line 3")


# -- the descriptor -------------------------------------------------------------------------------

def test_the_descriptor_records_level_consolidation_government_level_and_division(tmp_path):
    source = tmp_path / "x.txt"
    lines = ["2026年深圳市测试局部门预算", "本部门无下属单位，部门预算为局本级预算。", "",
             "一般公共预算基本支出表", "", "单位：万元", "", TABLE, "", "项目在上海市实施。"]
    source.write_text("\n".join(lines), encoding="utf-8")
    result = convert_to_package(source, tmp_path / "out")
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["division"] == {"code": "440300", "names": ["广东省", "深圳市"]}
    assert (descriptor["governmentLevel"], descriptor["level"], descriptor["consolidated"]) == ("municipal", "department", False)
    sources = descriptor["metadataSources"]
    assert (sources["division"], sources["governmentLevel"], sources["level"], sources["consolidated"]) == (
        "unit name", "unit name", "title line 1", "text line 2")
    assert not any("行政区划" in w for w in result.warnings)
    from opendata.validate import validate_package
    report = validate_package(tmp_path / "out")
    assert not [f for f in report.findings if f.severity == "error"]
    from opendata.package import read_package
    d = read_package(tmp_path / "out")
    assert (d.level, d.consolidated, d.government_level) == ("department", False, "municipal")


# -- a performance-target table alone is a disclosure --------------------------------------------------

def test_the_department_performance_form_title_is_recognised():
    assert match_title("部门整体预算绩效目标申报表").table_id == "department_performance_targets"


def test_a_document_whose_only_table_is_a_performance_form_converts():
    path = CORPUS / "029.pdf"
    if not path.exists():
        pytest.skip(f"{path} not found")
    result = convert_file(path)
    table = result.disclosure.tables["department_performance_targets"]
    assert len(table.rows) >= 30
    assert result.disclosure.level == "department" and result.disclosure.division_code == "440100"


def test_a_mark_broken_by_a_space_on_the_cover():
    assert consolidation(["2026 年测试市测试委员会（本 级）部门预算"], None, "department") == (False, "title line 1")


def test_disclosure_words_are_listed():
    from opendata.standard import load_standard
    standard = load_standard()
    for kind in ("central", "consolidated_mark", "department", "department_label", "no_subordinates", "own_level",
                 "subordinate", "unit", "unit_label"):
        assert standard.disclosure_words(kind)
    with pytest.raises(KeyError):
        standard.disclosure_words("regional")
