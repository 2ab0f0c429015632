"""Layer 4, headline figures stated anywhere in the narrative (issue #14), not only the one
sentence per figure the converter keeps in table `key_figures`: "此外，基本支出预算数为 12323.46
万元" later in the text, where the tables and the first statement print 12,323.48.

A sentence's figure is read by its subject (`narrative.named_figure`: the phrase nearest the
amount, 基本支出预算数 → 基本支出), with the guards of the key-figure check: a clause that compares
(比上年 …), names another year, speaks of projects or narrows the figure to a part
(`subject.narrowed`) is not read. The amount is compared with the quantities of the tables that
figure may mean (narrative.figure-mismatch); an amount equal to any other headline figure is not
reported (the phrase may name a narrower scope). Amounts already in `key_figures` are left to
that check.

A project the narrative names exactly as a row of the project tables ("信访局临聘人员经费 15.56
万元" where 项目支出表 prints 16.56) is compared with that row's amounts (narrative.figure-mismatch):
the name must stand whole (after punctuation or at the start of a line, not inside a longer
name), be printed by one row only, and run straight into the amount.
"""
from __future__ import annotations

import re

from ..convert.narrative import TOTALS, about_a_class, part_of_total, sentence_subject
from .identities import Quantity
from .narrative import AMOUNT, COMPARISON, MONEY_FIGURES, NUMBER, figure_candidates, narrative_sections, named_figure, stated
from .rules import Context, amount_of, printed, table_tolerance
from .subject import narrowed

MARKER = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．])")
NOT_ALONE = re.compile(r"项目|其中|含|包括|部门|单位|所属|下属|本级")


def check(ctx: Context) -> None:
    """narrative.figure-mismatch for each headline figure the narrative's sections state
    (beyond `key_figures`) that no table quantity of that figure matches within the printed
    rounding of both."""
    narrative = ctx.tables.get("narrative")
    if narrative is None:
        return
    keyed = set()
    figures = ctx.tables.get("key_figures")
    for row in figures.rows if figures is not None else []:
        value = amount_of(row, "amount")
        if value is not None:
            keyed.add((row.values.get("figure"), value))
    titles = {r["code"]: r["title_zh"] for r in ctx.standard.codelists["key_figures"].rows}
    reported = set()
    for row, text in narrative_sections(ctx):
        for match in AMOUNT.finditer(text):
            value = stated(match)
            figure = _subject(ctx, text, match)
            if figure is None or (figure, value.value) in keyed or (figure, value.value) in reported:
                continue
            candidates = figure_candidates(ctx, figure)
            if not candidates or any(abs(c.value - value.value) <= value.tolerance + c.tolerance(ctx) for c in candidates):
                continue
            if any(abs(c.value - value.value) <= value.tolerance + c.tolerance(ctx)
                   for other in MONEY_FIGURES if other != figure for c in figure_candidates(ctx, other)):
                continue
            reported.add((figure, value.value))
            best = min(candidates, key=lambda c: abs(c.value - value.value))
            title = titles.get(figure, figure)
            ctx.add("narrative.figure-mismatch",
                    f"文字说明的{title} {value.show()} 与表格不符：{best.table.table_id}「{best.what}」为 "
                    f"{printed(best.value, best.table)}（差 {printed(value.value - best.value, best.table)}）。"
                    f" The narrative states {figure} as {value.show()}; the tables print {printed(best.value, best.table)}.",
                    table=narrative, row=row, measure="text", expected=best.value, found=value.value,
                    difference=value.value - best.value, label=text[max(0, match.start() - 16):match.end()])


PROJECT_TABLES = ("project_expenditure", "general_budget_project_expenditure")
AFTER_NAME = r"(?:项目)?(?:预算|支出|资金|经费)*数?(?:为|是|：|:)?"
BEFORE_NAME = "，,。；;：:、（(“\"）)\n"


