"""PDF disclosures with a text layer (pdfplumber / pdfminer.six).

The page is rebuilt from word positions, never from a flattened text dump:

- words are grouped into printed lines by their vertical extent (a number printed a little lower than the
  label beside it is on the same line);
- ruled tables (cell borders drawn as lines or thin rectangles) are cut into cells by their borders: merged
  header cells come out once, at their top-left position, with the words of every line inside the cell
  joined (multi-line header cells stay one cell, wrapped row labels stay one label);
- tables without rules are cut into cells by the gaps between words and by the column boundaries of their
  header (a right-aligned number belongs to the header column its right edge falls under);
- every table row becomes one tab-separated line with its page number, so that the shared text pipeline
  (segment.py finds tables by their titles, tables.py builds them, a table continued on the next page is
  one table) reads it; all other lines are the narrative.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Disclosure
from .errors import ConversionError, Warnings
from .limits import Limits, check_page_count, check_page_streams
from .pdf_cells import AMOUNT_TOKEN, group_lines, inside, join_lines, join_words, joiner, open_rule_ends, rejoin_split_words, ruled_rows, visible_page
from .pdf_page import normalise_media_box, readable_page
from .source import Line, describe_source



def convert_pdf(path: Path, warnings: Warnings, limits: Limits | None = None) -> Disclosure:
    """A PDF with a text layer -> Disclosure: pages as numbered lines (`pdf_lines`) read by `text.convert_lines`. Raises
    ConversionError for an unreadable PDF, one over `limits` or a cut text; the rest (a unit name, year or stage not printed too) -> `warnings`."""
    from .text import convert_lines

    data = path.read_bytes()
    hidden: dict[int, int] = {}
    ocr: dict = {}
    lines, pages = pdf_lines(path, data, limits, hidden, ocr)
    if hidden:
        pages_listed = ", ".join(str(n) for n in sorted(hidden)[:10]) + (" …" if len(hidden) > 10 else "")
        warnings.add(f"{sum(hidden.values())} character(s) drawn outside the visible page (clipped, not printed) "
                     f"were not read, on page(s) {pages_listed}", page=min(hidden))
    source = describe_source(path, data, "pdf")
    try:
        disclosure = convert_lines(lines, source, warnings)
    except ConversionError as error:
        if ocr.get("pages"):   # a refused scan says that it was read by OCR
            raise ConversionError(f"{error} (the PDF has no text layer: {len(ocr['pages'])} scanned page(s) were read by OCR; "
                                  f"PDF无文字层，已进行文字识别)") from error
        raise
    if ocr:
        from .ocr_check import record_ocr
        record_ocr(disclosure, ocr, warnings)
    return disclosure


# -- opening -------------------------------------------------------------------

def open_pdf(path: Path, data: bytes, limits: Limits | None = None):
    """The pdfplumber document; a ConversionError for what is not a readable PDF or has more
    pages than `limits.max_pages` (the declared page count is checked before the page tree is read)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    if not data.strip():
        raise ConversionError(f"{path}: the file is empty")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ConversionError(f"{path}: not a PDF file (no %PDF header); 文件不是PDF或已损坏")
    limits = limits or Limits.from_env()
    try:
        pdf = pdfplumber.open(path)
        check_page_count(path, pdf, limits)
    except ConversionError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise ConversionError(f"{path}: the PDF is encrypted (password protected) and cannot be read; PDF已加密，无法读取 ({type(error).__name__})") from error
    except (PDFSyntaxError, PSException) as error:
        raise ConversionError(f"{path}: corrupt or truncated PDF ({error}); PDF文件已损坏") from error
    except Exception as error:  # pdfminer raises many kinds of errors on broken files
        if "password" in str(error).lower() or "encrypt" in str(error).lower():
            raise ConversionError(f"{path}: the PDF is encrypted (password protected) and cannot be read; PDF已加密，无法读取") from error
        raise ConversionError(f"{path}: corrupt PDF, cannot be read ({type(error).__name__}: {error}); PDF文件已损坏") from error
    return pdf


