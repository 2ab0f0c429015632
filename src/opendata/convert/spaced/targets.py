"""Spaced PDF text: the performance-target table (项目支出绩效目标申报表), one block per
project, its cells scattered over many lines. Indicator levels come from
schema/codelists/indicator_levels.csv."""
from __future__ import annotations

import re

from ...model import Row, Table
from ...money import parse_amount, printed_decimals
from ...standard import TableSpec, load_standard
from ..errors import Warnings
from ..recognise import squash
from ..source import Line
from .lines import SpacedSegment

LEVEL1_OF = load_standard().indicator_level2_parents  # 二级指标 -> its 一级指标
LEVEL2 = re.compile("^(" + "|".join(re.escape(name) for name in LEVEL1_OF) + ")$")
FUNDS = re.compile(r"(年度资金总额|其中[:：]\s*财政拨款|其他资金)[:：]?\s*([\d,]+(?:\.\d+)?)\s*(万元|元)")
BLOCK_START = re.compile(r"中期资金总额[:：]")


def build_performance_table(segment: SpacedSegment, spec: TableSpec, warnings: Warnings) -> Table:
    """One block per project. A block starts at its 中期资金总额 line (printed before the
    project's title and name); within it the project name, 主管部门, 实施单位 and funds are
    read from their labels, and an indicator is kept when its 二级指标 and its 指标值 stand
    on one line (数量指标 数量指标 119人). The 三级指标 names and values printed on lines of
    their own cannot be paired with their 二级指标 from the text; they are counted and
    reported."""
    lines = segment.moved + segment.lines
    table = Table(spec.code, printed_title=segment.title, money_unit="万元",
                  first_line=lines[0].no if lines else None, last_line=lines[-1].no if lines else None)
    starts = [i for i, l in enumerate(lines) if BLOCK_START.search(l.text)] or [0]
    starts[0] = 0
    for n, start in enumerate(starts):
        block = lines[start:starts[n + 1] if n + 1 < len(starts) else len(lines)]
        performance_block(table, block, warnings)
    for name in ("project_name", "department", "unit_name", "indicator_level1", "indicator_level2", "target_value", "item", "total", "fiscal_appropriation"):
        table.add_column(name)
    table.money_decimals = max((printed_decimals(str(r.values[m])) for r in table.rows for m in ("total",) if m in r.values), default=None)
    return table


def performance_block(table: Table, block: list[Line], warnings: Warnings) -> None:
    """One project's block of lines of a spaced performance-target table -> its rows appended to
    `table`, returns None: the project row (项目名称, 主管部门, 实施单位, the funds 年度资金总额 /
    其中：财政拨款 / 其他资金 as Decimal 元 from the printed unit) and one indicator row for
    each line printing a 二级指标 (codelists/indicator_levels.csv) with its value; the other lines (三级指标 names,
    targets, notes) cannot be paired and are counted in one warning. A block without 项目名称 is a warning."""
    texts = [l.text.strip() for l in block]
    project = next((t.split(None, 1)[1].strip() for t in texts if t.startswith("项目名称") and len(t.split(None, 1)) == 2), None)
    if not project:
        if any(t for t in texts):
            warnings.add(f"a performance-target block without 项目名称 ({len([t for t in texts if t])} lines) not converted",
                         block[0].no, table.table_id)
        return
    department = None
    for k, t in enumerate(texts):
        if t.startswith("主管部门"):
            rest = t.replace("主管部门及代码", "").strip() or next((x for x in texts[k + 1:] if x), "")
            department = rest
            break
    unit = next((t.split(None, 1)[1].strip() for t in texts if t.startswith("实施单位") and len(t.split(None, 1)) == 2), None)
    values: dict = {"project_name": project}
    if department:
        values["department"] = department
    if unit:
        values["unit_name"] = unit
    head = next(l for l in block if l.text.strip().startswith("项目名称"))
    for line in block:
        for match in FUNDS.finditer(line.text):
            measure = "total" if "年度资金总额" in match.group(1) else ("fiscal_appropriation" if "财政拨款" in match.group(1) else "other_funds")
            values[measure] = parse_amount(match.group(2), match.group(3))
    values["item"] = project
    table.rows.append(Row("", "item", values, head.no, head.page))
    unpaired = 0
    for line in block:
        tokens = line.text.split()
        if len(tokens) >= 2 and LEVEL2.match(tokens[0]):
            level2 = tokens[0]
            rest = [t for t in tokens[1:] if t != level2]
            if rest:
                level1 = LEVEL1_OF[level2]
                row = {"project_name": project, "indicator_level1": level1, "indicator_level2": level2,
                       "target_value": " ".join(rest), "item": level2}
                table.rows.append(Row("", "item", row, line.no, line.page))
                continue
        text = line.text.strip()
        if text and not LEVEL2.match(squash(text)) and not FUNDS.search(text) and not text.startswith(("项目名称", "实施单位", "主管部门", "项目属性")):
            unpaired += 1
    if unpaired:
        warnings.add(f"project '{project}': {unpaired} line(s) of indicators, targets and notes that cannot be paired "
                     "with their 二级/三级指标 from the PDF text are not converted", block[0].no, table.table_id)


