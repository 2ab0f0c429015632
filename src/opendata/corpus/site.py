"""The corpus catalog: a static site built from the corpus database (`opendata corpus site --db
corpus.duckdb --out DIR`), readable offline from the folder or any static web server.

Pages: `index.html` (every region and unit, a search over units: `search.json`, also as
`search-index.js`, + `search.js`),
`p/<package>.html` per disclosure (key figures, the narrative's as printed, expenditure by function class, income by source,
basic vs project, 三公 with 机关运行经费, validation findings, links to the package's facts as
CSV and JSON and to its CKAN dataset), `u/<id>.html` per unit across years, `r/<id>.html` per
region across units. Charts are drawn by the vendored Apache ECharts (site_assets/VENDORED.md)
with its SVG renderer; amounts are printed in the unit and precision each table printed, and each chart
is drawn in the unit its table printed (its caption and tooltips name it)."""
from __future__ import annotations

import json
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..facts import FACT_COLUMNS, write_facts
from ..money import format_amount
from .site_data import (SHOWN_TABLES, Money, chart_number, disclosure_view, headline, kind_title,
                        money_text, slug, unit_key, unit_title)

ASSETS = Path(__file__).parent / "site_assets"
STATIC = ("echarts.min.js", "charts.js", "search.js", "site.css", "LICENSE-echarts.txt", "NOTICE-echarts.txt",
          "LICENSE-d3-echarts.txt", "VENDORED.md")


@dataclass
class SiteSummary:
    """What `build_site` wrote: counts of packages, units and regions, pages written, seconds taken."""
    packages: int
    units: int
    regions: int
    pages: int
    seconds: float


def _rows(con, sql: str, params=()) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def load_catalog(con) -> dict:
    """The rows the site needs from an open corpus database connection (`opendata.corpus.connect`):
    {"packages": [...], "tables": [...], "facts": [...] (of SHOWN_TABLES only), "key_figures": [...]
    (in printed order), "findings": [...]}, each a list of dicts keyed by the views' column names;
    amounts stay Decimal."""
    marks = ", ".join("?" for _ in SHOWN_TABLES)
    return {
        "packages": _rows(con, "SELECT * FROM packages ORDER BY region, unit_name, year, stage, package"),
        "tables": _rows(con, "SELECT * FROM tables"),
        "facts": _rows(con, f'SELECT * FROM facts WHERE "table" IN ({marks})', SHOWN_TABLES),
        "key_figures": _rows(con, "SELECT * FROM key_figures ORDER BY package, page NULLS LAST, source_line NULLS LAST"),
        "findings": _rows(con, "SELECT * FROM findings"),
    }


def money_units(package: dict, tables: list[dict]) -> Money:
    """Each table's printed money unit and printed decimals (the tables view's `unit` and `decimals`,
    i.e. the descriptor's moneyUnit and moneyDecimals) for one package."""
    return Money({t["table"]: (t.get("unit"), t.get("decimals")) for t in tables})


