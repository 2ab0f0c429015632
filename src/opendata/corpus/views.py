"""The documented views of a corpus database (site/docs/guide/corpus.md), over the storage tables
that `db.build` fills, and their export to Parquet.

`VIEWS` names every view and its columns; the docs page documents each of them (a test checks
that every column here is on the page).
"""
from __future__ import annotations

import os
from pathlib import Path

from ..facts import FACT_COLUMNS

VIEWS: dict[str, list[str]] = {
    "packages": ["package", "title", "unit_name", "unit_code", "parent_name", "parent_code", "region", "region_name",
                 "level", "year", "stage", "standard_version", "version", "money_unit", "source_filename",
                 "source_sha256", "source_url", "path", "digest", "tables", "facts", "errors", "warnings", "infos",
                 "loaded_at"],
    "tables": ["package", "table", "table_id", "title", "printed_title", "unit", "decimals", "rows", "page",
               "first_line", "last_line"],
    "facts": list(FACT_COLUMNS),
    "key_figures": ["package", "row_id", "figure", "item", "amount", "printed", "unit", "percent", "text", "page",
                    "source_line"],
    "findings": ["package", "rule", "severity", "table", "row", "page", "message", "csv_row", "line", "label",
                 "measure", "expected", "found", "difference"],
    "execution": ["year", "region", "unit_code", "unit_name", "budget_package", "final_package", "kind", "code", "item",
                  "budget", "budget_initial", "budget_full_year", "actual", "rate", "rate_full_year"],
}

# per line of a disclosure's amounts, the tables and the column that name what `execution` compares
EXECUTION_SOURCES = (
    # kind, table, the code column; rows of units a table lists and rows split by economic code left out
    ("function", "general_budget_expenditure", "function_code"),
    ("three_public", "three_public_expenses", "line"),
)
EXECUTION_MEASURES = ("total", "budget_initial", "budget_full_year")


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _single(measure: str) -> str:
    """The one amount of `measure` in a group of facts; NULL when rows print different amounts."""
    picked = f"amount) FILTER (WHERE measure = '{measure}')"
    return f"CASE WHEN min({picked} = max({picked} THEN min({picked} END AS {measure}"


def execution_sql() -> str:
    """The SELECT of the `execution` view: budget against final accounts of one unit and year.

    A pair is a budget package and a final-accounts package of the same year, region (division
    code) and unit (the unit code where both have one, else the unit name). Compared per function
    code (一般公共预算支出表, general_budget_expenditure) and per 三公 line (three_public_expenses, the
    lines of codelists/three_public_lines.csv), on the unit's own rows: rows naming no unit, else
    the row of a unit a table lists that is the package's unit (same unit name or code); not rows
    split by economic code; in 三公 tables the period of the fiscal year or none.
    `budget` is the budget package's amount (measure total, 预算数), `budget_initial` and
    `budget_full_year` the final accounts' printed 年初预算数 and 全年预算数, `actual` their total
    (决算数). A code printed on several rows with different amounts has NULL there. `rate` =
    actual / budget and `rate_full_year` = actual / budget_full_year, exact, rounded half to even to
    4 decimals (a percentage with 2 decimals, as the validator's messages print rates); NULL when
    the base is 0 or missing."""
    lines = []
    for kind, table, column in EXECUTION_SOURCES:
        period = " AND (period = '' OR starts_with(period, CAST(fiscal_year AS VARCHAR)))" if column == "line" else ""
        lines.append(
            f"SELECT package, '{kind}' AS kind, {column} AS code, min(item) AS item, "
            + ", ".join(_single(m) for m in EXECUTION_MEASURES)
            + f" FROM (SELECT *, min(listed) OVER (PARTITION BY package, {column}) AS best FROM own"
            f" WHERE \"table\" = '{table}' AND {column} <> '' AND economic_code = ''"
            f" AND measure IN {EXECUTION_MEASURES}{period}) WHERE listed = best GROUP BY package, {column}")
    return f"""
WITH pairs AS (
    SELECT f.year, f.region, f.unit_code, f.unit_name, b.package AS budget_package, f.package AS final_package
    FROM packages b JOIN packages f
      ON b.stage = 'budget' AND f.stage = 'final_accounts' AND b.year = f.year
     AND b.region IS NOT DISTINCT FROM f.region
     AND CASE WHEN b.unit_code IS NOT NULL AND f.unit_code IS NOT NULL THEN b.unit_code = f.unit_code
              ELSE b.unit_name = f.unit_name END
), own AS (
    SELECT f.*, CAST(f.unit_code <> '' OR f.unit_name <> '' AS INTEGER) AS listed
    FROM facts f JOIN packages p ON p.package = f.package
    WHERE (f.unit_code = '' AND f.unit_name = '') OR f.unit_name = p.unit_name
       OR (f.unit_code <> '' AND f.unit_code = p.unit_code)
), wide AS (
    {" UNION ALL ".join(lines)}
), sides AS (
    SELECT p.*, 'budget' AS side, w.* EXCLUDE (package) FROM pairs p JOIN wide w ON w.package = p.budget_package
    UNION ALL
    SELECT p.*, 'final' AS side, w.* EXCLUDE (package) FROM pairs p JOIN wide w ON w.package = p.final_package
), joined AS (
    SELECT year, region, unit_code, unit_name, budget_package, final_package, kind, code,
           min(item) AS item,
           max(total) FILTER (WHERE side = 'budget') AS budget,
           max(budget_initial) FILTER (WHERE side = 'final') AS budget_initial,
           max(budget_full_year) FILTER (WHERE side = 'final') AS budget_full_year,
           max(total) FILTER (WHERE side = 'final') AS actual
    FROM sides GROUP BY ALL
)
SELECT *, corpus_rate(actual, budget) AS rate, corpus_rate(actual, budget_full_year) AS rate_full_year
FROM joined ORDER BY year, region, unit_name, final_package, kind, code"""


