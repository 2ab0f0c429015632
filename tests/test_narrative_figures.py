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
