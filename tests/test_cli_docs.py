"""Every command has help text and is documented on the CLI page; `opendata --help`
shows each command's first sentence whole."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from opendata.cli import main

from .conftest import REPO, run_cli

CLI_PAGE = REPO / "site" / "docs" / "guide" / "cli.md"
COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_text(name):
    command = main.commands[name]
    assert (command.help or "").strip(), f"`opendata {name}` has no help text"
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert (param.help or "").strip(), f"`opendata {name} {param.opts[0]}` has no help text"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented_on_the_cli_page(name):
    headings = re.findall(r"^###+ .*`opendata ([a-z-]+)`", CLI_PAGE.read_text(encoding="utf-8"), flags=re.M)
    assert name in headings, f"`opendata {name}` has no section on {CLI_PAGE.name}"


def test_every_documented_command_exists():
    headings = re.findall(r"^###+ .*`opendata ([a-z-]+)`", CLI_PAGE.read_text(encoding="utf-8"), flags=re.M)
    gone = sorted(set(headings) - set(COMMANDS))
    assert not gone, f"{CLI_PAGE.name} documents commands that do not exist: {gone}"


def test_top_level_help_does_not_cut_descriptions():
    result = run_cli("--help")
    assert result.returncode == 0
    listing = result.stdout.split("Commands:", 1)[1]
    assert "..." not in listing and "…" not in listing
    for name in COMMANDS:
        first = main.commands[name].get_short_help_str(limit=10_000)
        assert " ".join(first.split()) in " ".join(listing.split()), name


def test_convert_help_names_its_input_formats():
    text = CliRunner().invoke(main, ["convert", "--help"]).output
    for suffix in (".txt", ".pdf", ".xlsx", ".xls", ".docx"):
        assert suffix in text


def test_validate_help_says_what_o_writes():
    text = CliRunner().invoke(main, ["validate", "--help"]).output
    assert "Markdown" in " ".join(text.split())
