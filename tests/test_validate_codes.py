"""The code checks (issue #13): what a code list says of a code (`validate.codebook`) and the
findings of small documents built here, converted and validated like any other.

- code.unknown only from a list complete for the year, naming the nearest real codes;
- local codes (7-digit economic sub-codes) and rows not confirmed raise nothing;
- a printed name that differs from the official one is info, a former official name a warning;
- one code under two names in two tables of one document is a warning.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from opendata.convert import convert_file
from opendata.package import write_package
from opendata.standard import CodeList, load_standard
from opendata.validate import codebook, validate_package
from tests.documents import text_document

STANDARD = load_standard()
DEPARTMENT = STANDARD.codelists["economic_classification_department"]
FUNCTION = STANDARD.codelists["function_classification"]
GOVERNMENT = STANDARD.codelists["economic_classification_government"]


def built_list(rows: list[dict], complete: tuple[str, ...] = ()) -> CodeList:
    """A year-versioned classification with the given rows (code, name, from_year, to_year, confirmed)."""
    full = [{"level": str({3: 1, 5: 2, 7: 3}[len(r["code"])]), "parent": r["code"][:-2] if len(r["code"]) > 3 else "",
             "from_year": "2018", "to_year": "", "source": "national:2018", "confirmed": "true", **r} for r in rows]
    return CodeList(id="built", file="built.csv", title_zh="测试分类", title_en="Built", open=True, year_versioned=True,
                    provenance="test", description="", rows=full, code_lengths=(3, 5, 7), complete=complete)


BUILT = [
    {"code": "212", "name": "城乡社区支出"},
    {"code": "21201", "name": "城乡社区管理事务"},
    {"code": "2120101", "name": "行政运行"},
    {"code": "2120102", "name": "一般行政管理事务"},
    {"code": "2120199", "name": "其他城乡社区管理事务支出", "confirmed": "false"},
    {"code": "21203", "name": "城乡社区公共设施", "from_year": "2018", "to_year": "2019"},
]


def test_complete_in_reads_years_and_spans():
    assert built_list(BUILT, ("2018-2020", "2024")).complete_in(2019)
    assert built_list(BUILT, ("2018-2020", "2024")).complete_in(2024)
    assert not built_list(BUILT, ("2018-2020", "2024")).complete_in(2022)
    assert built_list(BUILT, ("all",)).complete_in(None)
    assert not built_list(BUILT).complete_in(2024)


def test_an_incomplete_list_does_not_judge_a_code_it_lacks():
    incomplete, complete = built_list(BUILT), built_list(BUILT, ("2018-2026",))
    assert codebook.status(incomplete, "2120103", 2024) == codebook.UNJUDGED
    assert codebook.status(complete, "2120103", 2024) == codebook.UNKNOWN
    assert codebook.status(complete, "7", 2024) == codebook.UNKNOWN  # malformed: "7" printed for 212
    assert codebook.status(complete, "2120101", 2024) == codebook.OK


def test_unconfirmed_rows_and_other_years():
    complete = built_list(BUILT, ("2018-2026",))
    assert codebook.status(complete, "2120199", 2024) == codebook.UNCONFIRMED
    assert codebook.status(complete, "21203", 2024) == codebook.OTHER_YEARS
    assert codebook.status(complete, "21203", 2019) == codebook.OK


def test_local_economic_sub_codes_are_local():
    # 7-digit department economic codes are regional refinements of a national 款
    assert codebook.national_lengths(DEPARTMENT) == (3, 5)
    assert codebook.status(DEPARTMENT, "3020199", 2024) == codebook.LOCAL
    assert codebook.status(DEPARTMENT, "3010101", 2023) == codebook.LOCAL  # even when a seed printed it
    assert codebook.status(DEPARTMENT, "30298", 2024) == codebook.UNKNOWN
    assert codebook.status(DEPARTMENT, "3029801", 2024) == codebook.UNKNOWN  # under no national 款


def test_nearest_codes_share_the_parent_and_look_like_the_printed_name():
    near = codebook.nearest(DEPARTMENT, "30298", "差旅费", 2024)
    assert near[0] == ("30211", "差旅费")
    assert all(code.startswith("302") and len(code) == 5 for code, _ in near)
    complete = built_list(BUILT, ("2018-2026",))
    assert codebook.nearest(complete, "2120103", "一般行政管理", 2024)[0][0] == "2120102"
    assert codebook.nearest(complete, "7", "城乡社区支出", 2024)[0][0] == "212"


def table(title: str, *rows: str) -> str:
    return "\n".join([title, "单位：万元", *rows])


def findings(tmp_path: Path, *parts: str, year: int = 2024) -> list:
    source = text_document(tmp_path, *parts, cover=(f"测试市测试局{year}年部门预算", "单位名称：测试市测试局"))
    result = convert_file(source)
    path = write_package(result.disclosure, tmp_path / "package")
    return [f for f in validate_package(path).findings if f.rule.startswith("code.")]


BASIC = "部门预算支出经济分类科目编码\t部门预算支出经济分类科目名称\t合计\t人员经费\t公用经费"


def test_document_codes(tmp_path):
    """A 302 款 the edition does not have is unknown with its nearest codes; a local 7-digit
    sub-code is nothing; a name other than the official one is info."""
    found = findings(tmp_path, table(
        "一般公共预算基本支出表", BASIC,
        "301\t工资福利支出\t10.00\t10.00\t0.00",
        "30101\t基本工资\t10.00\t10.00\t0.00",
        "302\t商品和服务支出\t6.00\t0.00\t6.00",
        "30298\t差旅费\t2.00\t0.00\t2.00",
        "30201\t办公费\t3.00\t0.00\t3.00",
        "3020101\t办公用品费\t3.00\t0.00\t3.00",
        "30207\t邮电通讯费用\t1.00\t0.00\t1.00",
        "\t合计\t16.00\t10.00\t6.00"))
    by_rule = {(f.rule, f.found): f for f in found}
    unknown = by_rule[("code.unknown", "30298")]
    assert unknown.severity == "warning" and "30211 差旅费" in unknown.message
    assert not [f for f in found if f.found == "3020101"]
    assert {f.rule for f in found} <= {"code.unknown", "code.name-mismatch"}
    assert all(f.severity == "info" for f in found if f.rule == "code.name-mismatch")


def test_former_name_is_a_warning_and_two_names_are_inconsistent(tmp_path):
    found = findings(tmp_path, table(
        "一般公共预算支出表",
        "功能分类科目编码\t功能分类科目名称\t合计\t基本支出\t项目支出",
        "210\t医疗卫生与计划生育支出\t5.00\t5.00\t0.00",
        "208\t社会保障和就业支出\t3.00\t3.00\t0.00",
        "\t合计\t8.00\t8.00\t0.00"), table(
        "支出总表",
        "功能分类科目编码\t功能分类科目名称\t合计\t基本支出\t项目支出",
        "210\t卫生健康支出\t5.00\t5.00\t0.00",
        "208\t教育支出\t3.00\t3.00\t0.00",
        "\t合计\t8.00\t8.00\t0.00"), year=2024)
    outdated = [f for f in found if f.rule == "code.name-outdated"]
    assert [(f.found, f.expected, f.severity) for f in outdated] == [("医疗卫生与计划生育支出", "卫生健康支出", "warning")]
    inconsistent = {f.found for f in found if f.rule == "code.name-inconsistent"}
    assert inconsistent and inconsistent <= {"教育支出", "社会保障和就业支出", "卫生健康支出", "医疗卫生与计划生育支出"}
    # 教育支出 is the official name of the 类 205, not a wording of 208's name
    other = [f for f in found if f.rule == "code.name-of-other-code"]
    assert [(f.found, f.expected, f.severity) for f in other] == [("教育支出", "社会保障和就业支出", "warning")]
    assert "205" in other[0].message
    assert not any(f.rule == "code.name-mismatch" and f.found == "教育支出" for f in found)


def test_a_year_before_the_list_is_not_judged():
    """The classifications start in 2018 (the economic reform): a 2017 document's codes are
    outside them, neither unknown nor of another year."""
    assert codebook.first_year(DEPARTMENT) == 2018
    assert codebook.status(DEPARTMENT, "30311", 2017) == codebook.UNJUDGED
    assert codebook.status(DEPARTMENT, "30101", 2017) == codebook.UNJUDGED
    assert codebook.status(DEPARTMENT, "30101", 2018) == codebook.OK


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def corpus_findings(tmp_path: Path, name: str) -> list:
    """The code.* findings of a corpus document converted and validated."""
    if not (CORPUS / name).exists():
        pytest.skip(f"{name} not under {CORPUS}")
    path = write_package(convert_file(CORPUS / name).disclosure, tmp_path / "package")
    return [f for f in validate_package(path).findings if f.rule.startswith("code.")]


def test_a_sibling_codes_name_is_a_warning_naming_that_code(tmp_path):
    """064.pdf p11 (长春市信访局 2026): 30208 取暖费 23.37, then 30208 物业管理费 36.18 —
    物业管理费 is 30209's official name: the wrong code, a warning, not a wording (info)."""
    found = corpus_findings(tmp_path, "064.pdf")
    other = [f for f in found if f.rule == "code.name-of-other-code"]
    assert [(f.found, f.expected, f.severity) for f in other] == [("物业管理费", "取暖费", "warning")]
    assert "30209" in other[0].message and "30208" in other[0].message
    mismatch = {f.found for f in found if f.rule == "code.name-mismatch"}
    assert mismatch == {"维护（护）费"}  # a misprint of 维修（护）费, no other code's name


