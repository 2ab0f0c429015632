"""Benchmark: diff two 5,000-row packages (issue 6: under one second).

Builds two packages with opendata.model + opendata.package.write_package in a temporary
folder — four money tables with realistic columns (function / economic codes, item, the
measures of each table), 5,000 rows in all — where the new one has some cells changed,
rows added and removed and every table's rows shuffled, then times `opendata.versions.diff`
(reading both packages from disk included) and its Markdown and JSON forms.

    .venv/bin/python benchmarks/bench_diff.py [--rows 5000] [--repeat 5]

Exit code 1 when the best diff time is not under one second.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from opendata.model import Disclosure, Row, SourceDocument, Table
from opendata.package import write_package
from opendata.versions import diff

TABLES = {
    # table id: (dimension columns, measure columns, share of the rows)
    "general_budget_expenditure": (["function_code", "item"], ["total", "basic", "personnel", "public_use", "project"], 0.4),
    "expenditure_summary": (["function_code", "economic_code", "item"], ["total", "basic", "project"], 0.3),
    "general_budget_basic_expenditure": (["economic_code", "item"], ["total", "personnel", "public_use"], 0.2),
    "project_expenditure": (["project_name", "function_code", "economic_code", "item"],
                            ["total", "fiscal_appropriation", "general_budget", "other_funds"], 0.1),
}
ITEMS = ["社会保险经办机构", "行政运行", "一般行政管理事务", "机关服务", "事业运行", "其他社会保障和就业支出",
         "工资福利支出", "基本工资", "津贴补贴", "商品和服务支出", "办公费", "印刷费", "差旅费", "公务接待费"]


def amount(rng: random.Random) -> Decimal:
    return Decimal(rng.randrange(0, 500_000_000)) / 100  # up to 5,000,000.00 元, exact cents


def build(rows: int, seed: int) -> Disclosure:
    rng = random.Random(seed)
    d = Disclosure(unit_name="北京市东城区基准测试单位", fiscal_year=2021, stage="budget", name="110101-bench-2021-budget",
                   source=SourceDocument(filename="bench.txt", sha256="0" * 64, bytes=0, format="txt"),
                   division_code="110101", division_names=["北京市", "东城区"], created="2026-01-01T00:00:00Z")
    for table_id, (dims, measures, share) in TABLES.items():
        table = Table(table_id, columns=[*dims, *measures], money_unit="元", money_decimals=2)
        for i in range(int(rows * share)):
            function_code = f"2{i // 100 % 100:02d}{i % 100:02d}{i % 7:02d}"
            values = {
                "function_code": function_code, "economic_code": f"30{i % 10}{i % 100:02d}",
                "project_name": f"项目{i:05d}：{rng.choice(ITEMS)}专项", "item": f"{rng.choice(ITEMS)}{i}",
            }
            values = {k: v for k, v in values.items() if k in dims}
            values.update({m: amount(rng) for m in measures})
            table.rows.append(Row(f"{table_id[:3]}{i:06d}", values=values, source_line=i + 1))
        d.tables[table_id] = table
    return d


def change(d: Disclosure, seed: int) -> dict[str, int]:
    """Change cells, add and remove rows, shuffle every table. Returns what was done."""
    rng = random.Random(seed)
    done = {"cells_changed": 0, "rows_added": 0, "rows_removed": 0}
    for table in d.tables.values():
        measures = [c for c in table.columns if c not in ("function_code", "economic_code", "project_name", "item")]
        picked = rng.sample(range(len(table.rows)), 30)
        for index in picked[:25]:
            row = table.rows[index]
            column = rng.choice(measures)
            row.values[column] = row.values[column] + 1
            done["cells_changed"] += 1
        for index in sorted(picked[25:], reverse=True):
            table.rows.pop(index)
            done["rows_removed"] += 1
        for i in range(10):
            template = table.rows[i]
            table.rows.append(Row(f"new{i:03d}", values=dict(template.values), source_line=90000 + i))
            done["rows_added"] += 1
        rng.shuffle(table.rows)
    return done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="rows per package (default 5000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs; the best and the median are printed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = write_package(build(args.rows, 1), Path(tmp) / "old")
        changed = build(args.rows, 1)
        expected = change(changed, 2)
        new = write_package(changed, Path(tmp) / "new")
        total_rows = sum(len(t.rows) for t in build(args.rows, 1).tables.values())
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = diff(old, new)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        markdown = result.to_markdown()
        data = json.dumps(result.to_dict(), ensure_ascii=False)
        render = time.perf_counter() - start
    summary = result.summary()
    for key, count in expected.items():
        assert summary[key] == count, (key, summary[key], count)
    times.sort()
    best, median = times[0], times[len(times) // 2]
    print(f"diff of two {total_rows:,}-row packages ({len(TABLES)} tables): best {best:.3f} s, median {median:.3f} s "
          f"over {args.repeat} runs; to_markdown + to_dict/JSON {render:.3f} s "
          f"({len(markdown):,} + {len(data):,} chars)")
    print(f"found: {summary['cells_changed']} cells changed, {summary['rows_added']} rows added, "
          f"{summary['rows_removed']} rows removed (bump {result.bump().upper()})")
    if best >= 1.0:
        print("FAIL: the diff must take under 1 second", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
