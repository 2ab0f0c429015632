"""`opendata template` and `opendata export-xlsx`: input workbooks (see opendata.workbook)."""
from __future__ import annotations

from pathlib import Path

import click

from .cli_base import fail, main, output_option


@main.command()
@click.option("--stage", type=click.Choice(["budget", "final_accounts"]), required=True, help="Budget (预算) or final accounts (决算).")
@output_option("Workbook to write (.xlsx).", required=True)
@click.option("--year", type=int, help="Fiscal year: titles and the year's function codes in the code lists.")
@click.option("--unit", type=click.Choice(["元", "万元"]), default="元", show_default=True, help="Money unit printed in each sheet.")
def template(stage, out, year, unit):
    """Write an input workbook for an agency to fill: one sheet per table the stage requires,
    the standard's headers, code lists as drop-downs, a 说明 and a 填报信息 sheet."""
    from .workbook import WorkbookError, write_template

    try:
        path = write_template(stage, out, year=year, unit=unit)
    except WorkbookError as exc:
        fail(str(exc))
    click.echo(f"{path}: input workbook for {stage}")


@main.command("export-xlsx")
@click.argument("package", type=click.Path(path_type=Path))
@output_option("Workbook to write (.xlsx).", required=True)
def export_xlsx(package, out):
    """Write a package as an input workbook: money tables in the template's layout, every
    other table (performance tables, narrative, key figures) on record sheets read back exactly,
    and a hidden 数据包 sheet with each row's
    source_line / source_page and each table's printed title, source location and columns.

    `opendata convert` of the workbook gives the same package back: tables, rows, row ids, row
    types, values, columns, printed titles, source locations, source_line and source_page.
    Not kept: the source document (the workbook becomes the package's source), `created`,
    `conversion` (tool, warning count) and `version`."""
    from .package import PackageError, read_package
    from .workbook import WorkbookError, export_workbook

    try:
        path = export_workbook(read_package(package), out)
    except (PackageError, WorkbookError) as exc:
        fail(str(exc))
    click.echo(f"{path}: workbook written")
