"""The standard, loaded once from schema/: table catalog, fields, measures, code lists.

Everything that needs to know about a table, a field or a code reads it from here;
nothing else keeps its own list. Table schemas (schema/tables/<id>.json) are
generated from these sources by `table_schema()` and checked for drift by the tests.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path


SCHEMA_DIR_ENV = "OPENDATA_SCHEMA_DIR"


def schema_dir() -> Path:
    """The directory holding the standard: $OPENDATA_SCHEMA_DIR when set (another version
    of the standard, e.g. to validate against it), else the installed copy, else the repository's."""
    override = os.environ.get(SCHEMA_DIR_ENV)
    return Path(override) if override else _default_schema_dir()


@lru_cache(maxsize=None)
def _default_schema_dir() -> Path:
    installed = Path(__file__).parent / "_schema"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "schema"


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of the UTF-8 CSV file at `path` as dicts keyed by its header: list[dict[str, str]],
    in file order. Raises OSError when it cannot be read."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def split_list(text: str, sep: str = " ") -> list[str]:
    """The parts of a list cell of the schema/ CSVs split on `sep` (a space by default, `|` for
    alias lists), stripped, empties dropped; [] for '' or None."""
    return [part.strip() for part in (text or "").split(sep) if part.strip()]


@dataclass(frozen=True)
class FieldSpec:
    """A dimension field (codes, labels, indicators …) shared by the tables."""
    name: str
    title_zh: str
    type: str
    description: str
    fdp_column_type: str = ""
    codelist: str = ""
    constraints: dict = field(default_factory=dict)
    example: str = ""
    header_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeasureSpec:
    """A money column: its id, titles and the column headers that print it."""
    code: str
    title_zh: str
    title_en: str
    stages: tuple[str, ...]
    aliases: tuple[str, ...]
    description: str
    row_labels: tuple[str, ...] = ()  # labels of rows (not column headers) that name the measure


@dataclass(frozen=True)
class Identity:
    """One accounting identity of codelists/identities.csv.

    kind "row": in each row, `whole[0]` equals the sum of the printed `parts` (measure ids).
    kind "across": a comparison between `tables` (table ids, in the order the check names
    them); `whole` and `parts` are the measures it compares."""
    code: str
    kind: str
    rule: str
    whole: tuple[str, ...]
    parts: tuple[str, ...]
    tables: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class TableSpec:
    """One table of the catalog."""
    code: str
    title_zh: str
    title_en: str
    kind: str
    two_sided: bool
    flat: bool  # item rows form a flat list (no 类 / 款 / 项 outline): the `flat` column of tables.csv
    required_in: tuple[str, ...]
    keyed_by: str
    aliases: tuple[str, ...]
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    description: str
    fund: str = ""  # the budget (measure) funding the whole table: the `fund` column of tables.csv
    part_of: tuple[str, ...] = ()  # the wider tables holding this one's figures: the `part_of` column
    repeated_amounts: bool = False  # indicator rows repeat their project's amounts: the `repeated_amounts` column
    required_from: int | None = None  # first fiscal year `required_in` holds (None: every year): `required_from`

    @property
    def is_money(self) -> bool:
        """True for a table of amounts (kind `money` in codelists/tables.csv), False for text tables
        such as the performance forms."""
        return self.kind == "money"

    def required(self, stage: str, year: int | None = None) -> bool:
        """Whether a disclosure of `stage` (budget, final_accounts) for fiscal `year` must print
        this table: `stage` is in `required_in` and `year` is not before `required_from` (an
        unknown year, None, counts as required)."""
        if stage not in self.required_in:
            return False
        return self.required_from is None or year is None or year >= self.required_from


