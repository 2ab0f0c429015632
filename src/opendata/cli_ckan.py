"""`opendata publish / pull / ckan-schema`: a thin layer over opendata.ckan."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_base import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK, fail, main, output_option, write_output
from .package import PackageError

CONFIG_HELP = "INI file with a [ckan] section (url, token). Default: ~/.config/opendata/ckan.ini."


def _portal(ckan_url: str | None, config: Path | None, need_token: bool, retries: int = 4, offline: bool = False):
    """The portal of --ckan / CKAN_URL / the config file. With `offline` (a dry run) and no
    address: EmptyPortal, so the plan is that of a first publication."""
    from .ckan import ConfigError, EmptyPortal, Portal, read_config, resolve_token

    try:
        settings = read_config(config)  # read even when not needed: a bad or missing file is an error
        url = ckan_url or settings.get("url")
        token = resolve_token(config)
    except ConfigError as exc:  # names the file and line, never its content
        fail(str(exc))
    if not url and offline:
        click.echo("no portal address given: planned as for a portal that holds nothing yet "
                   "(未指定门户地址，按首次发布列出)", err=True)
        return EmptyPortal()
    if not url:
        fail("no portal address: give --ckan URL (or CKAN_URL, or url in the config file)")
    if need_token and not token:
        fail("no API token: set CKAN_API_TOKEN or put `token = …` in the [ckan] section of "
             f"{config or '~/.config/opendata/ckan.ini'}", EXIT_INVALID)
    try:
        return Portal(url, token, retries=retries)
    except ConfigError as exc:  # an address with credentials, query or fragment: masked
        fail(str(exc))


@main.command("publish")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--ckan", "ckan_url", envvar="CKAN_URL", help="The portal's address (or CKAN_URL).")
@click.option("--org", help="Organization name (created when missing and allowed). Default: division-unit code.")
@click.option("--dry-run", is_flag=True, help="List what would be created or changed; write nothing. "
              "Without a portal address: what a first publication would create.")
@click.option("--allow-invalid", is_flag=True, help="Publish packages that have validation errors.")
@click.option("--excel-csv", is_flag=True, help="Also upload every table as UTF-8 CSV with BOM (<table>-excel).")
@click.option("--verify", is_flag=True,
              help="Also download every resource and read every DataStore table, compare them with the "
                   "package, and repair what was changed on the portal (slower: reads everything).")
@click.option("--config", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--retries", type=int, default=4, show_default=True,
              help="Retries of a call that timed out or got a 5xx answer (backoff 1 s, 2 s, 4 s …; "
                   "at most 30 s per call, 120 s per run).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def publish_command(path, ckan_url, org, dry_run, allow_invalid, excel_csv, verify, config, retries, as_json):
    """Publish a package, or every package below a folder, to a CKAN portal.

    One dataset per package (named by the package), its tables as CSV uploads and in the
    DataStore, datapackage.json, the validation report and the source document. An unchanged
    package makes no write call; a changed one is updated in place. Run again after a failure.
    The token comes from CKAN_API_TOKEN or the config file and is never printed.

    \b
    Before any write:
      - two packages with the same name are refused (both folders named; nothing published);
      - every table's CSV is read and its DataStore rows built: a CSV that is not UTF-8, holds
        a NUL character, a non-number in a number column or a repeated row_id is refused
        (file and line named) and the other packages go on. A UTF-8 BOM is stripped before loading the
        DataStore (validation still reports it as table.encoding).

    \b
    When the portal cannot be reached (connection refused, unknown host, no route) the run
    stops within seconds with one message; the packages not tried are listed as "not
    attempted". Timeouts and 5xx answers are retried, bounded in time.

    \b
    --verify: publishing trusts the sha256 recorded on the portal; a file re-uploaded or a
    DataStore row edited directly on the portal is only noticed with --verify, which downloads
    and compares everything, repairs what drifted and reports it (status "repaired").

    \b
    Write calls are counted when sent and they may have landed, failed packages included;
    "outcome unknown" counts the ones whose answer was lost.

    Exit code 0: published; 1: refused (invalid or unreadable package, duplicate names,
    authorization), failed or portal unreachable; 2: could not run."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .ckan import AuthError, PortalDown, PublishError, publish
    from .package import find_packages

    try:
        packages = find_packages(path)
    except PackageError as exc:
        fail(str(exc))
    portal = _portal(ckan_url, config, need_token=not dry_run, retries=retries, offline=dry_run)
    err = Console(stderr=True)
    options = dict(org=org, dry_run=dry_run, allow_invalid=allow_invalid, excel_csv=excel_csv, verify=verify)
    stopped = None
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
    except PortalDown as exc:
        results, stopped = exc.results, exc
    except PublishError as exc:  # refused before any write (duplicate names)
        fail(str(exc), EXIT_INVALID)
    finally:
        portal.close()
    writes = sum(r.writes for r in results)
    unknown = sum(r.writes_unknown for r in results)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    if stopped is not None:
        done = [r for r in results if r.status not in ("failed", "not attempted")]
        fail(f"{stopped} — the run stopped: of {len(results)} package(s), {len(done)} done, "
             f"{sum(r.status == 'failed' for r in results)} failed, "
             f"{sum(r.status == 'not attempted' for r in results)} not attempted; write calls sent: {writes}"
             + (f" ({unknown} with outcome unknown)" if unknown else "")
             + ". Run the same command again when the portal answers.", EXIT_INVALID)
    if not as_json:
        for r in results:
            if dry_run or len(packages) == 1 or r.drift:
                click.echo(f"{r.name}: {r.status}" + (f" — {r.error}" if r.error else ""))
                for finding in r.drift:
                    click.echo(f"  drift: {finding}")
                if dry_run or len(packages) == 1:
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
                table.add_row(r.name, r.status, str(r.writes) + (f" ({r.writes_unknown}?)" if r.writes_unknown else ""),
                              f"{r.seconds:.1f}", r.error or "")
            Console().print(table)
        click.echo("  ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
                   + f"  (write calls: {writes}" + (f", {unknown} with outcome unknown" if unknown else "")
                   + (f"; drift found in {sum(bool(r.drift) for r in results)}" if verify else "")
                   + f"; {portal.url})")
    sys.exit(EXIT_INVALID if any(r.status in ("failed", "refused") for r in results) else EXIT_OK)


