"""Every classification code printed in the corpus, the seeds and the reference documents, with
the name printed beside it, against the code lists for the document's year.

The printed pairs come from tests/corpus/printed_codes.csv, made by
`tools/classification_sources.py` off the documents' own text (a test below checks that the
extract is reproducible for a few files). Each pair is sorted into one kind, and the test fails on
a code the list does not have for that year and on a name it cannot explain:

- match — the official name of that year, allowing what printing does to names (rules.names_agree);
- variant — a wording the list records in the row's `variants` column;
- outdated — a name the code carried in another year's edition;
- cut — a piece of the official name (a wrapped cell);
- label — a project's or unit's name beside the code, where the same document prints the code's
  own name elsewhere;
- code only, unconfirmed (a `confirmed=false` row: unknown either way, but its name must still
  explain what is printed — else "unconfirmed mismatch", a failure), local (7-digit economic
  sub-codes), out of range (years before 2018, outside the lists), malformed (a 款 or 项 numbered
  00, which the validator reports as code.unknown) — reported;
- known — a name that is none of these, listed below with the reason read off the document.
"""
from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import pytest

from opendata.standard import load_standard
from opendata.validate import codebook
from opendata.validate.rules import name_key, names_agree

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the extractor is the repository's tooling (tools/), not in the package
    sys.path.insert(0, str(ROOT))
EXTRACT = ROOT / "tests" / "corpus" / "printed_codes.csv"
SHARED = ROOT.parent / "shared"
FIRST_YEAR, LAST_YEAR = 2018, 2026

# (document, code, printed name): printed names that are not the code's name, read off the page.
KNOWN = {
    ("064.pdf", "30208", "物业管理费"): "the document prints 30208 twice, once as 取暖费 and once as 物业管理费 (30209's name): a real error",
    ("064.pdf", "30213", "维护（护）费"): "the document misprints 维修（护）费",
    ("054.pdf", "201", "中共西安市委宣传部"): "a unit's name in the unit column beside the 类 code",
    ("054.pdf", "201", "中共西安"): "the unit's name, wrapped",
    ("054.pdf", "201", "市委宣传"): "the unit's name, wrapped",
    ("054.pdf", "2070607", "中共西安市委宣"): "政府采购 table: the unit's name, wrapped, beside the function code (207 06 07)",
    ("050.pdf", "2040802", "办公设备购置"): "政府采购 table: the purchase's name beside its function code (204 08 02)",
    ("050.pdf", "2040802", "民警健康体检"): "政府采购 table: the purchase's name beside its function code",
    ("050.pdf", "2040802", "食堂包厨"): "政府采购 table: the purchase's name beside its function code",
    ("050.pdf", "2040899", "警用服装购置"): "政府采购 table: the purchase's name beside its function code",
}


def rows_of(list_id: str) -> dict[str, list[dict[str, str]]]:
    result: dict[str, list[dict[str, str]]] = {}
    for row in load_standard().codelists[list_id].rows:
        result.setdefault(row["code"], []).append(row)
    return result


def in_year(row: dict[str, str], year: int) -> bool:
    return int(row["from_year"] or 0) <= year <= int(row["to_year"] or 9999)


def is_piece(printed: str, official: str) -> bool:
    """A wrapped cell: the printed text is a run of the official name."""
    text = printed.rstrip("支")
    return len(text) >= 1 and text in official


def classify(printed: list[dict[str, str]]) -> tuple[Counter, list[str]]:
    """(count per kind, the pairs that fail)."""
    lists = {list_id: rows_of(list_id) for list_id in {item["list"] for item in printed}}
    agreed = set()
    for item in printed:
        for row in lists[item["list"]].get(item["code"], ()):
            if item["printed_name"] and item["year"] and in_year(row, int(item["year"])) \
                    and names_agree(item["printed_name"], row["name"]):
                agreed.add((item["document"], item["code"]))
    kinds, failures = Counter(), []
    for item in printed:
        kind = kind_of(item, lists[item["list"]], agreed)
        kinds[kind] += 1
        if kind in ("unknown", "not in year", "mismatch", "unconfirmed mismatch"):
            failures.append(f"{kind}: {item['document']} ({item['year']}) line {item['line']}: "
                            f"{item['code']} {item['printed_name']!r}")
    return kinds, failures


def kind_of(item: dict[str, str], rows: dict[str, list[dict[str, str]]], agreed: set) -> str:
    code, name, document = item["code"], item["printed_name"], item["document"]
    if not item["year"] or not FIRST_YEAR <= int(item["year"]) <= LAST_YEAR:
        return "out of range"
    year = int(item["year"])
    if item["list"] != "function_classification" and len(code) == 7:
        return "local"
    current = [row for row in rows.get(code, ()) if in_year(row, year)]
    if not current and codebook.zero_level(load_standard().codelists[item["list"]], code):
        return "malformed"  # a 款 or 项 numbered 00 (057.pdf's 2121100): code.unknown from the validator
    if not current:
        return "not in year" if code in rows else "unknown"
    row = current[0]
    if row.get("confirmed") == "false":
        # unknown either way for the validator, but a printed name it cannot explain shows the
        # row's name is wrong (the 21303 项 were once shifted by two codes)
        return "unconfirmed" if name_kind(name, row, rows[code], document, code, agreed) != "mismatch" \
            else "unconfirmed mismatch"
    return name_kind(name, row, rows[code], document, code, agreed)


def name_kind(name: str, row: dict[str, str], others: list[dict[str, str]], document: str, code: str,
              agreed: set) -> str:
    """How a printed name relates to the row of its code and year (see the module docstring)."""
    if not name:
        return "code only"
    if names_agree(name, row["name"]):
        return "match"
    if name_key(name) in {name_key(v) for v in (row.get("variants") or "").split("|") if v}:
        return "variant"
    if any(names_agree(name, other["name"]) for other in others if other is not row):
        return "outdated"
    if is_piece(name, row["name"]):
        return "cut"
    if (document, code, name) in KNOWN:
        return "known"
    if (document, code) in agreed:
        return "label"
    return "mismatch"


