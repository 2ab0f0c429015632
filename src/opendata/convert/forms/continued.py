"""Performance forms: a project's form whose indicator grid is cut by a page break, the form's
title printed again over the next page (政策和项目预算绩效目标表 (2026年度), then more indicator rows
and no 项目名称). The title starts a new segment; its rows belong to the form read last."""
from __future__ import annotations

from ..layout import CellRow
from ..recognise import header_key, match_dimension
from .vocabulary import INDICATOR_FIELDS, SELF_LABELS, grid_header


def form_state(project: dict, grid: dict, header: tuple, levels: dict, last, page: int | None) -> dict:
    """What a project form leaves to a segment that continues it: the project's values, the grid's
    columns and header, the indicator levels reached, its last row and that row's page."""
    return {"project": dict(project), "grid": dict(grid), "header": header, "levels": dict(levels), "last": last, "page": page}


def continues_form(rows: list[CellRow], carried: dict) -> bool:
    """True when the segment continues the project form read last (`carried["form"]`, see
    `form_state`): its first filled row is that form's grid header printed again, or a row of that
    grid (its filled cells all in the grid's columns, the first cell at most a group label such as
    绩效指标, never a form's label such as 项目名称), and it stands on the form's last page or the
    page after (pages unknown: not checked)."""
    form = carried.get("form")
    filled = [r for r in rows if r.filled]
    if not form or not filled:
        return False
    first = filled[0]
    if form["page"] is not None and first.page is not None and not 0 <= first.page - form["page"] <= 1:
        return False
    keys = tuple(header_key(c) for c in first.cells)
    if grid_header(list(keys)):
        return tuple(k for k in keys if k) == form["header"]
    grid = form["grid"]
    for i, cell in enumerate(first.cells):
        if not cell.strip() or i in grid:
            continue
        label = SELF_LABELS.get(header_key(cell)) or match_dimension([cell.strip()])
        if i > 0 or (label and label not in INDICATOR_FIELDS):
            return False
    return any(i in grid and first.cells[i].strip() for i in range(len(first.cells)))
