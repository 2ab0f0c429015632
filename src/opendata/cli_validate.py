"""`opendata validate`: validate packages and report the findings."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_base import fail, main, output_option, write_output
from .package import PackageError


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", help="Report format.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@output_option("Write the report to a file instead of stdout: Markdown for --format text "
                   "(the default), else the chosen format.", dest="output")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.option("--engine", type=click.Choice(["fast", "frictionless"]), default="fast", show_default=True,
              help="Structural checker of the tables: our own (fast) or frictionless; the findings are the same.")
def validate(paths, fmt, as_json, output, fail_on, engine):
    """Validate a package, or every package below a folder (several paths: all of them).

    Exit code 0: valid; 1: findings at or above --fail-on; 2: could not run."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .validate import validate as validate_packages
    from .validate.render import render_markdown, render_summary, render_text

    if as_json:
        fmt = "json"
    err = Console(stderr=True)
    bars: list = []  # the progress bar, shown on a terminal when there are several packages

    def progress(package_dir, done, total):
        if not bars and total > 1 and err.is_terminal:
            bar = Progress(TextColumn("校验 validating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                           console=err, transient=True)
            bar.start()
            bars.append((bar, bar.add_task("validate", total=total)))
        if bars:
            bar, task = bars[0]
            bar.update(task, completed=done)

    try:
        report = validate_packages(paths, progress=progress, engine=engine)
    except PackageError as exc:
        fail(str(exc))
    finally:
        for bar, _ in bars:
            bar.stop()
    count = len(report.packages)
    if count > 1 and (fmt != "text" or output):
        render_summary(report, err)
    if fmt == "json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "markdown":
        text = render_markdown(report)
    else:
        text = None
    if output:
        write_output(output, text if text is not None else render_markdown(report))
    elif text is not None:
        click.echo(text, nl=False)
    else:
        render_text(report)
    sys.exit(report.exit_code(fail_on))
