"""Performance tables: project and department performance targets (绩效目标表) and
final-accounts self-evaluations (绩效自评表).

These tables are forms more than grids: merged cells leave continuation rows that
inherit the project and the upper indicator levels, some exports shift a row's cells
left, indicators may be printed as columns, and self-evaluations stack several small
grids (funding, goal, indicators, total score) per project. What is printed is kept;
whatever cannot be placed is reported as a warning.

The readers live in `opendata.convert.forms` (one module per kind of form); this module
is the entry point the text and workbook converters use.
"""
from __future__ import annotations

from ..model import Table
from .forms.department import DepartmentForms
from .forms.self_evaluation import SelfEvaluations
from .forms.vocabulary import extend_segment, strict_cell_rows
from .source import Line

__all__ = ["PerformanceBuilder", "extend_segment"]


class PerformanceBuilder(DepartmentForms, SelfEvaluations):
    """Builds the tables of one performance segment: indicator tables, department forms
    (with the project tables inside them) or self-evaluations."""

    def build(self, lines: list[Line], layout: str, title: str, first_line: int, last_line: int) -> list[Table]:
        """The body lines of one performance segment -> list[Table]. Lines become CellRows by
        `layout` (cell_per_line, else tabs); unit and note rows are taken out (the unit, 元 or
        万元, applies to the amounts; notes go to the first table's `note`). By the spec's code:
        performance_self_evaluation -> one self-evaluation table, project_performance_targets ->
        one indicator table, otherwise the department forms (a form table plus the project and
        indicator tables inside it). `title`, `first_line` and `last_line` are the segment's
        printed title and source lines. What cannot be placed is a warning."""
        from .layout import tab_rows
        rows = strict_cell_rows(lines) if layout == "cell_per_line" else tab_rows(lines)
        rows, notes, unit = self._meta(rows)
        if unit:
            self.unit = unit
        if self.spec.code == "performance_self_evaluation":
            tables = [self.self_evaluation(rows, title, first_line, last_line)]
        elif self.spec.code == "project_performance_targets":
            tables = [self.indicator_table(rows, self.spec, title, first_line, last_line)]
        else:
            tables = self.department(rows, title, first_line, last_line)
        if notes and tables:
            tables[0].note = "\n".join(([tables[0].note] if tables[0].note else []) + notes)
        return tables

