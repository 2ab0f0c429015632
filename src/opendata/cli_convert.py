"""`opendata convert`: source documents -> data packages."""
from __future__ import annotations

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
@click.option("--max-pages", type=int, help="Input limit: pages of a PDF [default 2000; env OPENDATA_MAX_PAGES].")
@click.option("--max-page-stream-mb", type=int,
              help="Input limit: MB that one PDF page's streams may decode to [default 64; env OPENDATA_MAX_PAGE_STREAM_MB].")
@click.option("--max-inflated-mb", type=int,
              help="Input limit: MB that a .docx/.xlsx zip may inflate to [default 256; env OPENDATA_MAX_INFLATED_MB].")
@click.option("--max-html-mb", type=int,
              help="Input limit: MB of an HTML page [default 32; env OPENDATA_MAX_HTML_MB].")
@click.option("--max-memory-mb", type=int,
              help="Memory the conversion may take, in MB; 0: no cap [default 2048; env OPENDATA_MAX_MEMORY_MB].")
@click.option("--unit-name", help="The unit's name (单位名称), where the document does not print it (or to correct it).")
@click.option("--year", type=int, help="The fiscal year (年度), where the document does not print it.")
@click.option("--stage", help="The stage, budget (预算) or final_accounts (决算), where the document does not print it.")
def convert(sources, out, out_dir, strict, max_pages, max_page_stream_mb, max_inflated_mb, max_html_mb, max_memory_mb,
            unit_name, year, stage):
    """Convert disclosure documents into data packages.

    \b
    Input formats (detected from the content; the extension only breaks ties):
      .txt / .text  text of the document (UTF-8, GB18030/GBK or with a BOM)
      .pdf          PDF with a text layer (scans without text are refused)
      .xlsx / .xls  Excel workbooks, including the standard's input workbook
      .docx         Word documents (tables and paragraphs)
      .html / .htm  web pages, also saved as .pdf or .xls (tables and text)

    Everything the converter did not understand is printed as a warning (file, line, table).
    A unit name, year or stage the document does not print is a warning too (the package
    records it as missing); give it with --unit-name, --year, --stage. The descriptor's
    metadataSources says where each of the three came from.
    A document that cannot be converted, or exceeds an input limit, gets an error, exit 2
    and no output."""
    from .convert import ConversionError, Limits, StrictRefused, convert_many
    from .package import PackageError

    if bool(out) == bool(out_dir) or (out and len(sources) > 1):
        fail("give --out PACKAGE_DIR for one source, or --out-dir DIR for one or more sources")
    try:
        limits = Limits.from_env(max_pages=max_pages, max_page_stream_mb=max_page_stream_mb,
                                 max_inflated_mb=max_inflated_mb, max_html_mb=max_html_mb,
                                 max_memory_mb=max_memory_mb)
    except ConversionError as exc:
        fail(str(exc))

    def converted(source, result):
        for warning in result.warnings:
            click.echo(f"警告 / warning: {warning}", err=True)

    def written(result):
        tables = result.disclosure.tables
        click.echo(f"{result.path}: {len(tables)} tables, {sum(len(t.rows) for t in tables.values())} rows, "
                   f"{len(result.warnings)} warning(s)")

    try:
        convert_many(sources, out=out, out_dir=out_dir, strict=strict, limits=limits, converted=converted, written=written,
                     unit_name=unit_name, year=year, stage=stage)
    except StrictRefused as exc:
        fail(f"{exc.source}: {len(exc.result.warnings)} warning(s) with --strict; nothing written", EXIT_INVALID)
    except (ConversionError, PackageError, ValueError) as exc:
        fail(str(exc))
    sys.exit(0)
