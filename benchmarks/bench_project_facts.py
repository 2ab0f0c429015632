"""How many (package, table, project, measure) of the tables whose amounts belong to a project
or to the whole table (tables.csv `repeated_amounts`) get exactly one value from the facts view.

    python benchmarks/bench_project_facts.py PACKAGES_DIR [--list]
"""
from __future__ import annotations

import sys
from collections import defaultdict

from opendata.facts import facts
from opendata.standard import load_standard


def main(argv: list[str]) -> int:
    root = argv[0]
    standard = load_standard()
    tables = {code for code, spec in standard.tables.items() if spec.repeated_amounts}
    values: dict[tuple, list] = defaultdict(list)
    for fact in facts(root):
        table_id = fact["table"].split("#")[0]
        if table_id in tables:
            values[(fact["package"], fact["table"], fact["project"], fact["measure"])].append(fact["amount"])
    one = sum(1 for v in values.values() if len(v) == 1)
    packages = len({key[0] for key in values})
    print(f"{one} of {len(values)} (package, table, project, measure) give exactly one value "
          f"({len(values) - one} give more; {packages} packages, {sum(map(len, values.values()))} facts)")
    for table in sorted(tables):
        for named in (True, False):
            keys = [k for k in values if k[1].split("#")[0] == table and bool(k[2]) == named]
            if keys:
                print(f"  {table} ({'named project' if named else 'no project'}): "
                      f"{sum(1 for k in keys if len(values[k]) == 1)} of {len(keys)}")
    if "--list" in argv:
        for key, v in values.items():
            if len(v) > 1:
                print(*key, [str(x) for x in v], sep=" | ")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
