"""What the layers after the structural one share: the package being checked (`Context`),
tolerances from printed precision, label normalisation, and the identities between
measures that the accounting layer checks.

Amounts are Decimal 元 everywhere. A figure printed with d decimals in unit U is known
to ±½ of its last digit (`opendata.money.tolerance`); a sum of n printed figures
compared with one printed whole may differ by up to (n + 1) such halves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..labels import compact
from ..model import Row, Table
from ..package import Package
from ..money import UNIT_FACTORS, format_amount, tolerance
from ..standard import Standard, load_standard
from .report import Finding, PackageReport

ZERO = Decimal(0)

# -- identities between measures (schema/codelists/identities.csv, measure_tree.csv) ----
_STANDARD = load_standard()
# (rule, whole, parts): the whole equals the sum of the parts the table printed.
ROW_IDENTITIES: tuple[tuple[str, str, tuple[str, ...]], ...] = _STANDARD.row_identities()
# Sources of funds, as a tree: each column is the sum of its children the table printed
# (a child not printed is replaced by its own printed children).
FUNDING_TREE: dict[str, tuple[str, ...]] = _STANDARD.measure_tree("funding")
# Layouts differ on whether these sit inside 本年收入小计 or beside it: either is accepted.
FLOATING_SOURCES = _STANDARD.floating_sources()
FLOATING_PARENTS = _STANDARD.floating_parents()
# Uses of funds, for the rows of the expenditure side of a two-sided table.
EXPENDITURE_TREE: dict[str, tuple[str, ...]] = _STANDARD.measure_tree("expenditure")

CODE_FIELDS = _STANDARD.code_fields
NAME_FIELDS = {"economic_code": "economic_name", "gov_economic_code": "gov_economic_name"}
DETAIL_FIELDS = ("project_code", "project_name")


def descendants(tree: dict[str, tuple[str, ...]], node: str) -> set[str]:
    """Every measure below `node` in `tree` (parent -> children, as `FUNDING_TREE` from
    codelists/measure_tree.csv), at any depth; empty for a leaf."""
    out: set[str] = set()
    for child in tree.get(node, ()):
        out.add(child)
        out |= descendants(tree, child)
    return out


def ancestors(tree: dict[str, tuple[str, ...]], node: str) -> set[str]:
    """Every measure above `node` in `tree` (parent -> children), at any depth; empty for a root."""
    out: set[str] = set()
    for parent, children in tree.items():
        if node in children:
            out.add(parent)
            out |= ancestors(tree, parent)
    return out


def effective_children(tree: dict[str, tuple[str, ...]], node: str, printed: set[str]) -> list[str]:
    """The printed columns that add up to `node`: its children, a child not printed being
    replaced by its own printed children."""
    result: list[str] = []
    for child in tree.get(node, ()):
        if child in printed:
            result.append(child)
        else:
            result += effective_children(tree, child, printed)
    return result


# -- labels ---------------------------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九十百"
_ORDINAL_PATTERNS = (
    ("cn", re.compile(r"^([一二三四五六七八九十百]+)[、.．]")),
    ("cn_paren", re.compile(r"^\(([一二三四五六七八九十百]+)\)")),
    ("num", re.compile(r"^(\d+)[、.．](?!\d)")),
    ("num_paren", re.compile(r"^\((\d+)\)")),
    ("circled", re.compile(r"^([①-⑳])")),
)
_LEAD = re.compile(r"^(其中|加|减|含)[:：]?")
_TRAILING_KIND = re.compile(r"\((类|款|项)\)$")


@lru_cache(maxsize=65536)
def ordinal(text: str) -> tuple[str | None, int | None, str]:
    """(style, number, rest) of a label's leading ordinal: '八、社会保障和就业' -> ('cn', 8, '社会保障和就业')."""
    text = compact(text)
    for style, pattern in _ORDINAL_PATTERNS:
        match = pattern.match(text)
        if match:
            token = match.group(1)
            return style, _ordinal_value(style, token), text[match.end():]
    return None, None, text


def _ordinal_value(style: str, token: str) -> int:
    if style in ("num", "num_paren"):
        return int(token)
    if style == "circled":
        return ord(token) - ord("①") + 1
    return cn_number(token)


