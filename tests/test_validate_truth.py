"""False alarms the validator raised on real disclosures, read against the hand-read truth
(tests/corpus/findings, issue #14), each fixed by a general rule and pinned here on a small
built document: the finding is gone where the document is right and still raised where it
is wrong."""
from __future__ import annotations

from pathlib import Path

from opendata.convert import convert_to_package
from opendata.validate import validate_package
from opendata.validate.rules import function_class
from tests.documents import text_document


def table(title: str, *rows: str) -> str:
    return "\n".join([title, "单位：万元", *rows])


def findings(tmp_path: Path, *parts: str, rule: str | None = None):
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = text_document(tmp_path, *parts)
    result = convert_to_package(source, tmp_path / "package")
    report = validate_package(result.path)
    return [f for f in report.findings if rule is None or f.rule == rule]


def income_by_unit(*rows: str) -> str:
    return table("收入总表", "单位名称\t合计\t一般公共预算\t事业收入", *rows)


# -- a list printing each amount twice: the department, then its units --------------------------

def test_a_department_row_followed_by_its_units_is_not_added_to_them(tmp_path):
    """合计 = the department's row = the sum of its units: the rows are not all items of one
    list (the validator added the department to its units and reported the total as half)."""
    found = findings(tmp_path, income_by_unit(
        "合计\t100.00\t90.00\t10.00",
        "测试市测试局\t100.00\t90.00\t10.00",
        "测试市测试局（本级）\t60.00\t55.00\t5.00",
        "测试市测试中心\t40.00\t35.00\t5.00"), rule="sum.total-row")
    assert found == []


def test_a_total_leaving_out_a_unit_is_still_reported(tmp_path):
    found = findings(tmp_path, income_by_unit(
        "合计\t100.00\t90.00\t10.00",
        "测试市测试局（本级）\t60.00\t55.00\t5.00",
        "测试市测试中心\t40.00\t35.00\t5.00",
        "测试市测试站\t20.00\t20.00\t0.00"), rule="sum.total-row")
    assert found and all("sum of the items" in f.message for f in found)


def test_units_each_followed_by_their_projects(tmp_path):
    """A project table printing each unit's subtotal before its projects: 合计 is the sum of
    the units (or of the projects), not of both."""
    found = findings(tmp_path, table(
        "项目支出表",
        "单位名称（项目）\t合计\t一般公共预算",
        "合计\t50.00\t50.00",
        "测试市测试局\t30.00\t30.00",
        "办公设备购置\t10.00\t10.00",
        "信息系统运维\t20.00\t20.00",
        "测试市测试中心\t20.00\t20.00",
        "监测经费\t20.00\t20.00"), rule="sum.total-row")
    assert found == []


# -- a partial breakdown of the appropriation ------------------------------------------------------

def test_fiscal_appropriation_with_only_an_of_which_column_is_at_least_it(tmp_path):
    """本级财政拨款 | 其中：经费拨款: the appropriation may hold more than its 经费拨款 (funds,
    fees …): not an error when larger, an error when smaller."""
    header = ("科目编码\t科目名称\t合计\t本级财政拨款\t\t事业收入", "\t\t\t金额\t其中：经费拨款\t")
    ok = findings(tmp_path / "a", table(
        "收入总表", *header,
        "204\t公共安全支出\t70.00\t70.00\t50.00\t0.00",
        "\t合计\t70.00\t70.00\t50.00\t0.00"), rule="sum.funding-sources")
    assert ok == []
    wrong = findings(tmp_path / "b", table(
        "收入总表", *header,
        "204\t公共安全支出\t70.00\t70.00\t80.00\t0.00",
        "\t合计\t70.00\t70.00\t80.00\t0.00"), rule="sum.funding-sources")
    assert wrong and all("<" in f.message for f in wrong)


# -- labels that begin with 其他 ---------------------------------------------------------------------

def test_a_label_beginning_with_other_is_not_class_229():
    assert function_class("其他进修及培训", 2026) is None
    assert function_class("其他社会工作事务支出", 2026) is None
    assert function_class("二十二、其他支出", 2026) == "229"
    assert function_class("交通运输（类）支出", 2026) == "214"


# -- shares of a named whole ----------------------------------------------------------------------

def summary(total: str, basic: str, project: str) -> str:
    return table("收支总表", "收入\t\t支出\t",
                 "项目\t预算数\t项目\t预算数",
                 f"一、一般公共预算拨款收入\t{total}\t一、一般公共服务支出\t{total}",
                 f"本年收入合计\t{total}\t本年支出合计\t{total}",
                 f"收入总计\t{total}\t支出总计\t{total}")


