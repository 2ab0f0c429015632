"""Who a disclosure covers (issue #11): a department's or one unit's, consolidated with its
subordinate units or its own level only, the government level and the administrative division —
read from the unit's own name and the document's title and cover, never from a place the
narrative merely mentions. The words come from codelists/disclosure_words.csv."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..standard import load_standard

COVER_LINES = 10
"""The first lines of a document read as its cover and title (places, 本级/汇总 marks)."""
GOVERNMENT_LEVELS = {"province": "provincial", "prefecture": "municipal", "county": "county"}
NUMERALS = {"零": 0, "〇": 0, "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SHEET_WORDS = {"level": {"department": "部门", "unit": "单位"}, "consolidated": {True: "汇总", False: "本级"},
               "government_level": {"central": "中央", "provincial": "省级", "municipal": "市级", "county": "县级"}}
"""How the input workbook's 填报信息 sheet writes level, consolidation and government level."""
SHORT_SUFFIX = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市)$")


def words(kind: str) -> str:
    """A regular-expression alternation of the words of `kind` (codelists/disclosure_words.csv)."""
    return "|".join(re.escape(w) for w in sorted(load_standard().disclosure_words(kind), key=len, reverse=True))


def number(text: str) -> int | None:
    """An integer printed in digits (12) or Chinese numerals up to 99 (十二, 一, 二十三); None otherwise."""
    if text.isdigit():
        return int(text)
    if text and all(c in NUMERALS or c == "十" for c in text):
        if "十" not in text:
            return NUMERALS[text] if len(text) == 1 else None
        tens, _, ones = text.partition("十")
        return (NUMERALS.get(tens, 1) if tens else 1) * 10 + (NUMERALS.get(ones, 0) if ones else 0)
    return None


class Squashed:
    """The document's lines joined with all white space removed (a statement broken across lines
    reads whole), and the 1-based line each character came from (`line(offset)`)."""

    def __init__(self, lines: list[str]):
        parts, self.starts, offset = [], [], 0
        for text in lines:
            part = re.sub(r"\s+", "", text)
            self.starts.append(offset)
            parts.append(part)
            offset += len(part)
        self.text = "".join(parts)

    def line(self, offset: int) -> int:
        """The 1-based line holding character `offset` of `text`."""
        return bisect.bisect_right(self.starts, offset)


def from_sheet(stated: dict) -> dict:
    """Level, consolidated and government level as the workbook's 填报信息 sheet states them
    (部门 / 单位, 汇总 / 本级, 中央 / 省级 / 市级 / 县级; see `SHEET_WORDS`): key -> value, only
    those given and understood."""
    found = {}
    for key, values in SHEET_WORDS.items():
        text = str(stated.get(key) or "").strip()
        found.update({key: value for value, word in values.items() if text == word})
    return found


# -- department or unit ------------------------------------------------------------------------

def disclosure_level(lines: list[str]) -> tuple[str | None, str | None]:
    """"department" (部门预算, 部门决算 …) or "unit" (单位预算 …) and where ("title line 1",
    "text line 80"): the words the cover and title (the first 60 lines) print most often, else
    the first in the text; (None, None) when neither is printed. 单位预算 after 下属 / 所属 /
    事业 / 基层 names a part of a department's budget and does not count. Without such words, the
    first label before a name (部门：, 预算单位：) — "label 部门 line 5"."""
    pattern = re.compile(rf"({words('department')})|(?<![属业层])({words('unit')})")
    for scope, kind in ((lines[:60], "title"), (lines, "text")):
        counts = {"department": 0, "unit": 0}
        first: dict[str, int] = {}
        for number_, text in enumerate(scope, 1):
            for match in pattern.finditer(re.sub(r"\s+", "", text)):
                level = "department" if match.group(1) else "unit"
                counts[level] += 1
                first.setdefault(level, number_)
        if any(counts.values()):
            level = max(counts, key=lambda key: (counts[key], -first.get(key, 0)))
            return level, f"{kind} line {first[level]}"
    label = re.compile(rf"(?:^|\s)(?:({words('department_label')})|({words('unit_label')}))\s*[:：]\s*[\u4e00-\u9fff]")
    for number_, text in enumerate(lines, 1):
        match = label.search(text)
        if match:
            return ("department" if match.group(1) else "unit"), f"label {match.group(1) or match.group(2)} line {number_}"
    return None, None


