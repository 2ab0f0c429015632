"""`opendata publish / pull / ckan-schema`: a thin layer over opendata.ckan."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_base import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK, fail, main
from .package import PackageError

CONFIG_HELP = "INI file with a [ckan] section (url, token). Default: ~/.config/opendata/ckan.ini."


def _portal(ckan_url: str | None, config: Path | None, need_token: bool, retries: int = 4):
    from .ckan import Portal, read_config, resolve_token

    url = ckan_url or read_config(config).get("url")
    if not url:
        fail("no portal address: give --ckan URL (or CKAN_URL, or url in the config file)")
    token = resolve_token(config)
    if need_token and not token:
        fail("no API token: set CKAN_API_TOKEN or put `token = …` in the [ckan] section of "
             f"{config or '~/.config/opendata/ckan.ini'}", EXIT_INVALID)
    return Portal(url, token, retries=retries)


@main.command("publish")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--ckan", "ckan_url", envvar="CKAN_URL", help="The portal's address (or CKAN_URL).")
@click.option("--org", help="Organization name (created when missing and allowed). Default: division-unit code.")
@click.option("--dry-run", is_flag=True, help="List what would be created or changed; write nothing.")
@click.option("--allow-invalid", is_flag=True, help="Publish packages that have validation errors.")
@click.option("--excel-csv", is_flag=True, help="Also upload every table as UTF-8 CSV with BOM (<table>-excel).")
@click.option("--config", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--retries", type=int, default=4, show_default=True, help="Retries of a failed call (backoff 1 s, 2 s, 4 s …).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def publish_command(path, ckan_url, org, dry_run, allow_invalid, excel_csv, config, retries, as_json):
    """Publish a package, or every package below a folder, to a CKAN portal.

    One dataset per package (named by the package), its tables as CSV uploads and in the
    DataStore, datapackage.json, the validation report and the source document. An unchanged
    package makes no write call; a changed one is updated in place. Run again after a failure.
    The token comes from CKAN_API_TOKEN or the config file and is never printed.

    Exit code 0: published; 1: refused (invalid package, authorization) or failed; 2: could not run."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .ckan import AuthError, publish
    from .package import find_packages

    try:
        packages = find_packages(path)
    except PackageError as exc:
        fail(str(exc))
    portal = _portal(ckan_url, config, need_token=not dry_run, retries=retries)
    err = Console(stderr=True)
    options = dict(org=org, dry_run=dry_run, allow_invalid=allow_invalid, excel_csv=excel_csv)
    try:
        if len(packages) > 1:
            with Progress(TextColumn("发布 publishing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          TextColumn("{task.description}"), console=err, transient=not err.is_terminal) as bar:
                task = bar.add_task("", total=len(packages))
                results = publish(portal, packages, progress=lambda r: bar.update(
                    task, advance=1, description=f"{r.name}: {r.status}"), **options)
        else:
            results = publish(portal, packages, **options)
    except AuthError as exc:
        fail(str(exc), EXIT_INVALID)
    finally:
        portal.close()
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            if dry_run or len(packages) == 1:
                click.echo(f"{r.name}: {r.status}" + (f" — {r.error}" if r.error else ""))
                for step in r.steps:
                    click.echo(f"  {'would ' if dry_run else ''}{step}")
        counts: dict[str, int] = {}
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
        if len(packages) > 1:
            table = Table(title="发布结果 Publish summary")
            for column in ("数据集 dataset", "结果 status", "写调用 writes", "秒 s", ""):
                table.add_column(column)
            for r in results:
                table.add_row(r.name, r.status, str(r.writes), f"{r.seconds:.1f}", r.error or "")
            Console().print(table)
        click.echo("  ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
                   + f"  (write calls: {sum(r.writes for r in results)}; {portal.url})")
    sys.exit(EXIT_INVALID if any(r.status in ("failed", "refused") for r in results) else EXIT_OK)


@main.command("pull")
@click.argument("dataset")
@click.option("--ckan", "ckan_url", envvar="CKAN_URL", help="The portal's address (or CKAN_URL).")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Folder to write the package into.")
@click.option("--config", type=click.Path(path_type=Path), help=CONFIG_HELP)
def pull_command(dataset, ckan_url, out, config):
    """Rebuild a package from a CKAN portal (datapackage.json, CSV downloads, source document).

    Every download is checked against the sha256 the publisher recorded."""
    from .ckan import AuthError, PublishError, pull_package

    portal = _portal(ckan_url, config, need_token=False)
    try:
        path = pull_package(portal, dataset, out)
    except AuthError as exc:
        fail(str(exc), EXIT_INVALID)
    except (PublishError, PackageError) as exc:
        fail(str(exc), EXIT_CANNOT_RUN)
    finally:
        portal.close()
    click.echo(f"{dataset} → {path}")


@main.command("ckan-schema")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
def ckan_schema_command(out):
    """A ckanext-scheming dataset schema (JSON) generated from the standard."""
    from .ckan import scheming_schema_text

    text = scheming_schema_text()
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}")
    else:
        click.echo(text, nl=False)
