"""A 政府性基金收支表 printing its income beside its expenditure (收入 | 支出): the one-sided
government_fund_expenditure table reads it by side (the optional field `side`), and the validator
checks each side and their balance, never one sum over both."""
from __future__ import annotations

from decimal import Decimal

from opendata.convert import convert_file
from opendata.package import write_package
from opendata.validate import validate_package

from .documents import text_document

TABLE = """表9
部门综合预算政府性基金收支表
单位：元
收入\t\t支出\t
项目\t预算数\t支出功能分类科目\t预算数
一、政府性基金拨款\t500.00\t一、社会保障和就业支出\t0.00
\t\t二、其他支出\t500.00
收入总计\t500.00\t支出总计\t500.00
"""


def test_income_beside_expenditure_read_by_side(tmp_path):
    result = convert_file(text_document(tmp_path, TABLE))
    rows = result.disclosure.tables["government_fund_expenditure"].rows
    sides = {(r.values.get("side"), r.values["item"]): r.values.get("total") for r in rows}
    assert sides[("income", "一、政府性基金拨款")] == Decimal("500.00")
    assert sides[("expenditure", "二、其他支出")] == Decimal("500.00")
    out = tmp_path / "package"
    write_package(result.disclosure, out)
    report = validate_package(out)
    assert not [f for f in report.findings if f.table == "government_fund_expenditure"], report.findings
    assert report.identities_checked > 0


ONE_SIDED = """表8
政府性基金预算财政拨款收入支出决算表
单位：万元
项目\t\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余
功能分类科目编码\t科目名称\t\t\t小计\t基本支出\t项目支出\t
栏次\t\t1\t2\t3\t4\t5\t6
\t合计\t1.00\t5.00\t4.00\t1.00\t3.00\t2.00
208\t社会保障和就业支出\t1.00\t5.00\t4.00\t1.00\t3.00\t2.00
20822\t大中型水库移民后期扶持基金支出\t1.00\t5.00\t4.00\t1.00\t3.00\t2.00
"""


def test_income_and_expenditure_columns_of_one_list_stay_one_sided(tmp_path):
    """A 收入支出表 whose header prints 本年收入 and 本年支出 as amount columns of one list (one
    code and name column at the left, no label column under either) is one-sided: each printed
    line is one row with its code, name and every amount, never an income / expenditure pair."""
    result = convert_file(text_document(tmp_path, ONE_SIDED))
    rows = result.disclosure.tables["government_fund_expenditure"].rows
    assert [(r.values.get("function_code"), r.values["item"], r.row_type) for r in rows] == [
        (None, "合计", "total"), ("208", "社会保障和就业支出", "item"), ("20822", "大中型水库移民后期扶持基金支出", "item")]
    assert not any(r.values.get("side") for r in rows)
    social = rows[1].values
    assert (social["carryover"], social["total"], social["basic"], social["project"], social["carryover_year_end"]) == (
        Decimal("10000"), Decimal("40000"), Decimal("10000"), Decimal("30000"), Decimal("20000"))


def test_a_real_one_sided_fund_table_reads_as_printed():
    """057.pdf pp. 22-23 (表8 政府性基金预算财政拨款收入支出决算表), checked by hand against
    `pdftotext -layout -f 22 -l 23`: 合计 on each page, then 14 coded rows 208 … 2296003, six
    amount columns (年初结转和结余, 本年收入, 本年支出 小计 / 基本支出 / 项目支出, 年末结转和结余), all 0.00."""
    import pytest

    from tests.corpus_compare import CORPUS

    source = CORPUS / "057.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    rows = convert_file(source).disclosure.tables["government_fund_expenditure"].rows
    codes = [r.values.get("function_code") for r in rows if r.values.get("function_code")]
    assert codes == ["208", "20822", "2082299", "212", "21208", "2120801", "21211", "2121100",
                     "229", "22908", "2290805", "2290808", "22960", "2296003"]
    assert len(rows) == 16
    assert [r.values["item"] for r in rows if r.row_type == "total"] == ["合计", "合计"]
    assert not any(r.values.get("side") for r in rows)
    assert {r.values.get("total") for r in rows} == {Decimal("0")}
