"""Clean disclosures built by hand (opendata.model), for the validation tests and the
validation benchmark: every identity the validator checks holds, every code is in its
list with its official name, every required table is there (empty ones with their note),
and the narrative states figures, shares and changes that agree with the tables.

`clean_disclosure(seed)` varies the unit's function and economic codes, the amounts, the
projects and (with `yuan=True`) prints in 元 with two decimals instead of 万元.
"""
from __future__ import annotations

import random
from decimal import Decimal
from functools import lru_cache

from opendata.convert.errors import Warnings
from opendata.convert.three_public import reshape
from opendata.model import Disclosure, Row, SourceDocument, Table
from opendata.standard import load_standard

YEAR = 2023
CN = "零一二三四五六七八九十"


def cn(n: int) -> str:
    if n <= 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n - 10] if n > 10 else "")
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


@lru_cache(maxsize=None)
def _codes(list_id: str) -> dict[str, str]:
    codelist = load_standard().codelists[list_id]
    return {row["code"]: row["name"] for row in codelist.rows
            if int(row.get("from_year") or 0) <= YEAR <= int(row.get("to_year") or 9999)}


def _items(classes: tuple[str, ...]) -> list[str]:
    names = _codes("function_classification")
    return sorted(code for code in names if len(code) == 7 and code[:3] in classes
                  and code[:5] in names and code[:3] in names)


CLASSES = ("201", "205", "208", "210", "221")
PERSONNEL_CODES = ("30101", "30102", "30103", "30108", "30109", "30110", "30112", "30113", "30199")
PUBLIC_CODES = ("30201", "30205", "30206", "30207", "30211", "30213", "30215", "30228", "30229", "30299")
HOUSEHOLD_CODES = ("30302", "30305", "30309")
PROJECT_CODES = ("30201", "30202", "30207", "30213", "30214", "30226", "30227", "30299")


class Amounts:
    """Random amounts printed with the package's precision."""

    def __init__(self, rnd: random.Random, step: Decimal):
        self.rnd, self.step = rnd, step

    def __call__(self, low: int, high: int) -> Decimal:
        return Decimal(self.rnd.randint(low, high)) * self.step

    def split(self, total: Decimal, parts: int) -> list[Decimal]:
        """`parts` positive amounts adding up to `total` exactly."""
        units = int(total / self.step)
        if parts <= 1 or units < parts:
            return [total] + [Decimal(0)] * (parts - 1)
        cuts = sorted(self.rnd.sample(range(1, units), parts - 1))
        edges = [0, *cuts, units]
        return [Decimal(b - a) * self.step for a, b in zip(edges, edges[1:])]


