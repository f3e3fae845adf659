"""Structure fingerprint of a template (protected cells, merges, sheets) and the hidden ``_xlperf`` marker.

The fingerprint hashes what the spending unit must not change: sheet names and order, merged
ranges, and every non-empty *locked* cell (formula text or constant). Unlocked input cells are
left out, so filling a template in never changes it; the ``_xlperf`` sheet itself is left out,
so storing the fingerprint there does not change it either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import warnings
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

MARKER_SHEET = "_xlperf"


def canonical(value: Any, is_formula: bool = False) -> str:
    """A type-tagged text for a cell value that is the same in memory and after a save/load round trip."""
    if isinstance(value, str):
        return ("f:" if is_formula or value.startswith("=") else "s:") + value
    if type(value) in (int, float):
        return _plain_number(value)
    text = getattr(value, "text", None)  # openpyxl ArrayFormula
    if text is not None:
        return "f:" + str(text)
    if isinstance(value, bool):
        return "b:" + ("TRUE" if value else "FALSE")
    if isinstance(value, (int, float, Decimal)):
        return _number(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return "d:" + value.isoformat()
    return f"{type(value).__name__}:{value!r}"


def _number(value: int | float | Decimal) -> str:
    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return "n:" + str(value)
    return "n:" + format(number + 0, "f")  # + 0 turns -0 into 0


_plain_number = lru_cache(maxsize=4096, typed=True)(_number)  # exact int and float cells: many repeat


def _locked(cell: Any) -> bool:
    protection = getattr(cell, "protection", None)
    return True if protection is None else bool(protection.locked)


def structure_lines(wb: Any) -> list[str]:
    """The lines the fingerprint hashes, in a stable order (useful for finding what changed)."""
    sheets = [ws for ws in wb.worksheets if ws.title != MARKER_SHEET]
    lines = ["sheets=" + "|".join(ws.title for ws in sheets)]
    for ws in sheets:
        merged = sorted(str(rng) for rng in ws.merged_cells.ranges)
        lines.append(f"{ws.title}!merged=" + ",".join(merged))
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None or (isinstance(value, str) and value == ""):
                    continue
                if not _locked(cell):
                    continue
                lines.append(f"{ws.title}!{cell.coordinate}={canonical(value, cell.data_type == 'f')}")
    return lines


def hash_lines(lines: list[str]) -> str:
    """sha256 (hex) of structure lines, each ended by a newline: the fingerprint of any reading of them."""
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()


def structure_fingerprint(wb: Any) -> str:
    """sha256 (hex) of the template structure of an openpyxl workbook loaded with ``data_only=False``."""
    return hash_lines(structure_lines(wb))


def read_marker(wb: Any) -> dict[str, Any] | None:
    """The key/value rows of the ``_xlperf`` sheet (``layout`` decoded from JSON), or None when absent."""
    if MARKER_SHEET not in wb.sheetnames:
        return None
    marker: dict[str, Any] = {}
    for key, value, *_ in wb[MARKER_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
        if key is None or not str(key).strip():
            continue
        marker[str(key).strip()] = "" if value is None else value
    if isinstance(marker.get("layout"), str):
        try:
            marker["layout"] = json.loads(marker["layout"])
        except ValueError:
            marker["layout"] = None
    return marker


def load_for_fingerprint(path: str | Path) -> Any:
    """Open a workbook with formulas (not cached values), links dropped, warnings silenced."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with open(path, "rb") as handle:
            return openpyxl.load_workbook(handle, data_only=False, keep_links=False)


def fingerprint_file(path: str | Path) -> tuple[str, dict[str, Any] | None]:
    """(recomputed structure fingerprint, stored marker or None) of a workbook file."""
    wb = load_for_fingerprint(path)
    try:
        return structure_fingerprint(wb), read_marker(wb)
    finally:
        wb.close()


__all__ = ["MARKER_SHEET", "canonical", "hash_lines", "structure_lines", "structure_fingerprint", "read_marker",
           "load_for_fingerprint", "fingerprint_file"]