def pdf_lines(path: Path, data: bytes, limits: Limits | None = None, hidden: dict | None = None,
              ocr: dict | None = None) -> tuple[list[Line], int]:
    """The document as numbered lines with page numbers; table rows as tab-separated cells.
    Each page's streams are checked against `limits` before they are decoded. Characters drawn
    outside a page's box are not read; `hidden` (when given) gets page number -> their count.
    Pages with images and no text are read by OCR (ocr.py, in parallel); `ocr` (when given) gets what
    was read so (pages, amounts with their confidences, dpi); without it such pages are left unread."""
    limits = limits or Limits.from_env()
    pdf = open_pdf(path, data, limits)
    sizes: dict = {}
    lines: list[Line] = []
    chars = images = 0
    state: dict = {}   # what a table continued on the next page needs from the page before
    read: dict = {}
    try:
        if ocr is not None:
            from .ocr_check import read_scanned_pages
            read = read_scanned_pages(path, pdf, limits, sizes, ocr)
        for number, page in enumerate(pdf.pages, 1):
            try:
                check_page_streams(path, number, page.page_obj, limits, sizes)
                normalise_media_box(page)                   # [0 595 842 0] is the page [0 0 842 595]
                images += len(page.images)
                if number in read:
                    from .ocr_words import corrected_line, ocr_page_objects
                    page, amounts = ocr_page_objects(page, read[number])
                    ocr.setdefault("amounts", []).extend(amounts)
                if not page.chars:
                    continue
                page, off_page = visible_page(page)         # text drawn off the page is clipped, not printed
                if off_page and hidden is not None:
                    hidden[number] = off_page
                page = readable_page(page, path, number)   # snapped, overprinting read once, Unicode checked
                chars += len(page.chars)
                for text in page_text_lines(page, state):
                    if number in read:
                        text = corrected_line(text)
                    lines.append(Line(no=len(lines) + 1, text=text, page=number))
            except ConversionError:
                raise
            except Exception as error:
                raise ConversionError(f"{path}: page {number} cannot be read ({type(error).__name__}: {error}); PDF文件已损坏") from error
        page_count = len(pdf.pages)
    finally:
        pdf.close()
    lines = without_running_headers(lines)
    if chars == 0 and read:
        raise ConversionError(f"{path}: the PDF has no text layer and OCR read no text on its {len(read)} scanned page(s); "
                              "PDF无文字层，文字识别未读出文字")
    if chars == 0:
        what = "scanned pages (images only)" if images else "no text"
        raise ConversionError(f"{path}: the PDF has no text layer ({what}); it would need OCR first. PDF无文字层（扫描件），请先进行文字识别")
    return lines, page_count


RUNNING_HEADER_SHARE = 0.5   # a line printed first on at least half the pages (and 3 or more) is a running header


def without_running_headers(lines: list[Line]) -> list[Line]:
    """`lines` (numbered, with pages) without the repeats of a running page header: a line that is not a table row
    (no tab) and is printed as the first line of at least RUNNING_HEADER_SHARE of the pages with text, three or
    more (苏州市交通运输局2026年度部门预算公开 over every page), is kept on the first page that prints it and left out
    as the first line of the others, where it would fall between the rows of a table continued from the page before.
    A table title repeated over the pages of its table (公开表2) is printed on fewer pages and stays. Lines are
    renumbered 1.. in order."""
    first: dict[int, Line] = {}
    for line in lines:
        first.setdefault(line.page, line)
    counts: dict[str, int] = {}
    for line in first.values():
        counts[line.text] = counts.get(line.text, 0) + 1
    running = {t for t, n in counts.items() if n >= max(3, len(first) * RUNNING_HEADER_SHARE) and "\t" not in t and t.strip()}
    if not running:
        return lines
    seen: set[str] = set()
    kept = []
    for line in lines:
        if line.text in running and first[line.page] is line:
            if line.text in seen:
                continue
            seen.add(line.text)
        kept.append(line)
    return [Line(no=n, text=line.text, page=line.page) for n, line in enumerate(kept, 1)]


# -- one page --------------------------------------------------------------------

