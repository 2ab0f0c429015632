"""The classification code lists as the code checks (`codes`) read them: one index per list,
the row of a code in a fiscal year, whether that row is confirmed, whether a code is local
(a regional refinement below a national code) and the real codes nearest to a wrong one.

A row whose `confirmed` column is `false` (or whose source is `uncertain`) could not be checked against the national edition
or a printed document: it raises nothing either way. A list is judged complete for a year by
the `complete` column of codelists.csv (`CodeList.complete_in`): only a complete list says a
code it lacks does not exist.
"""
from __future__ import annotations

from difflib import SequenceMatcher

from ..standard import CodeList
from .rules import name_key

# What `status` says of a code in its list.
OK = "ok"  # in the list for the year, confirmed: its name can be compared
UNCONFIRMED = "unconfirmed"  # its row for the year is not confirmed: nothing is said
LOCAL = "local"  # a regional refinement of a national code: not judged
UNJUDGED = "unjudged"  # missing from a list that is not complete for the year: not judged
OTHER_YEARS = "other-years"  # in the list for other years only
UNKNOWN = "unknown"  # not in a list complete for the year


def index(codelist: CodeList) -> dict[str, list[dict]]:
    """The rows of the code list by code (`CodeList.by_code`)."""
    return codelist.by_code


def confirmed(row: dict) -> bool:
    """False when the row's `confirmed` column says false (absent column: confirmed) or its
    `source` marks it `uncertain` (code, name or years not verified)."""
    if "uncertain" in [part.strip() for part in (row.get("source") or "").split(";")]:
        return False
    return (row.get("confirmed") or "true").strip().lower() != "false"


def from_edition(row: dict) -> bool:
    """True when the row rests on a national edition (a `national:YYYY` source), so that its
    `from_year` and `to_year` are the edition's, not only the years of the documents seen."""
    return any(part.strip().startswith("national:") for part in (row.get("source") or "").split(";"))


def year_row(codelist: CodeList, code: str, year: int | None) -> dict | None:
    """The row of `code` valid in fiscal `year` (the first row for an unversioned list or no year)."""
    for row in index(codelist).get(code, ()):
        if year is None or not codelist.year_versioned:
            return row
        if int(row.get("from_year") or 0) <= year <= int(row.get("to_year") or 9999):
            return row
    return None


def year_codes(codelist: CodeList, year: int | None) -> dict[str, str]:
    """Every code of the list valid in `year`, with its name that year."""
    out = {}
    for code in index(codelist):
        row = year_row(codelist, code, year)
        if row is not None:
            out[code] = row.get("name") or row.get("title_zh") or ""
    return out


_MEMO: dict[tuple[int, str], tuple[CodeList, object]] = {}


def _memo(codelist: CodeList, what, compute):
    """`compute(codelist)`, once per code list object."""
    held = _MEMO.get((id(codelist), what.__name__))
    if held is None or held[0] is not codelist:
        held = _MEMO[(id(codelist), what.__name__)] = (codelist, compute(codelist))
    return held[1]


def national_lengths(codelist: CodeList) -> tuple[int, ...]:
    """The digits of the national levels of a classification: the list's `code_lengths` less the
    levels only local rows fill (a level none of whose rows comes from a national edition)."""
    return _memo(codelist, national_lengths, _national_lengths)


def _national_lengths(codelist: CodeList) -> tuple[int, ...]:
    lengths = []
    for length in codelist.code_lengths:
        rows = [r for rows in index(codelist).values() for r in rows if len(r["code"]) == length]
        if any("national" in (r.get("source") or "") for r in rows) or not rows:
            lengths.append(length)
    return tuple(lengths)


def is_local(codelist: CodeList, code: str, year: int | None) -> bool:
    """True when `code` refines a national code of the list with more digits than its national
    levels have (a 7-digit economic sub-code 3020101 under 30201; a 9-digit function sub-code):
    a regional code, not a national one."""
    lengths = national_lengths(codelist)
    if not lengths or not code.isdigit() or len(code) <= max(lengths):
        return False
    parent = code[:max(lengths)]
    return year_row(codelist, parent, year) is not None or (
        not codelist.complete_in(year) and year_row(codelist, code[:min(lengths)], year) is not None)


def first_year(codelist: CodeList) -> int | None:
    """The first fiscal year a versioned list covers (its earliest `from_year`); None when unversioned."""
    return _memo(codelist, first_year, _first_year)


def _first_year(codelist: CodeList) -> int | None:
    if not codelist.year_versioned:
        return None
    years = [int(r["from_year"]) for rows in index(codelist).values() for r in rows if (r.get("from_year") or "").isdigit()]
    return min(years) if years else None


def before_list(codelist: CodeList, year: int | None) -> bool:
    """True when fiscal `year` is before the first year of a versioned list (`first_year`): the
    classification's history before it is out of the list's scope, so nothing is judged."""
    start = first_year(codelist)
    return year is not None and start is not None and year < start


def status(codelist: CodeList, code: str, year: int | None) -> str:
    """What the list says of `code` in fiscal `year`: one of the constants above. A year before
    the list's first year (the classification's history before it is out of its scope) is not
    judged. A code missing from a list not complete for the year is UNKNOWN only when the list's
    类 level is complete and the code is under no 类 of the year or its own level is 00
    (`missing_head`). A code missing
    from the year is OTHER_YEARS only when the list is complete for the year or one of the
    code's rows comes from a national edition (`from_edition`): a code known only from documents
    that print it is not judged outside the rows' years (UNJUDGED)."""
    start = first_year(codelist)
    if year is not None and start is not None and year < start:
        return UNJUDGED
    if is_local(codelist, code, year):
        return LOCAL
    row = year_row(codelist, code, year)
    if row is not None:
        return OK if confirmed(row) else UNCONFIRMED
    rows = index(codelist).get(code, ())
    if rows and not all(confirmed(r) for r in rows):
        return UNCONFIRMED
    if rows and (codelist.complete_in(year) or any(from_edition(r) for r in rows)):
        return OTHER_YEARS
    if rows:
        return UNJUDGED  # known only from documents printing it: the years it is valid are not known
    if not codelist.complete_in(year) and not missing_head(codelist, code, year):
        return UNJUDGED
    return UNKNOWN


