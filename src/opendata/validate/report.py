"""Findings and reports: one object for the CLI, the JSON report and the Python API."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

from ..standard import read_csv, schema_dir

REPORT_FORMAT_VERSION = "1.0"
SEVERITIES = ("error", "warning", "info")


@lru_cache(maxsize=None)
def rule_catalog() -> dict[str, dict[str, str]]:
    """The rule catalog (schema/rules.csv) by rule id."""
    return {row["id"]: row for row in read_csv(schema_dir() / "rules.csv")}


@dataclass
class Finding:
    rule: str
    message: str
    severity: str = ""
    table: str | None = None
    row_id: str | None = None
    label: str | None = None
    measure: str | None = None
    expected: str | None = None
    found: str | None = None
    difference: str | None = None
    location: dict | None = None

    def __post_init__(self):
        if not self.severity:
            self.severity = rule_catalog()[self.rule]["severity"]

    def to_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass
class PackageReport:
    path: str
    name: str | None = None
    findings: list[Finding] = field(default_factory=list)
    tables: int = 0
    rows: int = 0

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def valid(self) -> bool:
        return self.count("error") == 0

    def to_dict(self) -> dict:
        return {
            "path": self.path, "name": self.name, "valid": self.valid, "tables": self.tables, "rows": self.rows,
            "errors": self.count("error"), "warnings": self.count("warning"),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class Report:
    packages: list[PackageReport] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(p.valid for p in self.packages)

    def count(self, severity: str) -> int:
        return sum(p.count(severity) for p in self.packages)

    def exit_code(self, fail_on: str = "error") -> int:
        """0 when nothing at or above `fail_on` was found, else 1."""
        failing = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
        return 1 if any(self.count(s) for s in failing) else 0

    def to_dict(self) -> dict:
        return {
            "reportFormat": REPORT_FORMAT_VERSION,
            "valid": self.valid,
            "summary": {
                "packages": len(self.packages),
                "invalid": sum(1 for p in self.packages if not p.valid),
                "errors": self.count("error"), "warnings": self.count("warning"), "infos": self.count("info"),
            },
            "packages": [p.to_dict() for p in self.packages],
        }