def narrative(sentence: str, heading: str = "一、机关运行经费") -> str:
    return "\n".join(["第二部分 2026年部门预算情况说明", heading, sentence])


def expenditure(total: str, basic: str, project: str) -> str:
    return table("支出总表", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
                 f"201\t一般公共服务支出\t{total}\t{basic}\t{project}",
                 f"\t合计\t{total}\t{basic}\t{project}")


def test_a_share_of_basic_expenditure_is_checked_against_basic_expenditure(tmp_path):
    """"机关运行经费 211 万元，占基本支出经费的 17.46%": 211 / 1208.20 (基本支出), not of the budget."""
    parts = (summary("1682.76", "1208.20", "474.56"), expenditure("1682.76", "1208.20", "474.56"))
    right = findings(tmp_path / "a", *parts, narrative("机关运行经费预算总计211万元，占基本支出经费的17.46%。"),
                     rule="narrative.percentage")
    assert right == []
    wrong = findings(tmp_path / "b", *parts, narrative("机关运行经费预算总计211万元，占基本支出经费的27.46%。"),
                     rule="narrative.percentage")
    assert len(wrong) == 1 and "1,208.20" in wrong[0].message


def test_a_share_of_a_whole_the_tables_do_not_hold_is_compared_with_the_text_only(tmp_path):
    parts = (summary("1682.76", "1208.20", "474.56"), expenditure("1682.76", "1208.20", "474.56"))
    right = findings(tmp_path / "a", *parts, narrative("设备335.24万元，占固定资产总额的7.80%。"), rule="narrative.percentage")
    assert right == []
    stated = findings(tmp_path / "b", *parts, narrative("固定资产总额4295.98万元，设备335.24万元，占固定资产总额的7.90%。"),
                      rule="narrative.percentage")
    assert len(stated) == 1 and "4295.98" in stated[0].message


def test_a_sibling_part_is_not_the_whole_of_a_share(tmp_path):
    """"因公出国（境）费支出 199.25 万元，占“三公”经费的 25.96%；公务用车购置及运行费支出 183.6 万元，
    占“三公”经费的 23.92%" (of 767.6, not stated): 199.25 is a part of the same whole, not the whole;
    a share whose whole is neither in the tables nor stated with certainty is not checked."""
    parts = (summary("1682.76", "1208.20", "474.56"), expenditure("1682.76", "1208.20", "474.56"))
    shares = ("因公出国（境）费支出199.25万元，占“三公”经费的25.96%；公务用车购置及运行费支出183.6万元，"
              "占“三公”经费的{}%；公务接待费支出384.75万元，占“三公”经费的50.12%。")
    right = findings(tmp_path / "a", *parts, narrative("“三公”经费预算支出中，" + shares.format("23.92"), "九、“三公”经费"),
                     rule="narrative.percentage")
    assert right == []
    wrong = findings(tmp_path / "b", *parts,
                     narrative("“三公”经费预算支出767.6万元，其中：" + shares.format("33.92"), "九、“三公”经费"),
                     rule="narrative.percentage")
    assert len(wrong) == 1 and "767.6" in wrong[0].message and "33.92" in wrong[0].message


# -- empty tables explained by a bracketed note ------------------------------------

def empty_fund_table(note: str | None = None) -> str:
    rows = ["科目编码\t科目名称\t合计\t基本支出\t项目支出", "\t合计\t\t\t"]
    return table("政府性基金预算支出表", *rows, *([note] if note else []))


def test_an_empty_table_with_a_bracketed_note_is_explained(tmp_path):
    """"（注：2026年没有使用政府性基金预算拨款安排的支出。）" under the table is its note."""
    found = findings(tmp_path / "a", empty_fund_table("（注：2026年没有使用政府性基金预算拨款安排的支出。）"),
                     rule="completeness.empty-table-without-note")
    assert not [f for f in found if f.table == "government_fund_expenditure"]
    bare = findings(tmp_path / "b", empty_fund_table(), rule="completeness.empty-table-without-note")
    assert [f for f in bare if f.table == "government_fund_expenditure"]


# -- one code printed twice for two items --------------------------------------------------------------

