"""Text disclosures (the text of a published PDF or Word document)."""
from __future__ import annotations

from pathlib import Path

from ..model import Disclosure
from . import metadata, performance, spaced
from .errors import ConversionError, Warnings
from .layout import cell_per_line_rows, detect_layout, tab_rows
from .segment import NOTE_LINE, find_segments
from .source import decode_text, describe_source, text_lines
from .table_rows import finish_rows, merge_table
from .tables import TableBuilder
from .unlisted import keep_unlisted
from .untitled import untitled_segments
from ..standard import load_standard

ROW_READERS = {"tabs": tab_rows, "cell_per_line": cell_per_line_rows, "spaces": tab_rows}


def convert_text(path: Path, warnings: Warnings, limits=None) -> Disclosure:
    """A text export (.txt): `limits` do not apply (nothing is compressed) beyond the memory cap."""
    data = path.read_bytes()
    text = decode_text(path, data)
    lines = text_lines(text)
    return convert_lines(lines, describe_source(path, data, "txt"), warnings)


def convert_lines(lines, source, warnings: Warnings) -> Disclosure:
    """list[Line] of one document -> Disclosure. Detects the layout (tabs, cell per line, or PDF
    spaces), finds the tables by their titles (`segment.find_segments`), reads each into a
    model Table (performance forms by `performance`, spaced PDF text by `spaced`), then the
    metadata and narrative from the remaining lines (`metadata.assemble`). `source` describes
    the document; problems that do not stop conversion go to `warnings`. Amounts become
    Decimal 元 from the printed unit. Unit name, year and stage not printed are None with a
    warning (`metadata.resolve`). Raises ConversionError when the text stops inside a money
    table before its total row (truncated)."""
    layout = detect_layout(lines)
    unlisted: list = []
    segments = find_segments(lines, unlisted)
    tables: dict = {}
    used = set()
    texts = [line.text for line in lines]
    year, stage, where = metadata.find_year_and_stage(texts)
    default_unit = "元"
    standard = load_standard()
    spaced_tables = spaced.convert_spaced(lines, warnings) if layout == "spaces" else None
    if spaced_tables is not None:
        # PDF text with cells run together and 预算NN表 markers: see spaced.py
        segments, unlisted = [], []
        for table in spaced_tables[0]:
            merge_table(tables, table)
        used.update(spaced_tables[1])
    titles = sorted(segment.title_line for segment in segments + unlisted)
    unlisted = sorted(unlisted + untitled_segments(lines, taken_lines(lines, segments + unlisted, titles, used)),
                      key=lambda segment: segment.title_line)
    kept = keep_unlisted(lines, unlisted, used, ROW_READERS[layout], warnings, default_unit)
    carried: dict = {}   # table id -> what one part of the table leaves to the next (TableBuilder)
    for segment in segments:
        spec = standard.tables[segment.table_id]
        if spec.kind == "performance":
            following = next((t for t in titles if t > segment.title_line), len(lines))
            performance.extend_segment(lines, segment, following)
            used.update(range(segment.title_line, segment.end))
            first = lines[segment.title_line]
            last_line = segment.lines[-1].no if segment.lines else first.no
            builder = performance.PerformanceBuilder(spec, warnings, default_unit, carried.setdefault(segment.table_id, {}))
            for table in builder.build(segment.lines, layout, segment.title, first.no, last_line):
                merge_table(tables, table)
            continue
        used.update(range(segment.title_line, segment.end))
        if segment.stopped_at is not None:
            warnings.add(f"table title '{segment.stopped_at.text.strip()}' not recognised: table {segment.table_id} ends above it "
                         "and the lines under it are read as narrative", segment.stopped_at.no, segment.table_id)
        rows = ROW_READERS[layout](segment.lines)
        builder = TableBuilder(spec, warnings, default_unit, carried.setdefault(segment.table_id, {}))
        first = lines[segment.title_line]
        last_line = segment.lines[-1].no if segment.lines else first.no
        table = builder.build(rows, segment.title, first.no, last_line)
        if first.page:
            table.pages = sorted({l.page for l in segment.lines if l.page} | {first.page})
        if not table.rows and not table.note and not builder.header_rows:
            warnings.add(f"table title '{segment.title}' has no rows or header under it", first.no, segment.table_id)
        merge_table(tables, table)
    for table in tables.values():
        finish_rows(table)
    for table in kept:   # after the catalog's tables, in printed order
        tables[table.key] = table
    check_not_truncated(lines, segments, tables, source.filename)
    narrative_lines = [line for i, line in enumerate(lines) if i not in used]
    return metadata.assemble(tables, narrative_lines, texts, source, year, stage, warnings, where=where)


def taken_lines(lines, segments, titles, used: set) -> set[int]:
    """The indices of the lines the tables found by their titles take (a performance form's up to
    the next title: its body grows over prose-like lines), and those already `used`."""
    taken = set(used)
    for segment in segments:
        end = segment.end
        if segment.table_id and load_standard().tables[segment.table_id].kind == "performance":
            end = max(end, next((t for t in titles if t > segment.title_line), len(lines)))
        taken.update(range(segment.title_line, end))
    return taken


def check_not_truncated(lines, segments, tables, filename: str) -> None:
    """A document that stops inside a money table (the table runs to the end of the text
    and never reaches a 合计 / 总计 row) was cut short: refuse it rather than publish half."""
    if not segments:
        return
    last = segments[-1]
    rest = [line for line in lines[last.end:] if line.text.strip()]
    table = tables.get(last.table_id)
    if rest or table is None or load_standard().tables[last.table_id].kind != "money":
        return
    printed = [line.text for line in lines[last.start:last.end] if line.text.strip()]
    if printed and NOTE_LINE.search(printed[-1]):
        return   # the table ends on its note (注：…): it was printed to its end
    items = [row for row in table.rows if row.row_type == "item"]
    if items and not any(row.row_type in ("total", "subtotal") for row in table.rows):
        end = lines[last.end - 1].no if last.end else len(lines)
        raise ConversionError(
            f"{filename} line {end}: the text ends inside table {last.table_id} ('{last.title}') before its "
            f"合计/总计 row; the document looks truncated. 文件在表格中间结束，可能不完整。")
