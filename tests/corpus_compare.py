"""Comparing the conversion of the corpus (../shared/corpus) with what each document prints, as
recorded by hand in tests/corpus/NNN.json (read off the documents, never off the converter).

Used by tests/test_corpus.py (thresholds) and benchmarks/bench_corpus.py (figures). For each
expectation file, `compare(expected, item, package)` gives a `Score`:

- outcome: a disclosure converts; a document that is not one, or a scan, is refused;
- tables: each printed table with a catalog id and amounts is in the package under that id;
- totals: each printed grand total is an amount of that table (packages hold 元: an amount is
  compared in the unit the table was printed in, its moneyUnit);
- cells: each hand-read cell's printed value (blank cells aside) is in that table (an amount equal to it, or a text that
  contains it, spaces ignored); cells of tables without a catalog id are looked for anywhere."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from opendata.convert.three_public import OPERATING, lines_of
from opendata.standard import load_standard

HERE = Path(__file__).resolve().parent / "corpus"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FACTORS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}  # packages hold 元; tables say what was printed
AMOUNT = re.compile(r"^[（(]?-?[\d,]+(\.\d+)?[)）]?$")


def expectations() -> list[dict]:
    """Every tests/corpus/NNN.json, in file order."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(HERE.glob("[0-9][0-9][0-9].json"))]


def should_convert(expected: dict) -> bool:
    """Whether the document is a disclosure with a text layer (it must convert)."""
    return expected["kind"] == "disclosure"


def amount_of(text: str | None) -> Decimal | None:
    """The printed amount as a Decimal ("1,234.50" -> 1234.50, "(28.65)" -> -28.65), else None."""
    if not text:
        return None
    text = text.strip().replace(" ", "")
    if not AMOUNT.match(text):
        return None
    negative = text.startswith(("(", "（"))
    try:
        value = Decimal(text.strip("()（）").replace(",", ""))
    except InvalidOperation:
        return None
    return -value if negative else value


def squeeze(text) -> str:
    """Text without any whitespace, for comparing what was printed across line wraps."""
    return re.sub(r"\s+", "", str(text))


@dataclass
class Score:
    """How one document's conversion agrees with its expectation: each list holds what was
    looked for and not found (for the report); the counts are (found, expected)."""
    file: str
    outcome_ok: bool
    converted: bool
    tables: tuple[int, int] = (0, 0)
    totals: tuple[int, int] = (0, 0)
    cells: tuple[int, int] = (0, 0)
    missing: list[str] = field(default_factory=list)
    share: float | None = None  # of the distinct printed amounts, found in the package (amount_share)
    unfound: list[tuple[int, str]] = field(default_factory=list)  # table lines with an amount not found (unfound_lines)
    identities: tuple[int, int] = (0, 0)  # accounting identities (held, compared) by the validator
    units: tuple[int, int] = (0, 0)  # tables found whose money unit is the document's (agree, checked)


def table_units(package) -> dict[str, str]:
    """{table id: the money unit the package says the table printed (`moneyUnit`, 元 when none)}."""
    return {table_id: table.money_unit or "元" for table_id, table in package.disclosure().tables.items()}


def table_values(package) -> dict[str, tuple[set, str]]:
    """{table id: (amounts, all text squeezed)} of a package read back from disk."""
    out = {}
    for table_id, table in package.disclosure().tables.items():
        amounts, texts = set(), []
        factors = {FACTORS.get(table.money_unit or "元", Decimal(1))}
        if table_id == "key_figures":  # each figure in the unit its sentence says
            factors = set(FACTORS.values())
        for row in table.rows:
            for value in row.values.values():
                if isinstance(value, Decimal):
                    amounts.update({value} | {value / factor for factor in factors})
                elif value is not None:
                    texts.append(squeeze(value))
                    number = amount_of(str(value))
                    if number is not None:
                        amounts.add(number)
        out[table_id] = (amounts, "\u0001".join(texts))
    return out


