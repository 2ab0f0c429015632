"""Metadata from the document itself: unit, year, stage, money unit; level, consolidation,
government level and division through `scope`."""
from __future__ import annotations

import re
from collections import Counter
from contextvars import ContextVar
from pathlib import Path

from ..model import Table
from ..standard import load_standard
from . import scope
from .recognise import UNIT_NAME_LABELS as LABELS, clean_label, squash

YEAR_STAGE = re.compile(r"((?:19|20)\d{2})\s*年\s*度?\s*(?:[区市县省]级)?\s*(?:部门|单位)?\s*(?:[（(]?单位[）)]?)?\s*(预算|决算)")
UNIT_NAME_LINE = re.compile(r"(?:单位名称|部门（单位）名称|部门\(单位\)名称|部门)\s*[:：]\s*([^\s:：]{4,40})")
ORG_SUFFIX = re.compile(r"^[\u4e00-\u9fff（）()]{2,40}(中心|局|委员会|委|办公室|院|所|站|馆|队|处|会|社|厅|部)$")


UNIT_LABEL = re.compile(rf"(?:^|(?<=\s))({LABELS})\s*([:：]?)\s*([\u4e00-\u9fff][\u4e00-\u9fff（）()]{{1,60}})")
ORG_END = re.compile(r"(中心|局|委员会|委|办公室|办事处|办|院|所|站|馆|队|处|会|社|厅|部|校|署|园|室|团|台|场|厂|公司|集团|组|庭|宫|司|政府|法院|检察院)$")
PLACE_END = re.compile(r"[省市区县镇乡州旗]$")
NOT_A_NAME = re.compile(r"预算|决算|合计|金额|名称|单位：|构成|包括|情况|表$")
TITLE = re.compile(r"^\s*([\u4e00-\u9fff][\u4e00-\u9fff（）()]{1,60}?)\s*(?:[（(]单位[)）])?\s*((?:19|20)\d{2})\s*年\s*度?\s*(?:部门|单位)?\s*(?:汇总)?\s*(预算|决算)")
TABLE_YEAR_STAGE = re.compile(r"((?:19|20)\d{2})\s*年\s*度?[\u4e00-\u9fff“”\"（）()]{0,30}?(预算|决算)[\u4e00-\u9fff“”\"（）()]{0,20}表")
STAGE_MARKER = re.compile(r"^\s*(预算|决算)\s*\d{1,2}(?:\s*[-—－]\s*\d{1,2})?\s*表")
YEAR_LINE = re.compile(r"^\s*[（(]?\s*((?:19|20)\d{2})\s*年\s*度?\s*[)）]?\s*$")
YEAR_FIRST_TITLE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*度?\s*([\u4e00-\u9fff（）()]{2,60})\s*$")
TITLE_TAILS = [re.compile(r"(?:信息)?公开$"), re.compile(r"(?:预算|决算|预|决)$"), re.compile(r"汇总$"),
               re.compile(r"(?:部门|单位|部|单)$")]
NAME_ALONE = re.compile(r"^[\u4e00-\u9fff（）()]{3,60}$")
PART_PREFIX = re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+[、.．])\s*")
STAGES = {"预算": "budget", "决算": "final_accounts"}


def year_and_stage(lines: list[str]) -> tuple[int | None, str | None]:
    """The fiscal year and stage the document title states (2021年部门预算, 2020年度部门决算)."""
    year, stage, _ = find_year_and_stage(lines)
    return year, stage


def find_year_and_stage(lines: list[str]) -> tuple[int | None, str | None, str | None]:
    """Year, stage and where they were found ("title line N"): the title's 2021年部门预算 /
    2020年度部门决算 (the form most lines state, the first 60 lines first), else a table title
    (2018年政府采购预算表); (None, None, None) when neither is printed."""
    counts: Counter = Counter()
    first: dict = {}
    for pattern, kind in ((YEAR_STAGE, "title"), (TABLE_YEAR_STAGE, "table title")):
        for number, text in list(enumerate(lines[:60], 1)) + list(enumerate(lines, 1)):
            for match in pattern.finditer(text):
                key = (int(match.group(1)), STAGES[match.group(2)])
                counts[key] += 1
                first.setdefault(key, f"{kind} line {number}")
            if counts and number == min(60, len(lines)):
                break
        if counts:
            (year, stage), _ = counts.most_common(1)[0]
            return year, stage, first[(year, stage)]
    return None, None, None


