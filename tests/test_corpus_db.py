"""The corpus database (opendata.corpus, `opendata corpus build / query`): the seeds' packages and real
corpus documents converted here, amounts read by hand off the documents, incremental builds, query
formats, bad input, and the documented example queries (site/docs/guide/corpus.md)."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

import opendata
import opendata.corpus as corpus
from opendata.convert import convert_to_package
from opendata.facts import FACT_COLUMNS
from opendata.package import package_name, read_package, write_package
from opendata.validate import validate_package

from .conftest import REPO, run_cli, sample_disclosure

SHARED = REPO.parent / "shared"
DOCS_PAGE = REPO / "site" / "docs" / "guide" / "corpus.md"
SEEDS = sorted((REPO / "datapackages").iterdir())
CORPUS_DOCUMENTS = ["003.pdf", "046.pdf"]      # 上海市减污降碳管理运行技术中心 2026, 福州市科学技术局(本级) 2026
FINAL_ACCOUNTS = SHARED / "references" / "pdf" / "01_shpt_caizhengju_2024_final.pdf"


def documented_queries() -> dict[str, str]:
    """The example queries of the docs page, by the name in the comment before each."""
    text = DOCS_PAGE.read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- query: (\w+) -->\n```sql\n(.*?)```", text, flags=re.S))


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    """Real documents converted with our converter: two corpus budgets and the Shanghai 2024 final accounts."""
    out = tmp_path_factory.mktemp("converted")
    folders = {}
    for name in [*CORPUS_DOCUMENTS, FINAL_ACCOUNTS.name]:
        source = SHARED / "corpus" / name if name in CORPUS_DOCUMENTS else FINAL_ACCOUNTS
        if not source.exists():
            pytest.skip(f"{source} not found (../shared beside the repository)")
        folders[name] = convert_to_package(source, out / name.split(".")[0]).path
    return folders


@pytest.fixture(scope="module")
def built(tmp_path_factory, converted) -> tuple[Path, corpus.BuildSummary]:
    """One database of the seeds' packages and the two corpus budgets."""
    db = tmp_path_factory.mktemp("db") / "corpus.duckdb"
    summary = corpus.build([*SEEDS, *(converted[name] for name in CORPUS_DOCUMENTS)], db)
    return db, summary


def rows(db: Path, sql: str, *params) -> list[tuple]:
    con = corpus.connect(db)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def three_public_by_year(db: Path) -> dict[tuple[str, str], Decimal]:
    """(package, line) -> amount of the documented query three_public_by_year (one row per package)."""
    result = corpus.query(db, documented_queries()["three_public_by_year"])
    found = {}
    for row in result.rows:
        record = dict(zip(result.columns, row))
        for line in ("total", "overseas_travel", "vehicle", "reception"):
            found[(record["package"], line)] = record[line]
    return found


def package_of(db: Path, source_filename: str) -> str:
    return rows(db, "SELECT package FROM packages WHERE source_filename = ?", source_filename)[0][0]


def test_build_loads_every_package(built):
    db, summary = built
    assert (summary.loaded, summary.unchanged, summary.removed, summary.failed) == (len(SEEDS) + 2, 0, 0, 0)
    assert rows(db, "SELECT count(*) FROM packages")[0][0] == len(SEEDS) + 2
    assert summary.facts == rows(db, "SELECT count(*) FROM facts")[0][0] == rows(db, "SELECT sum(facts) FROM packages")[0][0]


def test_facts_view_has_the_facts_columns_and_exact_amounts(built):
    db, _ = built
    columns = rows(db, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'facts' "
                       "ORDER BY ordinal_position")
    assert [name for name, _ in columns] == FACT_COLUMNS
    assert dict(columns)["amount"] == "DECIMAL(38,2)"
    # every fact of a seed package equals opendata.facts of it, amount for amount
    seed = REPO / "datapackages" / "110102-257004-2023-budget"
    expected = sorted((f["table"], f["row_id"], f["measure"], f["amount"]) for f in opendata.facts(seed))
    got = sorted(rows(db, 'SELECT "table", row_id, measure, amount FROM facts WHERE package = ?', seed.name))
    assert got == expected


