"""The command line: a thin layer over the Python API (opendata.*).

The entry point `opendata = "opendata.cli:main"`. The `main` group, the exit codes and `fail`
live in `cli_base`; each `cli_*.py` module defines its commands on `main`, and importing it
here registers them. Command modules import `cli_base`, never this module, so there is no
import cycle.
"""
from __future__ import annotations

from . import cli_ckan, cli_convert, cli_corpus, cli_facts, cli_upgrade, cli_validate, cli_versions, cli_workbook  # noqa: F401  (registers)
from .cli_base import main

__all__ = ["main"]