def check_projects(ctx: Context) -> None:
    """narrative.figure-mismatch for each project the narrative names as one row of a project table
    prints it, with an amount that is none of that row's amounts within the printed rounding."""
    narrative = ctx.tables.get("narrative")
    rows: dict[str, list] = {}
    for table_id in PROJECT_TABLES:
        table = ctx.tables.get(table_id)
        for row in table.rows if table is not None else []:
            name = str(row.values.get("project_name") or "").strip()
            if row.row_type == "item" and len(name) >= 4 and not re.search(r"\s", name):
                rows.setdefault(name, []).append((table, row))
    if narrative is None or not rows:
        return
    names = sorted(rows, key=len, reverse=True)
    for section, raw in narrative_sections(ctx):
        text = re.sub(r"[ \t\u3000]+", "", raw).replace("\n", "")
        taken: list[tuple[int, int]] = []
        for name in names:
            for found in re.finditer(re.escape(name) + AFTER_NAME + NUMBER + r"(亿元|万元|元)", text):
                start = found.start()
                if any(a <= start < b for a, b in taken) or (start and text[start - 1] not in BEFORE_NAME):
                    continue
                taken.append((start, start + len(name)))
                if len(rows[name]) != len({id(t) for t, _ in rows[name]}):
                    continue  # printed by several rows of one table (one project in several units)
                value = stated(found)
                quantities = [Quantity(t, r, m, amount_of(r, m), 1, name) for t, r in rows[name] for m in t.columns
                              if m not in ("source_page", "source_line") and amount_of(r, m) is not None]
                if not quantities or any(abs(q.value - value.value) <= value.tolerance + table_tolerance(q.table, ctx.money_unit)
                                         for q in quantities):
                    continue
                best = min((q for q in quantities if q.measure == "total"), default=quantities[0],
                           key=lambda q: abs(q.value - value.value))
                ctx.add("narrative.figure-mismatch",
                        f"文字说明项目「{name}」{value.show()}，{best.table.table_id} 该项目为 {printed(best.value, best.table)}。"
                        f" The narrative gives project {name} {value.show()}; the table prints {printed(best.value, best.table)}.",
                        table=narrative, row=section, measure="text", expected=best.value, found=value.value,
                        difference=value.value - best.value, label=name)


def _subject(ctx: Context, text: str, match: re.Match) -> str | None:
    """The headline figure the clause before an amount states for the package's year, or None
    when the clause compares, names another year, a part, projects or units, or — for a total's generic name —
    stands in a numbered item about a function class, 款 or 项 (`convert.narrative.about_a_class`) or continues a
    sentence about another subject (`convert.narrative.sentence_subject`)."""
    clause = re.split(r"[。；;，,：:\n]", text[max(0, match.start() - 24):match.start()])[-1]
    sentence = re.split(r"[。；;\n]", text[:match.start()])[-1]
    after = text[match.end():match.end() + 2]
    if not clause or COMPARISON.search(clause) or NOT_ALONE.search(sentence) or after[:1] in ("以", "（", "("):
        return None
    years = {int(y) for y in re.findall(r"(20\d\d)年", sentence)}
    if ctx.fiscal_year is None or years - {ctx.fiscal_year}:
        return None
    figure = named_figure(clause)
    if figure not in MONEY_FIGURES or narrowed(clause, figure):
        return None
    if figure in TOTALS and about_a_class(text, match.start()):   # 行政运行（项）……支出决算为 1511.89 万元: the 项's
        return None
    if figure in TOTALS and sentence_subject(text, match.start() - len(clause)):   # “三公”经费…，支出决算为0.00万元
        return None
    whole = re.split(r"[。；;，,：:\n]", text[max(0, match.start() - 64):match.start()])[-1]   # longer than 24 characters
    if figure in TOTALS and any(part_of_total(whole, whole.rfind(alias), alias) for alias in _names(figure) if alias in whole):
        return None   # 公务用车购置及运行维护费支出决算为 …: a part's, not the year's expenditure
    label = MARKER.sub("", clause)
    if not re.search(r"(为|是|预算|安排|合计|共计|总计|计)$", clause) and label not in _names(figure):
        return None  # the name runs into the amount ("基本支出预算数为 …") or is the whole item ("（一）人员经费 …")
    return figure


def _names(figure: str) -> set[str]:
    """The printed names of a key figure (codelists/key_figures.csv aliases)."""
    from ..standard import load_standard
    return {alias for alias, code, _ in load_standard().key_figure_aliases() if code == figure}