def cn_number(token: str) -> int:
    """一 -> 1, 十 -> 10, 十四 -> 14, 二十一 -> 21, 三十 -> 30."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if "百" in token:
        head, _, tail = token.partition("百")
        return (digits.get(head, 1) if head else 1) * 100 + (cn_number(tail) if tail else 0)
    if "十" in token:
        head, _, tail = token.partition("十")
        return (digits.get(head, 1) if head else 1) * 10 + (digits.get(tail, 0) if tail else 0)
    return digits.get(token, 0)


@lru_cache(maxsize=65536)
def strip_label(text: str) -> str:
    """A label without whitespace, leading ordinals ('八、', '（一）', '1、'), '其中：' / '加：',
    trailing '（类）' / '（款）' / '（项）' or colon."""
    text = compact(text)
    for _ in range(3):
        before = text
        text = _LEAD.sub("", text)
        _, _, text = ordinal(text)
        if text == before:
            break
    text = _TRAILING_KIND.sub("", text).rstrip(":：")
    return text


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """A name reduced for comparison: stripped, brackets and '支出' / '费用' endings ignored."""
    text = strip_label(text)
    text = re.sub(r"[()（）\"“”'‘’《》<>【】\[\]]", "", text)
    for ending in ("支出", "费用"):
        if text.endswith(ending) and len(text) > len(ending) + 1:
            text = text[: -len(ending)]
    return text


@lru_cache(maxsize=65536)
def names_agree(printed: str, official: str) -> bool:
    """True when a printed name is the official one, allowing what printing does to names:
    ordinals, spacing, brackets, '支出' / '（类）' endings, names cut short, local qualifiers
    ('（在职）') and longer local forms ('国内差旅费' for '差旅费')."""
    a, b = name_key(printed), name_key(official)
    if not a or not b:
        return True
    if a == b:
        return True
    if b.startswith(a) and (len(a) >= 4 or len(a) * 2 >= len(b)):
        return True  # printed cut short
    if b in a or (a in b and len(a) >= 2):
        return True
    return False


def is_grand_label(label: str) -> bool:
    """True when the label, compacted (`labels.compact`), contains 总计 (a grand total row)."""
    return "总计" in compact(label)


def mentions(label: str, *words: str) -> bool:
    """True when the compacted label contains any of `words`."""
    text = compact(label)
    return any(word in text for word in words)


# -- the package being checked ---------------------------------------------------------

@dataclass
class Context:
    """One package as the later layers see it: the `Package` read once by the structural
    layer (`package`), its descriptor, and the tables that passed that layer as the model.
    `package_dir` is the package's folder (None for a package held in memory)."""
    package_dir: Path | None
    descriptor: dict
    report: PackageReport
    tables: dict[str, Table] = field(default_factory=dict)  # tables without structural errors
    present: set[str] = field(default_factory=set)  # every catalog table the package declares
    standard: Standard = field(default_factory=load_standard)
    cache: dict = field(default_factory=dict)  # what the layers compute once per package (blocks, candidates)
    package: Package | None = None  # the package object every layer shares

    def memo(self, key, compute):
        """The value cached under `key` for this package, computing it with `compute()` (no
        arguments) the first time."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    @property
    def fiscal_year(self) -> int | None:
        """The descriptor's `fiscalYear` when it is an int, else None."""
        year = self.descriptor.get("fiscalYear")
        return year if isinstance(year, int) else None

    @property
    def stage(self) -> str | None:
        """The descriptor's `stage` (budget or final_accounts) when it is a string, else None."""
        stage = self.descriptor.get("stage")
        return stage if isinstance(stage, str) else None

    @property
    def money_unit(self) -> str:
        """The descriptor's `moneyUnit` when it is a unit of `money.UNIT_FACTORS` (元, 万元), else 元."""
        unit = self.descriptor.get("moneyUnit")
        return unit if unit in UNIT_FACTORS else "元"

    def table(self, table_id: str) -> Table | None:
        """The table `table_id` when it was read without structural errors, else None."""
        return self.tables.get(table_id)

    # findings

    def identity(self, held: bool) -> bool:
        """Count one accounting identity compared on this package (held or not) in the report;
        returns `held`."""
        self.report.identities_checked += 1
        self.report.identities_held += held
        return held

    def add(self, rule: str, message: str, *, table: Table | str | None = None, row: Row | None = None,
            measure: str | None = None, expected: Decimal | str | None = None, found: Decimal | str | None = None,
            difference: Decimal | str | None = None, location: dict | None = None, label: str | None = None,
            unit: str | None = None) -> Finding:
        """Record one finding of rule `rule` (an id of schema/rules.csv) in the package report and
        return it. `table` is a Table or a table id; when `location` is not given it is the row's
        (`row_location`) or the table's CSV and first source line. Decimal `expected`, `found` and
        `difference` are written with `money.format_amount` (元, as printed, no rounding); `label`
        defaults to the row's label (`row_label`); `unit` (the report shows Decimal amounts in it)
        defaults to the table's printed unit, else the package's. KeyError for a rule not in the catalog."""
        table_obj = table if isinstance(table, Table) else self.tables.get(table) if isinstance(table, str) else None
        table_id = table.table_id if isinstance(table, Table) else table
        if location is None and row is not None:
            location = row_location(table_obj, row)
        elif location is None and table_obj is not None:
            location = {"file": f"data/{table_obj.table_id}.csv"}
            if table_obj.first_line:
                location["line"] = table_obj.first_line
        finding = Finding(
            rule, message, table=table_id, row_id=row.row_id if row is not None else None,
            label=label if label is not None else (row_label(row) if row is not None else None), measure=measure,
            expected=_text(expected), found=_text(found), difference=_text(difference), location=location,
        )
        if isinstance(expected, Decimal) or isinstance(found, Decimal):
            own = table_obj.money_unit if table_obj is not None and table_obj.money_unit in UNIT_FACTORS else None
            shown_in = unit or own or self.money_unit   # a text table (narrative): the package's unit
            if shown_in in UNIT_FACTORS:
                finding.unit = shown_in
                if unit is None and own is not None:
                    finding.decimals = table_obj.money_decimals
        self.report.add(finding)
        return finding


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)


