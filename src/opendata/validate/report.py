"""Findings and reports: one object for the CLI, the JSON report and the Python API."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..money import UNIT_FACTORS, format_amount
from ..standard import read_csv, schema_dir

REPORT_FORMAT_VERSION = "1.2"  # 1.1: identities {checked, held} per package; 1.2: a finding's `unit`
SEVERITIES = ("error", "warning", "info")


@lru_cache(maxsize=None)
def rule_catalog() -> dict[str, dict[str, str]]:
    """The rule catalog (schema/rules.csv) by rule id."""
    return {row["id"]: row for row in read_csv(schema_dir() / "rules.csv")}


@dataclass
class Finding:
    """One finding of one rule. `rule` is an id of schema/rules.csv; `severity` (error, warning,
    info), when not given, is the rule's severity there (KeyError for an id not in the catalog).
    `expected`, `found` and `difference` are text as printed in the report (amounts in 元);
    `location` says where, as far as known: file, CSV row and column, source line and page,
    or a JSON pointer into the descriptor. `unit` is the unit the table printed its amounts in
    (万元, 元), when `expected` / `found` are amounts, and `decimals` the decimals it printed: the
    report shows them so (`shown`); they stay in 元."""
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
    unit: str | None = None
    decimals: int | None = None

    def __post_init__(self):
        if not self.severity:
            self.severity = rule_catalog()[self.rule]["severity"]

    def shown(self, value: str | None) -> str | None:
        """`value` (the finding's `expected` or `found`, text) for people: an amount in 元 shown
        in the finding's `unit` with thousands separators and at least its `decimals`
        ('16681500', 万元, 2 -> '1,668.15 万元'); anything else (a percentage, a code, no unit)
        unchanged; None stays None."""
        if value is None or self.unit not in UNIT_FACTORS:
            return value
        try:
            amount = Decimal(value) / UNIT_FACTORS[self.unit]
        except InvalidOperation:
            return value
        whole, _, fraction = format_amount(amount).partition(".")
        fraction = fraction.ljust(self.decimals or 0, "0")
        return f"{int(whole):,}" + (f".{fraction}" if fraction else "") + f" {self.unit}"

    def to_dict(self) -> dict:
        """The finding as a JSON-ready dict, fields that are None left out."""
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass
class PackageReport:
    """The findings on one package (`path` as given, `name` from its descriptor), how many
    tables and rows were checked, and how many accounting identities (codelists/identities.csv:
    a printed whole against its printed parts, or one quantity in two tables) were compared
    (`identities_checked`) and held within tolerance (`identities_held`)."""
    path: str
    name: str | None = None
    findings: list[Finding] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    identities_checked: int = 0
    identities_held: int = 0

    def add(self, finding: Finding) -> None:
        """Append `finding` to `findings`."""
        self.findings.append(finding)

    def count(self, severity: str) -> int:
        """How many findings have `severity` (error, warning or info)."""
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def valid(self) -> bool:
        """True when no finding is an error (warnings and infos do not count)."""
        return self.count("error") == 0

    def to_dict(self) -> dict:
        """The package's part of the JSON report: path, name, valid, tables, rows, identities
        ({"checked": n, "held": n}), error and warning counts, and the findings as dicts."""
        return {
            "path": self.path, "name": self.name, "valid": self.valid, "tables": self.tables, "rows": self.rows,
            "identities": {"checked": self.identities_checked, "held": self.identities_held},
            "errors": self.count("error"), "warnings": self.count("warning"),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class Report:
    """The report of one validation run: one PackageReport per package, in the order checked."""
    packages: list[PackageReport] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when every package is valid (no errors)."""
        return all(p.valid for p in self.packages)

    def count(self, severity: str) -> int:
        """How many findings have `severity` over all packages."""
        return sum(p.count(severity) for p in self.packages)

    def exit_code(self, fail_on: str = "error") -> int:
        """0 when nothing at or above `fail_on` was found, else 1."""
        failing = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
        return 1 if any(self.count(s) for s in failing) else 0

    def to_dict(self) -> dict:
        """The JSON report (`reportFormat` REPORT_FORMAT_VERSION): valid, a summary of counts
        (packages, invalid, errors, warnings, infos) and each package's dict."""
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
