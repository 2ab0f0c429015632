"""OCR of image-only PDF pages: the page rasterised (pypdfium2), its ruling lines found in the image and
whitened, the rest read by Tesseract (Debian's `tesseract-ocr` with `tesseract-ocr-chi-sim`, called as a
program with TSV output: words with their boxes and confidences). Nothing is downloaded at run time.

`ocr_pages` reads several pages in parallel (threads: each page is one `tesseract` process); the number
of pages at a time is `ocr_jobs()` (env OPENDATA_OCR_JOBS, set from `opendata convert --jobs`; else one
per CPU). The page is read as one block of text lines (--psm 6), the tall cells of ruled tables again
one by one and lines of large words read unsurely again alone (ocr_cells.py); the
words that are mostly digits are then read a second time as digits only (`recheck_numbers`), and a number
the two readings disagree on gets a low confidence, so that it is reported.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConversionError

ENGINE = "tesseract"
LANGUAGES = "chi_sim"
DPI = 300
DIGIT_LANGUAGES = "eng"        # the second reading of numbers (digits only)
DISAGREE_CONFIDENCE = 50       # the confidence of a number the two readings disagree on, at most
DIGITS = "0123456789.,-()%"
RULE_INCHES = 0.35      # a ruling line is at least this long
DARK = 160              # grey below this is ink
RULE_DARK = 224         # ... or, on a page with no ruled table in DARK ink, a rule's (hairline rules rasterise light grey;
                        # not first: the light grey edges of a large title's strokes join into short "rules")
MIN_RULES = 2           # a ruled table has at least this many horizontal and vertical rules
BRIDGE_INCHES = 0.02    # breaks shorter than this in a scanned rule are bridged
NUMBER_WORD = re.compile(r"[-(]?[\d.,]*\d[\d.,]*[)%]?")


@dataclass
class OcrWord:
    """One word as Tesseract read it: text, box in pixels (left, top, right, bottom), confidence 0–100,
    and Tesseract's block / paragraph / line numbers (words of one printed line share them)."""
    text: str
    box: tuple[int, int, int, int]
    confidence: float
    line: tuple[int, int, int]


@dataclass
class OcrPage:
    """One page read by OCR: its words, ruling lines (pixels: ("h", y, x0, x1) / ("v", x, y0, y1)),
    the image size in pixels and the dpi (pixels per inch; PDF points are 1/72 inch)."""
    number: int
    width: int
    height: int
    dpi: int
    words: list[OcrWord] = field(default_factory=list)
    rules: list[tuple] = field(default_factory=list)


def available() -> bool:
    """True when the `tesseract` program is installed."""
    return shutil.which("tesseract") is not None


def engine_version() -> str:
    """Tesseract's version ('5.3.0'), or '' when it is not installed."""
    try:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    first = (out.stdout or out.stderr).splitlines()[:1]
    return first[0].split()[-1] if first else ""


def missing_languages() -> list[str]:
    """The languages of LANGUAGES that Tesseract has no model for."""
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return LANGUAGES.split("+")
    have = set(out.stdout.split())
    return [lang for lang in LANGUAGES.split("+") if lang not in have]


def ocr_jobs() -> int:
    """How many pages are read at a time: OPENDATA_OCR_JOBS when set (> 0), else one per CPU."""
    try:
        jobs = int(os.environ.get("OPENDATA_OCR_JOBS", "0"))
    except ValueError:
        jobs = 0
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def check_engine(path: Path) -> None:
    """ConversionError (naming `path`) when Tesseract or its Chinese model is not installed."""
    if not available():
        raise ConversionError(f"{path}: the PDF has no text layer (scanned pages) and OCR needs Tesseract, which is not installed "
                              "(apt-get install tesseract-ocr tesseract-ocr-chi-sim); PDF无文字层（扫描件），未安装文字识别引擎")
    missing = missing_languages()
    if missing:
        raise ConversionError(f"{path}: the PDF has no text layer (scanned pages) and Tesseract has no model for {', '.join(missing)} "
                              "(apt-get install tesseract-ocr-chi-sim); PDF无文字层（扫描件），缺少中文识别模型")


def rasterise(path: Path, index: int, dpi: int = DPI):
    """Page `index` (0-based) of the PDF at `path` as a greyscale PIL image at `dpi`."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        page = document[index]
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_pil().convert("L")
        page.close()
    finally:
        document.close()
    return image


def mostly_digits(text: str) -> bool:
    """True for a word of which at least half the characters are digits (了410,886.00, 9%9: an amount or code
    with a character misread)."""
    return sum(c.isdigit() for c in text) * 2 >= len(text) > 0


def run_tesseract(image, psm: int, extra: list[str] | None = None, languages: str = LANGUAGES) -> str:
    """Tesseract's TSV output for a PIL image (one thread per process: pages run in parallel instead)."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="opendata-ocr-") as folder:
        file = Path(folder) / "page.png"
        image.save(file, dpi=(300, 300))
        command = ["tesseract", str(file), "stdout", "-l", languages, "--psm", str(psm), *(extra or []), "tsv"]
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
        except (OSError, subprocess.SubprocessError) as error:
            raise ConversionError(f"tesseract failed: {error}") from error
    if out.returncode != 0:
        raise ConversionError(f"tesseract failed (exit {out.returncode}): {out.stderr.strip()[:200]}")
    return out.stdout