# -- consolidated or own level only ----------------------------------------------------------------

def consolidation(lines: list[str], unit_name: str | None, level: str | None) -> tuple[bool | None, str | None]:
    """Whether the figures consolidate subordinate units (True), cover the own level only (False)
    or the document does not say (None), with where: the unit name or a cover line marked
    （汇总） / （本级）, else the first statement of the narrative on the units the budget
    includes (…编制范围的预算单位共计 8 家, 下属 5 家预算单位, 本部门预算为汇总预算, 只有本级,
    部门预算为本级预算; for a department also 本部门无下属单位)."""
    mark = re.compile(rf"[（(]\s*({words('consolidated_mark')}|{words('own_level')})\s*[)）]")
    own = load_standard().disclosure_words("own_level")
    for text, where in [(unit_name or "", "unit name")] + [(t, f"title line {n}") for n, t in enumerate(lines[:COVER_LINES], 1)]:
        match = mark.search(re.sub(r"\s+", "", text))
        if match:
            return match.group(1) not in own, where
    squashed = Squashed(lines)
    found = []
    for pattern, judge in statements(level):
        for match in pattern.finditer(squashed.text):
            value = judge(match)
            if value is not None:
                found.append((match.start(), value))
                break
    if not found:
        return None, None
    offset, value = min(found)
    return value, f"text line {squashed.line(offset)}"


def statements(level: str | None) -> list:
    """(pattern, judge) pairs over the squashed text: `judge(match)` is True, False or None."""
    sub, own, none = words("subordinate"), words("own_level"), words("no_subordinates")
    count = r"(\d{1,3}|[一二两三四五六七八九十]{1,3})"

    def counted(least: int):
        def judge(match):
            n = number(match.group(1))
            return None if n is None else n >= least
        return judge

    rules = [
        (rf"编制范围的(?:二级)?预算单位(?:共计|共有|共)?{count}(?:家|个)", counted(2)),
        (rf"(?:{sub}){count}(?:家|个)(?:二级)?预算单位", counted(1)),
        (rf"{count}个(?:{sub})单位", counted(1)),
        (r"编制范围的(?:二级)?预算单位包括", lambda m: True),
        (r"预算为汇总预算", lambda m: True),
        (rf"预算包括.{{0,40}}?(?:{own}).{{0,40}}?(?:{sub})", lambda m: True),
        (rf"纳入.{{0,15}}?预算的(?:{sub})单位", lambda m: True),
        (rf"只有(?:{own})|仅包含.{{0,10}}?(?:{own})|预算为.{{0,2}}(?:{own})预算", lambda m: False),
    ]
    if level == "department":
        rules.append((rf"(?:{none})", lambda m: False))
    return [(re.compile(pattern), judge) for pattern, judge in rules]


# -- government level and division ---------------------------------------------------------------

@lru_cache(maxsize=1)
def division_index() -> tuple[dict, dict, dict]:
    """(by_code, full, short): code -> row of codelists/divisions.csv; full name -> rows; the
    short form of province and prefecture names (江苏, 苏州) -> rows."""
    rows = load_standard().codelists["divisions"].rows
    by_code = {row["code"]: row for row in rows}
    full: dict[str, list] = {}
    short: dict[str, list] = {}
    for row in rows:
        full.setdefault(row["name"], []).append(row)
        if row["level"] in ("province", "prefecture"):
            stem = SHORT_SUFFIX.sub("", row["name"])
            if len(stem) >= 2 and stem != row["name"]:
                short.setdefault(stem, []).append(row)
    return by_code, full, short