def test_hand_read_amounts(built):
    """Amounts read off the documents' text (pdftotext -layout; the seeds' text files)."""
    db, _ = built
    # seed 001 (北京市西城区社会保险基金管理中心 2023, 表一 in 元): 一、一般公共预算拨款收入 68,353,777.63
    assert rows(db, """SELECT amount FROM facts WHERE package = '110102-257004-2023-budget'
                       AND "table" = 'income_expenditure_summary' AND side = 'income' AND item = '一、一般公共预算拨款收入'
                       AND measure = 'total'""") == [(Decimal("68353777.63"),)]
    # seed 004 (哈尔滨市道里区社会保险经办服务中心 2023, 万元): 一、一般公共预算拨款收入 977.40
    assert (Decimal("9774000.00"),) in rows(db, """SELECT amount FROM facts WHERE package = '230102-63002-2023-budget'
        AND "table" = 'income_expenditure_summary' AND side = 'income' AND item LIKE '%一般公共预算拨款收入' AND measure = 'total'""")
    # 003.pdf page 16 (万元): “三公”经费 合计 16.30, 因公出国(境)费 6.00, 公务接待费 0.70, 公务用车购置及运行费 9.60
    # 046.pdf page 20 (万元): 合计 9.14, 1、因公出国（境）费用 6.14, 2、公务接待费 1.00, 3、公务用车购置及运行费 2.00
    found = three_public_by_year(db)
    p003, p046 = package_of(db, "003.pdf"), package_of(db, "046.pdf")
    assert {line: found[(p003, line)] for line in ("total", "overseas_travel", "reception", "vehicle")} == \
        {"total": Decimal("163000"), "overseas_travel": Decimal("60000"), "reception": Decimal("7000"), "vehicle": Decimal("96000")}
    assert {line: found[(p046, line)] for line in ("total", "overseas_travel", "reception", "vehicle")} == \
        {"total": Decimal("91400"), "overseas_travel": Decimal("61400"), "reception": Decimal("10000"), "vehicle": Decimal("20000")}
    # seed 000 (北京市东城区社会保险基金管理中心 2021): 因公出国（境）费 printed 0
    assert found[("110101-01075003-2021-budget", "overseas_travel")] == 0


def test_packages_and_tables_views(built):
    db, _ = built
    p003 = package_of(db, "003.pdf")
    (row,) = rows(db, "SELECT unit_name, region, year, stage, tables, errors FROM packages WHERE package = ?", p003)
    assert row[:4] == ("上海市减污降碳管理运行技术中心", "310000", 2026, "budget")
    assert row[4] == rows(db, "SELECT count(*) FROM tables WHERE package = ?", p003)[0][0]
    (three,) = rows(db, """SELECT unit, page FROM tables WHERE package = ? AND "table" = 'three_public_expenses'""", p003)
    assert three == ("万元", 16)   # the table 9 of the catalog is printed on page 16


def test_findings_are_the_validators(built):
    db, _ = built
    seed = REPO / "datapackages" / "410303-309001-2021-budget"
    report = validate_package(seed)
    got = sorted(rows(db, "SELECT rule, severity, message FROM findings WHERE package = ?", seed.name))
    assert got == sorted((f.rule, f.severity, f.message) for f in report.findings)
    assert rows(db, "SELECT errors, warnings FROM packages WHERE package = ?", seed.name) == \
        [(report.count("error"), report.count("warning"))]


def test_incremental_build(tmp_path):
    packages = tmp_path / "packages"
    for seed in SEEDS[:3]:
        shutil.copytree(seed, packages / seed.name)
    db = tmp_path / "corpus.duckdb"
    first = corpus.build([packages], db, validate=False)
    assert (first.loaded, first.unchanged) == (3, 0)
    second = corpus.build([packages], db, validate=False)
    assert (second.loaded, second.unchanged, second.removed, second.facts) == (0, 3, 0, 0)
    # a changed file reloads that package only; a package no longer given is removed
    changed = packages / SEEDS[0].name / "datapackage.json"
    changed.write_text(changed.read_text(encoding="utf-8").replace('"version": "1.0.0"', '"version": "1.0.1"'), encoding="utf-8")
    shutil.rmtree(packages / SEEDS[1].name)
    third = corpus.build([packages], db, validate=False)
    assert (third.loaded, third.unchanged, third.removed) == (1, 1, 1)
    assert rows(db, "SELECT version FROM packages WHERE package = ?", SEEDS[0].name) == [("1.0.1",)]
    assert rows(db, "SELECT count(*) FROM facts WHERE package = ?", SEEDS[1].name) == [(0,)]
    # validating later loads the findings of the packages built without them
    fourth = corpus.build([packages], db)
    assert fourth.loaded == 2 and rows(db, "SELECT count(*) FROM packages WHERE errors IS NULL") == [(0,)]


