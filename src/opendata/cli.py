"""The command line: a thin layer over the Python API (opendata.*)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .package import PackageError

EXIT_OK, EXIT_INVALID, EXIT_CANNOT_RUN = 0, 1, 2


def fail(message: str, code: int = EXIT_CANNOT_RUN) -> None:
    click.echo(f"错误 / error: {message}", err=True)
    sys.exit(code)


class FullHelpGroup(click.Group):
    """A command group whose command list shows each command's whole first sentence,
    wrapped to the terminal, instead of cutting it with "…" at 45 characters."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=FullHelpGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opendata")
def main():
    """opendata: 部门预算/决算公开数据 — convert, validate and publish budget disclosures."""


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
        output.write_text(text if text is not None else render_markdown(report), encoding="utf-8")
    elif text is not None:
        click.echo(text, nl=False)
    else:
        render_text(report)
    sys.exit(report.exit_code(fail_on))


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
              help="csv (amounts as plain decimals in 元) or json (amounts as exact JSON numbers).")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
def facts(path, fmt, output):
    """Every printed amount of a package (or of every package below a folder) as one long table."""
    from .facts import facts as iter_facts, write_facts

    try:
        rows = list(iter_facts(path))
    except PackageError as exc:
        fail(str(exc))
    if output:
        with output.open("w", encoding="utf-8", newline="") as handle:
            write_facts(rows, handle, fmt)
    else:
        write_facts(rows, sys.stdout, fmt)


@main.command("build-standard")
@click.option("--check", is_flag=True, help="Only report files that differ from what schema/ produces; exit 1 if any.")
def build_standard(check):
    """Regenerate the table schemas and the docs pages from schema/."""
    from .site import generated_files, write_generated

    if check:
        stale = [str(path) for path, content in generated_files().items()
                 if not path.exists() or path.read_text(encoding="utf-8") != content]
        for path in stale:
            click.echo(f"out of date: {path}")
        sys.exit(1 if stale else 0)
    for path in write_generated():
        click.echo(f"wrote {path}")


# Commands of later stages live beside their API modules and register on `main` here.
from . import cli_convert  # noqa: E402,F401
from . import cli_versions  # noqa: E402,F401
from . import cli_upgrade  # noqa: E402,F401
from . import cli_ckan  # noqa: E402,F401
from . import cli_workbook  # noqa: E402,F401
