"""The corpus catalog site (`opendata corpus site`), built from a corpus database of the seed packages
(datapackages/) and corpus PDFs converted here (../shared/corpus/007.pdf, 北京市公安局 2026, and the
documents of DOCUMENTS), checked
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
# more documents, by what their pages test: 053 西安市商务局 2022 (三公 table of 2021 | 2022 | 增减, its 合计 holding
# 会议费 and 培训费, tables in 元, a four-sided 收支总表), 059 烟台市审计局 2026 (2025年预算数 | 2026年预算数, 万元),
# 088 中共江苏省委办公厅 2019 (合计 = 三公 + 会议费 + 培训费), 091 上海市普陀区人民政府办公室 2025 单位预算 (tables in 元,
# the 三公 table and the narrative in 万元), 057 佛山市轨道交通局 2019 final accounts, and the Shanghai template (no unit)
DOCUMENTS = {name: REPO.parent / "shared" / "corpus" / name for name in ("053.pdf", "059.pdf", "088.pdf", "091.pdf", "057.pdf")}
DOCUMENTS["template.pdf"] = REPO.parent / "shared" / "references" / "shanghai_2024_dept_final_accounts_template.pdf"
NAMES: dict[str, str] = {}   # document -> package name, filled by the `site` fixture


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site of a corpus database of the five seed packages and 007.pdf converted (when
    ../shared is there), built by the command line."""
    tmp = tmp_path_factory.mktemp("corpus-site")
    db = tmp / "corpus.duckdb"
    packages = sorted(p for p in SEEDS.iterdir() if (p / "datapackage.json").is_file())
    if PDF.is_file():
        packages.append(convert_to_package(PDF, tmp / "packages" / "007").path)
    for name, source in DOCUMENTS.items():
        if source.is_file():
            packages.append(convert_to_package(source, tmp / "packages" / name.split(".")[0]).path)
            NAMES[name] = json.loads((packages[-1] / "datapackage.json").read_text(encoding="utf-8"))["name"]
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


def documents(*names: str) -> dict[str, str]:
    """Package names of converted DOCUMENTS (skips the test when one is missing)."""
    missing = [name for name in names if name not in NAMES]
    if missing:
        pytest.skip(f"{missing} not found (../shared beside the repository)")
    return {name: NAMES[name] for name in names}


def table_rows(html: str) -> list[list[str]]:
    """The cells' texts of every table row of a page (tags removed)."""
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)]


def linked(site: Path, name: str, kind: str) -> str:
    """The path of the unit (kind "u") or region ("r") page a disclosure page links to."""
    return re.search(rf'href="\.\./({kind}/[0-9a-f]+\.html)"', page(site, name)).group(1)


def test_three_public_figure_is_the_own_years_three_public_total(site):
    names = documents("053.pdf", "059.pdf", "088.pdf")
    # 053.pdf page 62 (元): 2021年 合计 322,425.00; 2022年 合计 582,902.00 = 小计 343,000.00 + 会议费 26,052.00 + 培训费 213,850.00
    # 059.pdf page 19 (万元): 2025年预算数 合计 11.90, 2026年预算数 合计 3.40
    # 088.pdf page 9 (万元): 合计 1,471.70 = “三公”经费 小计 508.20 + 会议费 933.50 + 培训费 30.00
    for document, shown, wrong in (("053.pdf", "343,000.00 元", ("322,425.00", "582,902.00")),
                                   ("059.pdf", "3.40 万元", ("11.90",)), ("088.pdf", "508.20 万元", ("1,471.70",))):
        for kind in ("u", "r"):
            html = (site / linked(site, names[document], kind)).read_text(encoding="utf-8")
            (row,) = [table_rows(f"<tr>{tr}</tr>")[0] for tr in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
                      if f"p/{names[document]}.html" in tr]
            assert shown in row, (document, kind, row)
            assert not any(w in cell for w in wrong for cell in row), (document, kind, row)
    # the disclosure page's chart: the 2022 columns, captioned with the year, the measure and the unit
    html = page(site, names["053.pdf"])
    assert "<figcaption>“三公”经费 2022年 预算数（元）</figcaption>" in html
    chart = json.loads(re.findall(r"data-chart='([^']*)'", html)[-1])
    assert chart["texts"][:2] == ["582,902.00 元", "343,000.00 元"] and chart["values"][1] == 343000.0


def test_narrative_figures_as_printed_and_figures_once(site):
    names = documents("091.pdf", "057.pdf", "053.pdf")
    rows = table_rows(page(site, names["091.pdf"]))
    # 091.pdf lines 86, 402 of its text: 收入预算9,101.68万元; “三公”经费预算数为867.50万元
    assert ["三公经费", "867.50", "万元"] in rows and ["本年收入合计", "9,101.68", "万元"] in rows
    assert not any("8,675,000" in cell or "91,016,800" in cell for row in rows for cell in row)
    # 057.pdf line 803: 机关运行经费支出 97.19 万元
    assert ["机关运行经费（文字说明）", "", "97.19", "万元"] in table_rows(page(site, names["057.pdf"]))
    # 053's 收支总表 prints its totals on four sides: each label and amount once; each narrative figure once
    html = page(site, names["053.pdf"])
    totals = [r[0] for r in table_rows(html.split("<th>部门收支总表</th>")[1].split("</table>")[0])]
    assert totals == ["本年收入合计", "本年支出合计", "收入总计", "支出总计"]
    for name in NAMES.values():
        part = page(site, name).split("<th>文字说明所述</th>")
        if len(part) > 1:
            labels = [r[0] for r in table_rows(part[1].split("</table>")[0])]
            assert len(labels) == len(set(labels)), name


