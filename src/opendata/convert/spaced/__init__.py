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

The module is split by what it reads: `lines` (tokens and segments), `header` (columns,
from the layout's template in schema/codelists/layouts.csv), `rows` (money tables) and
`targets` (the performance-target blocks).
"""
from __future__ import annotations

from ...model import Table
from ...standard import load_standard
from ..errors import Warnings
from ..source import Line
from .lines import find_spaced_segments
from .rows import DetachedAmounts, build_spaced_table, reconcile_detached
from .targets import build_performance_table
from ..unlisted import keep_unlisted
from ..three_public import printed_spec
from .outside import spaced_parts, spaced_rows

def convert_spaced(lines: list[Line], warnings: Warnings) -> tuple[list[Table], set[int]] | None:
    """The tables of a document in this layout, and the indices of the lines they used;
    None when the document has no 预算NN表 markers with titles (another layout)."""
    standard = load_standard()
    segments = [s for s in find_spaced_segments(lines) if s.table_id]
    if len(segments) < 3:
        return None
    tables, used = [], set()
    detached = DetachedAmounts()
    index_of = {id(line): i for i, line in enumerate(lines)}
    for segment in segments:
        spec = printed_spec(standard.tables[segment.table_id])
        used.add(segment.marker_line) if segment.marker else None
        used.update(index_of[id(l)] for l in segment.lines + segment.moved)
        if spec.kind == "performance":
            tables.append(build_performance_table(segment, spec, warnings))
        else:
            table = build_spaced_table(segment, spec, warnings, lines, detached)
            if not table.rows and not table.note:
                table.note = None
            tables.append(table)
    reconcile_detached(tables, detached, warnings)
    # a marker whose title names no catalog table: the table is kept as unlisted_table_N
    outside = [s for s in find_spaced_segments(lines) if not s.table_id]
    used.update(index_of[id(l)] for s in outside for l in s.lines + s.moved)
    unlisted = spaced_parts(lines, outside)
    tables.extend(keep_unlisted(lines, unlisted, used, spaced_rows, warnings))
    return tables, used