def clean_disclosure(seed: int = 0, yuan: bool = False, projects: int | None = None,
                     items: int | None = None) -> Disclosure:
    rnd = random.Random(seed)
    unit, decimals = ("元", 2) if yuan else ("万元", 2)
    step = Decimal("0.01") if yuan else Decimal(100)
    amount = Amounts(rnd, step)
    names = _codes("function_classification")
    econ = _codes("economic_classification_department")
    # the unit's 项: one or two per class, each with basic and (sometimes) project money
    chosen: list[str] = []
    for cls in CLASSES:
        candidates = _items((cls,))
        chosen += rnd.sample(candidates, min(len(candidates), rnd.randint(1, 3)))
    if items:
        chosen = chosen[:items]
    chosen = sorted(set(chosen))
    lines: dict[str, dict[str, Decimal]] = {}
    for code in chosen:
        personnel = amount(500, 400000)
        public = amount(0, 60000) if rnd.random() < 0.7 else Decimal(0)
        project = amount(1000, 300000) if rnd.random() < 0.4 else Decimal(0)
        lines[code] = {"personnel": personnel, "public_use": public, "basic": personnel + public, "project": project,
                       "total": personnel + public + project}
    if not any(v["project"] for v in lines.values()):
        first = chosen[0]
        lines[first]["project"] = amount(1000, 300000)
        lines[first]["total"] += lines[first]["project"]
    totals = {m: sum((v[m] for v in lines.values()), Decimal(0)) for m in ("total", "basic", "personnel", "public_use", "project")}
    grand = totals["total"]

    disclosure = Disclosure(
        unit_name="某市某区社会保险事业中心", unit_code="601001", parent_name="某市某区人力资源和社会保障局",
        parent_code="601", division_code="110101", division_names=["北京市", "东城区"], fiscal_year=YEAR,
        stage="budget", money_unit=unit, created="2024-01-01T00:00:00Z",
        source=SourceDocument(filename=f"clean-{seed}.pdf", sha256=f"{seed:064x}"[-64:], bytes=1000, format="pdf",
                              title="某区社会保险事业中心2023年部门预算"),
        licenses=[{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                   "path": "https://creativecommons.org/licenses/by/4.0/"}],
    )

    def table(table_id: str, columns: list[str], note: str | None = None) -> Table:
        t = Table(table_id, columns=columns, money_unit=unit, money_decimals=decimals, note=note,
                  printed_title=load_standard().tables[table_id].title_zh)
        disclosure.tables[table_id] = t
        return t

    line_no = [100]

    def add(t: Table, row_id: str, row_type: str = "item", **values) -> Row:
        line_no[0] += 1
        row = Row(row_id=row_id, row_type=row_type, values=values, source_line=line_no[0])
        t.rows.append(row)
        return row

    classes = sorted({code[:3] for code in chosen})
    class_total = {c: sum((lines[k]["total"] for k in chosen if k.startswith(c)), Decimal(0)) for c in classes}

    # 收支总表
    ies = table("income_expenditure_summary", ["side", "item", "total"])
    income_items = ["一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入",
                    "事业收入", "上级补助收入", "附属单位上缴收入", "事业单位经营收入"]
    for i, label in enumerate(income_items, start=1):
        add(ies, f"income/{cn(i)}、{label}", side="income", item=f"{cn(i)}、{label}", total=grand if i == 1 else Decimal(0))
    for i, c in enumerate(classes, start=1):
        add(ies, f"expenditure/{cn(i)}、{names[c]}", side="expenditure", item=f"{cn(i)}、{names[c]}", total=class_total[c])
    add(ies, "income/本年收入合计", "subtotal", side="income", item="本年收入合计", total=grand)
    add(ies, "expenditure/本年支出合计", "subtotal", side="expenditure", item="本年支出合计", total=grand)
    add(ies, "income/上年结转结余", side="income", item="上年结转结余", total=Decimal(0))
    add(ies, "expenditure/年终结转结余", side="expenditure", item="年终结转结余", total=Decimal(0))
    add(ies, "income/收入总计", "total", side="income", item="收入总计", total=grand)
    add(ies, "expenditure/支出总计", "total", side="expenditure", item="支出总计", total=grand)

    # 收入总表
    inc = table("income_summary", ["unit_code", "item", "total", "current_year_subtotal", "general_budget",
                                   "government_fund", "state_capital", "carryover"])
    money = dict(total=grand, current_year_subtotal=grand, general_budget=grand, government_fund=Decimal(0),
                 state_capital=Decimal(0), carryover=Decimal(0))
    add(inc, "total", "total", item="合计", **money)
    add(inc, "601", unit_code="601", item="某区人社部门", **money)
    add(inc, "601001", unit_code="601001", item=disclosure.unit_name, **money)

    # 支出总表 and 一般公共预算支出表: 类, 款, 项 rows
    exp = table("expenditure_summary", ["function_code", "item", "total", "basic", "project"])
    gbe = table("general_budget_expenditure", ["function_code", "item", "total", "basic", "personnel", "public_use", "project"])
    for t, measures in ((exp, ("total", "basic", "project")), (gbe, ("total", "basic", "personnel", "public_use", "project"))):
        add(t, "total", "total", item="合计", **{m: totals[m] for m in measures})
        for code in sorted({k[:3] for k in chosen} | {k[:5] for k in chosen} | set(chosen)):
            members = [k for k in chosen if k.startswith(code)]
            add(t, code, function_code=code, item=names[code],
                **{m: sum((lines[k][m] for k in members), Decimal(0)) for m in measures})

    # 财政拨款收支总表
    fas = table("fiscal_appropriation_summary", ["side", "item", "total"])
    add(fas, "income/一、本年收入", "subtotal", side="income", item="一、本年收入", total=grand)
    add(fas, "expenditure/一、本年支出", "subtotal", side="expenditure", item="一、本年支出", total=grand)
    for i, label in enumerate(("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款"), start=1):
        add(fas, f"income/（{cn(i)}）{label}", side="income", item=f"（{cn(i)}）{label}", total=grand if i == 1 else Decimal(0))
    for i, c in enumerate(classes, start=1):
        add(fas, f"expenditure/（{cn(i)}）{names[c]}", side="expenditure", item=f"（{cn(i)}）{names[c]}", total=class_total[c])
    add(fas, "income/二、上年结转", side="income", item="二、上年结转", total=Decimal(0))
    add(fas, "expenditure/二、年终结转结余", side="expenditure", item="二、年终结转结余", total=Decimal(0))
    for i, label in enumerate(("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款"), start=1):
        add(fas, f"income/（{cn(i)}）{label}#2", side="income", item=f"（{cn(i)}）{label}", total=Decimal(0))
    add(fas, "income/收入总计", "total", side="income", item="收入总计", total=grand)
    add(fas, "expenditure/支出总计", "total", side="expenditure", item="支出总计", total=grand)

    # 一般公共预算基本支出表: economic codes
    basic_t = table("general_budget_basic_expenditure", ["economic_code", "item", "total", "personnel", "public_use"])
    household = amount(0, int(totals["personnel"] / step) // 20) if rnd.random() < 0.6 else Decimal(0)
    wages = amount.split(totals["personnel"] - household, rnd.randint(3, len(PERSONNEL_CODES)))
    hh = amount.split(household, rnd.randint(1, 3)) if household else []
    public = amount.split(totals["public_use"], rnd.randint(2, len(PUBLIC_CODES))) if totals["public_use"] else []
    add(basic_t, "total", "total", item="合计", total=totals["basic"], personnel=totals["personnel"], public_use=totals["public_use"])
    for head, codes, values, column in (("301", PERSONNEL_CODES, wages, "personnel"), ("302", PUBLIC_CODES, public, "public_use"),
                                        ("303", HOUSEHOLD_CODES, hh, "personnel")):
        if not values:
            continue
        other = "public_use" if column == "personnel" else "personnel"
        subtotal = sum(values, Decimal(0))
        add(basic_t, head, economic_code=head, item=econ[head], total=subtotal, **{column: subtotal, other: Decimal(0)})
        for code, value in zip(codes, values):
            add(basic_t, code, economic_code=code, item=econ[code], total=value, **{column: value, other: Decimal(0)})

    # 一般公共预算项目支出表 and 项目支出表
    project_t = table("general_budget_project_expenditure", ["economic_code", "item", "total"])
    n_projects = projects or rnd.randint(2, 8)
    project_amounts = amount.split(totals["project"], n_projects)
    add(project_t, "total", "total", item="合计", total=totals["project"])
    add(project_t, "302", economic_code="302", item=econ["302"], total=totals["project"])
    by_code: dict[str, Decimal] = {}
    project_codes = [PROJECT_CODES[i % len(PROJECT_CODES)] for i in range(n_projects)]
    for code, value in zip(project_codes, project_amounts):
        by_code[code] = by_code.get(code, Decimal(0)) + value
    for code in sorted(by_code):
        add(project_t, code, economic_code=code, item=econ[code], total=by_code[code])
    projects_t = table("project_expenditure", ["project_category", "project_name", "unit_name", "item", "total",
                                               "general_budget", "government_fund", "state_capital"])
    add(projects_t, "total", "total", item="合计", total=totals["project"], general_budget=totals["project"],
        government_fund=Decimal(0), state_capital=Decimal(0))
    for i, value in enumerate(project_amounts, start=1):
        name = f"社保经办业务项目{i}"
        add(projects_t, name, project_category="其他运转类", project_name=name, unit_name=disclosure.unit_name, item=name,
            total=value, general_budget=value, government_fund=Decimal(0), state_capital=Decimal(0))

    # performance targets of the projects (not money-checked, but realistic in size)
    targets = table("project_performance_targets", ["project_name", "project_category", "goal", "indicator_level1",
                                                    "indicator_level2", "indicator_level3", "operator", "target_value",
                                                    "target_unit", "item", "total", "fiscal_appropriation"])
    indicators = (("产出指标", "数量指标", "完成业务量", "≥", "95", "%"), ("产出指标", "质量指标", "差错率", "≤", "1", "%"),
                  ("产出指标", "时效指标", "按时完成率", "＝", "100", "%"), ("效益指标", "社会效益指标", "服务对象覆盖", "≥", "90", "%"),
                  ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", "90", "%"), ("成本指标", "经济成本指标", "成本控制", "≤", "100", "%"))
    for i, value in enumerate(project_amounts, start=1):
        name = f"社保经办业务项目{i}"
        for k, (l1, l2, l3, op, target, unit_) in enumerate(indicators[: rnd.randint(3, len(indicators))]):
            add(targets, f"{name}|{l3}", project_name=name, project_category="其他运转类", goal="保障社保经办业务正常开展",
                indicator_level1=l1, indicator_level2=l2, indicator_level3=l3, operator=op, target_value=target,
                target_unit=unit_, item=l3, total=value if k == 0 else None, fiscal_appropriation=value if k == 0 else None)

    # 三公经费 (unit-keyed), empty fund tables with their notes
    three = table("three_public_expenses", ["unit_code", "item", "total", "overseas_travel", "vehicle", "vehicle_purchase",
                                            "vehicle_operation", "reception"])
    purchase, operation, reception = amount(0, 300), amount(0, 500), amount(0, 200)
    three_total = purchase + operation + reception
    parts = dict(total=three_total, overseas_travel=Decimal(0), vehicle=purchase + operation, vehicle_purchase=purchase,
                 vehicle_operation=operation, reception=reception)
    add(three, "total", "total", item="合计", **parts)
    add(three, "601001", unit_code="601001", item=disclosure.unit_name, **parts)
    for table_id in ("government_fund_expenditure", "state_capital_expenditure"):
        t = table(table_id, ["function_code", "item", "total", "basic", "project"],
                  note="注：本部门没有该项预算拨款安排的支出，故本表无数据。")
        add(t, "total", "total", item="合计", total=Decimal(0), basic=Decimal(0), project=Decimal(0))

    # the narrative and its key figures
    def wan(value: Decimal) -> str:
        return f"{value:.2f}元" if yuan else f"{value / 10000:.2f}万元"

    previous = grand - amount(0, int(grand / step) // 10)
    change = grand - previous
    change_pct = (change / previous * 100).quantize(Decimal("0.01")) if previous else Decimal(0)
    basic_pct = (totals["basic"] / grand * 100).quantize(Decimal("0.01"))
    project_pct = (Decimal(100) - basic_pct).quantize(Decimal("0.01"))
    sentences = [
        ("一、关于收支总表的说明", f"2023年收支总预算{wan(grand)}，比上年预算增加{wan(change)}，增长{change_pct}%。"),
        ("二、关于支出总表的说明", f"2023年支出预算{wan(grand)}，其中：基本支出{wan(totals['basic'])}，占{basic_pct}%；"
                           f"项目支出{wan(totals['project'])}，占{project_pct}%。"),
        ("三、关于“三公”经费的说明", f"2023年“三公”经费预算{wan(three_total)}。"),
        ("四、名词解释", "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
    ]
    narrative = Table("narrative", columns=["section", "heading", "text", "item"])
    disclosure.tables["narrative"] = narrative
    figures = Table("key_figures", columns=["figure", "item", "text", "amount", "percent"], money_unit=unit,
                    money_decimals=decimals)
    disclosure.tables["key_figures"] = figures
    for i, (heading, text) in enumerate(sentences, start=1):
        narrative.rows.append(Row(str(i), values={"section": str(i), "heading": heading, "text": text, "item": heading},
                                  source_line=10 + i))
    for figure, label, value, text, pct in (
            ("total_income_expenditure", "收支总预算", grand, sentences[0][1], None),
            ("expenditure_total", "支出预算", grand, sentences[1][1], None),
            ("basic", "基本支出", totals["basic"], sentences[1][1], f"{basic_pct}%"),
            ("project", "项目支出", totals["project"], sentences[1][1], f"{project_pct}%"),
            ("three_public", "“三公”经费", three_total, sentences[2][1], None)):
        figures.rows.append(Row(figure, values={"figure": figure, "item": label, "text": text, "amount": value,
                                                "percent": pct}, source_line=20))
    as_lines(disclosure)
    return disclosure


def as_lines(disclosure: Disclosure) -> Disclosure:
    """The 三公 table built above with its categories as columns, in the standard's shape: one row per line
    (the converter's own reshaping, opendata.convert.three_public)."""
    reshape(disclosure, Warnings("test"))
    return disclosure
