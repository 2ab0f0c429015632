"""Tables whose rows are a fixed list of lines (the “三公” table: codelists/three_public_lines.csv) in
one shape whatever the printed layout: one row per line (and per unit, year or printed row
group), the line's canonical id in field `line`, the stage's measures (total, budget_initial,
budget_full_year, the parts by source of funds) as columns.

A document printing the lines as columns (因公出国（境）费 | 公务用车购置及运行费 | … side by side,
one row per unit or year) is read with the lines' column measures (`printed_spec`) and each of
its rows is turned into one row per line printed (`reshape`); a document printing them as rows
has each row's label matched against the lines' aliases. 机关运行经费 printed beside the lines (or as
the row 行政经费, measures.csv row_labels) goes to table operating_costs, as its total row (one per unit
or year where the table lists them).

Line `total` is the “三公” expenses in all. A table whose 合计 also holds 会议费 and 培训费 prints the
“三公” part as a 小计 beside it (measure three_public): that 小计 is line `total`, and the 合计 line
`total_with_meeting_training` (`GRAND`)."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..labels import compact, squash
from ..model import Disclosure, Row, Table
from ..standard import TableSpec, load_standard
from .errors import Warnings
from .table_rows import row_key

LIST = "three_public_lines"
OPERATING = "operating_costs"   # the measure printed beside the lines, and the table it belongs to
# the code list's columns naming a line's measure when printed as a column -> the measure it is on the line's row
COLUMN_MEASURES = (("column", "total"), ("budget_column", "budget_initial"),
                   ("government_fund_column", "government_fund"), ("state_capital_column", "state_capital"))
GROUP_FIELDS = ("unit_code", "unit_name", "period")
SUBTOTAL = "three_public"   # the measure of the “三公” 小计 printed beside a 合计 holding 会议费 and 培训费
GRAND = "total_with_meeting_training"   # the line of such a 合计 (the 小计 is then line total)
GROUPING = ("vehicle", "total")   # lines that are the sum of other lines: subtotals (total: under GRAND)
TOTAL_WORDS = ("合计", "总计")
LEAD = re.compile(r"^(其中:?|[(]?[一二三四五六七八九十\d]+[)、.．]|[、.．])")
SUFFIX = re.compile(r"(费用|经费|支出|费)+$")


@lru_cache(maxsize=None)
def lines_of(table_id: str) -> tuple[dict, ...]:
    """The lines of table `table_id` (rows of codelists/three_public_lines.csv), in list order; () for other tables."""
    codelist = load_standard().codelists.get(LIST)
    return tuple(row for row in (codelist.rows if codelist else []) if row["table"] == table_id)


@lru_cache(maxsize=None)
def _read_lines(table_id: str) -> tuple[dict, ...]:
    """The lines of table `table_id` as they are read: those of the code list, and the “三公” 小计 (measure
    three_public, its title and aliases) printed beside a 合计 holding 会议费 and 培训费 (made line total by
    `_grand_total`)."""
    lines = lines_of(table_id)
    if not lines:
        return lines
    measure = load_standard().measures[SUBTOTAL]
    aliases = "|".join(a for a in measure.aliases if "/" not in a and "*" not in a)
    subtotal = {"code": SUBTOTAL, "title_zh": measure.title_zh, "aliases": aliases, "column": SUBTOTAL,
                **{column: "" for column, _ in COLUMN_MEASURES[1:]}}
    return (*lines[:1], subtotal, *lines[1:])   # listed after the 合计, as printed


def printed_spec(spec: TableSpec) -> TableSpec:
    """The spec a table is read with: for a table of lines, its measures plus the measures of the lines printed as
    columns (overseas_travel, reception_budget …) and 机关运行经费, which `reshape` turns into rows."""
    lines = _read_lines(spec.code)
    if not lines:
        return spec
    extra = [row[column] for row in lines for column, _ in COLUMN_MEASURES if row[column]] + [OPERATING]
    return replace(spec, measures=tuple(dict.fromkeys([*spec.measures, *extra])))


def key(text: str | None) -> str:
    """A label as lines are matched: squashed, without 其中, ordinals, quotes and a trailing 费 / 支出 / 经费."""
    text = squash(text or "")
    for _ in range(3):
        text = LEAD.sub("", text)
    return SUFFIX.sub("", text.replace("“", "").replace("”", "").replace('"', ""))


@lru_cache(maxsize=None)
def _aliases(table_id: str) -> dict[str, str]:
    return {key(alias): row["code"] for row in _read_lines(table_id) for alias in [row["title_zh"], *row["aliases"].split("|")] if alias}


def line_of_label(table_id: str, label: str | None) -> str | None:
    """The line a printed row label names (因公出国（境）支出 -> overseas_travel), None when it names none."""
    return _aliases(table_id).get(key(label)) if key(label) else None


def reshape(disclosure: Disclosure, warnings: Warnings) -> None:
    """Every table of lines of `disclosure` in the one shape (module doc); changes the disclosure in place."""
    for table in list(disclosure.tables.values()):
        lines = lines_of(table.table_id)
        if not lines or table.name:
            continue
        if any(row.values.get("line") for row in table.rows):   # read back from a package's workbook: lines printed
            _row_types(table.rows)
        else:
            reshape_table(disclosure, table, _read_lines(table.table_id), warnings)


def reshape_table(disclosure: Disclosure, table: Table, lines: tuple[dict, ...], warnings: Warnings) -> None:
    """`table` (rows as printed) in one row per line: printed with the lines as columns (a column of the table is a
    line's measure other than total's), each row pivoted (`_pivot`); else each row's label matched to a line (a label
    naming none, or a line already named in its unit and year, keeps no line: warned). 机关运行经费 goes to
    operating_costs. Row types and ids set afresh; changes `table` and `disclosure` in place."""
    spec = load_standard().tables[table.table_id]
    wide = {row[column]: (row["code"], measure) for row in lines for column, measure in COLUMN_MEASURES if row[column]}
    printed_wide = [m for m in table.columns if m in wide and wide[m][0] != "total"]
    own = [m for m in spec.measures if m not in ("total", "budget_initial")]   # budget_full_year, the funds: the total line's
    operating: list[Row] = []
    rows: list[Row] = []
    unmapped: list[int] = []
    named: set[tuple] = set()   # (unit, period, line) already given to a row
    for row in table.rows:
        group = {k: row.values[k] for k in GROUP_FIELDS if row.values.get(k) not in (None, "")}
        if row.values.get(OPERATING) is not None:
            operating.append(_operating_row(row, group))
        if printed_wide:
            rows.extend(_pivot(row, group, lines, wide, own))
            continue
        values = {k: v for k, v in row.values.items() if k != OPERATING}
        line = line_of_label(table.table_id, row.values.get("item"))
        if line is None and is_operating_label(row.values.get("item")):
            operating.append(_operating_row(row, group, values))
            continue
        if line is None and row.row_type == "total":
            line = "total"
        taken = (*(group.get(k) for k in GROUP_FIELDS), line)
        if line is not None and taken in named:   # a second 合计 (over 行政经费 and the 三公 figures): not the line's
            line = None
        named.add(taken)
        if line is None:
            unmapped.append(row.source_line or 0)
        else:
            values["line"] = line
        rows.append(Row("", row.row_type, values, row.source_line, row.source_page))
    _grand_total(rows)
    _department_as_total([*rows, *operating], disclosure.unit_name)
    table.rows = rows
    _row_types(rows)
    table.columns = _columns(spec, rows, [] if printed_wide else table.columns)
    _row_ids(rows)
    if unmapped:
        warnings.add(f"{len(unmapped)} row(s) of {table.table_id} name none of its lines (codelists/{LIST}.csv) or one named "
                     f"above: kept with no line (lines {', '.join(map(str, unmapped[:8]))})", unmapped[0] or None, table.table_id)
    if operating:
        _to_operating_costs(disclosure, table, operating, warnings)


def operating_title() -> str:
    """The printed title of measure operating_costs (机关运行经费), from measures.csv."""
    return load_standard().measures[OPERATING].title_zh


def is_operating_label(label: str | None) -> bool:
    """Whether a row label of the “三公” table names 机关运行经费 (measure operating_costs: its title, column
    aliases and row_labels in measures.csv, 行政经费 among them), matched as `key` matches lines."""
    spec = load_standard().measures[OPERATING]
    return bool(key(label)) and key(label) in {key(text) for text in (spec.title_zh, *spec.aliases, *spec.row_labels)}


def _pivot(row: Row, group: dict, lines: tuple[dict, ...], wide: dict, own: list[str]) -> list[Row]:
    """One printed row of lines as columns -> one row per line it prints an amount (or a blank mark) for."""
    label = row.values.get("item") or ""
    named = label and label not in group.values() and key(label) not in {key(w) for w in TOTAL_WORDS}
    result = []
    for line in lines:
        values: dict = {}
        for measure, (code, target) in wide.items():
            if code == line["code"] and row.values.get(measure) is not None:
                values[target] = row.values[measure]
        if line["code"] == "total":
            values.update({m: row.values[m] for m in own if row.values.get(m) is not None})
        if not values:
            continue
        item = f"{label} / {line['title_zh']}" if named else line["title_zh"]
        result.append(Row("", row.row_type, {**group, "line": line["code"], "item": item, **values}, row.source_line, row.source_page))
    if not result:   # a row printing no amount (a unit heading its rows by year): kept as printed, with no line
        result.append(Row("", row.row_type, {**group, "item": label}, row.source_line, row.source_page))
    return result


def _grand_total(rows: list[Row]) -> None:
    """A table printing the “三公” 小计 (line three_public as read) beside its 合计: the 合计 holds 会议费 and
    培训费 too, so its rows become line GRAND and the 小计's line total, in every unit and year (a unit printing
    no “三公” amount still has a 合计 of 会议费 and 培训费). Changes `rows` in place."""
    if not any(row.values.get("line") == SUBTOTAL for row in rows):
        return
    for row in rows:
        line = row.values.get("line")
        if line in ("total", SUBTOTAL):
            row.values["line"] = GRAND if line == "total" else "total"


def _department_as_total(rows: list[Row], department: str | None) -> None:
    """A table listing units with no 合计 of its own (no total line without a unit) prints the department's figures
    as the row of the disclosure's own unit (`department`: 深圳市建筑工务署 above 深圳市建筑工务署（本级） and the
    units below it): those rows are the table's total, so their unit fields are dropped and the unit's name leads the
    label (深圳市建筑工务署 / 合计). Changes `rows` in place; nothing when a total without a unit is printed."""
    if not department or any(row.values.get("line") in ("total", GRAND) and not _unit(row.values) for row in rows):
        return
    own = compact(department)
    for row in rows:
        name = row.values.get("unit_name")
        if name and compact(name) == own and not row.values.get("unit_code"):
            row.values.pop("unit_name")
            item = row.values.get("item") or ""
            row.values["item"] = item if compact(item).startswith(own) else f"{name} / {item}"
            if row.row_type == "subtotal" and not row.values.get("line") and row.values.get("total") is not None:   # 机关运行经费
                row.row_type = "total"


def _unit(values: dict) -> bool:
    return bool(values.get("unit_code") or values.get("unit_name"))


def _row_types(rows: list[Row]) -> None:
    """The total line (GRAND where printed, else total) of a row group without a unit is a total (合计), that of a
    unit's group the unit's subtotal; the other lines are items, subtotals where they add up other lines (vehicle,
    total under GRAND)."""
    top = GRAND if any(row.values.get("line") == GRAND for row in rows) else "total"
    for row in rows:
        line = row.values.get("line")
        if line is None:
            continue
        unit = _unit(row.values)
        if line == top:
            row.row_type = "subtotal" if unit else "total"
        else:
            row.row_type = "subtotal" if line in GROUPING else "item"


def _columns(spec: TableSpec, rows: list[Row], printed: list[str]) -> list[str]:
    """The table's columns: those its rows fill or the header printed (`printed`, lines as rows), in the spec's order."""
    names = [*GROUP_FIELDS, "line", "item", *spec.measures]
    present = {k for row in rows for k in row.values} | set(printed) - {OPERATING}
    return [n for n in names if n in present or n == "item"] + sorted(k for k in present if k not in names)


def _row_ids(rows: list[Row]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        base = row_key(row)
        seen[base] = seen.get(base, 0) + 1
        row.row_id = base if seen[base] == 1 else f"{base}#{seen[base]}"


def _operating_row(row: Row, group: dict, values: dict | None = None) -> Row:
    if values is None:
        values = {"item": operating_title(), "total": row.values[OPERATING]}
    else:
        values = {**group, **{k: v for k, v in values.items() if k in ("item", "total", "budget_initial")}}
    return Row("", "total" if not (group.get("unit_code") or group.get("unit_name")) else "subtotal",
               {**group, **values}, row.source_line, row.source_page)


def _to_operating_costs(disclosure: Disclosure, source: Table, rows: list[Row], warnings: Warnings) -> None:
    """机关运行经费 printed in the “三公” table: the total rows of table operating_costs (created when the document
    prints no such table). A table that prints its own total already keeps it; an amount that differs is added and warned."""
    target = disclosure.tables.get(OPERATING)
    if target is None:
        target = Table(OPERATING, printed_title=source.printed_title, money_unit=source.money_unit,
                       money_decimals=source.money_decimals, first_line=source.first_line, last_line=source.last_line,
                       pages=list(source.pages))
        disclosure.tables[OPERATING] = target
    for row in rows:
        same = [r for r in target.rows if r.row_type == row.row_type and all(r.values.get(k) == row.values.get(k) for k in GROUP_FIELDS)]
        if any(r.values.get("total") == row.values.get("total") for r in same):
            continue
        if same:
            warnings.add(f"机关运行经费 printed in {source.table_id} ({row.values.get('total')} 元) differs from the total of "
                         f"table {OPERATING}; both are kept", row.source_line, OPERATING)
        target.rows.append(row)
    spec = load_standard().tables[OPERATING]
    present = {k for r in target.rows for k in r.values}
    target.columns = [c for c in [*spec.dimensions, *spec.measures] if c in present or c in target.columns or c == "item"]
    seen: dict[str, int] = {}
    for row in target.rows:
        if row.row_id:
            seen[row.row_id] = seen.get(row.row_id, 0) + 1
            continue
        base = "/".join(p for p in [row.values.get("unit_code") or squash(row.values.get("unit_name") or ""),
                                    squash(row.values.get("period") or "")] if p) or "total"
        base = base if base != "total" or row.row_type == "total" else "row"
        seen[base] = seen.get(base, 0) + 1
        row.row_id = base if seen[base] == 1 else f"{base}#{seen[base]}"