@dataclass
class CodeList:
    """One code list of codelists/codelists.csv with its rows (read from codelists/<file>; [] when
    the file is absent). `open` lists may hold codes not listed; `year_versioned` rows carry
    from_year/to_year; `code_lengths` are the digits of a code at each level of a classification
    (类 / 款 / 项: 3 5 7), () for lists without levels; `provenance` names the official source of the codes."""
    id: str
    file: str
    title_zh: str
    title_en: str
    open: bool
    year_versioned: bool
    provenance: str
    description: str
    rows: list[dict[str, str]]
    code_lengths: tuple[int, ...] = ()
    complete: tuple[str, ...] = ()  # `all`, or the fiscal years / spans (2018-2026) the list is complete for;
    # `N:span` (3:2018-2026): only its codes of N digits (one level) are complete in those years

    def complete_in(self, year: int | None, length: int | None = None) -> bool:
        """True when the list holds every code of its kind (in fiscal `year` for a versioned list):
        only then is a code missing from it reported as unknown. With `length`, true also when
        only the level of codes of that many digits is complete (a `N:span` part)."""
        for part in self.complete:
            digits, _, span = part.rpartition(":")
            if digits and (length is None or int(digits) != length):
                continue
            if span == "all":
                return True
            if year is None:
                continue
            start, _, end = span.partition("-")
            if int(start) <= year <= int(end or start):
                return True
        return False

    @cached_property
    def by_code(self) -> dict[str, list[dict[str, str]]]:
        """The rows by code (a code of a versioned list has one row per name period)."""
        out: dict[str, list[dict[str, str]]] = {}
        for row in self.rows:
            out.setdefault(row["code"], []).append(row)
        return out

    @cached_property
    def codes(self) -> set[str]:
        """The set of codes of the list (its `code` column), every year."""
        return {row["code"] for row in self.rows}

    def name_for(self, code: str, year: int | None = None) -> str | None:
        """The official name of `code` in fiscal `year` (any year when None)."""
        for row in self.rows:
            if row["code"] != code:
                continue
            if year is None or not self.year_versioned:
                return row.get("name") or row.get("title_zh")
            start = int(row.get("from_year") or 0)
            end = int(row.get("to_year") or 9999)
            if start <= year <= end:
                return row.get("name")
        return None


ROW_FIELDS = ("row_id", "row_type")
SOURCE_FIELDS = ("source_page", "source_line")


