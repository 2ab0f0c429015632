"""The by-year sections of a year-versioned code list's reference page (the classifications):
how many codes each budget year has and how many are confirmed, what changed from one year to
the next (codes added, renamed, retired), and the sources the rows rest on."""
from __future__ import annotations

from collections import Counter

from .common import md_table

FIRST_YEAR, LAST_YEAR = 2018, 2026


def in_year(row: dict[str, str], year: int) -> bool:
    return int(row.get("from_year") or 0) <= year <= int(row.get("to_year") or 9999)


def year_sections(rows: list[dict[str, str]]) -> list[str]:
    """Markdown lines: the table of years, the changes by year and the sources."""
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    summary, changes = [], []
    previous: dict[str, str] = {}
    for year in years:
        current = {row["code"]: row for row in rows if in_year(row, year)}
        confirmed = sum(1 for row in current.values() if row.get("confirmed", "true") != "false")
        added = sorted(code for code in current if code not in previous) if year > FIRST_YEAR else []
        retired = sorted(code for code in previous if code not in current)
        renamed = sorted(code for code in current if code in previous and previous[code] != current[code]["name"])
        summary.append([str(year), str(len(current)), str(confirmed), str(len(current) - confirmed),
                        str(len(added)), str(len(renamed)), str(len(retired))])
        for code in added:
            changes.append([str(year), f"`{code}`", "新增 added", current[code]["name"], current[code].get("confirmed", "")])
        for code in renamed:
            changes.append([str(year), f"`{code}`", "更名 renamed", f"{previous[code]} → {current[code]['name']}",
                            current[code].get("confirmed", "")])
        for code in retired:
            changes.append([str(year), f"`{code}`", "停用 retired", previous[code], ""])
        previous = {code: row["name"] for code, row in current.items()}
    sources: Counter = Counter()
    for row in rows:
        for source in {s.split(":")[0] if s.startswith("printed:") else s for s in row.get("source", "").split(";") if s}:
            sources[source] += 1
    printed = Counter(s for row in rows for s in row.get("source", "").split(";") if s.startswith("printed:"))
    lines = [
        "## 按年度 By year", "",
        f"每个预算年度（{FIRST_YEAR}–{LAST_YEAR}）有效的代码数；`confirmed=false` 的行未能由全国版本或公开文件核实，校验时视为未知。"
        " Codes valid in each budget year; rows with `confirmed=false` could not be confirmed against a national edition "
        "or a printed document and are treated as unknown either way.", "",
        md_table(["年度 year", "代码 codes", "已核实 confirmed", "未核实 unconfirmed", "新增 added", "更名 renamed", "停用 retired"], summary), "",
        "## 年度变化 Changes by year", "",
    ]
    if changes:
        lines += [md_table(["年度 year", "code", "变化 change", "名称 name", "confirmed"], changes), ""]
    else:
        lines += ["（无 none）", ""]
    lines += [
        "## 来源 Sources", "",
        "`national:YYYY`：全国《政府收支分类科目》该年度版本；`printed`：印出该代码及该名称的语料、种子或参考文件"
        "（由 `tools/classification_sources.py` 从文件文字中提取，见 `tests/corpus/printed_codes.csv`）；`local:`：地方细化科目；"
        "`uncertain`：未能核实。 `national:YYYY`: the national edition of that year; `printed`: a corpus, seed or reference "
        "document printing the code with that name (extracted from the documents' text by `tools/classification_sources.py`); "
        "`local:`: a local sub-code; `uncertain`: not verified.", "",
        md_table(["来源 source", "行数 rows"], [[f"`{s}`", str(n)] for s, n in sorted(sources.items())]), "",
        md_table(["印出文件 printed in", "行数 rows"], [[f"`{s[len('printed:'):]}`", str(n)] for s, n in sorted(printed.items())]), "",
        "## 全部行 All rows", "",
    ]
    return lines
