"""What the catalog site shows, worked out from plain rows (lists of dicts as the corpus database's
views return them: `packages`, `tables`, `facts`, `findings`): the figures of one disclosure, a
unit across years, a region across units, and the money text of an amount. Pure: no database, no
files; `opendata.corpus.site` loads the rows and writes the pages."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from ..money import UNIT_FACTORS
from ..standard import load_standard
from ..validate.identities.across import current_period

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


def chart_number(amount: Decimal | None, unit: str | None = "万元") -> float | None:
    """An amount in 元 as a float in `unit` (万元 or 元, codelists/money_units.csv; 元 when unknown),
    only for drawing a chart (the pages print the exact text). None for None."""
    return None if amount is None else float(Decimal(amount) / UNIT_FACTORS.get(unit or "元", Decimal(1)))


def unit_key(package: dict) -> str:
    """The key of the publishing unit across years: its unit code with the region when the package
    has one, else its name with the region; a package naming no unit (an empty template) has the
    key of its region's "no unit" group (`region|`)."""
    return f"{package.get('region') or ''}|{package.get('unit_code') or package.get('unit_name') or ''}"


NO_UNIT = "（未注明单位）"


def unit_title(package: dict) -> str:
    """A package's unit as the pages name it: its unit name, else NO_UNIT (never the package id)."""
    return package.get("unit_name") or NO_UNIT