def year_or_stage_alone(lines: list[str]) -> tuple[int | None, str | None, str | None, str | None]:
    """A year and a stage printed apart, each with where: a line that prints only a year
    (（2026年度）), and the stage of numbered table titles (预算01表 收支总表) — the most
    frequent of each."""
    years: Counter = Counter()
    stages: Counter = Counter()
    where: dict = {}
    for number, text in enumerate(lines, 1):
        match = YEAR_LINE.match(text)
        if match:
            years[int(match.group(1))] += 1
            where.setdefault(("year", int(match.group(1))), f"year line {number}")
        match = STAGE_MARKER.match(text)
        if match:
            stages[STAGES[match.group(1)]] += 1
            where.setdefault(("stage", STAGES[match.group(1)]), f"table title line {number}")
    year = years.most_common(1)[0][0] if years else None
    stage = stages.most_common(1)[0][0] if stages else None
    return year, stage, where.get(("year", year)), where.get(("stage", stage))


def from_file_name(filename: str) -> tuple[str | None, int | None, str | None]:
    """Unit name, year and stage a file name states (2026年某某局_部门预算.pdf), as a last resort."""
    stem = Path(filename).stem.replace("_", "").replace(" ", "")
    match = TITLE.match(stem)
    name = match.group(1) if match and is_org_name(match.group(1), strict=True) else None
    if name is None:
        match = re.match(r"^((?:19|20)\d{2})年度?([\u4e00-\u9fff（）()]{2,60}?)(?:部门|单位)?(?:预算|决算)", stem)
        if match and is_org_name(match.group(2), strict=True):
            name = match.group(2)
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", stem)
    year = int(years[0]) if len(set(years)) == 1 else None
    stages = {STAGES[s] for s in re.findall(r"预算|决算", stem)}
    stage = stages.pop() if len(stages) == 1 else None
    return name, year, stage


BRACKET_NOTE = re.compile(r"[（(][^（）()]*[)）]")


def is_org_name(name: str, strict: bool = False) -> bool:
    """Whether `name` reads as the name of a body (ends as an organisation does: 局, 中心,
    委员会 …, a bracketed note such as （本级） aside); never a bare place (上海市). Without
    `strict` (a name after a label and a colon) any such name that is not a place will do."""
    core = re.sub(BRACKET_NOTE.pattern + "$", "", name)
    if len(core) < 3 or NOT_A_NAME.search(core) or PLACE_END.search(core):
        return False
    return bool(ORG_END.search(core)) or not strict


def labelled_name(match, lines: list[str], number: int) -> str | None:
    """The name after a label, completed by the next line when it breaks inside brackets."""
    name = match.group(3)
    if name.count("（") + name.count("(") > name.count("）") + name.count(")"):
        follow = re.match(r"^\s*([\u4e00-\u9fff]{0,30}[）)])", lines[number] if number < len(lines) else "")
        name = name + follow.group(1) if follow else re.split(r"[（(]", name)[0]
    name = clean_label(name)
    return name if is_org_name(name, strict=not match.group(2)) else None