def test_not_a_package_is_an_error_and_the_others_load(tmp_path):
    empty = tmp_path / "not-a-package"
    empty.mkdir()
    (empty / "notes.txt").write_text("nothing here", encoding="utf-8")
    db = tmp_path / "corpus.duckdb"
    result = run_cli("corpus", "build", empty, SEEDS[0], "--out", db, "--no-validate")
    assert result.returncode == 1
    assert str(empty) in result.stderr and "no data package" in result.stderr
    assert rows(db, "SELECT package FROM packages") == [(SEEDS[0].name,)]
    # two inputs with the same package name: the second is refused, naming both folders
    copy = tmp_path / "copy"
    shutil.copytree(SEEDS[0], copy)
    summary = corpus.build([SEEDS[0], copy], db, validate=False)
    assert summary.failed == 1 and str(copy) in summary.errors[0][1] and str(SEEDS[0]) in summary.errors[0][1]


def test_failed_build_leaves_the_old_database(tmp_path):
    db = tmp_path / "corpus.duckdb"
    corpus.build([SEEDS[0]], db, validate=False)
    before = db.read_bytes()
    blocker = tmp_path / "parquet-is-a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        corpus.build([SEEDS[0], SEEDS[1]], db, validate=False, parquet_dir=blocker)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.duckdb", "parquet-is-a-file"]


def test_parquet_export(tmp_path):
    db = tmp_path / "corpus.duckdb"
    corpus.build([SEEDS[0]], db, validate=False, parquet_dir=tmp_path / "parquet")
    assert sorted(p.name for p in (tmp_path / "parquet").iterdir()) == sorted(f"{v}.parquet" for v in corpus.VIEWS)
    con = duckdb.connect()
    facts = con.execute(f"SELECT count(*), sum(amount) FROM '{tmp_path / 'parquet' / 'facts.parquet'}'").fetchall()
    assert facts == rows(db, "SELECT count(*), sum(amount) FROM facts")


def test_more_decimals_widen_the_amount_column(tmp_path):
    """An amount with more decimals than fen (a 万元 amount printed with seven decimals) is kept exactly."""
    disclosure = sample_disclosure()
    table = disclosure.tables["expenditure_summary"]
    table.rows[0].values["total"] = Decimal("59320916.361")
    write_package(disclosure, tmp_path / "pkg")
    db = tmp_path / "corpus.duckdb"
    corpus.build([SEEDS[0]], db, validate=False)
    corpus.build([SEEDS[0], tmp_path / "pkg"], db, validate=False)
    assert rows(db, "SELECT typeof(amount) FROM facts LIMIT 1") == [("DECIMAL(38,3)",)]
    assert (Decimal("59320916.361"),) in rows(db, "SELECT amount FROM facts WHERE row_id = 'total'")


def test_query_formats(built):
    db, _ = built
    sql = ("SELECT package, amount FROM facts WHERE package = '110102-257004-2023-budget' AND side = 'income' "
           "AND item = '一、一般公共预算拨款收入' AND \"table\" = 'income_expenditure_summary'")
    as_csv = run_cli("corpus", "query", "--db", db, "--format", "csv", sql)
    assert as_csv.returncode == 0, as_csv.stderr
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [["package", "amount"], ["110102-257004-2023-budget", "68353777.63"]]
    as_json = run_cli("corpus", "query", "--db", db, "--format", "json", sql)
    assert json.loads(as_json.stdout, parse_float=Decimal) == [{"package": "110102-257004-2023-budget", "amount": Decimal("68353777.63")}]
    as_table = run_cli("corpus", "query", "--db", db, sql)
    assert as_table.stdout.splitlines()[2].split() == ["110102-257004-2023-budget", "68353777.63"]
    bad = run_cli("corpus", "query", "--db", db, "SELECT nope FROM facts")
    assert bad.returncode == 2 and "nope" in bad.stderr
    missing = run_cli("corpus", "query", "--db", db.parent / "missing.duckdb", "SELECT 1")
    assert missing.returncode == 2 and "missing.duckdb" in missing.stderr


def test_documented_queries_run(built):
    db, _ = built
    queries = documented_queries()
    assert set(queries) == {"three_public_by_year", "three_public_stated", "project_growth", "execution_three_public",
                            "findings_per_package"}
    for name, sql in queries.items():
        result = corpus.query(db, sql)
        assert result.columns, name
    # no unit has two budget years in this database, nor a budget and final accounts of one year
    assert corpus.query(db, queries["project_growth"]).rows == []
    assert corpus.query(db, queries["execution_three_public"]).rows == []
    by_year = {r[4] for r in corpus.query(db, queries["three_public_by_year"]).rows}
    stated = {r[4] for r in corpus.query(db, queries["three_public_stated"]).rows}
    assert not by_year & stated, "a package is answered from its table or, without one, from its text"
    assert sum(r[2] for r in corpus.query(db, queries["findings_per_package"]).rows) == \
        rows(db, "SELECT count(*) FROM findings")[0][0]