def read_words(image, psm: int = 6, extra: list[str] | None = None, offset: tuple[int, int] = (0, 0),
               languages: str = LANGUAGES) -> list[OcrWord]:
    """The words Tesseract reads in a PIL image, boxes moved by `offset` (the crop's corner)."""
    words = []
    for row in run_tesseract(image, psm, extra, languages).splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        left, top = left + offset[0], top + offset[1]
        words.append(OcrWord(text=cols[11].strip(), box=(left, top, left + width, top + height),
                             confidence=float(cols[10]), line=(int(cols[2]), int(cols[3]), int(cols[4]))))
    return words


MAX_SHEET = 30000     # pixels: Tesseract reads images up to 32767 high; crops are stacked on sheets below this


def read_stacked(image, boxes: list[tuple[int, int, int, int]], gap: int, psm: int = 6, extra: list[str] | None = None,
                 languages: str = LANGUAGES) -> list[list[OcrWord]]:
    """The words in each box (left, top, right, bottom) of a PIL image, the boxes cut out and stacked one under
    the other (`gap` pixels apart) on as few sheets as Tesseract takes, each sheet read in one call; the words'
    boxes in page pixels, per box, left to right and top to bottom."""
    from PIL import Image

    found: list[list[OcrWord]] = [[] for _ in boxes]
    crops = [(n, image.crop(box)) for n, box in enumerate(boxes) if box[2] > box[0] and box[3] > box[1]]
    while crops:
        batch, y = [], 20
        while crops and (not batch or y + crops[0][1].height + 20 < MAX_SHEET):
            n, crop = crops.pop(0)
            batch.append((n, crop, y))
            y += crop.height + gap
        sheet = Image.new("L", (max(c.width for _, c, _ in batch) + 40, y + 20), 255)
        for _, crop, top in batch:
            sheet.paste(crop, (20, top))
        words = read_words(sheet, psm=psm, extra=extra, languages=languages)
        for n, crop, top in batch:
            dx, dy = boxes[n][0] - 20, boxes[n][1] - top
            for w in words:
                if top <= (w.box[1] + w.box[3]) / 2 <= top + crop.height:
                    found[n].append(OcrWord(w.text, (w.box[0] + dx, w.box[1] + dy, w.box[2] + dx, w.box[3] + dy),
                                            w.confidence, ("sheet", n, *w.line)))
    return found


