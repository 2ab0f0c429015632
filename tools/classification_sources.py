"""Every classification code a corpus, seed or reference document prints, with the name printed
beside it: (document, year, list, code, printed name, line), read off the document's own text
(`pdftotext -layout` for PDFs, the sheets' cells for workbooks, the file for text), never off
the converter's tables.

    python tools/classification_sources.py [--out tests/corpus/printed_codes.csv] [--update-sources] [FILES...]

Without FILES it reads ../shared/corpus/*.pdf, ../shared/seeds/*.txt and ../shared/references
(PDF and xlsx). The extract is what `tests/test_codelists_printed.py` checks the code lists
against, and what the `printed:<file>` provenance of the code-list rows comes from; beside it,
tests/corpus/printed_documents.csv says who published each document, where and when (the
code-list pages show sources by it).

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
DOCUMENTS_OUT = ROOT / "tests" / "corpus" / "printed_documents.csv"
DOCUMENT_COLUMNS = ("document", "kind", "publisher", "region", "year", "stage", "origin")
STAGES = {"budget": "预算 budget", "final_accounts": "决算 final accounts"}
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
# Layout text, one level per line (类 `213  农林水支出`, then 款 `  03  水利`, then 项 `     08  水利前期工作`,
# each followed by amounts): the 款 and 项 are told apart by how far their two digits are indented.
OUTLINE_CLASS = re.compile(r"^[\t ]*(?P<code>[235]\d{2})[\t ]+(?P<name>" + NAME + r")[\t ]+-?[\d,]*\d\.\d+")
OUTLINE_PART = re.compile(r"^(?P<indent>[\t ]+)(?P<digits>\d{2})[\t ]+(?P<name>" + NAME + r")[\t ]+-?[\d,]*\d\.\d+")
# A line that ends an outline: a total, a table's heading or a page number.
OUTLINE_END = re.compile(r"合计|总计|单位：|科目|公开表|^[\t ]*[—\-－][\t ]*\d+[\t ]*[—\-－][\t ]*$")
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

    found.extend(outline_codes(lines, known))
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


def outline_codes(lines: list[str], known: set[str]) -> list[tuple[str, str, int]]:
    """(code, printed name, line number) of the 款 and 项 printed one level per line under a 类 line
    (OUTLINE_CLASS): a two-digit line indented no deeper than the first one after the 类 is a 款,
    a deeper one a 项 of the 款 above it. A total, a heading or a page number ends the outline."""
    found: list[tuple[str, str, int]] = []
    lei = kuan = ""
    kuan_column = -1
    for number, text in enumerate(lines, 1):
        heading = OUTLINE_CLASS.match(text)
        if heading and heading.group("code") in known:
            lei, kuan, kuan_column = heading.group("code"), "", -1
            continue
        part = OUTLINE_PART.match(text)
        if lei and part:
            column = len(part.group("indent").expandtabs())
            name = clean(part.group("name"))
            if kuan_column < 0 or column <= kuan_column + 1:
                kuan, kuan_column = lei + part.group("digits"), column
                found.append((kuan, name, number))
            elif kuan:
                found.append((kuan + part.group("digits"), name, number))
            continue
        if OUTLINE_END.search(text) or (text.strip() and not text[:1].isspace()):
            lei, kuan, kuan_column = "", "", -1
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


def documents(printed: list[dict[str, str]]) -> list[dict[str, str]]:
    """Who published each document of the extract, where and when (DOCUMENT_COLUMNS), so that a
    `printed:<document>` source can be shown as its unit, region and year: for a corpus file from
    its expectation (tests/corpus/NNN.json: unit, division_name, year, stage) and
    shared/corpus/SOURCES.tsv (the repository and path it was collected from); for a seed or a
    reference document from the table of its folder's README.md (file | publisher … | year, stage …)."""
    origins = {}
    sources_tsv = SHARED / "corpus" / "SOURCES.tsv"
    if sources_tsv.exists():
        with sources_tsv.open(encoding="utf-8", newline="") as handle:
            for item in csv.DictReader(handle, delimiter="\t"):
                origins[item["file"]] = f"{item['repository']}: {item['path']}"
    readme_rows = {}
    for folder in ("seeds", "references"):
        readme = SHARED / folder / "README.md"
        for line in readme.read_text(encoding="utf-8").splitlines() if readme.exists() else ():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) >= 2 and "." in cells[0] and not cells[0].startswith("-"):
                readme_rows[Path(cells[0]).name] = (folder[:-1], cells)
    out = []
    for name in sorted({item["document"] for item in printed}):
        year = next((item["year"] for item in printed if item["document"] == name), "")
        expectation = ROOT / "tests" / "corpus" / (Path(name).stem + ".json")
        if name in origins and expectation.exists():
            data = json.loads(expectation.read_text(encoding="utf-8"))
            out.append({"document": name, "kind": "corpus", "publisher": data.get("unit") or "",
                        "region": data.get("division_name") or "", "year": year,
                        "stage": STAGES.get(data.get("stage") or "", ""), "origin": origins[name]})
        elif name in readme_rows:
            kind, cells = readme_rows[name]
            what = re.split(r"[,;:(（]", cells[1])[0].strip()
            stage_text = " ".join(cells[1:3])
            stage = STAGES["final_accounts"] if ("决算" in stage_text or "final" in stage_text) else STAGES["budget"]
            out.append({"document": name, "kind": kind, "publisher": what, "region": "", "year": year,
                        "stage": stage, "origin": f"shared/{kind}s/{cells[0]}"})
        else:
            out.append({"document": name, "kind": "", "publisher": "", "region": "", "year": year, "stage": "", "origin": ""})
    return out


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
    if not args.files:  # the whole extract: who published each of its documents
        with DOCUMENTS_OUT.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, DOCUMENT_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(documents(rows))
        print(f"the documents' publishers, regions and years → {DOCUMENTS_OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
