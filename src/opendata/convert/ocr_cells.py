"""Cells of a ruled table read a second time by OCR: Tesseract reads a page as text lines (--psm 6), and a
header cell whose words are set on two or three lines (本年收入合 / 计, 附属单 / 位上 / 缴收入) loses some of
them among its neighbours' lines. The cells of the ruling grid that are taller than two text lines and hold
no number are cut out, and so are the cells with ink where the first reading found no word (a lone 类 or 项); they are
stacked one under the other on one sheet and read in one Tesseract call, each cell as
its own block; their words replace the page's first reading inside those cells, unless the second reading is unsure
and the first holds more characters read surely (`surely_read`: 合计 at 96% is not replaced by 童名 at 50%). A cell
still read unsurely is read once more scaled down (`surer_smaller`: Tesseract misreads glyphs set large), and so is a
line of large words outside the tables read unsurely, a title set large (`reread_large_lines`).
"""
from __future__ import annotations

import statistics

from .ocr import OcrWord, mostly_digits, read_stacked

TALL_LINES = 1.8     # a cell at least this many word heights tall may hold several lines
MAX_CELLS = 80       # at most this many cells of a page are read again
SURE = 80            # confidence of a character read surely (`surely_read`)
UNSURE = 60          # a cell's second reading with a lower mean confidence is unsure (`unsure`)
MIN_CELL = 20        # pixels: a narrower or lower space between rules is no cell (a double rule)
SMALL_HEIGHT = 20    # pixels: a cell read unsurely is read once more with its words scaled to about this height
LARGE_SHARE = 1.6    # words this many times the page's median height are large (a title); their lines are read again
LINE_HEIGHT = 24     # pixels: ... scaled so that their words are about this high


def grid_cells(rules: list[tuple]) -> list[tuple[int, int, int, int]]:
    """The cells (x0, top, x1, bottom, pixels) of the ruling grid: from each horizontal rule, between two vertical
    rules that start at it and stand next to each other, down to the next horizontal rule that closes the whole
    span (a cell merged over several rows of its neighbours is one cell)."""
    horizontal = [(at, a, b) for kind, at, a, b in rules if kind == "h"]
    verticals = [(at, a, b) for kind, at, a, b in rules if kind == "v"]
    levels = sorted({round(at) for at, a, b in horizontal})

    def closes(y: float, x0: float, x1: float) -> bool:
        return any(abs(at - y) <= 3 and a <= x0 + 6 and b >= x1 - 6 for at, a, b in horizontal)

    cells = []
    for top in levels:
        xs = sorted({round(at) for at, a, b in verticals if a <= top + 4 and b >= top + 8})
        for x0, x1 in zip(xs, xs[1:]):
            if x1 - x0 <= MIN_CELL or not closes(top, x0, x1):
                continue
            bottom = next((y for y in levels if y > top + MIN_CELL and closes(y, x0, x1)), None)
            if bottom is not None:
                cells.append((x0, top, x1, bottom))
    return cells


def inked(image, cell, height: float) -> bool:
    """True when the cell (rules whitened) holds ink enough for a character: a word the first reading missed
    (a lone 类 or 项 in a header cell)."""
    import numpy as np

    x0, top, x1, bottom = cell
    ink = np.asarray(image.crop((x0 + 6, top + 6, x1 - 6, bottom - 6))) < 128
    return int(ink.sum()) >= max(20, int(height * height * 0.08))


