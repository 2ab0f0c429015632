"""Issue #11: a table that is not in the catalog is kept (as unlisted_table_N, one row per printed
cell), reported, and never swallowed by the table before it; it survives the round trip
convert -> package on disk -> read back -> validate -> facts, and maps to its own CKAN resource."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from tests.documents import text_document

from opendata import facts, validate
from opendata.ckan.mapping import dataset_spec
from opendata.convert import convert_file, convert_to_package
from opendata.package import Package, read_package

SUMMARY = """一、收支预算总表
2026年度收支预算总表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t120.50\t一、一般公共服务支出\t100.00
\t\t二、住房保障支出\t20.50
收入合计\t120.50\t支出合计\t120.50"""

CARRYOVER = """二、国有资产占用情况表
单位：万元
科目编码\t科目名称\t结转资金\t
\t\t小计\t基本支出
合计\t\t30.00\t10.00
2010301\t行政运行\t30.00\t10.00"""

STAFF = """三、机构人员情况表
单位：人
项目\t编制数\t实有人数
行政编制\t12\t11
事业编制\t5\t说明见附注"""


def _unlisted(disclosure):
    return [t for t in disclosure.tables.values() if t.table_id == "unlisted_table"]


def test_an_unlisted_table_is_kept_cell_by_cell(tmp_path):
    result = convert_file(text_document(tmp_path, SUMMARY, CARRYOVER))
    summary = result.disclosure.tables["income_expenditure_summary"]
    assert [r.values["item"] for r in summary.rows if r.values.get("side") == "expenditure"][-1] == "支出合计"
    (table,) = _unlisted(result.disclosure)
    assert table.key == "unlisted_table_1" and table.printed_title == "二、国有资产占用情况表"
    assert table.money_unit == "万元"
    cells = {(r.values["row_number"], r.values["column_number"]): r for r in table.rows}
    assert cells[(1, 3)].values["amount"] == Decimal("300000.00")
    assert cells[(1, 3)].values["column_header"] == "结转资金/小计"
    assert cells[(1, 4)].values["column_header"] == "结转资金/基本支出"
    assert cells[(1, 1)].row_type == "total" and cells[(1, 1)].values["text"] == "合计"
    # the code left of the row's label is its code, not an amount
    assert cells[(2, 1)].values["text"] == "2010301" and "amount" not in cells[(2, 1)].values
    assert cells[(2, 2)].values["item"] == "行政运行" and cells[(2, 4)].values["amount"] == Decimal("100000.00")
    warned = [w for w in result.warnings if "国有资产占用情况表" in w]
    assert len(warned) == 1 and "not in the table catalog" in warned[0] and "kept as unlisted_table_1" in warned[0]


def test_two_unlisted_tables_are_two_resources_through_the_round_trip(tmp_path):
    out = tmp_path / "pkg"
    convert_to_package(text_document(tmp_path, SUMMARY, CARRYOVER, STAFF), out)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    unlisted = [r for r in descriptor["resources"] if r["tableId"] == "unlisted_table"]
    assert [(r["name"], r["path"], r["printedTitle"]) for r in unlisted] == [
        ("unlisted_table_1", "data/unlisted_table_1.csv", "二、国有资产占用情况表"),
        ("unlisted_table_2", "data/unlisted_table_2.csv", "三、机构人员情况表")]
    disclosure = read_package(out)
    staff = disclosure.tables["unlisted_table_2"]
    assert staff.key == "unlisted_table_2" and staff.table_id == "unlisted_table"
    texts = [r.values.get("text") for r in staff.rows if r.values["row_number"] == 2]
    assert "说明见附注" in texts            # text cells are kept as printed
    (report,) = validate(out).packages
    about = [(f.rule, f.severity, f.message) for f in report.findings if "unlisted" in str(f.table)]
    assert about == [], about
    assert report.tables == len(descriptor["resources"])
    rows = [f for f in facts(out) if f["table"].startswith("unlisted_table")]
    assert {f["table"] for f in rows} == {"unlisted_table_1", "unlisted_table_2"}
    carry = [f for f in rows if f["table"] == "unlisted_table_1" and f["item"] == "行政运行"]
    assert {(f["measure"], f["amount"]) for f in carry} == {("结转资金/小计", Decimal("300000.00")),
                                                            ("结转资金/基本支出", Decimal("100000.00"))}
    spec = dataset_spec(Package.open(out), report_bytes=b"{}")
    names = [r.name for r in spec.resources if r.table_id]
    assert "unlisted_table_1" in names and "unlisted_table_2" in names and len(names) == len(set(names))
    by_name = {r.name: r for r in spec.resources}
    assert "国有资产占用情况表" in by_name["unlisted_table_1"].description
    assert len(by_name["unlisted_table_2"].records) == len(staff.rows)


def test_an_unlisted_table_without_a_readable_header_keeps_column_numbers(tmp_path):
    result = convert_file(text_document(tmp_path, SUMMARY, "四、某某专项资金分配表\n单位：元\n甲乡\t100\t200\n乙乡\t300\t400"))
    (table,) = _unlisted(result.disclosure)
    assert all(r.values["column_header"] is None for r in table.rows)
    assert [(r.values["row_number"], r.values["column_number"], r.values.get("amount")) for r in table.rows] == [
        (1, 1, None), (1, 2, Decimal("100")), (1, 3, Decimal("200")), (2, 1, None), (2, 2, Decimal("300")),
        (2, 3, Decimal("400"))]


def test_unlisted_tables_survive_the_workbook_and_are_diffed_apart(tmp_path):
    from opendata.versions import diff
    from opendata.workbook import export_workbook

    old, new = tmp_path / "old", tmp_path / "new"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    convert_to_package(text_document(tmp_path / "a", SUMMARY, CARRYOVER, STAFF), old)
    convert_to_package(text_document(tmp_path / "b", SUMMARY, CARRYOVER, STAFF.replace("\t11", "\t10")), new)
    changes = diff(old, new)
    assert {(c["table"], c["row_id"]) for c in changes.cells_changed} == {("unlisted_table_2", "1|3")}
    assert not changes.tables_added and not changes.tables_removed
    disclosure = read_package(old)
    book = export_workbook(disclosure, tmp_path / "book.xlsx")
    back = convert_file(book).disclosure
    for key in ("unlisted_table_1", "unlisted_table_2"):
        assert [(r.row_id, r.values) for r in back.tables[key].rows] == \
            [(r.row_id, r.values) for r in disclosure.tables[key].rows]
        assert back.tables[key].printed_title == disclosure.tables[key].printed_title


def test_a_sentence_pointing_to_the_table_below_titles_it_by_its_subject(tmp_path):
    units = "列入2026年部门预算编制范围的单位详细情况见下表：\n序号\t单位名称\n（一）\t测试市测试局（本级）\n（二）\t测试市测试中心"
    result = convert_file(text_document(tmp_path, SUMMARY, units))
    (table,) = _unlisted(result.disclosure)
    assert table.printed_title == "列入2026年部门预算编制范围的单位"
    assert [r.values["text"] for r in table.rows if r.values["column_number"] == 2] == ["测试市测试局（本级）", "测试市测试中心"]
    assert {r.values["column_header"] for r in table.rows} == {"序号", "单位名称"}


def test_a_clause_pointing_to_the_table_below_is_no_title(tmp_path):
    from opendata.convert.recognise import unlisted_title

    assert unlisted_title("根据近期规划目标，确定近期规划建设项目，详见下表。") is None
    assert unlisted_title("单位详见下表") is None
    assert unlisted_title("部门预算编制范围的单位详细情况见下表:") == "部门预算编制范围的单位"


def test_a_real_unlisted_table_is_kept_as_printed():
    """009.pdf page 146 prints 应急管理专项转移支付绩效目标表（2026年度）, a performance form of a
    special transfer payment that the catalog does not name; checked by hand against
    `pdftotext -layout -f 146 -l 146`: 年度金额 13000.000000, 市级财政资金 13000.000000, indicator
    全市山区村卫星电话配备率 100%, 挂账隐患整改率 ≥95%, 各区应急管理部门满意度 ≥90%."""
    import pytest

    from tests.corpus_compare import CORPUS

    source = CORPUS / "009.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    result = convert_file(source)
    (table,) = [t for t in _unlisted(result.disclosure) if t.printed_title.startswith("应急管理专项转移支付绩效目标表")]
    assert table.pages == [146]
    texts = [r.values.get("text") for r in table.rows]
    for printed in ("全市山区村卫星电话配备率", "100%", "挂账隐患整改率", "≥95%", "各区应急管理部门满意度", "≥90%"):
        assert printed in texts, printed
    # the unit is printed in the label cell 资金情况（万元）, not on a unit line: 13000.000000 万元
    assert table.money_unit == "万元"
    assert sorted(r.values["amount"] for r in table.rows if "amount" in r.values) == [Decimal("130000000.000000")] * 2
    assert any("应急管理专项转移支付绩效目标表" in w and "kept as unlisted_table_" in w for w in result.warnings)


def test_a_table_that_joined_the_catalog_is_read_by_its_columns():
    """031.pdf page 14 prints 财政拨款支出表（功能科目）, kept cell by cell before the catalog named it
    (fiscal_appropriation_expenditure); checked by hand against `pdftotext -layout -f 14 -l 14`:
    合计 242,360.10 / 29,606.33 / 26,143.66 / 3,462.67 / 212,753.77 万元 under 合计, 基本支出 (小计,
    人员经费, 公用经费) and 项目支出; 208 社会保障和就业支出 3,061.29."""
    import pytest

    from tests.corpus_compare import CORPUS

    source = CORPUS / "031.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    table = convert_file(source).disclosure.tables["fiscal_appropriation_expenditure"]
    assert table.money_unit == "万元"
    total = table.rows[0].values
    assert (total["item"], total["total"], total["basic"], total["personnel"], total["public_use"], total["project"]) == (
        "合计", Decimal("2423601000"), Decimal("296063300"), Decimal("261436600"), Decimal("34626700"), Decimal("2127537700"))
    (social,) = [r.values for r in table.rows if r.values.get("function_code") == "208"]
    assert social["item"] == "社会保障和就业支出" and social["total"] == Decimal("30612900")


def test_a_spaced_table_under_an_unknown_title_keeps_its_moved_body():
    """The spaced layout (PDF text, cells run together, 预算NN表 markers): a seed whose 政府采购 title is
    renamed to one the catalog does not know keeps the table's body (printed before its marker)."""
    from tests.seeds import seed_path

    text = seed_path("000").read_text(encoding="utf-8")
    assert "2021年政府采购预算情况表" in text
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.txt"
        path.write_text(text.replace("2021年政府采购预算情况表", "2021年某某采购计划安排表"), encoding="utf-8")
        result = convert_file(path)
    (table,) = _unlisted(result.disclosure)
    assert table.printed_title == "2021年某某采购计划安排表" and "government_procurement" not in result.disclosure.tables
    rows = {r.values["item"]: r for r in table.rows if r.values["column_number"] == 3}
    assert rows["东城区社保中心档案整理存储外包项目"].values["amount"] == Decimal("1370000.000000")
    counts = [r.values.get("text") for r in table.rows if r.values["item"] == "社保基金管理工作经费" and r.values["column_number"] == 2]
    assert counts == ["1"]   # 数量 1 is a count, not 1 万元


