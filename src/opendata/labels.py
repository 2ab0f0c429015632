"""The one normaliser of printed Chinese labels (titles, column headers, row labels).

`normalise_label` removes all white space (wrapping and letter-spacing put spaces
between characters) and, on request, folds full-width forms to ASCII (NFKC: （ → (, ：→ :,
full-width digits) and unifies punctuation (quotes dropped, full-width brackets, colon
and comma to ASCII). The converter compares headers and titles in the `squash` form,
the validator compares row labels in the `compact` form; both are presets of it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_PUNCTUATION = str.maketrans({"“": "", "”": "", '"': "", "‘": "", "’": "", "'": "", "（": "(", "）": ")", "：": ":", "，": ",", "、": "、"})
CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff（）()])\s+(?=[\u4e00-\u9fff（）()])")


def nfkc(text: str | None) -> str:
    """`text` in Unicode NFKC (full-width letters, digits and punctuation as ASCII); '' for None."""
    return unicodedata.normalize("NFKC", text or "")


def normalise_label(text: str | None, *, fold_width: bool = False, punctuation: bool = False) -> str:
    """A label without white space; with `fold_width` NFKC-folded first, with `punctuation`
    quotes removed and full-width brackets, colon and comma made ASCII."""
    text = nfkc(text) if fold_width else (text or "")
    text = _SPACES.sub("", text)
    return text.translate(_PUNCTUATION) if punctuation else text


def squash(text: str | None) -> str:
    """The form headers and titles are compared in: no white space, punctuation unified."""
    return normalise_label(text, punctuation=True)


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """The form row labels are compared in: NFKC, no white space."""
    return normalise_label(text, fold_width=True)


def header_key(text: str | None) -> str:
    """A header cell in `squash` form without a leading '其中' / '其中:' and trailing colon."""
    key = squash(text)
    for prefix in ("其中:", "其中"):
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix):]
    return key.rstrip(":")


def clean_label(text: str | None) -> str:
    """A printed label without layout artefacts: spaces between Chinese characters (from
    wrapping or letter-spacing) removed, outer white space and colons stripped."""
    text = CJK_GAP.sub("", (text or "").replace("\u3000", " ")).strip()
    return text.rstrip("：:").strip()