def printed_pairs() -> list[dict[str, str]]:
    with EXTRACT.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_printed_code_is_in_the_list_of_its_year():
    printed = printed_pairs()
    assert len(printed) > 3000, "the extract lost most of its rows: regenerate it with tools/classification_sources.py"
    kinds, failures = classify(printed)
    print("printed pairs by kind:", dict(kinds.most_common()))
    assert not failures, f"{len(failures)} printed codes the lists do not explain:\n" + "\n".join(failures[:60])


def test_known_names_are_still_printed():
    printed = {(item["document"], item["code"], item["printed_name"]) for item in printed_pairs()}
    assert set(KNOWN) <= printed, f"no longer in the extract: {sorted(set(KNOWN) - printed)}"


def test_a_name_of_another_year_is_outdated_not_a_mismatch():
    rows = rows_of("function_classification")
    item = {"document": "x", "year": "2024", "list": "function_classification", "code": "210",
            "printed_name": "医疗卫生与计划生育支出", "line": "1"}
    assert kind_of(item, rows, set()) == "outdated"
    item["year"] = "2018"
    assert kind_of(item, rows, set()) == "match"
    item.update(code="2080206", printed_name="基层政权建设和社区治理", year="2021")
    assert kind_of(item, rows, set()) == "mismatch"
    item["printed_name"] = "社会组织管理"
    assert kind_of(item, rows, set()) == "match"


@pytest.mark.parametrize("name", ["001.pdf", "062.pdf", "002_08156c0f8873661b.txt", "001_55e2fc65d40c4b28.txt",
                                  "shanghai_putuo_2026_dept_budget_template.xlsx"])
def test_the_extract_is_reproducible(name):
    from tools.classification_sources import extract, inputs

    paths = [path for path in inputs() if path.name == name]
    if not paths:
        pytest.skip(f"{name} not under {SHARED}")
    committed = [item for item in printed_pairs() if item["document"] == name]
    assert committed, f"{name}: nothing in the committed extract"
    assert extract(paths) == committed, f"{name}: the extract differs; rerun tools/classification_sources.py"


@pytest.mark.parametrize("list_id", ["function_classification", "economic_classification_department",
                                     "economic_classification_government"])
def test_classification_rows_are_consistent(list_id):
    """`confirmed` is true or false, a confirmed row names its source and cites no national edition
    older than its first year, an unconfirmed row no printed document, and every code's parent
    exists in every year the code does."""
    rows = load_standard().codelists[list_id].rows
    by_code = rows_of(list_id)
    for row in rows:
        assert row.get("confirmed") in ("true", "false"), f"{row['code']} {row['from_year']}: confirmed {row.get('confirmed')!r}"
        assert row["source"], f"{row['code']} {row['from_year']}: no source"
        if row["confirmed"] == "true":
            assert "uncertain" not in row["source"].split(";"), f"{row['code']} {row['from_year']}: confirmed but uncertain"
            # a confirmed row citing an edition older than itself would leave the edition's years unchecked
            editions = [int(s[len("national:"):]) for s in row["source"].split(";") if s.startswith("national:")]
            assert all(year >= int(row["from_year"]) for year in editions), \
                f"{row['code']} {row['from_year']}: confirmed from {row['from_year']} but cites {row['source']}"
        else:  # a document printing the code with this name in the row's years confirms it from that year
            assert not any(s.startswith("printed:") for s in row["source"].split(";")), \
                f"{row['code']} {row['from_year']}: unconfirmed but printed ({row['source']})"
        if not row["parent"]:
            continue
        assert row["code"].startswith(row["parent"]), f"{row['code']}: parent {row['parent']}"
        for year in range(int(row["from_year"]), min(int(row["to_year"] or LAST_YEAR), LAST_YEAR) + 1):
            assert any(in_year(parent, year) for parent in by_code.get(row["parent"], ())), \
                f"{list_id}: {row['code']} has no parent {row['parent']} in {year}"


def test_an_unconfirmed_row_must_still_explain_the_printed_name():
    """062.pdf (2026) prints 213 03 08 水利前期工作 one level per line; the list once held 2130308
    as 水土保持 (unconfirmed, so never judged): such a row now fails the extract check."""
    printed = {(item["document"], item["code"], item["printed_name"]) for item in printed_pairs()}
    assert ("062.pdf", "2130308", "水利前期工作") in printed
    rows = rows_of("function_classification")
    item = {"document": "x", "year": "2024", "list": "function_classification", "code": "2130308",
            "printed_name": "水利前期工作", "line": "1"}
    assert kind_of(item, rows, set()) == "unconfirmed"
    item["printed_name"] = "水土保持"
    assert kind_of(item, rows, set()) == "unconfirmed mismatch"


@pytest.mark.parametrize("list_id", ["function_classification", "economic_classification_department",
                                     "economic_classification_government"])
def test_printed_sources_fall_in_the_rows_years(list_id):
    """A `printed:<document>` source names a document whose year (in the extract) is in the row's range."""
    years = {item["document"]: int(item["year"]) for item in printed_pairs() if item["year"]}
    wrong = [f"{row['code']} {row['from_year']}-{row['to_year']}: {source} ({years[source[8:]]})"
             for row in load_standard().codelists[list_id].rows
             for source in row["source"].split(";")
             if source.startswith("printed:") and source[8:] in years and not in_year(row, years[source[8:]])]
    assert not wrong, "\n".join(wrong)
