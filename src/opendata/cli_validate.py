"""`opendata validate`: validate packages and report the findings."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_base import fail, main, write_output
from .package import PackageError


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", help="Report format.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to a file instead of stdout: Markdown for --format text "
                   "(the default), else the chosen format.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.option("--engine", type=click.Choice(["fast", "frictionless"]), default="fast", show_default=True,
              help="Structural checker of the tables: our own (fast) or frictionless; the findings are the same.")
def validate(paths, fmt, as_json, output, fail_on, engine):
    """Validate a package, or every package below a folder (several paths: all of them).

    Exit code 0: valid; 1: findings at or above --fail-on; 2: could not run."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .package import find_packages
    from .validate import Report, validate_package
    from .validate.render import render_markdown, render_summary, render_text

    if as_json:
        fmt = "json"
    err = Console(stderr=True)
    try:
        packages: list[Path] = []
        for path in paths:
            packages += [p for p in find_packages(path) if p not in packages]
    except PackageError as exc:
        fail(str(exc))
    count = len(packages)
    report = Report()
    if count > 1 and err.is_terminal:
        with Progress(TextColumn("校验 validating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=err, transient=True) as bar:
            task = bar.add_task("validate", total=count)
            for package in packages:
                report.packages.append(validate_package(package, engine=engine))
                bar.advance(task)
    else:
        report.packages = [validate_package(package, engine=engine) for package in packages]
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