def page_text_lines(page, state: dict | None = None) -> list[str]:
    """The printed lines of a page, top to bottom; ruled tables' rows as tab-joined cells."""
    words = page.extract_words(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False, use_text_flow=False,
                               return_chars=True)
    words = rejoin_split_words(words, x_tolerance=1.5)
    tables = []
    try:
        found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines",
                                  "explicit_horizontal_lines": open_rule_ends(page)})
    except Exception:
        found = []
    for table in found:
        if len(table.rows) >= 1 and max((len(r.cells) for r in table.rows), default=0) >= 2:
            tables.append(table)
    blocks: list[tuple[float, list[str]]] = []   # (top, lines)
    free = []
    for word in words:
        cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        if not any(inside(t.bbox, cx, cy) for t in tables):
            free.append(word)
    for table in tables:
        blocks.append((table.bbox[1], ruled_rows(table, words, state if state is not None else {})))
    unruled = [line for line in group_lines(free) if not is_page_number(line, page.height)]
    for line_words in unruled:
        blocks.append((min(w["top"] for w in line_words), [join_words(line_words)]))
    blocks.sort(key=lambda b: b[0])
    texts = [text for _, block in blocks for text in block]
    if tables:
        state = state if state is not None else {}
        state.pop("gap_leaves", None)
        return texts
    return split_unruled(unruled, state if state is not None else {})


# -- tables without rules ----------------------------------------------------------

PAGE_NUMBER = re.compile(r"^[-—–~\s]*(第\s*)?\d{1,4}\s*页?(\s*[/／共]\s*\d{1,4}\s*页?)?[-—–~\s]*$")
DASHED_READ = re.compile(r"^\s*[-—–~=一]+\s*\d{1,4}\s*[-—–~=一]+\s*$")   # - 18 - with its dashes read as 一 or = by OCR


def is_page_number(line_words, page_height: float) -> bool:
    """A lone page number (- 3 -, 第3页, 3/20; 一18 一 or = 3-=, its dashes read by OCR) in the top or bottom margin. Words closer than half a character
    are one (a producer's space character laid over the digits cuts 11 into the words 1 and 1)."""
    top = min(w["top"] for w in line_words)
    bottom = max(w["bottom"] for w in line_words)
    if not (top > page_height * 0.88 or bottom < page_height * 0.08):
        return False
    text = ""
    for before, word in zip([None, *line_words], line_words):
        close = before is not None and word["x0"] - before["x1"] < (word["bottom"] - word["top"]) * 0.5
        text += ("" if close or before is None else " ") + word["text"]
    return bool(PAGE_NUMBER.match(text) or DASHED_READ.match(text))


def is_number_chunk(text: str) -> bool:
    """True when a chunk (spaces removed) is a printed number: minus or brackets, thousands commas, decimals, %."""
    return bool(AMOUNT_TOKEN.match(text.replace(" ", "")))


def line_height(words) -> float:
    """The vertical extent of a line's words, in PDF points, at least 4."""
    return max(4.0, max(w["bottom"] for w in words) - min(w["top"] for w in words))


PROSE_AMOUNT = re.compile(r"\d\s*(亿元|万元|元)\s*[，,；;。]")   # 6032.55 万元，比…: an amount told in a sentence


def is_data_line(chunks, text: str) -> bool:
    """True for a data line: two or more (x0, x1, text) chunks (`chunk_line`), one a number, no 。 in `text`
    and no amount followed by its unit and a comma (6032.55 万元，比 2016 年增加…: a justified sentence)."""
    return len(chunks) >= 2 and any(is_number_chunk(c[2]) for c in chunks) and "。" not in text and not PROSE_AMOUNT.search(text)


def is_short_line(chunks, text: str) -> bool:
    """Header lines and wrapped parts of labels: short pieces, no amount, no sentence,
    not a table title, a unit line or a field such as 单位名称："""
    from .recognise import match_title
    from .segment import META_LINE, is_unit_line

    if not chunks or any(is_number_chunk(c[2]) for c in chunks) or any(len(c[2]) > 24 for c in chunks):
        return False
    if "。" in text or "；" in text or is_unit_line(text) or META_LINE.search(text) or match_title(text):
        return False
    return True


