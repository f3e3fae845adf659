"""Values saved in a legacy workbook (.xls, WPS .et), read with python-calamine.

xlperf reads every workbook it checks with its own .xlsx reader; a legacy file is first converted by
LibreOffice (``xlperf.batch.legacy``). Two things need the original's own values, which only a BIFF
reader gives: LibreOffice recalculates an .xls on load (LibreOffice 7.4 has no setting to keep the
saved results, unlike for .xlsx), so the values the unit's file holds for its formulas are put back into
the converted copy's view (``adopt_saved_values``); and without LibreOffice the file is scored from its
values alone (``values_view``). python-calamine (MIT, no dependencies) reads BIFF5/BIFF8; it gives no
number formats (percent cells read as plain fractions, which the scoring core reads as percent against
a percent target) and no cached error values (an error reads as empty and is left to the converted copy).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterator

from xlperf.workbook.grid import SheetGrid
from xlperf.workbook.view import MARKER_SHEET, WorkbookView, read_marker_grid

MAX_ROWS, MAX_COLS = 20_000, 300  # a hostile file's declared range is never walked beyond these
_STATES = {"visible": "visible", "hidden": "hidden", "veryhidden": "veryHidden"}


def _value(raw: Any) -> Any:
    """A calamine value as xlperf's .xlsx reader gives the same cell: integral floats as int, dates as datetime;
    None for an empty cell (calamine reads an empty string and a cached error alike as "")."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return datetime(raw.year, raw.month, raw.day)
    return raw


def _cells(sheet: Any) -> Iterator[tuple[tuple[int, int], Any]]:
    """((row, col) 1-based, value) of every non-empty cell, within MAX_ROWS × MAX_COLS. ``iter_rows`` pads
    the rows above the used range (rows count from the top) but starts each row at its first used column."""
    left = (sheet.start or (0, 0))[1]
    for r, row in enumerate(sheet.iter_rows()):
        if r >= MAX_ROWS:
            break
        for c, raw in enumerate(row[:max(0, MAX_COLS - left)]):
            value = _value(raw)
            if value is not None:
                yield (r + 1, left + c + 1), value


def _open(path: str) -> Any:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(path)


def values_view(path: str) -> WorkbookView:
    """A view of the values a legacy file holds (no formulas, locks or formats); raises when calamine cannot
    read it."""
    book = _open(path)
    view = WorkbookView(path, [])
    for meta in book.sheets_metadata:
        sheet = book.get_sheet_by_name(meta.name)
        grid = SheetGrid(meta.name)
        for pos, value in _cells(sheet):
            grid.values[pos] = value
            grid.max_row, grid.max_col = max(grid.max_row, pos[0]), max(grid.max_col, pos[1])
        grid.merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()]
        view.grids.append(grid)
        view.formulas[meta.name], view.locked[meta.name], view.arrays[meta.name] = {}, set(), {}
        view.merged[meta.name] = list(grid.merged)
        view.states[meta.name] = _STATES.get(str(meta.visible).rsplit(".", 1)[-1].lower(), "visible")
    if not any(grid.values for grid in view.grids):
        raise ValueError("no cell could be read")
    view.marker = read_marker_grid(view.grid(MARKER_SHEET))
    return view


def adopt_saved_values(view: WorkbookView, original: str) -> int:
    """Give every formula cell of ``view`` (the converted copy) the value ``original`` saved for it, where
    calamine reads one; returns how many cells changed."""
    book = _open(original)
    changed = 0
    for name, formulas in view.formulas.items():
        grid = view.grid(name)
        if not formulas or grid is None or name not in book.sheet_names:
            continue
        saved = dict(_cells(book.get_sheet_by_name(name)))
        for pos in formulas:
            value, current = saved.get(pos), grid.values.get(pos)
            if _comparable(current, value) and not (type(current) is type(value) and current == value):
                grid.values[pos] = value
                changed += 1
    return changed


def _comparable(current: Any, saved: Any) -> bool:
    """Whether a saved value may replace the converted copy's: both present and of one kind (numbers, texts,
    dates), or a truth value LibreOffice turned into 0/1. An .xls saved by LibreOffice itself stores no text
    results of formulas (python-calamine then reads the number 0): that 0 must not replace the text."""
    if current is None or saved is None:
        return False
    if isinstance(saved, bool):
        return isinstance(current, bool) or current in (0, 1) and isinstance(current, int)
    kinds = ((int, float), str, datetime)
    return any(isinstance(current, k) and isinstance(saved, k) and not isinstance(current, bool) for k in kinds)
