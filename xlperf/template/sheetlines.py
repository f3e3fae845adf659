"""One sheet's fingerprint lines from a WorkbookView, reused while a sheet's protected content repeats.

Returned copies of one template share their locked cells, so the lines of the last few sheets
are kept with exactly what they were made from (merges, locked cells, formula texts, typed
values of the locked constants); a sheet whose inputs all compare equal gets the same lines.
"""

from __future__ import annotations

from typing import Any

from xlperf.template.fingerprint import canonical
from xlperf.workbook.grid import a1, column_letter

_KEEP = 4  # variants kept per sheet name
_MAX_NAMES = 64
_MEMO: dict[str, list[tuple]] = {}  # sheet name → [(merged, locked, formulas, constant cells, their values, lines)]


def _lines(name: str, merged: list, locked: set, formulas: dict, values: dict) -> list[str]:
    ranges = sorted(f"{a1(r1, c1)}:{a1(r2, c2)}" for r1, c1, r2, c2 in merged)
    lines = [f"{name}!merged=" + ",".join(ranges)]
    for pos in sorted(locked):
        text = formulas.get(pos)
        if text is not None:
            text = "f:" + text
        else:
            value = values.get(pos)
            if value is None or value == "":
                continue
            text = canonical(value)
        lines.append(f"{name}!{column_letter(pos[1])}{pos[0]}={text}")
    return lines


def _typed(values: dict, positions: tuple) -> list[tuple[type, Any]]:
    return [(value.__class__, value) for value in map(values.get, positions)]


def sheet_lines(name: str, merged: list, locked: set, formulas: dict, values: dict[Any, Any]) -> list[str]:
    """``{name}!merged=…`` then ``{name}!A1=…`` for each non-empty locked cell, in row/column order."""
    variants = _MEMO.get(name, [])
    for old_merged, old_locked, old_formulas, positions, typed, lines in variants:
        if old_locked == locked and old_formulas == formulas and old_merged == merged and \
                _typed(values, positions) == typed:
            return list(lines)
    lines = _lines(name, merged, locked, formulas, values)
    positions = tuple(pos for pos in locked if pos not in formulas)
    if len(_MEMO) >= _MAX_NAMES and name not in _MEMO:
        _MEMO.clear()
    _MEMO[name] = [(list(merged), set(locked), dict(formulas), positions, _typed(values, positions), tuple(lines)),
                   *variants[:_KEEP - 1]]
    return lines
