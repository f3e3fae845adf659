"""Text exported to a spreadsheet or CSV made inert: never a formula, always a cell's worth of XML-safe text.

Placeholder for the one text neutraliser the reliability work adds to ``xlperf/report/`` (issue 15):
every writer calls ``neutralise``, so the two merge into one function.
"""

from __future__ import annotations

import re

FORMULA_LEAD = ("=", "+", "-", "@")  # what a spreadsheet would read as the start of a formula
MAX_TEXT = 32767  # Excel's limit for one cell's text
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def neutralise(text: object) -> str:
    """``text`` as a cell can hold it: characters XML 1.0 cannot carry shown as U+FFFD (visibly, not
    dropped), at most Excel's 32 767 characters."""
    text = text if isinstance(text, str) else str(text)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("\ufffd", text)
    return text[:MAX_TEXT]


def formula_like(text: str) -> bool:
    """True for text a spreadsheet would take for a formula if it were typed (shown with a quote prefix)."""
    return text.startswith(FORMULA_LEAD)
