"""Layer 2, code lists: every code a package uses exists in its list — for the
classifications, in the version of the package's fiscal year — and a printed name agrees
with the official one (the finding reports the official name).

Closed lists (this standard's own: stages, sides, row types, tables, measures) are
errors, found by layer 1: the descriptor's JSON Schema and the table schemas carry them
as enum constraints. Open lists (the classifications, divisions, key figures) are
warnings here, because a code missing from them may be a gap of the list rather than an
error of the package.

Names are compared the way printing treats them (see `rules.names_agree`): ordinals,
spaces, brackets, '支出' and '（类）' endings, names cut short and local qualifiers are not
differences. Rows whose label is not the code's name (a unit's name beside a function
code in 收入总表, a project's name in 项目支出表) are not compared.
"""
from __future__ import annotations

from ..standard import CodeList
from . import codebook
from .codebook import index as _index
from .rules import CODE_FIELDS, NAME_FIELDS, Context, compact, name_key, names_agree, row_label

# The field whose code the row's item names, by the table's key.
LABELLED_BY_ITEM = {
    "function code": "function_code",
    "department economic code": "economic_code",
}
UNIT_WORDS = ("局", "中心", "委员会", "办公室", "政府", "部门", "学校", "医院", "管理处", "事务所", "单位")


def check(ctx: Context) -> None:
    """Layer 2 over one package (`Context`), adding findings, returns None: the division code
    (`check_division`), then, for every table, each code of an open code list (classifications
    of the package's fiscal year; closed lists are left to layer 1) exists in its list
    (code.unknown, code.not-in-year) and each printed name agrees with the official one
    (code.name-mismatch, code.name-outdated, code.name-of-other-code); a fiscal year before a
    list's first year gets one code.not-checked instead. Lists: schema/codelists/*.csv."""
    year = ctx.fiscal_year
    check_division(ctx)
    printed: dict[tuple[str, str], list] = {}  # (field, code) -> (table, row, printed name), for code.name-inconsistent
    unchecked: dict[str, CodeList] = {}  # lists whose first year is after the fiscal year
    for table in ctx.tables.values():
        spec = ctx.standard.tables.get(table.table_id)
        if spec is None:
            continue
        fields = [name for name in table.columns if ctx.standard.fields.get(name) and ctx.standard.fields[name].codelist]
        if not fields:
            continue
        item_field = _item_field(spec.keyed_by, table.columns)
        unit_labels = _unit_labels(ctx, table)
        reported: set[tuple] = set()
        reported_printed = (printed, table)
        for row in table.rows:
            known: list[tuple[str, str, CodeList]] = []
            for name in fields:
                code = row.values.get(name)
                if not code:
                    continue
                field_spec = ctx.standard.fields[name]
                if field_spec.constraints.get("enum"):
                    continue  # the structural layer checks enumerated values
                codelist = ctx.standard.codelists.get(field_spec.codelist)
                if codelist is None or not codelist.rows or not codelist.open:
                    continue  # this standard's closed lists are enum constraints, checked by layer 1
                if codebook.before_list(codelist, year):
                    unchecked.setdefault(codelist.id, codelist)
                    continue  # the classification's history before the list's first year is out of its scope
                if _check_exists(ctx, table, row, name, str(code), codelist, year, reported):
                    known.append((name, str(code), codelist))
            _check_names(ctx, table, row, known, item_field, unit_labels, year, (reported, reported_printed))
    _check_consistent(ctx, printed)
    if unchecked:
        _report_unchecked(ctx, list(unchecked.values()), year)


def _report_unchecked(ctx: Context, lists: list[CodeList], year: int | None) -> None:
    """code.not-checked, once per package: the package's fiscal year is before the first year of
    the lists its codes belong to, so none of those codes was checked."""
    titles = "、".join(f"《{c.title_zh}》（{codebook.first_year(c)} 起 from）" for c in lists)
    ids = ", ".join(f"{c.id} (from {codebook.first_year(c)})" for c in lists)
    ctx.add("code.not-checked",
            f"{year} 年度早于代码表的起始年度，本文件的分类代码及名称未作检查：{titles}。"
            f" The fiscal year {year} is before the first year of {ids}: the package's classification codes and names were not checked.",
            location={"pointer": "/fiscalYear"}, found=str(year))


