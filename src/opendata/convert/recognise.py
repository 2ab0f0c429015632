"""Recognising tables, columns and rows from what is printed, using the standard's data:
table titles (codelists/tables.csv aliases), column headers (measures.csv and fields.csv
aliases), total rows (row_types.csv aliases). No list of titles or headers lives here."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..labels import CJK_GAP, clean_label, header_key, squash  # noqa: F401 (the names converters import from here)
from ..money import is_amount
from ..standard import load_standard, split_list

_LEADING_NUMBERING = re.compile(r"^(表[一二三四五六七八九十\d]+[、.．:]?|[一二三四五六七八九十]+[、.．]|\(?[一二三四五六七八九十]+\)|\d+[、.．]|\(\d+\)|（\d+）)")
_TABLE_MARKER = re.compile(r"^\s*(预算\s*\d{1,2}\s*表|表\s*\d{1,2}|表[一二三四五六七八九十]{1,3}[、.．]?)(\s|$)")
_COLUMN_NUMBER = re.compile(r"^(\*+|\(\d+\)|\d{1,2}|栏次|[A-Z])$")

# the labels before the name of the unit a document or table is for (单位名称：…, 预算单位：…)
UNIT_NAME_LABELS = r"部门[（(]单位[)）]名称|预算单位名称|预算主管部门|单位名称|部门名称|预算单位|编制单位|编制部门|部门(?=\s*[:：])"


def is_table_marker(text: str) -> bool:
    """A line such as 预算01表, 表1, 表一、 that numbers a table and says nothing else."""
    match = _TABLE_MARKER.match(text)
    return bool(match) and not text[match.end():].strip()


def is_table_number(text: str) -> bool:
    """A line that is nothing but a table's number with its prefix (公开表一, 预算表 5, 公开01表, 附表1;
    the prefixes are the `marker` words of codelists/title_words.csv), as printed between a title and its table."""
    key = squash(text).rstrip("、.．:：")
    match = _number_pattern().match(key)
    return bool(key) and bool(match) and match.end() == len(key)


@dataclass(frozen=True)
class TitleMatch:
    """A table title recognised: the catalog table id (codelists/tables.csv) and the alias that matched."""
    table_id: str
    alias: str


@lru_cache(maxsize=None)
def title_words(code: str) -> tuple[str, ...]:
    """The words of codelists/title_words.csv of kind `code`, longest first."""
    for row in load_standard().codelists["title_words"].rows:
        if row["code"] == code:
            return tuple(sorted(split_list(row["words"], "|"), key=len, reverse=True))
    raise KeyError(f"title_words.csv has no kind {code!r}")


_PART = re.compile(r"^第[一二三四五六七八九十\d]+部分")   # 第二部分 部门预算表: a part of the document, not a table
_WHOLE_TITLE_ONLY = 4   # an alias key shorter than this (支出表 from 支出决算表) must be the whole title
_BRACKETS = re.compile(r"\([^()]*\)")
_META_TAIL = re.compile(r"(编制单位|金额单位|单位名称|部门名称|部门|单位)[:：].*$")
_CONTENTS_LINE = re.compile(r"(\.{3,}|…{2,}|·{3,}|-{4,})|\s\d{1,3}\s*$")


def _number_pattern() -> re.Pattern:
    prefixes = "|".join(map(re.escape, title_words("marker")))
    number = r"(?:\d+(?:-\d{1,2}(?!\d))?|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"   # 表七一般… is 表七 + 一般; 表14-1 a part of 表14
    return re.compile(rf"^表{number}|(?:{prefixes})表{number}|(?:{prefixes})\d{{1,2}}表")


def _drop_words(key: str) -> str:
    for word in title_words("filler") + title_words("function") + title_words("economic"):
        key = key.replace(word, "")
    return re.sub(r"[、,.．:：;；\-—_/]", "", key)


@lru_cache(maxsize=4096)
def title_key(text: str) -> tuple[str, str]:
    """A printed title line -> (key, qualifiers): the squashed title without what follows 部门： /
    单位：, the year (2022年, 2022), the table number (表1, 公开表一, 预算表 5, 预算01表), leading
    numbering (五、), bracketed qualifiers, filler and classification words (codelists/title_words.csv);
    the qualifiers are the bracketed parts and classification words, kept to check the
    classification a title names."""
    spaced = re.sub(rf"({_number_pattern().pattern})\s", " ", text.strip())   # 公开表七 一般…: the space ends the number
    key = _META_TAIL.sub("", squash(spaced))
    key = re.sub(r"(19|20)\d{2}(年度|年)?", "", key)
    key = _number_pattern().sub("", key)
    key = _LEADING_NUMBERING.sub("", key)
    qualifiers = "".join(_BRACKETS.findall(key)) + "".join(w for w in title_words("function") + title_words("economic") if w in key)
    key = _BRACKETS.sub("", key)
    return _drop_words(key), qualifiers


@lru_cache(maxsize=None)
def _title_aliases() -> list[tuple[str, str]]:
    standard = load_standard()
    pairs = {(_drop_words(_BRACKETS.sub("", squash(alias))), table.code) for table in standard.tables.values() for alias in table.aliases}
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))


def _keyed_by_agrees(table_id: str, title: str) -> bool:
    """A title naming a classification (按功能科目分, 经济科目) names a table keyed by it."""
    keyed_by = load_standard().tables[table_id].keyed_by
    for code in ("function", "economic"):
        if any(word in title for word in title_words(code)) and code not in keyed_by:
            return False
    return True


def is_contents_line(text: str) -> bool:
    """A line of a contents page (目录): dot leaders, or a title followed by its page number."""
    return bool(_CONTENTS_LINE.search(text.strip()))


_NOTE_START = re.compile(r"^(注|备注|说明)\s*[:：\d]")   # 注：1.“机关运行经费”指…: a note under a table, naming it


def _not_a_title(key: str, text: str) -> bool:
    return (not key or bool(_NOTE_START.match(key)) or len(key) > 60 or "。" in key or "," in key or "；" in key or "说明" in key or key.startswith("关于") or "详见" in key or "下表" in key
            or "见附件" in key or is_contents_line(text))


def match_title(text: str) -> TitleMatch | None:
    """The catalog table a title line names, or None. Titles are compared after `title_key`
    (year, table number, numbering, brackets and filler words dropped), so 表1 2022年部门综合预算收支总表
    and 收支预算总表 公开表一 both name income_expenditure_summary. Narrative sentences and headings
    about a table (关于收支总表的说明), contents lines (收支总表……3) and a title whose classification
    (（按经济分类科目分）) is not the one the table is keyed by are not titles."""
    if _not_a_title(squash(text), text):
        return None
    key, qualifiers = title_key(text)
    for alias, table_id in _title_aliases():
        if alias and alias in key and (len(alias) >= _WHOLE_TITLE_ONLY or alias == key) and not _qualified(key, alias, table_id):
            if key[:key.index(alias)].endswith(title_words("part")) and not alias.startswith(title_words("part")):
                continue   # 基本支出总表 is not the 支出总表
            rest = key.replace(alias, "", 1)
            if len(rest) <= 40 and _keyed_by_agrees(table_id, key + qualifiers):
                return TitleMatch(table_id, alias)
    return None


def _qualified(key: str, alias: str, table_id: str) -> bool:
    """Is the alias qualified by the words printed before it into the name of another amount
    (基本 + 支出总表 reads 基本支出 总表, not 支出总表)? True when the header word of a part of
    expenditure (`_measure_words`) starts before the alias and ends inside it, in the title of a
    money table (a project's performance form, 某专项 + 项目绩效目标表, stays one)."""
    if load_standard().tables[table_id].kind != "money":
        return False
    at = key.index(alias)
    for word in _measure_words():
        start = key.find(word, max(0, at - len(word) + 1))
        if 0 <= start < at < start + len(word) <= at + len(alias):
            return True
    return False


@lru_cache(maxsize=None)
def _measure_words() -> set[str]:
    """Header words of the parts of expenditure (children in the expenditure tree of
    codelists/measure_tree.csv: 基本支出, 项目支出 …), which name a table of their own."""
    parts = {child for row in load_standard().codelists["measure_tree"].rows if row["tree"] == "expenditure"
             for child in split_list(row["children"], " ")}
    return {part for pattern, code in measure_patterns() if code in parts
            for part in pattern if len(part) >= 4 and "*" not in part}


def unlisted_title(text: str) -> str | None:
    """A line that reads as the title of a table outside the catalog (财政拨款结转资金支出表,
    基本支出明细表（按功能科目分））: short, ending in 表 once year, number, brackets and meta
    (单位：元) are dropped, no sentence or contents line; not a heading of a part (第二部分 …) or of the set of tables (collection words). Returns the title as printed, else None. A narrative sentence ending on a
    pointer to the table below (title_words `pointer`: …的单位详细情况见下表：) returns its subject
    (…的单位) when that is a short phrase, else None.
    Use only where `match_title` found nothing and table rows stand near (`segment.confirmed`)."""
    squashed = squash(text)
    pointer = next((w for w in title_words("pointer") if squashed.rstrip(":：。.").endswith(w)), None)
    if pointer:   # …的单位详细情况见下表： — a sentence pointing to the table: its subject names the table
        subject = squashed.rstrip(":：。.")[:-len(pointer)].rstrip("的")
        return subject if 4 <= len(subject) <= 40 and not re.search(r"[，,。；;:：]", subject) else None
    if _not_a_title(squashed, text) or "注" in squashed[:2]:
        return None
    key, _ = title_key(text)
    if len(key) < 4 or len(key) > 40 or not key.endswith("表") or squashed.endswith(title_words("collection")) or re.search(r"\d", key) or _PART.match(squashed):
        return None
    return text.strip("\t ")


# -- column headers ----------------------------------------------------------

@lru_cache(maxsize=None)
def measure_patterns() -> list[tuple[tuple[str, ...], str]]:
    """(header-key path, measure id) of every alias of codelists/measures.csv: an alias
    '本年拨款/一般公共预算' is a path of two header keys; a part may start or end with * (a
    suffix or prefix match). Read once."""
    patterns = []
    for measure in load_standard().measures.values():
        for alias in measure.aliases:
            patterns.append((tuple(header_key(part) for part in alias.split("/")), measure.code))
    return patterns


@lru_cache(maxsize=None)
def _dimension_aliases() -> dict[str, str]:
    aliases = {}
    for spec in load_standard().fields.values():
        for alias in spec.header_aliases:
            aliases.setdefault(header_key(alias), spec.name)
    return aliases


def segment_matches(pattern: str, segment: str) -> bool:
    """True when header key `segment` matches one part of an alias: `*x` matches a key ending in x,
    `x*` one starting with x, otherwise the key must equal it."""
    if pattern.startswith("*"):
        return segment.endswith(pattern[1:])
    if pattern.endswith("*"):
        return segment.startswith(pattern[:-1])
    return segment == pattern


def match_measure(path: list[str], allowed: set[str] | None = None) -> str | None:
    """The measure a column's header path names: the alias matching the longest suffix of
    the path wins (上年结转结余/一般公共预算 beats 一般公共预算)."""
    keys = [header_key(part) for part in path if header_key(part)]
    best, best_len = None, 0
    for pattern, code in measure_patterns():
        n = len(pattern)
        if n > len(keys) or n <= best_len:
            continue
        if allowed is not None and code not in allowed:
            continue
        if all(segment_matches(p, s) for p, s in zip(pattern, keys[-n:])):
            best, best_len = code, n
    return best


def match_dimension(path: list[str]) -> str | None:
    """The dimension field a column's header names (the deepest header that names one)."""
    aliases = _dimension_aliases()
    for part in reversed(path):
        key = header_key(part)
        if key in aliases:
            return aliases[key]
    return None


_NUMBERED = re.compile(r"^([一二三四五六七八九十]+[、.．]|\(?[一二三四五六七八九十\d]+\)|\d+[、.．])")
_CODE_LIKE = re.compile(r"^\d{3,}(?!\d*年)")
_YEAR_HEADING = re.compile(r"^(19|20)\d{2}年度?$")   # 2021年 heading a group of columns (2020年 | 2021年 | 增减变化情况)


def relative_year(text: str) -> int:
    """How a column heading names its year relative to the document's: 2 for this year's words (当年), 1 for the year
    before's (上年; codelists/title_words.csv kinds this_year and previous_year), else 0."""
    key = header_key(text)
    return 2 if key in title_words("this_year") else 1 if key in title_words("previous_year") else 0


def is_column_number(text: str) -> bool:
    """True for a column-number cell (header key `*`, `(1)`, 1-2 digits, 栏次 or a capital letter)."""
    return bool(_COLUMN_NUMBER.match(header_key(text)))


def is_header_word(text: str) -> bool:
    """Could this cell be part of a column header? Numbered labels (一、…, 1、…), codes and
    amounts are row content, never header words."""
    key = header_key(text)
    if not key or _COLUMN_NUMBER.match(key) or key in ("收入", "支出", "资金来源", "本年收入", "本年支出"):
        return True
    if _NUMBERED.match(squash(text)) or _CODE_LIKE.match(key) or is_amount(key):
        return False
    if key in _dimension_aliases() or match_measure([key]) is not None or key in _header_group_words() or relative_year(key) \
            or _YEAR_HEADING.match(key):
        return True
    return len(key) <= 16 and any(len(word) >= 4 and word in key for word in _header_vocabulary())


def is_row_content(text: str) -> bool:
    """True for a cell that belongs to a table's rows, never to its header: an amount, a
    code (3 or more digits) or a numbered label (一、…, (一), 1、…)."""
    key = header_key(text)
    return bool(key) and bool(_NUMBERED.match(squash(text)) or _CODE_LIKE.match(key) or is_amount(key))


@lru_cache(maxsize=None)
def _header_vocabulary() -> set[str]:
    return set(_dimension_aliases()) | _header_group_words()


@lru_cache(maxsize=None)
def _header_group_words() -> set[str]:
    """Words of multi-part aliases (本年拨款 in 本年拨款/一般公共预算) that head column groups."""
    words = set()
    for pattern, _ in measure_patterns():
        words.update(p.strip("*") for p in pattern)
    return words


# -- rows ----------------------------------------------------------------------

@lru_cache(maxsize=None)
def _row_type_aliases() -> dict[str, str]:
    aliases = {}
    for row in load_standard().codelists["row_types"].rows:
        for alias in split_list(row.get("aliases", ""), "|"):
            aliases[header_key(alias)] = row["code"]
    return aliases


def row_type_for(label: str) -> str:
    """The row type (codelists/row_types.csv code) a row's label names, leading numbering
    removed: total or subtotal for the aliases listed there (合计, 总计 …), else item."""
    key = _LEADING_NUMBERING.sub("", header_key(label))
    return _row_type_aliases().get(key, "item")


def looks_like_amount(text: str) -> bool:
    """True when `text` reads as a printed amount (`money.is_amount`)."""
    return is_amount(text)
