"""`opendata convert`: source documents -> data packages."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli_base import EXIT_INVALID, fail, main, output_option


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option("Package folder to write (one source).")
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
@click.option("--jobs", type=int, default=0, show_default=True,
              help="With --out-dir: documents converted at a time (0: one per CPU); with --out: scanned pages read by OCR at a time.")
@click.option("--report", "report_path", type=click.Path(path_type=Path),
              help="With --out-dir: write the outcome of every source (and the summary) as JSON to this file.")
def convert(sources, out, out_dir, strict, max_pages, max_page_stream_mb, max_inflated_mb, max_html_mb, max_memory_mb,
            unit_name, year, stage, jobs, report_path):
    """Convert disclosure documents into data packages.

    \b
    Input formats (detected from the content; the extension only breaks ties):
      .txt / .text  text of the document (UTF-8, GB18030/GBK or with a BOM)
      .pdf          PDF; scanned pages (no text layer) are read by OCR (Tesseract, chi_sim)
      .xlsx / .xls  Excel workbooks, including the standard's input workbook
      .docx         Word documents (tables and paragraphs)
      .html / .htm  web pages, also saved as .pdf or .xls (tables and text)

    Everything the converter did not understand is printed as a warning (file, line, table).
    A unit name, year or stage the document does not print is a warning too (the package
    records it as missing); give it with --unit-name, --year, --stage. The descriptor's
    metadataSources says where each of the three came from.

    \b
    --out DIR: one document; one that cannot be converted, or exceeds an input limit,
    gets an error, exit 2 and no output (--strict: exit 1 on warnings, nothing written).
    --out-dir DIR: every document on its own, --jobs at a time, each package written to
    DIR/<package name> all or nothing; one refused document never stops the others. A
    progress bar (on a terminal), each refusal with its reason, and a summary table;
    --report FILE writes the outcome of every source as JSON. Exit 0 when every package
    was written, 1 when the only failures are --strict refusals, 2 otherwise."""
    from .convert import ConversionError, Limits, StrictRefused, convert_to_package
    from .package import PackageError

    if bool(out) == bool(out_dir) or (out and len(sources) > 1):
        fail("give --out PACKAGE_DIR for one source, or --out-dir DIR for one or more sources")
    if out and report_path:
        fail("--report goes with --out-dir")
    if jobs > 0 or out_dir:   # OCR of scanned pages (convert/ocr.py): --jobs pages at a time, one when documents run side by side
        os.environ["OPENDATA_OCR_JOBS"] = str(jobs if out else 1)
    try:
        limits = Limits.from_env(max_pages=max_pages, max_page_stream_mb=max_page_stream_mb,
                                 max_inflated_mb=max_inflated_mb, max_html_mb=max_html_mb,
                                 max_memory_mb=max_memory_mb)
    except ConversionError as exc:
        fail(str(exc))
    given = {"unit_name": unit_name, "year": year, "stage": stage}
    if out_dir:
        convert_into_folder(sources, out_dir, jobs, strict, limits, report_path, given)
    try:
        result = convert_to_package(sources[0], out, strict=strict, limits=limits, **given)
    except StrictRefused as exc:
        show_warnings(exc.result.warnings)
        fail(f"{exc.source}: {len(exc.result.warnings)} warning(s) with --strict; nothing written", EXIT_INVALID)
    except (ConversionError, PackageError, ValueError) as exc:
        fail(str(exc))
    show_warnings(result.warnings)
    tables = result.disclosure.tables
    click.echo(f"{result.path}: {len(tables)} tables, {sum(len(t.rows) for t in tables.values())} rows, "
               f"{len(result.warnings)} warning(s)")
    sys.exit(0)


def show_warnings(warnings) -> None:
    """Print each warning of a conversion on stderr."""
    for warning in warnings:
        click.echo(f"警告 / warning: {warning}", err=True)


def convert_into_folder(sources, out_dir, jobs, strict, limits, report_path, given):
    """`convert --out-dir`: `opendata.convert.batch.convert_batch`, with a progress bar on a
    terminal, each document's warnings or refusal, a summary table and the JSON report; exits
    0 when every package was written, 1 when only --strict refused some, else 2."""
    import json

    from .convert.batch import CONVERTED, STRICT_REFUSED, BatchReport, check_writable, convert_batch
    from .package import PackageError, write_atomic

    def write_report(data: dict) -> None:
        try:
            write_atomic(report_path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        except OSError as exc:
            fail(f"{report_path}: the report was not written ({exc.strerror or exc})")

    bar = click.progressbar(length=len(sources), label="converting", file=sys.stderr) if sys.stderr.isatty() else None

    def done(item, result):
        if bar:  # the bar's line is cleared so that what follows starts a line of its own
            sys.stderr.write("\r\x1b[K")
        show_warnings(item.warning_texts)
        if item.status != CONVERTED:
            click.echo(f"错误 / error: {item.error}", err=True)
        if bar:
            bar.update(1)

    if report_path:
        try:
            check_writable(Path(report_path).parent, "--report")
        except PackageError as exc:
            fail(str(exc))
    try:
        report = convert_batch(sources, out_dir, jobs=jobs, strict=strict, limits=limits, done=done, **given)
    except (PackageError, ValueError) as exc:
        if report_path:  # the report says why nothing was converted
            write_report({"error": str(exc), **BatchReport([]).as_json()})
        fail(str(exc))
    if bar:
        bar.render_finish()
    click.echo(f"{'status':14} {'tables':>6} {'rows':>6} {'warnings':>8}  package / source")
    for item in report.items:
        click.echo(f"{item.status:14} {len(item.tables):6d} {item.rows:6d} {item.warnings:8d}  {item.package or item.source}")
    summary = report.summary()
    click.echo("summary: {sources} source(s), {converted} converted, {refused} refused, {refused_strict} refused by --strict, "
               "{not_written} not written; {tables} tables, {rows} rows, {amounts} amounts, {warnings} warning(s); "
               "{seconds} s".format(**summary))
    if report_path:
        write_report(report.as_json())
    failed = {item.status for item in report.failed}
    sys.exit(0 if not failed else EXIT_INVALID if failed == {STRICT_REFUSED} else 2)
