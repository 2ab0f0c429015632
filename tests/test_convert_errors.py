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
