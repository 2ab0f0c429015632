"""Metadata from the document itself: unit, year, stage, division, money unit."""
from __future__ import annotations

import re
from collections import Counter

from ..model import Table
from ..standard import load_standard
from .recognise import clean_label, squash

YEAR_STAGE = re.compile(r"((?:19|20)\d{2})\s*年\s*度?\s*(?:[区市县省]级)?\s*(?:部门|单位)?\s*(?:[（(]?单位[）)]?)?\s*(预算|决算)")
UNIT_NAME_LINE = re.compile(r"(?:单位名称|部门（单位）名称|部门\(单位\)名称|部门)\s*[:：]\s*([^\s:：]{4,40})")
ORG_SUFFIX = re.compile(r"^[\u4e00-\u9fff（）()]{2,40}(中心|局|委员会|委|办公室|院|所|站|馆|队|处|会|社|厅|部)$")
TITLE_ORG = re.compile(r"^([\u4e00-\u9fff（）()]{2,40}(?:中心|局|委员会|委|办公室|院|所|站|馆|队|处|会|社|厅|部)(?:（本级）|\(本级\))?)"
                       r"\s*(?:19|20)\d\d\s*年度?\s*(?:部门|单位)?(?:预算|决算)")


def year_and_stage(lines: list[str]) -> tuple[int | None, str | None]:
    """The fiscal year and stage the document title states (2021年部门预算, 2020年度部门决算)."""
    counts: Counter = Counter()
    for text in lines[:60] + lines:
        for match in YEAR_STAGE.finditer(text):
            counts[(int(match.group(1)), "final_accounts" if match.group(2) == "决算" else "budget")] += 1
        if len(counts) and text is lines[min(59, len(lines) - 1)]:
            break
    if not counts:
        return None, None
    (year, stage), _ = counts.most_common(1)[0]
    return year, stage


def unit_name(text_lines: list[str], table_unit_names: list[str]) -> str | None:
    """The unit's name: the one the tables state (单位名称：…), else the document's first title line."""
    names = Counter(clean_label(n) for n in table_unit_names if n and len(n) >= 4)
    for text in text_lines:
        for match in UNIT_NAME_LINE.finditer(text):
            names[clean_label(match.group(1))] += 1
    title_org = next((m.group(0) for m in (ORG_SUFFIX.match(clean_label(t)) for t in text_lines[:10]) if m), None)
    if names:
        best = names.most_common(1)[0][0]
        if title_org and title_org.startswith(best) and len(title_org) > len(best):
            return title_org
        return best
    for text in text_lines[:10]:
        stripped = clean_label(text)
        match = ORG_SUFFIX.match(stripped)
        if match:
            return match.group(0)
    for text in text_lines[:10]:   # a title that names the unit before the year (XX局2026年部门预算情况说明)
        match = TITLE_ORG.match(clean_label(text))
        if match:
            return match.group(1)
    return None


def unit_codes(tables: dict[str, Table], name: str) -> tuple[str | None, str | None, str | None]:
    """Unit code, parent code and parent name from the rows that list units (收入总表 …)."""
    code = parent_code = parent_name = None
    unit_rows = []
    for table in tables.values():
        for row in table.rows:
            unit_code = row.values.get("unit_code")
            label = row.values.get("unit_name") or row.values.get("item")
            if unit_code and label:
                unit_rows.append((str(unit_code), clean_label(str(label))))
    for unit_code, label in unit_rows:
        if squash(label) == squash(name) or squash(name) in squash(label) or squash(label) in squash(name):
            code = unit_code
            break
    if code:
        for unit_code, label in unit_rows:
            if unit_code != code and code.startswith(unit_code):
                parent_code, parent_name = unit_code, label
                break
    return code, parent_code, parent_name


def division(unit: str, full_text: str) -> tuple[str | None, list[str]]:
    """The GB/T 2260 division of the unit, from its name and the document's text."""
    rows = load_standard().codelists["divisions"].rows
    by_code = {row["code"]: row for row in rows}
    candidates = []
    for row in rows:
        if row["level"] != "county" or len(row["name"]) < 2:
            continue
        if row["name"] in unit or row["name"] in full_text:
            chain = ancestors(row, by_code)
            names = [r["name"] for r in chain]
            in_unit = row["name"] in unit
            parents_named = sum(1 for n in names[:-1] if n in unit or n in full_text)
            candidates.append((in_unit, parents_named, full_text.count(row["name"]), row["code"], names))
    if not candidates:
        return None, []
    best = max(candidates)
    if best[1] == 0 and sum(1 for c in candidates if c[0] == best[0]) > 1:
        return None, []
    return best[3], best[4]


def ancestors(row: dict, by_code: dict) -> list[dict]:
    """The chain of code-list rows from the top ancestor down to `row` itself, following each
    row's `parent` code through `by_code` (code -> row of codelists/divisions.csv); stops at a
    parent not listed."""
    chain = [row]
    while chain[0].get("parent") and chain[0]["parent"] in by_code:
        chain.insert(0, by_code[chain[0]["parent"]])
    return chain


def money_unit(tables: dict[str, Table]) -> str:
    """The money unit printed by most of the tables that have rows (each table's `money_unit`);
    元 when none says."""
    counts = Counter(t.money_unit for t in tables.values() if t.money_unit and t.rows)
    return counts.most_common(1)[0][0] if counts else "元"


def division_from_code(code: str, warnings) -> tuple[str | None, list[str]]:
    """A division stated by its code (an input workbook's 填报信息): its names from the code list."""
    rows = load_standard().codelists["divisions"].rows
    by_code = {row["code"]: row for row in rows}
    code = code.strip()
    if code not in by_code:
        warnings.add(f"行政区划代码 {code} is not in the division code list; kept as given")
        return code, []
    return code, [row["name"] for row in ancestors(by_code[code], by_code)]


def assemble(tables: dict, narrative_lines, texts: list[str], source, year: int, stage: str, warnings,
             stated: dict | None = None):
    """The disclosure from its tables and narrative: unit, codes and division read from the
    document, where `stated` (a workbook's metadata sheet) does not give them."""
    from ..model import Disclosure
    from . import narrative
    from .errors import ConversionError

    stated = stated or {}
    name = stated.get("unit_name") or unit_name(texts, [])
    if name is None:
        raise ConversionError(f"{source.filename}: the unit's name was not found (单位名称); 未找到单位名称")
    if "narrative" not in tables:  # (a workbook's record sheet may have given both exactly)
        key_figures = narrative.key_figures_table(narrative_lines)
        if key_figures.rows and "key_figures" not in tables:
            tables["key_figures"] = key_figures
        tables["narrative"] = narrative.narrative_table(narrative_lines)
    code, parent_code, parent_name = unit_codes(tables, name)
    if stated.get("division_code"):
        division_code, division_names = division_from_code(stated["division_code"], warnings)
    else:
        division_code, division_names = division(name, "\n".join(texts))
    if division_code is None:
        warnings.add("administrative division not found from the unit name or the text; 未识别行政区划")
    unit = stated.get("money_unit")
    return Disclosure(
        unit_name=name, unit_code=stated.get("unit_code") or code,
        parent_code=stated.get("parent_code") or parent_code, parent_name=stated.get("parent_name") or parent_name,
        fiscal_year=year, stage=stage, source=source, division_code=division_code, division_names=division_names,
        money_unit=unit if unit in ("元", "万元") else money_unit(tables), tables=tables,
    )