def create(con, scale: int) -> None:
    """(Re)create the views and the `corpus_rate(actual, base)` macro on a connection whose storage
    tables exist; `scale` is the decimals of the stored amounts (DECIMAL(38, scale))."""
    factor = 10 ** scale
    con.execute("""CREATE OR REPLACE MACRO corpus_half_even(n, d) AS
        n // d + CASE WHEN 2 * (n % d) > d OR (2 * (n % d) = d AND (n // d) % 2 = 1) THEN 1 ELSE 0 END""")
    con.execute(f"""CREATE OR REPLACE MACRO corpus_rate(a, b) AS
        CASE WHEN a IS NULL OR b IS NULL OR b = 0 THEN NULL
             ELSE CAST(sign(a) * sign(b) * corpus_half_even(abs(CAST(a * {factor} AS HUGEINT)) * 10000,
                                                           abs(CAST(b * {factor} AS HUGEINT))) AS DECIMAL(38, 0))
                  * CAST(0.0001 AS DECIMAL(5, 4)) END""")
    packages = [c for c in VIEWS["packages"] if c not in ("region", "region_name")]
    con.execute(f"""CREATE OR REPLACE VIEW packages AS SELECT {_quoted(packages[:6])}, region_code AS region,
        region_name, {_quoted(packages[6:])} FROM corpus_packages""")
    con.execute(f"CREATE OR REPLACE VIEW tables AS SELECT {_quoted(VIEWS['tables'])} FROM corpus_tables")
    con.execute(f"CREATE OR REPLACE VIEW facts AS SELECT {_quoted(VIEWS['facts'])} FROM corpus_facts")
    con.execute(f"CREATE OR REPLACE VIEW key_figures AS SELECT {_quoted(VIEWS['key_figures'])} FROM corpus_key_figures")
    con.execute(f"CREATE OR REPLACE VIEW findings AS SELECT {_quoted(VIEWS['findings'])} FROM corpus_findings")
    con.execute(f"CREATE OR REPLACE VIEW execution AS {execution_sql()}")


def export_parquet(con, folder: Path) -> list[Path]:
    """Write each view as `<folder>/<view>.parquet` (made when missing; each file written beside
    and renamed into place) and return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for view in VIEWS:
        target = folder / f"{view}.parquet"
        temp = folder / f".{view}.parquet.{os.getpid()}.tmp"
        path_sql = str(temp).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {view}) TO '{path_sql}' (FORMAT parquet)")
        os.replace(temp, target)
        written.append(target)
    return written