def row_label(row: Row) -> str | None:
    """The row's label for a finding: the first non-empty of item, project_name, heading, figure
    (as str), or None."""
    for name in ("item", "project_name", "heading", "figure"):
        value = row.values.get(name)
        if value:
            return str(value)
    return None


def row_location(table: Table | None, row: Row) -> dict:
    """Where a row is: {'file': 'data/<table>.csv', 'row': its CSV row number (header = 1)}
    when the table is given, plus 'line' and 'page' of the source document when the row has them."""
    location: dict = {}
    if table is not None:
        location["file"] = f"data/{table.table_id}.csv"
        try:
            location["row"] = table.rows.index(row) + 2  # the CSV's header is row 1
        except ValueError:
            pass
    if row.source_line:
        location["line"] = row.source_line
    if row.source_page:
        location["page"] = row.source_page
    return location


# -- precision -------------------------------------------------------------------------

def table_tolerance(table: Table, default_unit: str = "元") -> Decimal:
    """Half a unit of the last printed digit of one figure of the table, in 元."""
    key = ("validation_tolerance", default_unit)
    cached = table.derived.get(key)
    if cached is not None:
        return cached
    unit = table.money_unit if table.money_unit in UNIT_FACTORS else default_unit
    decimals = table.money_decimals
    if decimals is None:
        decimals = inferred_decimals(table, unit)
    table.derived[key] = result = tolerance(unit, decimals)
    return result


def inferred_decimals(table: Table, unit: str) -> int:
    """The decimals the amounts show in `unit` (at most 6; 0 when the table has no amounts)."""
    factor = UNIT_FACTORS[unit]
    standard = load_standard()
    most = 0
    for row in table.rows:
        for name, value in row.values.items():
            if isinstance(value, Decimal) and name in standard.measures:
                scaled = (value / factor).normalize()
                exponent = scaled.as_tuple().exponent
                if isinstance(exponent, int) and exponent < 0:
                    most = max(most, -exponent)
    return min(most, 6)