class Standard:
    """The loaded standard. Use `load_standard()` for the shared instance."""

    def __init__(self, root: Path):
        self.root = root
        meta = json.loads((root / "standard.json").read_text(encoding="utf-8"))
        self.meta = meta
        self.version: str = meta["version"]
        self.fields = {row["name"]: _field_spec(row) for row in read_csv(root / "fields.csv")}
        codelists_dir = root / "codelists"
        self.measures = {row["code"]: _measure_spec(row) for row in read_csv(codelists_dir / "measures.csv")}
        self.tables = {row["code"]: _table_spec(row) for row in read_csv(codelists_dir / "tables.csv")}
        self.codelists: dict[str, CodeList] = {}
        for row in read_csv(codelists_dir / "codelists.csv"):
            path = codelists_dir / row["file"]
            self.codelists[row["id"]] = CodeList(
                id=row["id"], file=row["file"], title_zh=row["title_zh"], title_en=row["title_en"],
                open=row["open"] == "true", year_versioned=row["year_versioned"] == "true",
                provenance=row["provenance"], description=row["description"],
                rows=read_csv(path) if path.exists() else [],
                code_lengths=tuple(int(n) for n in split_list(row.get("code_lengths", ""))),
                complete=tuple(split_list(row.get("complete", ""))),
            )

    @cached_property
    def descriptor_schema(self) -> dict:
        """The JSON Schema of a package descriptor (schema/datapackage.schema.json), as a dict."""
        return json.loads((self.root / "datapackage.schema.json").read_text(encoding="utf-8"))

    def stage_codes(self) -> list[str]:
        """The stage codes (budget, final) of codelists/stages.csv, in file order."""
        return [row["code"] for row in self.codelists["stages"].rows]

    def key_figure_aliases(self) -> tuple[tuple[str, str, str], ...]:
        """(printed phrase, key figure code, kind) of codelists/key_figures.csv, in file order."""
        return tuple((alias, row["code"], row["kind"]) for row in self.codelists["key_figures"].rows
                     for alias in split_list(row["aliases"], "|"))

    @cached_property
    def code_fields(self) -> tuple[str, ...]:
        """The classification code fields (function and economic codes): the fields whose code
        list is versioned by fiscal year, in the order of fields.csv."""
        return tuple(name for name, spec in self.fields.items()
                     if spec.codelist in self.codelists and self.codelists[spec.codelist].year_versioned)

    @cached_property
    def code_lengths(self) -> dict[str, tuple[int, ...]]:
        """Classification code field (function_code, economic_code, gov_economic_code) -> the digits
        of its codes at each level (类 / 款 / 项), shortest first: the `code_lengths` column of
        codelists/codelists.csv for the code list that schema/fields.csv links to the field."""
        return {name: self.codelists[spec.codelist].code_lengths for name, spec in self.fields.items()
                if spec.codelist in self.codelists and self.codelists[spec.codelist].code_lengths}

    @cached_property
    def flat_tables(self) -> tuple[str, ...]:
        """The tables whose item rows form a flat list, without a 类 / 款 / 项 outline (`flat` true in
        codelists/tables.csv), in catalog order."""
        return tuple(code for code, spec in self.tables.items() if spec.flat)

    def row_words(self, kind: str) -> tuple[str, ...]:
        """The words of printed row labels that mark a row of `kind` (codelists/row_words.csv):
        `carry` for carry-over rows (结转 …), `current` for the current-year subtotal (本年收入 …);
        KeyError for a kind not listed there."""
        for row in self.codelists["row_words"].rows:
            if row["code"] == kind:
                return tuple(split_list(row["words"], "|"))
        raise KeyError(f"row_words.csv has no kind {kind!r}")

    def disclosure_words(self, kind: str) -> tuple[str, ...]:
        """The words of titles and narratives that say who a disclosure covers
        (codelists/disclosure_words.csv): `department`, `unit`, `consolidated_mark`, `own_level`,
        `subordinate`, `no_subordinates`, `central`; KeyError for a kind not listed there."""
        for row in self.codelists["disclosure_words"].rows:
            if row["code"] == kind:
                return tuple(split_list(row["words"], "|"))
        raise KeyError(f"disclosure_words.csv has no kind {kind!r}")

    @cached_property
    def money_factors(self) -> dict[str, int]:
        """Printed money unit (元, 万元) -> its factor to 元, from codelists/money_units.csv."""
        return {row["title_zh"]: int(row["factor"]) for row in self.codelists["money_units"].rows}

    def money_factor(self, unit: str) -> int:
        """The factor from printed money unit `unit` (元, 万元 …) to 元, from codelists/money_units.csv;
        KeyError for a unit not listed there."""
        for row in self.codelists["money_units"].rows:
            if row["title_zh"] == unit:
                return int(row["factor"])
        raise KeyError(unit)

    # -- the standard's knowledge used by the converter and the validator ------------------

    def layout_columns(self, layout: str, table_id: str) -> dict[str | None, list[tuple[str, str]]]:
        """The amount columns of `table_id` in `layout` (codelists/layouts.csv), left to right:
        side (None for one-sided tables) -> [(header word, measure)]; {} when the layout has none."""
        result: dict[str | None, list[tuple[str, str]]] = {}
        for row in self.codelists["layouts"].rows:
            if row["layout"] == layout and row["table"] == table_id and row["kind"] == "amount":
                result.setdefault(row["side"] or None, []).append((int(row["position"]), row["header_word"], row["field"]))
        return {side: [(word, name) for _, word, name in sorted(cols)] for side, cols in result.items()}

    def layout_text_columns(self, layout: str) -> tuple[tuple[str, str], ...]:
        """The text columns any table of `layout` may print between its label and its amounts:
        ((header word, field), …) in printed order."""
        rows = [row for row in self.codelists["layouts"].rows if row["layout"] == layout and row["kind"] == "text"]
        return tuple((row["header_word"], row["field"]) for row in sorted(rows, key=lambda r: int(r["position"])))

    @cached_property
    def indicator_level1_words(self) -> tuple[str, ...]:
        """The level-1 performance indicators (一级指标) of codelists/indicator_levels.csv."""
        return tuple(row["title_zh"] for row in self.codelists["indicator_levels"].rows if row["level"] == "1")

    @cached_property
    def indicator_level2_parents(self) -> dict[str, str]:
        """Level-2 indicator (二级指标) -> the level-1 indicator it belongs to."""
        return {row["title_zh"]: row["parent_title_zh"] for row in self.codelists["indicator_levels"].rows if row["level"] == "2"}

    def vocabulary(self, context: str) -> dict[str, str]:
        """Printed word -> field of one context of codelists/performance_vocabulary.csv
        (operator, self_evaluation_header, self_evaluation_label, indicator_header, project_header)."""
        words = {row["word"]: row["field"] for row in self.codelists["performance_vocabulary"].rows if row["context"] == context}
        if not words:
            raise KeyError(f"performance_vocabulary.csv has no context {context!r}")
        return words

    def measure_tree(self, tree: str) -> dict[str, tuple[str, ...]]:
        """Parent measure -> its children, of tree `funding` or `expenditure` (codelists/measure_tree.csv)."""
        return {row["parent"]: tuple(split_list(row["children"])) for row in self.codelists["measure_tree"].rows if row["tree"] == tree}

    def floating_sources(self) -> tuple[str, ...]:
        """Sources of funds printed either inside or beside their parent's subtotal."""
        return tuple(name for row in self.codelists["measure_tree"].rows for name in split_list(row["floating"]))

    def floating_parents(self) -> tuple[str, ...]:
        """The measures whose sum may or may not include the floating sources."""
        return tuple(row["parent"] for row in self.codelists["measure_tree"].rows if split_list(row["floating"]))

    @cached_property
    def identities(self) -> dict[str, Identity]:
        """codelists/identities.csv by code, in file order."""
        return {row["code"]: Identity(
            code=row["code"], kind=row["kind"], rule=row["rule"], whole=tuple(split_list(row["whole"])),
            parts=tuple(split_list(row["parts"])), tables=tuple(split_list(row["tables"])), description=row["description"],
        ) for row in self.codelists["identities"].rows}

    def row_identities(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """(rule, whole, parts) of every identity between the measures of one row."""
        return tuple((i.rule, i.whole[0], i.parts) for i in self.identities.values() if i.kind == "row")

    def table_field_names(self, table_id: str) -> list[str]:
        """All columns a table may carry, in the standard order."""
        spec = self.tables[table_id]
        return [*ROW_FIELDS, *spec.dimensions, *spec.measures, *SOURCE_FIELDS]

    def field_descriptor(self, table_id: str, name: str) -> dict:
        """The Frictionless field descriptor of column `name` of table `table_id`."""
        if name in self.tables[table_id].measures:  # a name may be a measure in one table, a field in another
            measure = self.measures[name]
            return {
                "name": name,
                "title": measure.title_zh,
                "type": "number",
                "description": measure.description + " Amount in 元 (yuan), an exact decimal.",
                "unit": "元",
                "measure": name,
                "columnType": "value",
                "stages": list(measure.stages),
            }
        spec = self.fields[name]
        descriptor = {"name": name, "title": spec.title_zh, "type": spec.type, "description": spec.description}
        if spec.fdp_column_type:
            descriptor["columnType"] = spec.fdp_column_type
        if spec.codelist:
            descriptor["codelist"] = spec.codelist
        if spec.constraints:
            descriptor["constraints"] = dict(spec.constraints)
        if spec.example:
            descriptor["example"] = spec.example
        return descriptor

    def table_schema(self, table_id: str) -> dict:
        """The full table schema of a catalog table (every column either stage may print)."""
        spec = self.tables[table_id]
        return {
            "$id": f"{self.meta['base_uri']}/{self.version}/tables/{table_id}.json",
            "title": spec.title_zh,
            "description": spec.description,
            "tableId": table_id,
            "keyedBy": spec.keyed_by,
            "fields": [self.field_descriptor(table_id, name) for name in self.table_field_names(table_id)],
            "primaryKey": ["row_id"],
        }

    def resource_schema(self, table_id: str, columns: list[str]) -> dict:
        """The schema of one published table: the standard's fields for the columns it printed."""
        wanted = set(columns)
        names = [name for name in self.table_field_names(table_id) if name in wanted]
        return {"fields": [self.field_descriptor(table_id, name) for name in names], "primaryKey": ["row_id"]}

    def ordered_columns(self, table_id: str, columns) -> list[str]:
        """The column names of `columns` plus row_id, row_type and item, in the standard order of
        `table_field_names` (row fields, dimensions, measures, source fields); names the
        table cannot carry are dropped. KeyError for a `table_id` not in the catalog."""
        wanted = set(columns) | set(ROW_FIELDS) | {"item"}
        return [name for name in self.table_field_names(table_id) if name in wanted]


def _field_spec(row: dict[str, str]) -> FieldSpec:
    return FieldSpec(
        name=row["name"], title_zh=row["title_zh"], type=row["type"], description=row["description"],
        fdp_column_type=row["fdp_column_type"], codelist=row["codelist"],
        constraints=json.loads(row["constraints"]) if row["constraints"] else {}, example=row["example"],
        header_aliases=tuple(split_list(row.get("header_aliases", ""), "|")),
    )


def _measure_spec(row: dict[str, str]) -> MeasureSpec:
    return MeasureSpec(
        code=row["code"], title_zh=row["title_zh"], title_en=row["title_en"],
        stages=tuple(split_list(row["stages"])), aliases=tuple(split_list(row["aliases"], "|")),
        description=row["description"], row_labels=tuple(split_list(row.get("row_labels", ""), "|")),
    )


def _table_spec(row: dict[str, str]) -> TableSpec:
    return TableSpec(
        code=row["code"], title_zh=row["title_zh"], title_en=row["title_en"], kind=row["kind"],
        two_sided=row["two_sided"] == "true", flat=row.get("flat") == "true", required_in=tuple(split_list(row["required_in"])),
        keyed_by=row["keyed_by"], aliases=tuple(split_list(row["aliases"], "|")),
        dimensions=tuple(split_list(row["dimensions"])), measures=tuple(split_list(row["measures"])),
        description=row["description"], fund=row.get("fund") or "",
        part_of=tuple(split_list(row.get("part_of") or "")),
        repeated_amounts=row.get("repeated_amounts") == "true",
        required_from=int(row["required_from"]) if (row.get("required_from") or "").strip() else None,
    )


def load_standard(root: str | Path | None = None) -> Standard:
    """The standard in `root`, default `schema_dir()`; loaded once per directory."""
    if root:
        return _load_standard(str(root))
    return _load_standard(os.environ.get(SCHEMA_DIR_ENV) or str(_default_schema_dir()))


@lru_cache(maxsize=None)
def _load_standard(root: str) -> Standard:
    return Standard(Path(root))
