"""PDF text where the cells of a printed row run together on one line, separated by spaces.

This is how the Beijing district template (预算01表 … 预算12表) comes out of a PDF:

- each table starts at its marker line (预算NN表); its body comes first, its title
  (2021年部门收支总体情况表), unit line and header words come *after* the body, and
  header words of merged cells are scattered over several lines in no useful order;
- a row is one line: [code] label [flags] amount amount …; a blank cell leaves no
  token behind, so which column an amount belongs to cannot be seen from the line;
- two-sided tables (收入 | 支出) print both sides on one line, each side led by its
  label and, in 预算01表, its 行号;
- a marker may stand after the body it numbers (the body of 预算10表 follows the title
  of 预算09表), and a single-column table may print its labels and its amounts as two
  separate runs of lines;
- the performance-target table (项目支出绩效目标申报表) prints one block per project,
  its cells scattered over many lines.

The module reads rows into (code, label, flags, amounts) and segments the document by
its markers, taking the table's identity from the title found anywhere in the segment.
Columns come from the header words of the segment checked against the column-number
row ((1) (2) …); amounts are filled left to right (see `fill`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Row, Table
from ..money import parse_amount, printed_decimals
from ..standard import TableSpec
from .errors import Warnings
from .recognise import clean_label, is_header_word, is_table_marker, match_measure, match_title, row_type_for, squash
from .segment import META_LINE, NOTE_LINE, is_unit_line
from .source import Line

AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d+$")  # money in this layout always has decimals
CODE = re.compile(r"^\d{3}$|^\d{5}$|^\d{7}$")
UNIT_CODE = re.compile(r"^\d{6,9}$")
SMALL_INT = re.compile(r"^\d{1,3}$")
GLUED_NUMBER = re.compile(r"^(.*[\u4e00-\u9fff)）])(\d{1,2})$")   # 对个人和家庭的补助支出24
COLUMN_NUMBERS = re.compile(r"^(\*\*|\(\d+\)|（\d+）)$")
UNIT_DECL = re.compile(r"单位[:：]\s*(万元|元)")
DECIMALS = re.compile(r"保留\s*(\d|六|两|二|四)\s*位小数")
DECIMAL_WORDS = {"六": 6, "两": 2, "二": 2, "四": 4}
NARRATIVE_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、.*(说明|情况)")
FLAG_WORDS = {"是", "否"}

# Column order of the money tables of this template, as header words. The words are
# checked against the segment's header text (every word must be printed) and the count
# against its column-number row; the order cannot be read from the text, because the
# header cells of merged headings come out of the PDF in no useful order. A table
# whose header words do not confirm the template falls back to the order in which the
# measure words appear, with a warning.
TEMPLATES: dict[str, dict[str | None, list[tuple[str, str]]]] = {
    "income_expenditure_summary": {
        "income": [("预算数", "total")],
        "expenditure": [("合计", "total"), ("小计", "fiscal_appropriation"), ("一般公共预算拨款", "general_budget"),
                        ("政府性基金", "government_fund"), ("纳入专户管理的资金", "special_account"), ("其他资金", "other_funds")],
    },
    "income_summary": {None: [("预算数", "total")]},
    "expenditure_summary": {None: [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project"),
                                   ("上缴上级支出", "payment_to_superior"), ("事业单位经营支出", "operating_expenditure"),
                                   ("对附属单位补助支出", "subsidy_to_subordinate")]},
    "fiscal_appropriation_summary": {
        "income": [("预算数", "total")],
        "expenditure": [("合计", "total"), ("一般公共预算", "general_budget"), ("政府性基金预算", "government_fund")],
    },
    "general_budget_expenditure": {None: [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")]},
    "general_budget_basic_expenditure": {None: [("合计", "total"), ("人员经费", "personnel"), ("公用经费", "public_use")]},
    "three_public_expenses": {None: [("三公经费财政拨款预算总额", "total"), ("因公出国(境)费用", "overseas_travel"),
                                     ("公务用车购置及运行维护费", "vehicle"), ("公务用车购置费", "vehicle_purchase"),
                                     ("公务用车运行维护费", "vehicle_operation"), ("公务接待费", "reception")]},
    "government_fund_expenditure": {None: [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")]},
    "project_expenditure": {None: [("合计", "total"), ("财政拨款", "fiscal_appropriation"),
                                   ("纳入专户管理的资金", "special_account"), ("其他资金", "other_funds")]},
    "government_procurement": {None: [("总计", "total"), ("财政拨款", "fiscal_appropriation"),
                                      ("纳入专户管理的资金", "special_account"), ("其他资金", "other_funds")]},
    "government_purchased_services": {None: [("合计", "total"), ("财政拨款", "fiscal_appropriation"),
                                             ("纳入专户管理的资金", "special_account"), ("其他资金", "other_funds")]},
}
# Text columns between the label and the amounts, by header word.
FLAG_COLUMNS = (("是否政府购买服务", "purchased_service"), ("数量", "quantity"))


# -- rows ------------------------------------------------------------------------

@dataclass
class SpacedRow:
    line: int
    page: int | None
    parts: list[tuple[str, str]]          # (kind, text): code | ucode | label | num | flag | amount

    @property
    def amounts(self) -> list[str]:
        return [t for k, t in self.parts if k == "amount"]

    @property
    def labels(self) -> list[str]:
        return [t for k, t in self.parts if k == "label"]


def tokenize(text: str) -> list[tuple[str, str]]:
    """One printed line -> typed tokens. A label of several words stays one token."""
    parts: list[tuple[str, str]] = []
    for index, token in enumerate(text.split()):
        glued = GLUED_NUMBER.match(token)
        if AMOUNT.match(token):
            kind = "amount"
        elif CODE.match(token) and not any(k in ("label", "amount") for k, _ in parts):
            kind = "code"
        elif UNIT_CODE.match(token) and not parts:
            kind = "ucode"
        elif SMALL_INT.match(token):
            kind = "num"
        elif token in FLAG_WORDS:
            kind = "flag"
        elif glued and not AMOUNT.match(token):
            _append_label(parts, glued.group(1))
            parts.append(("num", glued.group(2)))
            continue
        else:
            _append_label(parts, token)
            continue
        parts.append((kind, token))
    return parts


def _append_label(parts: list[tuple[str, str]], token: str) -> None:
    if parts and parts[-1][0] == "label":
        parts[-1] = ("label", parts[-1][1] + " " + token)
    else:
        parts.append(("label", token))


def is_header_line(text: str) -> bool:
    tokens = text.split()
    return bool(tokens) and all(COLUMN_NUMBERS.match(t) for t in tokens)


# -- segments ----------------------------------------------------------------------

@dataclass
class SpacedSegment:
    table_id: str | None
    title: str | None
    marker: str
    marker_line: int                      # index into lines
    title_index: int | None = None
    lines: list[Line] = field(default_factory=list)   # every line of the segment (title too)
    moved: list[Line] = field(default_factory=list)


def find_spaced_segments(lines: list[Line]) -> list[SpacedSegment]:
    """Segments run from one 预算NN表 marker to the next; the last one ends where the
    narrative resumes (a heading such as 三、2021年单位预算情况说明)."""
    markers = [i for i, line in enumerate(lines) if line.text.strip() and is_table_marker(line.text.strip())
               and re.search(r"\d", line.text)]
    segments: list[SpacedSegment] = []
    for n, start in enumerate(markers):
        end = markers[n + 1] if n + 1 < len(markers) else _narrative_start(lines, start)
        segment = SpacedSegment(None, None, squash(lines[start].text), start, lines=lines[start + 1:end])
        for j, line in enumerate(segment.lines):
            match = match_title(line.text.strip()) if len(line.text.strip()) < 60 else None
            if match:
                segment.table_id, segment.title, segment.title_index = match.table_id, line.text.strip(), j
                break
        segments.append(segment)
        # a table printed without a marker of its own (the performance-target forms
        # after 预算11表): another title later in the segment starts a new segment at
        # the first line after this title's unit / meta lines
        if segment.title_index is not None:
            k = segment.title_index + 1
            while k < len(segment.lines) and (not segment.lines[k].text.strip() or META_LINE.search(segment.lines[k].text)
                                              or is_unit_line(segment.lines[k].text)):
                k += 1
            for j in range(k, len(segment.lines)):
                text = segment.lines[j].text.strip()
                other = match_title(text) if text and len(text) < 60 else None
                if other and other.table_id != segment.table_id:
                    rest = SpacedSegment(other.table_id, text, "", start + 1 + k, title_index=j - k, lines=segment.lines[k:])
                    segment.lines = segment.lines[:k]
                    segments.append(rest)
                    break
    # A body printed after the title of the previous table and before its own marker:
    # the next segment has no rows of its own before its title, the previous one has
    # amount rows after its title (beyond the unit and header lines).
    for current, following in zip(segments, segments[1:]):
        if current.title_index is None or following.title_index is None:
            continue
        before_next = following.lines[:following.title_index]
        if any(_has_amounts(l) for l in before_next):
            continue
        after = current.lines[current.title_index + 1:]
        first_row = next((k for k, l in enumerate(after) if _has_amounts(l)), None)
        if first_row is None:
            continue
        # the unit / meta lines right after the title stay; what follows moves
        k = 0
        while k < len(after) and (not after[k].text.strip() or META_LINE.search(after[k].text) or is_unit_line(after[k].text)):
            k += 1
        moved = after[k:]
        if current.table_id == "income_summary" or not _rows_with_labels(moved):
            continue  # detached amounts of a one-column table, not a body
        current.lines = current.lines[:current.title_index + 1 + k]
        following.moved = moved
    return segments


def _narrative_start(lines: list[Line], start: int) -> int:
    for j in range(start + 1, len(lines)):
        if NARRATIVE_HEADING.match(lines[j].text) and len(lines[j].text.strip()) < 40:
            return j
    return len(lines)


def _has_amounts(line: Line) -> bool:
    return any(AMOUNT.match(t) for t in line.text.split())


def _rows_with_labels(lines: list[Line]) -> bool:
    return any(_has_amounts(l) and any(k in ("label", "code", "ucode") for k, _ in tokenize(l.text)) for l in lines)


# -- columns -----------------------------------------------------------------------

def header_text(lines: list[Line]) -> str:
    words = []
    for line in lines:
        text = line.text.strip()
        if not text or _has_amounts(line) or is_header_line(text):
            continue
        words.append(squash(text))
    return "".join(words)


def column_count(lines: list[Line]) -> int | None:
    for line in lines:
        tokens = line.text.split()
        if tokens and is_header_line(line.text):
            numbered = [t for t in tokens if t != "**"]
            if numbered:
                return len(numbered)
    return None


def columns_for(table_id: str, lines: list[Line], spec: TableSpec, warnings: Warnings, line_no: int) -> dict:
    headers = header_text(lines)
    template = TEMPLATES.get(table_id)
    count = column_count(lines)
    if template:
        words_ok = all(squash(word) in headers.replace("“", "").replace("”", "") for side in template.values() for word, _ in side)
        width = sum(len(side) for side in template.values())
        if words_ok and (count is None or count == width):
            return {side: [m for _, m in cols] for side, cols in template.items()}
        warnings.add(f"header words do not confirm the usual columns of this table ({count} numbered columns); "
                     "amounts are given to the measures in the order their header words are printed", line_no, table_id)
    found = []
    for line in lines:
        if _has_amounts(line):
            continue
        for token in line.text.split():
            measure = match_measure([token], set(spec.measures))
            if measure and measure not in found:
                found.append(measure)
    return {None: found or ["total"]}


def fill(measures: list[str], amounts: list[str], unit: str, values: dict, decimals: list[int]) -> list[str]:
    """Amounts to measures, left to right. A blank cell leaves no token in this layout,
    so a row with fewer amounts than columns cannot say which cells were blank; the
    printed tables of this template leave blank only trailing columns (a side without
    其他资金, 政府性基金 …, while every column before them is printed, if only as 0.000000),
    so left to right is the reading that agrees with the column-number row."""
    extra = amounts[len(measures):]
    for measure, amount in zip(measures, amounts):
        values[measure] = parse_amount(amount, unit)
        decimals.append(printed_decimals(amount))
    return extra


# -- tables ------------------------------------------------------------------------

def table_unit(lines: list[Line]) -> tuple[str, int | None]:
    unit, decimals = None, None
    for line in lines:
        match = UNIT_DECL.search(line.text)
        if match and unit is None:
            unit = match.group(1)
        keep = DECIMALS.search(line.text)
        if keep and decimals is None:
            d = keep.group(1)
            decimals = int(d) if d.isdigit() else DECIMAL_WORDS.get(d)
    return unit or "元", decimals


def code_field(code: str) -> str:
    """Function codes start with 2 (201 … 232); department economic codes with 3, the
    government scheme with 5."""
    return {"3": "economic_code", "5": "gov_economic_code"}.get(code[0], "function_code")


def build_spaced_table(segment: SpacedSegment, spec: TableSpec, warnings: Warnings, all_lines: list[Line]) -> Table:
    lines = segment.moved + segment.lines
    title_line = segment.lines[segment.title_index] if segment.title_index is not None else all_lines[segment.marker_line]
    unit, decimals_printed = table_unit(lines)
    table = Table(spec.code, printed_title=segment.title, money_unit=unit,
                  first_line=lines[0].no if lines else title_line.no, last_line=lines[-1].no if lines else title_line.no)
    notes = [l.text.strip() for l in lines if NOTE_LINE.search(l.text)]
    table.note = "\n".join(notes) or None
    columns = columns_for(spec.code, lines, spec, warnings, title_line.no)
    decimals: list[int] = []
    body = [l for l in lines if l is not title_line and l.text.strip() and not is_header_line(l.text)
            and not META_LINE.search(l.text) and not is_unit_line(l.text)]
    if spec.two_sided:
        two_sided_rows(table, body, columns, unit, decimals, warnings)
    elif spec.code == "income_summary" and _detached_column(body):
        detached_rows(table, body, columns, unit, decimals, warnings)
    else:
        one_sided_rows(table, body, columns, unit, decimals, warnings, lines)
    for measure in [m for side in columns.values() for m in side]:
        table.add_column(measure)
    table.money_decimals = decimals_printed if decimals_printed is not None else (max(decimals) if decimals else None)
    return table


def _row(table: Table, values: dict, line: Line, label: str) -> None:
    values["item"] = label
    table.rows.append(Row("", row_type_for(label), values, line.no, line.page))
    for name in values:
        if name != "item" and not isinstance(values[name], Decimal):
            table.add_column(name)
    table.add_column("item")


def two_sided_rows(table, body, columns, unit, decimals, warnings) -> None:
    income, expenditure = columns.get("income", ["total"]), columns.get("expenditure", ["total"])
    for line in body:
        parts = tokenize(line.text)
        if not any(k in ("amount", "num") for k, _ in parts):
            # header words (printed after the body); any other text is reported
            fragment = len(squash(line.text)) <= 4 or is_header_word(squash(line.text))  # 行 / 号 / 项 目 of 行号, 项目
            if not fragment and not all(is_header_word(w) for w in line.text.split()) and not _header_words_only(line.text):
                warnings.add(f"line without amounts or 行号 not converted: {line.text.strip()[:40]!r}", line.no, table.table_id)
            continue
        # groups: a label (with its 行号) and the amounts after it
        groups: list[dict] = []
        for kind, text in parts:
            if kind == "label":
                groups.append({"label": text, "num": None, "amounts": []})
            elif kind == "num" and groups and groups[-1]["num"] is None and not groups[-1]["amounts"]:
                groups[-1]["num"] = text
            elif kind == "num":
                groups.append({"label": "", "num": text, "amounts": []})
            elif kind == "amount" and groups:
                groups[-1]["amounts"].append(text)
            elif kind == "amount":
                warnings.add(f"amount {text} before any label", line.no, table.table_id)
        if not groups:
            continue
        if len(groups) == 1:
            # one side printed: the expenditure side when its amounts fill more than the
            # income side's columns, or when its 行号 follows the income side's numbering
            group = groups[0]
            sides = ["expenditure" if len(group["amounts"]) > len(income) or _after_income(group, table) else "income"]
        else:
            sides = ["income", "expenditure"] + ["expenditure"] * (len(groups) - 2)
        for side, group in zip(sides, groups):
            label = clean_label(group["label"])
            if not label and not group["amounts"]:
                continue  # an empty printed row (only its 行号)
            values: dict = {"side": side}
            if group["num"]:
                values["line_number"] = int(group["num"])
            extra = fill(income if side == "income" else expenditure, group["amounts"], unit, values, decimals)
            if extra:
                warnings.add(f"{len(extra)} amount(s) beyond the printed columns: {' '.join(extra)}", line.no, table.table_id)
            if not label:
                warnings.add("amounts printed without a label", line.no, table.table_id)
            _row(table, values, line, label)
    table.add_column("side")


def _after_income(group: dict, table: Table) -> bool:
    numbers = [r.values.get("line_number") for r in table.rows if r.values.get("side") == "income" and r.values.get("line_number")]
    return bool(group["num"] and numbers and int(group["num"]) > max(numbers) + 0 and
                any(r.values.get("side") == "expenditure" and r.values.get("line_number", 0) < int(group["num"]) for r in table.rows))


def _detached_column(body: list[Line]) -> bool:
    labels_only = sum(1 for l in body if not _has_amounts(l))
    amounts_only = sum(1 for l in body if _has_amounts(l) and all(AMOUNT.match(t) for t in l.text.split()))
    return labels_only >= 3 and amounts_only >= 3


def _header_words_only(text: str) -> bool:
    """A line of two or more header words (项     目 预算数: letter-spaced words rejoined)."""
    words: list[str] = []
    for token in text.split():
        if words and len(words[-1]) == 1:
            words[-1] += token
        else:
            words.append(token)
    return len(words) >= 2 and all(is_header_word(w) for w in words)


def detached_rows(table, body, columns, unit, decimals, warnings) -> None:
    """A one-column table printed as a run of labels and a separate run of amounts
    (预算02表 as PDF text). The labels keep their order; the amounts are given to the
    labels without an amount on their own line, in printed order. The PDF does not say
    which amount stands beside which label, so this is reported."""
    measure = (columns.get(None) or ["total"])[0]
    labelled: list[tuple[Line, str, list[str]]] = []
    loose: list[str] = []
    for line in body:
        parts = tokenize(line.text)
        labels = [t for k, t in parts if k == "label"]
        amounts = [t for k, t in parts if k == "amount"]
        if labels and _header_words_only(line.text):
            continue  # the header (项目 预算数)
        if labels:
            labelled.append((line, clean_label(" ".join(labels)), amounts))
        else:
            loose.extend(amounts)
    waiting = [entry for entry in labelled if not entry[2]]
    if len(loose) != len(waiting):
        warnings.add(f"{len(waiting)} labels without amounts and {len(loose)} amounts printed apart: amounts not assigned",
                     body[0].no if body else None, table.table_id)
        loose = []
    else:
        warnings.add(f"{len(loose)} amounts printed apart from their labels were given to the labels in printed order; "
                     "the PDF text does not show which amount stands beside which label", body[0].no if body else None, table.table_id)
    k = 0
    table._detached = set()
    for line, label, amounts in labelled:
        values: dict = {}
        if amounts:
            fill([measure], amounts, unit, values, decimals)
        elif loose:
            fill([measure], [loose[k]], unit, values, decimals)
            k += 1
        _row(table, values, line, label)
        if not amounts and loose:
            table._detached.add(id(table.rows[-1]))


def one_sided_rows(table, body, columns, unit, decimals, warnings, lines) -> None:
    measures = columns.get(None) or ["total"]
    headers = header_text(lines)
    flag_fields = [name for word, name in FLAG_COLUMNS if squash(word) in headers]
    for line in body:
        parts = tokenize(line.text)
        if not parts:
            continue
        amounts = [t for k, t in parts if k == "amount"]
        code = next((t for k, t in parts if k == "code"), None)
        ucode = next((t for k, t in parts if k == "ucode"), None)
        label = clean_label(" ".join(t for k, t in parts if k == "label"))
        flags = [t for k, t in parts if k in ("flag", "num")]
        if not amounts:
            if code or ucode:
                warnings.add(f"line without amounts not converted: {line.text.strip()[:40]!r}", line.no, table.table_id)
            continue
        values: dict = {}
        if code:
            values[code_field(code)] = code
        elif ucode:
            values["unit_code"] = ucode
            if "unit_name" in table_dimensions(table):
                values["unit_name"] = label
        elif label and "project_name" in table_dimensions(table) and not row_type_for(label) in ("total", "subtotal"):
            values["project_name"] = label
        for name, flag in zip(flag_fields, flags):
            if name == "quantity":
                values[name] = flag
            else:
                values[name] = flag
        if len(flags) > len(flag_fields):
            warnings.add(f"text cell(s) {flags[len(flag_fields):]} without a column", line.no, table.table_id)
        label = label.rstrip("：:")
        extra = fill(measures, amounts, unit, values, decimals)
        if extra:
            warnings.add(f"{len(extra)} amount(s) beyond the printed columns: {' '.join(extra)}", line.no, table.table_id)
        _row(table, values, line, label)


def table_dimensions(table: Table) -> tuple[str, ...]:
    from ..standard import load_standard
    return load_standard().tables[table.table_id].dimensions


# -- performance targets -------------------------------------------------------------

LEVEL1_OF = (("数量", "产出指标"), ("质量", "产出指标"), ("时效", "产出指标"), ("成本", "产出指标"),
             ("经济效益", "效益指标"), ("社会效益", "效益指标"), ("生态效益", "效益指标"), ("可持续影响", "效益指标"),
             ("满意度", "满意度指标"))
LEVEL2 = re.compile(r"^(数量指标|质量指标|时效指标|成本指标|经济效益指标|社会效益指标|生态效益指标|可持续影响指标|服务对象满意度指标)$")
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
                level1 = next(l1 for key, l1 in LEVEL1_OF if key in level2)
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


def convert_spaced(lines: list[Line], warnings: Warnings) -> tuple[list[Table], set[int]] | None:
    """The tables of a document in this layout, and the indices of the lines they used;
    None when the document has no 预算NN表 markers with titles (another layout)."""
    from ..standard import load_standard
    standard = load_standard()
    segments = [s for s in find_spaced_segments(lines) if s.table_id]
    if len(segments) < 3:
        return None
    tables, used = [], set()
    index_of = {id(line): i for i, line in enumerate(lines)}
    for segment in segments:
        spec = standard.tables[segment.table_id]
        used.add(segment.marker_line) if segment.marker else None
        used.update(index_of[id(l)] for l in segment.lines + segment.moved)
        if spec.kind == "performance":
            tables.append(build_performance_table(segment, spec, warnings))
        else:
            table = build_spaced_table(segment, spec, warnings, lines)
            if not table.rows and not table.note:
                table.note = None
            tables.append(table)
    reconcile_detached(tables, warnings)
    for i, segment in enumerate(find_spaced_segments(lines)):
        if not segment.table_id:
            warnings.add(f"table marker {segment.marker} without a recognised title; its lines are not converted",
                         lines[segment.marker_line].no)
    return tables, used


def reconcile_detached(tables: list[Table], warnings: Warnings) -> None:
    """预算02表 prints the income items of 预算01表 with their amounts apart from the labels.
    When every label is also an income item of the two-sided summary and the detached
    amounts are, as a multiset, exactly the amounts that summary prints for those items
    (a blank there read as 0), the amounts are placed beside the labels the summary gives
    them; the printed amounts themselves are unchanged. Otherwise printed order stands."""
    from .recognise import header_key
    by_id = {t.table_id: t for t in tables}
    detached, summary = by_id.get("income_summary"), by_id.get("income_expenditure_summary")
    if not detached or not summary or not getattr(detached, "_detached", None):
        return
    income = {header_key(r.values.get("item") or ""): r.values.get("total") for r in summary.rows if r.values.get("side") == "income"}
    rows = [r for r in detached.rows if id(r) in detached._detached]
    keys = [header_key(r.values.get("item") or "") for r in rows]
    if not all(k in income for k in keys):
        return
    wanted = [income[k] if income[k] is not None else Decimal(0) for k in keys]
    printed = [r.values.get("total") for r in rows]
    if sorted(wanted) != sorted(printed) or wanted == printed:
        return
    for row, value in zip(rows, wanted):
        row.values["total"] = value
    warnings.items[:] = [w for w in warnings.items if "given to the labels in printed order" not in w]
    warnings.add(f"the {len(rows)} amounts printed apart from their labels were placed as 预算01表 places the same items "
                 "(the same amounts, in another order than printed)", rows[0].source_line, detached.table_id)
