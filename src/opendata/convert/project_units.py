"""Tables listing projects under the units they belong to (项目支出表 printing 深圳市建筑工务署（本级）, then its
projects, then the next unit …; 单位编码 154001 西安市司法局, then its projects).

A row of such a table whose label is the name of a unit of the disclosure (the unit the disclosure is of, or a
unit named in the unit column of any of its tables: 收入总表, 支出总表 … list them by unit) heads the rows below
it, up to the next unit head, the table's total or a subtotal naming no unit (a group over the units: 货物,
工程, 服务 of a 政府采购表): it is a subtotal (row_type) carrying that unit (`unit_name`,
its printed `unit_code` kept) and no project; the rows below it carry the unit, and where the table prints no
project column of its own, their label is the project's name (`project_name`, field `project` of the facts).
A table printing no 合计 whose first head is the disclosure's own unit above other units (深圳市建筑工务署 over
its 本级 and centres) has that row as its total, with no unit. Rows keyed by a code (function_code …) are not
projects. Tables of performance forms (with indicator fields) and tables naming no unit are left alone."""
from __future__ import annotations

from ..labels import compact
from ..model import Disclosure, Row, Table
from ..standard import load_standard
from .columns import CODE_FIELDS
from .table_rows import row_key

UNIT_FIELDS = ("unit_code", "unit_name")


def _listing(table_id: str) -> bool:
    """A catalog table whose rows are projects that may be listed by unit (project_name and unit_name fields,
    no indicator fields)."""
    spec = load_standard().tables.get(table_id)
    return bool(spec) and {"project_name", "unit_name"} <= set(spec.dimensions) and "indicator_level1" not in spec.dimensions


def unit_names(disclosure: Disclosure) -> set[str]:
    """The units of `disclosure` (compacted names): the unit it is of and every `unit_name` a table prints."""
    names = {compact(disclosure.unit_name)} if disclosure.unit_name else set()
    names |= {compact(str(row.values["unit_name"])) for table in disclosure.tables.values() for row in table.rows
              if row.values.get("unit_name")}
    return names - {""}


def project_units(disclosure: Disclosure, warnings=None) -> None:
    """Every table of `disclosure` listing projects under unit heads in the one shape of the module doc; changes
    the tables in place. `warnings` (unused: nothing is left unmapped) makes it a restate step (restate.py)."""
    units = unit_names(disclosure)
    if not units:
        return
    for table in disclosure.tables.values():
        if not table.name and _listing(table.table_id):
            _by_unit(table, units, compact(disclosure.unit_name or ""))


def _head(row: Row, units: set[str]) -> bool:
    return row.row_type != "total" and not any(row.values.get(k) for k in CODE_FIELDS) \
        and compact(str(row.values.get("item") or "")) in units


def _by_unit(table: Table, units: set[str], own: str) -> None:
    heads = [row for row in table.rows if _head(row, units)]
    if not heads:
        return
    head_ids = {id(row) for row in heads}
    printed_projects = any(row.values.get("project_name") and id(row) not in head_ids for row in table.rows)
    first = heads[0]
    as_total = (not any(row.row_type == "total" for row in table.rows) and len(heads) > 1 and first is table.rows[0]
                and compact(str(first.values.get("item"))) == own)
    unit: dict = {}
    for row in table.rows:
        values = row.values
        if row is first and as_total:
            row.row_type = "total"
            for k in (*UNIT_FIELDS, "project_name"):
                values.pop(k, None)
            continue
        if row.row_type != "item" and id(row) not in head_ids:   # 合计, or a group over units (货物 / 工程 / 服务)
            unit = {}
            continue
        if id(row) in head_ids:
            row.row_type = "subtotal"
            values["unit_name"] = values.get("unit_name") or values.get("item")
            if compact(str(values.get("project_name") or "")) == compact(str(values.get("item") or "")):
                values.pop("project_name", None)
            unit = {k: values[k] for k in UNIT_FIELDS if values.get(k)}
            continue
        for k, v in unit.items():
            if not values.get(k):
                values[k] = v
        if unit and not printed_projects and not any(values.get(k) for k in CODE_FIELDS) and values.get("item") \
                and not values.get("project_name"):
            values["project_name"] = values["item"]
    for name in (*UNIT_FIELDS, "project_name"):
        if any(row.values.get(name) for row in table.rows):
            table.add_column(name)
    seen: dict[str, int] = {}
    for row in table.rows:
        base = row_key(row)
        seen[base] = seen.get(base, 0) + 1
        row.row_id = base if seen[base] == 1 else f"{base}#{seen[base]}"
