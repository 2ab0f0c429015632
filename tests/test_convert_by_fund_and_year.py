"""Tables split by source of funds and by year (issue #11, the Shenzhen variety): the 三公 table
printing one row per year and one for the change under each unit, its columns split into
一般公共预算 / 政府性基金预算 / 国有资本经营预算; the 基本支出总表 by economic item with its
单位资金 group; a header warning repeated by every page of a table reported once. Inputs are
small text documents built here."""
from __future__ import annotations

from pathlib import Path

from opendata.convert import convert_file
from tests.documents import lines, text_document

FUNDS = ["一般公共预算", "政府性基金预算", "国有资本经营预算"]


def document(tmp_path: Path, *parts: str) -> Path:
    return text_document(tmp_path, *parts, after=("注：本套报表金额单位转换时可能存在尾数误差。", ""))


def three_public(*rows: str) -> str:
    top = ["预算单位", "年度", "总计", "", "", "因公出国(境)费", "", "", "公务接待费", "", "",
           "公务用车购置及运行维护费"] + [""] * 8
    middle = [""] * 11 + ["小计", "", "", "公务用车购置费", "", "", "公务用车运行维护费", "", ""]
    bottom = ["", ""] + FUNDS * 6
    return "\n".join(["财政拨款“三公”经费支出表", "单位：万元", "\t".join(top), "\t".join(middle), "\t".join(bottom), *rows])


def amounts(*values: str) -> str:
    """Six measures, each printed for the three funds: the general budget's amount, then 0.00 twice."""
    return "\t".join(f"{v}\t0.00\t0.00" for v in values)


def test_three_public_rows_by_year_under_their_unit(tmp_path):
    source = document(tmp_path, three_public(
        "测试市测试局\t2025 年\t" + amounts("20.00", "10.00", "5.00", "5.00", "0.00", "5.00"),
        "\t2026 年\t" + amounts("18.00", "9.00", "4.00", "5.00", "1.00", "4.00"),
        "\t增减变化金额\t" + amounts("-2.00", "-1.00", "-1.00", "0.00", "1.00", "-1.00")))
    result = convert_file(source)
    rows = result.disclosure.tables["three_public_expenses"].rows
    assert {r.values["period"].replace(" ", "") for r in rows} == {"2025年", "2026年", "增减变化金额"}
    for row in rows:   # the department printed as the only unit, no 合计: its rows are the table's total
        assert "unit_name" not in row.values and row.values["item"].startswith("测试市测试局 / "), row.values
    current = lines(result.disclosure.tables["three_public_expenses"], period="2026年")
    assert [str(current[m]["total"]) for m in ("total", "overseas_travel", "reception", "vehicle", "vehicle_purchase", "vehicle_operation")] == \
        ["180000.00", "90000.00", "40000.00", "50000.00", "10000.00", "40000.00"]
    assert str(lines(result.disclosure.tables["three_public_expenses"], period="增减变化金额")["total"]["total"]) == "-20000.00"
    assert len({r.row_id for r in rows}) == len(rows) == 18
    # the other funds' columns are the line's parts from that fund
    assert str(current["total"]["government_fund"]) == "0.00"
    assert str(current["vehicle_operation"]["state_capital"]) == "0.00"
    assert not [w for w in result.warnings if "not converted" in w], result.warnings


def test_basic_expenditure_by_economic_item(tmp_path):
    header = ["支出项目类别", "总计", "财政拨款", "", "", "", "", "单位资金", "", "", "", "", "上年结余、结转"]
    lower = ["", "", "小计", "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "财政专户管理资金",
             "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", ""]
    source = document(tmp_path, "\n".join([
        "基本支出总表", "单位：万元", "\t".join(header), "\t".join(lower),
        "测试市测试局\t12.00\t10.00\t10.00\t0.00\t0.00\t0.00\t2.00\t0.00\t0.00\t0.00\t0.00\t0.00",
        "工资福利支出\t12.00\t10.00\t10.00\t0.00\t0.00\t0.00\t2.00\t0.00\t0.00\t0.00\t0.00\t0.00",
        "基本工资\t12.00\t10.00\t10.00\t0.00\t0.00\t0.00\t2.00\t0.00\t0.00\t0.00\t0.00\t0.00"]))
    result = convert_file(source)
    table = result.disclosure.tables["basic_expenditure"]
    row = next(r for r in table.rows if r.values["item"] == "基本工资")
    assert (str(row.values["total"]), str(row.values["general_budget"]), str(row.values["business_income"])) == \
        ("120000.00", "100000.00", "20000.00")
    assert str(row.values["carryover"]) == "0.00"
    assert not [w for w in result.warnings if "not converted" in w or "not recognised" in w], result.warnings


def test_a_header_warning_repeated_by_each_page_is_reported_once(tmp_path):
    page = ["科目编码\t科目名称\t支出总计\t基本支出\t项目支出\t未知的列",
            "201\t一般公共服务支出\t3.00\t1.00\t2.00\t7.00"]
    source = document(tmp_path, "\n".join(["支出总表", "单位：万元", *page]),
                      "\n".join(["支出总表", "单位：万元", page[0], "205\t教育支出\t3.00\t1.00\t2.00\t7.00"]))
    result = convert_file(source)
    codes = [r.values.get("function_code") for r in result.disclosure.tables["expenditure_summary"].rows]
    assert codes == ["201", "205"]
    header = [w for w in result.warnings if "'未知的列' not recognised" in w]
    assert len(header) == 1 and "again in 1 later part(s)" in header[0], result.warnings
    cells = [w for w in result.warnings if "cell(s) not converted" in w and "未知的列" in w]
    assert len(cells) == 1 and "again in 1 later part(s)" in cells[0], result.warnings


def test_an_amount_wrapped_in_a_narrow_cell_is_one_amount():
    from opendata.convert.pdf_cells import join_lines
    assert join_lines("1,040,000", ".00") == "1,040,000.00"
    assert join_lines("1,263,231.7", "8") == "1,263,231.78"
    assert join_lines("上级转移支付资金", "（中央预算内投资）") == "上级转移支付资金（中央预算内投资）"
    assert join_lines("12.00", "3.00") == "12.00 3.00"        # two amounts stay two
    assert join_lines("1,234", "5,678") == "1,234 5,678"


def test_period_rows_continued_on_the_next_page_keep_their_unit(tmp_path):
    """The page breaks between a unit's 2025 年 row and its 2026 年 row: the header is printed
    again and the rows under it still belong to the unit above the break."""
    source = document(tmp_path,
                      three_public("测试市测试局\t2025 年\t" + amounts("20.00", "10.00", "5.00", "5.00", "0.00", "5.00")),
                      three_public("\t2026 年\t" + amounts("18.00", "9.00", "4.00", "5.00", "1.00", "4.00"),
                                   "\t增减变化金额\t" + amounts("-2.00", "-1.00", "-1.00", "0.00", "1.00", "-1.00")))
    result = convert_file(source)
    rows = result.disclosure.tables["three_public_expenses"].rows
    # the department printed as the only unit is the table's total: its name leads each row's label
    assert list(dict.fromkeys((r.values["item"].split(" / ")[0], r.values["period"].replace(" ", "")) for r in rows)) == [
        ("测试市测试局", "2025年"), ("测试市测试局", "2026年"), ("测试市测试局", "增减变化金额")]
    assert not [w for w in result.warnings if "without a label" in w]
