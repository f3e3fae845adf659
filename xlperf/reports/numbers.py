"""How a report prints the core's numbers: points as the published reports print them, rates in percent.

Only formatting: every value comes from the core's result, rounded by ``xlperf.core.rounding``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xlperf.core.quantity import Kind, Quantity
from xlperf.core.rounding import excel_round, points

CN_NUMERALS = "一二三四五六七八九十"


def pts(value: Decimal | None) -> str:
    """Points: 3 → '3', 2.9 → '2.90', 4.705 → '4.71' (Excel rounding); None → ''."""
    if value is None:
        return ""
    rounded = points(value)
    return f"{rounded:.0f}" if rounded == rounded.to_integral_value() else f"{rounded:.2f}"


def pct(rate: Decimal | None, digits: int = 2) -> str:
    """A fraction as a percentage rounded like Excel: 0.93333 → '93.33%'; None → ''."""
    if rate is None:
        return ""
    return f"{excel_round(rate * 100, digits):.{digits}f}%"


def number(value: Decimal | None) -> str:
    """A plain figure as written, without trailing zeros: 2916.350 → '2916.35'."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def quantity_text(raw: Any, quantity: Quantity) -> str:
    """A target or actual as the reader of a report expects it: text as typed, a percent cell as 94.20%."""
    if isinstance(raw, str):
        return raw.strip()
    if raw is None:
        return ""
    if quantity.kind is Kind.PERCENT and quantity.value is not None:
        return pct(quantity.value)
    if quantity.kind is Kind.NUMBER and quantity.value is not None:
        return number(quantity.value) + quantity.unit
    return quantity.describe()


def quantity_value(quantity: Quantity) -> str:
    """The number inside a parsed quantity, for arithmetic shown in the text: '68' or '94.20%'."""
    if quantity.kind is Kind.PERCENT:
        return pct(quantity.value)
    return number(quantity.value)


def cn_ordinal(n: int) -> str:
    """1 → '一', 12 → '十二', 20 → '二十' (section numbers up to 99)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMERALS[ones - 1] if ones else "")
