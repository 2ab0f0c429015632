"""Exact money: parse printed amounts into Decimal 元 and format them back.

Amounts never pass through float. A printed amount keeps its printed precision:
"5,932.091636" in 万元 becomes Decimal("59320916.36") 元; "461.84" 万元 becomes
Decimal("4618400") 元, known to ±50 元 (half a unit of the last printed digit).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .standard import load_standard

# printed unit -> factor to 元, from schema/codelists/money_units.csv
UNIT_FACTORS = {unit: Decimal(factor) for unit, factor in load_standard().money_factors.items()}

_AMOUNT = re.compile(r"^[-−–]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
# the accountants' negative: an amount in brackets, "(28.65)" or "（1,234）"; only with decimals or thousands
# commas, so that a numbered item "(3)", "（一）" or a code in brackets "(2010101)" stays text
_BRACKETED = re.compile(r"^[(（]\s*((\d{1,3}(,\d{3})+|\d+)\.\d+|\d{1,3}(,\d{3})+)\s*[)）]$")


class AmountError(ValueError):
    """A cell that should hold an amount does not."""


def _unbracketed(text: str) -> str:
    """A printed amount with a bracketed negative "(28.65)" written as "-28.65"; other text as it was (stripped,
    full-width commas and minus signs made ASCII)."""
    cleaned = text.strip().replace("，", ",").replace("−", "-").replace("–", "-")
    if _BRACKETED.match(cleaned):
        return "-" + cleaned[1:-1].strip()
    return cleaned


def is_amount(text: str) -> bool:
    """True when `text` is a printed amount: digits, optional thousands commas, optional decimals, optionally a
    minus sign or, with decimals or thousands commas, brackets for a negative ("(28.65)", "（1,200）")."""
    return bool(_AMOUNT.match(_unbracketed(text)))


def printed_decimals(text: str) -> int:
    """How many decimals the amount was printed with ("(28.65)" -> 2)."""
    text = _unbracketed(text)
    return len(text.split(".", 1)[1]) if "." in text else 0


def parse_amount(text: str, unit: str = "元") -> Decimal:
    """Printed amount in `unit` -> exact Decimal in 元; a bracketed amount is negative ("(28.65)" -> -28.65 × the
    unit's factor). Raises AmountError for anything else (a numbered item "(3)" or "（一）" is not an amount)."""
    cleaned = _unbracketed(text)
    if not _AMOUNT.match(cleaned):
        raise AmountError(f"not an amount: {text!r}")
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex guards this
        raise AmountError(f"not an amount: {text!r}") from exc
    return value * UNIT_FACTORS[unit]


def format_amount(value: Decimal) -> str:
    """Plain decimal string: no exponent, no grouping, no trailing zeros, no '-0'."""
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def tolerance(unit: str, decimals: int) -> Decimal:
    """Half a unit of the last printed digit, in 元 (two decimals in 万元 -> 50 元)."""
    return UNIT_FACTORS[unit] * Decimal(1).scaleb(-decimals) / 2