def _check_names(ctx: Context, table, row, known: list, item_field: str | None, unit_labels: set[str],
                 year: int | None, reported: set) -> None:
    """Each printed name against the official name of the code it names."""
    item_candidates = []
    for name, code, codelist in known:
        own = NAME_FIELDS.get(name)
        if own and row.values.get(own):
            _once(ctx, table, row, name, code, str(row.values[own]), codelist, year, reported)
        elif name in CODE_FIELDS:
            item_candidates.append((name, code, codelist))
    label = _item_label(row, unit_labels)
    if label is None or not item_candidates:
        return
    if len(item_candidates) > 1:
        # the item names one of several codes: fine when it is any of their names
        if any(_agrees(label, code, codelist, year) for _, code, codelist in item_candidates):
            return
        item_candidates = [c for c in item_candidates if c[0] == item_field]
        if len(item_candidates) != 1:
            return
    name, code, codelist = item_candidates[0]
    if item_field is not None and name != item_field and len(known) > 1:
        return
    _once(ctx, table, row, name, code, label, codelist, year, reported)


def _agrees(label: str, code: str, codelist: CodeList, year: int | None) -> bool:
    names = {r.get("name") for r in _index(codelist).get(code, ()) if r.get("name")}
    return any(names_agree(label, official) for official in names)


def _once(ctx, table, row, name, code, printed_name, codelist, year, reported) -> None:
    reported, (printed, this_table) = reported
    key = (name, code, compact(printed_name))
    if key in reported:
        return
    reported.add(key)
    printed.setdefault((name, code), []).append((this_table, row, printed_name))
    if codebook.status(codelist, code, year) == codebook.OK:
        _check_name(ctx, table, row, name, code, printed_name, codelist, year)


def _check_consistent(ctx: Context, printed: dict) -> None:
    """code.name-inconsistent: a code printed under two names that are not one name printed
    differently (`names_agree` either way) in two tables of the document; once per code, at
    the second table."""
    for (name, code), seen in printed.items():
        first_table, _, first = seen[0]
        for table, row, other in seen[1:]:
            if table is first_table or names_agree(other, first) or names_agree(first, other):
                continue
            title = ctx.standard.fields[name].title_zh
            ctx.add("code.name-inconsistent",
                    f"{title} {code} 在表「{first_table.table_id}」印作「{first}」，在本表印作「{other}」。"
                    f" Code {code} is printed as {first!r} in {first_table.table_id} and as {other!r} here.",
                    table=table, row=row, expected=first, found=other)
            break


def _item_label(row, unit_labels: set[str]) -> str | None:
    label = row.values.get("item")
    if not label or row.values.get("project_name"):
        return None
    text = compact(str(label))
    if text in unit_labels or (len(text) > 6 and any(text.endswith(word) for word in UNIT_WORDS)):
        return None
    return str(label)


def _item_field(keyed_by: str, columns: list[str]) -> str | None:
    for words, name in LABELLED_BY_ITEM.items():
        if keyed_by.startswith(words) and name in columns:
            return name
    return None


def _unit_labels(ctx: Context, table) -> set[str]:
    """Labels that are unit names, not code names."""
    names = {compact(ctx.descriptor.get("unit", {}).get("name", "") or "")} if isinstance(ctx.descriptor.get("unit"), dict) else set()
    for row in table.rows:
        if row.values.get("unit_name"):
            names.add(compact(str(row.values["unit_name"])))
        if row.values.get("unit_code") and not any(row.values.get(f) for f in CODE_FIELDS):
            names.add(compact(str(row.values.get("item") or "")))
    names.discard("")
    return names


def name_for(codelist: CodeList, code: str, year: int | None) -> str | None:
    """CodeList.name_for, through an index (the lists are long and read for every code)."""
    for row in _index(codelist).get(code, ()):
        if year is None or not codelist.year_versioned:
            return row.get("name") or row.get("title_zh")
        if int(row.get("from_year") or 0) <= year <= int(row.get("to_year") or 9999):
            return row.get("name")
    return None


