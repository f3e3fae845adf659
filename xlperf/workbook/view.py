"""WorkbookView: everything the checks need from one file, read once (values, formulas, locks, marker)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, AbstractSet, Any, Mapping

from xlperf.workbook.grid import SheetGrid
from xlperf.workbook.xlsxparts import PartCache

if TYPE_CHECKING:
    from xlperf.workbook.xlsxparts import PackageParts
    from xlperf.workbook.xlsxread import SheetData

MARKER_SHEET = "_xlperf"


@dataclass
class WorkbookView:
    """Cached values as grids, formula texts and locked cells per sheet, sheet states, macros, marker."""

    path: str
    grids: list[SheetGrid]
    formulas: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    locked: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # non-empty locked cells
    states: dict[str, str] = field(default_factory=dict)
    merged: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    vba_sha256: str | None = None
    marker: dict[str, Any] | None = None
    arrays: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # array formula cell → its range
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)  # used range (rows, columns) per sheet

    @property
    def has_arrays(self) -> bool:
        """True when any sheet holds an array (CSE) formula."""
        return any(self.arrays.values())

    @property
    def sheet_names(self) -> list[str]:
        return [g.name for g in self.grids]

    def grid(self, name: str) -> SheetGrid | None:
        return next((g for g in self.grids if g.name == name), None)

    def data_grids(self) -> list[SheetGrid]:
        """Grids without the marker and xlwings configuration sheets."""
        return [g for g in self.grids if g.name not in (MARKER_SHEET, "xlwings.conf", "_xlwings.conf")]


def read_marker_grid(grid: SheetGrid | None) -> dict[str, Any] | None:
    """The key/value rows of the hidden ``_xlperf`` sheet; the ``layout`` value is JSON."""
    if grid is None:
        return None
    marker: dict[str, Any] = {}
    for row in range(1, grid.max_row + 1):
        key, value = grid.get(row, 1), grid.get(row, 2)
        if isinstance(key, str) and key.strip():
            marker[key.strip()] = value
    if isinstance(marker.get("layout"), str):
        try:
            marker["layout"] = json.loads(marker["layout"])
        except ValueError:
            marker["layout"] = None
    return marker or None


def vba_hash(path: str | Path) -> str | None:
    with zipfile.ZipFile(path) as zf:
        try:
            return hashlib.sha256(zf.read("xl/vbaProject.bin")).hexdigest()
        except KeyError:
            return None


@dataclass(frozen=True)
class _SheetView:
    """What a view takes from one sheet met again, kept per SheetData.source and copied into every view, so no view
    is handed these containers (made by ``_sheet_parts``; the reader's own cached ones, formulas, merged ranges
    and array refs of ``read_workbook(shared=True)``, are copied by open_view from the SheetData itself)."""

    values: Mapping[tuple[int, int], Any]
    percent: AbstractSet[tuple[int, int]]
    max_row: int
    max_col: int
    locked: AbstractSet[tuple[int, int]]
    grid_merged: tuple[tuple[int, int, int, int], ...]  # within the grid's window (the reader expands these)

    @classmethod
    def of(cls, sheet: SheetData) -> _SheetView:
        """From a SheetData of read_workbook(shared=True): read, never changed (open_view copies what it hands out)."""
        grid, locked = _sheet_parts(sheet)
        return cls(grid.values, grid.percent, grid.max_row, grid.max_col, locked, tuple(grid.merged))


def _sheet_parts(sheet: SheetData) -> tuple[SheetGrid, set[tuple[int, int]]]:
    """A sheet's grid and its non-empty locked cells, all new containers (none the reader's own)."""
    from xlperf.workbook.xlsxread import grid_from_sheet

    grid = grid_from_sheet(sheet)
    return grid, sheet.locked(sheet.values.keys() | sheet.formulas.keys())  # the grid's cells are values too


_SHEETS = PartCache(64)  # SheetData.source → _SheetView, for a source seen before
# SheetData.source → True, for a source seen once: a sheet met the first time goes into its view uncopied,
# and only one met again is kept (copied for each view). Bureau copies never repeat a sheet (0 hits of
# 1 333): the grid, percent and locked containers copied per sheet, 0.0045 ms per copy, are not copied.
_SEEN = PartCache(64)


def _first_sight(sheet: SheetData) -> bool:
    """True when no earlier sheet had this source (or it is too large to remember, or has none)."""
    if not sheet.source:
        return True
    new: list[bool] = []
    _SEEN.get(sheet.source, lambda: new.append(True) or True)
    return bool(new)


def open_view(path: str | Path, data: bytes | None = None, package: PackageParts | None = None) -> WorkbookView:
    """Read a workbook once for checking: cached values, formulas, locks, merges (never written).

    Uses xlperf's own package reader (``xlsxread``), which reads only the parts the checks need, from
    ``package`` (the parts ``sniff(..., keep_parts=True)`` verified) or ``data`` when given, else from ``path``.
    """
    from xlperf.workbook.xlsxread import read_workbook

    book = read_workbook(package if package is not None else data if data is not None else str(path), shared=True)
    view = WorkbookView(str(path), [])
    for sheet in book.sheets:
        if _first_sight(sheet):
            grid, view.locked[sheet.name] = _sheet_parts(sheet)
            view.grids.append(grid)
        else:
            made = _SHEETS.get(sheet.source, lambda: _SheetView.of(sheet))
            view.grids.append(SheetGrid(sheet.name, dict(made.values), set(made.percent), list(made.grid_merged),
                                        made.max_row, made.max_col))
            view.locked[sheet.name] = set(made.locked)
        view.formulas[sheet.name] = dict(sheet.formulas)  # an equal source means equal cells
        view.states[sheet.name] = sheet.state
        view.merged[sheet.name] = list(sheet.merged)
        view.arrays[sheet.name] = dict(sheet.array_refs)
        view.extents[sheet.name] = (sheet.max_row, sheet.max_col)
    view.vba_sha256 = book.vba_sha256
    view.marker = read_marker_grid(view.grid(MARKER_SHEET))
    return view


def open_view_openpyxl(path: str | Path) -> WorkbookView:
    """The same view read with openpyxl (reference implementation, used to test the fast reader)."""
    import warnings

    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula

    from xlperf.workbook.grid import grid_from_worksheet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = openpyxl.load_workbook(path, data_only=True, keep_links=False)
        formulas = openpyxl.load_workbook(path, data_only=False, keep_links=False)
    view = WorkbookView(str(path), [grid_from_worksheet(ws) for ws in values.worksheets])
    for ws in formulas.worksheets:
        texts, locked, arrays = {}, set(), {}
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None:
                    continue
                if isinstance(value, ArrayFormula):
                    arrays[(cell.row, cell.column)] = value.ref
                    value = value.text
                if isinstance(value, str) and value.startswith("=") and cell.data_type in ("f", "s"):
                    if cell.data_type == "f" or isinstance(cell.value, ArrayFormula):
                        texts[(cell.row, cell.column)] = value
                if cell.protection.locked:
                    locked.add((cell.row, cell.column))
        view.formulas[ws.title] = texts
        view.locked[ws.title] = locked
        view.arrays[ws.title] = arrays
        view.states[ws.title] = ws.sheet_state
        view.merged[ws.title] = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    view.vba_sha256 = vba_hash(path)
    view.marker = read_marker_grid(view.grid(MARKER_SHEET))
    values.close()
    formulas.close()
    return view
