"""`opendata facts`: every printed amount of packages as one long table."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import click

from .cli_base import fail, main, output_option, write_output
from .package import PackageError


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
              help="csv (amounts as plain decimals in 元) or json (amounts as exact JSON numbers).")
@output_option("Write to a file instead of stdout.", dest="output")
@click.option("--table", "tables", multiple=True, help="Only this table (repeatable), e.g. three_public_expenses.")
@click.option("--line", "lines", multiple=True, help="Only this canonical line (repeatable; codelists/lines.csv), e.g. reception.")
@click.option("--measure", "measures", multiple=True, help="Only this measure (repeatable), e.g. total.")
@click.option("--project", "projects", multiple=True, help="Only this project, its name as printed or its code (repeatable).")
@click.option("--period", "periods", multiple=True, help="Only this period heading, as printed (repeatable), e.g. 2026年预算数.")
@click.option("--own-rows", is_flag=True, help="Leave out the rows of units a table lists (unit_code / unit_name set).")
def facts(path, fmt, output, tables, lines, measures, projects, periods, own_rows):
    """Every printed amount of a package (or of every package below a folder) as one long table;
    the filters keep the facts that match every option given (any of an option's values)."""
    from .facts import facts as iter_facts, write_facts

    wanted = {"table": tables, "line": lines, "measure": measures, "project": projects, "period": periods}
    try:
        rows = [row for row in iter_facts(path)
                if all(not values or row[key] in values or (key == "project" and row["project_code"] in values)
                       for key, values in wanted.items())
                and not (own_rows and (row["unit_code"] or row["unit_name"]))]
    except PackageError as exc:
        fail(str(exc))
    if output:
        buffer = io.StringIO(newline="")
        write_facts(rows, buffer, fmt)
        write_output(output, buffer.getvalue())
    else:
        write_facts(rows, sys.stdout, fmt)
