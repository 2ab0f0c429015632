"""The standard's knowledge lives in schema/ data files read through opendata.standard:
the files are consistent with the catalog, the code keeps no copy of them, changing a
file changes behaviour, and the modules reading them keep to their own state."""
from __future__ import annotations

import ast
import dataclasses
import shutil
from pathlib import Path

import pytest

from opendata.convert import convert_file
from opendata.convert.errors import Warnings
from opendata.convert.three_public import printed_spec
from opendata.model import Table
from opendata.standard import load_standard, read_csv
from opendata.validate import identities
from opendata.validate.identities import blocks, tree
from opendata.validate.report import PackageReport, rule_catalog
from opendata.validate.rules import Context, label_measure, name_key
from opendata.validate.structure import check_package

from .seeds import seed_path

SRC = Path(__file__).resolve().parents[1] / "src" / "opendata"
REPO = Path(__file__).resolve().parents[1]
STANDARD = load_standard()
KNOWLEDGE = ("layouts", "indicator_levels", "performance_vocabulary", "measure_tree", "identities", "row_words", "disclosure_words", "title_words")
DECLARED = {f.name for f in dataclasses.fields(Table)}


@pytest.mark.parametrize("list_id", KNOWLEDGE)
def test_knowledge_file_is_registered_and_documented(list_id):
    codelist = STANDARD.codelists[list_id]
    assert codelist.rows, f"{codelist.file}: no rows"
    assert (REPO / "site" / "docs" / "reference" / "codelists" / f"{list_id}.md").is_file()
    assert f"schema/codelists/{codelist.file}" in (REPO / "site" / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_layouts_name_columns_of_their_tables():
    for row in STANDARD.codelists["layouts"].rows:
        if row["kind"] == "amount":
            assert row["field"] in printed_spec(STANDARD.tables[row["table"]]).measures, row   # 三公: lines as columns
            assert row["side"] in ("", "income", "expenditure"), row
        else:
            assert row["kind"] == "text" and row["field"] in STANDARD.fields, row


def test_measure_tree_and_identities_name_known_measures_tables_and_rules():
    rules = rule_catalog()
    for tree in ("funding", "expenditure"):
        for parent, children in STANDARD.measure_tree(tree).items():
            assert {parent, *children} <= set(STANDARD.measures), (tree, parent)
    assert set(STANDARD.floating_sources()) <= set(STANDARD.measures)
    for identity in STANDARD.identities.values():
        assert identity.kind in ("row", "across"), identity.code
        assert identity.rule in rules, identity.code
        assert set(identity.whole) | set(identity.parts) <= set(STANDARD.measures), identity.code
        assert set(identity.tables) <= set(STANDARD.tables), identity.code


def test_indicator_levels_and_vocabulary():
    levels = STANDARD.indicator_level2_parents
    assert set(levels.values()) <= set(STANDARD.indicator_level1_words)
    assert levels["服务对象满意度指标"] == "满意度指标"
    assert STANDARD.vocabulary("operator")["不低于"] == "≥"
    for context in ("self_evaluation_header", "self_evaluation_label", "indicator_header", "project_header"):
        for word, name in STANDARD.vocabulary(context).items():
            # fiscal_year: a project table's 年度 column (the package's year, not a table field)
            assert name in STANDARD.fields or name in STANDARD.measures or name == "fiscal_year", (context, word, name)


def test_row_labels_of_measures_name_rows_and_do_not_collide():
    assert label_measure("一、一般公共预算拨款收入") == "general_budget"
    assert label_measure("（三）专项资金") == "special_project"
    owners: dict[str, set[str]] = {}
    for code, spec in STANDARD.measures.items():
        for alias in (*spec.aliases, *spec.row_labels):
            if "/" not in alias and "*" not in alias:
                owners.setdefault(name_key(alias), set()).add(code)
    for code, spec in STANDARD.measures.items():
        for label in spec.row_labels:
            assert owners[name_key(label)] == {code}, f"row label {label} of {code} also names {owners[name_key(label)]}"


def test_code_lengths_flat_tables_and_row_words():
    # code_lengths (codelists.csv) reach every classification code field through fields.csv
    assert STANDARD.code_lengths == {"function_code": (3, 5, 7), "economic_code": (3, 5, 7), "gov_economic_code": (3, 5)}
    assert set(STANDARD.code_lengths) == set(STANDARD.code_fields)
    for name, lengths in STANDARD.code_lengths.items():
        codelist = STANDARD.codelists[STANDARD.fields[name].codelist]
        assert {len(code) for code in codelist.codes} <= set(lengths), (name, codelist.file)
    assert all(not c.code_lengths for c in STANDARD.codelists.values() if not c.year_versioned)
    # flat (tables.csv): one-sided money tables
    assert "project_expenditure" in STANDARD.flat_tables and "general_budget_expenditure" not in STANDARD.flat_tables
    for table_id in STANDARD.flat_tables:
        spec = STANDARD.tables[table_id]
        assert spec.is_money and not spec.two_sided, table_id
    # row_words.csv: carry-over and current-year words, none of which names the other kind, the
    # narrowing words of a part, and the periods that name the disclosure's own year
    assert {row["code"] for row in STANDARD.codelists["row_words"].rows} == {"carry", "current", "part", "current_period"}
    assert "当年" in STANDARD.row_words("current_period")
    carry, current = STANDARD.row_words("carry"), STANDARD.row_words("current")
    assert "弥补收支差额" in carry and "本年拨款" in current
    assert not any(a in b or b in a for a in carry for b in current)
    with pytest.raises(KeyError):
        STANDARD.row_words("grand")


def test_code_lengths_and_flat_tables_are_changed_by_data(tmp_path, monkeypatch):
    """Editing code_lengths in codelists.csv and flat in tables.csv changes what the validator reads."""
    schema = tmp_path / "schema"
    shutil.copytree(STANDARD.root, schema)
    import csv
    for name, column, edit in (("codelists.csv", "code_lengths", {"function_classification": "3 7"}),
                               ("tables.csv", "flat", {"project_expenditure": "false"})):
        path = schema / "codelists" / name
        rows = read_csv(path)
        key = "id" if name == "codelists.csv" else "code"
        for row in rows:
            row[column] = edit.get(row[key], row[column])
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    assert tree._prefixes("function_code", "2080109", set()) == [None, "208", "20801", "2080109"]
    monkeypatch.setenv("OPENDATA_SCHEMA_DIR", str(schema))
    assert tree._prefixes("function_code", "2080109", set()) == [None, "208", "2080109"]
    assert "project_expenditure" not in load_standard().flat_tables


def test_the_code_keeps_no_copy_of_the_knowledge():
    copies = ("服务对象满意度指标", "偏差原因分析及改进措施", "三公经费财政拨款预算总额", "大于等于", "纳入专户管理的资金",
              '"carryover_unit_funds"', '"vehicle_purchase"', "弥补收支差额", '"本年拨款"', '"transfer_payment_details"',
              '"gov_economic_code": (3, 5)')
    moved = {"CODE_LENGTHS", "CARRY_WORDS", "CURRENT_WORDS", "FLAT_TABLES"}  # now codelists.csv, row_words.csv, tables.csv
    for module in (blocks, tree):
        assert not moved & set(vars(module)), f"{module.__name__} keeps {moved & set(vars(module))}"
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in copies:
            assert word not in text, f"{path.relative_to(SRC)} repeats {word} from schema/"
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                assert node.id not in moved, f"{path.relative_to(SRC)} defines {node.id}, which lives in schema/"


def test_no_private_imports_across_modules():
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                assert not private, f"{path.relative_to(SRC)} imports {private} from {node.module}"


@pytest.mark.parametrize("folder", ["validate/identities", "convert/forms", "convert/spaced"])
def test_split_modules_stay_small(folder):
    modules = list((SRC / folder).glob("*.py"))
    assert len(modules) >= 4
    for path in modules:
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines < 500, f"{path.relative_to(SRC)}: {lines} lines"


def test_warnings_withdraw_takes_back_only_that_warning():
    warnings = Warnings("doc.txt")
    first = warnings.add("14 amounts given to the labels in printed order", 81, "income_summary")
    second = warnings.add("14 amounts given to the labels in printed order", 81, "income_summary")
    warnings.withdraw(first)
    assert warnings.items == [second] and warnings.items[0] is second


def test_detached_amounts_are_placed_without_state_on_the_table():
    # seed 000 prints 预算02表's amounts apart from its labels; 预算01表 places them
    result = convert_file(seed_path("000"))
    placed = [w for w in result.warnings if "placed as 预算01表 places the same items" in w]
    assert len(placed) == 1
    assert not any("given to the labels in printed order" in w for w in result.warnings)
    for table in result.disclosure.tables.values():
        assert set(vars(table)) == DECLARED, f"{table.table_id}: undeclared attributes {set(vars(table)) - DECLARED}"


def test_validation_keeps_its_caches_in_the_declared_field():
    package_dir = REPO / "datapackages" / "110102-257004-2023-budget"
    report = PackageReport(path=str(package_dir))
    tables: dict = {}
    descriptor = check_package(package_dir, report, engine="fast", tables=tables)
    ctx = Context(package_dir=package_dir, descriptor=descriptor, report=report, tables=tables,
                  present=set(tables), standard=STANDARD)
    identities.check(ctx)
    assert any(table.derived for table in tables.values())
    for table in tables.values():
        assert set(vars(table)) == DECLARED, f"{table.table_id}: undeclared attributes {set(vars(table)) - DECLARED}"


def test_a_layout_is_changed_by_data(tmp_path, monkeypatch):
    """Swapping two columns of a table in layouts.csv swaps what the converter reads."""
    schema = tmp_path / "schema"
    shutil.copytree(STANDARD.root, schema)
    path = schema / "codelists" / "layouts.csv"
    rows = read_csv(path)
    header = list(rows[0])
    for row in rows:
        if row["table"] == "general_budget_expenditure" and row["field"] in ("basic", "project"):
            row["field"] = "project" if row["field"] == "basic" else "basic"
    import csv
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    before = convert_file(seed_path("000")).disclosure.tables["general_budget_expenditure"]
    monkeypatch.setenv("OPENDATA_SCHEMA_DIR", str(schema))
    after = convert_file(seed_path("000")).disclosure.tables["general_budget_expenditure"]
    pairs = [(a.values.get("basic"), a.values.get("project"), b.values.get("basic"), b.values.get("project"))
             for a, b in zip(before.rows, after.rows)]
    assert any(basic is not None for basic, _, _, _ in pairs)
    assert all((basic, project) == (project2, basic2) for basic, project, basic2, project2 in pairs)
