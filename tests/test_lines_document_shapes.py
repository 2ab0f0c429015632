"""Issue #12, one shape per concept, on real corpus documents (values read off the pages with pdftotext -layout):

- 025.pdf p.17 (表8 财政拨款安排的行政经费及“三公”经费预算表): 行政经费 523.62 万元 is the 机关运行经费 (the
  document's glossary: 行政经费（机关运行经费）; narrative 机关运行经费安排523.62万元): table operating_costs, not a
  row of the 三公 table, whose items then add up to its “三公”经费 26.11.
- 086.pdf p.16 (一般公共预算“三公”经费、会议费、培训费支出预算表): 合计 1,452.35 = “三公”经费 小计 584.35 + 会议费
  168.00 + 培训费 700.00. Line total is the 三公 小计; the 合计 is line total_with_meeting_training.
  p.10 (收支预算总表): the expenditure listed again by use: 一、基本支出 12,323.48, 二、项目支出 5,533.00,
  三、单位预留机动经费 140.20.
- 050.pdf p.49 (表13, 元): 当年 合计 1,697,281.50 = 小计 801,081.50 + 会议费 230,900.00 + 培训费 665,300.00.
  p.30 (表1 收支总表): 1、人员经费和公用经费支出 119,903,799.71 (= 表7/表8 一般公共预算基本支出明细表 合计) and
  2、专项业务经费支出 16,604,100.00 (= 表10 专项业务经费支出表 合计): 基本支出 and 项目支出.
- Project tables listing units (项目支出表 by unit, then its projects): 016.pdf pp.34–35 (表5 项目支出总表, no 合计:
  深圳市建筑工务署 13,210.64 over 深圳市建筑工务署（本级） 9,866.11 — 工程管理 6,832.94, 工程监督 1,188.72 … — and three
  centres, each with its own 工程管理); 025.pdf 表12 (广州市防雷减灾管理办公室 30.00: 防雷业务经费 23.00); 050.pdf
  pp.43–44 (表10, 元: 154 西安市司法局 16,604,100.00, 154001 西安市司法局 8,740,900.00 … 法律顾问 308,000.00).
- 057.pdf p.17 (表6 一般公共预算财政拨款基本支出决算表, final accounts): panels 人员经费 | 公用经费, one 金额
  each: 301 工资福利支出 649.20 and 302 商品和服务支出 94.65 are each row's total as well as its part."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from opendata.convert import convert_to_package
from opendata.facts import facts

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NAMES = ("016", "025", "050", "057", "086")
WAN = Decimal(10000)
THREE = "three_public_expenses"
SUMMARY = "income_expenditure_summary"


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """{name: the facts of corpus document name.pdf converted}; a document not available is left out."""
    out = tmp_path_factory.mktemp("shapes")
    return {name: list(facts(convert_to_package(CORPUS / f"{name}.pdf", out / name).path))
            for name in NAMES if (CORPUS / f"{name}.pdf").exists()}


def found(converted, name, table, measure="total", **fields):
    """The amounts of `table` and `measure` in document `name` whose facts have the `fields` given."""
    if name not in converted:
        pytest.skip(f"{name}.pdf not available")
    return [f["amount"] for f in converted[name] if f["table"] == table and f["measure"] == measure
            and all(f[k] == v for k, v in fields.items())]


def test_administrative_costs_in_the_three_public_table_are_the_operating_costs(converted):
    assert found(converted, "025", "operating_costs", line="operating_costs") == [Decimal("523.62") * WAN]
    rows = [f for f in converted["025"] if f["table"] == THREE and f["measure"] == "total"]
    assert not [f for f in rows if not f["line"]], "every row of the 三公 table is a line"
    total = [f["amount"] for f in rows if f["line"] == "total"]
    parts = sum(f["amount"] for f in rows if f["line"] in ("overseas_travel", "vehicle", "reception"))
    assert total == [Decimal("26.11") * WAN] and parts == total[0]


def test_a_total_holding_meeting_and_training_fees_is_its_own_line(converted):
    assert found(converted, "086", THREE, line="total") == [Decimal("584.35") * WAN]
    assert found(converted, "086", THREE, line="total_with_meeting_training") == [Decimal("1452.35") * WAN]
    assert found(converted, "086", THREE, line="meeting_fees") == [168 * WAN]
    own = {"unit_code": "", "unit_name": "", "period": "当年"}
    assert found(converted, "050", THREE, line="total", **own) == [Decimal("801081.50")]
    assert found(converted, "050", THREE, line="total_with_meeting_training", **own) == [Decimal("1697281.50")]


def test_basic_and_project_expenditure_wherever_the_summary_lists_them(converted):
    assert found(converted, "050", SUMMARY, line="basic_expenditure") == [Decimal("119903799.71")]
    assert found(converted, "050", SUMMARY, line="project_expenditure") == [Decimal("16604100.00")]
    assert found(converted, "086", SUMMARY, line="basic_expenditure") == [Decimal("12323.48") * WAN]
    assert found(converted, "086", SUMMARY, line="project_expenditure") == [Decimal("5533.00") * WAN]
    assert found(converted, "086", SUMMARY, line="unit_reserve") == [Decimal("140.20") * WAN]


def test_a_panel_row_printing_one_amount_has_it_as_its_total(converted):
    table = "general_budget_basic_expenditure"
    assert found(converted, "057", table, economic_code="301") == [Decimal("649.20") * WAN]
    assert found(converted, "057", table, "personnel", economic_code="301") == [Decimal("649.20") * WAN]
    assert found(converted, "057", table, economic_code="302") == [Decimal("94.65") * WAN]
    assert found(converted, "057", table, "public_use", economic_code="302") == [Decimal("94.65") * WAN]


def test_projects_listed_under_their_units(converted):
    projects = "project_expenditure"
    own = "深圳市建筑工务署（本级）"
    assert found(converted, "016", projects, project="工程管理", unit_name=own) == [Decimal("6832.94") * WAN]
    assert found(converted, "016", projects, project="工程监督", unit_name=own) == [Decimal("1188.72") * WAN]
    assert len(found(converted, "016", projects, project="工程管理")) == 4   # one per unit, told apart by unit_name
    assert found(converted, "016", projects, row_type="total") == [Decimal("13210.64") * WAN]
    assert found(converted, "016", projects, row_type="subtotal", unit_name=own, project="") == [Decimal("9866.11") * WAN]
    assert found(converted, "025", projects, project="防雷业务经费", unit_name="广州市防雷减灾管理办公室") == [23 * WAN]
    assert found(converted, "050", projects, project="法律顾问", unit_code="154001") == [Decimal("308000.00")]
    assert found(converted, "050", projects, project="西安市司法局") == []
    assert found(converted, "050", projects, row_type="subtotal", unit_code="154001", project="") == [Decimal("8740900.00")]
