"""`opendata version / release / checkout / diff / verify-releases`: a thin layer over
opendata.versions."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_base import EXIT_CANNOT_RUN, EXIT_INVALID, EXIT_OK, fail, main, output_option
from .package import PackageError

FROM_HELP = "Folder searched (with every folder below it) for NAME, the package name in datapackage.json."


def _fail(exc: Exception) -> None:
    from .versions import ReleaseRefused, TamperedRelease

    fail(str(exc), EXIT_INVALID if isinstance(exc, (ReleaseRefused, TamperedRelease)) else EXIT_CANNOT_RUN)


def _dump(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@main.command("version")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def version_command(path, as_json):
    """Show a package's version, created time, standard version and releases.

    Every release archive is checked against its sha256; exit code 1 when one fails."""
    from .standard import load_standard
    from .versions import package_version, summary_text

    try:
        info = package_version(path)
    except PackageError as exc:
        _fail(exc)
    if as_json:
        _dump(info.to_dict())
        sys.exit(EXIT_INVALID if info.problems else EXIT_OK)
    click.echo(f"{info.name}  {info.title or ''}".rstrip())
    click.echo(f"  版本 version:           {info.version}")
    click.echo(f"  创建 created:           {info.created}")
    click.echo(f"  标准版本 standard:      {info.standard_version} (this toolkit: {load_standard().version})")
    if info.working is not None:
        if info.working:
            click.echo(f"  工作副本 working copy:  changed since {info.latest}: {summary_text(info.working.summary())} "
                       f"(next release: {info.working.bump().upper()} → {info.next_release})")
        else:
            click.echo(f"  工作副本 working copy:  unchanged since {info.latest}")
    if not info.releases:
        click.echo(f"  发布 releases:          none yet (`opendata release {path}` freezes {info.version})")
    else:
        click.echo(f"  发布 releases:          {len(info.releases)}")
        for entry in info.releases:
            summary = entry.get("summary") or {}
            what = (summary_text(summary) if entry.get("bump") else
                    f"first release: {summary.get('tables')} tables, {summary.get('rows')} rows")
            kind = (entry.get("bump") or "").upper()
            note = f"  «{entry['note']}»" if entry.get("note") else ""
            click.echo(f"    {entry.get('version'):<10} {entry.get('date')}  {kind:<5}  sha256 {str(entry.get('sha256'))[:12]}  {what}{note}")
    for problem in info.problems:
        click.echo(f"错误 / error: {problem}", err=True)
    sys.exit(EXIT_INVALID if info.problems else EXIT_OK)


@main.command("release")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--note", help="What this release is about; goes into releases/index.json and CHANGELOG.md.")
@click.option("--version", "version", help="Release as this version instead of the computed one (must not be lower).")
def release_command(path, note, version):
    """Freeze the working package as a new version in <package>/releases/.

    The next version comes from the diff against the last release: MAJOR for a new major
    version of the standard or removed tables/rows/columns, MINOR for added ones, PATCH for
    changed values and metadata. Refused (exit 1) when nothing changed or the version exists."""
    from .versions import release, summary_text

    try:
        result = release(path, note=note, version=version)
    except PackageError as exc:
        _fail(exc)
    for line in result.notes:
        click.echo(f"注意 / note: {line}", err=True)
    if result.previous:
        click.echo(f"{result.name}: {result.previous} → {result.version} ({result.bump.upper()}: {summary_text(result.summary)})")
    else:
        click.echo(f"{result.name}: first release {result.version} "
                   f"({result.summary.get('tables')} tables, {result.summary.get('rows')} rows)")
    click.echo(f"  {result.archive}  sha256 {result.sha256}")


@main.command("checkout")
@click.argument("ref", metavar="NAME@VERSION")
@click.option("--from", "root", type=click.Path(path_type=Path), default=Path("."), show_default=True, help=FROM_HELP)
@output_option("Folder to write (must not exist or be empty).", required=True)
def checkout_command(ref, root, out):
    """Give back a released version byte for byte (VERSION may be `latest`).

    The archive is checked against its recorded sha256 first; exit code 1 when it fails."""
    from .versions import checkout, parse_ref

    try:
        name, version = parse_ref(ref)
        path = checkout(name, version, out, root=root)
    except PackageError as exc:
        _fail(exc)
    click.echo(f"{ref} → {path}")


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="Output format of the diff.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--from", "root", type=click.Path(path_type=Path), default=Path("."), show_default=True, help=FROM_HELP)
@click.option("--exit-code", is_flag=True, help="Exit 1 when the packages differ (like diff(1)).")
def diff_command(old, new, fmt, as_json, root, exit_code):
    """Cell-level diff of two package versions, keyed by table id and row_id.

    OLD and NEW are package folders, release archives (.tar.gz) or NAME@VERSION."""
    from .versions import diff

    try:
        result = diff(old, new, root=root)
    except PackageError as exc:
        _fail(exc)
    fmt = "json" if as_json else fmt
    if fmt == "json":
        _dump(result.to_dict())
    elif fmt == "markdown":
        click.echo(result.to_markdown(), nl=False)
    else:
        click.echo(result.to_text(), nl=False)
    sys.exit(EXIT_INVALID if exit_code and result else EXIT_OK)


@main.command("verify-releases")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def verify_releases_command(path, as_json):
    """Check every release archive of a package (or of every package below a folder)
    against its recorded sha256 and manifest. Exit code 1 when one fails."""
    from .versions import verify_releases

    try:
        results = verify_releases(path)
    except PackageError as exc:
        _fail(exc)
    failed = [r for r in results if not r.ok]
    if as_json:
        _dump([r.to_dict() for r in results])
    else:
        for r in results:
            status = "ok" if r.ok else "FAILED"
            click.echo(f"{status:<6} {r.name or r.path}  ({r.releases} release(s))")
            for problem in r.problems:
                click.echo(f"       {problem}")
    sys.exit(EXIT_INVALID if failed else EXIT_OK)
