"""Read numbers out of cells that may hold text ("3", "2.85分", "1,234.5")."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from xlperf.core.frozen import frozen
from xlperf.core.quantity import normalise
from xlperf.core.rounding import to_decimal

_NUMERIC_TEXT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(分|万元|元)?$")


@frozen
class CellNumber:
    """A cell read as a number: ``value`` is None when empty or not a number; ``text`` marks text storage."""

    value: Decimal | None
    raw: object = None
    text: bool = False  # a number stored as text ("3")
    invalid: bool = False  # text that is not a number ("三分", "#VALUE!")

    @property
    def empty(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())


_EMPTY = CellNumber(None)


def read_number(raw: object) -> CellNumber:
    """Interpret a weight, score or budget cell."""
    if raw is None:
        return _EMPTY
    if type(raw) is int:
        return _whole(raw)
    if isinstance(raw, bool):
        return CellNumber(None, raw, invalid=True)
    if isinstance(raw, str):
        norm = normalise(raw)
        if not norm:
            return CellNumber(None, raw)
        match = _NUMERIC_TEXT.match(norm)
        if not match:
            return CellNumber(None, raw, text=True, invalid=True)
        number = norm[: match.start(1)] if match.group(1) else norm
        return CellNumber(Decimal(number.replace(",", "")), raw, text=True)
    try:
        return CellNumber(to_decimal(raw), raw)
    except ValueError:
        return CellNumber(None, raw, invalid=True)


@lru_cache(maxsize=4096)
def _whole(raw: int) -> CellNumber:
    """A cell holding an int (weights and scores mostly are): the same immutable CellNumber for each value."""
    return CellNumber(to_decimal(raw), raw)