def test_an_unlisted_table_of_a_web_page_is_kept_and_not_read_as_text(tmp_path):
    def grid(text):
        return "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>"
                                   for line in text.splitlines()) + "</table>"
    summary = SUMMARY.split("\n", 3)[3]   # the grid under the title and unit
    page = (f"<html><body><p>测试市测试局2026年部门预算</p><p>单位名称：测试市测试局</p><p>一、收支预算总表</p>"
            f"<p>单位：万元</p>{grid(summary)}<p>二、国有资产占用情况表</p><p>单位：万元</p>"
            f"{grid(CARRYOVER.split(chr(10), 2)[2])}</body></html>")
    path = tmp_path / "doc.html"
    path.write_text(page, encoding="utf-8")
    result = convert_file(path)
    (table,) = _unlisted(result.disclosure)
    assert table.printed_title == "二、国有资产占用情况表" and table.money_unit == "万元"
    assert [r.values["amount"] for r in table.rows if "amount" in r.values] == [Decimal("300000.00"), Decimal("100000.00")] * 2
    assert not [w for w in result.warnings if "read as text" in w], result.warnings


UNITS_LISTED = """二、单位预算单位构成
从预算单位构成看，测试市测试局包括4个机关科室及2个下属单位，其中：列入2026
年单位预算编制范围的单位详细情况见下表:
序号\t单位名称
（一）\t测试市测试局
（二）\t测试市测试局执法大队
（三）\t测试市测试局监测站
三、单位主要工作任务
2026年，测试市测试局主要任务是：坚持问题导向，围绕改善区域环境质量的核心目标，
统筹推进污染治理、生态保护等各项任务。围绕上述任务，
重点抓好以下工作：
(一)落实生态环境保护目标责任书。"""


