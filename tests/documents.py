"""Small text disclosures built in tests: a cover naming the unit, then the given parts (tables
as tab-separated lines), each followed by a blank line (or by `after`)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path


def text_document(tmp_path: Path, *parts: str, cover: tuple[str, ...] = ("测试市测试局2026年部门预算", "单位名称：测试市测试局"),
                  after: tuple[str, ...] = ("",)) -> Path:
    """Write doc.txt in `tmp_path`: the `cover` lines (blank lines between), then each part and `after`;
    returns its path."""
    lines = [line for text in cover for line in (text, "")]
    for part in parts:
        lines += [part, *after]
    source = tmp_path / "doc.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    return source


def lines(table, **where) -> dict[str, dict]:
    """The rows of a table of lines (the 三公 table: field `line`) whose values match `where` (a value None: not
    printed; a period compared without spaces), by line: {line: {measure: Decimal}}; each line once."""
    result: dict[str, dict] = {}
    for row in table.rows:
        values = {k: (str(v).replace(" ", "") if k == "period" and v else v) for k, v in row.values.items()}
        if row.values.get("line") and all(values.get(k) == v for k, v in where.items()):
            assert row.values["line"] not in result, (row.values["line"], where)
            result[row.values["line"]] = {k: v for k, v in row.values.items() if isinstance(v, Decimal)}
    return result