def test_a_code_printed_twice_for_two_items_still_adds_up_to_its_class(tmp_path):
    """302 with 30208 取暖费 and 30208 物业管理费 (a misprinted code): the 款 still add up to
    the class, so a class that does not is reported."""
    def basic(class_total: str) -> str:
        return table("一般公共预算基本支出表", "科目编码\t科目名称\t合计\t人员经费\t公用经费",
                     f"302\t商品和服务支出\t{class_total}\t0.00\t{class_total}",
                     "30201\t办公费\t10.00\t0.00\t10.00",
                     "30208\t取暖费\t5.00\t0.00\t5.00",
                     "30208\t物业管理费\t6.00\t0.00\t6.00",
                     f"\t合计\t{class_total}\t0.00\t{class_total}")
    assert findings(tmp_path / "a", basic("21.00"), rule="sum.hierarchy") == []
    wrong = findings(tmp_path / "b", basic("15.00"), rule="sum.hierarchy")
    assert wrong and "商品和服务支出" in wrong[0].message


# -- a class's amount stated for one fund ---------------------------------------------------------------

def test_a_class_amount_in_a_fund_paragraph_is_that_funds_amount(tmp_path):
    """"政府性基金预算当年拨款结构情况：交通运输（类）支出 64.00 万元" is the class in the fund's
    table, not in the general budget's."""
    parts = (table("一般公共预算支出表", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
                   "214\t交通运输支出\t40.00\t40.00\t0.00", "\t合计\t40.00\t40.00\t0.00"),
             table("政府性基金预算支出表", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
                   "214\t交通运输支出\t64.00\t0.00\t64.00", "\t合计\t64.00\t0.00\t64.00"))
    right = findings(tmp_path / "a", *parts, narrative("政府性基金预算当年拨款结构情况。交通运输（类）支出64.00万元，占100%。"),
                     rule="narrative.figure-mismatch")
    assert right == []
    wrong = findings(tmp_path / "b", *parts, narrative("政府性基金预算当年拨款结构情况。交通运输（类）支出46.00万元，占100%。"),
                     rule="narrative.figure-mismatch")
    assert len(wrong) == 1


def test_a_share_naming_no_whole_may_be_of_the_figure_its_sentence_begins_with(tmp_path):
    """"“三公”经费财政拨款支出决算中，……公务接待费支出 0.16 万元，占 100.0%": of 三公经费 (0.16),
    not of the budget."""
    parts = (summary("1668.14", "746.39", "921.75"), expenditure("1668.14", "746.39", "921.75"),
             table("“三公”经费支出表", "合计\t因公出国（境）费\t公务接待费\t公务用车购置及运行费", "0.16\t0.00\t0.16\t0.00"))
    right = findings(tmp_path / "a", *parts, narrative(
        "2019年“三公”经费财政拨款支出决算中，因公出国（境）费0万元，占0%；公务接待费支出0.16万元，占100.0%。", "三、情况说明"),
        rule="narrative.percentage")
    assert right == []
    wrong = findings(tmp_path / "b", *parts, narrative(
        "2019年“三公”经费财政拨款支出决算中，因公出国（境）费0万元，占0%；公务接待费支出0.16万元，占60.0%。", "三、情况说明"),
        rule="narrative.percentage")
    assert len(wrong) == 1


# -- the hint naming the row a total leaves out ----------------------------------------------------

def test_a_difference_equal_to_a_row_only_within_rounding_is_not_called_exact(tmp_path):
    """Sum of the parts 90.25, total 80.50: the difference 9.75 is the row 9.74 only within rounding,
    so the hint says so rather than "正好等于"; a difference of exactly 9.74 is "正好等于"."""
    def classes(total: str) -> str:
        return table("支出总表", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
                     f"201\t一般公共服务支出\t{total}\t{total}\t0.00",
                     "20101\t人大事务\t50.00\t50.00\t0.00", "20102\t政协事务\t30.51\t30.51\t0.00",
                     "20103\t政府办公厅（室）及相关机构事务\t9.74\t9.74\t0.00",
                     f"\t合计\t{total}\t{total}\t0.00")
    near = [f.message for f in findings(tmp_path / "a", classes("80.50"), rule="sum.hierarchy")]
    assert near and all("正好等于" not in m and "9.75" in m and "舍入误差" in m for m in near if "9.74" in m)
    assert any("9.74" in m for m in near)
    exact = [f.message for f in findings(tmp_path / "b", classes("80.51"), rule="sum.hierarchy")]
    assert any("正好等于" in m for m in exact)
