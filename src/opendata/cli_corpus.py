"""`opendata corpus build` and `opendata corpus query`: many packages as one DuckDB database."""
from __future__ import annotations

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
    tables, facts, findings and execution (site/docs/guide/corpus.md). An unchanged package is not
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
