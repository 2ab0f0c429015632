"""The validator on the five seed disclosures (their packages under datapackages/): each
real inconsistency the seeds contain is reported — and pinned here, one test each — and
nothing else is reported at warning or error level that a careful reader of the source
would call false.

Every expected finding below was checked against the seed text (../shared/seeds/):
line numbers refer to those files.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from opendata.validate import validate_package

REPO = Path(__file__).resolve().parents[1]
PACKAGES = REPO / "datapackages"

LUOYANG = "410303-309001-2021-budget"  # 002_08156c0f8873661b.txt, 洛阳市西工区社会保险中心 2021 预算
XICHENG = "110102-257004-2023-budget"  # 001_55e2fc65d40c4b28.txt, 北京市西城区社会保险基金管理中心 2023 预算
DONGCHENG = "110101-01075003-2021-budget"  # 000_456597b442e87669.txt, 北京市东城区社会保险基金管理中心 2021 预算
HARBIN = "230102-63002-2023-budget"  # 004_93472fa86a087a5d.txt, 哈尔滨市道里区社会保险经办服务中心 2023 预算
FENGTAI = "110106-u852b836a-2020-final-accounts"  # 003_96e873028ef4e2c3.txt, 北京市丰台区社会保险基金管理中心 2020 决算


@dataclass(frozen=True)
class Expect:
    package: str
    rule: str
    table: str | None
    why: str  # what the source prints, checked by reading it
    row_id: str | None = None
    measure: str | None = None
    found: str | None = None
    expected: str | None = None
    text: str | None = None  # a part of the message

    def matches(self, f) -> bool:
        return (f.rule == self.rule and f.table == self.table
                and (self.row_id is None or f.row_id == self.row_id)
                and (self.measure is None or f.measure == self.measure)
                and (self.found is None or f.found == self.found)
                and (self.expected is None or f.expected == self.expected)
                and (self.text is None or self.text in f.message))


REAL = [
    Expect(LUOYANG, "sum.total-row", "fiscal_appropriation_summary",
           "财政拨款收支总体情况表 (lines 217-247) prints 十四、交通运输 14.00 on the expenditure side; the classes "
           "printed add up to 475.84 but 支出合计 is 461.84 — the 交通运输 row is not in the total.",
           row_id="expenditure/支出合计", measure="total", found="4618400", expected="4758400", text="交通运输"),
    Expect(LUOYANG, "across.function-classes", "fiscal_appropriation_summary",
           "The same 14.00 of class 214 appears in no other table: 一般公共预算支出情况表 (lines 249-262) has no 214 "
           "row and the unit has no government-fund or state-capital money.",
           row_id="expenditure/十四、交通运输", measure="total", found="140000", expected="0"),
    Expect(LUOYANG, "narrative.figure-mismatch", "narrative",
           "Line 89: 一般公共服务(类)支出409.04万元 — 409.04 is class 208 社会保障和就业 in every table; class 201 is empty.",
           found="4090400", expected="0", text="208"),
    Expect(LUOYANG, "completeness.missing-table", "general_budget_basic_expenditure",
           "The text lists 支出预算分类汇总表 but prints no basic-expenditure table (lines 249-275)."),
    Expect(LUOYANG, "completeness.missing-table", "government_fund_expenditure",
           "八、政府性基金预算支出情况表 is in the contents (line 35) but not printed."),
    Expect(LUOYANG, "completeness.missing-table", "state_capital_expenditure",
           "九、国有资本经营预算支出情况表 is in the contents (line 37) but not printed."),
    Expect(LUOYANG, "completeness.empty-table-without-note", "three_public_expenses",
           "The 三公 table (lines 264-273) prints no amount and no note (the narrative, line 97, explains it)."),
    Expect(XICHENG, "narrative.component-exceeds-whole", "key_figures",
           "Line 45: 政府采购项目资金499130万元 — 73 times the whole budget of 6835.38万元 (read in 元: 49.913万元).",
           row_id="procurement", found="4991300000", text="单位可能印错"),
    Expect(XICHENG, "narrative.change", "narrative",
           "Line 23: 基本支出预算5221.25万元…比2022年4954.22元增加267.02万元 — the 2022 figure is printed in 元; "
           "5221.25 - 4954.22 = 267.03 in 万元.", found="4954.22", text="单位可能印错"),
    Expect(XICHENG, "completeness.empty-table-without-note", "government_fund_expenditure",
           "表八 (lines 1157-1188) is empty and carries no note."),
    Expect(XICHENG, "completeness.empty-table-without-note", "state_capital_expenditure",
           "表九 (lines 1191-1222) is empty and carries no note."),
    Expect(XICHENG, "completeness.empty-table-without-note", "three_public_expenses",
           "表十 (lines 1225-1249) is empty and carries no note (the narrative, line 35, explains it)."),
    Expect(DONGCHENG, "narrative.change", "narrative",
           "Lines 1490-1494: 行政单位医疗 410.81 万元，比 2020 年增加 168.47 万元，增加 69.95% — 168.47 / 242.34 = 69.52%.",
           found="69.95%", expected="69.52%"),
    Expect(DONGCHENG, "completeness.missing-table", "state_capital_expenditure",
           "预算01表 to 预算12表 include no state-capital table."),
    Expect(DONGCHENG, "completeness.empty-table-without-note", "three_public_expenses",
           "预算07表 (lines 365-372) prints only zeros and no note."),
    Expect(DONGCHENG, "completeness.empty-table-without-note", "government_fund_expenditure",
           "预算08表 (lines 387-399) prints no rows and no note."),
    Expect(HARBIN, "narrative.change", "narrative",
           "Line 522: 津贴补贴 81.76万元，比上年增加78.93万元，增长3013% — 78.93 / 2.83 = 2789%.",
           found="3013%"),
    Expect(HARBIN, "narrative.change", "narrative",
           "Line 532: 公务员医疗补助缴费 5.49万元，比上年预算增加5.73万元 — an increase larger than the amount.",
           found="5.73万元"),
    Expect(HARBIN, "narrative.change", "narrative",
           "Line 542: 工会经费 1.60万元，比上年预算增加1.51万元，增长116.7% — 1.51 / 0.09 = 1678% (line 496 says 1677%).",
           found="116.7%"),
    *[Expect(HARBIN, "text.formula-like", "narrative",
             f"The table of contents (from line 9) is printed as lists whose entries begin with '- ' ({what}): a spreadsheet "
             "opening the CSV would take each cell for a formula; files for Excel escape it.", row_id=row_id)
      for row_id, what in (("2", "- 一、部门职责"), ("3", "- 一、收支总表"), ("4", "- 一、关于收支总表的说明"))],
    *[Expect(HARBIN, "narrative.zero-change", "narrative",
             f"{where}: a change of zero is stated as 比上年预算增加 0 (or 增长0.00%) instead of 持平.", text=text)
      for where, text in (
          ("Line 540, 取暖费 16.29万元，比上年预算增加0万元，增长0%", "取暖费（款）16.29万元，比上年预算增加0万元"),
          ("Line 572, 物业管理费 9.12万元，比上年预算增加0万元，增长0%", "物业管理费（款）9.12万元，比上年预算增加0万元"),
          ("Line 586, “三公”经费 …0.00万元。比上年预算增加0.00万元，增长0.00%", "“比上年预算增加0.00万元”"),
          ("Lines 588 and 592, 因公出国（境）经费 and 公务用车购置及运行维护费 2023年预算安排0.00万元，比上年预算增加0.00万元",
           "“2023年预算安排0.00万元，比上年预算增加0.00万元”"),
          ("Line 590, 公务接待费 2023年预算安排0.00万元，比上年预算0.00万元，增长0.00%", "比上年预算0.00万元，增长0.00%"),
          ("Line 592, 公务用车购置费0.00万元，比上年预算增加0.00万元", "“公务用车购置费0.00万元，比上年预算增加0.00万元"),
          ("Line 592, 公务用车运行维护费0.00万元，比上年预算增加0.00万元", "“公务用车运行维护费0.00万元，比上年预算增加0.00万元"),
          ("Line 596, 政府性基金支出0.00万元，比上年预算增加0.00万元", "政府性基金支出0.00万元，比上年预算增加0.00万元"),
          ("Line 600, 国有资本经营预算支出0.00万元，比上年预算增加0.00万元", "国有资本经营预算支出0.00万元，比上年预算增加0.00万元"))],
    Expect(FENGTAI, "text.placeholder", "narrative",
           "Lines 54 and 56: 2020年决算数0万元，比2020年年初预算数0万元增加（减少）0万元 — the template's alternative "
           "增加（减少） is left in.", text="增加（减少）"),
    Expect(FENGTAI, "completeness.tables-elsewhere", "narrative",
           "The 2020 final accounts text says the tables are in an attachment (line 5: …2020年度部门决算报表详见附件); "
           "the package has none of the 9 tables: one finding for all of them, naming the attachment.",
           text="部门决算报表详见附件"),
]

@lru_cache(maxsize=None)
def findings(package: str):
    path = PACKAGES / package
    if not path.exists():
        pytest.skip(f"{package} not under datapackages/")
    return tuple(validate_package(path).findings)


@pytest.mark.parametrize("expect", REAL, ids=lambda e: f"{e.package[:13]}-{e.rule}-{e.table}")
def test_real_inconsistency_is_reported(expect):
    found = [f for f in findings(expect.package) if expect.matches(f)]
    assert found, f"not reported: {expect.why}\nfindings: {[(f.rule, f.table, f.row_id, f.found) for f in findings(expect.package)]}"
    for f in found:
        assert f.message and f.location


@pytest.mark.parametrize("package", [LUOYANG, XICHENG, DONGCHENG, HARBIN, FENGTAI])
def test_nothing_else_is_reported(package):
    """Every warning or error is one of the real inconsistencies above."""
    unexpected = [f for f in findings(package) if f.severity in ("error", "warning")
                  and not any(e.package == package and e.matches(f) for e in REAL)]
    assert not unexpected, "\n".join(f"{f.rule} {f.table} {f.row_id}: {f.message}" for f in unexpected)


def test_no_structural_findings_and_every_layer_ran():
    for package in (LUOYANG, XICHENG, DONGCHENG, HARBIN, FENGTAI):
        for f in findings(package):
            assert not f.rule.startswith(("package.", "resource.", "table.", "validator.")), (package, f.message)


def test_luoyang_total_names_the_row_it_leaves_out():
    f = next(f for f in findings(LUOYANG) if REAL[0].matches(f))
    assert Decimal(f.difference) == Decimal(-140000)
    assert f.location["line"] == 247 and f.location["file"] == "data/fiscal_appropriation_summary.csv"
    assert "十四、交通运输" in f.message and "未计入合计" in f.message


def test_xicheng_procurement_is_larger_than_the_whole_budget():
    f = next(f for f in findings(XICHENG) if f.rule == "narrative.component-exceeds-whole")
    assert Decimal(f.found) > Decimal(f.expected) * 70
    assert f.expected == "68353777.63"
    assert "49.913" in f.message
