"""What every command module of the command line shares: the `main` group that commands
register on, the exit codes and `fail` (one line on stderr, no traceback).

This module is the bottom of the CLI: the command modules (`cli_*.py`) import it, and
`opendata.cli` (the entry point) imports them; nothing here imports a command module.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .package import write_atomic
from .version import __version__

EXIT_OK, EXIT_INVALID, EXIT_CANNOT_RUN = 0, 1, 2


def fail(message: str, code: int = EXIT_CANNOT_RUN) -> None:
    """Print `错误 / error: <message>` on stderr and exit with `code` (default 2, could not run)."""
    click.echo(f"错误 / error: {message}", err=True)
    sys.exit(code)


def write_output(path: Path, text: str, *, make_parents: bool = False) -> None:
    """Write a command's `--output` file: `text` as UTF-8, atomically (`opendata.package.write_atomic`:
    the old file or the new one, never half of one). With `make_parents`, missing folders are
    made first. A file that cannot be written ends the command with `fail` (exit 2) naming it."""
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        fail(f"{path}: cannot be written ({exc.strerror or exc})")


def output_option(help: str, *, dest: str = "out", required: bool = False):
    """The option of a command that writes one file or folder, the same on every command:
    `-o`, `--out` and `--output` are one option (the value lands in `dest`)."""
    return click.option("-o", "--out", "--output", dest, type=click.Path(path_type=Path), required=required,
                        help=help + " (-o, --out and --output are the same option.)")


class FullHelpGroup(click.Group):
    """A command group whose command list shows each command's whole first sentence,
    wrapped to the terminal, instead of cutting it with "…" at 45 characters."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the Commands section: each command with the whole first sentence of its help."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=FullHelpGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opendata")
def main():
    """opendata: 部门预算/决算公开数据 — convert, validate and publish budget disclosures."""
