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


def api_table() -> dict[str, list[str]]:
    """The table "命令行 CLI | Python" at the top of the CLI page: command -> the API names its row gives."""
    text = CLI_PAGE.read_text(encoding="utf-8")
    table = text[text.index("| 命令行 CLI | Python |"):].split("\n\n", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in table.splitlines()[2:]:
        cli, python = line.strip("|").split("|", 1)
        command = re.search(r"`opendata ([a-z-]+)", cli)
        names = re.findall(r"(opendata(?:\.[A-Za-z_]\w*)+)\(", python)
        rows.setdefault(command.group(1) if command else "—", []).extend(names)
    return rows


def resolve(dotted: str):
    """`opendata.x.y` as a Python user reaches it: attributes from `opendata`, else the module path."""
    import importlib

    import opendata

    value, parts = opendata, dotted.split(".")[1:]
    try:
        for part in parts:
            value = getattr(value, part)
        return value
    except AttributeError:
        pass
    for cut in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(["opendata", *parts[:cut]]))
        except ImportError:
            continue
        for part in parts[cut:]:
            value = getattr(value, part)
        return value
    raise AttributeError(dotted)


def test_every_command_has_its_python_function_in_the_table():
    rows = api_table()
    missing = sorted(set(COMMANDS) - set(rows))
    assert not missing, f"the table at the top of {CLI_PAGE.name} has no row for: {missing}"
    assert all(rows[name] for name in COMMANDS), {name: rows[name] for name in COMMANDS if not rows[name]}


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_calls_a_public_function_its_row_names(name):
    import inspect

    names = api_table()[name]
    functions = {}
    for dotted in names:
        value = resolve(dotted)
        assert callable(value), f"{dotted} is not a function"
        if dotted.count(".") == 1:  # the top-level API
            assert (value.__doc__ or "").strip(), f"{dotted} has no docstring"
        functions[dotted] = getattr(value, "__name__", dotted.rsplit(".", 1)[-1])
    command = main.commands[name]
    # a group of commands (opendata corpus build / query): the callbacks of its commands
    callbacks = [sub.callback for sub in getattr(command, "commands", {}).values()] or [command.callback]
    source = "".join(inspect.getsource(callback) for callback in callbacks)
    called = [dotted for dotted, function in functions.items()
              if re.search(rf"\b{function}\(", source) or re.search(rf"\bimport [^\n]*\b{function} as \w+", source)]
    assert called, f"`opendata {name}` calls none of {names} (the functions its row of the table names)"


OUTPUT_SPELLINGS = {"-o", "--out", "--output"}


@pytest.mark.parametrize("name", COMMANDS)
def test_one_output_option_spelled_the_same_on_every_command(name):
    """A command writing one file or folder takes -o, --out and --output, all as one option."""
    options = [param for param in main.commands[name].params if param.param_type_name == "option"]
    spelled = [param for param in options if OUTPUT_SPELLINGS & set(param.opts)]
    if spelled:
        assert len(spelled) == 1 and set(spelled[0].opts) == OUTPUT_SPELLINGS, (name, [p.opts for p in spelled])


def test_old_and_new_output_spellings_write_the_same(tmp_path):
    package = REPO / "datapackages" / "410303-309001-2021-budget"
    if not package.exists():
        pytest.skip("no package under datapackages/")
    for spelling in ("-o", "--out", "--output"):
        result = run_cli("facts", package, spelling, tmp_path / f"facts{spelling}.csv")
        assert result.returncode == 0, result.stderr
        result = run_cli("export-xlsx", package, spelling, tmp_path / f"book{spelling}.xlsx")
        assert result.returncode == 0, result.stderr
    assert len({(tmp_path / f"facts{s}.csv").read_bytes() for s in ("-o", "--out", "--output")}) == 1
    assert all((tmp_path / f"book{s}.xlsx").stat().st_size > 0 for s in ("-o", "--out", "--output"))
