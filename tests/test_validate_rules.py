"""The rule catalog, the reading of labels and names, tolerances, the fast structural check
against frictionless, the report format, the CLI options and the pre-commit hook."""
from __future__ import annotations

import copy
import csv
import io
import json
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from frictionless import Resource, Schema

from opendata.model import Row, Table
from opendata.package import parse_csv, write_package
from opendata.validate import LAYERS, validate, validate_package
from opendata.validate import csvcheck
from opendata.validate.narrative import named_figure
from opendata.validate.report import REPORT_FORMAT_VERSION, rule_catalog
from opendata.validate.rules import (
    cn_number, function_class, label_measure, name_key, names_agree, ordinal, strip_label, table_tolerance,
)

from .clean_packages import as_lines, clean_disclosure
from .conftest import REPO, run_cli

SRC = REPO / "src" / "opendata" / "validate"


# -- the catalog ------------------------------------------------------------------------------------

def rules_in_code() -> set[str]:
    found = set()
    for path in SRC.glob("*.py"):
        found |= set(re.findall(r'"((?:code|sum|across|narrative|text|completeness|validator)\.[a-z-]+)"', path.read_text(encoding="utf-8")))
    return found


def test_every_rule_the_code_reports_is_in_the_catalog():
    missing = rules_in_code() - set(rule_catalog())
    assert not missing, f"add these rules to schema/rules.csv: {sorted(missing)}"


def test_catalog_rows_are_complete():
    layers = {"structure", "codes", "accounting", "narrative", "text", "completeness"}
    for rule, row in rule_catalog().items():
        assert re.fullmatch(r"[a-z]+\.[a-z-]+", rule) or rule == "rounding", rule   # rounding: any identity
        assert row["layer"] in layers, rule
        assert row["severity"] in ("error", "warning", "info"), rule
        assert row["title_zh"] and row["title_en"] and len(row["description"]) > 20, rule
        assert re.search(r"[\u4e00-\u9fff]", row["title_zh"]), rule


def test_every_rule_of_the_later_layers_is_exercised():
    """Each rule of layers 2-6 is fired by a mutation test, a text-rule test or pinned on a seed."""
    tests = "".join((REPO / "tests" / name).read_text(encoding="utf-8")
                    for name in ("test_mutations.py", "test_validate_seeds.py", "test_text_rules.py"))
    later = {r for r, row in rule_catalog().items() if row["layer"] != "structure"}
    unexercised = {r for r in later if f'"{r}"' not in tests}
    assert not unexercised, unexercised


def test_the_layers_run_in_order():
    assert [name for name, _ in LAYERS] == ["codes", "accounting", "narrative", "text", "completeness"]


# -- labels and names -----------------------------------------------------------------------------

@pytest.mark.parametrize("label, expected", [
    ("八、社会保障和就业", ("cn", 8, "社会保障和就业")),
    ("二十一、住房保障支出", ("cn", 21, "住房保障支出")),
    ("三十四、抗疫特别国债安排的支出", ("cn", 34, "抗疫特别国债安排的支出")),
    ("（一）一般公共预算拨款", ("cn_paren", 1, "一般公共预算拨款")),
    ("1、工资福利支出", ("num", 1, "工资福利支出")),
    ("（2）公务车购置费", ("num_paren", 2, "公务车购置费")),
    ("本年收入合计", (None, None, "本年收入合计")),
    ("2080109", (None, None, "2080109")),
])
def test_ordinals(label, expected):
    assert ordinal(label) == expected


def test_chinese_numbers():
    assert [cn_number(t) for t in ("一", "十", "十四", "二十", "二十一", "三十四", "一百")] == [1, 10, 14, 20, 21, 34, 100]


def test_labels_are_stripped_of_what_printing_adds():
    assert strip_label(" 其中：（1）公务用车运行维护费 ") == "公务用车运行维护费"
    assert strip_label("加：部门财政性资金结转") == "部门财政性资金结转"
    assert strip_label("社会保障和就业支出（类）") == "社会保障和就业支出"
    assert name_key("八、社会保障和就业支出") == name_key("社会保障和就业") == "社会保障和就业"


@pytest.mark.parametrize("printed, official", [
    ("八、社会保障和就业", "社会保障和就业支出"),
    ("社会保障和就业支出（类）", "社会保障和就业支出"),
    ("维修(护)费", "维修（护）费"),
    ("机关事业单位基本养老保险缴", "机关事业单位基本养老保险缴费支出"),  # cut short
    ("国内差旅费", "差旅费"),
    ("公务员医疗补助缴费（在职）", "公务员医疗补助缴费"),
    ("城镇职工基本医疗保险缴费", "职工基本医疗保险缴费"),
    ("对个人和家庭的补助支出", "对个人和家庭的补助"),
    ("十三、农林水事务", "农林水支出"),
])
def test_names_that_agree(printed, official):
    assert names_agree(printed, official)