def split_unruled(lines: list[list[dict]], state: dict) -> list[str]:
    """On pages without ruled tables, a table is a run of lines with amounts (data lines),
    the short lines between them (wrapped labels) and the short lines right above them (the
    header). Columns come from the header (see gap_table); a table continued on the next
    page without its header keeps the columns of the page before."""
    chunked = [chunk_line(line) for line in lines]
    texts = [join_words(line) for line in lines]
    data = [is_data_line(c, t) for c, t in zip(chunked, texts)]
    short = [is_short_line(c, t) for c, t in zip(chunked, texts)]
    out: list[str] = []
    i = done = 0
    while i < len(lines):
        if not data[i]:
            i += 1
            continue
        start = end = i
        j = i + 1
        while j < len(lines):
            if data[j]:
                end = j
                j += 1
                continue
            k = j
            while k < len(lines) and short[k] and not data[k] and k - j < 3:
                k += 1
            if k < len(lines) and data[k] and k > j:
                j = k
                continue
            break
        # a wrapped label's last part right under the last row
        height = line_height(lines[end])
        while end + 1 < len(lines) and short[end + 1] and min(w["top"] for w in lines[end + 1]) - max(w["bottom"] for w in lines[end]) < height * 0.5:
            end += 1
        # header lines right above the first data line
        head = start
        while head - 1 >= done and short[head - 1] and start - head < 6:
            gap = min(w["top"] for w in lines[head]) - max(w["bottom"] for w in lines[head - 1])
            if gap > line_height(lines[head - 1]) * 2.5:
                break
            head -= 1
        # lines before the table that are not its header stay narrative lines
        out.extend(texts[done:head])
        inherited = state.get("gap_leaves") if head == start and done == 0 else None
        out.extend(gap_table(lines[head:start], lines[start:end + 1], chunked[start:end + 1], data[start:end + 1], state, inherited))
        done = i = end + 1
    if texts[done:]:
        state.pop("gap_leaves", None)   # the page goes on after its last table: nothing continues
    out.extend(texts[done:])
    return out


def chunk_line(words) -> list[tuple[float, float, str]]:
    """Cut a line at gaps wider than about one character: (x0, x1, text) chunks."""
    chunks = []
    current = []
    for word in words:
        if current:
            size = max(4.0, word["bottom"] - word["top"])
            if word["x0"] - current[-1]["x1"] > size * 0.9:
                chunks.append(current)
                current = []
        current.append(word)
    if current:
        chunks.append(current)
    return [(c[0]["x0"], c[-1]["x1"], join_words(c, gap_is_space=False)) for c in chunks]


def header_cells(header_lines: list[list[dict]]):
    """The header's chunks as leaf columns and headings. A chunk over two or more side-by-side
    chunks printed below it is a heading (功能分类科目编码 over 类 款 项), and so is a chunk
    over a single one set a row's height above it (本年收入 centred over 合计 财政拨款 其他收入);
    chunks set tightly one under the other are one cell printed on several lines (本年收入 /
    合计), joined top to bottom. Returns the leaves and the headings, each (x0, x1, text,
    top, bottom), left to right."""
    chunks = [(x0, x1, text, min(w["top"] for w in line), max(w["bottom"] for w in line))
              for line in header_lines for x0, x1, text in chunk_line(line)]

    def overlaps(a, b) -> bool:
        return min(a[1], b[1]) - max(a[0], b[0]) > 0.5

    def heading(c) -> bool:
        below = [d for d in chunks if d[3] > c[3] and overlaps(c, d)]
        if any(not overlaps(a, b) for n, a in enumerate(below) for b in below[n + 1:]):
            return True
        return bool(below) and min(d[3] for d in below) - c[4] > (c[4] - c[3]) * 0.6

    headings = [c for c in chunks if heading(c)]
    groups: list[list] = []
    for c in sorted((c for c in chunks if c not in headings), key=lambda c: c[3]):
        found = [g for g in groups if any(overlaps(c, d) for d in g)]
        if found:
            found[0].append(c)
            for other in found[1:]:
                found[0].extend(other)
                groups.remove(other)
        else:
            groups.append([c])
    leaves = []
    for g in groups:
        g.sort(key=lambda c: c[3])
        text = ""
        for c in g:
            text += joiner(text, c[2]) + c[2]
        leaves.append((min(c[0] for c in g), max(c[1] for c in g), text, g[0][3], max(c[4] for c in g)))
    leaves.sort(key=lambda c: c[0])
    return leaves, sorted(headings, key=lambda h: (h[3], h[0]))


def heading_span(heading, leaves, bounds) -> tuple[int, int] | None:
    """The leaf columns a heading stands over: those under it, widened to the widest run of
    columns below it that it is centred on (a heading centred over three columns overlaps
    only the middle one's header)."""
    below = [n for n, leaf in enumerate(leaves) if leaf[3] > heading[4] - 0.5]
    over = [n for n in below if min(heading[1], bounds[n][1]) - max(heading[0], bounds[n][0]) > 0.5]
    if not over:
        return None
    first, last = min(over), max(over)
    centre = (heading[0] + heading[1]) / 2
    best = (first, last)
    for a in range(first, -1, -1):
        for b in range(last, len(leaves)):
            if not all(n in below for n in range(a, b + 1)):
                break
            width = bounds[b][1] - bounds[a][0]
            if abs((bounds[a][0] + bounds[b][1]) / 2 - centre) <= width * 0.08 and b - a > best[1] - best[0]:
                best = (a, b)
    return best


