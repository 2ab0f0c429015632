"""Metadata is never fatal (issue #11): the unit's name, fiscal year and stage from labels,
titles, table titles or the file name; options supply what is missing; the descriptor
records where each came from (metadataSources)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from opendata.convert import ConversionError, convert_file, convert_to_package
from opendata.convert.metadata import find_unit_name, find_year_and_stage, from_file_name, year_or_stage_alone
from opendata.package import package_name

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TABLE = "\n".join(["科目编码\t科目名称\t合计\t人员经费\t公用经费", "301\t工资福利支出\t10.00\t10.00\t0.00",
                   "\t合计\t10.00\t10.00\t0.00"])


def document(*head: str) -> str:
    return "\n".join([*head, "", "一般公共预算基本支出表", "", "单位：万元", "", TABLE, ""])


def three(sources: dict) -> dict:
    """The sources of unit name, year and stage."""
    return {key: sources[key] for key in ("unitName", "fiscalYear", "stage")}


def run_convert(*args) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("opendata")
    return subprocess.run([str(cli), "convert", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "OPENDATA_MAX_MEMORY_MB": "0"})


# -- labels ----------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["单位名称", "部门名称", "预算单位", "编制单位", "编制部门", "预算主管部门",
                                   "部门（单位）名称", "预算单位名称"])
@pytest.mark.parametrize("colon", ["：", ":", " ", "", "：  "])
def test_every_label_form_with_any_colon(label, colon):
    name, where = find_unit_name(["说明", f"{label}{colon}测试市测试局", "其他内容"], [])
    assert name == "测试市测试局"
    assert where == f"label {label} line 2"


def test_label_after_other_cells_on_its_line():
    name, where = find_unit_name(["编制单位：测试县测试中心    金额单位：万元"], [])
    assert (name, where) == ("测试县测试中心", "label 编制单位 line 1")


def test_label_without_colon_needs_the_form_of_a_name():
    """Table headers and phrases that begin like a label are not names."""
    lines = ["预算单位财务收支预算总表", "单位名称     合计", "预算单位构成情况", "预算单位包括：", "部门名称 上海市"]
    assert find_unit_name(lines, []) == (None, None)


def test_label_mid_sentence_is_not_a_label():
    assert find_unit_name(["本部门所属预算单位测试中心等", ""], [])[0] is None


def test_a_name_broken_inside_brackets_is_joined_with_the_next_line():
    lines = ["预算单位：测试市财务会计事务中心（测试市财政科学研", "究所）", ""]
    assert find_unit_name(lines, [])[0] == "测试市财务会计事务中心（测试市财政科学研究所）"


def test_the_name_most_labels_state_wins():
    lines = ["单位名称：测试市甲局", "单位名称：测试市乙局", "单位名称：测试市乙局"]
    assert find_unit_name(lines, []) == ("测试市乙局", "label 单位名称 line 2")



def test_a_title_adding_only_a_scope_note_does_not_replace_the_labelled_name():
    """The cover says 测试市测试局（本级）2026年部门预算 and every table 预算单位：测试市测试局: the unit
    is the labelled name, （本级） its scope; a title that spells the name out in full still wins."""
    lines = ["测试市测试局（本级）2026年部门预算", "预算单位：测试市测试局", "预算单位：测试市测试局"]
    assert find_unit_name(lines, []) == ("测试市测试局", "label 预算单位 line 2")
    lines = ["测试市测试局机关服务中心2026年部门预算", "预算单位：测试市测试局"]
    assert find_unit_name(lines, [])[0] == "测试市测试局机关服务中心"


# -- titles ----------------------------------------------------------------------------

@pytest.mark.parametrize("title, name, year, stage", [
    ("国家测试局2026年度部门预算", "国家测试局", 2026, "budget"),
    ("测试市测试区社会福利院2024年单位预算", "测试市测试区社会福利院", 2024, "budget"),
    ("测试省测试厅 2019 年部门决算", "测试省测试厅", 2019, "final_accounts"),
    ("测试市测试委员会（单位）2023年预算", "测试市测试委员会", 2023, "budget"),
])
def test_title_names_unit_year_and_stage(title, name, year, stage):
    assert find_unit_name([title, "目录"], []) == (name, "title line 1")
    assert find_year_and_stage([title, "目录"]) == (year, stage, "title line 1")


@pytest.mark.parametrize("lines, name, where", [
    (["2026年测试市医疗保障局", "部门预算"], "测试市医疗保障局", "title line 1"),
    (["2026年测试市审计局部门预算", "目录"], "测试市审计局", "title line 1"),
    (["2026年中共测试市委宣传部部门", "预算"], "中共测试市委宣传部", "title line 1"),
    (["2025 年度测试市信访局部门预算公开"], "测试市信访局", "title line 1"),
    (["2026 年测试市科技创新局（本级）部", "门预算"], "测试市科技创新局（本级）", "title line 1"),
    (["2026 年测试市民政局（本级）部门预", "算"], "测试市民政局（本级）", "title line 1"),
    (["2026年中共测试市委宣传部", "部门预算"], "中共测试市委宣传部", "title line 1"),
    (["  2026 年度", "测试市科学技术局(本级)", "单位预算"], "测试市科学技术局(本级)", "title line 2"),
    (["目录", "第二部分 测试市轨道交通局 2019 年部门决算表"], "测试市轨道交通局", "title line 2"),
    (["收支预算总表", "部门：   测试省测试厅办公室     单位：万元"], "测试省测试厅办公室", "label 部门 line 2"),
])
def test_year_first_titles_name_alone_part_headings_and_the_department_label(lines, name, where):
    assert find_unit_name(lines, []) == (name, where)


def test_headings_are_not_names():
    assert find_unit_name(["目录", "第一部分 单位概况", "单位主要职责", "2026年部门预算表", "部门预算编制说明"], []) == (None, None)


def test_a_place_in_the_title_is_not_the_unit():
    assert find_unit_name(["测试市2026年市级单位预算", "目录"], [])[0] is None


def test_title_line_that_is_the_name_alone():
    assert find_unit_name(["测试市测试中心", "2024年部门预算"], []) == ("测试市测试中心", "title line 1")


def test_year_and_stage_from_a_table_title():
    lines = ["收支预算总表", "单位：万元", "2018年政府采购预算表"]
    assert find_year_and_stage(lines) == (2018, "budget", "table title line 3")


def test_year_and_stage_printed_apart():
    lines = ["预算01表 收支总表", "金额单位：万元", "预算02表 收入总表", "（2026年度）"]
    assert year_or_stage_alone(lines) == (2026, "budget", "year line 4", "table title line 1")


# -- file name ---------------------------------------------------------------------------

def test_file_name_as_a_last_resort():
    assert from_file_name("2026年测试市审计局_部门预算.pdf") == ("测试市审计局", 2026, "budget")
    assert from_file_name("测试市测试中心2021年部门决算.txt") == ("测试市测试中心", 2021, "final_accounts")
    assert from_file_name("001.pdf") == (None, None, None)
    assert from_file_name("2020-2021预算.pdf") == (None, None, "budget")


def test_conversion_takes_what_only_the_file_name_says(tmp_path):
    source = tmp_path / "测试市测试中心2021年部门决算.txt"
    source.write_text(document("说明"), encoding="utf-8")
    result = convert_file(source)
    d = result.disclosure
    assert (d.unit_name, d.fiscal_year, d.stage) == ("测试市测试中心", 2021, "final_accounts")
    assert three(d.metadata_sources) == {"unitName": "file name", "fiscalYear": "file name", "stage": "file name"}


# -- missing, options ------------------------------------------------------------------------

def test_missing_metadata_is_a_warning_and_recorded(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text(document("说明"), encoding="utf-8")
    result = convert_to_package(source, tmp_path / "out")
    d = result.disclosure
    assert (d.unit_name, d.fiscal_year, d.stage) == (None, None, None)
    assert any("未找到单位名称" in w and "--unit-name" in w for w in result.warnings)
    assert any("--year" in w for w in result.warnings) and any("--stage" in w for w in result.warnings)
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["metadataSources"] == {"unitName": "missing", "fiscalYear": "missing", "stage": "missing",
                                             "level": "missing", "consolidated": "not stated",
                                             "governmentLevel": "missing", "division": "missing"}
    assert descriptor["unit"]["name"] is None and descriptor["fiscalYear"] is None and descriptor["stage"] is None
    assert descriptor["fiscalPeriod"] is None
    assert descriptor["title"] == "单位名称未知年度未知阶段未知"
    # a stable name from the source document's hash
    assert descriptor["name"] == f"000000-src{d.source.sha256[:8]}-unknown-unknown"
    assert package_name(d) == descriptor["name"]
    from opendata.validate import validate_package
    report = validate_package(tmp_path / "out")
    errors = [f for f in report.findings if f.severity == "error"]
    assert not errors, errors


def test_options_supply_and_are_recorded(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text(document("说明"), encoding="utf-8")
    result = convert_to_package(source, tmp_path / "out", unit_name="测试市测试局", year=2025, stage="决算")
    d = result.disclosure
    assert (d.unit_name, d.fiscal_year, d.stage) == ("测试市测试局", 2025, "final_accounts")
    assert not any("未找到" in w for w in result.warnings)
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert three(descriptor["metadataSources"]) == {"unitName": "option", "fiscalYear": "option", "stage": "option"}
    assert descriptor["title"] == "测试市测试局2025年部门决算"


def test_options_win_over_the_document(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text(document("测试市甲局2024年部门预算", "单位名称：测试市甲局"), encoding="utf-8")
    d = convert_file(source, year=2023).disclosure
    assert (d.unit_name, d.fiscal_year, d.stage) == ("测试市甲局", 2023, "budget")
    assert three(d.metadata_sources) == {"unitName": "label 单位名称 line 2", "fiscalYear": "option", "stage": "title line 1"}


def test_bad_options_are_refused(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text(document("说明"), encoding="utf-8")
    with pytest.raises(ValueError):
        convert_file(source, year=12)
    with pytest.raises(ValueError):
        convert_file(source, stage="midyear")
    done = run_convert(source, "--out", tmp_path / "out", "--stage", "midyear")
    assert done.returncode == 2 and "stage" in done.stderr and not (tmp_path / "out").exists()


def test_cli_options(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text(document("说明"), encoding="utf-8")
    done = run_convert(source, "--out", tmp_path / "out", "--unit-name", "测试市测试局", "--year", "2022",
                       "--stage", "budget")
    assert done.returncode == 0, done.stderr
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert (descriptor["unit"]["name"], descriptor["fiscalYear"], descriptor["stage"]) == ("测试市测试局", 2022, "budget")
    done = run_convert(source, "--out", tmp_path / "out2")
    assert done.returncode == 0 and "--unit-name" in done.stderr


def test_a_text_that_is_no_disclosure_is_still_refused(tmp_path):
    source = tmp_path / "notice.txt"
    source.write_text("测试市测试局2024年工作通知\n编制单位：测试市测试局\n请各单位认真落实。\n" * 5, encoding="utf-8")
    with pytest.raises(ConversionError, match="no table of a budget disclosure"):
        convert_file(source)


@pytest.mark.parametrize("title, level, expected", [
    ("上海市测试医院2024年单位预算", "unit", "上海市测试医院2024年单位预算"),
    ("测试市测试局2024年部门预算", "department", "测试市测试局2024年部门预算"),
    ("上海市测试医院2023年单位决算", "unit", "上海市测试医院2023年单位决算"),
])
def test_the_package_title_names_a_units_disclosure_as_printed(tmp_path, title, level, expected):
    """A unit's own disclosure (单位预算 / 单位决算) is titled so, not 部门预算 (stages.csv unit_title_zh)."""
    source = tmp_path / "doc.txt"
    source.write_text(document(title), encoding="utf-8")
    d = convert_file(source).disclosure
    assert (d.level, d.title) == (level, expected)
