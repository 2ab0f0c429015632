"""The corpus as one DuckDB database: every package's metadata, tables, facts, narrative key
figures and validation findings, loaded incrementally, behind documented views
(site/docs/guide/corpus.md).

Storage tables (`corpus_*`) hold one row per package, table, fact, key figure and finding; the views
(`packages`, `tables`, `facts`, `key_figures`, `findings`, `execution`, see `views.py`) are the interface.
A package is keyed by its name; its `digest` (SHA-256 of its descriptor and table files and of
this loader's layout version) decides whether a build reloads it. A build writes into a copy of
the database beside it and moves it into place at the end: a failed or interrupted build leaves
the old database as it was.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import duckdb
import pandas as pd

from ..facts import FACT_COLUMNS, facts as package_facts
from ..money import format_amount
from ..package import Package, PackageError, find_packages
from ..version import __version__
from . import views

LAYOUT = "2"            # the storage tables' layout; a change reloads every package
MIN_SCALE = 2           # amounts are DECIMAL(38, 2) at least: 元 with fen
BATCH = 100             # packages read before their rows are inserted in bulk

PACKAGE_COLUMNS = {
    "package": "VARCHAR PRIMARY KEY", "title": "VARCHAR", "unit_name": "VARCHAR", "unit_code": "VARCHAR",
    "parent_name": "VARCHAR", "parent_code": "VARCHAR", "region_code": "VARCHAR", "region_name": "VARCHAR",
    "level": "VARCHAR", "year": "INTEGER", "stage": "VARCHAR", "standard_version": "VARCHAR", "version": "VARCHAR",
    "money_unit": "VARCHAR", "source_filename": "VARCHAR", "source_sha256": "VARCHAR", "source_url": "VARCHAR",
    "path": "VARCHAR", "digest": "VARCHAR", "loader": "VARCHAR", "validated": "BOOLEAN",
    "tables": "INTEGER", "facts": "INTEGER", "errors": "INTEGER", "warnings": "INTEGER", "infos": "INTEGER",
    "loaded_at": "TIMESTAMP",
}
TABLE_COLUMNS = {
    "package": "VARCHAR", "table": "VARCHAR", "table_id": "VARCHAR", "title": "VARCHAR", "printed_title": "VARCHAR",
    "unit": "VARCHAR", "decimals": "INTEGER", "rows": "INTEGER", "page": "INTEGER", "first_line": "INTEGER",
    "last_line": "INTEGER",
}
FACT_TYPES = {"fiscal_year": "INTEGER", "amount": "DECIMAL(38,{scale})"}
KEY_FIGURE_COLUMNS = {
    "package": "VARCHAR", "row_id": "VARCHAR", "figure": "VARCHAR", "item": "VARCHAR", "amount": "DECIMAL(38,{scale})",
    "printed": "VARCHAR", "unit": "VARCHAR", "percent": "VARCHAR", "text": "VARCHAR", "page": "INTEGER",
    "source_line": "INTEGER",
}
STORAGE = ("corpus_packages", "corpus_tables", "corpus_facts", "corpus_key_figures", "corpus_findings")
FINDING_COLUMNS = {
    "package": "VARCHAR", "rule": "VARCHAR", "severity": "VARCHAR", "table": "VARCHAR", "row": "VARCHAR",
    "csv_row": "INTEGER", "line": "INTEGER", "page": "INTEGER", "label": "VARCHAR", "measure": "VARCHAR",
    "expected": "VARCHAR", "found": "VARCHAR", "difference": "VARCHAR", "message": "VARCHAR",
}


@dataclass
class BuildSummary:
    """What one `build` did: packages `loaded` (new or changed), `unchanged` (digest equal, not
    reloaded), `removed` (dropped from the database: no longer among the inputs, or failing now),
    `failed` (inputs that could not be read; `errors` lists (path, message) for each), the facts inserted and the wall time in seconds."""
    loaded: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    facts: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no input failed."""
        return self.failed == 0


