"""Input limits: how far a source document may unpack before conversion stops.

A few megabytes of compressed PDF or Office zip can inflate to gigabytes. Each document
is therefore converted under limits, each refused with a clear error that names the
file, the limit, its value and how to raise it:

- `max_pages`: pages of a PDF (its declared page count and the pages read);
- `max_page_stream_mb`: decoded bytes of the streams one PDF page is drawn from (its
  content streams, form XObjects and fonts; images are not decoded and do not count),
  measured by decompressing each stream in bounded chunks before pdfminer decodes it;
- `max_inflated_mb`: inflated bytes of all members of a .docx / .xlsx zip, checked
  against both the sizes the zip declares and the bytes actually inflated while
  streaming (a zip can lie about its sizes);
- `max_html_mb`: size of an HTML page (a web page is uncompressed text, but a huge one
  would still be parsed into a huge tree), checked before it is decoded and parsed;
- `max_memory_mb`: memory the conversion may take on top of what the program already
  uses. The conversion runs in a worker process whose address space is capped
  (RLIMIT_AS), so that whatever the other limits miss fails cleanly instead of
  exhausting the machine. 0 runs the conversion in-process without a cap.

Defaults let every real disclosure through (the largest in the corpus: 262 pages,
0.6 MB of page streams, under 200 MB of memory). Each is set by a command-line option
of `opendata convert` (`--max-pages` …) or an environment variable (`OPENDATA_MAX_PAGES`
…), the option winning.
"""
from __future__ import annotations

import io
import os
import zipfile
import zlib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import ConversionError

MB = 1024 * 1024
CHUNK = MB

# limit name -> (environment variable, command-line option, what it bounds)
SETTINGS = {
    "max_pages": ("OPENDATA_MAX_PAGES", "--max-pages", "pages"),
    "max_page_stream_mb": ("OPENDATA_MAX_PAGE_STREAM_MB", "--max-page-stream-mb", "MB of decoded page streams on one page"),
    "max_inflated_mb": ("OPENDATA_MAX_INFLATED_MB", "--max-inflated-mb", "MB inflated from the zip"),
    "max_html_mb": ("OPENDATA_MAX_HTML_MB", "--max-html-mb", "MB of HTML"),
    "max_memory_mb": ("OPENDATA_MAX_MEMORY_MB", "--max-memory-mb", "MB of memory for the conversion"),
}


class LimitError(ConversionError):
    """A document exceeds one of the input limits."""

    def __init__(self, path, limit: str, value: int, found: str):
        env, option, what = SETTINGS[limit]
        self.limit, self.value = limit, value
        super().__init__(
            f"{path}: {found}, over the limit of {value} {what} ({limit}); if the document is genuine, "
            f"raise the limit with {option} or the environment variable {env}. 文件超出输入限制")


@dataclass(frozen=True)
class Limits:
    """The input limits of one conversion (see the module docstring); all are whole numbers,
    sizes in MB (2**20 bytes)."""
    max_pages: int = 2000
    max_page_stream_mb: int = 64
    max_inflated_mb: int = 256
    max_html_mb: int = 32
    max_memory_mb: int = 2048

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "Limits":
        """The defaults, overridden by OPENDATA_MAX_* environment variables, overridden by
        `overrides` whose value is not None. Raises ConversionError for a value that is not
        a whole number ≥ 0."""
        environ = os.environ if environ is None else environ
        values = {}
        for item in fields(cls):
            env = SETTINGS[item.name][0]
            raw = overrides.get(item.name)
            source = SETTINGS[item.name][1]
            if raw is None and environ.get(env, "").strip():
                raw, source = environ[env].strip(), env
            if raw is None:
                continue
            try:
                value = int(raw)
            except (TypeError, ValueError):
                value = -1
            if value < 0:
                raise ConversionError(f"{source}: expected a whole number ≥ 0, got {raw!r}")
            values[item.name] = value
        return replace(cls(), **values)


def check_zip_inflation(path: Path, data: bytes, limits: Limits) -> None:
    """Refuse a zip (.docx, .xlsx) whose members inflate beyond `limits.max_inflated_mb`:
    first by the sizes it declares, then by the bytes actually inflated, read in 1 MB
    chunks (nothing large is held). A zip that cannot be read is a ConversionError too."""
    limit = limits.max_inflated_mb * MB
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            declared = sum(info.file_size for info in infos)
            if declared > limit:
                raise LimitError(path, "max_inflated_mb", limits.max_inflated_mb,
                                 f"the zip declares {declared / MB:.0f} MB when inflated")
            inflated = 0
            for info in infos:
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        inflated += len(chunk)
                        if inflated > limit:
                            raise LimitError(path, "max_inflated_mb", limits.max_inflated_mb,
                                             f"the zip inflates to more than {limits.max_inflated_mb} MB (member {info.filename})")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, zlib.error, EOFError, OSError, ValueError) as error:
        raise ConversionError(f"{path}: corrupt zip container ({type(error).__name__}: {error}); 文件已损坏") from error


