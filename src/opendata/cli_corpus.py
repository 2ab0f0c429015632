"""`opendata corpus build`, `opendata corpus query` and `opendata corpus site`: many packages as one DuckDB
database, and its static catalog site."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli_base import EXIT_INVALID, fail, main, output_option


@main.group()
def corpus():
    """The corpus as one DuckDB database: build it from packages, query it with SQL."""


@corpus.command("build")
@click.argument("packages", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PACKAGES...")
@output_option("The database file (e.g. corpus.duckdb); made when missing, else updated incrementally.", required=True)
@click.option("--parquet", "parquet_dir", type=click.Path(path_type=Path),
              help="Also write each view as DIR/<view>.parquet.")
@click.option("--no-validate", is_flag=True, help="Do not validate the packages (the findings view stays empty for them).")
def build_command(packages, out, parquet_dir, no_validate):
    """Load packages (folders of a package, or folders of packages) into one database: views packages,
    tables, facts, key_figures, findings and execution (site/docs/guide/corpus.md). An unchanged package is not
    reloaded. Exit code 1 when an input could not be loaded (the others are), 2 when nothing could run."""
    from .corpus import build

    try:
        summary = build(packages, out, parquet_dir=parquet_dir, validate=not no_validate)
    except OSError as exc:
        fail(f"{out}: cannot be written ({exc.strerror or exc})")
    for path, message in summary.errors:
        click.echo(f"错误 / error: {message}" if path in message else f"错误 / error: {path}: {message}", err=True)
    click.echo(f"{out}: {summary.loaded} loaded, {summary.unchanged} unchanged, {summary.removed} removed, "
               f"{summary.failed} failed; {summary.facts} facts in {summary.seconds:.1f} s", err=True)
    if not summary.ok:
        sys.exit(EXIT_INVALID)


@corpus.command("query")
@click.argument("sql")
@click.option("--db", "db_path", type=click.Path(path_type=Path), required=True, help="The corpus database.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table (aligned text), csv, or json (amounts as exact JSON numbers).")
def query_command(sql, db_path, fmt):
    """Run one SQL statement on a corpus database (read-only) and print the result."""
    import duckdb

    from .corpus import format_result, query

    try:
        result = query(db_path, sql)
    except FileNotFoundError as exc:
        fail(str(exc))
    except duckdb.Error as exc:
        fail(f"SQL: {exc}")
    click.echo(format_result(result, fmt), nl=False)


@corpus.command("site")
@click.option("--db", "db_path", type=click.Path(path_type=Path), required=True,
              help="The corpus database (made by `opendata corpus build`).")
@output_option("The folder to write the site into (created; its pages are replaced).", required=True)
@click.option("--ckan-url", envvar="CKAN_URL", default=None,
              help="Link each disclosure to its dataset on this CKAN portal (default: $CKAN_URL; none: no link).")
def site_command(db_path, out, ckan_url):
    """Build the static catalog site of a corpus database: a page per disclosure, per unit and per
    region, a search over units, charts drawn offline; open DIR/index.html or serve DIR."""
    from .corpus.site import build_site

    try:
        summary = build_site(db_path, out, ckan_url=ckan_url or None)
    except FileNotFoundError as exc:
        fail(str(exc))
    click.echo(f"{summary.packages} packages, {summary.units} units, {summary.regions} regions: "
               f"{summary.pages} pages in {out} ({summary.seconds:.1f} s); open {os.path.join(out, 'index.html')}")
