"""PDF disclosures with a text layer (pdfplumber / pdfminer.six).

The page is rebuilt from word positions, never from a flattened text dump:

- words are grouped into printed lines by their vertical extent (a number printed a
  little lower than the label beside it is on the same line);
- ruled tables (cell borders drawn as lines or thin rectangles) are cut into cells by
  their borders: merged header cells come out once, at their top-left position, with the
  words of every line inside the cell joined (multi-line header cells stay one cell,
  wrapped row labels stay one label);
- tables without rules are cut into cells by the gaps between words and by the column
  boundaries of their header (a right-aligned number belongs to the header column its
  right edge falls under);
- every table row becomes one tab-separated line with its page number, so that the
  shared text pipeline (segment.py finds tables by their titles, tables.py builds them,
  a table continued on the next page is one table) reads it; all other lines are the
  narrative.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Disclosure
from .errors import ConversionError, Warnings
from .source import Line, describe_source

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]")
CODE_PART_WORDS = {"类", "款", "项"}
AMOUNT_TOKEN = re.compile(r"^[-−]?\(?\d[\d,]*(\.\d+)?\)?%?$")


def convert_pdf(path: Path, warnings: Warnings) -> Disclosure:
    from .text import convert_lines

    data = path.read_bytes()
    lines, pages = pdf_lines(path, data)
    source = describe_source(path, data, "pdf")
    disclosure = convert_lines(lines, source, warnings)
    return disclosure


# -- opening -------------------------------------------------------------------

def open_pdf(path: Path, data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    if not data.strip():
        raise ConversionError(f"{path}: the file is empty")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ConversionError(f"{path}: not a PDF file (no %PDF header); 文件不是PDF或已损坏")
    try:
        pdf = pdfplumber.open(path)
        pdf.pages  # forces the page tree to be read
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise ConversionError(f"{path}: the PDF is encrypted (password protected) and cannot be read; PDF已加密，无法读取 ({type(error).__name__})") from error
    except (PDFSyntaxError, PSException) as error:
        raise ConversionError(f"{path}: corrupt or truncated PDF ({error}); PDF文件已损坏") from error
    except Exception as error:  # pdfminer raises many kinds of errors on broken files
        if "password" in str(error).lower() or "encrypt" in str(error).lower():
            raise ConversionError(f"{path}: the PDF is encrypted (password protected) and cannot be read; PDF已加密，无法读取") from error
        raise ConversionError(f"{path}: corrupt PDF, cannot be read ({type(error).__name__}: {error}); PDF文件已损坏") from error
    return pdf


def pdf_lines(path: Path, data: bytes) -> tuple[list[Line], int]:
    """The document as numbered lines with page numbers; table rows as tab-separated cells."""
    pdf = open_pdf(path, data)
    lines: list[Line] = []
    chars = images = 0
    state: dict = {}   # what a table continued on the next page needs from the page before
    try:
        for number, page in enumerate(pdf.pages, 1):
            try:
                page_chars = page.chars
                chars += len(page_chars)
                images += len(page.images)
                if not page_chars:
                    continue
                for text in page_text_lines(page, state):
                    lines.append(Line(no=len(lines) + 1, text=text, page=number))
            except ConversionError:
                raise
            except Exception as error:
                raise ConversionError(f"{path}: page {number} cannot be read ({type(error).__name__}: {error}); PDF文件已损坏") from error
        page_count = len(pdf.pages)
    finally:
        pdf.close()
    if chars == 0:
        what = "scanned pages (images only)" if images else "no text"
        raise ConversionError(f"{path}: the PDF has no text layer ({what}); it would need OCR first. PDF无文字层（扫描件），请先进行文字识别")
    return lines, page_count


# -- one page --------------------------------------------------------------------

def page_text_lines(page, state: dict | None = None) -> list[str]:
    """The printed lines of a page, top to bottom; ruled tables' rows as tab-joined cells."""
    words = page.extract_words(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False, use_text_flow=False)
    tables = []
    try:
        found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
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
    unruled = group_lines(free)
    for line_words in unruled:
        blocks.append((min(w["top"] for w in line_words), [join_words(line_words)]))
    blocks.sort(key=lambda b: b[0])
    texts = [text for _, block in blocks for text in block]
    return split_unruled(texts, unruled) if not tables else texts


def inside(bbox, x: float, y: float) -> bool:
    x0, top, x1, bottom = bbox
    return x0 - 0.5 <= x <= x1 + 0.5 and top - 0.5 <= y <= bottom + 0.5


