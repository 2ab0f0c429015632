"""Classification codes printed in label cells or in 类 / 款 / 项 columns -> one code."""
from __future__ import annotations

import re

from ..standard import load_standard

CODE_NAME = re.compile(r"^\s*([\[【（(]?)\s*(\d{3,})\s*([\]】）)]?)\s*[-—－ ]?\s*(.*)$")
BRACKETS = {"": "", "[": "]", "【": "】", "（": "）", "(": ")"}


def split_code(text: str) -> tuple[str | None, str]:
    """A label cell that may start with a classification code -> (code, rest): '2010101 行政运行',
    '30101-基本工资' or '[2200501]行政运行' (the code in brackets) -> ('2010101', '行政运行') when the
    code has the digits of a 类/款/项 level of a classification (3, 5 or 7: `code_lengths` in
    schema/codelists/codelists.csv), else (None, the cell stripped)."""
    match = CODE_NAME.match(text or "")
    lengths = {n for levels in load_standard().code_lengths.values() for n in levels}
    if match and len(match.group(2)) in lengths and BRACKETS.get(match.group(1)) == match.group(3):
        return match.group(2), match.group(4).strip()
    return None, (text or "").strip()


def join_code_parts(parts: list[str]) -> str | None:
    """The 类 / 款 / 项 cells of a row -> one code: '201', '1', '01' -> '2010101' (款 and 项
    zero-padded to two digits); stops at the first blank part; None when a part is not digits."""
    digits = [p.strip() for p in parts]
    if not digits[0].isdigit():
        return None
    code = digits[0]
    for part in digits[1:]:
        if not part:
            break
        if not part.isdigit():
            return None
        code += part.zfill(2)
    return code


def inherit_parts(code_rows: dict[str, list[str]], field: str, parts: list[str]) -> list[str]:
    """The 类 / 款 / 项 cells of a row with the levels printed only on the rows above filled in: a 款
    row printing only 08 under the 类 row 205 is 205 08, a 项 row printing only 03 is 205 08 03
    (the last row with a 类 before it). Blank leading parts stay blank when no row above has them.
    `code_rows`: code field -> the parts of the last row printing a 类, updated in place."""
    first = next((i for i, part in enumerate(parts) if part.strip()), None)
    last = code_rows.get(field, [])
    if first and all(p.strip().isdigit() for p in parts[first:] if p.strip()) and len(last) >= first and all(last[:first]):
        parts = last[:first] + parts[first:]
    if parts[0].strip().isdigit():
        code_rows[field] = [p.strip() for p in parts]
    return parts
