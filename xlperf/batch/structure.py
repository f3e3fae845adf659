"""A workbook's structure as data: what stands in which cell, keyed by position-free cell ids.

One form for every reference a returned file is compared with (xlperf's rebuilt template, a bureau's
blank template, a template inferred from the batch) and for the file itself. A cell id is
``sheet␟anchor␟column``: on the indicator table's sheet the anchor names the row by indicator (see
``canon``), elsewhere by number. Content is a canonical formula (``=…``) or a type-tagged constant
(``s:`` text, ``n:`` number …), so equal content means the same template cell whatever row the
copy holds it on.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any, Iterator, Mapping, NamedTuple

from xlperf.batch.canon import canon
from xlperf.template.fingerprint import canonical
from xlperf.workbook.view import MARKER_SHEET

SEP = "\x1f"
STRUCTURE_ROLES = ("level1", "level2", "level3", "nature", "unit", "weight", "target", "method")


def cell_id(sheet: str, anchor: str, col: int) -> str:
    return f"{sheet}{SEP}{anchor}{SEP}{col}"


def split_id(cid: str) -> tuple[str, str, int]:
    sheet, anchor, col = cid.split(SEP)
    return sheet, anchor, int(col)


def row_keys(indicators: Any, levels: int = 3) -> tuple[str, ...]:
    """How rows are matched: by indicator name (``levels`` 2: by level 1/2 where units write the name);
    a repeated key gets ``#2``, ``#3`` …"""
    seen: dict[str, int] = {}
    keys = []
    for ind in indicators:
        key = "|".join((ind.level1, ind.level2, ind.level3)[:levels])
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return tuple(keys)


@dataclass(frozen=True, eq=False)
class Table:
    """Where the indicator rows stand in one workbook: row keys, their rows, and each column's role."""

    sheet: str
    keys: tuple[str, ...]
    rows: tuple[int, ...]
    roles: tuple[tuple[int, str], ...] = ()
    header_row: int = 0
    _by_row: dict = field(default_factory=dict, repr=False)
    _by_key: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_row.update(zip(self.rows, self.keys))
        self._by_key.update(zip(self.keys, self.rows))
        object.__setattr__(self, "_sig", (self.sheet.upper(), self.keys, self.rows))
        object.__setattr__(self, "_hash", hash(self._sig))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Table) and self._sig == other._sig

    def __call__(self, sheet: str, row: int) -> str:
        """The anchor of ``row`` on ``sheet``."""
        if sheet.upper() != self.sheet.upper() or not self.rows or row < self.rows[0]:
            return f"r{row}"
        key = self._by_row.get(row)
        if key is not None:
            return "k" + key
        if row > self.rows[-1]:
            return f"e{row - self.rows[-1]}"
        above = self.rows[bisect.bisect_left(self.rows, row) - 1]
        return f"k{self._by_row[above]}+{row - above}"

    def row_of(self, sheet: str, anchor: str) -> int | None:
        """The row an anchor names here (None: an indicator this workbook does not have)."""
        kind, rest = anchor[:1], anchor[1:]
        if kind == "r":
            return int(rest)
        if sheet.upper() != self.sheet.upper() or not self.rows:
            return None
        if kind == "e":
            return self.rows[-1] + int(rest)
        row = self._by_key.get(rest)
        if row is None and "+" in rest:
            key, _, offset = rest.rpartition("+")
            if offset.isdigit() and key in self._by_key:
                return self._by_key[key] + int(offset)
        return row

    def role(self, col: int) -> str | None:
        return dict(self.roles).get(col)

    def to_json(self) -> dict:
        return {"sheet": self.sheet, "keys": list(self.keys), "rows": list(self.rows),
                "roles": [list(r) for r in self.roles], "header_row": self.header_row}

    @classmethod
    def from_json(cls, data: dict) -> "Table":
        return cls(data["sheet"], tuple(data["keys"]), tuple(data["rows"]),
                   tuple((int(c), str(r)) for c, r in data["roles"]), int(data.get("header_row", 0)))


NO_TABLE = Table("", (), ())


def table_of(indicator_table: Any, levels: int = 3) -> Table | None:
    """The anchors of an IndicatorTable as the reader found it (None when the file has none). Copies of one
    template share it: kept by what it is made of (0.018 → 0.005 ms per bureau copy)."""
    if indicator_table is None or not indicator_table.rows:
        return None
    return _table(indicator_table.sheet, tuple(indicator_table.columns.items()), indicator_table.header_row or 0,
                  levels, tuple(map(_ROW, indicator_table.rows)))


_ROW = attrgetter("level1", "level2", "level3", "row")


@lru_cache(maxsize=64)
def _table(sheet: str, columns: tuple[tuple[str, str], ...], header_row: int, levels: int,
           rows: tuple[tuple[str, str, str, int], ...]) -> Table:
    from xlperf.workbook.xlsxparts import column_index

    roles = tuple(sorted((column_index(letter), role) for role, letter in columns))
    return Table(sheet, row_keys((_Row(*row) for row in rows), levels), tuple(row[3] for row in rows), roles, header_row)


class _Row(NamedTuple):
    level1: str
    level2: str
    level3: str
    row: int


def group_key(table: Table | None, sheets: tuple[str, ...]) -> str:
    """Copies of one template share this: the table's column roles (or, without a table, the sheets)."""
    if table is None:
        return "sheets:" + "|".join(sheets)
    return _roles_key(table.roles)


