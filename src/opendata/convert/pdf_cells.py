"""PDF pages, word level: words into printed lines and cell texts, what is visible on a
page, and ruled tables (cell borders) cut into rows of cells.

A page may carry text drawn outside its visible box (a merged cell continued on the next page is
often drawn whole on both pages and clipped): only what lies on the page is read. A ruled table
whose merged cell has no closing border (it runs on past the page bottom) leaves its words inside
the table but in no cell: they are placed in the column they stand in, at the row where the
merged cell starts.
"""
from __future__ import annotations

import bisect
import re

from .pdf_overflow import return_overflow

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]")
CODE_PART_WORDS = {"类", "款", "项"}
AMOUNT_TOKEN = re.compile(r"^[-−]?[(（]?\d[\d,]*(\.\d+)?[)）]?%?$")


def visible_page(page):
    """(page, count): the pdfplumber page with only the characters whose middle lies inside
    its box (text drawn off the page is clipped, not printed), and how many were left out."""
    x0, top, x1, bottom = page.bbox

    def shown(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return x0 <= cx <= x1 and top <= cy <= bottom

    hidden = sum(1 for c in page.chars if not shown(c))
    return (page.filter(shown) if hidden else page), hidden


def group_lines(words) -> list[list[dict]]:
    """Words into printed lines: a word belongs to a line when its vertical middle lies
    within the line's extent (labels and numbers set at slightly different heights)."""
    lines: list[list[dict]] = []
    extents: list[list[float]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        placed = False
        for extent, line in zip(reversed(extents), reversed(lines)):
            if extent[0] - 0.5 <= middle <= extent[1] + 0.5:
                line.append(word)
                extent[0], extent[1] = min(extent[0], word["top"]), max(extent[1], word["bottom"])
                placed = True
                break
            if extent[1] < word["top"] - 20:
                break
        if not placed:
            lines.append([word])
            extents.append([word["top"], word["bottom"]])
    for line in lines:
        line.sort(key=lambda w: w["x0"])
    return lines


def joiner(left: str, right: str) -> str:
    """What joins two texts on one line: '' when either is empty or the join touches a CJK character, else ' '."""
    if not left or not right:
        return ""
    return "" if CJK.match(left[-1]) or CJK.match(right[0]) else " "


def join_words(words, gap_is_space: bool = True) -> str:
    """pdfplumber words of one line (dicts: text, x0, x1, top, bottom), left to right -> text, joined by `joiner`;
    with `gap_is_space` a gap wider than 1.5 word heights is a space even between CJK characters."""
    text = ""
    previous = None
    for word in words:
        if previous is not None:
            gap = word["x0"] - previous["x1"]
            size = max(1.0, word["bottom"] - word["top"])
            sep = joiner(text, word["text"])
            if gap_is_space and gap > size * 1.5:
                sep = " "
            text += sep
        text += word["text"]
        previous = word
    return text.strip()


NUMBER_PIECE = re.compile(r"^[-−(（]?[\d,.]+$")
ONE_AMOUNT = re.compile(r"^[-−]?[(（]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?[)）]?$")   # commas only as thousands separators


def cell_text(words, box=None) -> str:
    """A cell's words: line by line, lines joined (a wrapped label is one label); an amount
    wrapped in a narrow cell (1,040,000 / .00) is joined without a space when the pieces
    together make one amount. With the cell's `box` (x0, top, x1, bottom) a line wrapped by
    character inside a word (`cut_inside_word`) is joined without a space."""
    lines = group_lines(words)
    text = ""
    for n, line in enumerate(lines):
        part = join_words(line, gap_is_space=False)
        if n and box and cut_inside_word(lines, n, box) and ALNUM_END.search(text) and ALNUM_START.match(part):
            text += part
        else:
            text = join_lines(text, part)
    return text.strip()


ALNUM_END = re.compile(r"[0-9A-Za-z]$")
ALNUM_START = re.compile(r"^[0-9A-Za-z]")


def cut_inside_word(lines: list[list[dict]], n: int, box) -> bool:
    """True when line `n - 1` of a cell (`lines`: its printed lines of words; `box`: its borders) is full: the first
    character of line `n` would not have fit after it, within the cell's text width (the right end of its widest line,
    or its right border less the padding printed on its left, whichever is further). The cell was wrapped by character,
    inside a word (a project code 11000026T00000374 / 9339 is one code), not at a space."""
    right = max(w["x1"] for line in lines for w in line)
    right = max(right, box[2] - max(0.0, min(w["x0"] for line in lines for w in line) - box[0]))
    following = lines[n][0]
    chars = following.get("chars") or []
    first = chars[0] if chars else following
    width = (first["x1"] - first["x0"]) / (1 if chars else max(1, len(following["text"])))
    return lines[n - 1][-1]["x1"] + width > right


def join_lines(text: str, part: str) -> str:
    """`text` with the next printed line `part` of the same cell after it: by `joiner`, except
    that two pieces of one wrapped amount (1,040,000 / .00) are joined without a space."""
    if NUMBER_PIECE.match(text) and NUMBER_PIECE.match(part.rstrip(")）")) and ONE_AMOUNT.match(text + part) \
            and ("," in text or "." in text or part.startswith(".")):   # 2026 / 12 is not one amount
        return text + part
    return text + joiner(text, part) + part



def inside(bbox, x: float, y: float) -> bool:
    """True when point (x, y) lies in `bbox` (x0, top, x1, bottom, PDF points), half a point of slack each side."""
    x0, top, x1, bottom = bbox
    return x0 - 0.5 <= x <= x1 + 0.5 and top - 0.5 <= y <= bottom + 0.5


def ruled_rows(table, words, state: dict) -> list[str]:
    """Rows of a ruled table: one cell per border cell; a merged cell is printed once at
    its top-left grid position and leaves the positions it covers empty. Words inside the
    table but in no cell (a merged cell without its closing border) go to `open_cells`."""
    rows = table.rows
    words = [piece for w in words for piece in split_at_borders(w, rows)]
    middle = [((w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2) for w in words]
    grid_words = [[[] if bbox is None else [w for w, (x, y) in zip(words, middle) if inside(bbox, x, y)] for bbox in row.cells]
                  for row in rows]
    placed = {id(w) for row in grid_words for cell in row for w in cell}
    stray = [w for w, (x, y) in zip(words, middle) if id(w) not in placed and inside(table.bbox, x, y)]
    for r, k, word in open_cells(rows, stray):
        grid_words[r][k].append(word)
    return_overflow(rows, grid_words)
    grid = []
    for row, cell_words in zip(rows, grid_words):
        cells = [cell_text(inner, box) for inner, box in zip(cell_words, [*row.cells, *[None] * len(cell_words)])]
        for part in split_code_part_header(cells):
            if any(c.strip() for c in part):
                grid.append(part)
    heights = sorted(w["bottom"] - w["top"] for w, (x, y) in zip(words, middle) if inside(table.bbox, x, y))
    grid, edges = without_empty_outer_columns(grid, column_edges(rows), table.bbox[2], heights[len(heights) // 2] if heights else 0.0)
    grid = widen_continuation(grid, edges, state)
    return ["\t".join(cells) for cells in unfold_blocks(grid, state)]


def column_edges(rows) -> list[float | None]:
    """The left border (x, PDF points) of each grid column of a ruled table's pdfplumber `rows`, None for a
    column no cell starts in."""
    width = max((len(row.cells) for row in rows), default=0)
    return [next((row.cells[k][0] for row in rows if k < len(row.cells) and row.cells[k] is not None), None)
            for k in range(width)]


def without_empty_outer_columns(grid: list[list[str]], edges: list[float | None], right: float,
                                size: float) -> tuple[list[list[str]], list[float | None]]:
    """The rows of a ruled table on one page (cells left to right, one per grid column whose left borders are `edges`;
    `right` the table's right border) without its first and last grid columns while they are empty in every row
    and narrower than `size` (the height of the table's text: one character would not fit): a margin column
    ruled on some pages of a table and not on others would put each cell one column to the right of the same
    cell on the other pages. A wider empty column is a column of the table (a merged cell continued from the page
    before leaves it empty) and stays. Returns (rows, edges) for the columns kept."""
    width = max((len(cells) for cells in grid), default=0)
    bounds = [*edges[:width], *[None] * (width - len(edges))] + [right]

    def margin(k: int) -> bool:
        empty = not any(k < len(cells) and cells[k].strip() for cells in grid)
        return empty and bounds[k] is not None and bounds[k + 1] is not None and bounds[k + 1] - bounds[k] < size

    first, last = 0, width - 1
    while first <= last and margin(first):
        first += 1
    while last >= first and margin(last):
        last -= 1
    if first > last or (first == 0 and last == width - 1):
        return grid, edges
    return [(cells + [""] * (width - len(cells)))[first:last + 1] for cells in grid], bounds[first:last + 1]


def widen_continuation(grid: list[list[str]], edges: list[float | None], state: dict) -> list[list[str]]:
    """The rows of a ruled table (cells left to right, one per grid column whose left borders are `edges`)
    laid on the columns of the ruled table before it (`state`, kept across pages) when they continue it: the
    table starts with amounts (no header) or with a repeat of a header row of the table before (the same
    texts in its non-empty cells), has fewer columns and each of its columns starts at a border of the
    one before (a 合计 row printed alone on the next page, its label cell merged over the code and name columns,
    has four columns where the table has seven; a page that does not rule a column the first page rules).
    Other tables are returned as they are; `state` then gets their borders and header rows."""
    before = state.get("ruled_edges")
    starts_with_amounts = bool(grid) and any(AMOUNT_TOKEN.match(c.strip()) for c in grid[0])
    repeats_header = bool(grid) and bool(filled_cells(grid[0])) and filled_cells(grid[0]) in state.get("ruled_header", [])
    if before and (starts_with_amounts or repeats_header) and 0 < len(edges) < len(before) and None not in edges:
        at = [next((n for n, x in enumerate(before) if x is not None and abs(x - edge) <= 1.5), None) for edge in edges]
        if None not in at and at == sorted(set(at)):
            widened = []
            for cells in grid:
                row = [""] * len(before)
                for k, text in zip(at, cells):
                    row[k] = text
                widened.append(row)
            return widened
    state["ruled_edges"] = edges
    heading = next((n for n, cells in enumerate(grid) if any(AMOUNT_TOKEN.match(c.strip()) for c in cells)), len(grid))
    state["ruled_header"] = [filled_cells(cells) for cells in grid[:heading] if filled_cells(cells)]
    return grid


def filled_cells(cells: list[str]) -> tuple[str, ...]:
    """The texts of a row's non-empty cells, left to right."""
    return tuple(c.strip() for c in cells if c.strip())


def split_at_borders(word: dict, rows) -> list[dict]:
    """A pdfplumber word (dict with its "chars", from extract_words(return_chars=True)) cut where a cell border
    of the ruled table's `rows` (pdfplumber rows; cells (x0, top, x1, bottom) or None) runs between two of its
    characters and the piece on one side is an amount: a number that fills its cell up to the border is read
    together with the label that starts just past it (110,387.976749一、一般公共服务支出) when the gap is narrower
    than the word tolerance. A label overflowing into the next cell is left whole. Returns [word] or the pieces,
    left to right, each a word dict (text, x0, x1, top, bottom, chars)."""
    chars = word.get("chars")
    if not chars or len(chars) < 2:
        return [word]
    y = (word["top"] + word["bottom"]) / 2
    borders = sorted({x for row in rows for box in row.cells if box is not None and box[1] - 0.5 <= y <= box[3] + 0.5
                      for x in (box[0], box[2])})
    cuts = []
    for i in range(1, len(chars)):
        left, right = (chars[i - 1]["x0"] + chars[i - 1]["x1"]) / 2, (chars[i]["x0"] + chars[i]["x1"]) / 2
        if any(left < x < right for x in borders):
            cuts.append(i)
    if not cuts:
        return [word]
    pieces, start = [], 0
    for cut in cuts + [len(chars)]:
        pieces.append(chars[start:cut])
        start = cut
    texts = ["".join(c["text"] for c in piece) for piece in pieces]
    if not any(AMOUNT_TOKEN.match(t) for t in texts):
        return [word]
    return [dict(word, text=t, x0=min(c["x0"] for c in piece), x1=max(c["x1"] for c in piece), chars=piece)
            for t, piece in zip(texts, pieces)]


def open_cells(rows, stray) -> list[tuple[int, int, dict]]:
    """(row index, column index, word) for words of a ruled table that lie in no cell: the
    column whose borders hold the word's middle, and the first row below the lowest closed
    cell above the word in that column (where the open merged cell starts)."""
    width = max((len(row.cells) for row in rows), default=0)
    edges = []
    for k in range(width):
        boxes = [row.cells[k] for row in rows if k < len(row.cells) and row.cells[k] is not None]
        edges.append((max(b[0] for b in boxes), min(b[2] for b in boxes)) if boxes else None)
    out = []
    for word in stray:
        x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        k = next((k for k, e in enumerate(edges) if e and e[0] - 0.5 <= x <= e[1] + 0.5), None)
        if k is None:
            continue
        above = [b[3] for row in rows for b in row.cells if b is not None and b[0] - 0.5 <= x <= b[2] + 0.5 and b[3] <= y + 0.5]
        start = max(above, default=rows[0].bbox[1])
        r = next((i for i, row in enumerate(rows) if row.bbox[1] >= start - 0.5), len(rows) - 1)
        out.append((r, k, word))
    return out


def unfold_blocks(grid: list[list[str]], state: dict) -> list[list[str]]:
    """A table printed as two identical column blocks side by side (经济分类 科目名称 决算数 |
    经济分类 科目名称 决算数) is one list: the left block's rows, then the right block's. Blocks
    under a heading each (人员经费 | 公用经费) are panels, read by `convert.panels`."""
    if not grid:
        return grid
    width = len(grid[0])
    half = width // 2
    starts_with_amounts = any(AMOUNT_TOKEN.match(c.strip()) or c.strip().isdigit() for c in grid[0])
    first = [c.strip() for c in grid[0]]
    repeated = width >= 4 and not width % 2 and any(first[:half]) and first[:half] == first[half:]
    continued = state.get("unfold_width") == width and not repeated and starts_with_amounts
    state["unfold_width"] = width if (repeated or continued) else None
    if not (repeated or continued):
        return grid
    header_count = 0 if continued else next((i for i, cells in enumerate(grid) if any(AMOUNT_TOKEN.match(c.strip()) or c.strip().isdigit() for c in cells)), len(grid))
    header = [cells[:half] for cells in grid[:header_count]]
    left = [cells[:half] for cells in grid[header_count:]]
    right = [cells[half:] for cells in grid[header_count:]]
    return header + [r for r in left if any(c.strip() for c in r)] + [r for r in right if any(c.strip() for c in r)]

def split_code_part_header(cells: list[str]) -> list[list[str]]:
    """A bordered row that holds the 类 / 款 / 项 header cells above the first data row
    (a border the document left out): the header cells become a row of their own."""
    parts = {i for i, c in enumerate(cells) if c.strip() in CODE_PART_WORDS}
    if not parts or not any(AMOUNT_TOKEN.match(c.strip()) for c in cells):
        return [cells]
    return [[c if i in parts else "" for i, c in enumerate(cells)], [c if i not in parts else "" for i, c in enumerate(cells)]]




def open_rule_ends(page) -> list[float]:
    """Heights (PDF points from the top) where two or more vertical rules of the page end with
    no horizontal rule joining them, level with the page's first or last horizontal rule: the
    border of a merged cell cut off where the table is cut at the page's edge. As
    explicit horizontal lines they close those cells, so their words are read as cells."""
    vertical = [e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 3]
    horizontal = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 3]

    def joined(x: float, y: float) -> bool:
        return any(abs(e["top"] - y) <= 1.5 and e["x0"] - 1.5 <= x <= e["x1"] + 1.5 for e in horizontal)

    counts: dict[int, int] = {}
    for edge in vertical:
        for y in (edge["top"], edge["bottom"]):
            if not joined(edge["x0"], y):
                counts[round(y)] = counts.get(round(y), 0) + 1
    if not horizontal:
        return []
    top, bottom = min(e["top"] for e in horizontal), max(e["top"] for e in horizontal)
    return sorted(float(y) for y, n in counts.items() if n >= 2 and (y >= bottom - 2 or y <= top + 2))


def rejoin_split_words(words, x_tolerance: float) -> list[dict]:
    """pdfplumber words (extract_words(return_chars=True)) with the pieces of one printed word joined again. pdfplumber
    groups characters into lines by chaining their heights: in a row whose cells wrap onto lines at other heights
    (a two-line code cell beside a cell of three lines), the two lines of a cell are read as one and their
    characters interleaved left to right, each line cut into pieces ('1', '1', '0', '02', '6T0' …). A piece is joined
    to the word whose last character it follows on the same baseline (top within a tenth of the height), no
    further than `x_tolerance` to the right, as pdfplumber joins the characters of a word, when a piece of another
    line starts between them (what cut the word; a word cut at a blank stays cut)."""
    starts = sorted((w["chars"][0]["x0"], w["chars"][0]["top"]) for w in words if w.get("chars"))
    xs = [x for x, _ in starts]

    def cut_by_other_line(last: dict, first: dict, slack: float) -> bool:
        lo, hi = bisect.bisect_left(xs, last["x0"]), bisect.bisect_right(xs, first["x0"])
        return any(abs(top - first["top"]) > slack for _, top in starts[lo:hi])

    out: list[dict] = []
    by_height: dict[int, list[dict]] = {}   # words by the rounded top of their first character
    for word in sorted(words, key=lambda w: (w["x0"], w["top"])):
        chars = word.get("chars")
        if not chars or word.get("upright") is False:
            out.append(word)
            continue
        first = chars[0]
        slack = 0.1 * max(1.0, first["bottom"] - first["top"])
        host = None
        for key in (round(first["top"]) - 1, round(first["top"]), round(first["top"]) + 1):
            for other in by_height.get(key, ()):
                last = other["chars"][-1]
                if abs(last["top"] - first["top"]) <= slack and abs(last["bottom"] - first["bottom"]) <= slack \
                        and last["x0"] <= first["x0"] <= last["x1"] + x_tolerance and cut_by_other_line(last, first, slack):
                    host = other
                    break
            if host:
                break
        if host is None:
            word = dict(word)
            out.append(word)
            by_height.setdefault(round(first["top"]), []).append(word)
            continue
        host["chars"] = list(host["chars"]) + list(chars)
        host["text"] += word["text"]
        host["x1"] = max(host["x1"], word["x1"])
        host["bottom"] = max(host["bottom"], word["bottom"])
        host["top"] = min(host["top"], word["top"])
        if "width" in host:
            host["width"] = host["x1"] - host["x0"]
    return out
