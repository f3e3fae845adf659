"""Formulas in a position-free form, so copies of one template compare cell by cell.

A reference to the indicator table's sheet names its row by an anchor instead of a number: the
indicator's row key (``k决策|项目立项|立项依据充分性``), a row below the table by its distance from the
last indicator row (``e2``), a row above it by its number (``r3``), and a row between indicators
(a subtotal) by the indicator above it (``k…+1``). A reference to the formula's own row is ``@``
(Excel's R1C1 ``R``). So ``=SUM(G4:G24)`` reads the same in a copy with a row inserted inside the
range (Excel widens it), and ``=ROUND(MIN(1,F5/E5)*D5,2)`` the same on every row. Function names are
compared in upper case (LibreOffice writes a function it does not know in lower case, and ``TRUE``
as ``TRUE()``), spaces and ``$`` are dropped. ``render`` writes a canonical formula back in A1 form for a given workbook.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from xlperf.workbook.formulatext import CLOSE, FUNC, OPEN, OPERAND, RANGE, sheet_of, tokens

_PART = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_ANCHORED = re.compile(r"⟦([A-Z]{1,3})\|([^⟧]*)⟧")
_RANGE_FUNC = re.compile(r"^(.+):([^:]+\()$")  # A1:INDEX( … tokenizes as one function
_PREFIX = re.compile(r"((?:'[^']*(?:''[^']*)*'|[^\s!,()+\-*/&=<>^:;⟧]+)!)$")

Anchor = Callable[[str, int], str]  # (sheet, row) → anchor
RowOf = Callable[[str, str], "int | None"]  # (sheet, anchor) → row, None when the row is gone


def _ref(text: str, sheet: str, row: int, anchor: Anchor) -> str:
    """One reference operand with every cell part anchored; names and whole rows/columns unchanged."""
    prefix, bang, ref = text.rpartition("!")
    target = sheet_of(prefix) if bang else sheet
    parts = ref.split(":")
    matches = [_PART.match(p) for p in parts]
    if not all(matches):
        return text.replace("$", "")
    out = []
    for m in matches:
        r = int(m.group(2))
        where = "@" if r == row and target.upper() == sheet.upper() else anchor(target, r)
        out.append(f"⟦{m.group(1).upper()}|{where}⟧")
    return prefix + bang + ":".join(out)


@lru_cache(maxsize=65536)
def _canon_cached(formula: str, sheet: str, row: int, anchor: Anchor) -> str:
    items = tokens(formula)
    if items is None:
        return "=" + formula.lstrip("=").replace(" ", "")
    out: list[str] = []
    skip = False
    for i, (value, kind, subtype) in enumerate(items):
        if skip:
            skip = False
            continue
        if kind == OPERAND and subtype == RANGE:
            value = _ref(value, sheet, row, anchor)
        elif kind == FUNC and subtype == OPEN:
            m = _RANGE_FUNC.match(value)
            value = f"{_ref(m.group(1), sheet, row, anchor)}:{m.group(2).upper()}" if m else value.upper()
            if value in ("TRUE(", "FALSE(") and i + 1 < len(items) and items[i + 1][1:] == (FUNC, CLOSE):
                value, skip = value[:-1], True  # LibreOffice writes the constants TRUE and FALSE as TRUE()
        out.append(value)
    return "=" + "".join(out)


def canon(formula: str, sheet: str, row: int, anchor: Anchor) -> str:
    """The canonical text of ``formula`` standing on ``sheet`` at ``row``. ``anchor`` must be hashable
    and stable for one workbook's table (results are cached per formula, place and anchor)."""
    return _canon_cached(formula, sheet, row, anchor)


def render(canonical: str, sheet: str, row: int, row_of: RowOf) -> str:
    """A canonical formula in A1 form at (sheet, row) of a workbook; a row it lacks becomes #REF!."""
    out, pos, target = [], 0, sheet
    for m in _ANCHORED.finditer(canonical):
        between = canonical[pos:m.start()]
        out.append(between)
        if between != ":":  # the second end of a range is on the first end's sheet
            bang = _PREFIX.search(between)  # the sheet prefix stands right before the anchor (searching all that
            target = sheet_of(bang.group(1)) if bang else sheet  # came before made a long formula quadratic)
        where = m.group(2)
        r = row if where == "@" else row_of(target, where)
        out.append("#REF!" if r is None else f"{m.group(1)}{r}")
        pos = m.end()
    out.append(canonical[pos:])
    return "".join(out)


def anchors_in(canonical: str) -> list[str]:
    """Every anchor a canonical formula holds, in order."""
    return [m.group(2) for m in _ANCHORED.finditer(canonical)]


def rewrite(canonical: str, change: Callable[[str, bool, bool], str | None]) -> str:
    """Each anchor replaced by ``change(anchor, starts_range, ends_range)`` (None: the reference is #REF!)."""
    out, pos = [], 0
    matches = list(_ANCHORED.finditer(canonical))
    for i, m in enumerate(matches):
        starts = canonical[m.end():m.end() + 2] == ":⟦"
        ends = i > 0 and canonical[matches[i - 1].end():m.start()] == ":"
        new = change(m.group(2), starts, ends)
        out.append(canonical[pos:m.start()])
        out.append("#REF!" if new is None else f"⟦{m.group(1)}|{new}⟧")
        pos = m.end()
    out.append(canonical[pos:])
    return "".join(out)


__all__ = ["canon", "render", "rewrite", "anchors_in", "tokens", "sheet_of"]
