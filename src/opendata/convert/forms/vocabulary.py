"""Performance forms: the words of the indicator vocabulary (schema/codelists/
performance_vocabulary.csv, indicator_levels.csv) and how a form's text is cut into
cell rows and segments."""
from __future__ import annotations

import re

from ...standard import load_standard
from ..layout import CellRow
from ..recognise import squash
from ..source import Line

_STANDARD = load_standard()
OPERATORS = _STANDARD.vocabulary("operator")  # printed operator -> stored symbol
LEVEL1_WORDS = _STANDARD.indicator_level1_words  # 一级指标
SELF_HEADERS = _STANDARD.vocabulary("self_evaluation_header")  # 绩效自评表 grid header -> field
SELF_LABELS = _STANDARD.vocabulary("self_evaluation_label")  # 绩效自评表 head label -> field
INDICATOR_HEADERS = _STANDARD.vocabulary("indicator_header")  # indicator grid header -> field
PROJECT_HEADERS = _STANDARD.vocabulary("project_header")  # project table header -> field
TITLE_ENDS = tuple(_STANDARD.vocabulary("form_title_end"))  # 绩效目标表: the end of a form title naming the form
INDICATOR_FIELDS = ("indicator_level1", "indicator_level2", "indicator_level3", "operator", "target_value", "target_unit", "weight")
PROJECT_CODE = re.compile(r"^\s*([0-9A-Z]{12,})\s*[-—－_]\s*(.+)$", re.S)
BARE_CODE = re.compile(r"^[0-9A-Z]{12,}$")   # a project cell holding a code and nothing else
CODE_TAIL = re.compile(r"^\s*([0-9A-Z]{1,11})\s*[-—－_]\s*(\S.*)$", re.S)   # 5516-某项目: a code's last characters, then the name
HEADING = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、\S|预算\s*\d{1,2}\s*表\s*$|表\s*\d{1,2}\s*$|表[一二三四五六七八九十]{1,3}[、.．])")
PAGE_NUMBER = re.compile(r"^\s*[-—]?\s*\d{1,3}\s*[-—]?\s*$")
UNIT_WORD = re.compile(r"[（(]\s*(万元|元)\s*[)）]|单位[:：]\s*(万元|元)")


def operator_of(cell: str) -> str | None:
    """The stored symbol of a printed operator cell (≥, ≤, ＝, 定性 …), None when it is not one."""
    return OPERATORS.get(squash(cell))


def grid_header(keys: list[str]) -> bool:
    """True when a row of header keys heads an indicator grid: 一级指标 and a column whose
    indicator_header word names the indicator itself (三级指标, 指标内容)."""
    return "一级指标" in keys and any(INDICATOR_HEADERS.get(k) == "indicator_level3" for k in keys)


def is_level1(cell: str) -> bool:
    """True when the cell names a level-1 indicator (一级指标)."""
    key = squash(cell)
    return any(key.startswith(word) for word in LEVEL1_WORDS)


def is_level2(cell: str) -> bool:
    """True when the cell looks like a level-2 indicator (a short name ending in 指标)."""
    key = squash(cell)
    return not is_level1(cell) and len(key) <= 14 and (key.endswith("指标") or key.endswith("指"))


def is_number(cell: str) -> bool:
    """True when the cell is a plain number (weights, scores)."""
    return bool(re.fullmatch(r"[-+]?\d+(\.\d+)?", squash(cell).replace(",", "")))


# -- segments -------------------------------------------------------------------------

def extend_segment(lines: list[Line], segment, limit: int) -> None:
    """Performance tables hold long paragraphs (goals, results) that look like prose and
    continue after page breaks: their body runs to the next table or the next heading."""
    end = limit
    for j in range(segment.start, limit):
        text = lines[j].text
        if text.strip() and not text.startswith("\t") and "\t" not in text.strip("\t") and HEADING.match(text):
            end = j
            break
    # trailing lines that are neither rows nor cell continuations (page numbers) stay out
    while end > segment.start and not lines[end - 1].text.startswith("\t") and (not lines[end - 1].text.strip() or PAGE_NUMBER.match(lines[end - 1].text)):
        end -= 1
    if end > segment.end:
        segment.end = end
        segment.lines = lines[segment.start:end]


def carry_levels(values: dict, levels: dict) -> dict:
    """一级 / 二级指标 printed once over several indicator rows: the levels a row prints start
    a new group, and the rows below without them take the group's."""
    if "indicator_level1" in values:
        levels = {"indicator_level1": values["indicator_level1"]}
    if "indicator_level2" in values:
        levels["indicator_level2"] = values["indicator_level2"]
    for k, v in levels.items():
        values.setdefault(k, v)
    return levels


def strict_cell_rows(lines: list[Line]) -> list[CellRow]:
    """One cell per line (each led by a tab), rows separated by blank lines; a line without
    the tab continues the last cell (after a blank line, as a new paragraph). Unlike the
    general reader, a tab-led line after a blank line always starts a new row."""
    rows: list[CellRow] = []
    current: CellRow | None = None
    blank = False
    for line in lines:
        text = line.text
        if not text.strip() and not text.startswith("\t"):
            blank = True
            continue
        if text.startswith("\t"):
            if current is None or blank:
                current = CellRow([], line.no, line.no, line.page)
                rows.append(current)
            current.cells.append(text[1:].strip())
            current.last_line = line.no
        elif PAGE_NUMBER.match(text) and blank:
            continue
        elif current is not None and current.cells and not (blank and HEADING.match(text)):
            joiner = "\n" if blank else ""
            current.cells[-1] = (current.cells[-1] + joiner + text.strip()).strip()
            current.last_line = line.no
        else:
            rows.append(CellRow([text.strip()], line.no, line.no, line.page))
            current = None
        blank = False
    return rows


def continued_code(before: dict, values: dict, measures) -> dict | None:
    """{project_code, project_name} when the project cell of the row `values` continues the one of the project
    `before`: `before` is named by a bare project code only (11000026Y00000364), with no amounts (`measures`: the
    table's measure ids), and `values` has no code of its own, its name starting with a code's last characters and
    the separator (5516-禁毒科技中心互联网接入服务). The cell was wrapped by character inside the code and its rest
    printed as the next row (cut at a page break, the amounts printed beside the rest): one code
    (11000026Y000003645516), one project. None otherwise."""
    name = str(before.get("project_name") or "")
    if before.get("project_code") or not BARE_CODE.match(name) or any(k in measures for k in before):
        return None
    match = CODE_TAIL.match(str(values.get("project_name") or ""))
    if values.get("project_code") or not match:
        return None
    return {"project_code": name + match.group(1), "project_name": match.group(2).strip()}