def slug(text: str) -> str:
    """A file name for a page of `text` (a unit key or region): 12 hex digits of its SHA-1."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def stage_title(stage: str | None, level: str | None = None) -> str:
    """The kind of a disclosure for a stage code (codelists/stages.csv): 部门预算 / 部门决算, or
    单位预算 / 单位决算 (`unit_title_zh`) when `level` is "unit"; the code itself when unknown."""
    for row in load_standard().codelists["stages"].rows:
        if row["code"] == stage:
            return row["unit_title_zh"] if level == "unit" and row.get("unit_title_zh") else row["title_zh"]
    return stage or ""


def kind_title(package: dict) -> str:
    """The kind of a package (a row of the packages view) as its title prints it: `stage_title` of
    its stage and level (单位预算 for a unit's budget)."""
    return stage_title(package.get("stage"), package.get("level"))


def measure_title(code: str) -> str:
    """The Chinese title of a measure (codelists/measures.csv), the code itself when unknown."""
    spec = load_standard().measures.get(code)
    return spec.title_zh if spec else code


def measure_label(code: str, stage: str | None) -> str:
    """What an amount of measure `code` is, for a column 口径: `total` is the 预算数 of a budget and the
    决算数 of final accounts (codelists/measures.csv prints it "合计 / 预算数 / 决算数"); any other
    measure its title (年初预算数, 全年预算数, 一般公共预算 …)."""
    if code == "total" and stage in ("budget", "final_accounts"):
        return "预算数" if stage == "budget" else "决算数"
    return measure_title(code)


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

    def bar(self, table: str, label: str, amount) -> dict:
        """One bar of a chart and row of its table: label, `amount` (Decimal in 元), `text` as `table`
        printed it, `unit` its printed unit and `value` (a float in that unit, for the chart)."""
        unit = self.unit(table)
        return {"label": label, "amount": amount, "text": self.text(table, amount), "unit": unit,
                "value": chart_number(amount, unit)}


# 财政拨款 as one line is the parent of the three budgets' appropriations when those are printed too (一、财政拨款 /
# 其中：一般公共预算拨款 …); lines that are not sources of the year's income are not bars
APPROPRIATION_PARTS = ("general_budget_appropriation_income", "government_fund_appropriation_income",
                       "state_capital_appropriation_income")
NOT_SOURCES = ("current_year_income", "carryover", "use_of_reserve", "total_income")


def income_sources(summary: list[dict]) -> list[dict]:
    """The income-side item facts of 部门收支总表 that are sources of the year's income, one level deep: rows with a
    canonical income line (codelists/lines.csv), 财政拨款 left out where its parts (一般公共预算 / 政府性基金 / 国有资本经营
    预算拨款) are printed below it, rows with no line (a level the converter could not name) left out."""
    rows = [f for f in summary if f["side"] == "income" and f["row_type"] == "item" and f["line"]
            and f["line"] not in NOT_SOURCES]
    lines = {f["line"] for f in rows}
    if lines & set(APPROPRIATION_PARTS):
        rows = [f for f in rows if f["line"] != "fiscal_appropriation_income"]
    return rows


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
        bars.append(money.bar(table, fact["item"], fact["amount"]))
    return bars


def own_three_public(package: dict, facts: list[dict]) -> list[dict]:
    """Of a package's facts, the amounts of its 三公 table (three_public_expenses) that are the
    package's own, as `validate.identities.lines.own_rows` picks a table's own rows: the rows naming
    no unit (where the table lists units; else the package's unit's rows, else the first unit's),
    and where the table prints several periods, the document's own year's (`current_period`: 当年
    beside 上年, else the latest year printed, 2026年 beside 2025年; a table printing one period:
    that one). [] when the own period cannot be told."""
    three = [f for f in facts if f["table"] == "three_public_expenses" and f["amount"] is not None]
    own = [f for f in three if not (f.get("unit_code") or f.get("unit_name"))]
    if not own and three:
        name = package.get("unit_name")
        first = next((f["unit_name"] for f in three if name and f["unit_name"] == name), three[0]["unit_name"])
        own = [f for f in three if f["unit_name"] == first]
    headings = [p for p in dict.fromkeys(f["period"] for f in three) if p]
    if not headings:
        return own
    current = headings[0] if len(headings) == 1 else current_period(headings)
    return [f for f in own if current is not None and f["period"] == current]


def three_public_total(own: list[dict]) -> dict | None:
    """The fact of the 三公 expenses in all among a package's own 三公 facts (`own_three_public`),
    measure total (预算数 of a budget, 决算数 of final accounts): line `three_public` (the 三公
    subtotal) where the table prints it (its 合计 then also holds 会议费 and 培训费), else line
    `total`; None when neither is printed."""
    for line in ("three_public", "total"):
        fact = _first(own, line=line, measure="total")
        if fact:
            return fact
    return None


def disclosure_view(package: dict, facts: list[dict], findings: list[dict], money: Money,
                    stated: list[dict] | None = None) -> dict:
    """The sections of one disclosure's page from its facts (the SHOWN_TABLES ones suffice) and
    `stated`, its rows of the key_figures view (narrative figures as printed).

    Returns a dict: `totals` (the total and subtotal rows of 部门收支总表, printed labels, each
    printed label and amount once), `stated` (key figures stated in the narrative, 主要数据: one per
    figure, the first printed, in the unit and digits the text printed them), `by_function`
    (expenditure by function class: the function lines of the expenditure side of 部门收支总表),
    `by_source` (the income sources of its income side, one level: `income_sources`), `basic_project` (基本支出 / 项目支出 of the total
    row of 部门支出总表), `three_public` (the 三公 table's own lines: `own_three_public`, measure
    total) with `three_public_rows` (every printed 三公 amount, its 口径 named by `measure_label`),
    `operating` (机关运行经费 from its table or the narrative), `findings`, and `units` (the
    printed money unit of each chart's section). Each bar: label, amount (元), text and unit as
    printed, value (a float in that unit, for the chart)."""
    by_table = defaultdict(list)
    for fact in facts:
        by_table[fact["table"]].append(fact)
    summary = [f for f in by_table["income_expenditure_summary"] if f["measure"] == "total"]
    totals, seen = [], set()
    for f in summary:
        if f["row_type"] in ("total", "subtotal") and (f["item"], f["amount"]) not in seen:
            seen.add((f["item"], f["amount"]))   # the sides of a four-sided 收支总表 print the same totals
            totals.append({"label": f["item"], "text": money.text("income_expenditure_summary", f["amount"]),
                           "unit": money.unit("income_expenditure_summary")})
    figures, shown = [], set()
    for f in stated or []:
        if f.get("amount") is not None and f["figure"] not in shown:
            shown.add(f["figure"])
            figures.append({"label": key_figure_title(f["figure"]), "text": f.get("printed") or "",
                            "unit": f.get("unit") or ""})
    by_function = _bars(money, "income_expenditure_summary",
                        [f for f in summary if f["side"] == "expenditure" and f["row_type"] == "item"
                         and (f["line"] or "").startswith("function_")])
    by_source = _bars(money, "income_expenditure_summary", income_sources(summary))
    basic_project = []
    for measure in ("basic", "project"):
        fact = _first(by_table["expenditure_summary"], row_type="total", measure=measure)
        if fact:
            basic_project.append(money.bar("expenditure_summary", measure_title(measure), fact["amount"]))
    three = [f for f in by_table["three_public_expenses"] if f["amount"] is not None]
    own = own_three_public(package, three)
    first = _first(own, measure="total")
    three_public = _bars(money, "three_public_expenses", [f for f in own if f["measure"] == "total"])
    three_rows = [{"unit_name": f["unit_name"], "period": f["period"], "label": f["item"],
                   "measure": measure_label(f["measure"], package.get("stage")),
                   "text": money.text("three_public_expenses", f["amount"])} for f in three]
    operating = [{"label": f["unit_name"] or f["item"] or "机关运行经费", "period": f["period"],
                  "text": money.text("operating_costs", f["amount"]), "unit": money.unit("operating_costs")}
                 for f in by_table["operating_costs"] if f["measure"] == "total"]
    operating += [{"label": "机关运行经费（文字说明）", "period": "", "unit": f.get("unit") or "",
                   "text": f.get("printed") or ""}
                  for f in (stated or []) if f["figure"] == "operating_costs" and f.get("amount") is not None][:1]
    units = {"by_function": money.unit("income_expenditure_summary"), "by_source": money.unit("income_expenditure_summary"),
             "basic_project": money.unit("expenditure_summary"), "three_public": money.unit("three_public_expenses")}
    return {"totals": totals, "stated": figures, "by_function": by_function, "by_source": by_source,
            "basic_project": basic_project, "three_public": three_public, "units": units,
            "three_public_period": (first or {}).get("period", ""), "three_public_unit": (first or {}).get("unit_name", ""),
            "three_public_measure": measure_label("total", package.get("stage")),
            "three_public_rows": three_rows, "operating": operating,
            "findings": sorted(findings, key=lambda f: (f.get("severity") != "error", f.get("table") or "", str(f.get("row") or "")))}


def headline(package: dict, facts: list[dict]) -> dict:
    """The figures a unit's or region's page compares across packages, each an amount in 元 or
    None: `expenditure` (支出总计, the total row of the expenditure side of 部门收支总表) and
    `three_public` (the 三公 expenses in all of the package's own unit and year: `three_public_total`
    of `own_three_public`; never a 合计 that also holds 会议费 and 培训费, never the year before's)."""
    spent = _first(facts, table="income_expenditure_summary", side="expenditure", row_type="total", measure="total")
    three = three_public_total(own_three_public(package, facts))
    return {"expenditure": spent["amount"] if spent else None, "three_public": three["amount"] if three else None}
