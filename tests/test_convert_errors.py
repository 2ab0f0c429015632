"""Bad input to `opendata convert`: a clear error naming the file (and line), a non-zero exit,
and no output folder; `--strict` turns warnings into a failure."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.seeds import seed_path

OPENDATA = Path(sys.executable).parent / "opendata"


def convert(*args) -> subprocess.CompletedProcess:
    return subprocess.run([OPENDATA, "convert", *map(str, args)], capture_output=True, text=True)


def assert_refused(source: Path, out: Path, *words: str, code: int = 2) -> str:
    run = convert(source, "--out", out)
    assert run.returncode == code, run.stderr
    assert "Traceback" not in run.stderr
    assert source.name in run.stderr
    for word in words:
        assert word in run.stderr, run.stderr
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")], "temporary folder left behind"
    return run.stderr


def test_empty_file(tmp_path):
    source = tmp_path / "empty.txt"
    source.write_text("  \n\n", encoding="utf-8")
    assert_refused(source, tmp_path / "out", "empty")


def test_binary_file(tmp_path):
    source = tmp_path / "scan.txt"
    source.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_refused(source, tmp_path / "out", "binary")


def test_not_a_disclosure(tmp_path):
    source = tmp_path / "novel.txt"
    source.write_text("第一章\n\n那是2021年的春天，他走进了图书馆。\n" * 20, encoding="utf-8")
    assert_refused(source, tmp_path / "out")


def test_unknown_encoding(tmp_path):
    source = tmp_path / "latin.txt"
    source.write_bytes("2021年部门预算".encode("utf-16"))
    assert_refused(source, tmp_path / "out")


def test_missing_file(tmp_path):
    run = convert(tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert run.returncode == 2 and "no such file" in run.stderr and "Traceback" not in run.stderr


def test_truncated_mid_table(tmp_path):
    """Seed 001 cut inside 表三 (its 合计 row is the table's last row)."""
    lines = seed_path("001").read_text(encoding="utf-8").split("\n")
    cut = next(i for i, line in enumerate(lines) if "2080505-机关事业单位基本养老保险缴费支出" in line)
    source = tmp_path / "cut.txt"
    source.write_text("\n".join(lines[:cut + 6]), encoding="utf-8")
    stderr = assert_refused(source, tmp_path / "out", "truncated", "expenditure_summary")
    assert "line" in stderr


def test_strict_turns_warnings_into_failure(tmp_path):
    source = seed_path("002")  # its income summary prints columns the standard does not carry
    run = convert(source, "--out", tmp_path / "out", "--strict")
    assert run.returncode == 1 and "warning" in run.stderr
    assert not (tmp_path / "out").exists()
    run = convert(source, "--out", tmp_path / "out")
    assert run.returncode == 0 and (tmp_path / "out" / "datapackage.json").exists()


def test_warnings_say_where(tmp_path):
    run = convert(seed_path("004"), "--out", tmp_path / "out")
    warnings = [line for line in run.stderr.splitlines() if "warning" in line]
    assert warnings and all("004_" in w and " line " in w for w in warnings)
    assert any("[income_summary]" in w for w in warnings)


def small_disclosure(table: str) -> str:
    return "\n".join([
        "测试区测试中心2024年部门预算", "", "单位名称：北京市东城区测试中心", "",
        "一般公共预算基本支出表", "", "单位：万元", "", table, "",
    ])


def test_economic_codes_split_into_class_and_section_columns(tmp_path):
    """类 / 款 columns under a 经济分类 heading are economic codes, not function codes."""
    table = "\n".join([
        "部门预算支出经济分类科目\t\t\t一般公共预算基本支出\t\t",
        "类\t款\t科目名称\t合计\t人员经费\t公用经费",
        "\t\t合计\t12.50\t10.00\t2.50",
        "301\t\t工资福利支出\t10.00\t10.00\t0.00",
        "301\t01\t基本工资\t10.00\t10.00\t0.00",
        "302\t\t商品和服务支出\t2.50\t0.00\t2.50",
        "302\t1\t办公费\t2.50\t0.00\t2.50",
    ])
    source = tmp_path / "basic.txt"
    source.write_text(small_disclosure(table), encoding="utf-8")
    from opendata.convert import convert_file
    rows = {r.row_id: r for r in convert_file(source).disclosure.tables["general_budget_basic_expenditure"].rows}
    assert set(rows) == {"total", "301", "30101", "302", "30201"}
    assert rows["30201"].values["economic_code"] == "30201" and "function_code" not in rows["30201"].values
    assert str(rows["30101"].values["personnel"]) == "100000.00"


def test_empty_total_row_under_the_header_is_a_row(tmp_path):
    table = "\n".join(["科目编码\t科目名称\t合计\t人员经费\t公用经费", "\t合计\t\t\t"])
    source = tmp_path / "empty.txt"
    source.write_text(small_disclosure(table), encoding="utf-8")
    from opendata.convert import convert_file
    table_ = convert_file(source).disclosure.tables["general_budget_basic_expenditure"]
    assert [(r.row_id, r.row_type) for r in table_.rows] == [("total", "total")]
    assert {"total", "personnel", "public_use"} <= set(table_.columns)


def test_two_columns_of_one_measure_are_reported_not_overwritten(tmp_path):
    table = "\n".join(["科目编码\t科目名称\t合计\t合计", "301\t工资福利支出\t10.00\t12.00", "\t合计\t10.00\t12.00"])
    source = tmp_path / "twice.txt"
    source.write_text(small_disclosure(table), encoding="utf-8")
    from opendata.convert import convert_file
    result = convert_file(source)
    row = result.disclosure.tables["general_budget_basic_expenditure"].row("301")
    assert str(row.values["total"]) == "100000.00"
    assert any("both read as measure total" in w for w in result.warnings)
    assert any("12.00" in w or "not converted" in w for w in result.warnings)


# -- output folders (issue 17): never lose what is already there ------------------------

def small_source(tmp_path: Path, name: str = "small.txt") -> Path:
    table = "\n".join(["科目编码\t科目名称\t合计\t人员经费\t公用经费", "301\t工资福利支出\t10.00\t10.00\t0.00",
                       "\t合计\t10.00\t10.00\t0.00"])
    source = tmp_path / name
    source.write_text(small_disclosure(table), encoding="utf-8")
    return source


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_in(cwd: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([OPENDATA, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_out_folder_holding_other_files_is_refused_untouched(tmp_path):
    source = small_source(tmp_path)
    mine = tmp_path / "mine"
    (mine / "sub").mkdir(parents=True)
    (mine / "notes.txt").write_text("我的笔记", encoding="utf-8")
    (mine / "sub" / "table.csv").write_text("a,b\n", encoding="utf-8")
    before = tree(mine)
    run = convert(source, "--out", mine)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "not an empty folder" in run.stderr and "notes.txt" in run.stderr and "nothing written" in run.stderr
    assert tree(mine) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "small.txt"], "staging folder left behind"


def test_out_package_with_files_of_the_user_at_its_top_is_refused(tmp_path):
    source = small_source(tmp_path)
    out = tmp_path / "pkg"
    assert convert(source, "--out", out).returncode == 0
    (out / "README.md").write_text("my notes", encoding="utf-8")
    before = tree(out)
    run = convert(source, "--out", out)
    assert run.returncode == 2 and "README.md" in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert tree(out) == before


@pytest.mark.parametrize("where", [".", "..", "{cwd}", "{parent}"])
def test_out_current_folder_or_its_parent_is_refused_clearly(tmp_path, where):
    source = small_source(tmp_path)
    cwd = tmp_path / "work"
    cwd.mkdir()
    (cwd / "keep.txt").write_text("x", encoding="utf-8")
    target = where.format(cwd=cwd, parent=tmp_path)
    run = run_in(cwd, "convert", source, "--out", target)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "current folder" in run.stderr, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.txt", "work"]
    assert [p.name for p in cwd.iterdir()] == ["keep.txt"]


def test_out_empty_current_folder_is_refused_too(tmp_path):
    """Even an empty current folder: renaming the folder one stands in would leave the shell nowhere."""
    source = small_source(tmp_path)
    cwd = tmp_path / "empty"
    cwd.mkdir()
    run = run_in(cwd, "convert", source, "--out", ".")
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert list(cwd.iterdir()) == []


def test_out_dir_refuses_a_foreign_folder_and_writes_the_rest(tmp_path):
    first, second = small_source(tmp_path, "a.txt"), small_source(tmp_path, "b.txt")
    second.write_text(second.read_text(encoding="utf-8").replace("测试中心", "另一中心"), encoding="utf-8")
    probe = tmp_path / "probe"
    assert convert(first, "--out-dir", probe).returncode == 0
    name = next(probe.iterdir()).name
    out_dir = tmp_path / "out"
    (out_dir / name).mkdir(parents=True)
    (out_dir / name / "draft.xlsx").write_bytes(b"PK\x03\x04 mine")
    run = convert(first, second, "--out-dir", out_dir)
    assert run.returncode == 2 and "draft.xlsx" in run.stderr and "Traceback" not in run.stderr, run.stderr
    written = tree(out_dir)
    assert written.pop(f"{name}/draft.xlsx") == b"PK\x03\x04 mine" and not any(k.startswith(name + "/") for k in written)
    assert any(k.endswith("/datapackage.json") for k in written), "the other document's package is written"
    assert run_in(tmp_path, "convert", first, "--out-dir", ".").returncode == 0  # `--out-dir .` is fine
    assert (tmp_path / name / "datapackage.json").exists()


def test_reconverting_a_released_package_keeps_its_history(tmp_path):
    source = small_source(tmp_path)
    out = tmp_path / "pkg"
    assert convert(source, "--out", out).returncode == 0
    released = run_in(tmp_path, "release", out, "--note", "first")
    assert released.returncode == 0, released.stderr
    history = {k: v for k, v in tree(out).items() if k.startswith("releases/") or k == "CHANGELOG.md"}
    assert len(history) == 3
    again = convert(source, "--out", out)
    assert again.returncode == 0, again.stderr
    assert {k: v for k, v in tree(out).items() if k in history} == history
    verified = run_in(tmp_path, "verify-releases", out)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg", "small.txt"]


@pytest.mark.parametrize("where", ["data/my_analysis.xlsx", "source/original_scan.pdf", "data/sub/keep.txt", "data/empty/"])
def test_out_package_with_files_of_the_user_inside_data_or_source_is_refused(tmp_path, where):
    """Found by a new user: files of their own inside data/ or source/ were deleted by a re-convert."""
    source = small_source(tmp_path)
    out = tmp_path / "pkg"
    assert convert(source, "--out", out).returncode == 0
    path = out / where
    path.parent.mkdir(parents=True, exist_ok=True)
    if where.endswith("/"):
        path.mkdir(exist_ok=True)
    else:
        path.write_text("precious", encoding="utf-8")
    before = tree(out)
    run = convert(source, "--out", out)
    assert run.returncode == 2 and where.rstrip("/") in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert tree(out) == before


def test_reconverting_a_package_with_its_source_document_is_allowed(tmp_path):
    source = small_source(tmp_path)
    out = tmp_path / "pkg"
    assert convert(source, "--out", out).returncode == 0
    assert convert(source, "--out", out).returncode == 0


def test_out_dir_refuses_two_sources_that_give_the_same_package(tmp_path):
    """Found by a new user: the same document twice (or two documents whose names collide)
    silently overwrote the first package with the second. Now the first is written and the
    second refused, naming both."""
    source = small_source(tmp_path)
    twin = tmp_path / "twin.txt"
    twin.write_bytes(source.read_bytes())
    run = convert(source, twin, "--out-dir", tmp_path / "out")
    assert run.returncode == 2, run.stderr
    assert "already gives the package" in run.stderr and str(source) in run.stderr and "Traceback" not in run.stderr
    assert len(list((tmp_path / "out").iterdir())) == 1
