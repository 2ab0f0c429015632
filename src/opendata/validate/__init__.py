"""Validation: layers of checks over packages on disk, one report.

1. structure (`structure`, `csvcheck`): the descriptor against the JSON Schema, every
   table against its table schema;
2. code lists (`codes`);
3. accounting identities (`identities`);
4. narrative against tables (`narrative`);
5. completeness (`completeness`).

Layers 2–5 read the tables that passed layer 1 (a table with a structural error is
reported once, by layer 1, and left out of the later checks) and the standard.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Callable

from ..package import find_packages
from ..standard import load_standard
from . import codes, completeness, identities, narrative
from .report import Finding, PackageReport, Report, rule_catalog
from .rules import Context
from .structure import ENGINES, check_package

__all__ = ["validate", "validate_package", "Report", "PackageReport", "Finding", "rule_catalog", "LAYERS", "ENGINES"]

LAYERS: tuple[tuple[str, Callable[[Context], None]], ...] = (
    ("codes", codes.check),
    ("accounting", identities.check),
    ("narrative", narrative.check),
    ("completeness", completeness.check),
)


def validate_package(package_dir: str | Path, engine: str = "fast", layers: tuple[str, ...] | None = None) -> PackageReport:
    """Validate one package folder. `engine` is the structural checker of the tables
    ("fast" or "frictionless"); `layers` limits the later layers run (all by default)."""
    package_dir = Path(package_dir)
    report = PackageReport(path=str(package_dir))
    tables: dict = {}
    descriptor = check_package(package_dir, report, engine=engine, tables=tables)
    if descriptor is None:
        return report
    standard = load_standard()
    present = set()
    for resource in descriptor.get("resources") or []:
        if isinstance(resource, dict):
            table_id = resource.get("tableId") or resource.get("name")
            if table_id in standard.tables:
                present.add(table_id)
    ctx = Context(package_dir=package_dir, descriptor=descriptor, report=report, tables=tables, present=present,
                  standard=standard)
    for name, run in LAYERS:
        if layers is not None and name not in layers:
            continue
        try:
            run(ctx)
        except Exception as exc:  # a validator bug must not hide the other layers' findings
            report.add(Finding("validator.layer-failed",
                               f"校验层 {name} 出错，其结果不完整。 The {name} layer failed: {exc!r}",
                               location={"traceback": traceback.format_exc(limit=3)}))
    return report


def validate(path: str | Path, progress: Callable[[Path], None] | None = None, engine: str = "fast",
             layers: tuple[str, ...] | None = None) -> Report:
    """Validate a package or every package below a folder. Raises PackageError when
    `path` holds no package at all (the CLI's exit 2). `layers` as in `validate_package`
    (`()` for the structural layer alone)."""
    report = Report()
    for package_dir in find_packages(path):
        report.packages.append(validate_package(package_dir, engine=engine, layers=layers))
        if progress:
            progress(package_dir)
    return report
