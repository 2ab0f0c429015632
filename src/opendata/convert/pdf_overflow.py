"""Text that overflows a ruled cell's bottom border: the last line of a wrapped label printed
across the rule under its cell (009 p. 3: "2120399-其他城乡社区公共设施" in its cell, "支出" on the
rule below, its middle just inside the next row's cell, where it was read as the start of
"支出2120803-城市建设支出" and took the code out of the code column).

A piece of text straddling the top border of a cell goes back to the cell above when the cell it
landed in holds, below it, a label beginning with a classification code: nothing is printed
before a code in its cell, so the piece ends the label above.
"""
from __future__ import annotations

import re

CODE_LED = re.compile(r"\d{3,}(?:[-－—]|$)")  # 2120803-城市建设支出, 30109-职业年金缴费, 2120803


def return_overflow(rows, grid_words: list[list[list[dict]]]) -> None:
    """Move, in place, the words of `grid_words` (per row of the pdfplumber table `rows`, per
    cell, the words placed in it) that straddle their cell's top border and stand above a
    code-led label of that cell, into the cell right above (same borders left and right)."""
    for r in range(1, len(rows)):
        for k, box in enumerate(rows[r].cells):
            if box is None or k >= len(grid_words[r]) or k >= len(rows[r - 1].cells):
                continue
            above = rows[r - 1].cells[k]
            if above is None or abs(above[3] - box[1]) > 1 or abs(above[0] - box[0]) > 1 or abs(above[2] - box[2]) > 1:
                continue
            words = sorted(grid_words[r][k], key=lambda w: (w["top"], w["x0"]))
            overflow = [w for w in words if w["top"] < box[1] < w["bottom"] and not CODE_LED.match(w["text"])]
            if not overflow:
                continue
            top = max(w["top"] for w in overflow)
            if not any(CODE_LED.match(w["text"]) and w["top"] > top + 1 for w in words):
                continue
            moved = {id(w) for w in overflow}
            grid_words[r][k] = [w for w in grid_words[r][k] if id(w) not in moved]
            grid_words[r - 1][k].extend(overflow)
