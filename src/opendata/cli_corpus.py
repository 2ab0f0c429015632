"""`opendata corpus …`: the corpus database and its catalog site, a thin layer over opendata.corpus."""
from __future__ import annotations

import os
from pathlib import Path

import click

from .cli_base import fail, main, output_option


@main.group(name="corpus")
def corpus():
    """The corpus of many packages: one DuckDB database, queries, a static catalog site."""


@corpus.command(name="site")
@click.option("--db", "db_path", type=click.Path(path_type=Path), required=True,
              help="The corpus database (made by `opendata corpus build`).")
@output_option("The folder to write the site into (created; its pages are replaced).", required=True)
@click.option("--ckan-url", envvar="CKAN_URL", default=None,
              help="Link each disclosure to its dataset on this CKAN portal (default: $CKAN_URL; none: no link).")
def site(db_path, out, ckan_url):
    """Build the static catalog site of a corpus database: a page per disclosure, per unit and per
    region, a search over units, charts drawn offline; open DIR/index.html or serve DIR."""
    from .corpus.site import build_site

    try:
        summary = build_site(db_path, out, ckan_url=ckan_url or None)
    except FileNotFoundError as exc:
        fail(str(exc))
    click.echo(f"{summary.packages} packages, {summary.units} units, {summary.regions} regions: "
               f"{summary.pages} pages in {out} ({summary.seconds:.1f} s); open {os.path.join(out, 'index.html')}")
