"""The tables of the spaced layout whose 预算NN表 marker has no catalog title: the parts
`unlisted.keep_unlisted` keeps as unlisted_table_N, and their rows (one cell per token)."""
from __future__ import annotations

from ..layout import CellRow
from ..unlisted import Part
from .lines import tokenize


def spaced_parts(lines, segments) -> list[Part]:
    """The parts of `lines` under a 预算NN表 marker whose title names no catalog table (the
    spaced layout, `spaced.lines.find_spaced_segments`), titled as that found them (a line reading
    as a table title, `recognise.unlisted_title`), else by their marker."""
    parts = []
    for segment in segments:
        at = segment.title_index
        # the body printed before the marker and moved here (`find_spaced_segments`) follows the header
        parts.append(Part(segment.title or segment.marker, segment.marker_line, segment.marker_line + 1 + len(segment.lines),
                          segment.lines[at + 1 if at is not None else 0:] + segment.moved))
    return parts


def spaced_rows(lines) -> list[CellRow]:
    """Rows of a spaced table (cells run together on one line): one row per line, a cell per
    token of `spaced.lines.tokenize` (a label of several words is one cell)."""
    return [CellRow([text for _, text in tokenize(line.text)], line.no, line.no, line.page)
            for line in lines if line.text.strip()]
