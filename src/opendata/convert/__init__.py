"""Source document -> canonical disclosure model.

`convert_file(path)` reads a document, finds its tables by their titles and headers,
maps them to the catalog, and returns the model with everything it did not understand
listed as warnings. It never writes anything; `opendata.package.write_package` does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Disclosure
from ..package import package_name, package_title
from ..standard import load_standard
from ..version import __version__
from .errors import ConversionError, Warnings
from .text import convert_text

__all__ = ["ConversionError", "ConversionResult", "convert_file"]

CONVERTERS = {".txt": convert_text, ".text": convert_text}


@dataclass
class ConversionResult:
    disclosure: Disclosure
    warnings: list[str] = field(default_factory=list)


def convert_file(path: str | Path) -> ConversionResult:
    path = Path(path)
    if not path.exists():
        raise ConversionError(f"{path}: no such file")
    if path.is_dir():
        raise ConversionError(f"{path}: is a folder, expected a disclosure document")
    converter = CONVERTERS.get(path.suffix.lower(), convert_text)
    warnings = Warnings(path.name)
    disclosure = converter(path, warnings)
    check_complete(disclosure, path)
    disclosure.name = package_name(disclosure)
    disclosure.title = package_title(disclosure)
    disclosure.standard_version = load_standard().version
    disclosure.conversion = {"tool": f"opendata {__version__}", "warnings": len(warnings.items)}
    return ConversionResult(disclosure, warnings.items)


def check_complete(disclosure: Disclosure, path: Path) -> None:
    money_tables = [t for t in disclosure.tables.values() if load_standard().tables[t.table_id].kind != "text"]
    if not money_tables:
        raise ConversionError(f"{path}: no table of a budget disclosure was recognised (不是部门预算/决算公开文件?)")


def register(suffix: str, converter) -> None:
    """Other source families (PDF, Excel, Word) add their converter here."""
    CONVERTERS[suffix] = converter


from .pdf import convert_pdf  # noqa: E402

register(".pdf", convert_pdf)

from .xlsx import convert_xlsx  # noqa: E402
from .docx import convert_docx  # noqa: E402

register(".xlsx", convert_xlsx)
register(".xls", convert_xlsx)
register(".docx", convert_docx)