def lineage(row: dict, by_code: dict) -> list[str]:
    """The codes from `row` up to its province."""
    codes = [row["code"]]
    while by_code.get(codes[-1], {}).get("parent"):
        codes.append(by_code[codes[-1]]["parent"])
    return codes


def places(text: str, short_at_start: bool = False) -> list[list[dict]]:
    """The division names `text` prints, left to right, each as the code-list rows it may be
    (full names, longest first; a county name of two characters only after its parent's name;
    with `short_at_start` a short province or prefecture name may open the text, after 中共)."""
    by_code, full, short = division_index()
    found, i = [], 0
    start = len(re.match(r"^(?:中共|中国共产党)?", text).group(0))
    while i < len(text):
        match = None
        for length in range(min(12, len(text) - i), 1, -1):
            rows = full.get(text[i:i + length])
            if rows:
                if length == 2:
                    rows = [r for r in rows if r["level"] != "county" or (found and r["parent"] in {p["code"] for p in found[-1]})]
                if rows:
                    match = (length, rows)
                    break
            if short_at_start and i == start and text[i:i + length] in short:
                match = (length, short[text[i:i + length]])
                break
        if match:
            found.append(match[1])
            i += match[0]
        else:
            i += 1
    return found


def narrow(found: list[list[dict]], within: set[str] | None = None) -> list[dict]:
    """The rows the names read together may be: each name within the one before it (上海市 then
    普陀区 is 310107); a name that does not fit is left aside. `within`: codes the result must
    descend from or be, if any of them fit."""
    by_code = division_index()[0]
    candidates: list[dict] = []
    for rows in found:
        if not candidates:
            candidates = list(rows)
            continue
        chosen = {r["code"] for r in candidates}
        inside = [r for r in rows if set(lineage(r, by_code)[1:]) & chosen]
        if inside:
            candidates = inside
    if within and len(candidates) > 1:
        inside = [r for r in candidates if set(lineage(r, by_code)) & within]
        candidates = inside or candidates
    return candidates


def division_and_level(unit_name: str | None, lines: list[str], warnings) -> dict:
    """The unit's division and government level, each with where it was found: the unit's own name
    (上海市普陀区人民政府办公室 -> 310107, county), a county name in it placed by the cover and
    title (普陀区… in a 上海市 title), or for a name with no place (市卫生健康委, 上海科技大学…)
    the cover and title lines; a central body (国家信访局) is central with no division. A county
    name that stays ambiguous gives no division and a warning. Returns code, names (province
    first), governmentLevel and their sources."""
    by_code = division_index()[0]
    name = unit_name or ""
    cover = [(n, t) for n, t in enumerate(lines[:COVER_LINES], 1) if t.strip()]
    context_rows = [narrow(places(re.sub(r"\s+", "", t))) for _, t in cover]
    context = {code for rows in context_rows if len(rows) == 1 for code in lineage(rows[0], by_code)}
    own = places(name, short_at_start=True)
    candidates, where = narrow(own, context), "unit name"
    if not own:
        for (number_, _), rows in zip(cover, context_rows):
            if rows:
                candidates, where = rows, f"title line {number_}"
                break
    result = {"code": None, "names": [], "governmentLevel": None, "division": "missing", "level": "missing"}
    if not candidates:
        if name and re.match(rf"^(?:{words('central')})", name):
            result.update(governmentLevel="central", level="unit name", division="central")
        return result
    levels = {r["level"] for r in candidates}
    if len(levels) == 1:
        result.update(governmentLevel=GOVERNMENT_LEVELS[levels.pop()], level=where)
    if len(candidates) == 1:
        row = candidates[0]
        chain = [by_code[c] for c in reversed(lineage(row, by_code))]
        result.update(code=row["code"], names=[r["name"] for r in chain], division=where)
    else:
        codes = ", ".join(r["code"] for r in candidates[:6])
        warnings.add(f"administrative division ambiguous: {candidates[0]['name']} may be {codes}; "
                     f"not recorded (give the province or city in the title). 行政区划不明确")
    return result
