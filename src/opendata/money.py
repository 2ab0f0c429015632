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


class AmountError(ValueError):
    """A cell that should hold an amount does not."""


def is_amount(text: str) -> bool:
    """True when `text` is a printed amount: digits, optional thousands commas, optional decimals."""
    return bool(_AMOUNT.match(text.strip().replace("，", ",")))


def printed_decimals(text: str) -> int:
    """How many decimals the amount was printed with."""
    text = text.strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def parse_amount(text: str, unit: str = "元") -> Decimal:
    """Printed amount in `unit` -> exact Decimal in 元."""
    cleaned = text.strip().replace("，", ",").replace("−", "-").replace("–", "-")
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