def reread_tall_cells(image, words: list[OcrWord], rules: list[tuple]) -> list[OcrWord]:
    """`words` with the words inside tall cells without numbers replaced by those cells read on their own."""
    if not words:
        return words
    height = statistics.median(w.box[3] - w.box[1] for w in words)

    def inside(word: OcrWord, cell) -> bool:
        cx, cy = (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2
        return cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]

    chosen = []
    for cell in grid_cells(rules):
        mine = [w for w in words if inside(w, cell)]
        if any(mostly_digits(w.text) for w in mine):
            continue
        if (mine and cell[3] - cell[1] >= height * TALL_LINES) or (not mine and inked(image, cell, height)):
            chosen.append(cell)
    chosen = chosen[:MAX_CELLS]
    if not chosen:
        return words
    boxes = [(x0 + 4, top + 4, x1 - 4, bottom - 4) for x0, top, x1, bottom in chosen]
    again = read_stacked(image, boxes, max(40, int(height * 2)))
    again = surer_smaller(image, boxes, again, height)
    out = [w for w in words if not any(inside(w, cell) for cell in chosen)]
    for cell, found in zip(chosen, again):
        first = [w for w in words if inside(w, cell)]
        if unsure(found) and surely_read(first) > surely_read(found):   # the first reading's sure words (the rest: fragments)
            out.extend(apart([w for w in first if w.confidence >= SURE and not any(w is v for v in out)]))
        else:
            out.extend(found)
    return out


def surer_smaller(image, boxes: list[tuple[int, int, int, int]], found: list[list[OcrWord]], height: float) -> list[list[OcrWord]]:
    """`found` (the words read in each box) with the boxes read unsurely (`unsure`, or no word) read once more with
    the page scaled so that its words are SMALL_HEIGHT pixels high (Tesseract misreads large glyphs: 合计 set
    45 pixels high read as 冰呈 at 0 %, read right at half the size); a box's words are replaced where that reading
    is sure and surer. Pages whose words are no higher than SMALL_HEIGHT / 0.8 are left as read."""
    from PIL import Image

    scale = SMALL_HEIGHT / height if height else 1.0
    doubtful = [n for n, words in enumerate(found) if unsure(words) or not words]
    if scale > 0.8 or not doubtful:
        return found
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.LANCZOS)
    shrunk = [tuple(round(v * scale) for v in boxes[n]) for n in doubtful]
    out = list(found)
    for n, words in zip(doubtful, read_stacked(small, shrunk, max(20, int(SMALL_HEIGHT * 2)))):
        mean = sum(w.confidence for w in words) / len(words) if words else 0.0
        before = sum(w.confidence for w in found[n]) / len(found[n]) if found[n] else 0.0
        if words and not unsure(words) and mean > before:
            out[n] = [OcrWord(w.text, tuple(round(v / scale) for v in w.box), w.confidence, w.line) for w in words]
    return out


def unsure(words: list[OcrWord]) -> bool:
    """True when a cell's second reading is unsure: its words' mean confidence is below UNSURE."""
    return bool(words) and sum(w.confidence for w in words) / len(words) < UNSURE


def surely_read(words: list[OcrWord]) -> int:
    """The characters of `words` read with confidence SURE or more: the reading of a cell with more of them is kept (a
    second reading of 合计 as 童名 at 50% does not replace the first at 96%)."""
    return sum(len(w.text) for w in words if w.confidence >= SURE)


def apart(words: list[OcrWord]) -> list[OcrWord]:
    """`words` without those lying for the most part over a surer one that shares a character with them (the same
    characters read twice, on two text lines of the first reading: 公共 over 公)."""
    kept: list[OcrWord] = []
    for word in sorted(words, key=lambda w: -w.confidence):
        if not any(over(word.box, k.box) and set(word.text) & set(k.text) for k in kept):
            kept.append(word)
    return sorted(kept, key=lambda w: (w.box[1], w.box[0]))


