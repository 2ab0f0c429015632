"""The corpus catalog site (`opendata corpus site`), built from a corpus database of the seed packages
(datapackages/) and a corpus PDF converted here (../shared/corpus/007.pdf, 北京市公安局 2026), checked
against what the documents print (read by hand: the seeds' text, the PDF's pages with pdftotext
-layout), then loaded in headless Chromium: every chart draws its bars, the console stays silent, a
screenshot is written."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from opendata.cli import main
from opendata.convert import convert_to_package
from opendata.corpus import build
from opendata.corpus.site import ASSETS, money_text

from .browser import CHROMIUM, load, serve
from .conftest import REPO

SEEDS = REPO / "datapackages"
PDF = REPO.parent / "shared" / "corpus" / "007.pdf"
PDF_PACKAGE = "110000-u09c89f87-2026-budget"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site of a corpus database of the five seed packages and 007.pdf converted (when
    ../shared is there), built by the command line."""
    tmp = tmp_path_factory.mktemp("corpus-site")
    db = tmp / "corpus.duckdb"
    packages = sorted(p for p in SEEDS.iterdir() if (p / "datapackage.json").is_file())
    if PDF.is_file():
        packages.append(convert_to_package(PDF, tmp / "packages" / "007").path)
    build(packages, db)
    out = tmp / "site"
    result = CliRunner().invoke(main, ["corpus", "site", "--db", str(db), "--out", str(out),
                                       "--ckan-url", "http://127.0.0.1:5055"])
    assert result.exit_code == 0, result.output
    assert f"{len(packages)} packages" in result.output
    return out


def page(site: Path, name: str) -> str:
    return (site / "p" / f"{name}.html").read_text(encoding="utf-8")


def test_money_text_keeps_printed_digits():
    # 5,932.091636 万元 is stored as 59320916.36 元; 461.84 万元 as 4618400 (README, Money)
    assert money_text(Decimal("59320916.36"), "万元", 6) == "5,932.091636"
    assert money_text(Decimal("4618400"), "万元", 2) == "461.84"
    assert money_text(Decimal("4618000"), "万元", 2) == "461.80"      # padded to the printed precision
    assert money_text(Decimal("59320916.36"), "万元", 2) == "5,932.091636"   # never rounded away
    assert money_text(Decimal("68353777.63"), "元", 2) == "68,353,777.63"
    assert money_text(Decimal("-48000"), "万元", None) == "-4.8"
    assert money_text(None, "万元", 2) == ""
    # the database stores DECIMAL(38,2): its trailing zeros are not printed digits
    assert money_text(Decimal("5100000.00"), "万元", 6) == "510.000000"
    assert money_text(Decimal("5100000.00"), "万元", None) == "510"
    assert money_text(Decimal("196187.00"), "元", 0) == "196,187"
    assert money_text(Decimal("9774000.00"), "万元", 2) == "977.40"


def test_disclosure_pages_print_what_the_documents_print(site):
    # 000_456597b442e87669.txt line 56: 支出总计 5,932.091636 (万元)
    assert "5,932.091636" in page(site, "110101-01075003-2021-budget")
    # 001_55e2fc65d40c4b28.txt lines 221-224: 支出总计 68,353,777.63, a table printed in 元
    text = page(site, "110102-257004-2023-budget")
    assert "68,353,777.63" in text and "<td>元</td>" in text
    # 004_93472fa86a087a5d.txt lines 98-104: 卫生健康支出 17.00, 支出总计 977.40 (万元, two decimals)
    text = page(site, "230102-63002-2023-budget")
    assert "977.40" in text and re.search(r"卫生健康支出</td><td class=\"n\">17.00<", text)
    assert 'href="http://127.0.0.1:5055/dataset/230102-63002-2023-budget"' in text


def test_a_converted_pdf_page_prints_six_decimals_as_printed(site):
    if not PDF.is_file():
        pytest.skip(f"{PDF} not found (../shared beside the repository)")
    text = page(site, PDF_PACKAGE)
    # 007.pdf page 1 (预算01表 收支总表, 金额单位：万元): 一般公共预算拨款收入 841,579.924856, 事业收入 510.000000,
    # 城乡社区支出 95.710000; page 15 (预算09表 “三公”经费): 总额 9,957.583785, 因公出国（境）费用 132.525000
    for printed in ("841,579.924856", "510.000000", "95.710000", "9,957.583785", "132.525000"):
        assert f">{printed}<" in text, printed