def test_three_public_measure_column_names_the_measure(site):
    names = documents("057.pdf", "091.pdf")
    # 057.pdf page 20 (表7, 万元): 预算数 (年初预算数) 合计 0.00, 决算数 合计 0.16
    rows = table_rows(page(site, names["057.pdf"]))
    assert ["", "", "合计", "决算数", "0.16"] in rows and ["", "", "合计", "年初预算数", "0.00"] in rows
    assert ["", "", "合计", "预算数", "867.50"] in table_rows(page(site, names["091.pdf"]))
    assert not any("合计 / 预算数 / 决算数" in page(site, name) for name in NAMES.values())


def test_unit_budget_kind_and_the_package_without_unit(site):
    names = documents("091.pdf", "template.pdf")
    # 091.pdf's title: 上海市普陀区人民政府办公室2025年单位预算
    assert "<dt>类型</dt><dd>单位预算</dd>" in page(site, names["091.pdf"])
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    assert {e["s"] for e in index if e["h"] == f"p/{names['091.pdf']}.html"} == {"单位预算"}
    # the template names no unit: listed under （未注明单位）, never by its package id
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "（未注明单位）</a>" in home and f">{names['template.pdf']}<" not in home
    unit = (site / linked(site, names["template.pdf"], "u")).read_text(encoding="utf-8")
    assert "<h1>（未注明单位）</h1>" in unit


TOOLTIPS = """<script>
document.querySelectorAll(".chart").forEach(function (el) {
  echarts.getInstanceByDom(el).dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: 0 });
});
setTimeout(function () {   /* each chart's tooltip of its first bar, as shown, into data-tip */
  document.querySelectorAll(".chart").forEach(function (el) {
    var tips = Array.prototype.filter.call(el.querySelectorAll("div"), function (d) { return d.textContent.indexOf("：") >= 0; });
    el.setAttribute("data-tip", tips.length ? tips[tips.length - 1].textContent : "");
  });
}, 500);
</script>"""


@needs_chromium
def test_what_chromium_shows(site, tmp_path):
    """The pages as Chromium shows them: each chart's caption names the unit its numbers are in (the
    table's printed unit) and the tooltip of a bar prints the amount with that unit; the 三公 figure of
    a unit page is the year's 三公 total; the 口径 and the narrative's figures as printed."""
    names = documents("053.pdf", "091.pdf", "057.pdf")
    probe = tmp_path / "probe"
    shutil.copytree(site, probe)
    pages = {"p091": f"p/{names['091.pdf']}.html", "p057": f"p/{names['057.pdf']}.html",
             "u053": linked(site, names["053.pdf"], "u")}
    for path in pages.values():
        html = (probe / path).read_text(encoding="utf-8")
        (probe / path).write_text(html.replace("</body>", TOOLTIPS + "</body>"), encoding="utf-8")
    shown = {}
    with serve(probe) as base:
        for key, path in pages.items():
            dom, console = load(base + path, tmp_path / "profile")
            assert not problems(dom, console, (site / path).read_text(encoding="utf-8")), path
            shown[key] = (dom, re.findall(r'data-tip="([^"]*)"', dom), re.findall(r"<figcaption>([^<]*)</figcaption>", dom))
    dom, tips, captions = shown["p091"]
    # 091.pdf: tables in 元 (一、一般公共服务支出 82,096,797.42), the 三公 table in 万元 (合计 867.50)
    assert captions == ["支出按功能分类（类）（元）", "收入按来源（元）", "基本支出与项目支出（元）", "“三公”经费 预算数（万元）"]
    assert tips[0] == "一、一般公共服务支出：82,096,797.42 元" and tips[-1] == "合计：867.50 万元"
    assert ["三公经费", "867.50", "万元"] in table_rows(dom) and ["", "", "合计", "预算数", "867.50"] in table_rows(dom)
    dom, tips, captions = shown["p057"]
    assert "“三公”经费 决算数（万元）" in captions and tips[-1] == "合计：0.16 万元"
    assert ["", "", "合计", "决算数", "0.16"] in table_rows(dom) and ["", "", "合计", "年初预算数", "0.00"] in table_rows(dom)
    dom, tips, captions = shown["u053"]
    assert captions == ["支出总计（各年）（元）", "“三公”经费合计（各年）（元）"]
    assert tips[-1] == "2022部门预算：343,000.00 元"
    assert any("343,000.00 元" in row for row in table_rows(dom))


def test_income_by_source_is_one_level():
    """Seed 110101 (北京市东城区 2021 预算) prints 一、财政拨款 59,320,916.36 with 其中：一般公共预算拨款 59,320,916.36 under
    it: the chart of income by source shows the part, not parent and part side by side."""
    from opendata.corpus.site_data import income_sources
    from opendata.facts import facts

    summary = [f for f in facts(REPO / "datapackages" / "110101-01075003-2021-budget")
               if f["table"] == "income_expenditure_summary" and f["measure"] == "total"]
    lines = [f["line"] for f in income_sources(summary)]
    assert "general_budget_appropriation_income" in lines
    assert "fiscal_appropriation_income" not in lines and "current_year_income" not in lines
    assert len(lines) == len(set(lines))
