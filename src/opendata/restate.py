"""Migration kind `restate`: a step of the converter run again on a package read as the model.

Some changes of the standard cannot be said as renames: the 三公 table printed wide becomes one
row per line, 机关运行经费 moves to `operating_costs`, the only current_year_subtotal of a one-sided
table becomes `total`, rows gain their canonical `line`. A `restate` row of schema/migrations.csv
names in `new` one of the STEPS below; `opendata upgrade` reads the package into the model
(`Package.open(dir).disclosure()`), runs the same function the converter runs, and writes the
package again with the package writer (releases/ and CHANGELOG.md kept). What a step could not
map is reported as the converter reports it (a warning in the upgrade's changes), never dropped.
"""
from __future__ import annotations

from .convert.columns import Column
from .convert.errors import Warnings
from .convert.lines import assign_lines
from .convert.main_amount import YEAR, year_as_total
from .convert.project_units import project_units
from .convert.three_public import reshape
from .model import Disclosure
from .package import (
    DESCRIPTOR, descriptor_bytes, descriptor_for, load_descriptor, resource_descriptor, safe_resource_path, table_csv,
)
from .standard import load_standard


def main_amount(disclosure: Disclosure, warnings: Warnings) -> None:
    """convert/main_amount.py's rule on a model: a one-sided table whose only total column is
    current_year_subtotal, with nothing larger beside it, has it as `total` (columns and rows)."""
    standard = load_standard()
    for table in disclosure.tables.values():
        spec = standard.tables.get(table.table_id)
        if spec is None or table.name or YEAR not in table.columns:
            continue
        measures = [c for c in table.columns if c in spec.measures]
        columns = [Column(i, [name], "measure", name) for i, name in enumerate(measures)]
        year_as_total(columns, spec)
        if not any(c.name == "total" and measures[c.index] == YEAR for c in columns):
            continue
        table.columns = ["total" if c == YEAR else c for c in table.columns]
        for row in table.rows:
            if YEAR in row.values:
                row.values = {("total" if k == YEAR else k): v for k, v in row.values.items()}


STEPS = {
    "three_public.reshape": reshape,      # the 三公 table in one long shape, 机关运行经费 to operating_costs
    "main_amount.year_as_total": main_amount,
    "lines.assign_lines": assign_lines,   # `line` on the rows of fixed-line tables
    "project_units.project_units": project_units,   # projects under unit heads: the unit on each row
}


def snapshot(disclosure: Disclosure) -> dict:
    """Each table's columns and rows, to tell which tables a step changed."""
    return {key: (tuple(t.columns), tuple((r.row_id, r.row_type, tuple(sorted((k, str(v)) for k, v in r.values.items())))
                                          for r in t.rows))
            for key, t in disclosure.tables.items()}


def restate(disclosure: Disclosure, step: str, label: str) -> tuple[list[str], list[str]]:
    """Run converter step `step` (a key of STEPS) on `disclosure` in place; returns the tables it
    changed (added, removed or rewritten) and its warnings."""
    if step not in STEPS:
        raise ValueError(f"unknown restate step {step!r} (one of {', '.join(STEPS)})")
    before = snapshot(disclosure)
    warnings = Warnings(label)
    STEPS[step](disclosure, warnings)
    after = snapshot(disclosure)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return changed, list(warnings.items)


def write_tables(folder, disclosure: Disclosure) -> None:
    """The tables and descriptor of `disclosure` written into the package folder `folder` (a staging copy):
    the old resources' CSVs replaced by the model's tables as the package writer writes them; the descriptor
    is the writer's (`descriptor_for`) over the old one, so keys the writer does not know are kept; every
    other file of the folder (source/, releases/, notes) stays."""
    old = load_descriptor(folder)
    for resource in old.get("resources") or []:
        if isinstance(resource, dict) and resource.get("path"):
            path = safe_resource_path(folder, resource["path"])
            if path.is_file():
                path.unlink()
    (folder / "data").mkdir(exist_ok=True)
    resources = []
    for table in disclosure.tables.values():
        columns, text = table_csv(table)
        (folder / "data" / f"{table.key}.csv").write_text(text, encoding="utf-8")
        resources.append(resource_descriptor(table, columns))
    descriptor = {**old, **descriptor_for(disclosure, resources)}
    (folder / DESCRIPTOR).write_bytes(descriptor_bytes(descriptor))
