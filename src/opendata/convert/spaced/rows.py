"""Spaced PDF text: the rows of a money table (two-sided, one-sided, or a one-column table
whose labels and amounts are printed as two separate runs)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ...model import Row, Table
from ...standard import TableSpec, load_standard
from ..errors import Warnings
from ..recognise import clean_label, header_key, is_header_word, row_type_for, squash
from ..segment import META_LINE, NOTE_LINE, is_unit_line
from ..source import Line
from .header import LAYOUT, columns_for, fill, header_text, table_unit
from .lines import AMOUNT, SpacedSegment, has_amounts, is_header_line, tokenize


@dataclass
class DetachedAmounts:
    """What the converter keeps about a one-column table whose amounts were printed apart
    from their labels: the rows that got a loose amount, by table id, and the warning
    saying they were placed in printed order (withdrawn when the placement is corrected)."""
    rows: dict[str, list[Row]] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)


def code_field(code: str) -> str:
    """Function codes start with 2 (201 … 232); department economic codes with 3, the
    government scheme with 5."""
    return {"3": "economic_code", "5": "gov_economic_code"}.get(code[0], "function_code")


def build_spaced_table(segment: SpacedSegment, spec: TableSpec, warnings: Warnings, all_lines: list[Line],
                       detached: DetachedAmounts | None = None) -> Table:
    """One money table of a segment: its unit, columns and rows; loose amounts of a
    one-column table are recorded in `detached`."""
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
        detached_rows(table, body, columns, unit, decimals, warnings, detached if detached is not None else DetachedAmounts())
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
    """The body lines of a two-sided table (收支总表) -> rows appended to `table`, returns None.
    Each line is cut into groups, a label (with its 行号) and the amounts after it; the first
    group is the income side, the next the expenditure side (a line with one group goes to the
    side its amounts or 行号 fit). Amounts fill `columns['income']` / `columns['expenditure']`
    (measure ids, default total) left to right as Decimal 元 from the printed `unit`, printed
    decimals appended to `decimals`. Lines without amounts or 行号, stray amounts and amounts
    beyond the columns are warnings."""
    income, expenditure = columns.get("income", ["total"]), columns.get("expenditure", ["total"])
    for line in body:
        parts = tokenize(line.text)
        if not any(k in ("amount", "num") for k, _ in parts):
            # header words (printed after the body); any other text is reported
            fragment = len(squash(line.text)) <= 4 or is_header_word(squash(line.text))  # 行 / 号 / 项 目 of 行号, 项目
            if not fragment and not all(is_header_word(w) for w in line.text.split()) and not header_words_only(line.text):
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
    labels_only = sum(1 for l in body if not has_amounts(l))
    amounts_only = sum(1 for l in body if has_amounts(l) and all(AMOUNT.match(t) for t in l.text.split()))
    return labels_only >= 3 and amounts_only >= 3


def header_words_only(text: str) -> bool:
    """A line of two or more header words (项     目 预算数: letter-spaced words rejoined)."""
    words: list[str] = []
    for token in text.split():
        if words and len(words[-1]) == 1:
            words[-1] += token
        else:
            words.append(token)
    return len(words) >= 2 and all(is_header_word(w) for w in words)


def detached_rows(table, body, columns, unit, decimals, warnings, detached: DetachedAmounts) -> None:
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
        if labels and header_words_only(line.text):
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
        detached.warnings[table.table_id] = warnings.add(
            f"{len(loose)} amounts printed apart from their labels were given to the labels in printed order; "
            "the PDF text does not show which amount stands beside which label", body[0].no if body else None, table.table_id)
    k = 0
    placed = detached.rows[table.table_id] = []
    for line, label, amounts in labelled:
        values: dict = {}
        if amounts:
            fill([measure], amounts, unit, values, decimals)
        elif loose:
            fill([measure], [loose[k]], unit, values, decimals)
            k += 1
        _row(table, values, line, label)
        if not amounts and loose:
            placed.append(table.rows[-1])


def one_sided_rows(table, body, columns, unit, decimals, warnings, lines) -> None:
    """The body lines of a one-sided table -> rows appended to `table`, returns None. A line with
    amounts becomes one row: its code (function or economic, `code_field`), unit code, label
    (a unit's or a project's name where the table has that field), flag cells in the text
    columns of the layout (codelists/layouts.csv, spaced_beijing) that the header prints, and
    the amounts filling `columns[None]` (default total) left to right as Decimal 元 from
    `unit`. A coded line without amounts, flags or amounts beyond the columns are warnings.
    `lines` is the whole segment (to read the header)."""
    measures = columns.get(None) or ["total"]
    headers = header_text(lines)
    flag_fields = [name for word, name in load_standard().layout_text_columns(LAYOUT) if squash(word) in headers]
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
    """The dimensions the standard gives the table."""
    return load_standard().tables[table.table_id].dimensions

def reconcile_detached(tables: list[Table], detached_amounts: DetachedAmounts, warnings: Warnings) -> None:
    """预算02表 prints the income items of 预算01表 with their amounts apart from the labels.
    When every label is also an income item of the two-sided summary and the detached
    amounts are, as a multiset, exactly the amounts that summary prints for those items
    (a blank there read as 0), the amounts are placed beside the labels the summary gives
    them; the printed amounts themselves are unchanged. Otherwise printed order stands."""
    by_id = {t.table_id: t for t in tables}
    detached, summary = by_id.get("income_summary"), by_id.get("income_expenditure_summary")
    if not detached or not summary or not detached_amounts.rows.get(detached.table_id):
        return
    income = {header_key(r.values.get("item") or ""): r.values.get("total") for r in summary.rows if r.values.get("side") == "income"}
    placed = {id(r) for r in detached_amounts.rows[detached.table_id]}
    rows = [r for r in detached.rows if id(r) in placed]
    keys = [header_key(r.values.get("item") or "") for r in rows]
    if not all(k in income for k in keys):
        return
    wanted = [income[k] if income[k] is not None else Decimal(0) for k in keys]
    printed = [r.values.get("total") for r in rows]
    if sorted(wanted) != sorted(printed) or wanted == printed:
        return
    for row, value in zip(rows, wanted):
        row.values["total"] = value
    if detached.table_id in detached_amounts.warnings:
        warnings.withdraw(detached_amounts.warnings[detached.table_id])
    warnings.add(f"the {len(rows)} amounts printed apart from their labels were placed as 预算01表 places the same items "
                 "(the same amounts, in another order than printed)", rows[0].source_line, detached.table_id)