def ruled_rows(table, words, state: dict) -> list[str]:
    """Rows of a ruled table: one cell per border cell; a merged cell is printed once at
    its top-left grid position and leaves the positions it covers empty."""
    grid = []
    for row in table.rows:
        cell_words = []
        for bbox in row.cells:
            inner = [] if bbox is None else [w for w in words if inside(bbox, (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2)]
            cell_words.append(inner)
        cells = [cell_text(inner) for inner in cell_words]
        for part in split_code_part_header(cells):
            if any(c.strip() for c in part):
                grid.append(part)
    return ["\t".join(cells) for cells in unfold_blocks(grid, state)]


def unfold_blocks(grid: list[list[str]], state: dict) -> list[list[str]]:
    """A table printed as two identical column blocks side by side (经济分类 科目名称 决算数 |
    经济分类 科目名称 决算数) is one list: the left block's rows, then the right block's."""
    if not grid:
        return grid
    width = len(grid[0])
    half = width // 2
    first = [c.strip() for c in grid[0]]
    repeated = width >= 4 and not width % 2 and any(first[:half]) and first[:half] == first[half:]
    continued = state.get("unfold_width") == width and not repeated and any(AMOUNT_TOKEN.match(c.strip()) or c.strip().isdigit() for c in grid[0])
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
    if not left or not right:
        return ""
    return "" if CJK.match(left[-1]) or CJK.match(right[0]) else " "


def join_words(words, gap_is_space: bool = True) -> str:
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


def cell_text(words) -> str:
    """A cell's words: line by line, lines joined (a wrapped label is one label)."""
    parts = [join_words(line, gap_is_space=False) for line in group_lines(words)]
    text = ""
    for part in parts:
        text += joiner(text, part) + part
    return text.strip()


# -- tables without rules ----------------------------------------------------------

def split_unruled(texts: list[str], lines: list[list[dict]]) -> list[str]:
    """On pages without ruled tables, runs of lines that hold several amounts are cut into
    cells by word gaps and aligned to the columns of the header line above them."""
    out = []
    run: list[list[dict]] = []

    def flush():
        if len(run) >= 2:
            out.extend(gap_table(run))
        else:
            out.extend(join_words(l) for l in run)
        run.clear()

    for line in lines:
        chunks = chunk_line(line)
        amounts = sum(1 for c in chunks if AMOUNT_TOKEN.match(c[2].replace(" ", "")))
        text = join_words(line)
        if len(chunks) >= 2 and "。" not in text and (amounts >= 1 or (run or looks_like_header(chunks, lines, line))):
            run.append(line)
        else:
            flush()
            out.append(text)
    flush()
    return out


def looks_like_header(chunks, lines, line) -> bool:
    """A line of several separated short chunks followed by lines with amounts."""
    if len(chunks) < 3 or any(len(c[2]) > 20 for c in chunks):
        return False
    index = lines.index(line)
    for nxt in lines[index + 1:index + 5]:
        if any(AMOUNT_TOKEN.match(c[2].replace(" ", "")) for c in chunk_line(nxt)):
            return True
    return False


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


def gap_table(run: list[list[dict]]) -> list[str]:
    """Columns from the header lines (lines before the first amount) and, below them,
    from the union of chunk extents; each chunk goes to the column it overlaps most, a
    number to the column whose right edge is nearest its own (numbers are right-aligned)."""
    chunked = [chunk_line(line) for line in run]
    first_data = next((i for i, chunks in enumerate(chunked) if any(AMOUNT_TOKEN.match(c[2].replace(" ", "")) for c in chunks)), 0)
    spans = sorted((c[0], c[1]) for chunks in chunked for c in chunks)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + 1:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    header_columns = [(c[0], c[1]) for chunks in chunked[:first_data] for c in chunks]
    rows = []
    for index, chunks in enumerate(chunked):
        cells = [""] * len(columns)
        for x0, x1, text in chunks:
            if AMOUNT_TOKEN.match(text.replace(" ", "")) and header_columns:
                # right-aligned: the header whose right edge is nearest
                target = min(header_columns, key=lambda h: abs(h[1] - x1))
                x0, x1 = max(x0, target[0]), min(x1, target[1]) if target[1] > x0 else x1
            best = max(range(len(columns)), key=lambda i: min(x1, columns[i][1]) - max(x0, columns[i][0]))
            cells[best] = (cells[best] + joiner(cells[best], text) + text) if cells[best] else text
        rows.append("\t".join(cells))
    if first_data > 1:
        rows = merge_header_lines(rows[:first_data]) + rows[first_data:]
    return rows


def merge_header_lines(rows: list[str]) -> list[str]:
    """Header lines where each filled cell continues the cell above it (a header wrapped
    inside its column) are one header row."""
    merged = [rows[0].split("\t")]
    for row in rows[1:]:
        cells = row.split("\t")
        last = merged[-1]
        if all(not c or (i < len(last) and last[i]) for i, c in enumerate(cells)) and len([c for c in cells if c]) < len([c for c in last if c]) + 1 and not all(last):
            merged[-1] = [a + joiner(a, b) + b if b else a for a, b in zip(last, cells + [""] * (len(last) - len(cells)))]
        else:
            merged.append(cells)
    return ["\t".join(r) for r in merged]