def test_a_level_numbered_00_is_unknown_unless_it_is_its_parent(tmp_path):
    """057.pdf p22 (佛山市轨道交通局 2019 决算) prints 21211 农业土地开发资金安排的支出 and under it 2121100 with the same
    name and amounts: the 款 padded with 00 to a 项's length, not a wrong code (no finding). A level numbered 00 under
    another name (30100 基本工资) is malformed: no edition numbers a 款 or 项 00."""
    assert codebook.zero_level(FUNCTION, "2121100") == "21211"
    assert codebook.zero_level(FUNCTION, "2121101") is None and codebook.zero_level(FUNCTION, "201") is None
    assert not [f for f in corpus_findings(tmp_path / "057", "057.pdf") if f.rule == "code.unknown"]
    (tmp_path / "built").mkdir()
    found = findings(tmp_path / "built", table(
        "一般公共预算基本支出表", BASIC, "301\t工资福利支出\t10.00\t10.00\t0.00", "30100\t工资福利支出\t4.00\t4.00\t0.00",
        "30100\t基本工资\t6.00\t6.00\t0.00", "\t合计\t10.00\t10.00\t0.00"))
    unknown = [f for f in found if f.rule == "code.unknown"]
    assert [(f.found, f.severity) for f in unknown] == [("30100", "warning")] and "基本工资" in unknown[0].message