def connect(db_path: str | Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to a corpus database made by `build` (read-only by default, so that
    several readers can share the file). The views `packages`, `tables`, `facts`, `key_figures`, `findings` and
    `execution` are defined in the file. Raises FileNotFoundError when there is no such file."""
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no corpus database (make one with `opendata corpus build`)")
    return duckdb.connect(str(path), read_only=read_only)


def package_digest(package: Package) -> str:
    """SHA-256 (hex) of what a corpus build reads of a package: its datapackage.json and every
    resource file it lists (in the order listed), with the loader's layout and the opendata
    version, so that a new loader or validator reloads the package. PackageError when a file is missing."""
    digest = hashlib.sha256(f"opendata-corpus {LAYOUT} {__version__}\n".encode())
    for relative in ["datapackage.json", *(r.get("path") for r in package.resources)]:
        data = package.read_bytes(relative)
        digest.update(f"{relative}\0{len(data)}\0".encode("utf-8"))
        digest.update(data)
    return digest.hexdigest()


def build(packages: Iterable[str | Path], db_path: str | Path, *, parquet_dir: str | Path | None = None,
          validate: bool = True) -> BuildSummary:
    """Load packages into the corpus database at `db_path` (made when missing) and return a BuildSummary.

    `packages`: package folders or folders of packages (`find_packages`). Afterwards the database
    holds exactly the packages given that could be read: a package whose digest is unchanged is
    kept as it is, a changed or new one is (re)loaded, one no longer given is removed. An input that
    holds no package, cannot be read, or has the name of another input is reported in
    `errors` (the others still load). With `validate`, each loaded package is validated
    (`opendata.validate.validate_package`, as `opendata validate`) and its findings stored.
    With `parquet_dir`, each view is also written as `<view>.parquet` there.
    The database is written to a temporary file beside `db_path` and moved into place."""
    started = time.perf_counter()
    db_path = Path(db_path)
    temp = db_path.with_name(f".{db_path.name}.{os.getpid()}.building")
    _remove(temp)
    if db_path.exists():
        shutil.copyfile(db_path, temp)
    summary = BuildSummary()
    con = duckdb.connect(str(temp))
    try:
        _ensure_tables(con)
        _load(con, packages, validate, summary)
        views.create(con, _scale(con))
        if parquet_dir is not None:
            views.export_parquet(con, Path(parquet_dir))
        con.execute("CHECKPOINT")
        con.close()
        os.replace(temp, db_path)
    except BaseException:
        con.close()
        _remove(temp)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _remove(path: Path) -> None:
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)


def _ensure_tables(con) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS corpus_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    layout = _one(con, "SELECT value FROM corpus_meta WHERE key = 'layout'")
    if layout and layout[0] != LAYOUT:
        for name in STORAGE:
            con.execute(f"DROP TABLE IF EXISTS {name} CASCADE")
    con.execute("INSERT OR REPLACE INTO corpus_meta VALUES ('layout', ?)", [LAYOUT])
    if _one(con, "SELECT value FROM corpus_meta WHERE key = 'scale'") is None:
        con.execute("INSERT INTO corpus_meta VALUES ('scale', ?)", [str(MIN_SCALE)])
    fact_columns = {name: FACT_TYPES.get(name, "VARCHAR").format(scale=_scale(con)) for name in FACT_COLUMNS}
    figure_columns = {name: kind.format(scale=_scale(con)) for name, kind in KEY_FIGURE_COLUMNS.items()}
    for name, columns in (("corpus_packages", PACKAGE_COLUMNS), ("corpus_tables", TABLE_COLUMNS),
                          ("corpus_facts", fact_columns), ("corpus_key_figures", figure_columns),
                          ("corpus_findings", FINDING_COLUMNS)):
        body = ", ".join(f'"{column}" {kind}' for column, kind in columns.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({body})")


def _one(con, sql: str, params: list | None = None):
    """The first row of a query, or None (the result is read to its end: DuckDB refuses the next
    statement on a connection while a result is unfinished)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def _scale(con) -> int:
    return int(_one(con, "SELECT value FROM corpus_meta WHERE key = 'scale'")[0])


def _inputs(packages: Iterable[str | Path], summary: BuildSummary) -> list[Path]:
    """Every package folder of the inputs, each once; an input without a package is an error."""
    folders: list[Path] = []
    for path in packages:
        try:
            found = find_packages(path)
        except PackageError as exc:
            summary.failed += 1
            summary.errors.append((str(path), str(exc)))
            continue
        folders += [folder for folder in found if folder not in folders]
    return folders


def _load(con, packages: Iterable[str | Path], validate: bool, summary: BuildSummary) -> None:
    known = {name: (digest, loader, validated, path) for name, digest, loader, validated, path in
             con.execute("SELECT package, digest, loader, validated, path FROM corpus_packages").fetchall()}
    loader = f"{LAYOUT} {__version__}"
    seen: dict[str, Path] = {}
    batch = _Batch()
    for folder in _inputs(packages, summary):
        try:
            package = Package.open(folder)
            name = package.name
            if not isinstance(name, str) or not name:
                raise PackageError(f"{folder}: the descriptor has no name")
            if name in seen:
                raise PackageError(f"{folder}: package {name!r} is already loaded from {seen[name]}")
            digest = package_digest(package)
            old = known.get(name)
            if old is not None and old[:2] == (digest, loader) and (old[2] or not validate):
                summary.unchanged += 1
                seen[name] = folder
                if old[3] != str(folder):
                    con.execute("UPDATE corpus_packages SET path = ? WHERE package = ?", [str(folder), name]).fetchall()
                continue
            batch.add(package, folder, digest, loader, validate)
        except PackageError as exc:   # not in `seen`: what the database held of it is removed
            summary.failed += 1
            summary.errors.append((str(folder), str(exc)))
            continue
        seen[name] = folder
        summary.loaded += 1
        if len(batch.packages) >= BATCH:
            summary.facts += batch.flush(con)
    summary.facts += batch.flush(con)
    gone = [name for name in known if name not in seen]
    summary.removed = len(gone)
    _delete(con, gone)


def _delete(con, names: list[str]) -> None:
    if not names:
        return
    con.register("gone", pd.DataFrame({"package": names}, dtype=object))
    try:
        for table in STORAGE:
            con.execute(f"DELETE FROM {table} WHERE package IN (SELECT package FROM gone)")
    finally:
        con.unregister("gone")


class _Batch:
    """Rows of several packages, inserted together (one DataFrame per storage table)."""

    def __init__(self):
        self.packages: list[dict] = []
        self.tables: list[dict] = []
        self.facts: dict[str, list] = {name: [] for name in FACT_COLUMNS}
        self.key_figures: list[dict] = []
        self.findings: list[dict] = []
        self.scale = MIN_SCALE

    def add(self, package: Package, folder: Path, digest: str, loader: str, validate: bool) -> None:
        """Read one package (metadata, tables, facts and, with `validate`, findings) into the batch;
        PackageError (nothing added) when it cannot be read."""
        from ..validate import validate_package

        descriptor = package.descriptor
        try:
            disclosure = package.disclosure()
            rows = list(package_facts(package))
        except (ValueError, TypeError) as exc:   # a cell that is not what its schema says
            raise PackageError(f"{folder}: cannot be read ({exc})") from exc
        name = disclosure.name
        report = validate_package(package) if validate else None
        division = descriptor.get("division") if isinstance(descriptor.get("division"), dict) else {}
        source = descriptor.get("source") if isinstance(descriptor.get("source"), dict) else {}
        self.packages.append({
            "package": name, "title": disclosure.title, "unit_name": disclosure.unit_name,
            "unit_code": disclosure.unit_code, "parent_name": disclosure.parent_name, "parent_code": disclosure.parent_code,
            "region_code": division.get("code"), "region_name": "".join(division.get("names") or []) or None,
            "level": disclosure.level, "year": disclosure.fiscal_year, "stage": disclosure.stage,
            "standard_version": disclosure.standard_version, "version": disclosure.version,
            "money_unit": disclosure.money_unit, "source_filename": source.get("filename"),
            "source_sha256": source.get("sha256"), "source_url": source.get("url"), "path": str(folder),
            "digest": digest, "loader": loader, "validated": report is not None, "tables": len(disclosure.tables),
            "facts": len(rows), "errors": report.count("error") if report else None,
            "warnings": report.count("warning") if report else None, "infos": report.count("info") if report else None,
        })
        titles = _table_titles()
        for table in disclosure.tables.values():
            self.tables.append({
                "package": name, "table": table.key, "table_id": table.table_id,
                "title": table.printed_title or titles.get(table.table_id), "printed_title": table.printed_title,
                "unit": table.money_unit, "decimals": table.money_decimals, "rows": len(table.rows),
                "page": min(table.pages) if table.pages else None, "first_line": table.first_line,
                "last_line": table.last_line,
            })
        for row in rows:
            amount: Decimal = row["amount"]
            self.scale = max(self.scale, -amount.as_tuple().exponent if amount.is_finite() else 0)
            for column in FACT_COLUMNS:
                value = row[column]
                self.facts[column].append(format_amount(value) if column == "amount" else value)
        self.key_figures += key_figure_rows(name, disclosure.tables.get("key_figures"))
        for finding in report.findings if report else []:
            location = finding.location or {}
            self.findings.append({
                "package": name, "rule": finding.rule, "severity": finding.severity, "table": finding.table,
                "row": finding.row_id, "csv_row": _int(location.get("row")), "line": _int(location.get("line")),
                "page": _int(location.get("page")), "label": finding.label, "measure": finding.measure,
                "expected": finding.expected, "found": finding.found, "difference": finding.difference,
                "message": finding.message,
            })

    def flush(self, con) -> int:
        """Replace the batch's packages in the database by its rows, in one transaction; the
        number of facts inserted. The amount column is widened first when a package has more
        decimals than it holds."""
        if not self.packages:
            return 0
        count = len(self.facts["amount"])
        con.execute("BEGIN")
        try:
            if self.scale > _scale(con):
                for table in ("corpus_facts", "corpus_key_figures"):
                    con.execute(f"ALTER TABLE {table} ALTER amount SET DATA TYPE DECIMAL(38,{self.scale})")
                con.execute("UPDATE corpus_meta SET value = ? WHERE key = 'scale'", [str(self.scale)])
            _delete(con, [p["package"] for p in self.packages])
            _insert(con, "corpus_packages", self.packages, PACKAGE_COLUMNS, now=True)
            _insert(con, "corpus_tables", self.tables, TABLE_COLUMNS)
            fact_types = {name: FACT_TYPES.get(name, "VARCHAR").format(scale=_scale(con)) for name in FACT_COLUMNS}
            _insert(con, "corpus_facts", self.facts, fact_types)
            _insert(con, "corpus_key_figures", self.key_figures,
                    {name: kind.format(scale=_scale(con)) for name, kind in KEY_FIGURE_COLUMNS.items()})
            _insert(con, "corpus_findings", self.findings, FINDING_COLUMNS)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        self.__init__()
        return count


def _insert(con, table: str, data: dict[str, list] | list[dict], columns: dict[str, str], now: bool = False) -> None:
    """Bulk insert of rows given as {column: values} or as a list of dicts: every value goes in as
    text (None as NULL) through one DataFrame and is cast by DuckDB to the column's type, so
    amounts (exact decimal text) never pass through a float."""
    if isinstance(data, list):
        data = {column: [record.get(column) for record in data] for column in columns}
    length = len(next(iter(data.values()), []))
    if not length:
        return
    frame = pd.DataFrame({column: [None if value is None else str(value) for value in values]
                          for column, values in data.items() if column in columns}, dtype=object)
    select = []
    for column, kind in columns.items():
        kind = kind.replace(" PRIMARY KEY", "")
        if column == "loaded_at" and now:
            select.append("now()::TIMESTAMP")
        elif column not in frame.columns:
            select.append(f"CAST(NULL AS {kind})")
        else:
            select.append(f'CAST(frame."{column}" AS {kind})')
    con.register("frame", frame)
    try:
        con.execute(f"INSERT INTO {table} SELECT {', '.join(select)} FROM frame")
    finally:
        con.unregister("frame")


def key_figure_rows(package: str, table) -> list[dict]:
    """The rows of the key_figures view for a package's `key_figures` table (None: []): per row its
    figure, label and amount (Decimal 元; None for a head count), `printed` and `unit` as the
    sentence printed it (the first amount of the sentence, read as `validate.narrative.stated`
    reads one, equal to the row's amount: 867.50 and 万元; a head count's number and its unit 人),
    share, sentence, page and source line. printed/unit are None when the sentence holds no such amount."""
    from ..validate.narrative import AMOUNT, stated
    rows = []
    for row in table.rows if table is not None else []:
        values, printed, unit = row.values, None, None
        amount = values.get("amount")
        if amount is not None:
            match = next((s for s in map(stated, AMOUNT.finditer(values.get("text") or "")) if s.value == amount), None)
            printed, unit = (match.text, match.unit) if match else (None, None)
        elif values.get("quantity"):
            printed, unit = values.get("quantity"), values.get("quantity_unit")
        rows.append({"package": package, "row_id": row.row_id, "figure": values.get("figure"), "item": values.get("item"),
                     "amount": None if amount is None else format_amount(amount), "printed": printed, "unit": unit,
                     "percent": values.get("percent"), "text": values.get("text"), "page": row.source_page,
                     "source_line": row.source_line})
    return rows


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_TITLES: dict[str, str] = {}


def _table_titles() -> dict[str, str]:
    """Table id -> the standard's Chinese title (codelists/tables.csv)."""
    if not _TITLES:
        from ..standard import load_standard
        _TITLES.update({row["code"]: row["title_zh"] for row in load_standard().codelists["tables"].rows})
    return _TITLES
