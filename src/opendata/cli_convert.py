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
@click.option("--keep-going", is_flag=True,
              help="With --out-dir: convert every source on its own; a refused one does not stop the others "
                   "(exit 2 if any was refused, after writing the rest).")
@click.option("--jobs", type=int, default=1, show_default=True,
              help="With --keep-going: documents converted in parallel (0: one per CPU).")
@click.option("--report", "report_path", type=click.Path(path_type=Path),
              help="With --keep-going: write a JSON report (summary and one item per source) to this file.")
def convert(sources, out, out_dir, strict, max_pages, max_page_stream_mb, max_inflated_mb, max_html_mb, max_memory_mb,
            unit_name, year, stage, keep_going, jobs, report_path):
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
    and no output; without --keep-going nothing is written if any source is refused.

    \b
    With --keep-going (and --out-dir) every source is converted on its own: the packages
    of those that convert are written, each refused one is named with its reason, and a
    summary line gives the counts (converted, refused, tables, rows, amounts, warnings).
    --jobs N converts N documents at a time; --report FILE writes the outcome of every
    source as JSON. Exit 0 if all converted, 2 if any was refused or not written."""
    from .convert import ConversionError, Limits, StrictRefused, convert_many
    from .package import PackageError

    if bool(out) == bool(out_dir) or (out and len(sources) > 1):
        fail("give --out PACKAGE_DIR for one source, or --out-dir DIR for one or more sources")
    if (jobs != 1 or report_path) and not keep_going:
        fail("--jobs and --report go with --keep-going")
    if keep_going and (not out_dir or strict):
        fail("--keep-going needs --out-dir and cannot be combined with --strict")
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

    if keep_going:
        keep_going_batch(sources, out_dir, jobs, limits, report_path, unit_name=unit_name, year=year, stage=stage)
    try:
        convert_many(sources, out=out, out_dir=out_dir, strict=strict, limits=limits, converted=converted, written=written,
                     unit_name=unit_name, year=year, stage=stage)
    except StrictRefused as exc:
        fail(f"{exc.source}: {len(exc.result.warnings)} warning(s) with --strict; nothing written", EXIT_INVALID)
    except (ConversionError, PackageError, ValueError) as exc:
        fail(str(exc))
    sys.exit(0)


def keep_going_batch(sources, out_dir, jobs, limits, report_path, **given):
    """`convert --keep-going`: `opendata.convert.batch.convert_batch`, printing each outcome and
    the summary; exits 0 if every source converted, else 2."""
    import json

    from .convert.batch import CONVERTED, convert_batch
    from .package import write_atomic

    def done(item, result):
        if item.status == CONVERTED:
            for warning in item.warning_texts:
                click.echo(f"警告 / warning: {warning}", err=True)
            click.echo(f"{item.package}: {len(item.tables)} tables, {item.rows} rows, {item.warnings} warning(s)")
        else:
            click.echo(f"错误 / error: {item.error}", err=True)

    try:
        report = convert_batch(sources, out_dir, jobs=jobs, limits=limits, done=done, **given)
    except ValueError as exc:
        fail(str(exc))
    summary = report.summary()
    click.echo("summary: {sources} source(s), {converted} converted, {refused} refused, {not_written} not written; "
               "{tables} tables, {rows} rows, {amounts} amounts, {warnings} warning(s); {seconds} s".format(**summary))
    if report_path:
        write_atomic(report_path, (json.dumps(report.as_json(), ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    sys.exit(0 if not report.failed else 2)