def over(a, b) -> bool:
    """True when one of boxes a and b (left, top, right, bottom) lies for more than half its width over the other,
    on rows they share."""
    across = min(a[2], b[2]) - max(a[0], b[0])
    return across * 2 > min(a[2] - a[0], b[2] - b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def reread_large_lines(image, words: list[OcrWord], rules: list[tuple] = ()) -> list[OcrWord]:
    """`words` with each line of three or more large words (LARGE_SHARE times the page's median word height or more,
    not below SMALL_HEIGHT / 0.8 pixels: a title set large, 一般公共预算支出情况表 read as :役公共预算支出情二、外况表),
    where a word was read with less than UNSURE confidence, read again as one line (--psm 7; with the words beside it
    on its line) scaled so that its words are LINE_HEIGHT pixels high; the line's words are replaced when that reading
    is sure and surer. A line crossed by a vertical rule of `rules` (a table row) or holding an amount (a point or
    comma in a number) is left as read."""
    from PIL import Image

    from .ocr import read_words

    if not words:
        return words
    height = statistics.median(w.box[3] - w.box[1] for w in words)
    large = [w for w in words if w.box[3] - w.box[1] >= max(height * LARGE_SHARE, SMALL_HEIGHT / 0.8)]
    out = list(words)
    for n, (x0, top, x1, bottom) in enumerate(large_lines(words, large)):
        mine = [w for w in out if x0 <= (w.box[0] + w.box[2]) / 2 <= x1 and top <= (w.box[1] + w.box[3]) / 2 <= bottom]
        middle = (top + bottom) / 2
        if (sum(w in large for w in mine) < 3 or all(w.confidence >= UNSURE for w in mine)
                or any(kind == "v" and a <= middle <= b for kind, at, a, b in rules)
                or any(mostly_digits(w.text) and any(c in w.text for c in ".,") for w in mine)):
            continue
        size = statistics.median(w.box[3] - w.box[1] for w in mine if w in large)
        scale, pad = LINE_HEIGHT / size, int(size * 0.4)
        box = (max(0, x0 - pad), max(0, top - pad), min(image.width, x1 + pad), min(image.height, bottom + pad))
        crop = image.crop(box)
        crop = crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))), Image.LANCZOS)
        again = [OcrWord(w.text, (max(x0, box[0] + round(w.box[0] / scale)), box[1] + round(w.box[1] / scale),
                                  min(x1, box[0] + round(w.box[2] / scale)), box[1] + round(w.box[3] / scale)),
                         w.confidence, ("large", n, *w.line)) for w in read_words(crop, psm=7)]
        mean = sum(w.confidence for w in again) / len(again) if again else 0.0
        if again and not unsure(again) and mean > sum(w.confidence for w in mine) / len(mine):
            out = [w for w in out if not any(w is m for m in mine)] + in_order(again)
    return out


def large_lines(words: list[OcrWord], large: list[OcrWord]) -> list[list[int]]:
    """The boxes [x0, top, x1, bottom] of the lines of `large` words (those overlapping in height are one line),
    widened to the words beside them on their line (a word's middle inside the line's height, no farther than the
    line's height from it)."""
    bands: list[list[int]] = []
    for w in sorted(large, key=lambda w: w.box[1]):
        band = next((b for b in bands if w.box[1] < b[3] and w.box[3] > b[1]), None)
        if band is None:
            bands.append(list(w.box))
        else:
            band[:] = [min(band[0], w.box[0]), min(band[1], w.box[1]), max(band[2], w.box[2]), max(band[3], w.box[3])]
    for band in bands:
        grew = True
        while grew:
            grew = False
            for w in words:
                beside = band[1] <= (w.box[1] + w.box[3]) / 2 <= band[3] and (w.box[0] < band[0] or w.box[2] > band[2])
                if beside and max(w.box[0] - band[2], band[0] - w.box[2]) <= band[3] - band[1]:
                    band[0], band[2], grew = min(band[0], w.box[0]), max(band[2], w.box[2]), True
    return bands


def in_order(words: list[OcrWord]) -> list[OcrWord]:
    """The words of one line, in reading order, with their boxes cut so that none reaches over the next (Tesseract
    boxes a word of a line read alone over its neighbours: 财政 over 拨款), so that the characters spread over
    them keep their order."""
    out: list[OcrWord] = []
    for n, w in enumerate(words):
        x0 = max(w.box[0], out[-1].box[2] if out else w.box[0])
        following = words[n + 1].box[0] if n + 1 < len(words) else w.box[2]
        x1 = max(x0 + 1, min(w.box[2], following) if following > x0 else w.box[2])
        out.append(OcrWord(w.text, (x0, w.box[1], x1, w.box[3]), w.confidence, w.line))
    return out
