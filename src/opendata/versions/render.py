"""Diffs as text and Markdown, from their JSON-ready form (`Diff.to_dict()`), and their
summaries in English and Chinese."""
from __future__ import annotations

import json


# kind of change -> (Chinese, English) label
SUMMARY_LABELS = {
    "tables_added": ("新增表", "table(s) added"), "tables_removed": ("删除表", "table(s) removed"),
    "columns_added": ("新增列", "column(s) added"), "columns_removed": ("删除列", "column(s) removed"),
    "rows_added": ("新增行", "row(s) added"), "rows_removed": ("删除行", "row(s) removed"),
    "cells_changed": ("修改单元格", "cell(s) changed"), "metadata_changed": ("元数据变化", "metadata change(s)"),
    "files_changed": ("文件变化", "file change(s)"),
}


def summary_text(summary: dict[str, int]) -> str:
    """A diff summary in English: "2 row(s) added, 1 cell(s) changed" ("no changes" for none)."""
    parts = [f"{n} {SUMMARY_LABELS[k][1]}" for k, n in summary.items() if n and k in SUMMARY_LABELS]
    return ", ".join(parts) or "no changes"


def summary_text_zh(summary: dict[str, int]) -> str:
    """A diff summary in Chinese: "新增行 2，修改单元格 1" ("无变化" for none)."""
    parts = [f"{SUMMARY_LABELS[k][0]} {n}" for k, n in summary.items() if n and k in SUMMARY_LABELS]
    return "，".join(parts) or "无变化"


def _side_label(side: dict) -> str:
    if side.get("name") and side.get("version") and "@" in str(side.get("label", "")):
        return f"{side['name']}@{side['version']}"
    return f"{side.get('label')} ({side.get('name')} {side.get('version')})"


def _short(value, width: int = 80) -> str:
    if value is None:
        return "∅"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(d: dict) -> str:
    """Plain-text form of a diff dict (Diff.to_dict()): a ---/+++ header, the summary and bump,
    then one line per change; values longer than 80 characters are cut."""
    lines = [f"--- {_side_label(d['old'])}", f"+++ {_side_label(d['new'])}"]
    bump = d.get("bump")
    lines.append(f"{summary_text(d['summary'])}" + (f"  → {bump.upper()}" if bump else ""))
    for t in d["tables_added"]:
        lines.append(f"+ table {t['table']} ({t['rows']} rows)")
    for t in d["tables_removed"]:
        lines.append(f"- table {t['table']} ({t['rows']} rows)")
    for c in d["columns_added"]:
        lines.append(f"+ column {c['table']}.{c['column']}")
    for c in d["columns_removed"]:
        lines.append(f"- column {c['table']}.{c['column']}")
    for r in d["rows_added"]:
        lines.append(f"+ row {r['table']} [{r['row_id']}] {r.get('item') or ''}".rstrip())
    for r in d["rows_removed"]:
        lines.append(f"- row {r['table']} [{r['row_id']}] {r.get('item') or ''}".rstrip())
    for c in d["cells_changed"]:
        item = f" {c['item']}" if c.get("item") else ""
        lines.append(f"~ {c['table']} [{c['row_id']}]{item} {c['column']}: {_short(c['old'])} → {_short(c['new'])}")
    for m in d["metadata_changed"]:
        lines.append(f"~ metadata {m['path']}: {_short(m['old'])} → {_short(m['new'])}")
    for f in d["files_changed"]:
        lines.append(f"{ {'added': '+', 'removed': '-'}.get(f['change'], '~') } file {f['path']} ({f['change']})")
    if d.get("truncated"):
        lines.append("… (more changes not shown: `opendata diff` gives them all)")
    return "\n".join(lines) + "\n"


def _md(value) -> str:
    text = _short(value, 120) if value is not None else ""
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(headers: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers),
            *("| " + " | ".join(_md(c) for c in row) + " |" for row in rows)]


def render_markdown(d: dict, heading_level: int = 2, title: bool = True) -> str:
    """Markdown form of a diff dict (Diff.to_dict()); used in CHANGELOG.md."""
    h = "#" * heading_level
    out: list[str] = []
    if title:
        out += [f"{h} 差异 Diff: `{_side_label(d['old'])}` → `{_side_label(d['new'])}`", ""]
    bump = d.get("bump")
    out.append(f"**{summary_text_zh(d['summary'])}** — {summary_text(d['summary'])}"
               + (f" (**{bump.upper()}**)" if bump else ""))
    out.append("")
    sub = h + "#"
    summary = d["summary"]
    if d["tables_added"] or d["tables_removed"]:
        out += [f"{sub} 表 Tables", ""]
        out += [f"- 新增 added: `{t['table']}` ({t['rows']} rows)" for t in d["tables_added"]]
        out += [f"- 删除 removed: `{t['table']}` ({t['rows']} rows)" for t in d["tables_removed"]]
        out.append("")
    if d["columns_added"] or d["columns_removed"]:
        out += [f"{sub} 列 Columns", ""]
        out += [f"- 新增 added: `{c['table']}.{c['column']}`" for c in d["columns_added"]]
        out += [f"- 删除 removed: `{c['table']}.{c['column']}`" for c in d["columns_removed"]]
        out.append("")
    if d["rows_added"] or d["rows_removed"]:
        out += [f"{sub} 行 Rows", ""]
        rows = [["+", r["table"], r["row_id"], r.get("item")] for r in d["rows_added"]]
        rows += [["−", r["table"], r["row_id"], r.get("item")] for r in d["rows_removed"]]
        out += _md_table(["", "表 table", "row_id", "项目 item"], rows)
        out += _more(d["rows_added"] + d["rows_removed"], summary["rows_added"] + summary["rows_removed"])
        out.append("")
    if d["cells_changed"]:
        out += [f"{sub} 单元格 Cells", ""]
        out += _md_table(["表 table", "row_id", "项目 item", "列 column", "原值 old", "新值 new"],
                         [[c["table"], c["row_id"], c.get("item"), c["column"], c["old"], c["new"]] for c in d["cells_changed"]])
        out += _more(d["cells_changed"], summary["cells_changed"])
        out.append("")
    if d["metadata_changed"]:
        out += [f"{sub} 元数据 Metadata", ""]
        out += _md_table(["属性 property", "原值 old", "新值 new"],
                         [[f"`{m['path']}`", m["old"], m["new"]] for m in d["metadata_changed"]])
        out += _more(d["metadata_changed"], summary["metadata_changed"])
        out.append("")
    if d["files_changed"]:
        out += [f"{sub} 文件 Files", ""]
        out += [f"- {f['change']}: `{f['path']}`" for f in d["files_changed"]]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _more(shown: list, total: int) -> list[str]:
    return ["", f"…… 另有 {total - len(shown)} 项 and {total - len(shown)} more (`opendata diff`)"] if total > len(shown) else []
