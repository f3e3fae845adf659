"""The constants of a file's facts (``plain_constants``), with each cell classified once per template shape.

Copies of one template (same formula set, table and column roles: a *shape*) hold mostly the same cells:
the plain pass classifies every cell of every copy, calling ``constant`` on each (0.104 ms per bureau copy).
A shape keeps what each cell gave: by position where the value does not matter (a formula's cell, an input
column, a formula column's typed value), else by position, type and value (a label, a weight, a text off
the table's rows). A copy looks its cells up in C (``map`` over the grid's items, no Python loop per cell),
classifies only the cells it has not met, and builds both dicts in the grid's order, as the plain pass
does (about 0.06–0.075 ms). Bounded: MAX_SHAPES shapes of at most MAX_CELLS remembered cells each.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from itertools import compress
from operator import itemgetter, not_
from typing import Any

from xlperf.batch.structure import SEP, STRUCTURE_ROLES, Table, constant, data_sheets
from xlperf.engine.key import formula_key

MAX_SHAPES = 16
MAX_CELLS = 2048  # remembered cells and rows per shape, shared by its sheets (~0.2 kB each: ≤ 7 MB in all;
# a bureau form remembers 200-1 000: its labels, and values met in the copies)
_SKIP: tuple[None, None] = (None, None)  # (cid, content) when fixed, cid when typed: neither
_first, _second = itemgetter(0), itemgetter(1)


class _Sheet:
    """One sheet of a shape: what the classification needs, and the cells met so far."""

    __slots__ = ("name", "formulas", "columns", "on_table", "data_rows", "fixed", "prefixes", "by_cell", "by_type",
                 "by_value", "cap")

    def __init__(self, view, name: str, table: Table, cap: int):
        self.name, self.cap = name, cap
        self.formulas = view.formulas.get(name, {})
        self.columns = {col for _, col in self.formulas}
        self.on_table = name == table.sheet
        self.data_rows = set(table.rows)
        self.fixed = {col for col, role in table.roles if role in STRUCTURE_ROLES}
        self.prefixes: dict[int, str] = {}
        self.by_cell: dict[tuple[int, int], tuple] = {}  # cells whose value does not matter
        self.by_type: dict[tuple[tuple[int, int], type], tuple] = {}  # typed or skipped by the value's type
        self.by_value: dict[tuple[tuple[int, int], type, Any], tuple] = {}  # fixed: (cell, type, value) → entry

    def entry(self, table: Table, cell: tuple[int, int], value: Any) -> tuple:
        """What a cell gives, as ``plain_constants`` decides it: ((cid, content), None) when the template fixes
        it, (None, cid) when shown only, _SKIP otherwise; remembered while the shape has room."""
        kind = type(value)
        out = self.by_type.get((cell, kind))
        if out is not None:
            return out
        row, col = cell
        in_rows = self.on_table and row in self.data_rows
        room = self.size() < self.cap
        if cell in self.formulas:
            out, fixes, value_free = _SKIP, False, True
        else:
            fixes = self.on_table and (col in self.fixed if in_rows else isinstance(value, str))
            shown = col in self.columns or (isinstance(value, (int, float)) and not in_rows)
            value_free = (in_rows and col not in self.fixed) or (not self.on_table and col in self.columns)
            if not (fixes or shown):
                out = _SKIP
            else:
                prefix = self.prefixes.get(row)
                if prefix is None:
                    prefix = f"{self.name}{SEP}{table(self.name, row)}{SEP}"
                    if room:
                        self.prefixes[row] = prefix
                out = ((prefix + str(col), constant(value)), None) if fixes else (None, prefix + str(col))
        if room:
            if value_free:
                self.by_cell[cell] = out
            elif not fixes:  # shown or not by the value's type alone
                self.by_type[(cell, kind)] = out
            elif not (kind is float and value == 0):  # 0.0 and -0.0: one key, maybe two contents
                self.by_value[(cell, kind, value)] = out
        return out

    def size(self) -> int:
        """Cells and rows remembered (at most ``cap``: the shape's MAX_CELLS shared by its sheets)."""
        return len(self.by_cell) + len(self.by_type) + len(self.by_value) + len(self.prefixes)


class Shape:
    """The sheets of one shape, for ``constants``."""

    __slots__ = ("table", "sheets")

    def __init__(self, view, table: Table):
        self.table = table
        names = [name for name in data_sheets(view) if view.grid(name) is not None]
        self.sheets = [_Sheet(view, name, table, MAX_CELLS // len(names)) for name in names]

    def constants(self, view) -> tuple[dict[str, str], dict[str, Any]]:
        """``plain_constants(view, table)`` of a file of this shape."""
        cells: dict[str, str] = {}
        typed: dict[str, Any] = {}
        for sheet in self.sheets:
            values = view.grid(sheet.name).values
            keys, vals = values.keys(), values.values()
            entries = list(map(sheet.by_cell.get, keys, map(sheet.by_value.get, zip(keys, map(type, vals), vals))))
            if not all(entries):  # cells not met yet
                cells_at = list(keys)
                for index in compress(range(len(entries)), map(not_, entries)):
                    cell = cells_at[index]
                    entries[index] = sheet.entry(self.table, cell, values[cell])
            cells.update(filter(None, map(_first, entries)))
            cids = list(map(_second, entries))
            typed.update(zip(compress(cids, cids), compress(vals, cids)))
        for cid, value in typed.items():
            if not isinstance(value, (int, float, str)):
                typed[cid] = str(value)
        return cells, typed


def plain_constants(view, table: Table) -> tuple[dict[str, str], dict[str, Any]]:
    """Constants a template fixes (the table's names, weights, targets; texts outside its rows), and the
    ones only shown if the template has a formula there (in formula columns; numbers off the table).

    The rule written plainly, one cell at a time: the batch runs ``constants``, which tests/batch/test_shapes.py
    holds to this on copies of varied shapes."""
    cells: dict[str, str] = {}
    typed: dict[str, Any] = {}
    data_rows = set(table.rows)
    fixed = {col for col, role in table.roles if role in STRUCTURE_ROLES}
    for sheet in data_sheets(view):
        formulas, grid = view.formulas.get(sheet, {}), view.grid(sheet)
        if grid is None:
            continue
        columns = {col for _, col in formulas}
        on_table = sheet == table.sheet
        prefixes: dict[int, str] = {}
        for (row, col), value in grid.values.items():
            if (row, col) in formulas:
                continue
            in_rows = on_table and row in data_rows
            fixes = on_table and (col in fixed if in_rows else isinstance(value, str))
            shown = col in columns or (isinstance(value, (int, float)) and not in_rows)
            if not (fixes or shown):
                continue
            prefix = prefixes.get(row)
            if prefix is None:
                prefix = prefixes[row] = f"{sheet}{SEP}{table(sheet, row)}{SEP}"
            if fixes:
                cells[prefix + str(col)] = constant(value)
            else:
                typed[prefix + str(col)] = value if isinstance(value, (int, float, str)) else str(value)
    return cells, typed


_shapes: "OrderedDict[tuple, Shape]" = OrderedDict()
_lock = threading.Lock()


def constants(view, table: Table) -> tuple[dict[str, str], dict[str, Any]]:
    """``plain_constants(view, table)``, through the shape of the file's formula set and table."""
    key = (formula_key(view), table, table.sheet, table.roles)
    with _lock:
        shape = _shapes.get(key)
        if shape is None:
            shape = _shapes[key] = Shape(view, table)
            while len(_shapes) > MAX_SHAPES:
                _shapes.popitem(last=False)
        else:
            _shapes.move_to_end(key)
        return shape.constants(view)  # every value a workbook gives is hashable (None, numbers, text, dates, errors)


def clear() -> None:
    with _lock:
        _shapes.clear()
