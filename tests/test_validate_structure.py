"""Structural validation: exit codes, the rules broken copies trip, refusal to fetch or escape,
and the report formats."""
from __future__ import annotations

import csv
import json
import re
import shutil
import socket
from decimal import Decimal
from pathlib import Path

import pytest

import opendata
from opendata.model import Disclosure, Row, SourceDocument, Table
from opendata.package import PackageError, write_package
from opendata.standard import load_standard
from opendata.validate.report import rule_catalog

from .conftest import run_cli


def rules_of(result) -> set[str]:
    """The rules of the structural layer found (the later layers have their own tests)."""
    report = json.loads(result.stdout)
    return {f["rule"] for p in report["packages"] for f in p["findings"] if structural(f["rule"])}


def structural(rule: str) -> bool:
    return rule_catalog()[rule]["layer"] == "structure"


def validate_json(path):
    result = run_cli("validate", path, "--json")
    assert "Traceback" not in result.stderr, result.stderr
    return result


def edit_descriptor(package: Path, change) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def edit_csv(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row_id: str, column: str, value: str) -> None:
    def change(rows):
        index = rows[0].index(column)
        for row in rows[1:]:
            if row[0] == row_id:
                row[index] = value
                return rows
        raise AssertionError(f"no row {row_id}")
    edit_csv(path, change)


def summary_csv(package: Path) -> Path:
    return package / "data" / "expenditure_summary.csv"


# -- valid -------------------------------------------------------------------

def test_valid_package_exits_0(package):
    result = run_cli("validate", package)
    assert result.returncode == 0, result.stdout + result.stderr
    report = opendata.validate(package)
    assert report.valid and report.exit_code() == 0
    assert report.packages[0].tables == 2 and report.packages[0].rows == 9
    assert [f for f in report.packages[0].findings if structural(f.rule) or f.severity == "error"] == []


def test_descriptor_file_path_and_folder_of_packages(package):
    assert run_cli("validate", package / "datapackage.json").returncode == 0
    second = package.parent / "second"
    shutil.copytree(package, second)
    result = validate_json(package.parent)
    assert result.returncode == 0
    assert json.loads(result.stdout)["summary"]["packages"] == 2


def test_a_package_with_every_catalog_table_is_valid(tmp_path):
    standard = load_standard()
    source = SourceDocument(filename="a.pdf", sha256="a" * 64, bytes=1, format="pdf")
    disclosure = Disclosure(unit_name="某某单位", fiscal_year=2024, stage="final_accounts", source=source)
    for table_id, spec in standard.tables.items():
        text_columns = [c for c in spec.dimensions if c in ("item", "section", "heading", "text")]
        values: dict = {c: "文字" for c in text_columns}
        if spec.measures:
            values[spec.measures[0]] = Decimal("1.5")
        disclosure.tables[table_id] = Table(table_id, columns=list(values), rows=[Row("r1", "item", values)])
    package = write_package(disclosure, tmp_path / "all")
    result = validate_json(package)
    assert result.returncode == 0, result.stdout


def test_a_table_printed_empty_is_kept_and_valid(tmp_path):
    source = SourceDocument(filename="a.pdf", sha256="a" * 64, bytes=1, format="pdf")
    disclosure = Disclosure(unit_name="某某单位", fiscal_year=2024, stage="budget", source=source)
    disclosure.tables["government_fund_expenditure"] = Table(
        "government_fund_expenditure", columns=["total"], note="注：本单位无政府性基金预算支出，故本表为空表。")
    package = write_package(disclosure, tmp_path / "empty-table")
    result = validate_json(package)
    assert result.returncode == 0, result.stdout
    assert opendata.read_package(package).tables["government_fund_expenditure"].note.startswith("注：本单位无")


# -- broken copies: exit 1 ---------------------------------------------------

def test_text_in_an_amount_column(package):
    set_cell(summary_csv(package), "208", "total", "五千九百万")
    result = validate_json(package)
    assert result.returncode == 1
    finding = json.loads(result.stdout)["packages"][0]["findings"][0]
    assert finding["rule"] == "table.type-error"
    assert finding["table"] == "expenditure_summary"
    assert finding["row_id"] == "208"
    assert finding["measure"] == "total"
    assert finding["found"] == "五千九百万"
    assert finding["location"] == {"file": "data/expenditure_summary.csv", "row": 3, "column": "total", "page": 5, "line": 43}


