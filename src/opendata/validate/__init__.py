"""Validation: layers of checks over packages on disk, one report.

1. structure (`structure`, `csvcheck`): the descriptor against the JSON Schema, every
   table against its table schema;
2. code lists (`codes`);
3. accounting identities (`identities`);
4. narrative against tables (`narrative`, `narrative_figures`);
5. the wording of the narrative (`text_rules`, with `text_sections`, `text_figures`, `text_repeats`, `text_breakdowns`);
6. completeness (`completeness`).

Layers 2–6 read the tables that passed layer 1 (a table with a structural error is
reported once, by layer 1, and left out of the later checks) and the standard.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Callable, Iterable

from ..package import DESCRIPTOR, Package, find_packages
from ..standard import load_standard
from . import codes, completeness, identities, narrative, narrative_figures, text_rules
from .report import Finding, PackageReport, Report, rule_catalog
from .rules import Context
from .structure import ENGINES, check_package

__all__ = ["validate", "validate_package", "collect_packages", "Report", "PackageReport", "Finding", "rule_catalog", "LAYERS", "ENGINES"]



def _narrative(ctx: Context) -> None:
    """Layer 4: the key figures, classes, shares and changes (`narrative`), then the headline
    figures stated elsewhere in the text (`narrative_figures`)."""
    narrative.check(ctx)
    narrative_figures.check(ctx)
    narrative_figures.check_projects(ctx)


LAYERS: tuple[tuple[str, Callable[[Context], None]], ...] = (
    ("codes", codes.check),
    ("accounting", identities.check),
    ("narrative", _narrative),
    ("text", text_rules.check),
    ("completeness", completeness.check),
)


def validate_package(package: Package | str | Path, engine: str = "fast",
                     layers: tuple[str, ...] | None = None) -> PackageReport:
    """Validate one package: a `Package` (e.g. `Package.from_files(...)` of a release archive)
    or the path of a package folder / its datapackage.json. The package is read once and the
    same object goes to every layer (structure, codes, accounting, narrative, completeness).

    `engine` is the structural checker of the tables ("fast" or "frictionless"; the latter
    needs a package folder); `layers` limits the later layers run (all by default, `()` for
    the structural layer alone). Findings for what cannot be read are in the report; raises
    only ValueError for an unknown engine."""
    if not isinstance(package, Package):
        folder = Path(package)
        package = Package(folder=folder.parent if folder.name == DESCRIPTOR and folder.is_file() else folder)
    report = PackageReport(path=package.label)
    tables: dict = {}
    descriptor = check_package(package, report, engine=engine, tables=tables)
    if descriptor is None:
        return report
    standard = load_standard()
    present = set()
    for resource in descriptor.get("resources") or []:
        if isinstance(resource, dict):
            table_id = resource.get("tableId") or resource.get("name")
            if table_id in standard.tables:
                present.add(table_id)
    ctx = Context(package_dir=package.folder, descriptor=descriptor, report=report, tables=tables, present=present,
                  standard=standard, package=package)
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


def collect_packages(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """The package folders at one path or several (`find_packages` of each: the package
    itself, or every package below a folder), each once, in the order given. Raises
    PackageError naming the first path that holds no package."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    packages: list[Path] = []
    for path in paths:
        packages += [p for p in find_packages(path) if p not in packages]
    return packages


def validate(paths: str | Path | Iterable[str | Path], progress: Callable[[Path, int, int], None] | None = None,
             engine: str = "fast", layers: tuple[str, ...] | None = None) -> Report:
    """Validate a package, every package below a folder, or all packages at several paths
    (`collect_packages`), one PackageReport each in that order. `progress(package_dir, done,
    total)` is called after each package (`done` of `total` validated). `engine` and
    `layers` as in `validate_package`. Raises PackageError (before validating anything)
    when a path holds no package at all (the CLI's exit 2)."""
    report = Report()
    packages = collect_packages(paths)
    for done, package_dir in enumerate(packages, start=1):
        report.packages.append(validate_package(package_dir, engine=engine, layers=layers))
        if progress:
            progress(package_dir, done, len(packages))
    return report