def test_a_year_before_the_lists_gets_one_not_checked_finding(tmp_path):
    """086.pdf (江苏省人民检察院 2017 预算) prints 2017 codes (30311 住房公积金): not judged, and said so once."""
    found = corpus_findings(tmp_path, "086.pdf")
    assert [(f.rule, f.severity, f.found) for f in found] == [("code.not-checked", "info", "2017")]
    assert "function_classification" in found[0].message


def test_unconfirmed_row_raises_nothing():
    """31206 其他资本性补助: unconfirmed for 2018–2025 (no national edition or document seen prints
    it), confirmed from 2026, when three documents print it in full code listings."""
    assert codebook.status(DEPARTMENT, "31206", 2024) == codebook.UNCONFIRMED
    assert codebook.status(DEPARTMENT, "31206", 2026) == codebook.OK


def test_uncertain_source_is_unconfirmed():
    """A row whose source says `uncertain` (2080206 基层政权建设和社区治理: documents print
    2080206 社会组织管理) raises nothing."""
    rows = BUILT + [{"code": "2120103", "name": "市政公用行业市场监管", "source": "national:2018;uncertain"}]
    assert codebook.status(built_list(rows, ("2018-2026",)), "2120103", 2024) == codebook.UNCONFIRMED


def test_every_code_the_seeds_print_is_in_its_list_for_its_year():
    """Every classification code of the five seed packages (datapackages/) is in its list for the
    package's fiscal year — or is local, unconfirmed or not judged — and none raises a code
    finding above info."""
    import csv
    import json
    root = Path(__file__).resolve().parents[1] / "datapackages"
    fields = {name: STANDARD.codelists[spec.codelist] for name, spec in STANDARD.fields.items()
              if spec.codelist and STANDARD.codelists[spec.codelist].year_versioned}
    wrong, seen = [], 0
    for package in sorted(p for p in root.iterdir() if (p / "datapackage.json").is_file()):
        year = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))["fiscalYear"]
        for table in sorted((package / "data").glob("*.csv")):
            for row in csv.DictReader(table.open(encoding="utf-8")):
                for name, codelist in fields.items():
                    if row.get(name):
                        seen += 1
                        if codebook.status(codelist, row[name], year) in (codebook.UNKNOWN, codebook.OTHER_YEARS):
                            wrong.append((package.name, table.stem, name, row[name]))
        assert not [f for f in validate_package(package, layers=("codes",)).findings if f.severity != "info"]
    assert seen > 300 and not wrong, wrong[:10]


def test_a_code_known_only_from_documents_is_not_judged_outside_their_years():
    """A row resting only on a document that prints it (`printed:`, no national edition) says
    nothing of the years before: the code is not judged there (no code.not-in-year), unless the
    list is complete for the year. A row from a national edition bounds its years."""
    printed_only = BUILT + [{"code": "2120804", "name": "农村基础设施建设支出", "from_year": "2026",
                             "source": "printed:062.pdf"}]
    assert codebook.status(built_list(printed_only), "2120804", 2022) == codebook.UNJUDGED
    assert codebook.status(built_list(printed_only), "2120804", 2026) == codebook.OK
    assert codebook.status(built_list(printed_only, ("2018-2026",)), "2120804", 2022) == codebook.OTHER_YEARS
    assert codebook.status(built_list(BUILT), "21203", 2024) == codebook.OTHER_YEARS  # national:2018, 2018–2019


