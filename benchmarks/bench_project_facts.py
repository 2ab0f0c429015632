"""One fact per project amount, over a folder of converted packages (the national corpus converted,
e.g. `opendata convert ../shared/corpus/*.pdf --out-dir DIR`): in the tables whose indicator rows
repeat their project's amounts (tables.csv `repeated_amounts`), how many (package, table, project,
measure) give exactly one value from `opendata facts` (filtered on project and measure), per table
and with or without a named project; `--by-unit` also counts with the row's unit (unit_name,
unit_code: one table may list the same project name for several units), `--by-code` with the project
code (two projects may share a name), `--by-line` with the line (a self-evaluation's funding rows:
年度资金总额 is line project_funds); `--list` prints the keys giving more than one value.

    .venv/bin/python benchmarks/bench_project_facts.py DIR [--by-unit] [--by-code] [--by-line] [--list]
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from opendata.facts import facts  # noqa: E402
from opendata.package import Package, find_packages  # noqa: E402
from opendata.standard import load_standard  # noqa: E402


def units(root: str, tables: set[str]) -> dict[tuple, tuple]:
    """(package, table key, row_id) -> (unit_code, unit_name) of the rows of `tables`."""
    found = {}
    for folder in find_packages(root):
        disclosure = Package.open(folder).disclosure()
        for table in disclosure.tables.values():
            if table.table_id in tables:
                for row in table.rows:
                    found[(disclosure.name, table.key, row.row_id)] = (row.values.get("unit_code") or "",
                                                                       row.values.get("unit_name") or "")
    return found


def main(argv: list[str]) -> int:
    root = argv[0]
    standard = load_standard()
    tables = {code for code, spec in standard.tables.items() if spec.repeated_amounts}
    unit_of = units(root, tables) if "--by-unit" in argv else {}
    values: dict[tuple, list] = defaultdict(list)
    for fact in facts(root):
        table_id = fact["table"].split("#")[0]
        if table_id in tables:
            unit = unit_of.get((fact["package"], fact["table"], fact["row_id"]), ())
            extra = tuple(fact[name] for name, flag in (("project_code", "--by-code"), ("line", "--by-line")) if flag in argv)
            values[(fact["package"], fact["table"], fact["project"], fact["measure"], *unit, *extra)].append(fact["amount"])
    one = sum(1 for v in values.values() if len(v) == 1)
    packages = len({key[0] for key in values})
    key = "(package, table, project, measure" + (", unit" if unit_of else "") + (", project_code" if "--by-code" in argv else "") \
        + (", line" if "--by-line" in argv else "") + ")"
    print(f"{one} of {len(values)} {key} give exactly one value "
          f"({len(values) - one} give more; {packages} packages, {sum(map(len, values.values()))} facts)")
    for table in sorted(tables):
        for named in (True, False):
            keys = [k for k in values if k[1].split("#")[0] == table and bool(k[2]) == named]
            if keys:
                print(f"  {table} ({'named project' if named else 'no project'}): "
                      f"{sum(1 for k in keys if len(values[k]) == 1)} of {len(keys)}")
    if "--list" in argv:
        for k, v in values.items():
            if len(v) > 1:
                print(*k, [str(x) for x in v], sep=" | ")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