def test_an_unlisted_table_ends_where_the_narrative_resumes(tmp_path):
    """A list of units under a sentence pointing to it (…其中：列入2026 / 年单位预算编制范围的单位详细情况见下表:)
    holds its three rows only: the numbered heading and the prose under it are narrative; the title is the
    sentence's subject with the year printed on the line above; a table of names has no money unit."""
    result = convert_file(text_document(tmp_path, SUMMARY, UNITS_LISTED))
    (table,) = _unlisted(result.disclosure)
    assert table.printed_title == "列入2026年单位预算编制范围的单位"
    assert max(r.values["row_number"] for r in table.rows) == 3
    assert [r.values["text"] for r in table.rows if r.values["column_number"] == 2] == [
        "测试市测试局", "测试市测试局执法大队", "测试市测试局监测站"]
    assert table.money_unit is None and table.money_decimals is None
    narrative = " ".join(str(v) for r in result.disclosure.tables["narrative"].rows for v in r.values.values() if v)
    for printed in ("单位主要工作任务", "坚持问题导向", "落实生态环境保护目标责任书"):
        assert printed in narrative, printed


def test_a_real_list_of_units_ends_at_the_next_heading():
    """049.pdf pages 4–5 (`pdftotext -layout -f 4 -l 5`): under …列入 2026 / 年单位预算编制范围的单位详细情况见下表:
    the table 序号 / 单位名称 prints 3 rows; 三、单位主要工作任务 and its text follow as narrative."""
    import pytest

    from tests.corpus_compare import CORPUS

    source = CORPUS / "049.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    result = convert_file(source)
    (table,) = _unlisted(result.disclosure)
    assert table.printed_title.endswith("2026年单位预算编制范围的单位") and table.pages == [4, 5]
    assert max(r.values["row_number"] for r in table.rows) == 3 and table.money_unit is None
    narrative = " ".join(str(v) for r in result.disclosure.tables["narrative"].rows for v in r.values.values() if v)
    assert "单位主要工作任务" in narrative and "常态化推进扫黑除恶线索排查" in narrative