@main.command("pull")
@click.argument("dataset")
@click.option("--ckan", "ckan_url", envvar="CKAN_URL", help="The portal's address (or CKAN_URL).")
@output_option("Package folder to write the package into.")
@click.option("--out-dir", "out_dir", type=click.Path(path_type=Path),
              help="Folder to write the package into, in a folder named by its package name.")
@click.option("--config", type=click.Path(path_type=Path), help=CONFIG_HELP)
def pull_command(dataset, ckan_url, out, out_dir, config):
    """Rebuild a package from a CKAN portal (datapackage.json, CSV downloads, source document).

    Give --out DIR (the package is written into DIR, like convert --out) or --out-dir DIR
    (into DIR/<package name>, like convert --out-dir). Every download is checked against the
    sha256 the publisher recorded."""
    from .ckan import AuthError, PublishError, pull_package

    if bool(out) == bool(out_dir):
        fail("give --out PACKAGE_DIR (the package folder) or --out-dir DIR (DIR/<package name>), one of them")
    portal = _portal(ckan_url, config, need_token=False)
    try:
        path = pull_package(portal, dataset, out, out_dir=out_dir)
    except AuthError as exc:
        fail(str(exc), EXIT_INVALID)
    except (PublishError, PackageError) as exc:
        fail(str(exc), EXIT_CANNOT_RUN)
    except OSError as exc:  # writing the package folder
        fail(f"cannot write below {out or out_dir}: {exc}", EXIT_CANNOT_RUN)
    finally:
        portal.close()
    click.echo(f"{dataset} → {path}")


@main.command("ckan-schema")
@output_option("Write to a file instead of stdout.")
def ckan_schema_command(out):
    """A ckanext-scheming dataset schema (JSON) generated from the standard."""
    from .ckan import scheming_schema_text

    text = scheming_schema_text()
    if out:
        write_output(out, text, make_parents=True)
        click.echo(f"wrote {out}")
    else:
        click.echo(text, nl=False)
