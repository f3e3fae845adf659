"""Returns saved by a program without xlperf's functions (WPS, LibreOffice): not calculated there.

WPS caches ``#NAME?`` for a cell calling a function it does not know; LibreOffice does too and writes
the function's name in lower case (``=perf_score(…)``), recalculating what depends on it to an error.
Neither is the unit's doing, so it is one info finding for the file, and every formula cell whose
saved value is an Excel error takes the value the template's formulas give from the file's inputs
(the formula engine), or no value with ``--no-formulas`` (the core then scores from the inputs), before
the table is read: the rule findings come from the recomputed scores, and a score the unit typed
over a formula is still found by the template comparison.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from xlperf.engine.key import formula_key
from xlperf.findings import Finding
from xlperf.workbook.grid import a1

UDF_CALL = re.compile(r"PERF_[A-Z]+\s*\(", re.IGNORECASE)
_PREFIXES = ("_xlfn.", "_xlws.", "_xldudf_", "_xlpm.")
_MAYBE_LOWER = re.compile(r"[a-z][\w.]*\(")  # without it no function name has a lower-case letter
ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!"})


@lru_cache(maxsize=8192)
def lower_case_function(formula: str) -> str | None:
    """The first function name written in lower case (as LibreOffice writes one it does not know)."""
    if not _MAYBE_LOWER.search(formula):
        return None
    from xlperf.workbook.formulatext import tokens  # openpyxl's tokenizer, only for such a formula

    for value, kind, subtype in tokens(formula) or ():
        if kind == "FUNC" and subtype == "OPEN":
            name = value[:-1]
            if name.lower().startswith(_PREFIXES):
                continue
            if name != name.upper() and ":" not in name:
                return name
    return None


def _is_error(value: Any) -> bool:
    return isinstance(value, str) and value in ERRORS


def foreign_save(view) -> str | None:
    """What shows the file was saved where xlperf's functions do not run ("#NAME?", "perf_score"), or None.

    What the formulas alone tell is found once per formula set (``engine.key``), as copies of a template share
    it: whether any names a function in lower case, and which call xlperf's functions; a copy then only reads
    those cells' saved values (0.0074 → 0.0015 ms per bureau copy)."""
    key = formula_key(view)
    found = _FORMULAS.get(key)
    if found is None:
        found = (any(lower_case_function(text) for texts in view.formulas.values() for text in texts.values()),
                 tuple((sheet, tuple(pos for pos, text in texts.items() if UDF_CALL.search(text)))
                       for sheet, texts in view.formulas.items()))
        if len(_FORMULAS) >= MAX_FORMULA_SETS:
            _FORMULAS.clear()
        _FORMULAS[key] = found
    lower, calls = found
    if lower:  # the first lower-case name in the file's own order: the plain pass
        return _foreign_save(view)
    for sheet, cells in calls:
        grid = view.grid(sheet) if cells else None
        if grid is not None and any(grid.values.get(pos) == "#NAME?" for pos in cells):
            return "#NAME?"
    return None


_FORMULAS: dict[tuple, tuple[bool, tuple]] = {}  # formula set → (a lower-case name in any, UDF-calling cells)
MAX_FORMULA_SETS = 256


def _foreign_save(view) -> str | None:
    """``foreign_save`` one formula at a time."""
    name_error = lower = None
    for sheet, formulas in view.formulas.items():
        grid = view.grid(sheet)
        values = grid.values if grid is not None else {}
        for pos, text in formulas.items():
            if name_error is None and values.get(pos) == "#NAME?" and UDF_CALL.search(text):
                name_error = "#NAME?"
            if lower is None:
                lower = lower_case_function(text)
            if name_error and lower:
                break
    return ", ".join(x for x in (name_error, lower) if x) or None


def substitute(view, values: dict[tuple[str, str], Any] | None) -> int:
    """Every formula cell saved with an error value takes its recomputed value (none without the engine)."""
    changed = 0
    for sheet, formulas in view.formulas.items():
        grid = view.grid(sheet)
        if grid is None:
            continue
        for (row, col) in formulas:
            if not _is_error(grid.values.get((row, col))):
                continue
            value = values.get((sheet, a1(row, col))) if values is not None else None
            if value is None or value == "" or _is_error(value):
                grid.values.pop((row, col), None)
            else:
                grid.values[(row, col)] = value
            changed += 1
    return changed


def not_calculated_here(view, formulas: bool, shared: bool) -> tuple[list[Finding], dict | None]:
    """The info finding and the recomputed values (reused by the formula step), or nothing for a normal save."""
    detail = foreign_save(view)
    if detail is None:
        return [], None
    values = None
    if formulas:
        from xlperf.engine.compiled import recompute

        values = recompute(view, shared)
    substitute(view, values)
    return [Finding("not-calculated-here", params={"detail": detail})], values
