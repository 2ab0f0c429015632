"""Human-readable forms of a validation report: a terminal view and Markdown."""
from __future__ import annotations

from collections import Counter, defaultdict

from rich.console import Console
from rich.padding import Padding
from rich.table import Table as RichTable
from rich.text import Text

from .report import Report

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
WIDE = 120  # columns from which the findings are shown as tables; narrower (a pipe: 80), one block each
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _by_table(findings):
    groups = defaultdict(list)
    for finding in findings:
        groups[finding.table or "(package)"].append(finding)
    return groups


def render_text(report: Report, console: Console | None = None) -> None:
    """Print `report` to `console` (a new rich Console by default): per package a status line and
    one table of findings per data table (columns no finding fills are left out) — or, under WIDE
    columns (a narrow terminal, a pipe), one block per finding — then `render_summary`. Returns None."""
    console = console or Console()
    for package in report.packages:
        status = "[green]有效 valid[/green]" if package.valid else "[red]无效 invalid[/red]"
        console.print(f"[bold]{package.name or package.path}[/bold]  {status}  "
                      f"({package.tables} tables, {package.rows} rows, accounting identities held "
                      f"{package.identities_held}/{package.identities_checked}, "
                      f"{package.count('error')} errors, {package.count('warning')} warnings)")
        if console.width < WIDE:
            _render_blocks(package.findings, console)
            continue
        for table, findings in _by_table(package.findings).items():
            grid = RichTable(title=table, show_lines=False, title_justify="left")
            cells = [(f"[{SEVERITY_STYLE[f.severity]}]{f.severity}[/]", f.rule, f.row_id or "", f.measure or "",
                      f.shown(f.expected) or "", f.shown(f.found) or "", f.message) for f in findings]
            columns = ("severity", "rule", "row", "measure", "expected", "found", "message")
            # only the columns some finding fills, so the message keeps room in a narrow terminal
            keep = [i for i, name in enumerate(columns) if name in ("severity", "rule", "message") or any(c[i] for c in cells)]
            for i in keep:
                name = columns[i]
                grid.add_column(name, overflow="fold", no_wrap=name != "message")
            for c in cells:
                grid.add_row(*(c[i] for i in keep))
            console.print(grid)
    render_summary(report, console)


def where(finding) -> str:
    """Where a finding is, for people: table and row (and measure), page and source line."""
    at = finding.table or "(package)"
    if finding.row_id:
        at += f" 行 row {finding.row_id}"
    if finding.measure:
        at += f" · {finding.measure}"
    location = finding.location or {}
    spots = [f"p. {location['page']}" if location.get("page") else "",
             f"line {location['line']}" if location.get("line") else "",
             location.get("pointer") or ""]
    spots = [s for s in spots if s] or ([location["file"]] if location.get("file") else [])
    return at + (f"  ({', '.join(spots)})" if spots else "")


def _render_blocks(findings, console: Console) -> None:
    """A narrow terminal or a pipe (under WIDE columns): one finding a block — severity and rule,
    then where it is, then the whole message wrapped and indented (never cut)."""
    for f in findings:
        head = Text()
        head.append(f.severity, style=SEVERITY_STYLE[f.severity])
        head.append(f"  {f.rule}")
        console.print()
        console.print(head)
        console.print(Padding(Text(where(f)), (0, 0, 0, 2), expand=False))
        if f.expected or f.found:
            console.print(Padding(Text(f"应为 expected {f.shown(f.expected) or '—'} · 实为 found {f.shown(f.found) or '—'}"), (0, 0, 0, 2), expand=False))
        console.print(Padding(Text(f.message, overflow="fold"), (0, 0, 0, 2), expand=False))
    if findings:
        console.print()


def render_summary(report: Report, console: Console | None = None) -> None:
    """One line of totals and, for a folder, the rules found most often."""
    console = console or Console()
    summary = report.to_dict()["summary"]
    console.print(f"{summary['packages']} package(s), {summary['invalid']} invalid, "
                  f"{summary['errors']} error(s), {summary['warnings']} warning(s)")
    if len(report.packages) > 1:
        counts = Counter(f.rule for p in report.packages for f in p.findings if f.severity != "info")
        for rule, n in counts.most_common(10):
            console.print(f"  {n:>6}  {rule}")


def render_markdown(report: Report) -> str:
    """`report` as a Markdown document (str ending in a newline): a summary line, then per package
    a heading with its state and per data table a findings table, errors first (severity, rule, page and source line, row,
    measure, expected, found, message; '|' escaped, newlines flattened)."""
    lines = ["# 校验报告 / Validation report", ""]
    summary = report.to_dict()["summary"]
    lines.append(f"{summary['packages']} 个数据包 packages · {summary['invalid']} 无效 invalid · "
                 f"{summary['errors']} 错误 errors · {summary['warnings']} 警告 warnings")
    lines.append("")
    for package in report.packages:
        state = "有效 valid" if package.valid else "无效 invalid"
        lines += [f"## {package.name or package.path} — {state}", ""]
        if not package.findings:
            lines += ["没有发现问题。No findings.", ""]
            continue
        for table, findings in _by_table(package.findings).items():
            lines += [f"### {table}", "", "| 级别 severity | 规则 rule | 页·行 page·line | 行 row | 指标 measure | 应为 expected | 实为 found "
                      "| 说明 message |", "|---|---|---|---|---|---|---|---|"]
            for f in sorted(findings, key=lambda f: list(SEVERITY_ZH).index(f.severity)):   # errors first
                spot = f.location or {}
                page_line = " · ".join(x for x in (f"p. {spot['page']}" if spot.get("page") else "",
                                                   f"line {spot['line']}" if spot.get("line") else "") if x)
                cells = [f"{SEVERITY_ZH[f.severity]} {f.severity}", f.rule, page_line, f.row_id or "", f.measure or "",
                         f.shown(f.expected) or "", f.shown(f.found) or "", f.message]
                lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
            lines.append("")
    return "\n".join(lines) + "\n"