def recheck_numbers(image, words: list[OcrWord]) -> list[OcrWord]:
    """The words that are mostly digits read a second time, their crops stacked (`read_stacked`) and read as lines
    of digits (the `eng` model, DIGITS whitelist). Where both readings agree the word keeps the higher confidence;
    where they differ the surer reading is kept with a confidence of at most DISAGREE_CONFIDENCE, so that it is
    reported. Parts of one number read as several words (1 | 97725418) are read again as one."""
    words = joined_digit_words(words)
    chosen = [n for n, w in enumerate(words) if mostly_digits(w.text)]
    boxes = []
    for n in chosen:
        x0, top, x1, bottom = words[n].box
        pad = max(4, (bottom - top) // 4)
        boxes.append((max(0, x0 - pad), max(0, top - pad), min(image.width, x1 + pad), min(image.height, bottom + pad)))
    gap = max([20] + [b[3] - b[1] for b in boxes])
    again = read_stacked(image, boxes, gap, extra=["-c", f"tessedit_char_whitelist={DIGITS}"], languages=DIGIT_LANGUAGES)
    out = list(words)
    disputed = []
    for n, box, mine in zip(chosen, boxes, again):
        if not mine:
            continue
        text, confidence = joined_reading(mine)
        word = words[n]
        if same_digits(text, word.text):
            out[n] = OcrWord(word.text, word.box, max(confidence, word.confidence), word.line)
        elif NUMBER_WORD.fullmatch(text) and abs(digit_count(text) - digit_count(word.text)) <= 1:   # not a crop that caught its neighbours
            best, surest = (text, confidence) if confidence > word.confidence or not NUMBER_WORD.fullmatch(word.text) else (word.text, word.confidence)
            out[n] = OcrWord(best, word.box, min(surest, DISAGREE_CONFIDENCE), word.line)
            disputed.append((n, box, text))
    if disputed:   # a third reading (the Chinese model, digits only) decides between the two; still reported
        third = read_stacked(image, [box for _, box, _ in disputed], gap, extra=["-c", f"tessedit_char_whitelist={DIGITS}"])
        for (n, _, second), mine in zip(disputed, third):
            text = joined_reading(mine)[0] if mine else ""
            for candidate in (words[n].text, second):
                if text and same_digits(text, candidate):
                    out[n] = OcrWord(candidate, words[n].box, out[n].confidence, words[n].line)
                    break
    return out


DIGIT_GAP = 0.6     # words of digits on one line closer than this share of their height are parts of one number


def joined_digit_words(words: list[OcrWord]) -> list[OcrWord]:
    """`words` with the words of digits of one Tesseract line that stand closer than DIGIT_GAP of their height
    joined into one (their lowest confidence)."""
    out: list[OcrWord] = []
    for word in words:
        last = out[-1] if out else None
        if (last is not None and last.line == word.line and mostly_digits(last.text) and mostly_digits(word.text)
                and 0 <= word.box[0] - last.box[2] < DIGIT_GAP * max(1, word.box[3] - word.box[1])):
            box = (last.box[0], min(last.box[1], word.box[1]), word.box[2], max(last.box[3], word.box[3]))
            out[-1] = OcrWord(last.text + word.text, box, min(last.confidence, word.confidence), last.line)
        else:
            out.append(word)
    return out


def digit_count(text: str) -> int:
    """How many digits `text` holds."""
    return sum(c.isdigit() for c in text)


def joined_reading(words: list[OcrWord]) -> tuple[str, float]:
    """The text of the words read in one crop, left to right, and their lowest confidence."""
    words = sorted(words, key=lambda w: w.box[0])
    return "".join(w.text for w in words), min(w.confidence for w in words)


def same_digits(a: str, b: str) -> bool:
    """True when two readings of a number agree but for thousands commas."""
    return a.replace(",", "") == b.replace(",", "")


# -- ruling lines in the image ------------------------------------------------------

def find_rules(image, dpi: int) -> list[tuple]:
    """The ruling lines of a greyscale PIL image: ("h", y, x0, x1) and ("v", x, y0, y1), in pixels: runs of pixels
    darker than DARK, else (no ruled table found so) than RULE_DARK."""
    import numpy as np

    grey = np.asarray(image)
    least = int(dpi * RULE_INCHES)
    bridge = max(1, int(dpi * BRIDGE_INCHES))
    for dark in (DARK, RULE_DARK):   # hairline rules rasterise light grey: looked for when no dark ones are found
        ink = grey < dark
        rules = [("h", *r) for r in _rules(ink, least, bridge)] + [("v", *r) for r in _rules(ink.T, least, bridge)]
        if sum(kind == "h" for kind, *_ in rules) >= MIN_RULES and sum(kind == "v" for kind, *_ in rules) >= MIN_RULES:
            break
    return rules + edge_rules(rules, grey.shape[1], grey.shape[0], bridge)


def edge_rules(rules: list[tuple], width: int, height: int, reach: int) -> list[tuple]:
    """The borders of a table cut by the image's edge (a table printed to the page's edge, its outer border
    off the page): where MIN_RULES or more horizontal rules run to within `reach` pixels of the left (right)
    edge and no vertical rule stands that near it, a vertical rule on that edge from the first of them to the
    last; likewise the top and bottom edges for vertical rules. Rules as `find_rules` gives them."""
    added = []
    for kind, across, size in (("h", "v", width), ("v", "h", height)):
        runs = [(at, a, b) for k, at, a, b in rules if k == kind]
        for edge, touches in ((0, lambda a, b: a <= reach), (size - 1, lambda a, b: b >= size - 1 - reach)):
            touching = [at for at, a, b in runs if touches(a, b)]
            standing = any(k == across and abs(at - edge) <= reach for k, at, _, _ in rules)
            if len(touching) >= MIN_RULES and not standing:
                added.append((across, float(edge), int(min(touching)), int(max(touching))))
    return added


def _rules(ink, least: int, bridge: int) -> list[tuple[float, int, int]]:
    """Horizontal rules of a boolean ink array: (middle row, first column, last column)."""
    import numpy as np

    runs: list[list] = []     # open rules: [first row, last row, x0, x1]
    done = []
    candidate_rows = np.nonzero(ink.sum(axis=1) >= least)[0]
    for y in candidate_rows:
        row = ink[y]
        edges = np.diff(np.concatenate(([0], row.view(np.int8), [0])))
        starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
        merged: list[list[int]] = []
        for s, e in zip(starts, ends):
            if merged and s - merged[-1][1] <= bridge:
                merged[-1][1] = e
            else:
                merged.append([s, e])
        for s, e in merged:
            if e - s < least:
                continue
            for run in runs:
                if run[1] >= y - 1 and min(run[3], e) - max(run[2], s) > (e - s) * 0.5:
                    run[1], run[2], run[3] = y, min(run[2], s), max(run[3], e)
                    break
            else:
                runs.append([y, y, s, e])
        still = []
        for run in runs:
            (still if run[1] >= y - 1 else done).append(run)
        runs = still
    done.extend(runs)
    thick = [r for r in done if r[1] - r[0] < least / 3]   # a filled block is no rule
    return [((a + b) / 2, x0, x1) for a, b, x0, x1 in thick]


def whiten_rules(image, rules: list[tuple]):
    """A copy of the PIL image with the ruling lines painted white."""
    from PIL import ImageDraw

    clean = image.copy()
    draw = ImageDraw.Draw(clean)
    for kind, at, a, b in rules:
        pad = 3
        if kind == "h":
            draw.rectangle((a, at - pad, b, at + pad), fill=255)
        else:
            draw.rectangle((at - pad, a, at + pad, b), fill=255)
    return clean
