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
def facts(path, fmt, output):
    """Every printed amount of a package (or of every package below a folder) as one long table."""
    from .facts import facts as iter_facts, write_facts

    try:
        rows = list(iter_facts(path))
    except PackageError as exc:
        fail(str(exc))
    if output:
        buffer = io.StringIO(newline="")
        write_facts(rows, buffer, fmt)
        write_output(output, buffer.getvalue())
    else:
        write_facts(rows, sys.stdout, fmt)
