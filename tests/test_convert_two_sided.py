"""The two-sided summaries (收支总表, 财政拨款收支总表) as regions other than the seeds print them:
a section heading above the printed title, a following table whose title the catalog does not
name, and (below) the expenditure side printed in several label / amount column pairs."""
from __future__ import annotations

from decimal import Decimal

from opendata.convert import convert_file

HEAD = "2026年度福山市某某局部门预算\n"


def convert(tmp_path, text: str):
    path = tmp_path / "doc.txt"
    path.write_text(HEAD + text, encoding="utf-8")
    return convert_file(path)


SUMMARY = """一、收支预算总表
2026年度收支预算总表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t120.50\t一、一般公共服务支出\t100.00
二、政府性基金预算拨款收入\t\t二、外交支出\t
\t\t三、住房保障支出\t20.50
收入合计\t120.50\t支出合计\t120.50
"""

UNKNOWN_NEXT = """五、某某拨款支出预算明细表
2026年度某某拨款支出预算明细表
单位：万元
科目编码\t科目名称\t小计\t基本支出\t项目支出
合计\t\t120.50\t100.00\t20.50
208\t社会保障和就业支出\t120.50\t100.00\t20.50
"""


def test_heading_above_the_title_is_one_title(tmp_path):
    result = convert(tmp_path, SUMMARY)
    table = result.disclosure.tables["income_expenditure_summary"]
    totals = {r.values["side"]: r.values["total"] for r in table.rows if r.row_type == "total"}
    assert totals == {"income": Decimal("1205000"), "expenditure": Decimal("1205000")}
    assert not any("has no rows" in str(w) for w in result.warnings)


def test_an_unknown_title_ends_the_table_with_a_warning(tmp_path):
    result = convert(tmp_path, SUMMARY + UNKNOWN_NEXT)
    table = result.disclosure.tables["income_expenditure_summary"]
    assert [r.values["item"] for r in table.rows if r.values["side"] == "expenditure"][-1] == "支出合计"
    assert not any("without a label" in str(w) or "cell(s) not converted" in str(w) for w in result.warnings)
    outside = [str(w) for w in result.warnings if "not in the table catalog" in str(w)]
    assert len(outside) == 1 and "五、某某拨款支出预算明细表" in outside[0], result.warnings


TWO_LISTS = """收支总表
编制单位：某某局\t\t\t\t单位：元\t
收入\t\t支出\t\t\t
项目名称\t金额\t功能分类\t\t支出用途\t
\t\t功能科目名称\t金额\t项目名称\t金额
一、财政拨款\t300.00\t一、一般公共服务支出\t200.00\t一、基本支出\t250.00
二、其他资金\t\t二、住房保障支出\t100.00\t二、项目支出\t50.00
\t\t三、外交支出\t\t\t
\t\t四、国防支出\t\t\t
\t\t五、教育支出\t\t\t
当年收入小计\t300.00\t当年支出小计\t\t\t300.00
收入合计\t300.00\t支出合计\t\t\t300.00
"""


def test_expenditure_printed_in_two_lists(tmp_path):
    """功能分类 beside 支出用途: the first list is the expenditure side, the second the side
    expenditure_use (codelists/sides.csv); a total printed across both lists keeps its amount."""
    result = convert(tmp_path, TWO_LISTS)
    table = result.disclosure.tables["income_expenditure_summary"]
    expenditure = {r.values["item"]: r.values["total"] for r in table.rows if r.values["side"] == "expenditure" and "total" in r.values
                   and not r.values.get("expenditure_list")}
    assert expenditure == {"一、一般公共服务支出": Decimal("200.00"), "二、住房保障支出": Decimal("100.00"),
                           "当年支出小计": Decimal("300.00"), "支出合计": Decimal("300.00")}
    income = {r.values["item"]: r.values.get("total") for r in table.rows if r.values["side"] == "income"}
    assert income["一、财政拨款"] == Decimal("300.00") and income["当年收入小计"] == Decimal("300.00")
    by_use = {r.values["item"]: r.values.get("total") for r in table.rows if r.values["side"] == "expenditure_use"}
    assert by_use == {"一、基本支出": Decimal("250.00"), "二、项目支出": Decimal("50.00")}
    messages = [str(w) for w in result.warnings]
    assert not any("not converted" in m or "without a label" in m or "in amount column" in m for m in messages), messages


THREE_LISTS = """表1 2021年部门综合预算收支总表
预算单位：某某局 单位：元
收入		支出					
项目	预算数	支出功能分科目（按大类）	预算数	部门预算支出经济科目（按大类）	预算数	政府预算支出经济分类科目（按大类）	预算数
一、部门预算	300.00	一、部门预算	300.00	一、部门预算	300.00	一、部门预算	300.00
1、财政拨款	300.00	1、一般公共服务支出	200.00	1、人员经费和公用经费支出	120.00	1、机关工资福利支出	100.00
		2、教育支出	100.00	2、专项业务经费支出	180.00	2、机关商品和服务支出	200.00
本年收入合计	300.00	本年支出合计	300.00	本年支出合计	300.00	本年支出合计	300.00
收入总计	300.00	支出总计	300.00	支出总计	300.00	支出总计	300.00
"""


def test_expenditure_printed_in_three_lists(tmp_path):
    """支出功能分类 beside 部门预算支出经济分类 beside 政府预算支出经济分类, each with its 预算数: the first list
    is the expenditure side, the others the sides naming their classification, each with its own totals."""
    result = convert(tmp_path, THREE_LISTS)
    table = result.disclosure.tables["income_expenditure_summary"]
    lists = {}
    for r in table.rows:
        lists.setdefault(r.values["side"], {})[r.values["item"]] = r.values.get("total")
    assert lists["expenditure"]["1、一般公共服务支出"] == Decimal("200.00") and lists["expenditure"]["支出总计"] == Decimal("300.00")
    assert lists["expenditure_economic"] == {"一、部门预算": Decimal("300.00"), "1、人员经费和公用经费支出": Decimal("120.00"),
                                             "2、专项业务经费支出": Decimal("180.00"), "本年支出合计": Decimal("300.00"),
                                             "支出总计": Decimal("300.00")}
    assert lists["expenditure_government_economic"]["2、机关商品和服务支出"] == Decimal("200.00")
    assert len(lists["expenditure_government_economic"]) == 5
    assert not any("not converted" in str(w) for w in result.warnings), result.warnings
