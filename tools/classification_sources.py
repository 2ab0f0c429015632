"""Every classification code a corpus, seed or reference document prints, with the name printed
beside it: (document, year, list, code, printed name, line), read off the document's own text
(`pdftotext -layout` for PDFs, the sheets' cells for workbooks, the file for text), never off
the converter's tables.

    python tools/classification_sources.py [--out tests/corpus/printed_codes.csv] [--update-sources] [FILES...]

Without FILES it reads ../shared/corpus/*.pdf, ../shared/seeds/*.txt and ../shared/references
(PDF and xlsx). The extract is what `tests/test_codelists_printed.py` checks the code lists
against, and what the `printed:<file>` provenance of the code-list rows comes from.

Forms of printing recognised (each seen in the inputs):
- code and name in one cell or column pair: `2010101 行政运行`, `2050803-培训支出`, `30101基本工资`;
- 类 / 款 / 项 in separate columns: `201 08 01 行政运行`, `208 1 9` (padded to 2010801, 2080109);
  a 6-digit unit code between code and name (`208 01 09 309001 …`) leaves the name unread, because
  the text after it may be the unit's name;
- one cell per line (Word text, each cell led by a tab): a line holding only the code, the next
  non-empty line its name. In layout text a code alone on its line is taken without a name (the
  line after it is usually a wrapped piece of another cell);
- a 款 or 项 code followed only by amounts (`20822   0.00   0.00`, its name wrapped onto the lines
  above and below): taken without a name, since which wrapped piece belongs to it is not sure.
A code is taken only when its 类 (first three digits) is a 类 of one of the three lists; a
3-digit 类 needs a name beside it and a 款 or 项 of it printed in the same document (a numbered
list such as 201 射干, 202 … is not a classification). The year is the corpus expectation's (`tests/corpus/NNN.json`)
or the title's (opendata.convert.metadata).
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from opendata.standard import load_standard  # noqa: E402
from opendata.convert.metadata import year_and_stage  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_OUT = ROOT / "tests" / "corpus" / "printed_codes.csv"
LISTS = {"2": "function_classification", "3": "economic_classification_department",
         "5": "economic_classification_government"}
COLUMNS = ("document", "year", "list", "code", "printed_name", "line")

NAME = r"[\u4e00-\u9fff][\u4e00-\u9fff（）()、“”\"·—\-－/A-Za-z]*(?: ?[\u4e00-\u9fff（）()、“”][\u4e00-\u9fff（）()、“”\"·—\-－/A-Za-z]*)*"
JOINED = re.compile(r"(?:^|(?<=[\t ]))(?P<code>[235]\d{2}(?:\d{2}){0,2})(?![\d.,])[ \t]*[-－:：.、]?[ \t]*(?P<name>" + NAME + ")")
SPLIT = re.compile(r"^[\t ]*(?P<lei>[235]\d{2})[\t ]+(?P<kuan>\d{1,2})(?:[\t ]+(?P<xiang>\d{1,2}))?[\t ]+"
                   r"(?:(?P<unit>\d{6})[\t ]+)?(?P<name>" + NAME + ")?")
ALONE = re.compile(r"^\t[\t ]*(?P<code>[235]\d{2}(?:\d{2}){1,2})[\t ]*$")
# Layout text: a code, then only amounts (its name wrapped onto the lines above and below it).
AMOUNTS_ONLY = re.compile(r"^[\t ]*(?P<code>[235]\d{2}(?:\d{2}){1,2})(?:[\t ]+-?[\d,]*\d\.\d+)+[\t ]*$")
NAME_CELL = re.compile(r"^[\t ]*(?P<name>" + NAME + r")[\t ]*$")
# Words that follow a number in prose (共 208 人, 301 万元): not a name.
NOT_NAMES = ("人", "万元", "元", "个", "家", "项", "辆", "平方米", "年", "月", "日", "名", "次", "台", "套", "户",
             "所", "处", "件", "天", "批", "余", "多", "千", "亿", "万", "米", "公里", "吨", "张", "份", "本", "页")


def classes() -> set[str]:
    """The 类 codes of the three classification lists."""
    lists = load_standard().codelists
    return {row["code"] for name in LISTS.values() for row in lists[name].rows if len(row["code"]) == 3}


def clean(name: str) -> str:
    """A printed name without spaces, trailing punctuation or leader dots."""
    name = re.sub(r"\s+", "", name or "")
    return name.strip("-－、:：.·")


def document_text(path: Path) -> list[str]:
    """The lines of a document: pdftotext -layout for a PDF, tab-joined cells per row for a
    workbook, the text itself otherwise."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=False)
        # split on newlines only, so that line N is `pdftotext -layout FILE - | sed -n Np` (page
        # breaks are form feeds at the start of a line, which splitlines would count as lines)
        return result.stdout.decode("utf-8", "replace").replace("\f", "").split("\n")
    if suffix in (".xlsx", ".xls"):
        from opendata.convert.errors import Warnings
        from opendata.convert.xlsx import read_xls, read_xlsx
        reader = read_xlsx if suffix == ".xlsx" else read_xls
        lines = []
        for block in reader(path, path.read_bytes(), Warnings(path.name)):
            lines.extend("\t".join(cell.strip() for cell in cells) for _, cells in block.rows)
        return lines
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def document_year(path: Path, lines: list[str]) -> int | None:
    """The fiscal year: the corpus expectation's for a corpus file, else the title's."""
    expectation = ROOT / "tests" / "corpus" / (path.stem + ".json")
    if path.parent.name == "corpus" and expectation.exists():
        year = json.loads(expectation.read_text(encoding="utf-8")).get("year")
        if year:
            return int(year)
    return year_and_stage(lines)[0]


