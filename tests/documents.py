"""Small text disclosures built in tests: a cover naming the unit, then the given parts (tables
as tab-separated lines), each followed by a blank line (or by `after`)."""
from __future__ import annotations

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
