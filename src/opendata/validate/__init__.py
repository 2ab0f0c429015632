"""Validation: layers of checks over packages on disk, one report."""
from __future__ import annotations

from pathlib import Path

from ..package import find_packages
from .report import Finding, PackageReport, Report, rule_catalog
from .structure import check_package

__all__ = ["validate", "validate_package", "Report", "PackageReport", "Finding", "rule_catalog"]


def validate_package(package_dir: str | Path) -> PackageReport:
    package_dir = Path(package_dir)
    report = PackageReport(path=str(package_dir))
    check_package(package_dir, report)
    return report


def validate(path: str | Path, progress=None) -> Report:
    """Validate a package or every package below a folder. Raises PackageError when
    `path` holds no package at all (the CLI's exit 2)."""
    report = Report()
    for package_dir in find_packages(path):
        report.packages.append(validate_package(package_dir))
        if progress:
            progress(package_dir)
    return report