def test_row_id_column_removed(package):
    edit_csv(summary_csv(package), lambda rows: [row[1:] for row in rows])
    edit_descriptor(package, lambda d: d["resources"][0]["schema"]["fields"].pop(0))
    result = validate_json(package)
    assert result.returncode == 1
    assert "table.missing-required-field" in rules_of(result)


def test_row_id_column_removed_from_the_csv_only(package):
    edit_csv(summary_csv(package), lambda rows: [row[1:] for row in rows])
    result = validate_json(package)
    assert result.returncode == 1
    assert "table.label-error" in rules_of(result)


def test_empty_item(package):
    set_cell(summary_csv(package), "2080109", "item", "")
    result = validate_json(package)
    assert result.returncode == 1
    assert rules_of(result) == {"table.constraint-error"}
    assert "required" in result.stdout


def test_a_constraint_error_names_the_rows_page(package):
    """A row breaking its table's constraints (no item) is located in the source document: the message and the
    location carry its page and line (source_page / source_line of the row), so the reader can look it up."""
    set_cell(summary_csv(package), "2080109", "item", "")
    report = json.loads(validate_json(package).stdout)
    (finding,) = [f for p in report["packages"] for f in p["findings"] if f["rule"] == "table.constraint-error"]
    assert "(page 5, line 44)" in finding["message"]
    assert (finding["location"]["page"], finding["location"]["line"]) == (5, 44)


def test_duplicate_row_id(package):
    set_cell(summary_csv(package), "2080109", "row_id", "208")
    result = validate_json(package)
    assert result.returncode == 1
    assert {"table.unique-error", "table.primary-key"} & rules_of(result)


def test_bad_function_code(package):
    set_cell(summary_csv(package), "2080109", "function_code", "20801X")
    result = validate_json(package)
    assert result.returncode == 1
    finding = json.loads(result.stdout)["packages"][0]["findings"][0]
    assert finding["rule"] == "table.constraint-error"
    assert finding["found"] == "20801X"
    assert finding["location"]["column"] == "function_code"


def test_bad_row_type(package):
    set_cell(summary_csv(package), "2080109", "row_type", "detail")
    result = validate_json(package)
    assert result.returncode == 1
    assert rules_of(result) == {"table.constraint-error"}


def test_malformed_descriptor(package):
    (package / "datapackage.json").write_text('{"name": "x", ', encoding="utf-8")
    result = validate_json(package)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert rules_of(result) == {"package.descriptor-unreadable"}
    assert "not valid JSON" in report["packages"][0]["findings"][0]["message"]


def test_descriptor_that_is_not_an_object(package):
    (package / "datapackage.json").write_text("[]", encoding="utf-8")
    result = validate_json(package)
    assert result.returncode == 1
    assert rules_of(result) == {"package.descriptor-unreadable"}


@pytest.mark.parametrize("prop", ["stage", "fiscalYear", "unit", "source", "resources"])
def test_descriptor_missing_a_required_property(package, prop):
    edit_descriptor(package, lambda d: d.pop(prop))
    result = validate_json(package)
    assert result.returncode == 1
    assert "package.descriptor-schema" in rules_of(result)
    assert f"'{prop}' is a required property" in result.stdout


def test_descriptor_with_a_wrong_value(package):
    edit_descriptor(package, lambda d: d.update(stage="预算"))
    result = validate_json(package)
    assert result.returncode == 1
    assert rules_of(result) == {"package.descriptor-schema"}


def test_unknown_table(package):
    edit_descriptor(package, lambda d: d["resources"][0].update(name="mystery_table", tableId="mystery_table"))
    result = validate_json(package)
    assert result.returncode == 1
    assert "resource.unknown-table" in rules_of(result)


def test_missing_data_file(package):
    summary_csv(package).unlink()
    result = validate_json(package)
    assert result.returncode == 1
    assert rules_of(result) == {"resource.missing-file"}


def test_schema_type_differs_from_the_standard(package):
    def change(d):
        d["resources"][0]["schema"]["fields"][4]["type"] = "string"  # total
    edit_descriptor(package, change)
    result = validate_json(package)
    assert result.returncode == 1
    assert "resource.schema-mismatch" in rules_of(result)


