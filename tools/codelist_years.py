"""The by-year parts of a year-versioned code list's reference pages (the classifications): how
many codes each budget year has and how many are confirmed, what changed from one year to the
next, told apart by evidence (a code or name a national edition introduced that year, or one the
list only knows from that year on: first seen), one page per year with the list valid that year,
and the sources the rows rest on, a printed document named by its publisher, region and year
(tests/corpus/printed_documents.csv, written by tools/classification_sources.py)."""
from __future__ import annotations

import csv
from collections import Counter

from .common import REPO, md_table

FIRST_YEAR, LAST_YEAR = 2018, 2026
DOCUMENTS = REPO / "tests" / "corpus" / "printed_documents.csv"
PRINTED = REPO / "tests" / "corpus" / "printed_codes.csv"
SHOWN_DOCUMENTS = 2  # printed sources named in a row; the rest are counted


def in_year(row: dict[str, str], year: int) -> bool:
    """True when the row's from_year–to_year range (empty: open) contains `year`."""
    return int(row.get("from_year") or 0) <= year <= int(row.get("to_year") or 9999)


def documents() -> dict[str, dict[str, str]]:
    """The documents of the printed-codes extract by file name: kind, publisher, region, year,
    stage, origin (empty when the extract's table of documents is missing)."""
    if not DOCUMENTS.exists():
        return {}
    with DOCUMENTS.open(encoding="utf-8", newline="") as handle:
        return {row["document"]: row for row in csv.DictReader(handle)}


def document_name(name: str, known: dict[str, dict[str, str]]) -> str:
    """A printed document as its publisher, region, year and stage ('上海市审计局（上海市）2026 预算'),
    or its file name when the table of documents does not have it."""
    info = known.get(name)
    if not info or not info.get("publisher"):
        return name
    region = f"（{info['region']}）" if info.get("region") and info["region"] not in info["publisher"] else ""
    stage = (info.get("stage") or "").split(" ")[0]
    return f"{info['publisher']}{region} {info.get('year', '')} {stage}".strip()


def source_text(source: str, known: dict[str, dict[str, str]], year: int | None = None) -> str:
    """A row's `source` in words: national editions, local codes, unverified, then the printed
    documents by name (the first SHOWN_DOCUMENTS, those of `year` first, then how many more)."""
    parts = [s for s in source.split(";") if s]
    words = []
    for part in parts:
        kind, _, value = part.partition(":")
        if kind == "national":
            words.append(f"全国 national {value}")
        elif kind == "local":
            words.append(f"地方 local {value}")
        elif part == "uncertain":
            words.append("未核实 unverified")
    names = [p[len("printed:"):] for p in parts if p.startswith("printed:")]
    names.sort(key=lambda name: known.get(name, {}).get("year") != str(year))  # stable: the year's documents first
    printed = [document_name(name, known) for name in names]
    if printed:
        shown = "；".join(printed[:SHOWN_DOCUMENTS])
        more = f" 等 {len(printed)} 份 ({len(printed)} documents)" if len(printed) > SHOWN_DOCUMENTS else ""
        words.append(f"印出 printed: {shown}{more}")
    return " · ".join(words)


def by_edition(row: dict[str, str], year: int) -> bool:
    """True when the row cites the national edition of `year` itself (`national:YEAR`)."""
    return f"national:{year}" in row.get("source", "").split(";")


def added_kind(row: dict[str, str], year: int) -> str:
    """Why a code is in the list from `year`: introduced by that year's edition, or only first
    seen that year (the list has no earlier row: the code may be older), or a local code."""
    regions = [s[len("local:"):] for s in row.get("source", "").split(";") if s.startswith("local:")]
    if regions:
        return f"地方代码首见 local ({', '.join(regions)}), first seen"
    if by_edition(row, year):
        unverified = "（未核实）" if row.get("confirmed") == "false" else ""
        return f"版本新增{unverified} added by the {year} edition" + (" (unverified)" if unverified else "")
    return "首见 first seen (no earlier row; may be older)"


def renamed_kind(row: dict[str, str], before: dict[str, str], year: int) -> str:
    """Why a code's name differs from the year before: that year's edition renamed it, or the new
    name is only first seen (printed, or the rows either side unverified)."""
    if by_edition(row, year) and before.get("confirmed") != "false":
        return f"版本更名 renamed by the {year} edition"
    return "新名称首见 new name first seen"


def changes_by_year(rows: list[dict[str, str]]) -> tuple[list[list[str]], list[list[str]]]:
    """(one summary line per year, one line per change): codes added (by edition / first seen),
    renamed and retired from one year to the next."""
    summary, changes = [], []
    previous: dict[str, dict[str, str]] = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        current = {row["code"]: row for row in rows if in_year(row, year)}
        confirmed = sum(1 for row in current.values() if row.get("confirmed", "true") != "false")
        added = sorted(code for code in current if code not in previous) if year > FIRST_YEAR else []
        retired = sorted(code for code in previous if code not in current)
        renamed = sorted(code for code in current if code in previous and previous[code]["name"] != current[code]["name"])
        by_editions = sum(1 for code in added if added_kind(current[code], year).startswith("版本新增"))
        summary.append([f"[{year}]({{list_id}}/{year}.md)", str(len(current)), str(confirmed), str(len(current) - confirmed),
                        str(by_editions), str(len(added) - by_editions), str(len(renamed)), str(len(retired))])
        for code in added:
            row = current[code]
            changes.append([str(year), f"`{code}`", added_kind(row, year), row["name"], row.get("confirmed", "")])
        for code in renamed:
            row = current[code]
            changes.append([str(year), f"`{code}`", renamed_kind(row, previous[code], year),
                            f"{previous[code]['name']} → {row['name']}", row.get("confirmed", "")])
        for code in retired:
            changes.append([str(year), f"`{code}`", "停用 retired", previous[code]["name"], ""])
        previous = current
    return summary, changes