def find_unit_name(text_lines: list[str], table_unit_names: list[str]) -> tuple[str | None, str | None]:
    """The unit's name and where it was found: the name a label states (单位名称, 部门名称,
    预算单位, 编制单位, 编制部门, 预算主管部门, 部门（单位）名称, with a full-width, ASCII or no
    colon) most often — "label 单位名称 line 3" — else the title (国家信访局2026年度部门预算,
    or a first line that is the name alone) — "title line 1"; (None, None) when none is printed.
    A title that extends the labelled name (its full form) is preferred, unless it only adds a
    bracketed note (长春市信访局（本级）: the scope, recorded as `consolidated`)."""
    names = Counter(clean_label(n) for n in table_unit_names if n and len(n) >= 4)
    where = {clean_label(n): "table" for n in table_unit_names if n and len(n) >= 4}
    for number, text in enumerate(text_lines, 1):
        for match in UNIT_LABEL.finditer(text):
            name = labelled_name(match, text_lines, number)
            if name:
                names[name] += 1
                where.setdefault(name, f"label {clean_label(match.group(1))} line {number}")
    title_org = title_where = None
    for number, text in enumerate(text_lines[:10], 1):
        title = title_name(text)
        if title:
            title_org, title_where = title, f"title line {number}"
            break
    if names:
        best = names.most_common(1)[0][0]
        if title_org and title_org.startswith(best) and len(title_org) > len(best) and not BRACKET_NOTE.fullmatch(
                title_org[len(best):]):  # a note such as （本级） is the scope, not a fuller name
            return title_org, title_where
        return best, where[best]
    return title_org, title_where


def title_name(text: str) -> str | None:
    """The unit a title line names: the line is the name alone (福州市某某局(本级)), or the name
    before or after the year and stage (国家信访局2026年度部门预算, 2026年烟台市审计局部门预算);
    a part heading before it (第二部分) aside."""
    stripped = PART_PREFIX.sub("", clean_label(text))
    candidates = [stripped] if NAME_ALONE.match(stripped) else []
    match = TITLE.match(stripped)
    if match:
        candidates.append(clean_label(match.group(1)))
    match = YEAR_FIRST_TITLE.match(stripped)
    if match:  # the words after the name, perhaps cut by a line break (…局部 / 门预算): the shortest reading first
        rest, readings = match.group(2), [match.group(2)]
        for tail in TITLE_TAILS:
            rest = tail.sub("", rest)
            readings.append(rest)
        candidates.extend(reversed(readings))
    return next((name for name in candidates if is_org_name(name, strict=True)), None)


def unit_name(text_lines: list[str], table_unit_names: list[str]) -> str | None:
    """The unit's name the document prints (see `find_unit_name`), else None."""
    return find_unit_name(text_lines, table_unit_names)[0]


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


def government_level(code: str | None) -> str | None:
    """The government level of a division code of codelists/divisions.csv (province ->
    provincial, prefecture -> municipal, county -> county); None for a code not listed."""
    row = next((r for r in load_standard().codelists["divisions"].rows if r["code"] == code), None)
    return scope.GOVERNMENT_LEVELS.get(row["level"]) if row else None


GIVEN: ContextVar[dict] = ContextVar("given_metadata", default={})
"""Metadata the user supplies (`convert --unit-name/--year/--stage`): unit_name, fiscal_year,
stage; set by `convert.convert_file` around one conversion, and preferred to what is found."""


