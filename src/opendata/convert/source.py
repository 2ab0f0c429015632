"""Reading a source document's text: decoding, refusing what is not text, numbering lines."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..model import SourceDocument
from .errors import ConversionError

ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class Line:
    """One line of the source text: its number (1-based) and page where known."""
    no: int
    text: str
    page: int | None = None


def describe_source(path: Path, data: bytes, fmt: str) -> SourceDocument:
    """The SourceDocument of a file read as `data`: its name, SHA-256 (hex), size in bytes, format
    `fmt` (pdf, xlsx, docx, txt …) and `path` as the local path (not written out)."""
    return SourceDocument(
        filename=path.name, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), format=fmt,
        local_path=str(path),
    )


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def require_zip_container(path: Path, data: bytes, kind: str, suffix: str, old_format: str) -> None:
    """Office Open XML files (.xlsx, .docx) are zip archives: refuse an empty file, an old
    OLE-format file (`old_format` says what to do) and anything else, clearly."""
    if not data:
        raise ConversionError(f"{path}: the file is empty")
    if data[:8] == OLE_MAGIC:
        raise ConversionError(f"{path}: {old_format}")
    if data[:2] != b"PK":
        raise ConversionError(f"{path}: not {kind} file (not a zip archive); 文件不是{suffix}格式或已损坏")


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030/GBK; a clear error for binary or other encodings."""
    if not data.strip():
        raise ConversionError(f"{path}: the file is empty")
    if b"\x00" in data[:4096]:
        raise ConversionError(f"{path}: binary file, not a text disclosure (found NUL bytes); 不是文本文件")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ConversionError(f"{path}: text is neither UTF-8 nor GB18030/GBK; 无法识别的文本编码")


def text_lines(text: str, page: int | None = None, start: int = 1) -> list[Line]:
    """Text -> list[Line], numbered from `start`, all on `page`: CR LF, CR and form feeds end lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [Line(no=start + i, text=raw.rstrip("\n"), page=page) for i, raw in enumerate(text.split("\n"))]
