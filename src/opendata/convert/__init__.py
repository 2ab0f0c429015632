"""Source document -> canonical disclosure model -> data package.

`convert_file(path)` reads a document (its format told by its content, `detect_format`),
finds its tables by their titles and headers, maps them to the catalog, and returns the model with everything it did not understand
listed as warnings; it never writes anything. `convert_to_package(source, out)` is what
`opendata convert SOURCE --out DIR` does: convert, refuse warnings under `strict`, check the
output, keep the version and creation time of a package being regenerated (`keep_version`),
and write the package (`write_result`). Many documents at once, each on its own and in
parallel, are `batch.convert_batch` (`opendata convert SOURCES --out-dir DIR`). This module is also callable:
`opendata.convert(source, out)` is `convert_to_package(source, out)`.
Every conversion runs under input limits (`limits.Limits`: pages, decoded page streams,
inflated zip size, HTML size, memory), in a worker process with capped memory.
"""
from __future__ import annotations

import os
import pickle
import re
import sys
import traceback
import types
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..model import Disclosure
from ..package import DESCRIPTOR, PackageError, check_output, load_descriptor, package_name, package_title, write_package
from ..standard import load_standard
from ..version import __version__
from . import metadata
from .errors import ConversionError, Warnings
from .lines import assign_lines
from .project_units import project_units
from .limits import LimitError, Limits
from .text import convert_text
from .three_public import reshape as reshape_lines

__all__ = ["ConversionError", "ConversionResult", "LimitError", "Limits", "StrictRefused", "convert_file",
           "convert_to_package", "keep_version", "write_result"]

CONVERTERS = {".txt": convert_text, ".text": convert_text}


@dataclass
class ConversionResult:
    """One converted document: the model (`disclosure`), every warning (file, line, table)
    as text, and, once written, the package folder (`path`)."""
    disclosure: Disclosure
    warnings: list[str] = field(default_factory=list)
    path: Path | None = None


class StrictRefused(ConversionError):
    """A conversion with warnings under `strict=True`: nothing was written. `source` is the
    document, `result` its conversion (with `result.warnings`)."""

    def __init__(self, source: Path, result: ConversionResult):
        self.source, self.result = source, result
        super().__init__(f"{source}: {len(result.warnings)} warning(s) with strict; nothing written")


def convert_file(path: str | Path, limits: Limits | None = None, *, unit_name: str | None = None,
                 year: int | None = None, stage: str | None = None) -> ConversionResult:
    """Convert one document. `limits` default to `Limits.from_env()`; with
    `limits.max_memory_mb` > 0 the conversion runs in a forked worker process whose memory
    is capped (see `run_capped`). `unit_name`, `year` and `stage` (budget / final_accounts,
    or 预算 / 决算) supply what the document does not print, and win over what it does; the
    descriptor's `metadataSources` records "option" for them. Raises ConversionError
    (LimitError for a limit) for a document that cannot be converted, ValueError for a year
    or stage that is not one."""
    path = Path(path)
    given = given_metadata(unit_name, year, stage)
    if given:
        token = metadata.GIVEN.set(given)
        try:
            return convert_file(path, limits)
        finally:
            metadata.GIVEN.reset(token)
    limits = limits or Limits.from_env()
    if not path.exists():
        raise ConversionError(f"{path}: no such file")
    if path.is_dir():
        raise ConversionError(f"{path}: is a folder, expected a disclosure document")
    if limits.max_memory_mb and hasattr(os, "fork"):
        return run_capped(path, limits, convert_in_process)
    return convert_in_process(path, limits)


def given_metadata(unit_name: str | None, year: int | str | None, stage: str | None) -> dict:
    """The metadata options as `metadata.GIVEN` holds them; ValueError for a year that is not
    one (1990-2100) or a stage the standard does not know (schema/codelists/stages.csv)."""
    given: dict = {}
    if unit_name is not None and unit_name.strip():
        given["unit_name"] = unit_name.strip()
    if year is not None:
        if not str(year).strip().isdigit() or not 1990 <= int(year) <= 2100:
            raise ValueError(f"year {year!r}: give a fiscal year such as 2024 (1990-2100)")
        given["fiscal_year"] = int(year)
    if stage is not None:
        from .xlsx import stage_code

        code = stage_code(stage)
        if code is None:
            raise ValueError(f"stage {stage!r}: give budget (预算) or final_accounts (决算)")
        given["stage"] = code
    return given


