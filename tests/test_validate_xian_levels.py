"""Issue #14 on the 西安 disclosures (corpus 053, 西安市商务局 2022 预算) and two other corpus files:
levels printed without indentation (表10: 合计 → 全额 / 差额 → 单位 → 通用项目 / 专用项目 → 类别 → 项目)
are read from the sums, not summed flat; a project list of all funds is not the general-budget
project column; the projects of a performance-target list can not add up to more than the
department spends (046); findings say where they were printed; unreadable columns are named
for a reader (064)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from opendata.convert import convert_file
from opendata.package import write_package
from opendata.validate import validate_package
from opendata.validate.identities.nesting import nested_sum, shows_nesting
from tests.corpus_compare import CORPUS

D = Decimal


def corpus_report(tmp_path_factory, number: str):
    source = CORPUS / f"{number}.pdf"
    if not source.exists():
        pytest.skip(f"corpus file {number}.pdf not present")
    result = convert_file(source)
    folder = write_package(result.disclosure, tmp_path_factory.mktemp(number) / "p")
    return result, validate_package(folder)


@pytest.fixture(scope="module")
def xian(tmp_path_factory):
    return corpus_report(tmp_path_factory, "053")


def test_nested_levels_read_from_the_sums():
    """053 p. 53, 西安市商务局's 通用项目 4,340,000.00: five categories, each printed above its one project."""
    rows = [D(v) for v in (200000, 200000, 200000, 200000, 40000, 40000, 3000000, 3000000, 900000, 900000)]
    assert nested_sum(rows, D(4340000)) is True and shows_nesting(rows)
    assert sum(rows) != D(4340000)                       # the flat sum counts every level twice
    assert nested_sum([D(1), D(2), D(3)], D(7)) is False and not shows_nesting([D(1), D(2), D(4)])
    assert nested_sum([D(-1), D(2)], D(1)) is None       # negative amounts: the sums tell no levels


def test_xian_levels_and_project_list_raise_no_error(xian):
    _, report = xian
    errors = [f for f in report.findings if f.severity == "error"]
    assert not [f for f in errors if f.rule.startswith("sum.")], [f.message for f in errors]
    # 项目支出表 533,210,570.00 = 一般公共预算 project column 525,948,313.00 + 事业收入 7,262,257.00 (收入总表)
    assert not [f for f in errors if f.rule == "across.project-expenditure"], [f.message for f in errors]
    assert report.identities_checked > 500


def test_a_total_off_its_levels_is_still_found(xian, tmp_path):
    """The levels read from the sums still check the whole: 合计 printed 100.00 元 off 全额 + 差额
    is an error (and a unit row with levels that add up to nothing certain is not checked)."""
    result, _ = xian
    table = result.disclosure.tables["project_expenditure"]
    total = next(row for row in table.rows if row.row_type == "total")
    total.values["total"] += 100
    report = validate_package(write_package(result.disclosure, tmp_path / "p"), layers=("accounting",))
    found = [f for f in report.findings if f.rule == "sum.total-row" and f.table == "project_expenditure"]
    assert len(found) == 1 and found[0].row_id == total.row_id, [f.message for f in report.findings]


@pytest.fixture(scope="module")
def fuzhou(tmp_path_factory):
    return corpus_report(tmp_path_factory, "046")


def test_performance_projects_beyond_the_whole_expenditure(fuzhou):
    """046: the 15 project tables print 资金总额 adding up to 70,957.85 万元; 支出预算总表 合计 70,109.24,
    项目支出 68,957.85 (p. 13, 27–42)."""
    _, report = fuzhou
    found = [f for f in report.findings if f.rule == "across.performance-projects"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert (D(found[0].expected), D(found[0].found)) == (D("689578500"), D("709578500"))
    assert "70,109.24" in found[0].message


def test_formula_like_findings_say_page_and_line(fuzhou):
    _, report = fuzhou
    found = [f for f in report.findings if f.rule == "text.formula-like"]
    assert found and all(f.location.get("page") and f.location.get("line") for f in found)
    assert all(f", page {f.location['page']}, line {f.location['line']}" in f.message for f in found)


def test_a_column_without_header_is_named_for_a_reader():
    source = CORPUS / "064.pdf"
    if not source.exists():
        pytest.skip("corpus file 064.pdf not present")
    warnings = [w for w in convert_file(source).warnings if "not converted: column 4 counted from the left" in w]
    assert warnings, "the column is named by its position"
    first = warnings[0]
    assert "(page 8)" in first and "支出总表" in first and "'1682.76'" in first and "was expected" in first