def test_execution_view_on_a_budget_final_accounts_pair(tmp_path, converted):
    """No unit of the corpus has a budget and final accounts of the same year (the Shanghai templates are
    two units and two years), so the pair here is made: the Shanghai 2024 final accounts converted, and a
    copy of the same package relabelled as that unit's 2024 budget (every amount as printed). Budget and
    actual are then equal: the rate is 1 wherever the budget is not 0."""
    final = converted[FINAL_ACCOUNTS.name]
    disclosure = read_package(final)
    disclosure.stage = "budget"
    disclosure.name = package_name(disclosure)
    budget = write_package(disclosure, tmp_path / "budget")
    db = tmp_path / "corpus.duckdb"
    corpus.build([final, budget, SEEDS[0]], db, validate=False)
    # 一般公共预算财政拨款支出决算表 (page 15, 万元): 201 一般公共服务支出 2,106.66; 208 社会保障和就业支出 326.72
    got = {code: (budget_, actual, rate) for code, budget_, actual, rate in
           rows(db, "SELECT code, budget, actual, rate FROM execution WHERE kind = 'function'")}
    assert got["201"] == (Decimal("21066600"), Decimal("21066600"), Decimal("1.0000"))
    assert got["208"] == (Decimal("326.72") * 10000, Decimal("3267200"), Decimal("1.0000"))
    # 财政拨款“三公”经费支出决算表 (page 18): 合计 and 公务接待费 预算数 0.95, 决算数 left blank
    three = {code: (b, initial, actual, rate) for code, b, initial, actual, rate in
             rows(db, "SELECT code, budget, budget_initial, actual, rate FROM execution WHERE kind = 'three_public'")}
    assert three == {"total": (None, Decimal("9500"), None, None), "reception": (None, Decimal("9500"), None, None)}
    (pair,) = rows(db, "SELECT DISTINCT budget_package, final_package, year FROM execution")
    assert pair == (disclosure.name, read_package(final).name, 2024)


def test_rate_is_exact_and_null_on_zero(tmp_path):
    db = tmp_path / "corpus.duckdb"
    corpus.build([SEEDS[0]], db, validate=False)
    (result,) = rows(db, "SELECT corpus_rate(2::DECIMAL(38,2), 3::DECIMAL(38,2)), corpus_rate(1::DECIMAL(38,2), 8::DECIMAL(38,2)),"
                         " corpus_rate(1::DECIMAL(38,2), 32::DECIMAL(38,2)), corpus_rate(3::DECIMAL(38,2), 32::DECIMAL(38,2)),"
                         " corpus_rate(-1::DECIMAL(38,2), 3::DECIMAL(38,2)), corpus_rate(1::DECIMAL(38,2), 0::DECIMAL(38,2))")
    # half to even: 1/32 = 0.03125 -> 0.0312, 3/32 = 0.09375 -> 0.0938
    assert result == (Decimal("0.6667"), Decimal("0.1250"), Decimal("0.0312"), Decimal("0.0938"), Decimal("-0.3333"), None)


def test_a_package_that_breaks_leaves_the_database(tmp_path):
    package = tmp_path / "pkg"
    shutil.copytree(SEEDS[0], package)
    db = tmp_path / "corpus.duckdb"
    corpus.build([package], db, validate=False)
    (package / "datapackage.json").write_text("{ not json", encoding="utf-8")
    summary = corpus.build([package], db, validate=False)
    assert (summary.failed, summary.removed) == (1, 1) and str(package) in summary.errors[0][1]
    assert rows(db, "SELECT count(*) FROM facts") == [(0,)]


THREE_PUBLIC_DOCUMENTS = ["088.pdf", "050.pdf", "059.pdf"]