def boundaries(leaves, spans) -> list[float]:
    """Where one column ends and the next begins: inside the widest stretch between two
    headers that no printed chunk crosses, else half-way."""
    cuts = []
    for a, b in zip(leaves, leaves[1:]):
        lo, hi = a[1], b[0]
        if hi <= lo:
            cuts.append((lo + hi) / 2)
            continue
        free, x = [], lo
        for x0, x1 in sorted(spans):
            if x1 <= x or x0 >= hi:
                continue
            if x0 > x:
                free.append((x, x0))
            x = max(x, x1)
        if x < hi:
            free.append((x, hi))
        best = max(free, key=lambda f: f[1] - f[0], default=None)
        cuts.append((best[0] + best[1]) / 2 if best else (lo + hi) / 2)
    return cuts


def gap_table(header_lines, body_lines, body_chunks, body_is_data, state: dict, inherited=None) -> list[str]:
    """A table without rules as tab-separated rows: header rows first (headings at the
    first column they cover, like merged cells of a ruled table), then one row per data
    line, with the wrapped parts of its labels (the short lines nearest to it) joined in."""
    leaves, headings = header_cells(header_lines) if header_lines else ([], [])
    if not leaves and inherited:
        leaves = inherited
    spans = [(x0, x1) for chunks in body_chunks for x0, x1, _ in chunks]
    if not leaves:
        # no header: the columns are the stretches covered by the rows' chunks
        merged: list[list[float]] = []
        for x0, x1 in sorted(spans):
            if merged and x0 <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], x1)
            else:
                merged.append([x0, x1])
        leaves = [(x0, x1, "", 0.0, 0.0) for x0, x1 in merged]
    state["gap_leaves"] = [(x0, x1, "", 0.0, 0.0) for x0, x1, *_ in leaves]
    cuts = boundaries(leaves, spans)

    def column(x0: float, x1: float, text: str) -> int:
        x = x1 - 0.5 if is_number_chunk(text) else (x0 + x1) / 2
        return sum(1 for cut in cuts if x > cut)

    width = len(leaves)
    rows: list[str] = []
    left = min([l[0] for l in leaves] + [x for x, _ in spans])
    right = max([l[1] for l in leaves] + [x for _, x in spans])
    edges = [left] + cuts + [right]
    bounds = [(edges[n], edges[n + 1]) for n in range(width)]
    placed = [(h, heading_span(h, leaves, bounds)) for h in headings]
    placed = [(h, span) for h, span in placed if span]

    def level(top: float, first: int, last: int) -> int:
        """How many headings stand above a cell over columns first..last."""
        return sum(1 for h, (a, b) in placed if h[3] < top and a <= first and last <= b)

    cells = [(level(l[3], n, n), n, l[2]) for n, l in enumerate(leaves) if l[2]]
    cells += [(level(h[3], a, b), a, h[2]) for h, (a, b) in placed]
    levels = max((c[0] for c in cells), default=-1) + 1
    grid = [[""] * width for _ in range(levels)]
    for lvl, index, text in cells:
        grid[lvl][index] += joiner(grid[lvl][index], text) + text
    rows.extend("\t".join(cells) for cells in grid)
    data_rows = [n for n, is_data in enumerate(body_is_data) if is_data]
    middles = [(min(w["top"] for w in line) + max(w["bottom"] for w in line)) / 2 for line in body_lines]
    parts: dict[int, list[tuple[float, int, str]]] = {n: [] for n in data_rows}
    for n, chunks in enumerate(body_chunks):
        owner = n if body_is_data[n] else min(data_rows, key=lambda d: (abs(middles[d] - middles[n]), d))
        for x0, x1, text in chunks:
            parts[owner].append((middles[n], column(x0, x1, text), text))
    for n in data_rows:
        cells = [""] * width
        for _, index, text in sorted(parts[n], key=lambda p: p[0]):
            index = min(index, width - 1)
            cells[index] = join_lines(cells[index], text)
        rows.append("\t".join(cells))
    return rows
