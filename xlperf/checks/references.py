"""The cell areas a formula's text refers to, for the engine's input limits and the circular-reference check.

Formulas are split by openpyxl's tokenizer (strings, functions and names are told apart from
references); each reference operand becomes an area ``(sheet, r1, c1, r2, c2)``: ``A1``, ``$A$1:B9``,
``'Other sheet'!C3``, whole columns ``A:C`` and whole rows ``2:5``. Defined names, external (``[1]…``)
and 3-D references, and what INDIRECT or OFFSET compute are not areas of the text and are left out.
Results are cached by (sheet, text, sheet names): copies of one template repeat their formulas.
"""

from __future__ import annotations

import re
from functools import lru_cache

from xlperf.workbook.tokenizer import Token, Tokenizer, TokenizerError

MAX_ROW, MAX_COL = 1_048_576, 16_384
Area = tuple[str, int, int, int, int]  # sheet, first row, first column, last row, last column
_END = re.compile(r"\$?([A-Za-z]{1,3})?\$?(\d{1,7})?")


def _column(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _end(text: str) -> tuple[int | None, int | None] | None:
    """(row, column) of one end of a reference; None in either place for a whole column or row."""
    m = _END.fullmatch(text)
    if m is None or not (m[1] or m[2]):
        return None
    return (int(m[2]) if m[2] else None), (_column(m[1]) if m[1] else None)


def _sheet(prefix: str, here: str, sheets: dict[str, str]) -> str | None:
    if not prefix:
        return here
    if prefix.startswith("'") and prefix.endswith("'"):
        prefix = prefix[1:-1].replace("''", "'")
    if "[" in prefix or ":" in prefix:
        return None  # another workbook, or a 3-D reference
    return sheets.get(prefix.upper())


def area(operand: str, here: str, sheets: dict[str, str]) -> Area | None:
    """The area of one reference operand (None for a name or anything this module does not model)."""
    prefix, _, ref = operand.rpartition("!")
    sheet = _sheet(prefix, here, sheets)
    pieces = ref.split(":")
    if sheet is None or len(pieces) > 2:
        return None
    ends = [_end(piece) for piece in pieces]
    if None in ends:
        return None
    (r1, c1), (r2, c2) = ends[0], ends[-1]
    if (r1 is None) != (r2 is None) or (c1 is None) != (c2 is None) or (len(ends) == 1 and None in (r1, c1)):
        return None
    r1, r2 = (1, MAX_ROW) if r1 is None else (min(r1, r2), max(r1, r2))
    c1, c2 = (1, MAX_COL) if c1 is None else (min(c1, c2), max(c1, c2))
    return sheet, r1, c1, r2, c2


@lru_cache(maxsize=16384)
def areas(here: str, text: str, names: tuple[str, ...]) -> tuple[Area, ...]:
    """Every area the formula ``text`` on sheet ``here`` refers to (``names``: the workbook's sheets)."""
    try:
        tokens = Tokenizer(text if text.startswith("=") else "=" + text).items
    except (TokenizerError, IndexError, ValueError):
        return ()
    sheets = {name.upper(): name for name in names}
    found = []
    for token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            hit = area(token.value, here, sheets)
            if hit is not None:
                found.append(hit)
    return tuple(found)


def size(found: Area) -> int:
    """How many cells an area holds."""
    return (found[3] - found[1] + 1) * (found[4] - found[2] + 1)