def test_three_public_by_year_is_the_three_public_total_of_the_fiscal_year(tmp_path):
    """The documented query on tables whose 合计 also holds 会议费 and 培训费 (088, 050) and that print the
    year before beside the year (050: 上年 | 当年 | 增减变化情况; 059: 2025年预算数 | 2026年预算数)."""
    folders = []
    for name in THREE_PUBLIC_DOCUMENTS:
        source = SHARED / "corpus" / name
        if not source.exists():
            pytest.skip(f"{source} not found (../shared beside the repository)")
        folders.append(convert_to_package(source, tmp_path / name.split(".")[0]).path)
    db = tmp_path / "corpus.duckdb"
    corpus.build(folders, db, validate=False)
    found = three_public_by_year(db)
    lines = ("total", "overseas_travel", "vehicle", "reception")
    # 088.pdf page 9 (万元): 合计 1,471.70 = “三公”经费 小计 508.20 + 会议费 933.50 + 培训费 30.00;
    # 因公出国（境）费 70.00, 公务用车购置及运行维护费 411.20, 公务接待费 27.00
    p088 = package_of(db, "088.pdf")
    assert {line: found[(p088, line)] for line in lines} == {
        "total": Decimal("5082000"), "overseas_travel": Decimal("700000"), "vehicle": Decimal("4112000"),
        "reception": Decimal("270000")}
    # 050.pdf page 49 (元), the 合计 row's 当年 columns: 合计 1,697,281.50, 小计 801,081.50, 因公出国（境）费用 blank,
    # 公务接待费 30,081.50, 公务用车购置及运行维护费 771,000.00 (上年: 小计 848,081.50)
    p050 = package_of(db, "050.pdf")
    assert {line: found[(p050, line)] for line in lines} == {
        "total": Decimal("801081.50"), "overseas_travel": None, "vehicle": Decimal("771000"), "reception": Decimal("30081.50")}
    # 059.pdf page 19 (万元): 2026年预算数 合计 3.40, 公务接待费 3.40 (2025年预算数: 合计 11.90)
    p059 = package_of(db, "059.pdf")
    assert (found[(p059, "total")], found[(p059, "reception")]) == (Decimal("34000"), Decimal("34000"))
    assert len(corpus.query(db, documented_queries()["three_public_by_year"]).rows) == 3


def test_project_growth_on_two_budget_years(tmp_path, converted):
    """No unit of the corpus has two budget years, so the second year is made: 003.pdf (上海市减污降碳管理运行技术中心
    2026) converted, and a copy relabelled as its 2027 budget whose 部门支出总表 合计 prints 项目支出 23,000,000
    instead of 21,142,095 (003.pdf page 9, 元). Growth = 1,857,905 / 21,142,095 = 0.087877… -> 0.0879."""
    first = converted["003.pdf"]
    disclosure = read_package(first)
    disclosure.fiscal_year = 2027
    total = next(row for row in disclosure.tables["expenditure_summary"].rows if row.row_type == "total")
    assert total.values["project"] == Decimal("21142095")
    total.values["project"] = Decimal("23000000")
    disclosure.name = package_name(disclosure)
    second = write_package(disclosure, tmp_path / "next-year")
    db = tmp_path / "corpus.duckdb"
    corpus.build([first, second, SEEDS[0]], db, validate=False)
    result = corpus.query(db, documented_queries()["project_growth"])
    assert [dict(zip(result.columns, row)) for row in result.rows] == [{
        "region": "310000", "unit_name": "上海市减污降碳管理运行技术中心", "year": 2027, "project": Decimal("23000000"),
        "previous_year": 2026, "previous": Decimal("21142095"), "growth": Decimal("0.0879")}]


def test_key_figures_view_keeps_the_printed_number_and_unit(built):
    db, _ = built
    got = {(figure, row_id): (amount, printed, unit) for figure, row_id, amount, printed, unit in rows(
        db, "SELECT figure, row_id, amount, printed, unit FROM key_figures WHERE package = ?", package_of(db, "046.pdf"))}
    # 046.pdf page 24: “其中：基本支出1151.39万元、项目支出68957.85万元”; 政府采购预算总额177.4万元 (one decimal printed)
    assert got[("basic", "basic")] == (Decimal("11513900"), "1151.39", "万元")
    assert got[("project", "project")] == (Decimal("689578500"), "68957.85", "万元")
    assert got[("procurement", "procurement")] == (Decimal("1774000"), "177.4", "万元")
    # 003.pdf: “2026年“三公”经费预算数为16.30万元”
    assert rows(db, "SELECT amount, printed, unit FROM key_figures WHERE package = ? AND figure = 'three_public'",
                package_of(db, "003.pdf")) == [(Decimal("163000"), "16.30", "万元")]
    # every money figure of the database is found printed in its sentence
    assert rows(db, "SELECT count(*) FROM key_figures WHERE amount IS NOT NULL AND printed IS NULL") == [(0,)]


def test_every_view_column_is_documented():
    text = DOCS_PAGE.read_text(encoding="utf-8")
    for view, columns in corpus.VIEWS.items():
        section = text.split(f"### `{view}`", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
        documented = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
        assert documented == columns, view