def test_project_labels_and_project_codes_beside_a_function_code_raise_nothing(tmp_path):
    """项目支出表: a regional project code (not a classification code) and the project's name
    printed as the only label beside the function code are neither unknown codes nor name
    differences (the converter keeps the project's name as `item` and `project_name`)."""
    found = findings(tmp_path, table(
        "项目支出表",
        "项目编码\t功能分类科目编码\t项目名称\t合计",
        "33010025T000000123456\t2120399\t城市道路养护\t5.00",
        "33010025T000000123457\t2120101\t社区服务中心运行\t3.00",
        "\t\t合计\t8.00"), year=2025)
    assert not found, [(f.rule, f.found) for f in found]


def test_a_list_complete_at_its_class_level_only():
    """`3:2018-2026` in the `complete` column: every 类 is listed, not every 款 and 项. A code
    under no 类 of the year, or of a length that is no level, is unknown (with the nearest real
    codes); a missing 款 or 项 of a real 类 is not judged."""
    classes_only = built_list(BUILT, ("3:2018-2026",))
    assert classes_only.complete_in(2024, 3) and not classes_only.complete_in(2024)
    assert codebook.status(classes_only, "2120103", 2024) == codebook.UNJUDGED  # 款 21201 of a real 类
    assert codebook.status(classes_only, "21899", 2024) == codebook.UNKNOWN  # 218 is no 类
    assert codebook.status(classes_only, "7", 2024) == codebook.UNKNOWN  # malformed: "7" printed for 212
    assert codebook.status(classes_only, "2121", 2024) == codebook.UNKNOWN  # four digits: no level
    assert codebook.status(classes_only, "10301", 2024) == codebook.UNJUDGED  # an income code, another classification
    assert codebook.status(classes_only, "2120101", 2024) == codebook.OK
    assert codebook.status(classes_only, "2120101", 2017) == codebook.UNJUDGED  # before the list
    function = STANDARD.codelists["function_classification"]
    assert codebook.status(function, "2240101", 2024) in (codebook.OK, codebook.UNCONFIRMED, codebook.UNJUDGED)
    assert codebook.status(function, "28801", 2024) == codebook.UNKNOWN
    assert codebook.nearest(function, "28801", "卫生健康管理事务", 2024)


def test_a_function_code_under_no_class_is_a_warning_with_the_nearest_codes(tmp_path):
    found = findings(tmp_path, table(
        "一般公共预算支出表",
        "功能分类科目编码\t功能分类科目名称\t合计\t基本支出\t项目支出",
        "208\t社会保障和就业支出\t3.00\t3.00\t0.00",
        "20805\t行政事业单位养老支出\t3.00\t3.00\t0.00",
        "2080505\t机关事业单位基本养老保险缴费支出\t3.00\t3.00\t0.00",
        "28001\t卫生健康管理事务\t2.00\t2.00\t0.00",
        "\t合计\t5.00\t5.00\t0.00"), year=2024)
    assert [(f.rule, f.severity, f.found) for f in found] == [("code.unknown", "warning", "28001")]
    assert "21001 卫生健康管理事务" in found[0].message


def test_a_code_printed_with_its_parents_name_is_a_warning_naming_the_parent(tmp_path):
    """30299 其他商品和服务支出 printed 商品和服务支出 (302's name): `rules.names_agree` would take it for the official
    name cut short; it is the parent's name, so the code or the name is wrong (found by a new-user trial). 2019999 and
    20199 share one name: printing it is no finding. No corpus disclosure prints a parent's name on a child."""
    assert codebook.named_parent(DEPARTMENT, "30299", "商品和服务支出", 2024) == "302"
    assert codebook.named_parent(DEPARTMENT, "30299", "其他商品和服务支出", 2024) is None
    assert codebook.named_parent(FUNCTION, "2019999", "其他一般公共服务支出", 2024) is None
    found = findings(tmp_path, table("一般公共预算基本支出表", BASIC, "合计\t\t15.00\t\t15.00",
                                     "302\t商品和服务支出\t15.00\t\t15.00", "30201\t办公费\t5.00\t\t5.00",
                                     "30299\t商品和服务支出\t10.00\t\t10.00"))
    other = [f for f in found if f.rule == "code.name-of-other-code"]
    assert [(f.found, f.expected, f.severity) for f in other] == [("商品和服务支出", "其他商品和服务支出", "warning")]
    assert "上级代码 302" in other[0].message