def flate_size(raw: bytes, limit: int) -> int:
    """Bytes that zlib data inflates to, counted in bounded chunks; stops counting once
    past `limit` (returns a number > limit). Raises zlib.error on data that is not zlib."""
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    while pending and size <= limit:
        size += len(inflater.decompress(pending, CHUNK))
        pending = inflater.unconsumed_tail
        if inflater.eof:
            break
    return size


def page_streams(page_obj) -> list:
    """The streams pdfminer decodes to draw a page: content streams, form XObjects
    (recursively, with their resources) and font streams; image XObjects are left out."""
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import LIT

    found, seen = [], set()

    def visit(obj, depth: int = 0) -> None:
        obj = resolve1(obj)
        if depth > 32 or id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, PDFStream):
            if obj.get("Subtype") is LIT("Image"):
                return
            found.append(obj)
            resources = resolve1(obj.get("Resources"))
            if isinstance(resources, dict):
                visit_resources(resources, depth + 1)
        elif isinstance(obj, list):
            for item in obj:
                visit(item, depth + 1)

    def visit_resources(resources: dict, depth: int) -> None:
        xobjects = resolve1(resources.get("XObject"))
        for xobject in (xobjects.values() if isinstance(xobjects, dict) else ()):
            visit(xobject, depth)
        fonts = resolve1(resources.get("Font"))
        for font in (fonts.values() if isinstance(fonts, dict) else ()):
            font = resolve1(font)
            if not isinstance(font, dict):
                continue
            visit(font.get("ToUnicode"), depth)
            parts = [font] + [resolve1(d) for d in (resolve1(font.get("DescendantFonts")) or [])]
            for part in parts:
                descriptor = resolve1(part.get("FontDescriptor")) if isinstance(part, dict) else None
                if isinstance(descriptor, dict):
                    for key in ("FontFile", "FontFile2", "FontFile3"):
                        visit(descriptor.get(key), depth)

    visit(page_obj.contents)
    if isinstance(page_obj.resources, dict):
        visit_resources(page_obj.resources, 1)
    return found


def check_page_streams(path: Path, number: int, page_obj, limits: Limits, sizes: dict) -> None:
    """Refuse a PDF page whose streams decode to more than `limits.max_page_stream_mb`,
    before pdfminer decodes them. FlateDecode streams are measured by inflating them in
    bounded chunks; other streams count their stored size. `sizes` caches each stream's
    size across the pages of a document (fonts and forms are shared)."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    limit = limits.max_page_stream_mb * MB
    total = 0
    for stream in page_streams(page_obj):
        key = (stream.objid, stream.genno) if stream.objid is not None else id(stream)
        size = sizes.get(key)
        if size is None:
            if stream.rawdata is None:  # already decoded
                size = len(stream.data or b"")
            else:
                raw = stream.rawdata
                size = len(raw)
                filters = stream.get_filters()
                try:
                    if filters and filters[0][0] in LITERALS_FLATE_DECODE:
                        if stream.decipher:  # encrypted (often with an empty password): decrypt as pdfminer does
                            raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
                        size = max(size, flate_size(raw, limit - total))
                except (zlib.error, TypeError, ValueError):
                    pass  # pdfminer reports (or repairs) a broken stream itself
            sizes[key] = size
        total += size
        if total > limit:
            raise LimitError(f"{path} page {number}", "max_page_stream_mb", limits.max_page_stream_mb,
                             f"the page's streams decode to more than {limits.max_page_stream_mb} MB")


def check_page_count(path: Path, pdf, limits: Limits) -> None:
    """LimitError (the pdfplumber document `pdf` closed) when the PDF has more pages than
    `limits.max_pages`: the page count the page tree declares is checked before the tree is
    read, then the pages actually found."""
    from pdfminer.pdftypes import resolve1

    tree = resolve1(pdf.doc.catalog.get("Pages"))
    declared = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
    if isinstance(declared, int) and declared > limits.max_pages:
        pdf.close()
        raise LimitError(path, "max_pages", limits.max_pages, f"the PDF declares {declared} pages")
    if len(pdf.pages) > limits.max_pages:  # forces the page tree to be read
        count = len(pdf.pages)
        pdf.close()
        raise LimitError(path, "max_pages", limits.max_pages, f"the PDF has {count} pages")