@pytest.mark.parametrize("printed, official", [
    ("住房公积金", "行政运行"),
    ("一般公共服务", "社会保障和就业支出"),
    ("资源勘探信息等", "资源勘探工业信息等支出"),
    ("办公费", "印刷费"),
])
def test_names_that_differ(printed, official):
    assert not names_agree(printed, official)


def test_function_classes_by_name():
    assert function_class("八、社会保障和就业", 2021) == "208"
    assert function_class("（三）卫生健康支出", 2023) == "210"
    assert function_class("十二、城乡社区事务", 2021) == "212"
    assert function_class("十五、资源勘探信息等", 2021) == "215"  # the name of 2018
    assert function_class("一、本年支出", 2023) is None
    assert function_class("年终结转结余", 2023) is None


def test_measures_by_label():
    assert label_measure("一、一般公共预算拨款收入") == "general_budget"
    assert label_measure("（二）政府性基金预算拨款") == "government_fund"
    assert label_measure("二、项目支出") == "project"
    assert label_measure("1、工资福利支出") == "wage_welfare"
    assert label_measure("经常性项目") is None


@pytest.mark.parametrize("prefix, figure", [
    ("1、基本支出预算", "basic"),
    ("2021 年收入预算 ", "income_total"),
    ("2023年支出预算", "expenditure_total"),
    ("本单位 2021 年财政拨款收支总预算 ", "fiscal_appropriation_total"),
    ("涉及政府采购项目资金", "procurement"),
    ("2021年“三公”经费预算", "three_public"),
])
def test_the_figure_a_phrase_names(prefix, figure):
    assert named_figure(prefix) == figure


# -- tolerance ---------------------------------------------------------------------------------------

def test_tolerance_from_printed_precision():
    table = Table("expenditure_summary", money_unit="万元", money_decimals=2)
    assert table_tolerance(table) == Decimal(50)
    assert table_tolerance(Table("expenditure_summary", money_unit="万元", money_decimals=6)) == Decimal("0.005")
    assert table_tolerance(Table("expenditure_summary", money_unit="元", money_decimals=2)) == Decimal("0.005")
    inferred = Table("expenditure_summary", money_unit="万元", columns=["total"],
                     rows=[Row("a", values={"total": Decimal(4618400)}), Row("b", values={"total": Decimal(4618410)})])
    assert table_tolerance(inferred) == Decimal(5)  # 461.841 万元: three decimals, ±0.0005 万元


@pytest.mark.parametrize("off, fires", [(150, False), (151, True)])
def test_a_sum_may_differ_by_half_a_digit_per_figure(tmp_path, off, fires):
    """Two parts and a whole printed with two decimals in 万元: up to 3 × 50 元 apart."""
    def build(d):
        t = Table("three_public_expenses", columns=["item", "total", "overseas_travel", "vehicle", "reception"],
                  money_unit="万元", money_decimals=2)
        t.rows = [Row("x", values={"item": "某单位", "total": Decimal(30000) + off, "overseas_travel": Decimal(10000),
                                   "vehicle": Decimal(20000), "reception": None})]
        d.tables = {"three_public_expenses": t}
        as_lines(d)
    d = clean_disclosure(0)
    build(d)
    report = validate_package(write_package(d, tmp_path / "p"))
    assert ("sum.three-public" in {f.rule for f in report.findings}) is fires


def test_the_report_counts_the_identities_compared_and_those_that_hold(tmp_path):
    """A 三公 row whose total is the sum of its parts is one identity held; print the total
    151 元 off and the same identity is compared and broken (the figures bench_corpus prints)."""
    counts = []
    for off in (0, 151):
        d = clean_disclosure(0)
        t = Table("three_public_expenses", columns=["item", "total", "overseas_travel", "vehicle", "reception"],
                  money_unit="万元", money_decimals=2)
        t.rows = [Row("x", values={"item": "某单位", "total": Decimal(30000) + off, "overseas_travel": Decimal(10000),
                                   "vehicle": Decimal(20000), "reception": None})]
        d.tables = {"three_public_expenses": t}
        report = validate_package(write_package(as_lines(d), tmp_path / f"p{off}"))
        counts.append((report.identities_held, report.identities_checked))
        assert report.to_dict()["identities"] == {"held": report.identities_held, "checked": report.identities_checked}
    (held0, checked0), (held1, checked1) = counts
    assert checked0 == checked1 >= 1
    assert held0 == checked0 and held1 == checked1 - 1


