"""Web pages: the format is detected from the content (a page saved as .pdf or .xls is HTML),
tables come from <table> (rowspan / colspan on the grid), the rest is narrative; a page with
only the narrative of a disclosure becomes a package with a warning; a page that is not a
disclosure is refused (exit 2, nothing written). Pages are built in each test."""
from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from opendata.convert import ConversionError, LimitError, Limits, convert_file, detect_format

OPENDATA = Path(sys.executable).parent / "opendata"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

DISCLOSURE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某区某某局2024年部门预算 - 某某区人民政府</title>
<script>var tabs = "2024年部门支出总表";</script><style>td {{ color: red }}</style></head>
<body><nav>首页 | 政务公开 | 2024年部门收入总表</nav>
<h1>某某区某某局2024年部门预算</h1>
<p>单位名称：某某区某某局</p>
<h3>一、部门收入预算情况</h3>
<p>2024年收入预算总计1,500元。<br>其中财政拨款1,500元。</p>
<p>2024年部门支出总表</p><p>单位：元</p>
<table border="1">
<tr><td rowspan="2" colspan="2">功能分类科目编码</td><td rowspan="2">科目名称</td><td colspan="2">支出预算</td></tr>
<tr><td>基本支出</td><td>项目支出</td></tr>
<tr><td colspan="2">2010101</td><td>行政运行</td><td>1,000.00</td><td>200.00</td></tr>
<tr><td colspan="2">2010102</td><td>一般行政管理事务</td><td></td><td>300.00</td></tr>
<tr><td colspan="3">合计</td><td>1,000.00</td><td>500.00</td></tr>
</table>
<div>2024年部门收入总表</div><div>单位：元</div>
<table>
<thead><tr><th>科目编码</th><th>科目名称</th><th>合计</th><th>一般公共预算拨款收入</th></tr></thead>
<tbody><tr><td>201</td><td>一般公共服务支出</td><td>1,500.00</td><td>1,500.00</td></tr>
<tr><td colspan="2">合计</td><td>1,500.00</td><td>1,500.00</td></tr></tbody>
</table>
<h3>二、其他说明</h3><p>本部门无政府性基金预算。</p>
</body></html>
"""

NARRATIVE_ONLY = """<!doctype html><html><head><meta charset="utf-8"><title>某某区某某局2025年部门决算情况说明_某某区政府网</title></head>
<body><div class="menu"><a href="/">首页</a></div>
<div class="article"><h2>某某区某某局2025年部门决算情况说明</h2>
<p>一、收入支出决算总体情况说明</p>
<p>2025年度收入总计2,345.67万元，支出总计2,345.67万元。</p>
<p>二、一般公共预算财政拨款“三公”经费支出决算情况说明</p>
<p>“三公”经费支出12.30万元。</p></div></body></html>
"""

NOTICE = """<html><head><meta charset="utf-8"><title>关于举办2024年消防安全培训的通知</title></head>
<body><h1>关于举办2024年消防安全培训的通知</h1>
<p>各单位：为提高消防安全意识，定于2024年5月10日举办培训，请各单位派2人参加。</p>
<table><tr><td>时间</td><td>地点</td></tr><tr><td>5月10日</td><td>三楼会议室</td></tr></table>
</body></html>
"""


def convert(*args) -> subprocess.CompletedProcess:
    return subprocess.run([OPENDATA, "convert", *map(str, args)], capture_output=True, text=True)


def write(path: Path, html: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(html.encode(encoding))
    return path


def test_disclosure_with_two_tables_rowspan_colspan_and_gbk(tmp_path):
    path = write(tmp_path / "budget.html", DISCLOSURE, "gbk")
    result = convert_file(path, Limits(max_memory_mb=0))
    d = result.disclosure
    assert (d.fiscal_year, d.stage, d.unit_name) == (2024, "budget", "某某区某某局")
    assert d.source.format == "html"
    rows = {r.row_id: r.values for r in d.tables["expenditure_summary"].rows}
    assert rows["2010101"]["basic"] == Decimal("1000.00") and rows["2010101"]["project"] == Decimal("200.00")
    assert rows["2010102"]["project"] == Decimal("300.00") and "basic" not in rows["2010102"]
    assert rows["total"]["basic"] == Decimal("1000.00") and rows["total"]["project"] == Decimal("500.00")
    income = {r.row_id: r.values for r in d.tables["income_summary"].rows}
    assert income["total"]["total"] == Decimal("1500.00")
    narrative = " ".join(str(v) for r in d.tables["narrative"].rows for v in r.values.values() if v)
    assert "收入预算总计" in narrative and "本部门无政府性基金预算" in narrative
    assert "var tabs" not in narrative and "color" not in narrative and "政务公开" not in narrative  # script, style, nav
    headings = [r.values.get("heading") for r in d.tables["narrative"].rows]
    assert "一、部门收入预算情况" in headings and "二、其他说明" in headings


def test_page_saved_as_pdf_or_xls_is_html(tmp_path):
    for name in ("page.pdf", "page.xls", "page.txt"):
        path = write(tmp_path / name, "\ufeff  \n" + DISCLOSURE.replace("gb2312", "utf-8"))
        assert detect_format(path) == "html"
        d = convert_file(path, Limits(max_memory_mb=0)).disclosure
        assert d.source.format == "html" and "expenditure_summary" in d.tables
    out = tmp_path / "package"
    done = convert(tmp_path / "page.pdf", "--out", out)
    assert done.returncode == 0, done.stderr
    assert '"format": "html"' in (out / "datapackage.json").read_text(encoding="utf-8")


def test_detect_format_by_content(tmp_path):
    cases = {"a.txt": b"%PDF-1.4\n", "b.pdf": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50,
             "c.xls": b"  <TABLE><tr><td>1</td></tr></TABLE>", "d.pdf": "某某局2024年部门预算".encode("utf-8"),
             "e.html": "某某局2024年部门预算".encode("utf-8"), "f.pdf": b"PK\x03\x04 broken zip"}
    found = {}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        found[name] = detect_format(tmp_path / name)
    assert found == {"a.txt": "pdf", "b.pdf": "xls", "c.xls": "html", "d.pdf": None, "e.html": "text", "f.pdf": None}


def test_narrative_only_page_becomes_a_package_with_a_warning(tmp_path):
    path = write(tmp_path / "说明.htm", NARRATIVE_ONLY)
    result = convert_file(path, Limits(max_memory_mb=0))
    d = result.disclosure
    assert (d.fiscal_year, d.stage, d.unit_name) == (2025, "final_accounts", "某某区某某局")
    assert set(d.tables) == {"narrative", "key_figures"}
    assert d.tables["key_figures"].rows
    assert any("no table found" in w for w in result.warnings)
    out = tmp_path / "package"
    done = convert(path, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "no table found" in done.stderr
    strict = convert(path, "--out", tmp_path / "strict", "--strict")
    assert strict.returncode == 1 and not (tmp_path / "strict").exists()


@pytest.mark.parametrize("html, words", [
    (NOTICE, "no table of a budget disclosure"),  # metadata is never fatal: the missing tables refuse it
    (NOTICE.replace("消防安全培训", "2024年部门预算编制培训"), "no table and no key figure"),
    (NARRATIVE_ONLY.replace("2,345.67万元", "若干").replace("12.30万元", "有所下降"), "does not hold it"),
])
def test_not_a_disclosure_is_refused(tmp_path, html, words):
    path = write(tmp_path / "notice.html", html)
    out = tmp_path / "package"
    done = convert(path, "--out", out)
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_html_size_limit(tmp_path):
    path = write(tmp_path / "big.html", DISCLOSURE + "<p>" + "填充" * 400_000 + "</p>")
    with pytest.raises(LimitError, match="max_html_mb"):
        convert_file(path, Limits(max_html_mb=1, max_memory_mb=0))
    done = convert(path, "--out", tmp_path / "out", "--max-html-mb", "1")
    assert done.returncode == 2 and "--max-html-mb" in done.stderr


def test_nested_layout_tables_and_bad_spans(tmp_path):
    page = DISCLOSURE.replace("<body>", '<body><table><tr><td><table><tr><td>广告</td></tr></table></td><td>').replace(
        "</body>", "</td></tr></table></body>").replace('rowspan="2">科目名称', 'rowspan="x">科目名称')
    path = write(tmp_path / "layout.html", page.replace("rowspan=\"x\"", "rowspan=\"99999\""))
    d = convert_file(path, Limits(max_memory_mb=0)).disclosure
    assert "expenditure_summary" in d.tables and "income_summary" in d.tables


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no ../shared/corpus")
def test_corpus_html_pages_convert_or_are_refused_cleanly(tmp_path):
    pages = [p for p in sorted(CORPUS.iterdir()) if p.is_file() and detect_format(p) == "html"]
    assert pages
    for page in pages:
        out = tmp_path / page.stem
        done = convert(page, "--out", out)
        assert "Traceback" not in done.stderr, done.stderr
        assert "no %PDF header" not in done.stderr
        if done.returncode == 0:
            assert (out / "datapackage.json").exists()
        else:
            assert done.returncode == 2 and not out.exists(), done.stderr


def test_unreadable_html_is_a_conversion_error(tmp_path):
    path = write(tmp_path / "empty.html", "<html><body>   </body></html>")
    with pytest.raises(ConversionError):
        convert_file(path, Limits(max_memory_mb=0))