def run_capped(path: Path, limits: Limits, work):
    """`work(path, limits)` in a forked child whose address space may grow by at most
    `limits.max_memory_mb` MB (RLIMIT_AS); its result or exception comes back pickled.
    Running out of memory there is a LimitError; the child dying otherwise a ConversionError."""
    import resource

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        code = 0
        try:
            os.close(reader)
            try:
                used, hard = address_space(), resource.getrlimit(resource.RLIMIT_AS)[1]
                if used:
                    cap = used + limits.max_memory_mb * 1024 * 1024
                    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
                outcome = ("ok", work(path, limits))
            except MemoryError:
                outcome = ("memory", None)
            except ConversionError as error:
                outcome = ("memory", None) if out_of_memory(error) else ("error", str(error), isinstance(error, LimitError))
            except BaseException as error:  # a defect (unless a reader wrapped a MemoryError): hand it over with its traceback
                outcome = ("memory", None) if out_of_memory(error) else ("crash", f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
            try:
                payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                payload = pickle.dumps(("memory", None))
            with os.fdopen(writer, "wb") as out:
                out.write(payload)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(writer)
    with os.fdopen(reader, "rb") as incoming:
        payload = incoming.read()
    _, status = os.waitpid(pid, 0)
    try:
        outcome = pickle.loads(payload)
    except Exception:
        signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        raise ConversionError(f"{path}: the conversion stopped ({f'signal {signal}' if signal else f'exit status {os.WEXITSTATUS(status)}'}), "
                              f"probably out of memory under the limit of {limits.max_memory_mb} MB (max_memory_mb); "
                              "raise it with --max-memory-mb or OPENDATA_MAX_MEMORY_MB if the document is genuine") from None
    kind = outcome[0]
    if kind == "ok":
        return outcome[1]
    if kind == "memory":
        raise LimitError(path, "max_memory_mb", limits.max_memory_mb, "the conversion needs more memory")
    if kind == "error":
        error = LimitError.__new__(LimitError) if outcome[2] else ConversionError.__new__(ConversionError)
        Exception.__init__(error, outcome[1])
        raise error
    raise RuntimeError(f"{path}: the conversion failed in its worker process: {outcome[1]}")


def out_of_memory(error: BaseException) -> bool:
    """Whether an error was caused by running out of memory (a reader wrapped a MemoryError)."""
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, MemoryError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def address_space() -> int:
    """Bytes of address space this process uses now (VmSize); 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def convert_in_process(path: Path, limits: Limits) -> ConversionResult:
    """The conversion itself, in this process (`convert_file` without the worker): the
    converter of the format the content shows (`detect_format`), else of the extension."""
    converter = FORMATS.get(detect_format(path), CONVERTERS.get(path.suffix.lower(), convert_text))
    warnings = Warnings(path.name)
    disclosure = converter(path, warnings, limits)
    reshape_lines(disclosure, warnings)   # the 三公 table in one shape, lined by three_public_lines.csv (three_public.py)
    assign_lines(disclosure, warnings)    # the lines of the other fixed-line tables (lines.csv, lines.py)
    project_units(disclosure)             # projects listed under unit heads: the unit on each (project_units.py)
    try:
        check_complete(disclosure, path, warnings)
    except ConversionError as error:
        if disclosure.conversion.get("ocr"):   # a refused scan says that it was read by OCR
            raise ConversionError(f"{error} (the PDF has no text layer: its scanned pages were read by OCR; PDF无文字层，已进行文字识别)") from error
        raise
    disclosure.name = package_name(disclosure)
    disclosure.title = package_title(disclosure)
    disclosure.standard_version = load_standard().version
    ocr = disclosure.conversion.get("ocr")   # pdf.py: the pages read by OCR
    disclosure.conversion = {"tool": f"opendata {__version__}", "warnings": len(warnings.items), **({"ocr": ocr} if ocr else {})}
    return ConversionResult(disclosure, warnings.items)


HTML_START = re.compile(rb"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|table)[\s>/]",
                        re.I | re.S)
BINARY_SUFFIXES = (".pdf", ".docx", ".doc", ".xlsx", ".xls")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# a disclosure names itself so (the title or the text of its 情况说明)
DISCLOSURE_NAME = re.compile(r"(部门|单位)(预算|决算)|(预算|决算)公开|预决算公开")


def detect_format(path: Path) -> str | None:
    """The format the file's first bytes show: pdf (%PDF), docx / xlsx (a zip holding word/ or
    xl/), xls (an OLE2 file; a .doc / .docx name keeps the Word converter's message), html
    (a doctype, <html>, <head>, <body> or <table> first, after a BOM and whitespace, in any
    charset), text (anything else not binary). None where the content does not tell (empty,
    an unknown binary, a broken zip, plain text under the name of a binary format): the
    extension decides, and its converter says what the file is not."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if not head.strip():
        return None
    start = head.lstrip()
    if start[:5].startswith(b"%PDF"):
        return "pdf"
    if head[:8] == OLE_MAGIC:
        return None if path.suffix.lower() in (".doc", ".docx") else "xls"
    if head[:2] == b"PK":
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
        return None
    for bom, encoding in ((b"\xef\xbb\xbf", None), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            start = head[len(bom):]
            if encoding:
                start = start.decode(encoding, errors="ignore").encode("utf-8")
            break
    if HTML_START.match(start.lstrip()):
        return "html"
    if b"\x00" in head[:4096] or path.suffix.lower() in BINARY_SUFFIXES:
        return None   # plain text named .pdf / .docx …: that converter says it is not one
    return "text"


FORMATS: dict[str, Callable] = {"text": convert_text}


def check_complete(disclosure: Disclosure, path: Path, warnings: Warnings | None = None) -> None:
    """ConversionError when the disclosure read from `path` has no money table of the catalog
    (schema/codelists/tables.csv, kind other than text, figures and cells) and is not a disclosure
    given as narrative only: a document that names itself a budget or final-accounts
    disclosure (部门预算, 单位决算, 预算公开 … in its text) and states key figures (主要数据)
    becomes a package of its narrative and key figures, with a warning that it has no tables.
    Anything else is not a budget or final-accounts disclosure, or none of its tables was
    recognised."""
    kinds = {t.table_id: load_standard().tables[t.table_id].kind for t in disclosure.tables.values()}
    if any(kind not in ("text", "figures", "cells") for kind in kinds.values()):
        return
    figures = disclosure.tables.get("key_figures")
    narrative = disclosure.tables.get("narrative")
    text = " ".join(str(value) for row in (narrative.rows if narrative else []) for value in row.values.values() if value)
    if figures is not None and figures.rows and DISCLOSURE_NAME.search(text):
        if warnings is not None:
            warnings.add(f"no table found: only the narrative and {len(figures.rows)} key figure(s) were read "
                         "(没有表格，仅读取文字说明和主要数据)")
        return
    if narrative is not None and DISCLOSURE_NAME.search(text):
        raise ConversionError(f"{path}: no table and no key figure of a budget disclosure was found; the document names a "
                              "disclosure but does not hold it (a web page that only links to the disclosure? convert the "
                              "attached file itself) (未找到表格或主要数据：网页可能只是附件链接，请下载附件转换)")
    raise ConversionError(f"{path}: no table of a budget disclosure was recognised (不是部门预算/决算公开文件?)")


def keep_version(disclosure: Disclosure, target: str | Path) -> None:
    """Regenerating a package keeps its version and creation time (a release changes only
    the version): copy `version` and `created` of the package already at `target`, if any
    and readable, into `disclosure`."""
    target = Path(target)
    if (target / DESCRIPTOR).exists():
        try:
            old = load_descriptor(target)
        except PackageError:
            return
        disclosure.created = old.get("created") or disclosure.created
        disclosure.version = old.get("version") or disclosure.version


def write_result(result: ConversionResult, target: str | Path) -> Path:
    """Write a converted document as the package folder `target`: the folder is checked first
    (`opendata.package.check_output`), a package being regenerated keeps its version and
    creation time (`keep_version`), and the package is written all or nothing
    (`write_package`). Sets and returns `result.path`. Raises PackageError for an output that is
    refused or cannot be written (naming it)."""
    target = Path(target)
    check_output(target)
    keep_version(result.disclosure, target)
    try:
        result.path = write_package(result.disclosure, target)
    except OSError as exc:
        raise PackageError(f"{target}: not written ({exc})") from exc
    return result.path


def convert_to_package(source: str | Path, out: str | Path, *, strict: bool = False,
                       limits: Limits | None = None, unit_name: str | None = None, year: int | None = None,
                       stage: str | None = None) -> ConversionResult:
    """Convert one document into the data package folder `out` (what `opendata convert
    SOURCE --out DIR` does): `convert_file` (`limits`, `unit_name`, `year`, `stage` as there),
    then `write_result`. Returns the result, `result.path` being the package folder written.
    Many documents at once: `opendata.convert.batch.convert_batch` (`--out-dir`).

    Errors: ConversionError (LimitError) for a document that cannot be converted;
    StrictRefused with `strict` when there are warnings; PackageError for an output that is
    refused or cannot be written — in every case before anything is written."""
    source = Path(source)
    result = convert_file(source, limits, unit_name=unit_name, year=year, stage=stage)
    if strict and result.warnings:
        raise StrictRefused(source, result)
    write_result(result, out)
    return result


class _CallableModule(types.ModuleType):
    """This module, callable: `opendata.convert(source, out, ...)` is `convert_to_package`."""

    def __call__(self, source: str | Path, out: str | Path, *, strict: bool = False,
                 limits: Limits | None = None, **given) -> ConversionResult:
        """`convert_to_package(source, out, strict=..., limits=..., unit_name=..., year=..., stage=...)`."""
        return convert_to_package(source, out, strict=strict, limits=limits, **given)


sys.modules[__name__].__class__ = _CallableModule


def register(suffix: str, converter) -> None:
    """Other source families (PDF, Excel, Word) add their converter here: a function
    `(path, warnings, limits) -> Disclosure` that keeps to `limits` (`limits.Limits`)."""
    CONVERTERS[suffix] = converter


from .pdf import convert_pdf  # noqa: E402

register(".pdf", convert_pdf)

from .xlsx import convert_xlsx  # noqa: E402
from .docx import convert_docx  # noqa: E402

from .html import convert_html  # noqa: E402

register(".xlsx", convert_xlsx)
register(".xls", convert_xlsx)
register(".docx", convert_docx)
register(".html", convert_html)
register(".htm", convert_html)
FORMATS.update({"pdf": convert_pdf, "docx": convert_docx, "xlsx": convert_xlsx, "xls": convert_xlsx, "html": convert_html})