@pytest.mark.parametrize("off, fires", [(0, False), (1000, True)])
def test_a_part_not_printed_is_replaced_by_its_printed_parts(tmp_path, off, fires):
    """一般公共预算支出表 printing 合计 | 人员经费 | 公用经费 | 项目支出 without 基本支出 (Xi'an): 合计 is
    checked against 人员经费 + 公用经费 + 项目支出, not against 项目支出 alone."""
    d = clean_disclosure(0)
    t = Table("general_budget_expenditure", columns=["function_code", "item", "total", "personnel", "public_use", "project"],
              money_unit="万元", money_decimals=2)
    t.rows = [Row("201", values={"function_code": "201", "item": "一般公共服务支出", "total": Decimal(60000) + off,
                                 "personnel": Decimal(30000), "public_use": Decimal(10000), "project": Decimal(20000)})]
    d.tables = {"general_budget_expenditure": t}
    report = validate_package(write_package(d, tmp_path / "p"), layers=("accounting",))
    assert ("sum.basic-project" in {f.rule for f in report.findings}) is fires


def test_a_unit_named_over_its_block_is_not_a_row_under_the_code_above(tmp_path):
    """一般公共预算支出表（按经济分类） listing one block per unit, each headed by a row naming the unit
    only (Shenzhen): the second unit's row is not counted under the first block's last code (39999)."""
    d = clean_disclosure(0)
    t = Table("general_budget_expenditure_economic", columns=["economic_code", "unit_name", "item", "total"],
              money_unit="万元", money_decimals=2)

    def row(code, item, total, unit=None, repeat=""):
        values = {"item": item, "total": Decimal(total)}
        values.update({"economic_code": code} if code else {"unit_name": unit})
        return Row((code or unit) + repeat, values=values)
    t.rows = [row(None, "测试局（本级）", 150000, "测试局（本级）"), row("301", "工资福利支出", 100000),
              row("30101", "基本工资", 100000), row("399", "其他支出", 50000), row("39999", "其他支出", 50000),
              row(None, "测试中心", 70000, "测试中心"), row("301", "工资福利支出", 70000, repeat="#2"),
              row("30101", "基本工资", 70000, repeat="#2")]
    d.tables = {"general_budget_expenditure_economic": t}
    report = validate_package(write_package(d, tmp_path / "p"), layers=("accounting",))
    assert not [f for f in report.findings if f.rule == "sum.hierarchy"], [f.message for f in report.findings]
    assert report.identities_checked >= 1


@pytest.mark.parametrize("total, fires", [(30000, False), (45000, False), (40000, True)])
def test_a_three_public_total_with_or_without_meetings_and_training(tmp_path, total, fires):
    """合计 printed beside 会议费 and 培训费 may hold them (“三公”经费、会议费、培训费支出预算表) or not
    (“三公”经费合计, Suzhou): either sum is accepted, any other is reported."""
    d = clean_disclosure(0)
    t = Table("three_public_expenses", columns=["item", "total", "overseas_travel", "vehicle", "reception",
                                                "meeting_fees", "training_fees"], money_unit="万元", money_decimals=2)
    t.rows = [Row("x", values={"item": "某单位", "total": Decimal(total), "overseas_travel": Decimal(10000),
                               "vehicle": Decimal(15000), "reception": Decimal(5000), "meeting_fees": Decimal(7000),
                               "training_fees": Decimal(8000)})]
    d.tables = {"three_public_expenses": t}
    report = validate_package(write_package(as_lines(d), tmp_path / "p"), layers=("accounting",))
    assert ("sum.three-public" in {f.rule for f in report.findings}) is fires


# -- the fast structural check and frictionless ------------------------------------------------------

SCHEMA = {"fields": [
    {"name": "row_id", "type": "string", "constraints": {"required": True, "unique": True}},
    {"name": "row_type", "type": "string", "constraints": {"required": True, "enum": ["item", "subtotal", "total"]}},
    {"name": "function_code", "type": "string", "constraints": {"pattern": "^[0-9]{3}([0-9]{2}){0,2}$"}},
    {"name": "item", "type": "string", "constraints": {"required": True}},
    {"name": "total", "type": "number"},
    {"name": "line_number", "type": "integer", "constraints": {"minimum": 0}},
], "primaryKey": ["row_id"]}
CELLS = ["", " ", "a", "208", "20801", "20", "item", "total", "foo", "12.5", "-3", "1e3", "abc", "1,000", "0", "-1",
         "+4", " 7 ", "3.0", "1_0", "１２", "0.000001"]


