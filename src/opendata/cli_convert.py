"""`opendata convert`: source documents -> data packages."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_base import EXIT_INVALID, fail, main


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path),
              help="Package folder to write (one source).")
@click.option("--out-dir", "out_dir", type=click.Path(path_type=Path),
              help="Folder to write one package per source into, each named by its package name.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors: exit 1 and write nothing.")
def convert(sources, out, out_dir, strict):
    """Convert disclosure documents into data packages.

    \b
    Input formats (by file extension):
      .txt / .text  text of the document (UTF-8, GB18030/GBK or with a BOM)
      .pdf          PDF with a text layer (scans without text are refused)
      .xlsx / .xls  Excel workbooks, including the standard's input workbook
      .docx         Word documents (tables and paragraphs)

    Everything the converter did not understand is printed as a warning (file, line, table).
    A document that cannot be converted gets an error, exit 2 and no output."""
    from .convert import ConversionError, convert_file
    from .package import write_package

    if bool(out) == bool(out_dir) or (out and len(sources) > 1):
        fail("give --out PACKAGE_DIR for one source, or --out-dir DIR for one or more sources")
    results = []
    for source in sources:
        try:
            result = convert_file(source)
        except ConversionError as exc:
            fail(str(exc))
        for warning in result.warnings:
            click.echo(f"警告 / warning: {warning}", err=True)
        if strict and result.warnings:
            fail(f"{source}: {len(result.warnings)} warning(s) with --strict; nothing written", EXIT_INVALID)
        results.append(result)
    for result in results:
        target = out or out_dir / result.disclosure.name
        keep_created(result.disclosure, target)
        path = write_package(result.disclosure, target)
        tables = result.disclosure.tables
        click.echo(f"{path}: {len(tables)} tables, {sum(len(t.rows) for t in tables.values())} rows, {len(result.warnings)} warning(s)")
    sys.exit(0)


def keep_created(disclosure, target: Path) -> None:
    """Regenerating a package keeps its version and creation time; releases change them."""
    descriptor = target / "datapackage.json"
    if descriptor.exists():
        try:
            old = json.loads(descriptor.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        disclosure.created = old.get("created") or disclosure.created
        disclosure.version = old.get("version") or disclosure.version

