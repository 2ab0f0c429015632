"""`opendata upgrade`: a thin layer over opendata.upgrade."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_base import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK, fail, main
from .package import PackageError


@main.command("upgrade")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--to", "to", metavar="VERSION", help="Standard version to move to. Default: the standard this toolkit carries.")
@click.option("--migrations", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A migrations.csv to use instead of the standard's own.")
@click.option("--dry-run", is_flag=True, help="Only say what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def upgrade_command(path, to, migrations, dry_run, as_json):
    """Move a package to a newer version of the standard.

    A newer MINOR or PATCH version only sets standardVersion; a new MAJOR version applies
    the standard's migrations (renamed tables, fields and measures, dropped fields, mapped
    codes). The package is rewritten atomically; releases/ is kept. Refused (exit 1): a
    downgrade, or a major version without a known migration."""
    from .upgrade import UpgradeRefused, upgrade

    try:
        result = upgrade(path, to=to, migrations=migrations, dry_run=dry_run)
    except UpgradeRefused as exc:
        fail(str(exc), EXIT_INVALID)
    except PackageError as exc:
        fail(str(exc), EXIT_CANNOT_RUN)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.to_text(), nl=False)
        if result.written:
            click.echo(f"  next: `opendata validate {path}`, `opendata diff <last release> {path}`, `opendata release {path}`")
    sys.exit(EXIT_OK)