@lru_cache(maxsize=256)
def _roles_key(roles: tuple[tuple[int, str], ...]) -> str:
    return "table:" + ",".join(f"{col}={role}" for col, role in roles)


def similar_rows(a: Table | None, b: Table | None, share: float = 0.5) -> bool:
    """Two files are copies of one template when they share at least ``share`` of their indicator rows
    (Jaccard; two files without a table count as similar)."""
    mine, theirs = set(a.keys) if a else set(), set(b.keys) if b else set()
    if not mine and not theirs:
        return True
    return len(mine & theirs) >= share * len(mine | theirs)


def constant(value: Any) -> str:
    """A constant's canonical content (text stripped; numbers as Decimal text)."""
    try:
        return _constant(value, type(value))
    except TypeError:  # unhashable: not cached
        return canonical(value)


@lru_cache(maxsize=65536)
def _constant(value: Any, kind: type) -> str:
    return canonical(value.strip() if isinstance(value, str) else value)


def shown(content: str | None) -> Any:
    """A canonical content as a user reads it."""
    if content is None:
        return ""
    return content[2:] if content[1:2] == ":" and not content.startswith("=") else content


@dataclass
class Structure:
    """What a template (or a copy) holds: sheets, table anchors and content by cell id."""

    key: str
    sheets: tuple[str, ...]
    table: Table | None
    cells: Mapping[str, str]
    name: str = ""  # the template it came from, for messages
    typed: dict[str, Any] = field(default_factory=dict)  # constants shown in messages only (a formula typed over)
    levels: int = 3  # row keys: level 1/2/3 names, or 1/2 where units write the names
    vba_sha256: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # a template's formulas as written (a quick first test)

    def locate(self, cid: str) -> tuple[str, int, int] | None:
        sheet, anchor, col = split_id(cid)
        row = (self.table or NO_TABLE).row_of(sheet, anchor)
        return None if row is None else (sheet, row, col)

    def to_json(self) -> dict:
        return {"key": self.key, "sheets": list(self.sheets), "name": self.name,
                "table": self.table.to_json() if self.table else None, "cells": dict(self.cells),
                "typed": dict(self.typed), "levels": self.levels, "vba_sha256": self.vba_sha256,
                "texts": dict(self.texts)}

    @classmethod
    def from_json(cls, data: dict) -> "Structure":
        table = Table.from_json(data["table"]) if data.get("table") else None
        return cls(data["key"], tuple(data["sheets"]), table, dict(data["cells"]), data.get("name", ""),
                   dict(data.get("typed") or {}), int(data.get("levels", 3)), data.get("vba_sha256"),
                   dict(data.get("texts") or {}))


def data_sheets(view) -> tuple[str, ...]:
    return tuple(g.name for g in view.grids if g.name != MARKER_SHEET)


class ViewCells(Mapping):
    """A workbook's content by cell id, computed on demand (a comparison looks up only the template's ids)."""

    def __init__(self, view, table: Table | None):
        self.view, self.table = view, table or NO_TABLE

    def content(self, sheet: str, row: int, col: int) -> str | None:
        text = self.view.formulas.get(sheet, {}).get((row, col))
        if text is not None:
            return canon(text, sheet, row, self.table)
        grid = self.view.grid(sheet)
        value = grid.get(row, col) if grid is not None else None
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return constant(value)

    def formula_text(self, cid: str) -> str | None:
        """The formula as written at a cell id (no canonical form computed)."""
        sheet, anchor, col = split_id(cid)
        row = self.table.row_of(sheet, anchor)
        return None if row is None else self.view.formulas.get(sheet, {}).get((row, col))

    def raw(self, sheet: str, row: int, col: int) -> Any:
        text = self.view.formulas.get(sheet, {}).get((row, col))
        if text is not None:
            return text
        grid = self.view.grid(sheet)
        return grid.get(row, col) if grid is not None else None

    def __getitem__(self, cid: str) -> str:
        sheet, anchor, col = split_id(cid)
        row = self.table.row_of(sheet, anchor)
        found = None if row is None else self.content(sheet, row, col)
        if found is None:
            raise KeyError(cid)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(())  # only looked up by id

    def __len__(self) -> int:
        return 0


def view_structure(view, indicator_table: Any, levels: int = 3) -> Structure:
    """A returned file as a Structure whose cells are looked up in the file itself."""
    table = table_of(indicator_table, levels)
    sheets = data_sheets(view)
    return Structure(group_key(table, sheets), sheets, table, ViewCells(view, table))


def template_structure(view, indicator_table: Any, levels: int = 3, locked_only: bool = False,
                       name: str = "") -> Structure:
    """A blank template as a reference: every non-empty cell (``locked_only``: every locked one) is structure."""
    table = table_of(indicator_table, levels)
    sheets = data_sheets(view)
    cells = ViewCells(view, table)
    out: dict[str, str] = {}
    texts: dict[str, str] = {}
    for sheet in sheets:
        grid = view.grid(sheet)
        positions = set(view.formulas.get(sheet, {})) | set(grid.values if grid else ())
        if locked_only:
            positions &= view.locked.get(sheet, set())
        for row, col in sorted(positions):
            content = cells.content(sheet, row, col)
            if content is not None:
                cid = cell_id(sheet, cells.table(sheet, row), col)
                out[cid] = content
                if content.startswith("="):
                    texts[cid] = view.formulas[sheet][(row, col)]
    return Structure(group_key(table, sheets), sheets, table, out, name, levels=levels, texts=texts)
