"""An indicator table's columns in a fixed order, for reading each row's cells in one pass.

Copies of one form share their header: the columns are built once per header and percent-formatted
columns (a memo of 64), and each row's cell names once per row number, which took 0.8 µs off each row."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from xlperf.workbook.grid import column_letter
from xlperf.workbook.headers import Header

LEVEL_ROLES = ("level1", "level2", "level3")
PICKED = ("level3", "weight", "target", "actual", "score", "note", "method", "nature", "unit", "judgement")
_MEMO_ROWS = 256  # rows one TableColumns keeps (a bureau form has fewer than 100; ≤ 64 × 256 × ~2 kB)
NOWHERE = ("nowhere",)  # a key no grid holds (its keys are (row, column) pairs of ints)


@dataclass(frozen=True)
class TableColumns:
    """A header's columns in a fixed order."""

    roles: tuple[str, ...]
    cols: tuple[int, ...]
    letters: tuple[str, ...]
    labels: tuple[int, ...]  # columns that may hold a row label (合计, 评价结论)
    percent: tuple[tuple[str, int], ...]  # (role, column) of the columns holding any percent-formatted cell
    percent_roles: tuple[str, ...]  # the roles of ``percent``
    score: int  # the score column
    pick: Any  # row cells + [None] → the values of PICKED (None for a role the header lacks)
    level3: int  # index of level3 in roles
    levels: tuple[tuple[str, int, int], ...]  # (role, index, column) of level1 / level2
    _rows: dict[int, tuple] = field(default_factory=dict, compare=False, repr=False)

    def at(self, row: int) -> tuple[tuple, tuple, tuple, dict[str, str]]:
        """What reading ``row`` looks up, built once per row number: the positions of its cells in column order
        and then NOWHERE (``map(grid.values.get, …)`` gives the row's values ending in the None ``pick`` wants,
        in C), of its label cells, of its percent-column cells, and role → A1 name (callers copy it)."""
        found = self._rows.get(row)
        if found is None:
            number = str(row)
            cells = {col: (row, col) for col in (*self.cols, *self.labels)}  # one tuple per cell, shared
            found = (tuple([cells[col] for col in self.cols]) + (NOWHERE,), tuple([cells[col] for col in self.labels]),
                     tuple([cells[col] for _, col in self.percent]),
                     dict(zip(self.roles, [letter + number for letter in self.letters])))
            if len(self._rows) < _MEMO_ROWS:
                self._rows[row] = found
        return found

    def cells(self, row: int) -> dict[str, str]:
        """Role → A1 name of its cell in ``row`` (a new dict: callers own it)."""
        return self.at(row)[3].copy()


def label_columns(columns: dict[str, int]) -> tuple[int, ...]:
    """The columns a row label (合计, 评价结论) may sit in: the level columns and any unnamed column left of them."""
    levels = {columns[role] for role in LEVEL_ROLES if role in columns}
    named = set(columns.values())
    return tuple(col for col in range(1, max(levels) + 1) if col in levels or col not in named)


def table_columns(header: Header, percent: set[tuple[int, int]]) -> TableColumns:
    """The columns of ``header``, given the sheet's percent-formatted cells."""
    return _built(tuple(header.columns.items()), frozenset({col for _, col in percent}))


@lru_cache(maxsize=64)
def _built(items: tuple[tuple[str, int], ...], percent_cols: frozenset[int]) -> TableColumns:
    columns = dict(items)
    roles, cols = tuple(columns), tuple(columns.values())
    at = {role: i for i, role in enumerate(roles)}
    return TableColumns(roles, cols, tuple(column_letter(col) for col in cols), label_columns(columns),
                        (percent := tuple((role, col) for role, col in items if col in percent_cols)),
                        tuple(role for role, _ in percent), columns["score"],
                        itemgetter(*(at.get(role, len(roles)) for role in PICKED)), at["level3"],
                        tuple((role, at[role], cols[at[role]]) for role in ("level1", "level2") if role in at))