def test_a_unit_printed_in_a_header_cell_is_the_tables_unit(tmp_path):
    """No unit line: the unit printed in brackets in a column header (资金情况（万元）) is the table's unit,
    and its amounts are read in it."""
    source = text_document(tmp_path, SUMMARY, "\n".join([
        "二、专项转移支付资金表",
        "转移支付名称\t资金情况（万元）\t备注",
        "安全生产专项\t13,000.50\t市级",
        "防灾减灾专项\t200.00\t"]))
    result = convert_file(source)
    (table,) = _unlisted(result.disclosure)
    assert table.money_unit == "万元"
    amounts = {r.values["item"]: r.values["amount"] for r in table.rows if "amount" in r.values}
    assert amounts == {"安全生产专项": Decimal("130005000.00"), "防灾减灾专项": Decimal("2000000.00")}
    assert not [w for w in result.warnings if "several units" in w]


def test_columns_whose_headers_print_different_units_keep_their_own(tmp_path):
    """Column headers printing different units (金额（万元） | 单价（元）): each column's amounts are read in the
    unit its header prints, the table's moneyUnit is the unit of most of its amounts, and a warning says so."""
    source = text_document(tmp_path, SUMMARY, "\n".join([
        "二、设备购置情况表",
        "设备名称\t金额（万元）\t单价（元）",
        "办公设备\t12.50\t2,500.00",
        "专用设备\t30.00\t",
        "车辆\t20.00\t"]))
    result = convert_file(source)
    (table,) = _unlisted(result.disclosure)
    cells = {(r.values["row_number"], r.values["column_number"]): r.values for r in table.rows}
    assert cells[(1, 2)]["amount"] == Decimal("125000.00") and cells[(1, 3)]["amount"] == Decimal("2500.00")
    assert cells[(2, 2)]["amount"] == Decimal("300000.00")
    assert table.money_unit == "万元"
    (warned,) = [w for w in result.warnings if "several units" in w]
    assert "in 万元: column(s) 2" in warned and "in 元: column(s) 3" in warned
