"""The narrative as the checks read it: the layout's spaces taken out of its sentences.

Some PDFs letter-space their text ("2 2 5 , 4 3 1 . 7 8万元", "与 上 年 相 比 增 加 1454.35 万 元"):
read as printed, a sentence's amount would be its last digit ("8万元", issue #14: 028 p. 27) and
its comparison would not be recognised. Spaces next to a Chinese character or mark go, and so
do the spaces of a run of single digits (each digit, comma or point a word of its own); two
numbers separated by a space stay two numbers.
"""
from __future__ import annotations

import re

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+|[ \t\u00a0]+(?=[{_CJK}])")
_SPACED_DIGITS = re.compile(r"(?<![\d,.])(?:[\d,.][ \t\u00a0]){2,}[\d,.](?![\d,.])")


def unspaced(text: str) -> str:
    """`text` without line breaks and without the spaces of letter-spaced words and numbers."""
    text = re.sub(r"\s*\n\s*", "", text)
    text = _SPACED_DIGITS.sub(lambda m: re.sub(r"[ \t\u00a0]", "", m.group(0)), text)
    return _NEXT_TO_CJK.sub("", text)