def random_csv(rnd: random.Random) -> str:
    names = [f["name"] for f in SCHEMA["fields"]]
    r = rnd.random()
    labels = list(names)
    if r < 0.1:
        labels = labels[:-1]
    elif r < 0.2:
        labels.append("extra")
    elif r < 0.25:
        labels[3] = "label"
    elif r < 0.3:
        labels[2] = ""
    elif r < 0.35:
        labels[4] = labels[3]
    rows = [labels]
    for i in range(rnd.randint(0, 7)):
        row = [f"r{rnd.randint(0, 5)}", "item", "208", f"n{i}", "100", "1"]
        for _ in range(rnd.randint(0, 3)):
            row[rnd.randrange(len(row))] = rnd.choice(CELLS)
        t = rnd.random()
        if t < 0.06:
            row = row[: rnd.randint(0, len(row))]
        elif t < 0.12:
            row += [rnd.choice(CELLS)]
        elif t < 0.15:
            row = [""] * len(row)
        rows.append(row)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def test_fast_check_finds_what_frictionless_finds(tmp_path):
    rnd = random.Random(5)
    path = tmp_path / "t.csv"
    for case in range(150):
        text = random_csv(rnd)
        path.write_text(text, encoding="utf-8")
        theirs = [tuple(e) for e in Resource(path="t.csv", basepath=str(tmp_path), schema=Schema.from_descriptor(SCHEMA),
                                             format="csv", encoding="utf-8").validate()
                  .flatten(["type", "rowNumber", "fieldNumber", "fieldName", "cell", "message"])]
        errors, _, _, _ = csvcheck.check_table(parse_csv(path.read_bytes(), path), SCHEMA)
        ours = [(e.type, e.rowNumber, e.fieldNumber, e.fieldName, e.cell, e.message) for e in errors]
        assert ours == theirs, f"case {case}:\n{text}"


