"""Tables many regions print that the catalog now names (issue #11): fiscal appropriation
expenditure by function and its basic part by economic code, the general-budget basic
expenditure by function code, the carried-over fiscal appropriation expenditure; and lines that
are no table's title (a table number alone, a numbered narrative heading with no rows under it,
a sentence pointing at a table). Inputs are small text documents built here, and one real
document of the national corpus."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from opendata.convert import convert_file
from opendata.convert.recognise import match_title
from tests.documents import text_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def table(title: str, *rows: str, marker: str | None = None) -> str:
    return "\n".join(([marker] if marker else []) + [title, "单位：万元", *rows])


def catalog_warnings(result) -> list[str]:
    return [w for w in result.warnings if "not in the table catalog" in w or "not recognised:" in w]


@pytest.mark.parametrize("title, table_id", [
    ("财政拨款支出表（功能科目）", "fiscal_appropriation_expenditure"),
    ("公开表五 财政拨款支出预算表（功能科目）", "fiscal_appropriation_expenditure"),
    ("2026年部门财政拨款支出预算表", "fiscal_appropriation_expenditure"),
    ("财政拨款基本支出表（经济科目）", "fiscal_appropriation_basic_expenditure"),
    ("六、财政拨款基本支出预算表", "fiscal_appropriation_basic_expenditure"),
    ("表7 2022年部门综合预算一般公共预算基本支出明细表（按功能科目分）", "general_budget_basic_expenditure_function"),
    ("一般公共预算基本支出表", "general_budget_basic_expenditure"),               # no classification named: by economic code
    ("表11 2022部门综合预算财政拨款结转资金支出表", "fiscal_carryover_expenditure"),
    ("附表16 2022年专项资金总体支出绩效目标表", "project_performance_targets"),
])
def test_titles_name_the_new_catalog_tables(title, table_id):
    match = match_title(title)
    assert match is not None and match.table_id == table_id, (title, match)


def test_fiscal_appropriation_expenditure_by_function(tmp_path):
    source = text_document(tmp_path, table(
        "财政拨款支出表（功能科目）",
        "科目编码\t科目名称\t合计\t基本支出\t\t\t项目支出",
        "\t\t\t小计\t人员经费\t公用经费\t",
        "\t合计\t300.00\t100.00\t80.00\t20.00\t200.00",
        "201\t一般公共服务支出\t300.00\t100.00\t80.00\t20.00\t200.00", marker="公开05表"))
    result = convert_file(source)
    rows = result.disclosure.tables["fiscal_appropriation_expenditure"].rows
    row = next(r for r in rows if r.values.get("function_code") == "201")
    assert [row.values[m] for m in ("total", "basic", "personnel", "public_use", "project")] == [
        Decimal("3000000.00"), Decimal("1000000.00"), Decimal("800000.00"), Decimal("200000.00"), Decimal("2000000.00")]
    assert any(r.row_type == "total" for r in rows)
    assert not catalog_warnings(result), result.warnings


def test_fiscal_appropriation_basic_expenditure_by_economic_code(tmp_path):
    source = text_document(tmp_path, table(
        "财政拨款基本支出表（经济科目）",
        "科目编码\t科目名称\t合计\t人员经费\t公用经费",
        "\t合计\t12.00\t10.00\t2.00",
        "301\t工资福利支出\t10.00\t10.00\t",
        "302\t商品和服务支出\t2.00\t\t2.00"))
    result = convert_file(source)
    rows = result.disclosure.tables["fiscal_appropriation_basic_expenditure"].rows
    assert {r.values.get("economic_code") for r in rows} >= {"301", "302"}
    assert next(r for r in rows if r.values.get("economic_code") == "302").values["public_use"] == Decimal("20000.00")
    assert not catalog_warnings(result), result.warnings


def test_general_budget_basic_expenditure_by_function_beside_the_one_by_economic_code(tmp_path):
    """Both tables printed: the one by function (（按功能科目分）) and the one by economic code each
    get their own catalog table, neither read into the other."""
    source = text_document(tmp_path, table(
        "表7 一般公共预算基本支出明细表（按功能科目分）",
        "科目编码\t科目名称\t合计\t人员经费\t公用经费",
        "\t合计\t12.00\t10.00\t2.00",
        "2010101\t行政运行\t12.00\t10.00\t2.00", marker=None), table(
        "表8 一般公共预算基本支出明细表（按经济科目分）",
        "科目编码\t科目名称\t合计\t人员经费\t公用经费",
        "\t合计\t12.00\t10.00\t2.00",
        "301\t工资福利支出\t10.00\t10.00\t",
        "302\t商品和服务支出\t2.00\t\t2.00"))
    result = convert_file(source)
    by_function = result.disclosure.tables["general_budget_basic_expenditure_function"].rows
    by_economic = result.disclosure.tables["general_budget_basic_expenditure"].rows
    assert [r.values.get("function_code") for r in by_function if r.row_type == "item"] == ["2010101"]
    assert {r.values.get("economic_code") for r in by_economic if r.row_type == "item"} == {"301", "302"}
    assert not catalog_warnings(result), result.warnings


def test_carryover_expenditure_printed_empty_is_no_warning(tmp_path):
    source = text_document(tmp_path, table(
        "表11 部门综合预算财政拨款上年结转资金支出表",
        "预算单位名称\t预算项目名称\t金额\t功能分类科目代码\t功能分类科目名称",
        "合计\t\t\t\t"), table(
        "一般公共预算支出表",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "\t合计\t3.00\t1.00\t2.00",
        "201\t一般公共服务支出\t3.00\t1.00\t2.00"))
    result = convert_file(source)
    assert "fiscal_carryover_expenditure" in result.disclosure.tables
    assert not [w for w in result.warnings if "财政拨款上年结转资金支出表" in w and "catalog" in w], result.warnings


def test_a_table_number_alone_is_not_an_unknown_title(tmp_path):
    """公开02表 printed above the next table's title ends the table above without a warning, and
    its line is read as neither a row nor narrative of the table above."""
    body = ("科目编码\t科目名称\t合计\t基本支出\t项目支出", "\t合计\t3.00\t1.00\t2.00", "201\t一般公共服务支出\t3.00\t1.00\t2.00")
    source = text_document(tmp_path, table("一般公共预算支出表", *body, marker="公开 01 表"),
                           table("财政拨款支出表", *body, marker="公开 02 表"),
                           table("政府性基金预算支出表", *body, marker="表14-1"))
    result = convert_file(source)
    assert {"general_budget_expenditure", "fiscal_appropriation_expenditure", "government_fund_expenditure"} <= set(result.disclosure.tables)
    assert not catalog_warnings(result), result.warnings
    for table_id in ("general_budget_expenditure", "fiscal_appropriation_expenditure"):
        assert len([r for r in result.disclosure.tables[table_id].rows if r.row_type == "item"]) == 1


def test_numbered_headings_without_rows_start_no_table(tmp_path):
    """（二）…绩效目标表 straight above the next title, 三、机关运行经费支出情况 followed by
    sentences and a sentence pointing at a table (…见下表) are headings and prose of the narrative:
    no table starts there and nothing is warned."""
    source = text_document(tmp_path, table(
        "一般公共预算支出表",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "\t合计\t3.00\t1.00\t2.00",
        "201\t一般公共服务支出\t3.00\t1.00\t2.00"),
        "（二）部门主管专项资金的绩效目标表",
        "三、机关运行经费支出情况\n2026年本单位机关运行经费财政拨款预算1.00万元，较上年持平。\n单价100万元以上设备1台；",
        "部门预算编制范围的单位详细情况见下表：",
        table("项目支出表", "项目名称\t合计", "合计\t2.00", "某项目\t2.00"))
    result = convert_file(source)
    assert "operating_costs" not in result.disclosure.tables
    assert not catalog_warnings(result), result.warnings
    assert "project_expenditure" in result.disclosure.tables


@pytest.mark.skipif(not (CORPUS / "085.pdf").is_file(), reason="no ../shared/corpus")
def test_corpus_document_prints_the_fiscal_appropriation_tables():
    """085.pdf (公开表五 / 公开表六): the totals as printed on pages 5 and 6 (18,330.37 and 9,312.90 万元)."""
    result = convert_file(CORPUS / "085.pdf")
    tables = result.disclosure.tables
    for table_id, printed in (("fiscal_appropriation_expenditure", "183303700"), ("fiscal_appropriation_basic_expenditure", "93129000")):
        totals = [r.values.get("total") for r in tables[table_id].rows if r.row_type == "total"]
        assert Decimal(printed) in totals, (table_id, totals)
    assert not catalog_warnings(result), result.warnings


def test_a_table_number_printed_under_its_title_keeps_short_tables_whole(tmp_path):
    """公开表三 printed under its title (as 085.pdf prints them), tables of one or two rows: each
    table keeps its rows; the number never ends the table it numbers."""
    body = ("科目编码\t科目名称\t合计\t基本支出\t项目支出", "\t合计\t3.00\t1.00\t2.00", "201\t一般公共服务支出\t3.00\t1.00\t2.00")
    source = text_document(tmp_path, "\n".join(["支出预算总表", "公开表三", "单位：万元", *body]),
                           "\n".join(["财政拨款支出预算表（功能科目）", "公开表四", "单位：万元", *body]),
                           "\n".join(["一般公共预算支出预算表", "公开表五", "单位：万元", *body]))
    result = convert_file(source)
    for table_id in ("expenditure_summary", "fiscal_appropriation_expenditure", "general_budget_expenditure"):
        rows = result.disclosure.tables[table_id].rows
        assert [r.values.get("function_code") for r in rows if r.row_type == "item"] == ["201"], table_id
    assert not catalog_warnings(result), result.warnings


@pytest.mark.parametrize("printed_basic, broken", [("100.00", False), ("90.00", True)])
def test_fiscal_basic_expenditure_agrees_with_the_basic_column(tmp_path, printed_basic, broken):
    """across.fiscal_basic_expenditure: 财政拨款基本支出表's total equals the 基本支出 column of
    财政拨款支出表's total row (a misprinted total is reported, not corrected)."""
    from opendata.convert import convert_to_package
    from opendata.validate import validate_package
    source = text_document(tmp_path, table(
        "财政拨款支出表（功能科目）",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "\t合计\t300.00\t100.00\t200.00",
        "201\t一般公共服务支出\t300.00\t100.00\t200.00"), table(
        "财政拨款基本支出表（经济科目）",
        "科目编码\t科目名称\t合计\t人员经费\t公用经费",
        f"\t合计\t{printed_basic}\t80.00\t20.00",
        "301\t工资福利支出\t80.00\t80.00\t",
        "302\t商品和服务支出\t20.00\t\t20.00"))
    convert_to_package(source, tmp_path / "pkg")
    report = validate_package(tmp_path / "pkg")
    found = [f for f in report.findings if f.rule == "across.basic-expenditure"]
    assert bool(found) == broken, [(f.rule, f.message) for f in report.findings]
    if broken:
        assert found[0].table == "fiscal_appropriation_basic_expenditure"
