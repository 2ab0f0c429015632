"""What the catalog site shows, worked out from plain rows (lists of dicts as the corpus database's
views return them: `packages`, `tables`, `facts`, `findings`): the figures of one disclosure, a
unit across years, a region across units, and the money text of an amount. Pure: no database, no
files; `opendata.corpus.site` loads the rows and writes the pages."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from ..standard import load_standard

# the tables whose facts the pages show (codelists/tables.csv codes)
SHOWN_TABLES = ("income_expenditure_summary", "expenditure_summary", "three_public_expenses",
                "operating_costs", "key_figures")
WAN = Decimal(10000)


def money_text(amount: Decimal | None, unit: str | None, decimals: int | None = None) -> str:
    """The amount (Decimal in 元, as stored) as the document printed it: in 万元 when `unit` is 万元
    (divided exactly by 10,000), else in 元, with `decimals` places (the table's printed precision,
    `moneyDecimals`): zeros a storage scale added (DECIMAL(38,2) in the database) are dropped, zeros
    up to `decimals` are put back, and a nonzero digit beyond `decimals` is kept: never rounded.
    Without `decimals`, the fewest places that show the exact value. Thousands are separated by
    commas. "" for None."""
    if amount is None:
        return ""
    value = Decimal(amount) / WAN if unit == "万元" else Decimal(amount)
    value = value.normalize()
    if value.as_tuple().exponent > 0:
        value = value.quantize(Decimal(1))
    places = max(-value.as_tuple().exponent, 0)
    if decimals is not None and decimals > places:
        value, places = value.quantize(Decimal(1).scaleb(-decimals)), decimals
    return f"{value:,.{places}f}"


def chart_number(amount: Decimal | None) -> float | None:
    """An amount in 元 as a float in 万元, only for drawing a chart (the pages print the exact text)."""
    return None if amount is None else float(Decimal(amount) / WAN)


def unit_key(package: dict) -> str:
    """The key of the publishing unit across years: its unit code with the region when the package
    has one, else its name with the region."""
    return f"{package.get('region') or ''}|{package.get('unit_code') or package.get('unit_name') or package['package']}"


def slug(text: str) -> str:
    """A file name for a page of `text` (a unit key or region): 12 hex digits of its SHA-1."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def stage_title(stage: str | None) -> str:
    """部门预算 / 部门决算 for a stage code (codelists/stages.csv), the code itself otherwise."""
    rows = {row["code"]: row["title_zh"] for row in load_standard().codelists["stages"].rows}
    return rows.get(stage or "", stage or "")


def measure_title(code: str) -> str:
    """The Chinese title of a measure (codelists/measures.csv), the code itself when unknown."""
    spec = load_standard().measures.get(code)
    return spec.title_zh if spec else code


def key_figure_title(code: str) -> str:
    """The Chinese title of a key figure stated in the narrative (codelists/key_figures.csv)."""
    rows = {row["code"]: row["title_zh"] for row in load_standard().codelists["key_figures"].rows}
    return rows.get(code, code)


class Money:
    """Formats the amounts of one package with each table's printed unit and precision:
    `units` maps table -> (unit, decimals)."""

    def __init__(self, units: dict[str, tuple[str | None, int | None]]):
        self.units = units

    def text(self, table: str, amount) -> str:
        """`amount` (Decimal in 元) as `table` printed it (money_text with its unit and decimals)."""
        unit, decimals = self.units.get(table, (None, None))
        return money_text(amount, unit, decimals)

    def unit(self, table: str) -> str:
        """The money unit `table` printed (万元 or 元); 元 when it recorded none (amounts are stored in 元)."""
        return self.units.get(table, (None, None))[0] or "元"


def _first(facts, **match) -> dict | None:
    for fact in facts:
        if all(fact.get(k) == v for k, v in match.items()):
            return fact
    return None


def _bars(money: Money, table: str, facts: list[dict]) -> list[dict]:
    """One bar per printed item (first fact of each), in printed order, for a chart and its table."""
    seen, bars = set(), []
    for fact in facts:
        if fact["item"] in seen:
            continue
        seen.add(fact["item"])
        bars.append({"label": fact["item"], "text": money.text(table, fact["amount"]),
                     "value": chart_number(fact["amount"])})
    return bars