def test_non_finite_amounts_are_type_errors_here_only(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("row_id,row_type,function_code,item,total,line_number\na,item,208,x,NaN,1\nb,item,208,y,Infinity,2\n",
                    encoding="utf-8")
    errors, _, _, _ = csvcheck.check_table(parse_csv(path.read_bytes(), path), SCHEMA)
    assert [(e.type, e.rowNumber, e.fieldName) for e in errors] == [("type-error", 2, "total"), ("type-error", 3, "total")]


def broken_packages(tmp_path: Path):
    yield "clean", write_package(clean_disclosure(3), tmp_path / "clean")
    edits = {
        "type": lambda lines: lines.__setitem__(2, lines[2].replace(",", ",x", 1)),
        "duplicate": lambda lines: lines.insert(3, lines[2]),
        "short": lambda lines: lines.__setitem__(2, ",".join(lines[2].split(",")[:-2])),
        "blank": lambda lines: lines.insert(2, ",,,,"),
        "header": lambda lines: lines.__setitem__(0, lines[0].replace("item", "label")),
    }
    for name, edit in edits.items():
        package = write_package(clean_disclosure(3), tmp_path / name)
        path = package / "data" / "general_budget_expenditure.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        edit(lines)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        yield name, package


def test_both_engines_give_the_same_findings(tmp_path):
    for name, package in broken_packages(tmp_path):
        fast = [(f.rule, f.table, f.row_id, f.message, json.dumps(f.location, sort_keys=True))
                for f in validate_package(package).findings]
        slow = [(f.rule, f.table, f.row_id, f.message, json.dumps(f.location, sort_keys=True))
                for f in validate_package(package, engine="frictionless").findings]
        assert fast == slow, name
        assert (name == "clean") == (not fast), (name, fast)


# -- reports, CLI, API ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def luoyang() -> Path:
    path = REPO / "datapackages" / "410303-309001-2021-budget"
    if not path.exists():
        pytest.skip("no Luoyang package under datapackages/")
    return path


def test_json_report(luoyang):
    result = run_cli("validate", luoyang, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["reportFormat"] == REPORT_FORMAT_VERSION == "1.2"
    findings = report["packages"][0]["findings"]
    total = next(f for f in findings if f["rule"] == "sum.total-row")
    assert {"rule", "severity", "table", "row_id", "label", "measure", "expected", "found", "difference", "location",
            "message"} <= set(total)
    assert total["location"]["line"] == 247 and total["location"]["file"] == "data/fiscal_appropriation_summary.csv"
    assert Decimal(total["found"]) - Decimal(total["expected"]) == Decimal(total["difference"])


def test_markdown_report_a_publisher_can_attach(luoyang):
    result = run_cli("validate", luoyang, "--format", "markdown")
    assert result.returncode == 1
    assert "# 校验报告 / Validation report" in result.stdout
    assert "| 错误 error | sum.total-row | line 247 |" in result.stdout and "### fiscal_appropriation_summary" in result.stdout


def test_piped_text_report_is_one_block_per_finding(luoyang):
    """Piped (not a terminal: 80 columns) the text report gives each finding a block: severity and
    rule whole, where (table, row, page/line), then the message wrapped, never cut (issue #14)."""
    result = run_cli("validate", luoyang)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines if line.isascii()) <= 80
    assert "error  sum.total-row" in result.stdout
    assert "fiscal_appropriation_summary" in result.stdout and "line 247" in result.stdout
    report = validate(luoyang)
    flat = re.sub(r"\s+", "", result.stdout)
    for finding in report.packages[0].findings:
        assert finding.rule in result.stdout
        assert re.sub(r"\s+", "", finding.message) in flat  # the whole message, wrapped only


def test_fail_on_warning(tmp_path):
    package = write_package(clean_disclosure(1), tmp_path / "p")
    assert run_cli("validate", package).returncode == 0
    d = clean_disclosure(1)
    d.tables["government_fund_expenditure"].note = None  # a warning, no error
    warned = write_package(d, tmp_path / "warned")
    assert run_cli("validate", warned).returncode == 0
    assert run_cli("validate", warned, "--fail-on", "warning").returncode == 1


def test_engine_option_and_several_paths(tmp_path):
    a = write_package(clean_disclosure(1), tmp_path / "a")
    b = write_package(clean_disclosure(2), tmp_path / "b")
    result = run_cli("validate", a, b / "datapackage.json", "--engine", "frictionless", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert [Path(p["path"]).name for p in report["packages"]] == ["a", "b"]
    assert "2 package(s), 0 invalid" in result.stderr  # the summary of a folder run


def test_folder_summary_in_the_text_report(tmp_path):
    for seed in range(3):
        d = clean_disclosure(seed)
        if seed == 2:
            del d.tables["three_public_expenses"]
        write_package(d, tmp_path / "folder" / f"p{seed}")
    result = run_cli("validate", tmp_path / "folder")
    assert result.returncode == 0
    assert "3 package(s), 0 invalid, 0 error(s), 1 warning(s)" in result.stdout
    assert "completeness.missing-table" in result.stdout


def test_python_api_returns_the_same_report(luoyang):
    report = validate(luoyang)
    cli = json.loads(run_cli("validate", luoyang, "--json").stdout)
    assert report.to_dict()["summary"] == cli["summary"]
    assert [f.to_dict() for f in report.packages[0].findings] == cli["packages"][0]["findings"]


def test_a_failing_layer_is_reported_not_raised(tmp_path, monkeypatch):
    import importlib
    validate_module = importlib.import_module("opendata.validate")

    def broken(ctx):
        raise RuntimeError("boom")
    monkeypatch.setattr(validate_module, "LAYERS", (("codes", broken), *validate_module.LAYERS[1:]))
    report = validate_module.validate_package(write_package(clean_disclosure(0), tmp_path / "p"))
    assert [f.rule for f in report.findings] == ["validator.layer-failed"]
    assert "boom" in report.findings[0].message


def test_a_structurally_broken_table_is_left_to_layer_one(tmp_path):
    d = clean_disclosure(0)
    package = write_package(d, tmp_path / "p")
    path = package / "data" / "general_budget_basic_expenditure.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    text[2] = text[2] + ",surplus"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    rules = {f.rule for f in validate_package(package).findings}
    assert rules == {"table.cell-count"}  # no across.basic-expenditure: the table is not read further


# -- pre-commit ----------------------------------------------------------------------------------------

def test_pre_commit_hook():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "opendata-validate"]
    assert hook["entry"] == "opendata validate" and hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["args"] == ["."]
    pattern = re.compile(hook["files"])
    for path in ("datapackage.json", "datapackages/x/datapackage.json", "datapackages/x/data/income_summary.csv"):
        assert pattern.search(path), path
    for path in ("README.md", "src/opendata/cli.py", "data.csv", "datapackages/x/source/a.pdf"):
        assert not pattern.search(path), path