def printed(amount: Decimal, table: Table | None = None, unit: str | None = None) -> str:
    """An amount in the unit the table printed, for messages: '461.84 万元'."""
    unit = unit or (table.money_unit if table is not None and table.money_unit in UNIT_FACTORS else "元")
    factor = UNIT_FACTORS[unit]
    decimals = table.money_decimals if table is not None and table.money_decimals is not None else None
    value = amount / factor
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    else:
        text = format_amount(value)
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + (f".{frac}" if frac else "") if whole.lstrip("-").isdigit() else text
    return f"{text} {unit}"


def amount_of(row: Row, measure: str) -> Decimal | None:
    """The row's value of `measure` when it is a Decimal amount (元), else None (blank or text)."""
    value = row.values.get(measure)
    return value if isinstance(value, Decimal) else None


def measures_of(table: Table) -> list[str]:
    """The table's columns that are measures of codelists/measures.csv, in column order."""
    standard = load_standard()
    return [name for name in table.columns if name in standard.measures]


def codes_of(row: Row) -> dict[str, str]:
    """Code field -> code (as str) of the row, for the classification code fields (`CODE_FIELDS`)
    and unit_code that the row fills."""
    return {name: str(row.values[name]) for name in (*CODE_FIELDS, "unit_code") if row.values.get(name)}


def is_total_row(row: Row) -> bool:
    """True for a row of type total or subtotal (codelists/row_types.csv)."""
    return row.row_type in ("total", "subtotal")


@lru_cache(maxsize=None)
def class_names() -> tuple[tuple[str, str, int, int], ...]:
    """(code, name key, from year, to year) of every 类 of the function classification."""
    codelist = load_standard().codelists["function_classification"]
    result = []
    for row in codelist.rows:
        if len(row["code"]) == 3:
            result.append((row["code"], name_key(row["name"]), int(row.get("from_year") or 0), int(row.get("to_year") or 9999)))
    return tuple(result)


@lru_cache(maxsize=65536)
def function_class(label: str, year: int | None = None) -> str | None:
    """The 类 code a label such as '八、社会保障和就业' or '卫生健康支出' names, if exactly one: the
    class name itself, a label the class name contains, the class name with only 类 / 支出
    around it, or a label beginning with a class name of three characters or more
    ('城乡社区事务'); a two-character name such as 其他 only with 类 / 支出 ('其他进修及培训'
    is not 229 其他支出)."""
    key = name_key(label)
    if len(key) < 2:
        return None
    exact = {code for code, name, start, end in class_names() if name == key}
    if len(exact) == 1:
        return exact.pop()
    near = {code for code, name, start, end in class_names()
            if len(name) >= 2 and (key in name or (name in key and (
                not key.replace(name, "", 1).strip("类支出") or (key.startswith(name) and len(name) >= 3))))}
    if len(near) == 1:
        return near.pop()
    return None


@lru_cache(maxsize=None)
def measure_aliases() -> tuple[tuple[str, str], ...]:
    """(name key, measure id) for every title and alias of a measure, longest first."""
    pairs = []
    for code, spec in load_standard().measures.items():
        for alias in (spec.title_zh, *spec.aliases):
            if "/" in alias or "*" in alias:
                continue
            pairs.append((name_key(alias), code))
    return tuple(sorted(set(pairs), key=lambda p: -len(p[0])))


@lru_cache(maxsize=None)
def row_label_measures() -> dict[str, str]:
    """Labels printed on the sides of two-sided tables that the measure aliases do not
    spell (measures.csv `row_labels`) -> measure id."""
    return {label: code for code, spec in load_standard().measures.items() for label in spec.row_labels}


@lru_cache(maxsize=65536)
def label_measure(label: str) -> str | None:
    """The measure a row label of a two-sided table names ('一、一般公共预算拨款收入' -> general_budget)."""
    key = name_key(label)
    raw = strip_label(label)
    extra = row_label_measures()
    for text in (raw, key):
        if text in extra:
            return extra[text]
    for alias, code in measure_aliases():
        if alias == key:
            return code
    return None


def sum_values(values: Iterable[Decimal | None]) -> tuple[Decimal, int]:
    """(sum, how many printed figures) of the values that are not None."""
    total, count = ZERO, 0
    for value in values:
        if value is not None:
            total += value
            count += 1
    return total, count