def compare(expected: dict, converted: bool, package=None) -> Score:
    """Score one document: `converted` says whether a package was written; `package` is it,
    read back (`opendata.package.Package.open`)."""
    score = Score(expected["file"], converted == should_convert(expected), converted)
    if not converted or package is None or not should_convert(expected):
        return score
    values = table_values(package)
    by_title = {table["title"]: table.get("catalog_id") for table in expected["tables"]}
    wanted = [t for t in expected["tables"] if t.get("catalog_id") and not t.get("empty")]
    ids = {t["catalog_id"] for t in wanted}
    found_ids = {table_id for table_id in ids if in_package(values, table_id)}
    score.tables = (len(found_ids), len(ids))
    score.missing += [f"table {table_id}" for table_id in sorted(ids - found_ids)]
    # a table read in the wrong unit still matches the printed digits: the unit of each money table
    # is checked against the unit printed on its page (the document's, where the page prints none)
    units, printed_units = table_units(package), page_units(CORPUS / expected["file"])
    checked = wrong = 0
    kinds = {table_id: spec.kind for table_id, spec in load_standard().tables.items()}
    for table in wanted:
        if kinds.get(table["catalog_id"]) != "money":
            continue   # a performance form prints its unit in its cells (资金金额（万元）), a page may say 元/件
        on_page = printed_units.get(table.get("page"), set())
        unit = next(iter(on_page)) if len(on_page) == 1 else expected.get("money_unit") if not on_page else None
        if unit is None or table["catalog_id"] not in found_ids or table["catalog_id"] not in units:
            continue
        checked += 1
        if units[table["catalog_id"]] != unit:
            wrong += 1
            score.missing.append(f"unit {units[table['catalog_id']]} of {table['catalog_id']} (page {table.get('page')} prints {unit})")
    score.units = (checked - wrong, checked)
    totals = [(t["catalog_id"], amount_of(t.get("printed_total")), t["printed_total"]) for t in wanted]
    totals = [total for total in totals if total[1] is not None]
    found = 0
    for table_id, value, printed in totals:
        if any(value in amounts for amounts, _ in tables_of(values, table_id)):
            found += 1
        else:
            score.missing.append(f"total {printed} of {table_id}")
    score.totals = (found, len(totals))
    found = 0
    cells = [cell for cell in expected["cells"] if squeeze(cell["value"])]  # a blank cell cannot be looked for by value
    for cell in cells:
        table_id = by_title.get(cell["table_title"])
        if cell_found(values, table_id, cell["value"]):
            found += 1
        else:
            score.missing.append(f"cell {cell['value']!r} ({cell['row']} / {cell['column']}) of {table_id or cell['table_title']}")
    score.cells = (found, len(cells))
    return score


def in_package(values: dict, table_id: str) -> bool:
    """Whether the package has rows in a table of this catalog id (`id` or `id_N` for repeats)."""
    return any(values[key][0] or values[key][1] for key in values if key == table_id or key.startswith(table_id + "_"))


def tables_of(values: dict, table_id: str | None) -> list[tuple[set, str]]:
    """The (amounts, text) of the tables with this catalog id, or of every table for None. A table of lines (the
    三公 table) prints 机关运行经费 beside them, which the standard puts in table operating_costs: that one too."""
    if table_id is None:
        return list(values.values())
    ids = (table_id, OPERATING) if lines_of(table_id) else (table_id,)
    return [values[key] for key in values if key in ids or key.startswith(tuple(i + "_" for i in ids))]


def cell_found(values: dict, table_id: str | None, printed: str) -> bool:
    """Whether a printed cell value is in the table (an equal amount, or a text containing it)."""
    number = amount_of(printed)
    for amounts, text in tables_of(values, table_id):
        if number is not None and number in amounts:
            return True
        if number is None and squeeze(printed) and squeeze(printed) in text:
            return True
    return False


def totals(scores: list[Score]) -> dict:
    """Figures over the corpus: files, outcome right, converted, and (found, expected) of tables,
    totals and cells, and (agree, checked) of the tables' money units."""
    def add(name):
        return (sum(getattr(s, name)[0] for s in scores), sum(getattr(s, name)[1] for s in scores))
    return {"files": len(scores), "outcome_right": sum(s.outcome_ok for s in scores),
            "converted": sum(s.converted for s in scores),
            "tables": add("tables"), "totals": add("totals"), "cells": add("cells"), "units": add("units")}


PRINTED = re.compile(r"(?<![\d.,%／/:A-Za-z≤≥<>=＜＞＝-])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{5,})"
                     r"(?![\d%％年月日号A-Za-z-])(?!(?![万亿元])[\u4e00-\u9fff])(?![、，,]\d{4,}[\u4e00-\u9fff])")
