"""Header cells run together by the extractor: two neighbouring columns whose words wrap over two
lines (公务用车购置 / 费 beside 公务用车运行 / 维护费) can come out as one text per column holding the
first line of both (公务用车购置公务用车运行费, 公务用车购置公务用车运行维护费). Each is put back
to its own words when the split gives a measure of the table on both sides (codelists/measures.csv)."""
from __future__ import annotations

import os

from ..standard import TableSpec
from .recognise import match_measure, squash


def split_run_together(header: list[list[str]], spec: TableSpec) -> list[list[str]]:
    """`header` (rows of cells) with each pair of neighbouring cells that start with the same run
    of words (4 characters or more) and name no measure split back: the shared run cut in two, its
    first part with the rest of the left cell and its second part with the rest of the right cell,
    where both then name a measure of `spec`. Other cells are kept as they are."""
    allowed = set(spec.measures)
    out = [list(row) for row in header]
    for row in out:
        for k in range(len(row) - 1):
            left, right = squash(row[k]), squash(row[k + 1])
            if not left or not right or match_measure([left], allowed) or match_measure([right], allowed):
                continue
            common = os.path.commonprefix([left, right])
            if len(common) < 4:
                continue
            rest_left, rest_right = left[len(common):], right[len(common):]
            for cut in range(2, len(common) - 1):
                first, second = common[:cut] + rest_left, common[cut:] + rest_right
                if match_measure([first], allowed) and match_measure([second], allowed):
                    row[k], row[k + 1] = first, second
                    break
    return out
