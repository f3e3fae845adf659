"""Text typed where a formula computes with a number: reported at the typed cell, not only at the error.

``=ROUND(MIN(1,H14/E14)*G14,2)`` over ``H14 = "二十场"`` gives ``#VALUE!``; the unit has to fix H14. A
formula whose value is ``#VALUE!`` is searched for single-cell references it uses in arithmetic
(next to ``+ - * / ^``); each that holds text that is not a number is one finding at that cell.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from xlperf.findings import Finding
from xlperf.workbook.grid import a1
from xlperf.workbook.xlsxparts import position

ARITHMETIC = frozenset("+-*/^")


def _arithmetic_refs(formula: str, sheet: str) -> Iterator[tuple[str, str]]:
    """(sheet, A1) of single-cell references standing next to an arithmetic operator."""
    from xlperf.workbook.formulatext import sheet_of, tokens  # tokenized only for a formula giving #VALUE!

    items = tokens(formula) or ()
    for i, (value, kind, subtype) in enumerate(items):
        if kind != "OPERAND" or subtype != "RANGE" or ":" in value:
            continue
        near = [items[j] for j in (i - 1, i + 1) if 0 <= j < len(items)]
        if any(t[1].startswith("OPERATOR") and t[0] in ARITHMETIC for t in near):
            prefix, bang, ref = value.rpartition("!")
            yield (sheet_of(prefix) if bang else sheet), ref.replace("$", "")


def _is_number_text(value: str) -> bool:
    try:
        float(value.strip().replace(",", ""))
    except ValueError:
        return False
    return True


def text_in_number_cells(view, values: Mapping[tuple[str, str], Any] | None = None) -> list[Finding]:
    """Typed text behind a ``#VALUE!`` (``values``: recomputed values by (sheet, A1); else the saved ones)."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for sheet, formulas in view.formulas.items():
        grid = view.grid(sheet)
        saved = grid.values if grid is not None else {}
        if values is None and "#VALUE!" not in map(saved.get, formulas):
            continue  # no saved #VALUE! on this sheet, found in C (ff: 6.0 → 4.0 µs a bureau copy)
        for (row, col), text in formulas.items():
            if values is None:  # the saved values: the A1 text only for a #VALUE! (ff: 0.013 → 0.006 ms a copy)
                value = saved.get((row, col))
                if value != "#VALUE!":
                    continue
                ref = a1(row, col)
            else:
                ref = a1(row, col)
                value = values.get((sheet, ref))
                if value != "#VALUE!":
                    continue
            for target, cell in _arithmetic_refs(text, sheet):
                other = view.grid(target)
                try:
                    pos = position(cell)
                except (KeyError, ValueError):
                    continue
                typed = other.get(*pos) if other is not None else None
                if (target, cell) in seen or pos in view.formulas.get(target, {}) or not isinstance(typed, str) \
                        or _is_number_text(typed):
                    continue
                seen.add((target, cell))
                findings.append(Finding("text-in-number-cell", target, cell, pos[0], found=typed,
                                        params={"formula": text, "cell": f"{sheet}!{ref}", "error": "#VALUE!"}))
    return findings