# an amount is not run into the Chinese of a name (95128助老服务热线, 12345、12328客服热线): digits
# followed by a Chinese character other than a money unit (万, 亿, 元), or by a list of such numbers, are a name;
# a number after a comparison (≤747.16, ≥40000) is a performance indicator's target value, not an amount


COLUMN_GAP = re.compile(r"\S\s{2,}(?=\S)")


@lru_cache(maxsize=4)
def layout_text(path: Path) -> str | None:
    """The text of a PDF as poppler's pdftotext -layout prints it (pages separated by form feeds),
    read once per file for the oracles below; None when pdftotext is not installed or the file
    is not a PDF."""
    if not shutil.which("pdftotext") or path.read_bytes()[:5] != b"%PDF-":
        return None
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          errors="replace").stdout


def is_table_line(line: str) -> bool:
    """Whether a pdftotext line is laid out in columns (two or more gaps of two spaces or more)."""
    return len(COLUMN_GAP.findall(line)) >= 2


def printed_amounts(path: Path, tables_only: bool = True) -> set[Decimal] | None:
    """The distinct amounts a PDF prints, as poppler's pdftotext -layout reads them (an extractor
    independent of the converter's pdfplumber): numbers with a thousands separator or decimals,
    or bare integers of five digits or more (not percentages, dates, classification codes,
    nor digits run into letters or a hyphen: project codes such as 11000021T00000011, 000447427-…,
    nor digits run into the Chinese of a name: 95128助老服务热线, nor an indicator's target after a
    comparison sign: ≥40000, ≤747.16).
    `tables_only`: only from lines laid out in columns (`is_table_line`), i.e. table rows, not
    the sentences of the narrative. None when pdftotext is not installed or the file is not a PDF."""
    text = layout_text(path)
    if text is None:
        return None
    codes = classification_codes()
    lines = [line for line in text.splitlines() if not tables_only or is_table_line(line)]
    return {Decimal(token.replace(",", "")) for line in lines for token in PRINTED.findall(line) if token not in codes}


def unfound_lines(path: Path, package) -> list[tuple[int, str]]:
    """The table lines of a PDF (as `printed_amounts` reads them) holding an amount that is not
    among the package's amounts: [(page number from 1, the line as pdftotext -layout prints it)],
    for finding what the converter lost. Empty when pdftotext is not installed or not a PDF."""
    text = layout_text(path)
    if text is None:
        return []
    codes, found, lines = classification_codes(), package_amounts(package), []
    for number, page in enumerate(text.split("\f"), 1):
        for line in page.splitlines():
            if is_table_line(line) and any(Decimal(token.replace(",", "")) not in found
                                           for token in PRINTED.findall(line) if token not in codes):
                lines.append((number, line.strip()))
    return lines


UNIT_LINE = re.compile(r"单位\s*[:：]\s*(亿元|万元|元)")


def page_units(path: Path) -> dict[int, set[str]]:
    """{page number from 1: the money units the page prints after 单位： (pdftotext -layout)};
    empty when pdftotext is not installed or the file is not a PDF."""
    text = layout_text(path) if path.is_file() else None
    if text is None:
        return {}
    return {number: set(UNIT_LINE.findall(page)) for number, page in enumerate(text.split("\f"), 1)}


@lru_cache(maxsize=1)
def classification_codes() -> frozenset[str]:
    """Every function and economic classification code of the standard's code lists (类款项 codes
    printed in tables are not amounts)."""
    lists = load_standard().codelists
    return frozenset(row["code"] for name in ("function_classification", "economic_classification_department",
                                              "economic_classification_government") for row in lists[name].rows)


def package_amounts(package) -> set[Decimal]:
    """Every amount of a package (tables and key figures), in 元 and in the unit each table was printed in."""
    amounts = set()
    for amounts_of_table, _ in table_values(package).values():
        amounts |= amounts_of_table
    return amounts


def amount_share(printed: set[Decimal] | None, package) -> float | None:
    """The share of the distinct printed amounts that are among the package's amounts (1.0 when
    the document prints none); None without `printed`."""
    if printed is None:
        return None
    if not printed:
        return 1.0
    return len(printed & package_amounts(package)) / len(printed)