def resolve(texts: list[str], source, warnings, year: int | None = None, stage: str | None = None,
            where: str | None = None, stated: dict | None = None) -> tuple[str | None, int | None, str | None, dict]:
    """Unit name, fiscal year and stage with where each came from (the descriptor's
    `metadataSources`): a value given as an option ("option"), the workbook's metadata sheet
    ("metadata sheet"), the document (`where`: "label 单位名称 line 3", "title line 1",
    "table title line 40" …), the file name ("file name"), else "missing" with a warning."""
    given = GIVEN.get()
    stated = stated or {}
    name, name_where = find_unit_name(texts, [])
    if stated.get("unit_name"):
        name, name_where = stated["unit_name"], "metadata sheet"
    if year is None and stage is None:
        year, stage, where = find_year_and_stage(texts)
    year_where = stage_where = where
    if year is None or stage is None:
        alone_year, alone_stage, alone_year_where, alone_stage_where = year_or_stage_alone(texts)
        if year is None and alone_year is not None:
            year, year_where = alone_year, alone_year_where
        if stage is None and alone_stage is not None:
            stage, stage_where = alone_stage, alone_stage_where
    file_name, file_year, file_stage = from_file_name(source.filename)
    found = {"unitName": (name, name_where), "fiscalYear": (year, year_where), "stage": (stage, stage_where)}
    for key, value, option in (("unitName", file_name, "unit_name"), ("fiscalYear", file_year, "fiscal_year"),
                               ("stage", file_stage, "stage")):
        if given.get(option) is not None:
            found[key] = (given[option], "option")
        elif found[key][0] is None and value is not None:
            found[key] = (value, "file name")
    messages = {"unitName": "the unit's name was not found (单位名称); give it with --unit-name. 未找到单位名称",
                "fiscalYear": "no fiscal year found (such as 2021年部门预算); give it with --year. 未找到年度",
                "stage": "no stage (预算/决算) found; give it with --stage. 未找到预算/决算阶段"}
    sources = {}
    for key, (value, found_where) in found.items():
        if value is None:
            warnings.add(messages[key])
        sources[key] = found_where if value is not None else "missing"
    return found["unitName"][0], found["fiscalYear"][0], found["stage"][0], sources


def assemble(tables: dict, narrative_lines, texts: list[str], source, year: int | None, stage: str | None, warnings,
             stated: dict | None = None, where: str | None = None):
    """The disclosure from its tables and narrative: unit, codes and division read from the
    document, where `stated` (a workbook's metadata sheet) does not give them. Unit name, year
    and stage come from `resolve` (`year`/`stage` as found in the document, at `where`); what is
    not found is None, with a warning, and recorded as "missing" in `Disclosure.metadata_sources`."""
    from ..model import Disclosure
    from . import narrative
    from .table_rows import warn_unnamed_rows
    stated = stated or {}
    name, year, stage, sources = resolve(texts, source, warnings, year, stage, where, stated)
    if "narrative" not in tables:  # (a workbook's record sheet may have given both exactly)
        key_figures = narrative.key_figures_table(narrative_lines)
        if key_figures.rows and "key_figures" not in tables:
            tables["key_figures"] = key_figures
        tables["narrative"] = narrative.narrative_table(narrative_lines)
    warn_unnamed_rows(tables, warnings)
    code, parent_code, parent_name = unit_codes(tables, name) if name else (None, None, None)
    place = scope.division_and_level(name, texts, warnings)
    division_code, division_names = place["code"], place["names"]
    if stated.get("division_code"):
        division_code, division_names = division_from_code(stated["division_code"], warnings)
        place.update(division="metadata sheet", level="metadata sheet", governmentLevel=government_level(division_code))
    if division_code is None and place["governmentLevel"] != "central":
        warnings.add("administrative division not found in the unit name or the title; 未识别行政区划")
    level, level_where = scope.disclosure_level(texts)
    consolidated, consolidated_where = scope.consolidation(texts, name, level)
    sheet = scope.from_sheet(stated)
    level, level_where = (sheet["level"], "metadata sheet") if "level" in sheet else (level, level_where)
    if "consolidated" in sheet:
        consolidated, consolidated_where = sheet["consolidated"], "metadata sheet"
    if "government_level" in sheet:
        place.update(governmentLevel=sheet["government_level"], level="metadata sheet")
    sources.update(level=level_where or "missing", consolidated=consolidated_where or "not stated",
                   governmentLevel=place["level"], division=place["division"])
    unit = stated.get("money_unit")
    return Disclosure(
        unit_name=name, unit_code=stated.get("unit_code") or code,
        parent_code=stated.get("parent_code") or parent_code, parent_name=stated.get("parent_name") or parent_name,
        fiscal_year=year, stage=stage, source=source, division_code=division_code, division_names=division_names,
        level=level, consolidated=consolidated, government_level=place["governmentLevel"],
        money_unit=unit if unit in ("元", "万元") else money_unit(tables), tables=tables, metadata_sources=sources,
    )
