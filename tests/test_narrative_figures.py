"""Headline figures of the narrative (`opendata.convert.narrative.key_figures_table`): a total
is taken where the text states it, not where a part of it (a source of funds, a 三公 item,
基本支出 / 项目支出) is named before the total's words. The sentences are of the kinds real
disclosures print (a provincial budget of 2017, a municipal final accounts of 2019)."""
from __future__ import annotations

from decimal import Decimal

from opendata.convert.narrative import key_figures_table
from opendata.convert.source import Line


def figures(*texts: str) -> dict[str, Decimal]:
    lines = [Line(number, text, 1) for number, text in enumerate(texts, 1)]
    return {row.values["figure"]: row.values.get("amount") for row in key_figures_table(lines).rows
            if not row.row_id.count("#")}


def test_the_total_stated_is_taken():
    found = figures("一、收支预算总表情况说明", "（一）收入预算总计 17996.68 万元。", "（二）支出预算总计 17996.68 万元。")
    assert found["income_total"] == Decimal("179966800") and found["expenditure_total"] == Decimal("179966800")


def test_a_part_named_before_the_totals_words_is_not_the_total():
    found = figures("一、收支预算总表情况说明",
                    "1．财政拨款收入预算总计 17981.68 万元。",
                    "2．其他资金收入预算总计 15 万元。与上年相比增加 9.45 万元。",
                    "此外，基本支出预算数为 12323.46 万元，项目支出预算数为 5533 万元。",
                    "其中：因公出国（境）费支出决算为 0 万元；公务接待费", "支出决算为 0.16 万元。")
    assert "income_total" not in found and "expenditure_total" not in found


def all_figures(*texts: str) -> list[tuple[str, str]]:
    lines = [Line(number, text, 1) for number, text in enumerate(texts, 1)]
    return [(row.values["figure"], str(row.values.get("amount") or row.values.get("quantity")))
            for row in key_figures_table(lines).rows]


def test_a_part_listed_after_its_total_is_not_the_total():
    """编制338名，其中行政编制200名、行政附属编制104名、事业编制34名 (a provincial budget of 2019): the
    headline 编制 is 338; the qualified parts after 其中 are not stated again as the total."""
    found = all_figures("本部门下设办公厅和4个专门委员会，有38个处室，编制338名，其中行政编制200名、行政附属编制104名、",
                        "事业编制34名。")
    assert [value for figure, value in found if figure == "staff_authorized"] == ["338"]


def test_a_total_named_after_another_figure_is_that_figure():
    """政府采购支出预算总额2416.43万元 is the procurement, not the year's expenditure (支出预算)."""
    found = all_figures("八、政府采购情况说明",
                        "2019年度本部门政府采购支出预算总额2416.43万元，其中：拟采购货物支出233.1万元、拟购买服务支出2183.33万元。")
    assert ("procurement", "24164300") in [(f, v.split(".")[0]) for f, v in found]
    assert not [f for f, _ in found if f == "expenditure_total"]


def test_a_projects_staff_costs_are_not_the_departments_personnel_costs(tmp_path):
    """064.pdf p. 18 (长春市信访局 2026) names a project "信访局临聘人员经费15.56万元": the costs of temporary staff of one
    project, not the bureau's 人员经费 (工资福利支出 alone is 911.21 万元, p. 11). Found by a new-user trial of the
    corpus site, which showed it as the bureau's 人员经费."""
    from pathlib import Path

    from opendata.convert import convert_file

    source = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "064.pdf"
    figures = convert_file(source).disclosure.tables["key_figures"]
    assert not [r for r in figures.rows if r.values.get("figure") == "personnel"]


def test_a_figure_name_in_quotes_is_read():
    """064.pdf p. 19 prints "2026年“三公经费”预算数为7.61万元" (the quotes around the whole name)."""
    assert figures("2026年“三公经费”预算数为7.61万元，2025年预算数为9.23万元。") == {"three_public": Decimal("76100.00")}