def missing_head(codelist: CodeList, code: str, year: int | None) -> bool:
    """True when the list's first level (the 类, its shortest codes) is complete for the year
    (`CodeList.complete_in` with that length) and `code` is not under any 类 of the year — a code
    no edition of the year can have — or is not a code of the list's lengths at all (a malformed
    one). A code of a level's length whose first digit no 类 has (an income code 10301) belongs to
    another classification and is not judged. A 款 or 项 numbered 00 (`zero_level`) is malformed."""
    if not codelist.code_lengths or not code.isdigit():
        return False
    head = min(codelist.code_lengths)
    if not codelist.complete_in(year, head):
        return False
    if len(code) not in codelist.code_lengths:
        return len(code) < max(codelist.code_lengths)  # longer codes are local or not judged
    if code[0] not in {c[0] for c in index(codelist) if len(c) == head}:
        return False  # another classification's code (an income code 10301 in a code column): not this list's to judge
    if zero_level(codelist, code):
        return True  # a 款 or 项 numbered 00: no edition has one
    return year_row(codelist, code[:head], year) is None


def named_parent(codelist: CodeList, code: str, printed: str, year: int | None) -> str | None:
    """The code's parent (款 of a 项, 类 of a 款) when `printed` is exactly the parent's confirmed name of `year` and
    not the code's own (30299 其他商品和服务支出 printed 商品和服务支出, 302's name): a 其他 row printed with the name of
    its parent, which `rules.names_agree` would accept as the official name cut short. None otherwise (2019999 and
    20199 share the name 其他一般公共服务支出)."""
    key = name_key(printed or "")
    lengths = sorted(codelist.code_lengths)
    if not key or not code.isdigit() or len(code) not in lengths or lengths.index(len(code)) == 0:
        return None
    parent = code[:lengths[lengths.index(len(code)) - 1]]
    own, above = year_row(codelist, code, year), year_row(codelist, parent, year)
    if own is None or above is None or not confirmed(above) or name_key(own.get("name") or "") == key:
        return None
    return parent if name_key(above.get("name") or "") == key else None


def named_siblings(codelist: CodeList, code: str, printed: str, year: int | None) -> list[str]:
    """The other codes of the same parent (the 类 for a 类) whose confirmed row of `year` carries
    exactly the printed name (`rules.name_key` equal: not a piece or a wording of it), sorted:
    a code printed with a sibling's name (30208 printed 物业管理费, 30209's name) is the wrong code
    or the wrong name. Empty when the printed name is the code's own, or no sibling has it."""
    key = name_key(printed or "")
    if not key or not code.isdigit():
        return []
    lengths = sorted(codelist.code_lengths)
    if len(code) not in lengths:
        return []
    level = lengths.index(len(code))
    parent = code[:lengths[level - 1]] if level else ""
    found = []
    for other in index(codelist):
        if other == code or len(other) != len(code) or not other.startswith(parent):
            continue
        row = year_row(codelist, other, year)
        if row is not None and confirmed(row) and name_key(row.get("name") or "") == key:
            found.append(other)
    own = year_row(codelist, code, year)
    if own is not None and name_key(own.get("name") or "") == key:
        return []
    return sorted(found)


def zero_level(codelist: CodeList, code: str) -> str | None:
    """The parent of a code whose own level is all zeros (2121100: the 款 21211 with 项 00, as a
    budgeting system prints a 款 that has no 项), None otherwise. No national 款 or 项 is 00, so
    such a code is malformed, not a gap of the list."""
    lengths = sorted(codelist.code_lengths)
    if not code.isdigit() or len(code) not in lengths or lengths.index(len(code)) == 0:
        return None
    parent = code[:lengths[lengths.index(len(code)) - 1]]
    return parent if set(code[len(parent):]) == {"0"} else None


def nearest(codelist: CodeList, code: str, printed: str | None, year: int | None, limit: int = 3) -> list[tuple[str, str]]:
    """The real codes of the year nearest to a code that does not exist: those under the same
    parent (its code less one level), the ones whose name is most like the printed name first;
    with no such parent, the codes of the same length whose names are most like it."""
    codes = year_codes(codelist, year)
    lengths = codelist.code_lengths
    parent = next((code[:n] for n in sorted(lengths, reverse=True) if n < len(code) and code[:n] in codes), None)
    if parent is not None:
        pool = [c for c in codes if c.startswith(parent) and len(c) == next(
            (n for n in sorted(lengths) if n > len(parent)), len(code))]
    else:
        pool = [c for c in codes if len(c) == len(code)] or list(codes)
    key = name_key(printed or "")

    def rank(candidate: str):
        likeness = SequenceMatcher(None, key, name_key(codes[candidate])).ratio() if key else 0.0
        distance = abs(int(candidate) - int(code)) if candidate.isdigit() and code.isdigit() else 0
        return (-likeness, distance, candidate)

    if key and parent is None:
        pool = [c for c in pool if SequenceMatcher(None, key, name_key(codes[c])).ratio() > 0.3] or pool
    return [(c, codes[c]) for c in sorted(pool, key=rank)[:limit]]