def region_label(package: dict) -> str:
    """A region as the pages name it: the division's name with its code (北京市东城区 110101)."""
    name, code = package.get("region_name") or "", package.get("region") or ""
    return f"{name} {code}".strip() if name != code else name


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(ASSETS / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["kind"] = kind_title
    env.filters["unit_title"] = unit_title
    return env


def _chart(bars: list[dict], unit: str | None = None) -> dict | None:
    """The data of one bar chart, None when nothing to draw: labels, values (floats) in `unit`
    (default: the printed unit the bars share, else 万元), `unit`, and the tooltips' texts: each
    amount as printed with its unit ("1,471.70 万元"). Bars: label, amount (元), text, unit."""
    bars = [b for b in bars if b.get("amount") is not None]
    if not bars:
        return None
    units = {b.get("unit") or "元" for b in bars}
    unit = unit or (units.pop() if len(units) == 1 else "万元")
    return {"labels": [b["label"] for b in bars], "values": [chart_number(b["amount"], unit) for b in bars],
            "texts": [f"{b['text']} {b.get('unit') or '元'}" for b in bars], "unit": unit}


def render_site(catalog: dict, out: Path, *, ckan_url: str | None = None, facts_by_package=None) -> SiteSummary:
    """Write the site for `catalog` (the shape `load_catalog` returns) into `out` (created; its
    old pages are replaced). `facts_by_package` yields (package, [fact dicts]) for the CSV and JSON
    downloads (every fact of the package); without it the downloads hold the shown facts only.
    `ckan_url` links each disclosure to `<ckan_url>/dataset/<package>`. Returns a SiteSummary."""
    start = time.perf_counter()
    out = Path(out)
    for sub in ("p", "u", "r", "data"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True, exist_ok=True)
    for name in STATIC:
        shutil.copyfile(ASSETS / name, out / name)
    env = _environment()
    facts, findings, tables, stated = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    for fact in catalog["facts"]:
        facts[fact["package"]].append(fact)
    for figure in catalog.get("key_figures", []):
        stated[figure["package"]].append(figure)
    for finding in catalog["findings"]:
        findings[finding["package"]].append(finding)
    for table in catalog["tables"]:
        tables[table["package"]].append(table)
    units, regions = defaultdict(list), defaultdict(list)
    pages = 0
    package_page = env.get_template("package.html")
    for package in catalog["packages"]:
        name = package["package"]
        money = money_units(package, tables[name])
        view = disclosure_view(package, facts[name], findings[name], money, stated[name])
        head = headline(package, facts[name])
        entry = {"package": package, "href": f"p/{name}.html", "unit_href": f"u/{slug(unit_key(package))}.html",
                 "region_href": f"r/{slug(region_label(package))}.html", "region": region_label(package),
                 "expenditure": head["expenditure"], "three_public": head["three_public"],
                 "expenditure_text": money.text("income_expenditure_summary", head["expenditure"]),
                 "expenditure_unit": money.unit("income_expenditure_summary"),
                 "three_public_text": money.text("three_public_expenses", head["three_public"]),
                 "three_public_unit": money.unit("three_public_expenses")}
        units[unit_key(package)].append(entry)
        regions[region_label(package)].append(entry)
        charts = {key: _chart(view[key], view["units"][key]) for key in ("by_function", "by_source", "basic_project",
                                                                          "three_public")}
        ckan = f"{ckan_url.rstrip('/')}/dataset/{name}" if ckan_url else None
        (out / "p" / f"{name}.html").write_text(package_page.render(
            root="../", p=package, v=view, charts=charts, entry=entry, ckan=ckan,
            tables=sorted(tables[name], key=lambda t: (t.get("page") or 0, t["table"]))), encoding="utf-8")
        pages += 1
    written = set()
    for name, rows in (facts_by_package or ((k, v) for k, v in facts.items())):
        _downloads(out / "data", name, rows)
        written.add(name)
    for package in catalog["packages"]:   # a package without facts: empty downloads, no broken link
        if package["package"] not in written:
            _downloads(out / "data", package["package"], [])
    pages += _group_pages(env, out, units, regions)
    search = [{"t": e["package"].get("title") or e["package"]["package"], "n": e["package"].get("unit_name") or "",
               "r": e["region"], "y": e["package"].get("year"),
               "s": kind_title(e["package"]), "h": e["href"]} for group in units.values() for e in group]
    index_text = json.dumps(search, ensure_ascii=False, default=str)
    (out / "search.json").write_text(index_text, encoding="utf-8")
    # the same index as a script, so that the search works on index.html opened from disk (file://)
    (out / "search-index.js").write_text(f"window.CATALOG_INDEX = {index_text};\n", encoding="utf-8")
    (out / "index.html").write_text(env.get_template("index.html").render(
        root="", regions=_region_list(regions), units=_unit_list(units), count=len(catalog["packages"])), encoding="utf-8")
    pages += 1
    return SiteSummary(packages=len(catalog["packages"]), units=len(units), regions=len(regions), pages=pages,
                       seconds=time.perf_counter() - start)


def _downloads(folder: Path, name: str, rows: list[dict]) -> None:
    """`<name>.facts.csv` (written by `opendata.facts.write_facts`, the format of `opendata facts`) and
    `<name>.facts.json`: the same array of objects as `opendata facts --format json`, amounts as JSON
    numbers with exactly their digits, written here in one json.dumps per fact (write_facts makes
    one per value, the larger part of a site's build time)."""
    rows = [{column: row.get(column) for column in FACT_COLUMNS} for row in rows]
    with open(folder / f"{name}.facts.csv", "w", encoding="utf-8", newline="") as handle:
        write_facts(rows, handle, "csv")
    items = []
    for row in rows:
        amount = row.pop("amount")
        text = json.dumps(row, ensure_ascii=False, default=str)
        items.append(f'{text[:-1]}, "amount": {"null" if amount is None else format_amount(Decimal(amount))}}}')
    (folder / f"{name}.facts.json").write_text("[" + ",\n".join(items) + "]\n", encoding="utf-8")


def _unit_list(units: dict) -> list[dict]:
    return sorted(({"name": unit_title(g[-1]["package"]),
                    "region": g[-1]["region"], "href": g[-1]["unit_href"], "count": len(g)}
                   for g in units.values()), key=lambda u: (u["region"], u["name"]))


def _region_list(regions: dict) -> list[dict]:
    return sorted(({"name": r or "（未注明地区）", "href": g[0]["region_href"], "count": len(g),
                    "units": len({unit_key(e["package"]) for e in g})} for r, g in regions.items()),
                  key=lambda r: r["name"])


def _group_pages(env: Environment, out: Path, units: dict, regions: dict) -> int:
    """The pages of each unit (its disclosures by year) and each region (its units' latest disclosures)."""
    unit_page, region_page = env.get_template("unit.html"), env.get_template("region.html")
    for key, group in units.items():
        group = sorted(group, key=lambda e: (e["package"].get("year") or 0, e["package"].get("stage") or ""))
        bars = [{"label": f"{e['package'].get('year') or ''}{kind_title(e['package'])}", "amount": e["expenditure"],
                 "text": e["expenditure_text"], "unit": e["expenditure_unit"]} for e in group]
        three = [{"label": b["label"], "amount": e["three_public"], "text": e["three_public_text"],
                  "unit": e["three_public_unit"]} for b, e in zip(bars, group)]
        (out / group[0]["unit_href"]).write_text(unit_page.render(
            root="../", unit=group[-1]["package"], rows=group, region_href=group[0]["region_href"],
            spent_chart=_chart(bars), three_chart=_chart(three)), encoding="utf-8")
    for region, group in regions.items():
        latest = {}
        for e in group:   # the latest disclosure of each unit, budgets before final accounts of a year
            key = unit_key(e["package"])
            if key not in latest or (e["package"].get("year") or 0, e["package"].get("stage") or "") >= \
                    (latest[key]["package"].get("year") or 0, latest[key]["package"].get("stage") or ""):
                latest[key] = e
        rows = sorted(latest.values(), key=lambda e: -(e["expenditure"] or 0))
        bars = [{"label": unit_title(e["package"]), "amount": e["expenditure"], "text": e["expenditure_text"],
                 "unit": e["expenditure_unit"]} for e in rows[:30]]
        (out / group[0]["region_href"]).write_text(region_page.render(
            root="../", region=region or "（未注明地区）", rows=rows, spent_chart=_chart(bars)), encoding="utf-8")
    return len(units) + len(regions)


def build_site(db_path: str | Path, out: str | Path, *, ckan_url: str | None = None) -> SiteSummary:
    """Build the catalog site of the corpus database at `db_path` into the folder `out`: reads the
    views with `load_catalog`, writes every page with `render_site` and each package's facts as CSV
    and JSON (`data/<package>.facts.csv|json`). Needs no network. Raises FileNotFoundError when
    `db_path` does not exist."""
    from .db import connect   # the database side, imported late: rendering needs none of it
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"no corpus database at {db_path}: build one with `opendata corpus build`")
    start = time.perf_counter()
    con = connect(Path(db_path), read_only=True)
    try:
        catalog = load_catalog(con)
        summary = render_site(catalog, Path(out), ckan_url=ckan_url, facts_by_package=_all_facts(con))
    finally:
        con.close()
    summary.seconds = time.perf_counter() - start
    return summary


def _all_facts(con):
    """(package, facts) for every package, read in one ordered pass over the facts view."""
    cursor = con.execute("SELECT * FROM facts ORDER BY package")
    names = [d[0] for d in cursor.description]
    current, rows = None, []
    while True:
        chunk = cursor.fetchmany(20000)
        if not chunk:
            break
        for values in chunk:
            row = dict(zip(names, values))
            if row["package"] != current and rows:
                yield current, rows
                rows = []
            current = row["package"]
            rows.append(row)
    if rows:
        yield current, rows


__all__ = ["SiteSummary", "build_site", "load_catalog", "money_text", "money_units", "render_site"]