def disclosure_view(package: dict, facts: list[dict], findings: list[dict], money: Money) -> dict:
    """The sections of one disclosure's page from its facts (the SHOWN_TABLES ones suffice).

    Returns a dict: `totals` (the total and subtotal rows of 部门收支总表, printed labels),
    `stated` (key figures stated in the narrative, 主要数据), `by_function` (expenditure by function
    class: the function lines of the expenditure side of 部门收支总表), `by_source` (income items of
    its income side), `basic_project` (基本支出 / 项目支出 of the total row of 部门支出总表),
    `three_public` (the 三公 table's lines for its first unit and period, with `three_public_rows`
    every printed 三公 amount), `operating` (机关运行经费 from its table or the narrative) and
    `findings`. Each bar: label, text (printed precision and unit), value (万元, for the chart)."""
    by_table = defaultdict(list)
    for fact in facts:
        by_table[fact["table"]].append(fact)
    summary = [f for f in by_table["income_expenditure_summary"] if f["measure"] == "total"]
    totals = [{"label": f["item"], "text": money.text("income_expenditure_summary", f["amount"]),
               "unit": money.unit("income_expenditure_summary")}
              for f in summary if f["row_type"] in ("total", "subtotal")]
    stated = [{"label": key_figure_title(f["line"]), "text": money.text("key_figures", f["amount"]),
               "unit": money.unit("key_figures")} for f in by_table["key_figures"]]
    by_function = _bars(money, "income_expenditure_summary",
                        [f for f in summary if f["side"] == "expenditure" and f["row_type"] == "item"
                         and (f["line"] or "").startswith("function_")])
    by_source = _bars(money, "income_expenditure_summary",
                      [f for f in summary if f["side"] == "income" and f["row_type"] == "item"])
    basic_project = []
    for measure in ("basic", "project"):
        fact = _first(by_table["expenditure_summary"], row_type="total", measure=measure)
        if fact:
            basic_project.append({"label": measure_title(measure), "value": chart_number(fact["amount"]),
                                  "text": money.text("expenditure_summary", fact["amount"])})
    three = [f for f in by_table["three_public_expenses"] if f["amount"] is not None]
    first = next((f for f in three if f["measure"] == "total"), None)
    three_public = _bars(money, "three_public_expenses",
                         [f for f in three if first and f["measure"] == "total" and f["unit_name"] == first["unit_name"]
                          and f["period"] == first["period"]])
    three_rows = [{"unit_name": f["unit_name"], "period": f["period"], "label": f["item"],
                   "measure": measure_title(f["measure"]), "text": money.text("three_public_expenses", f["amount"])}
                  for f in three]
    operating = [{"label": f["unit_name"] or f["item"] or "机关运行经费", "period": f["period"],
                  "text": money.text("operating_costs", f["amount"]), "unit": money.unit("operating_costs")}
                 for f in by_table["operating_costs"] if f["measure"] == "total"]
    operating += [{"label": "机关运行经费（文字说明）", "period": "", "unit": money.unit("key_figures"),
                   "text": money.text("key_figures", f["amount"])}
                  for f in by_table["key_figures"] if f["line"] == "operating_costs"]
    return {"totals": totals, "stated": stated, "by_function": by_function, "by_source": by_source,
            "basic_project": basic_project, "three_public": three_public,
            "three_public_period": (first or {}).get("period", ""), "three_public_unit": (first or {}).get("unit_name", ""),
            "three_public_rows": three_rows, "operating": operating,
            "findings": sorted(findings, key=lambda f: (f.get("severity") != "error", f.get("table") or "", str(f.get("row") or "")))}


def headline(facts: list[dict]) -> dict:
    """The figures a unit's or region's page compares across packages, each an amount in 元 or
    None: `expenditure` (支出总计, the total row of the expenditure side of 部门收支总表) and
    `three_public` (the 三公 table's line total, the 三公 expenses alone, of its first unit and period)."""
    spent = _first(facts, table="income_expenditure_summary", side="expenditure", row_type="total", measure="total")
    three = _first(facts, table="three_public_expenses", line="total", measure="total")
    return {"expenditure": spent["amount"] if spent else None, "three_public": three["amount"] if three else None}