def test_downloads_indexes_and_group_pages(site):
    for name in ("110101-01075003-2021-budget", "230102-63002-2023-budget"):
        csv_text = (site / "data" / f"{name}.facts.csv").read_text(encoding="utf-8")
        assert csv_text.startswith("package,table,side,")
        rows = json.loads((site / "data" / f"{name}.facts.json").read_text(encoding="utf-8"), parse_float=Decimal)
        assert rows and all(row["package"] == name for row in rows)
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    assert len(index) == len(list((site / "p").iterdir())) and all((site / entry["h"]).is_file() for entry in index)
    assert {"北京市东城区社会保险基金管理中心", "哈尔滨市道里区社会保险经办服务中心"} <= {entry["n"] for entry in index}
    home = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([ur]/[0-9a-f]+\.html)"', home)
    assert links and all((site / link).is_file() for link in links)


def test_vendored_echarts_is_the_noted_release():
    noted = (ASSETS / "VENDORED.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((ASSETS / "echarts.min.js").read_bytes()).hexdigest()
    assert f"`{digest}`" in noted and "5.6.0" in noted
    assert "Apache License" in (ASSETS / "LICENSE-echarts.txt").read_text(encoding="utf-8")


def problems(dom: str, console: list[str], html: str) -> list[str]:
    """What is wrong with a loaded page: a console message, an uncaught error, a chart of the page's
    HTML that drew no bar (data-marks, set by charts.js, missing or 0)."""
    found = [f"console: {line}" for line in console]
    if "data-error=" in dom:
        found.append("uncaught error: " + re.search(r'data-error="([^"]*)"', dom).group(1))
    charts = html.count('class="chart"')
    marks = [int(m) for m in re.findall(r'class="chart"[^>]*data-marks="(\d+)"', dom)]
    marks += [int(m) for m in re.findall(r'data-marks="(\d+)"[^>]*class="chart"', dom)]
    if len(marks) != charts or not all(marks):
        found.append(f"{charts} charts, bars drawn: {marks}")
    return found


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                                    "(Debian package `chromium`, /usr/bin/chromium)")


@needs_chromium
def test_pages_render_in_chromium(site, tmp_path):
    name = "230102-63002-2023-budget"
    unit = re.search(r'href="\.\./(u/[0-9a-f]+\.html)"', page(site, name)).group(1)
    region = re.search(r'href="\.\./(r/[0-9a-f]+\.html)"', page(site, name)).group(1)
    shot = tmp_path / "disclosure.png"
    with serve(site) as base:
        pdf_page = [f"p/{PDF_PACKAGE}.html"] if PDF.is_file() else []
        for path in (f"p/{name}.html", "p/110102-257004-2023-budget.html", *pdf_page, unit, region, "index.html"):
            html = (site / path).read_text(encoding="utf-8")
            dom, console = load(base + path, tmp_path / "profile", shot if path.startswith("p/230102") else None)
            assert not problems(dom, console, html), path
            assert path == "index.html" or 'class="chart"' in html, path
        dom, console = load(base + "index.html?q=哈尔滨", tmp_path / "profile")
        assert 'data-hits="1"' in dom and f"p/{name}.html" in dom and not console
    # offline, straight from disk: the charts draw and the search finds the unit
    html = page(site, name)
    dom, console = load((site / "p" / f"{name}.html").as_uri(), tmp_path / "profile")
    assert not problems(dom, console, html)
    dom, console = load((site / "index.html").as_uri() + "?q=道里区", tmp_path / "profile")
    assert 'data-hits="1"' in dom and not console
    assert shot.is_file() and shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")


@needs_chromium
def test_the_browser_check_fails_on_a_broken_chart(site, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(site, broken)
    name = "230102-63002-2023-budget"
    html = page(site, name)
    # a chart with nothing to draw: no bar, no console error
    (broken / "p" / "empty.html").write_text(re.sub(r"data-chart='[^']*'", """data-chart='{"labels": [], "values": [], "texts": [], "unit": ""}'""", html), encoding="utf-8")
    (broken / "echarts-missing.html").write_text(html.replace('src="../echarts.min.js"', 'src="../missing.js"')
                                                 .replace("../", ""), encoding="utf-8")
    with serve(broken) as base:
        dom, console = load(base + "p/empty.html", tmp_path / "profile")
        assert any("bars drawn" in p for p in problems(dom, console, (broken / "p" / "empty.html").read_text(encoding="utf-8")))
        dom, console = load(base + "echarts-missing.html", tmp_path / "profile")
        found = problems(dom, console, html)
        assert any(p.startswith("console:") and "echarts" in p for p in found), found
