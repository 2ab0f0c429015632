"""Tables printing one group of the same columns per period side by side (上年 | 当年 | 增减变化情况
over the 三公 measures): each printed line becomes one row per period (field `period`, the
heading as printed), and the validator sums the rows of each period on their own."""
from __future__ import annotations

from decimal import Decimal

from opendata.convert import convert_file
from opendata.package import write_package
from opendata.validate import validate_package

from .documents import lines, text_document

MEASURES = ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行维护费"]


def three_public(periods, *rows) -> str:
    top = ["单位编码", "单位名称"] + [w for p in periods for w in [p] + [""] * (len(MEASURES) - 1)]
    lower = ["", ""] + MEASURES * len(periods)
    return "\n".join(["一般公共预算拨款“三公”经费支出预算表", "单位：元", "\t".join(top), "\t".join(lower), *rows])


TABLE = three_public(["上年", "当年", "增减变化情况"],
                     "\t合计\t300.00\t100.00\t100.00\t100.00\t270.00\t90.00\t80.00\t100.00\t-30.00\t-10.00\t-20.00\t0.00",
                     "101001\t测试一中心\t200.00\t100.00\t50.00\t50.00\t150.00\t90.00\t30.00\t30.00\t-50.00\t-10.00\t-20.00\t-20.00",
                     "101002\t测试二中心\t100.00\t\t50.00\t50.00\t120.00\t\t50.00\t70.00\t20.00\t\t0.00\t20.00")


def test_one_row_per_period(tmp_path):
    result = convert_file(text_document(tmp_path, TABLE))
    rows = result.disclosure.tables["three_public_expenses"].rows
    table = result.disclosure.tables["three_public_expenses"]
    assert len({(r.values.get("unit_code"), r.values["period"]) for r in rows}) == 9   # 合计 and two units, 3 periods each
    assert lines(table, unit_code="101001", period="上年")["total"]["total"] == Decimal("200.00")
    assert lines(table, unit_code="101001", period="当年")["reception"]["total"] == Decimal("30.00")
    assert lines(table, unit_code="101002", period="增减变化情况")["vehicle"]["total"] == Decimal("20.00")
    assert lines(table, unit_code=None, period="当年")["total"]["total"] == Decimal("270.00")
    assert len({r.row_id for r in rows}) == len(rows)
    assert not [w for w in result.warnings if "both read as measure" in w], result.warnings


def test_periods_summed_each_on_its_own(tmp_path):
    result = convert_file(text_document(tmp_path, TABLE))
    out = tmp_path / "package"
    write_package(result.disclosure, out)
    report = validate_package(out)
    broken = [f for f in report.findings if f.table == "three_public_expenses"]
    assert not broken, broken
    assert report.identities_checked > 0


def test_a_line_without_amounts_is_kept_once(tmp_path):
    table = three_public(["上年", "当年"],
                         "\t合计\t100.00\t\t50.00\t50.00\t90.00\t\t40.00\t50.00",
                         "101\t测试局\t\t\t\t\t\t\t\t",
                         "101001\t测试中心\t100.00\t\t50.00\t50.00\t90.00\t\t40.00\t50.00")
    rows = convert_file(text_document(tmp_path, table)).disclosure.tables["three_public_expenses"].rows
    assert list(dict.fromkeys((r.values.get("unit_code"), r.values.get("period")) for r in rows)) == [
        (None, "上年"), (None, "当年"), ("101", None), ("101001", "上年"), ("101001", "当年")]


def test_year_groups_named_with_their_figures_are_periods(tmp_path):
    """2025年预算数 | 2026年预算数 over the same 三公 measures: one row per year (title_words.csv
    year_figure)."""
    table = three_public(["2025年预算数", "2026年预算数"], "\t合计\t176.70\t\t134.00\t42.70\t142.00\t\t102.00\t40.00")
    rows = convert_file(text_document(tmp_path, table)).disclosure.tables["three_public_expenses"].rows
    assert [(r.values["period"], r.values["total"]) for r in rows if r.values.get("line") == "total"] == [
        ("2025年预算数", Decimal("176.70")), ("2026年预算数", Decimal("142.00"))]


def test_the_narrative_is_compared_with_the_documents_own_year(tmp_path):
    """The 三公 figure of the narrative is the own year's total (2026年预算数 of a 2026 budget, 当年
    beside 上年), not the year before's: a true figure raises nothing, a wrong one is found."""
    table = three_public(["2025年预算数", "2026年预算数"], "\t合计\t176.70\t\t134.00\t42.70\t142.00\t\t102.00\t40.00")
    found = {}
    for figure in ("142.00", "150.00"):
        text = f"二、“三公”经费支出情况\n2026年“三公”经费预算{figure}元。"
        folder = tmp_path / figure
        folder.mkdir()
        out = write_package(convert_file(text_document(folder, table, text)).disclosure, folder / "package")
        found[figure] = [f.rule for f in validate_package(out).findings if f.rule.startswith("narrative")]
    assert found["142.00"] == [] and "narrative.figure-mismatch" in found["150.00"], found


def test_a_line_printed_only_for_the_year_before_is_not_the_own_years(tmp_path):
    """060.pdf p. 17: 公务用车运行维护费 0.40 under 2025年预算数, blank under 2026年预算数; "本部门共有车辆0辆"
    is then no contradiction (narrative.vehicle-costs-without-vehicles must not fire)."""
    measures = ["合计", "因公出国（境）费", "公务用车运行维护费", "公务接待费"]
    top = ["单位编码", "单位名称"] + [w for p in ("2025年预算数", "2026年预算数") for w in [p] + [""] * (len(measures) - 1)]
    table = "\n".join(["一般公共预算拨款“三公”经费支出预算表", "单位：万元", "\t".join(top), "\t".join(["", ""] + measures * 2),
                       "\t合计\t30.62\t22.00\t0.40\t8.22\t27.22\t22.00\t\t5.22"])
    text = "六、国有资产占有使用情况\n截至2025年12月31日，本部门共有车辆0辆。"
    out = write_package(convert_file(text_document(tmp_path, table, text)).disclosure, tmp_path / "package")
    assert "narrative.vehicle-costs-without-vehicles" not in [f.rule for f in validate_package(out).findings]
