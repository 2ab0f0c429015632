"""CHANGELOG.md, generated from releases/index.json."""
from __future__ import annotations

from pathlib import Path

from ..package import write_atomic
from .errors import CHANGELOG
from .render import render_markdown
from .verify import package_dir_of, read_index


CHANGELOG_NOTE = ("<!-- 由 releases/index.json 生成，请勿手工编辑。"
                  "Generated from releases/index.json by `opendata release`; do not edit. -->")


def changelog_markdown(index: dict) -> str:
    """CHANGELOG.md for a release index (`read_index`): newest release first, each with its
    bump, standard version, archive, sha256, note and changes (Markdown, bilingual)."""
    title = index.get("title") or index.get("name")
    out = [CHANGELOG_NOTE, "", f"# 更新记录 Changelog — {title}", "",
           f"数据包 package `{index.get('name')}`。每个版本都冻结在 `releases/` 中，可用 "
           f"`opendata checkout {index.get('name')}@VERSION --out DIR` 原样取回。"
           " Every version is frozen in `releases/` and given back byte for byte by `opendata checkout`.", ""]
    for entry in reversed(index.get("releases") or []):
        bump = entry.get("bump")
        out.append(f"## {entry['version']} — {entry.get('date')}")
        out.append("")
        kind = bump.upper() if bump else "首次发布 first release"
        out.append(f"{kind} · 标准 standard {entry.get('standardVersion')} · "
                   f"`releases/{entry.get('archive')}` · sha256 `{entry.get('sha256')}`")
        out.append("")
        if entry.get("note"):
            out += [entry["note"].strip(), ""]
        if entry.get("changes"):
            out.append(render_markdown(entry["changes"], heading_level=2, title=False).rstrip())
            out.append("")
        else:
            s = entry.get("summary") or {}
            out += [f"{s.get('tables', '?')} 张表 tables，{s.get('rows', '?')} 行 rows。", ""]
    return "\n".join(out).rstrip() + "\n"


def write_changelog(path: str | Path) -> Path:
    """Regenerate <package>/CHANGELOG.md from releases/index.json."""
    package_dir = package_dir_of(path)
    target = package_dir / CHANGELOG
    write_atomic(target, changelog_markdown(read_index(package_dir)).encode("utf-8"))
    return target
