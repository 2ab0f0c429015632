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
    return SourceDocument(
        filename=path.name, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), format=fmt,
        local_path=str(path),
    )


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
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [Line(no=start + i, text=raw.rstrip("\n"), page=page) for i, raw in enumerate(text.split("\n"))]