SCORES = """三、项目绩效自评情况
我局通过对“质量抽检管理”等 4 个项目的自评，得出以下主要产出和成果：一是提高了工作
效率；二是促进了行业健康发展。
项目名称\t自评分数
质量抽检和试验检测管理\t100
2019年度聘请专家人员经费\t96.53
开办经费\t97.87
行业监管技术服务\t99.71
四、名词解释
财政拨款收入：指财政当年拨付的资金。"""

PARAGRAPHS = """三、其他重要事项的情况说明
（一）机关运行经费：2026年本部门机关运行经费\t12.50万元，比上年减少\t1.20万元。
（二）政府采购情况：2026年政府采购预算\t30.00万元，其中货物\t10.00万元。
（三）国有资产占用情况：截至上年底，本部门共有车辆\t2辆，单价50万元以上设备\t0台。
（四）绩效目标设置情况：2026年实行绩效目标管理的项目\t3个，涉及资金\t40.00万元。"""


def test_a_table_printed_without_a_title_is_kept(tmp_path):
    """A header of short words (项目名称 | 自评分数) over rows printing amounts, set in the narrative
    with no title line (057.pdf page 29 prints one so), is a table outside the catalog, not narrative."""
    result = convert_file(text_document(tmp_path, SUMMARY, SCORES))
    (table,) = _unlisted(result.disclosure)
    assert table.printed_title is None and table.key == "unlisted_table_1"
    cells = {(r.values["row_number"], r.values["column_number"]): r.values for r in table.rows}
    assert max(row for row, _ in cells) == 4
    assert cells[(2, 1)]["text"] == "2019年度聘请专家人员经费" and cells[(2, 2)]["column_header"] == "自评分数"
    assert cells[(2, 2)]["text"] == "96.53" and "amount" not in cells[(2, 2)]   # a score: no title nor unit says money
    assert table.money_unit is None
    narrative = " ".join(str(r.values.get("text")) for r in result.disclosure.tables["narrative"].rows)
    assert "质量抽检和试验检测管理" not in narrative and "得出以下主要产出和成果" in narrative and "财政拨款收入" in narrative
    assert any("without a title (header '项目名称 | 自评分数')" in w and "kept as unlisted_table_1" in w for w in result.warnings)


def test_paragraphs_with_amounts_are_not_a_table_without_a_title(tmp_path):
    """Narrative lines split by gaps around their amounts are not a table: no line of them is a header."""
    result = convert_file(text_document(tmp_path, SUMMARY, PARAGRAPHS))
    assert _unlisted(result.disclosure) == []


def test_a_real_table_without_a_title_is_kept():
    """057.pdf page 29 prints, under a paragraph on the projects' self-evaluation and with no title,
    项目名称 | 自评分数 over 7 projects; checked by hand against `pdftotext -layout -f 29 -l 29`:
    2019 年度聘请专家人员经费 96.53, 轨道交通工程质量安全行业监管技术服务 99.71, 广佛两市轨道交通系统一体化规划 100."""
    import pytest

    from tests.corpus_compare import CORPUS

    source = CORPUS / "057.pdf"
    if not source.exists():
        pytest.skip("the national corpus is not here")
    result = convert_file(source)
    (table,) = [t for t in _unlisted(result.disclosure) if t.pages == [29]]
    assert table.printed_title is None
    rows = {}
    for r in table.rows:
        rows.setdefault(r.values["row_number"], []).append(r.values.get("text"))
    assert len(rows) == 7
    assert rows[2] == ["2019年度聘请专家人员经费", "96.53"]
    assert rows[5] == ["轨道交通工程质量安全行业监管技术服务", "99.71"]
    assert rows[7] == ["广佛两市轨道交通系统一体化规划", "100"]
