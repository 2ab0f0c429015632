"""Web pages (.html / .htm, or a page saved under another extension), parsed with lxml.html.

The page is decoded with the charset it declares (a BOM, `<meta charset>`, `<meta
http-equiv="Content-Type">` or an XML declaration; GB2312 / GBK are read as GB18030, their
superset), falling back to UTF-8 and then GB18030. Its size is bounded by
`limits.max_html_mb` before it is decoded. script, style, nav, noscript, template, iframe,
select and the <head> are dropped, but the page's <title> (without the site's name) is read
first, as a document's cover is. The body is read in document order, as a Word document
is (`docx`): text outside tables (p, div, h1–h6, li, br-separated …) becomes narrative
lines; each innermost <table> becomes sheet-row lines (`xlsx.row_lines`) on its grid, a
cell spanning rows or columns (rowspan / colspan) standing once at its top-left position
with its other grid positions empty, as in the PDF, Excel and Word converters. A table
that holds other tables is page layout: its cells are read as text blocks and the tables
inside it as tables. Source location: source_line is the line's number in this reading
order; web pages have no pages, so source_page is empty.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..model import Disclosure
from .docx import table_blocks
from .errors import ConversionError, Warnings
from .limits import MB, LimitError, Limits
from .source import Line, describe_source
from .xlsx import convert_blocks, grid_lines

DROPPED = {"script", "style", "nav", "noscript", "template", "iframe", "select", "head", "button", "svg", "object"}
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
          "header", "footer", "aside", "main", "blockquote", "pre", "center", "form", "address", "figure",
          "figcaption", "caption", "hr", "body", "td", "th", "tr", "tbody", "thead", "tfoot", "table", "fieldset", "title"}
TITLE_SEPARATOR = re.compile(r"\s+[-|–—]\s+|_|｜")
MAX_SPAN = 1000   # the HTML standard caps colspan at 1000; rowspan is capped at the rows left
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
SPACES = re.compile(r"[ \t\r\n\f\v\xa0\u200b\ufeff]+")
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# charsets read as their superset
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
             "gb18030": "gb18030", "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "utf-8", "ascii": "utf-8"}


def convert_html(path: Path, warnings: Warnings, limits: Limits | None = None) -> Disclosure:
    """The disclosure in a web page: its lines (`html_lines`) in blocks, each table closing
    one (as in a Word document), converted by the shared `xlsx.convert_blocks`."""
    data = path.read_bytes()
    lines = html_lines(path, data, limits)
    return convert_blocks(table_blocks(path.name, lines), describe_source(path, data, "html"), warnings, sheets=False)


def decode_html(path: Path, data: bytes, limits: Limits | None = None) -> str:
    """The page's text: the BOM's, else the declared charset's (GBK / GB2312 as GB18030),
    else UTF-8, else GB18030. ConversionError for an empty page; LimitError beyond
    `limits.max_html_mb`."""
    limits = limits or Limits.from_env()
    if len(data) > limits.max_html_mb * MB:
        raise LimitError(path, "max_html_mb", limits.max_html_mb, f"the HTML page is {len(data) / MB:.1f} MB")
    if not data.strip():
        raise ConversionError(f"{path}: the file is empty")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    head = data[:8192]
    declared = XML_ENCODING.search(head) or CHARSET.search(head)
    candidates = []
    if declared:
        name = declared.group(1).decode("ascii", "replace").strip().lower()
        candidates.append(SUPERSETS.get(name, name))
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    # mis-declared and not clean in either: the declared (or UTF-8) with replacement characters
    for encoding in candidates:
        try:
            return data.decode(encoding, errors="replace")
        except LookupError:
            continue
    return data.decode("utf-8", errors="replace")


def parse_html(path: Path, data: bytes, limits: Limits | None = None):
    """The lxml.html document of the page; ConversionError for what lxml cannot parse."""
    import lxml.etree
    import lxml.html

    text = XML_DECLARATION.sub("", decode_html(path, data, limits), count=1).replace("\x00", "")
    if not text.strip():
        raise ConversionError(f"{path}: the file is empty")
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ConversionError(f"{path}: unreadable HTML page ({type(error).__name__}: {error}); 网页无法解析") from error


def clean(text: str) -> str:
    """Whitespace (tabs, no-break spaces …) collapsed to single spaces, ends stripped."""
    return SPACES.sub(" ", text).strip()


def html_lines(path: Path, data: bytes, limits: Limits | None = None) -> list[Line]:
    """A web page (`data` read from `path`) -> list[Line], numbered from 1 in document order:
    text outside tables as narrative lines, each innermost table's rows as sheet-row lines."""
    document = parse_html(path, data, limits)
    lines: list[Line] = []
    buffer: list[str] = []

    def flush() -> None:
        text = clean("".join(buffer))
        buffer.clear()
        if text:
            lines.append(Line(no=len(lines) + 1, text=text))

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is None:   # a comment or processing instruction: only its tail is text
            return
        tag = tag.lower()
        if tag in DROPPED:
            return
        if tag == "table" and not element.xpath(".//table"):
            flush()
            grid_lines(lines, table_grid(element))
            return
        if tag == "br" or tag in BLOCKS:
            flush()
        if element.text:
            buffer.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                buffer.append(child.tail)
        if tag in BLOCKS:
            flush()

    title = page_title(document)
    if title:
        lines.append(Line(no=1, text=title))
    body = document.find("body")
    walk(body if body is not None else document)
    flush()
    return lines


def page_title(document) -> str:
    """The page's <title> without the site's name after it ('…情况说明 - 重庆市…', '…_重庆市…'):
    read first, as the cover of a document is, since the page's own heading often comes after
    the site's menus."""
    element = document.find(".//title")
    text = clean(element.text_content()) if element is not None else ""
    return clean(TITLE_SEPARATOR.split(text)[0]) if text else ""


def cell_text(cell) -> str:
    """A cell's text, lines broken at <br> and block elements, each line's spaces collapsed."""
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if tag is None or tag in DROPPED:
            return
        if tag == "br" or tag in BLOCKS:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in BLOCKS:
            parts.append("\n")

    walk(cell)
    return "\n".join(line for line in (clean(part) for part in "".join(parts).split("\n")) if line)


def span(cell, name: str, most: int) -> int:
    """A cell's rowspan or colspan: a whole number from 1 to `most` (1 where it is missing or bad)."""
    try:
        value = int(str(cell.get(name, "1")).strip() or 1)
    except ValueError:
        return 1
    return max(1, min(value, most))


def table_grid(table) -> list[list[str]]:
    """The table's rows on its grid: each cell's text at its top-left grid position, the
    other positions it spans (rowspan / colspan) empty."""
    rows = [row for row in table.iter("tr")]
    grid: list[list[str]] = [[] for _ in rows]
    taken: list[set[int]] = [set() for _ in rows]
    for r, row in enumerate(rows):
        column = 0
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while column in taken[r]:
                column += 1
            down = span(cell, "rowspan", len(rows) - r)
            across = span(cell, "colspan", MAX_SPAN)
            for dr in range(down):
                cells = grid[r + dr]
                cells.extend([""] * (column + across - len(cells)))
                taken[r + dr].update(range(column, column + across))
            grid[r][column] = cell_text(cell)
            column += across
    width = max((len(cells) for cells in grid), default=0)
    return [cells + [""] * (width - len(cells)) for cells in grid]