def _check_exists(ctx: Context, table, row, name: str, code: str, codelist: CodeList, year: int | None,
                  reported: set) -> bool:
    """False when the code is not in the list for the year (code.not-in-year, or code.unknown
    when the list is complete for the year; once per table and code). True for a code the list
    does not judge: a local code, an unconfirmed row, a code missing from an incomplete list."""
    key = (name, code)
    found = codebook.status(codelist, code, year) if year is not None or not codelist.year_versioned else (
        codebook.OK if code in codelist.codes else codebook.status(codelist, code, year))
    if found not in (codebook.OTHER_YEARS, codebook.UNKNOWN):
        return True
    parent, label = codebook.zero_level(codelist, code), _printed_name(row, name)
    parent_name = name_for(codelist, parent, year) if parent else None
    if label and parent_name and names_agree(label, parent_name):
        return True   # the parent itself, padded with 00 to the row's code length (2121100 农业土地开发资金安排的支出)
    if key in reported:
        return False
    reported.add(key)
    title = ctx.standard.fields[name].title_zh
    if found == codebook.OTHER_YEARS:
        years = sorted({(r.get("from_year") or "", r.get("to_year") or "") for r in _index(codelist).get(code, ())})
        spans = ", ".join(f"{a or '…'}–{b or '…'}" for a, b in years)
        ctx.add("code.not-in-year",
                f"{title} {code} 不属于 {year} 年度的《{codelist.title_zh}》（有效年度 valid in {spans}）。"
                f" Code {code} is not in the {year} version of {codelist.id}.",
                table=table, row=row, expected=spans, found=code)
        return False
    printed_name = _printed_name(row, name)
    near = "、".join(f"{c} {n}" for c, n in codebook.nearest(codelist, code, printed_name, year))
    shown = f"「{printed_name}」" if printed_name else ""
    parent = codebook.zero_level(codelist, code)
    if parent:  # a 款 or 项 numbered 00 under another name than its parent's: malformed, whatever the list holds
        near = f"{parent} {name_for(codelist, parent, year) or ''}".strip()
        ctx.add("code.unknown",
                f"{title} {code}{shown} 的末级编码为 00，不是全国统一科目（上级科目 parent: {near}）。"
                f" Code {code} ends in a level numbered 00, which no edition of {codelist.id} has.",
                table=table, row=row, expected=near, found=code)
        return False
    ctx.add("code.unknown",
            f"{title} {code}{shown} 不在 {year or ''} 年度的《{codelist.title_zh}》中；最接近的代码 nearest: {near or '—'}。"
            f" Code {code} is not in the {year or ''} list {codelist.id}.",
            table=table, row=row, expected=near or None, found=code)
    return False


def _printed_name(row, name: str) -> str | None:
    own = NAME_FIELDS.get(name)
    label = row.values.get(own) if own else None
    label = label or row.values.get("item")
    return str(label) if label else None


def _check_name(ctx: Context, table, row, name: str, code: str, printed_name: str, codelist: CodeList,
                year: int | None) -> None:
    official = name_for(codelist, code, year)
    parent = codebook.named_parent(codelist, code, printed_name, year) if official else None
    if not official or (parent is None and names_agree(printed_name, official)):
        return
    title = ctx.standard.fields[name].title_zh
    # former names: those of the periods that ended before the year (a later name is no former one)
    others = {r.get("name") for r in _index(codelist).get(code, ())
              if r.get("name") and year is not None and int(r.get("to_year") or 9999) < year} - {official}
    outdated = next((other for other in others if names_agree(printed_name, other)), None)
    owners = [parent] if parent else [] if outdated else codebook.named_siblings(codelist, code, printed_name, year)
    if owners:
        whose = "、".join(owners)
        ctx.add("code.name-of-other-code",
                f"{title} {code} 印作「{printed_name}」，这是{'上级' if parent else '同级'}代码 {whose} 的官方名称；{code} 的官方名称是「{official}」："
                f"代码或名称有误。 {code} is printed as {printed_name!r}, the official name of {whose}; "
                f"{code} is {official!r}: the code or the name is wrong.",
                table=table, row=row, expected=official, found=printed_name)
        return
    if outdated:
        ctx.add("code.name-outdated",
                f"{title} {code} 印作「{printed_name}」，这是以往年度的名称；{year} 年度的名称是「{official}」。"
                f" {code} is printed with a former name; the name in {year} is {official}.",
                table=table, row=row, expected=official, found=printed_name)
        return
    ctx.add("code.name-mismatch",
            f"{title} {code} 印作「{printed_name}」，官方名称是「{official}」。"
            f" {code} is printed as {printed_name!r}; its official name is {official!r}.",
            table=table, row=row, expected=official, found=printed_name)


def check_division(ctx: Context) -> None:
    """The descriptor's `division.code` is in codelists/divisions.csv (GB/T 2260; code.unknown
    at /division/code) and the last of `division.names` agrees with its name there
    (code.name-mismatch at /division/names). Skips a missing descriptor part, an empty list and
    the placeholder code 000000."""
    division = ctx.descriptor.get("division")
    if not isinstance(division, dict):
        return
    code = division.get("code")
    codelist = ctx.standard.codelists.get("divisions")
    if not isinstance(code, str) or codelist is None or not codelist.rows or code == "000000":
        return
    if code not in codelist.codes:
        ctx.add("code.unknown", f"行政区划代码 {code} 不在《{codelist.title_zh}》中。 Division {code} is not in GB/T 2260.",
                location={"pointer": "/division/code"}, found=code)
        return
    names = division.get("names")
    official = codelist.name_for(code)
    if isinstance(names, list) and names and official and isinstance(names[-1], str):
        if name_key(names[-1]) != name_key(official) and not names_agree(names[-1], official):
            ctx.add("code.name-mismatch",
                    f"行政区划 {code} 写作「{names[-1]}」，官方名称是「{official}」。 Division {code} is named {names[-1]!r}; its name is {official!r}.",
                    location={"pointer": "/division/names"}, expected=official, found=names[-1])


__all__ = ["check", "row_label"]
