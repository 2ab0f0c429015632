"""`opendata convert`: source document -> data package."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import EXIT_CANNOT_RUN, fail, main


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="Package folder to write (or, with several sources, the folder to write packages into).")
@click.option("--strict", is_flag=True, help="Exit non-zero when the conversion reported warnings.")
def convert(source, out, strict):
    """Convert a disclosure document into a data package."""
    from .convert import ConversionError, convert_file
    from .package import write_package

    try:
        result = convert_file(source)
    except ConversionError as exc:
        fail(str(exc))
    for warning in result.warnings:
        click.echo(f"警告 / warning: {warning}", err=True)
    if strict and result.warnings:
        fail(f"{len(result.warnings)} warning(s) with --strict; nothing written", EXIT_CANNOT_RUN)
    path = write_package(result.disclosure, out)
    tables = result.disclosure.tables
    click.echo(f"{path}: {len(tables)} tables, {sum(len(t.rows) for t in tables.values())} rows, {len(result.warnings)} warning(s)")
    sys.exit(0)
