"""The one neutraliser for exported text: nothing xlperf writes is read back by a spreadsheet as a formula,
and every text is a cell's worth of XML-safe characters.

Excel, WPS and LibreOffice take a cell typed or imported as ``=…``, ``+…``, ``-…`` or ``@…`` for a
formula; LibreOffice also after leading spaces or control characters, and with the full-width signs
``＝＋－＠`` an IME types. A text that opens with a tab, a carriage return or a line feed starts a new
field or row in some importers, which then read what follows as a formula (OWASP's "CSV injection").
Every text xlperf exports (findings.csv, the 汇总 workbook, the pandas views of results.json) goes through
:func:`neutralise`, which puts an apostrophe in front of such a text (spreadsheets show it as text and
never evaluate it), shows characters XML 1.0 cannot carry as U+FFFD (visibly, not dropped) and keeps at
most Excel's 32 767 characters. The 汇总 writes every string with xlsxwriter's ``write_string``, which
never makes a formula; the apostrophe still guards what a user copies out of it.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_SIGNS = frozenset("=+-@＝＋－＠")
BREAKS = frozenset("\t\r\n")
MAX_TEXT = 32767  # Excel's limit for one cell's text
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _skippable(ch: str) -> bool:
    """Leading characters a spreadsheet may pass over before it looks for a formula sign."""
    return ch.isspace() or ch < " " or "\x7f" <= ch <= "\x9f" or ch in "\u200b\u200c\u200d\u2060\ufeff"


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or split it into a new field first)."""
    if not text:
        return False
    if text[0] in FORMULA_SIGNS or text[0] in BREAKS:
        return True
    if not _skippable(text[0]):
        return False
    for ch in text:
        if ch in BREAKS or ch in FORMULA_SIGNS:
            return True
        if not _skippable(ch):
            return False
    return False


def neutralise(text: object) -> str:
    """``text`` as it is safe to export: XML-safe, at most 32 767 characters, and with an apostrophe in
    front when a spreadsheet could read it as a formula."""
    text = text if isinstance(text, str) else str(text)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("\ufffd", text)
    if formula_like(text):
        text = "'" + text
    return text[:MAX_TEXT]


def safe_value(value: Any) -> Any:
    """A cell value for export: texts neutralised, other values unchanged."""
    return neutralise(value) if isinstance(value, str) else value


__all__ = ["formula_like", "neutralise", "safe_value", "FORMULA_SIGNS", "MAX_TEXT"]