@pytest.mark.parametrize("path", ["../x.csv", "data/../../x.csv", "/etc/passwd"])
def test_resource_path_outside_the_package(package, path):
    (package.parent / "x.csv").write_text("row_id,row_type,item\nx,item,x\n", encoding="utf-8")
    edit_descriptor(package, lambda d: d["resources"][0].update(path=path))
    result = validate_json(package)
    assert result.returncode == 1
    assert "resource.unsafe-path" in rules_of(result)
    assert "outside the package" in result.stdout


def test_remote_url_is_refused_and_never_fetched(package, monkeypatch):
    url = "https://example.org/x.csv"
    edit_descriptor(package, lambda d: d["resources"][0].update(path=url))
    attempts = []

    def no_network(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted during validation")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    report = opendata.validate(package)
    assert attempts == []
    assert not report.valid
    findings = [f for f in report.packages[0].findings if f.rule == "resource.unsafe-path"]
    assert len(findings) == 1 and "remote URL" in findings[0].message and "nothing is fetched" in findings[0].message
    monkeypatch.undo()

    result = run_cli("validate", package, "--format", "markdown")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"| 错误 error | resource.unsafe-path |  |  |  |  |  | resource path '{url}' is a remote URL" in result.stdout
    assert run_cli("validate", package).returncode == 1


# -- cannot run: exit 2 ------------------------------------------------------

def test_path_that_does_not_exist(tmp_path):
    result = run_cli("validate", tmp_path / "nope")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no such file or folder" in result.stderr and "Traceback" not in result.stderr


def test_folder_without_a_package(tmp_path):
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    result = run_cli("validate", tmp_path / "empty")
    assert result.returncode == 2
    assert "no data package found" in result.stderr and "Traceback" not in result.stderr


def test_file_that_is_not_a_descriptor(package):
    result = run_cli("validate", summary_csv(package))
    assert result.returncode == 2
    assert "not a data package" in result.stderr and "Traceback" not in result.stderr


def test_python_api_raises_package_error(tmp_path):
    with pytest.raises(PackageError):
        opendata.validate(tmp_path / "nope")


# -- report formats ----------------------------------------------------------

def test_json_report_keys(package):
    set_cell(summary_csv(package), "2080109", "function_code", "20801X")
    result = run_cli("validate", package, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert set(report) == {"reportFormat", "valid", "summary", "packages"}
    assert report["reportFormat"] == "1.2" and report["valid"] is False
    assert set(report["summary"]) == {"packages", "invalid", "errors", "warnings", "infos"}
    assert {k: report["summary"][k] for k in ("packages", "invalid", "errors")} == {"packages": 1, "invalid": 1, "errors": 1}
    (entry,) = report["packages"]
    assert set(entry) == {"path", "name", "valid", "tables", "rows", "identities", "errors", "warnings",
                          "findings"}
    assert entry["name"] == "110101-257004-2024-budget"
    (finding,) = [f for f in entry["findings"] if structural(f["rule"])]
    assert {"rule", "severity", "message"} <= set(finding)
    assert set(finding) <= {"rule", "severity", "message", "table", "row_id", "label", "measure", "expected",
                            "found", "difference", "location"}
    assert finding["severity"] == "error"
    assert run_cli("validate", package, "--json").stdout == result.stdout


def test_every_rule_in_a_report_is_in_the_catalog(package):
    from opendata.validate import rule_catalog
    set_cell(summary_csv(package), "208", "total", "abc")
    summary_csv(package).with_name("general_budget_basic_expenditure.csv").unlink()
    result = validate_json(package)
    assert rules_of(result) <= set(rule_catalog())


def test_markdown_report(package, tmp_path):
    set_cell(summary_csv(package), "2080109", "function_code", "20801X")
    result = run_cli("validate", package, "--format", "markdown")
    assert result.returncode == 1
    assert result.stdout.startswith("# 校验报告 / Validation report")
    assert re.search(r"\| 错误 error \| table.constraint-error \| [^|]* \| 2080109 \|", result.stdout)
    out = tmp_path / "report.md"
    assert run_cli("validate", package, "--format", "markdown", "-o", out).returncode == 1
    assert out.read_text(encoding="utf-8") == result.stdout


def test_text_report(package):
    result = run_cli("validate", package)
    assert result.returncode == 0
    assert "110101-257004-2024-budget" in result.stdout and "valid" in result.stdout
