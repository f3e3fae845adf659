"""How wide a text shows: two columns per wide (CJK) character, one per other character.

Its own module so that the 汇总's row heights need not import the terminal tables (``console`` imports the
scoring and the JSON report: about 10 ms in the batch's tail, where the 汇总 is prepared)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