def year_sections(rows: list[dict[str, str]], list_id: str) -> list[str]:
    """Markdown lines of the list's page: the table of years (each linking to its year page), the
    changes by year and the sources, ending with the heading of the all-rows table."""
    known = documents()
    summary, changes = changes_by_year(rows)
    summary = [[line[0].replace("{list_id}", list_id), *line[1:]] for line in summary]
    national = Counter(s for row in rows for s in row.get("source", "").split(";")
                       if s.startswith(("national:", "local:")) or s == "uncertain")
    printed = Counter(s[len("printed:"):] for row in rows for s in row.get("source", "").split(";") if s.startswith("printed:"))
    lines = [
        "## 按年度 By year", "",
        f"每个预算年度（{FIRST_YEAR}–{LAST_YEAR}）有效的代码数，点年度看该年度有效的全部代码；`confirmed=false` 的行未能由全国版本"
        "或公开文件核实，校验时视为未知。“版本新增”是该年度全国版本新设的代码；“首见”只说明本表从该年度起才有这一行"
        "（依据从该年度的文件开始），代码本身可能更早就有。"
        " Codes valid in each budget year; follow a year for the list valid that year. Rows with `confirmed=false` could not "
        "be confirmed against a national edition or a printed document and are treated as unknown either way. *Added by "
        "edition*: the national edition of that year introduced the code; *first seen*: the list has the code only from "
        "that year (its evidence starts there), the code itself may be older.", "",
        md_table(["年度 year", "代码 codes", "已核实 confirmed", "未核实 unconfirmed", "版本新增 added by edition",
                  "首见 first seen", "更名 renamed", "停用 retired"], summary), "",
        "## 年度变化 Changes by year", "",
    ]
    lines += [md_table(["年度 year", "code", "变化 change", "名称 name", "confirmed"], changes), ""] if changes else ["（无 none）", ""]
    lines += [
        "## 来源 Sources", "",
        "`national:YYYY`：全国《政府收支分类科目》该年度版本；印出 printed：印出该代码及该名称的语料、种子或参考文件，由 "
        "`tools/classification_sources.py` 从文件文字中提取（[printed_codes.csv](../../schema/codelists/printed_codes.csv)，"
        "各文件见 [printed_documents.csv](../../schema/codelists/printed_documents.csv)）；`local:`：地方细化科目；"
        "`uncertain`：未能核实。 `national:YYYY`: the national edition of that year; printed: a corpus, seed or reference "
        "document printing the code with that name, extracted from the documents' text by `tools/classification_sources.py`; "
        "`local:`: a local sub-code; `uncertain`: not verified.", "",
        md_table(["来源 source", "行数 rows"], [[f"`{s}`", str(n)] for s, n in sorted(national.items())]), "",
        md_table(["印出文件 printed in", "发布单位 publisher", "地区 region", "年度 year", "阶段 stage", "出处 origin", "行数 rows"],
                 [[f"`{name}`", known.get(name, {}).get("publisher", ""), known.get(name, {}).get("region", ""),
                   known.get(name, {}).get("year", ""), known.get(name, {}).get("stage", ""),
                   known.get(name, {}).get("origin", ""), str(n)] for name, n in sorted(printed.items())]), "",
        "## 全部行 All rows", "",
    ]
    return lines


def year_page(title: str, list_id: str, rows: list[dict[str, str]], year: int, note: str) -> str:
    """The Markdown page of the list valid in `year`: every code with its name that year, level,
    parent, whether it is confirmed and its sources in words."""
    known = documents()
    current = sorted((row for row in rows if in_year(row, year)), key=lambda row: row["code"])
    confirmed = sum(1 for row in current if row.get("confirmed", "true") != "false")
    others = " · ".join(f"[{y}]({y}.md)" if y != year else f"**{y}**" for y in range(FIRST_YEAR, LAST_YEAR + 1))
    table = [[f"`{row['code']}`", row["name"], row.get("level", ""), row.get("parent", ""), row.get("confirmed", ""),
              source_text(row.get("source", ""), known, year)] for row in current]
    return "\n".join([
        note, "", f"# {title} {year} `{list_id}`", "",
        f"{year} 年度有效的代码：{len(current)} 个，已核实 {confirmed} 个。未核实（`confirmed=false`）的行校验时视为未知。"
        f" The codes valid in {year}: {len(current)}, {confirmed} confirmed; unconfirmed rows are treated as unknown.", "",
        f"年度 years: {others} · [全部年度 all years](../{list_id}.md)", "",
        md_table(["code", "名称 name", "级 level", "上级 parent", "confirmed", "依据 sources"], table), "",
    ])


def years() -> range:
    """The budget years that get a page of their own."""
    return range(FIRST_YEAR, LAST_YEAR + 1)
