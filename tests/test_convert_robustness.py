"""Altered copies of the seeds convert to the same facts: tables in another order, headers
repeated as after a page break, extra blank lines, GBK / GB18030 encodings."""
from __future__ import annotations

from collections import Counter

import pytest

from opendata.convert import convert_file
from opendata.money import format_amount
from tests.seeds import converted, seed_path


def fact_set(result) -> Counter:
    """Every amount of every table as (table, row id, measure, amount), order ignored."""
    facts = Counter()
    for table in result.disclosure.tables.values():
        for row in table.rows:
            for name, value in row.values.items():
                if hasattr(value, "as_tuple"):
                    facts[(table.table_id, row.row_id, name, format_amount(value))] += 1
    return facts


def convert_text(tmp_path, text: str, encoding: str = "utf-8", name: str = "altered.txt"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return convert_file(path)


def lines_of(prefix: str) -> list[str]:
    return seed_path(prefix).read_text(encoding="utf-8").split("\n")


def table_block(result, table_id: str) -> tuple[int, int]:
    table = result.disclosure.tables[table_id]
    return table.first_line - 1, table.last_line  # 0-based start, exclusive end


@pytest.mark.parametrize("prefix,first,second", [
    ("004", "income_summary", "general_budget_project_expenditure"),
    ("002", "income_summary", "general_budget_expenditure"),
    ("001", "income_summary", "general_budget_basic_expenditure"),
])
def test_tables_in_another_order(tmp_path, prefix, first, second):
    original = converted(prefix)
    lines = lines_of(prefix)
    a, b = table_block(original, first), table_block(original, second)
    assert a[1] <= b[0]
    moved = lines[:a[0]] + lines[b[0]:b[1]] + [""] + lines[a[1]:b[0]] + lines[a[0]:a[1]] + [""] + lines[b[1]:]
    altered = convert_text(tmp_path, "\n".join(moved))
    assert fact_set(altered) == fact_set(original)
    order = list(altered.disclosure.tables)
    assert order.index(second) < order.index(first)


@pytest.mark.parametrize("prefix,table_id", [("004", "general_budget_expenditure"), ("002", "expenditure_summary")])
def test_header_repeated_after_a_page_break(tmp_path, prefix, table_id):
    original = converted(prefix)
    lines = lines_of(prefix)
    table = original.disclosure.tables[table_id]
    data_lines = [row.source_line for row in table.rows]
    header = [line for line in lines[table.first_line:data_lines[0] - 1] if "\t" in line]
    middle = data_lines[len(data_lines) // 2] - 1
    altered_lines = lines[:middle] + ["", "- 3 -", ""] + header + lines[middle:]
    altered = convert_text(tmp_path, "\n".join(altered_lines))
    assert fact_set(altered) == fact_set(original)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_extra_blank_lines(tmp_path, prefix):
    lines = lines_of(prefix)
    doubled = []
    for line in lines:
        doubled.append(line)
        if line.strip(" \u3000") == "":  # a blank line (a line holding only a tab is an empty cell)
            doubled += ["", ""]
    altered = convert_text(tmp_path, "\n".join(doubled))
    assert fact_set(altered) == fact_set(converted(prefix))


@pytest.mark.parametrize("prefix,encoding", [("000", "gb18030"), ("001", "gb18030"), ("002", "gb18030"),
                                             ("003", "gb18030"), ("004", "gb18030"), ("004", "utf-8-sig")])
def test_other_encodings(tmp_path, prefix, encoding):
    text = seed_path(prefix).read_text(encoding="utf-8")
    altered = convert_text(tmp_path, text, encoding)
    assert fact_set(altered) == fact_set(converted(prefix))
    assert altered.disclosure.unit_name == converted(prefix).disclosure.unit_name


def test_gbk_where_the_text_fits(tmp_path):
    text = seed_path("004").read_text(encoding="utf-8")
    try:
        data = text.encode("gbk")
    except UnicodeEncodeError:
        pytest.fail("seed 004 is expected to be encodable in GBK")
    path = tmp_path / "gbk.txt"
    path.write_bytes(data)
    assert fact_set(convert_file(path)) == fact_set(converted("004"))
