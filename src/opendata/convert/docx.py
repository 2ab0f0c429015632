"""Word documents (.docx, python-docx).

The body is read in order: paragraphs become narrative lines (headings, key figures),
Word tables become tab-separated rows, so the shared pipeline finds each table by the
title paragraph(s) printed before it, exactly as in a text export. A table split into
several Word tables (a page break, the header repeated) is one table: the repeated
header rows are recognised and skipped. python-docx returns a merged cell once per grid
column (and once per row it spans): the copies are emptied, so the value stands once,
at its top-left position, as in the PDF and Excel converters. Source location:
source_line is the line's number in this reading order (paragraphs and table rows
counted one by one); Word files have no fixed pages, so source_page is empty.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..model import Disclosure
from .errors import ConversionError, Warnings
from .limits import Limits, check_zip_inflation
from .source import Line, describe_source, require_zip_container
from .xlsx import Block, convert_blocks, grid_lines


def convert_docx(path: Path, warnings: Warnings, limits: Limits | None = None) -> Disclosure:
    """Each Word table closes a block (the paragraphs before it and its rows): a table
    never runs on into the paragraphs after it; a Word table without a title paragraph
    continues the table before it."""
    data = path.read_bytes()
    lines = docx_lines(path, data, limits)
    return convert_blocks(table_blocks(path.name, lines), describe_source(path, data, "docx"), warnings, sheets=False)


def table_blocks(name: str, lines: list[Line]) -> list[Block]:
    """The document's lines in blocks, each closed by the last row of a table (also used for
    web pages, `html`)."""
    blocks, current = [], []
    for index, line in enumerate(lines):
        current.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else None
        if "\t" in line.text and (following is None or "\t" not in following.text):
            blocks.append(Block(name, len(blocks) + 1, current))
            current = []
    if current or not blocks:
        blocks.append(Block(name, len(blocks) + 1, current))
    return blocks


def open_docx(path: Path, data: bytes, limits: Limits | None = None):
    """The python-docx document; a ConversionError for what is not a readable .docx or
    inflates beyond `limits.max_inflated_mb`."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    require_zip_container(path, data, "a Word .docx", "docx",
                          "this is a Word 97-2003 (.doc) file, not .docx; save it as .docx first. 请另存为docx格式")
    check_zip_inflation(path, data, limits or Limits.from_env())
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ConversionError(f"{path}: corrupt or unreadable .docx document ({type(error).__name__}: {error}); docx文件已损坏") from error
    except Exception as error:
        raise ConversionError(f"{path}: corrupt .docx document ({type(error).__name__}: {error}); docx文件已损坏") from error


def docx_lines(path: Path, data: bytes, limits: Limits | None = None) -> list[Line]:
    """A Word .docx (`data` read from `path`) -> list[Line], numbered from 1 in document order:
    each non-blank paragraph line stripped, each table row as sheet-row lines
    (`xlsx.row_lines`, merged cells once). ConversionError for what is not a readable .docx or
    inflates beyond `limits` (default `Limits.from_env()`)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = open_docx(path, data, limits)
    lines: list[Line] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            for part in item.text.replace("\r", "\n").split("\n"):
                if part.strip():
                    lines.append(Line(no=len(lines) + 1, text=part.strip()))
        elif isinstance(item, Table):
            grid_lines(lines, table_rows(item))
    return lines


def table_rows(table) -> list[list[str]]:
    """The table's rows on its grid, a merged cell's text once at its top-left position."""
    rows = []
    above: list = []
    for row in table.rows:
        cells = list(row.cells)
        texts = []
        for i, cell in enumerate(cells):
            repeated_left = i > 0 and cells[i - 1]._tc is cell._tc
            repeated_above = i < len(above) and above[i]._tc is cell._tc
            texts.append("" if repeated_left or repeated_above else cell.text.strip())
        rows.append(texts)
        above = cells
    return rows