def printed_codes(lines: list[str], known: set[str]) -> list[tuple[str, str, int]]:
    """(code, printed name, line number) of every classification code the lines print; the
    name is '' when the code is printed without a readable name."""
    found = []

    def take(code: str, name: str, number: int, need_name: bool) -> None:
        name = clean(name)
        if code[:3] not in known or any(name.startswith(word) for word in NOT_NAMES):
            return
        if (need_name or name) and len(name) < 2:
            name = "" if not need_name else name
            if need_name:
                return
        found.append((code, name, number))

    for number, text in enumerate(lines, 1):
        split = SPLIT.match(text)
        if split and (split.group("xiang") or split.group("unit") or split.group("name")):
            code = split.group("lei") + split.group("kuan").zfill(2) + (split.group("xiang") or "").zfill(2 if split.group("xiang") else 0)
            if len(split.group("kuan")) <= 2 and not (len(split.group("kuan")) == 1 and not split.group("xiang") and not split.group("unit")):
                take(code, "" if split.group("unit") else (split.group("name") or ""), number, False)
                continue
        amounts_only = AMOUNTS_ONLY.match(text)
        if amounts_only:
            take(amounts_only.group("code"), "", number, False)
            continue
        alone = ALONE.match(text)
        if alone:
            following = next((line for line in lines[number:number + 3] if line.strip()), "")
            cell = NAME_CELL.match(following)
            take(alone.group("code"), cell.group("name") if cell else "", number, False)
            continue
        for match in JOINED.finditer(text):
            take(match.group("code"), match.group("name"), number, len(match.group("code")) == 3)
    return found


def inputs() -> list[Path]:
    """The corpus PDFs, the seeds and the reference documents."""
    paths = sorted((SHARED / "corpus").glob("*.pdf")) + sorted((SHARED / "seeds").glob("*.txt"))
    paths += sorted(p for p in (SHARED / "references").rglob("*") if p.suffix.lower() in (".pdf", ".xlsx", ".xls"))
    return paths


def extract(paths: list[Path]) -> list[dict[str, str]]:
    """The rows of the extract for `paths`, one per (document, code, printed name), first line."""
    known = classes()
    rows, seen = [], set()
    for path in paths:
        lines = document_text(path)
        year = document_year(path, lines)
        found = printed_codes(lines, known)
        prefixes = {code[:3] for code, _, _ in found if len(code) > 3}
        for code, name, number in found:
            if len(code) == 3 and code not in prefixes:
                continue
            key = (path.name, code, name)
            if key in seen:
                continue
            seen.add(key)
            rows.append({"document": path.name, "year": str(year or ""), "list": LISTS[code[0]], "code": code,
                         "printed_name": name, "line": str(number)})
    return rows


def update_sources(printed: list[dict[str, str]]) -> int:
    """Add `printed:<document>` to the `source` of every row of the three lists that a document
    prints with that name (rules.names_agree, the whole name: not a wrapped piece) in a year of the
    row's range; returns the number of
    sources added. Other sources are kept; `confirmed` is not changed."""
    from opendata.validate.rules import name_key, names_agree

    def same_name(printed_name: str, official: str) -> bool:  # the whole name, not a piece of it
        return names_agree(printed_name, official) and len(name_key(printed_name)) >= len(name_key(official))

    added = 0
    for list_id in LISTS.values():
        path = ROOT / "schema" / "codelists" / (list_id + ".csv")
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns, rows = reader.fieldnames, list(reader)
        by_code: dict[str, list[dict[str, str]]] = {}
        for item in printed:
            if item["list"] == list_id and item["printed_name"] and item["year"]:
                by_code.setdefault(item["code"], []).append(item)
        for row in rows:
            start, end = int(row["from_year"] or 0), int(row["to_year"] or 9999)
            sources = [s for s in row["source"].split(";") if s]
            for item in by_code.get(row["code"], ()):
                tag = "printed:" + item["document"]
                if start <= int(item["year"]) <= end and tag not in sources and same_name(item["printed_name"], row["name"]):
                    sources.append(tag)
                    added += 1
            row["source"] = ";".join(sources)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--update-sources", action="store_true",
                        help="also add printed:<document> to the source column of the code-list rows")
    args = parser.parse_args(argv)
    rows = extract(args.files or inputs())
    if args.update_sources:
        print(f"{update_sources(rows)} printed: sources added to the code lists")
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} printed codes from {len({r['document'] for r in rows})} documents → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
