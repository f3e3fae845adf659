"""Find indicator tables in any workbook by their header words and read them into IndicatorTables.

Read-only: workbooks are opened for reading and never saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlperf.core.model import Indicator, IndicatorTable, Stated
from xlperf.workbook.budget import find_budget
from xlperf.workbook.grid import SheetGrid, a1, column_letter
from xlperf.workbook.layout import (GRADE_WORDS, REQUIRED_ROLES, grade_label_value, header_role, is_subtotal_label,
                                    total_kind)

LEVEL_ROLES = ("level1", "level2", "level3")
MAX_HEADER_SCAN = 80
BLANK_RUN_END = 8  # this many blank rows in a row end a table


@dataclass(frozen=True)
class Header:
    """A header row and the column of each role."""

    row: int
    columns: dict[str, int]


def _header_columns(grid: SheetGrid, origin: dict, row: int) -> dict[str, int]:
    columns: dict[str, int] = {}
    get = grid.values.get
    for col in range(1, grid.max_col + 1):
        value = get((row, col))
        if value is None and (row, col) in origin:
            value = get(origin[(row, col)])  # header cells merged across rows or columns
        role = header_role(value) if isinstance(value, str) else None
        if role and role not in columns:
            columns[role] = col
    if "level3" not in columns and "level2" in columns:
        columns["level3"] = columns.pop("level2")  # a two-level table scores its level-2 rows
    return columns


def find_header(grid: SheetGrid, start: int = 1, origin: dict | None = None) -> Header | None:
    """The first header row at or after ``start`` naming level 3 (or 2), weight and score.

    When the next row qualifies too (a two-row header, or cells merged over both rows) the
    lower row wins, so data starts below the whole header. ``origin`` is ``grid.merged_origin()``.
    """
    origin = grid.merged_origin() if origin is None else origin
    first: Header | None = None
    for row in range(start, min(grid.max_row, start + MAX_HEADER_SCAN) + 1):
        columns = _header_columns(grid, origin, row)
        if not all(role in columns for role in REQUIRED_ROLES):
            if first is not None:
                return first
            continue
        if first is None:
            first = Header(row, columns)
        else:
            return Header(row, columns) if len(columns) >= len(first.columns) else first
    return first


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class _Columns:
    """A header's columns in a fixed order, for reading a row's cells in one pass."""

    roles: tuple[str, ...]
    cols: tuple[int, ...]
    letters: tuple[str, ...]
    levels: tuple[int, ...]  # indexes of the level columns
    percent: tuple[tuple[str, int], ...]  # (role, column) of the columns holding any percent-formatted cell

    @classmethod
    def of(cls, header: Header, percent: set[tuple[int, int]]) -> "_Columns":
        roles, cols = tuple(header.columns), tuple(header.columns.values())
        percent_cols = {col for _, col in percent}
        return cls(roles, cols, tuple(column_letter(col) for col in cols),
                   tuple(i for i, role in enumerate(roles) if role in LEVEL_ROLES),
                   tuple((role, col) for role, col in zip(roles, cols) if col in percent_cols))


@dataclass
class _Scan:
    """State while walking the rows of one table."""

    rows: list
    subtotals: list
    total: Stated | None = None
    grade: Stated | None = None
    last_row: int = 0


def _row_kind(values: list[Any], columns: _Columns) -> str:
    """total, subtotal, blank, header (repeated at a page break) or row, from a row's cells in column order."""
    kinds = [total_kind(str(values[i])) for i in columns.levels if values[i] is not None]
    if "total" in kinds:
        return "total"
    if "subtotal" in kinds:
        return "subtotal"
    if all(v is None or not str(v).strip() for v in values):
        return "blank"
    if header_role(values[columns.roles.index("level3")]) == "level3" and \
            sum(header_role(value) == role for role, value in zip(columns.roles, values)) >= 3:
        return "header"  # the header repeated at a page break
    return "row"


def _grade_in_row(grid: SheetGrid, row: int) -> Stated | None:
    for col, value in grid.row_values(row):
        if isinstance(value, str) and value.strip() in GRADE_WORDS:
            return Stated(value.strip(), a1(row, col), grid.name)
    return None


def _indicator(grid: SheetGrid, columns: _Columns, row: int, cells: list[Any], levels: dict[str, str]) -> Indicator:
    values = dict(zip(columns.roles, cells))
    for role in ("level1", "level2"):
        if role in values:
            levels[role] = _text(values[role]) or levels.get(role, "")
    number = str(row)
    return Indicator(
        level1=levels.get("level1", ""), level2=levels.get("level2", ""), level3=_text(values.get("level3")),
        weight=values.get("weight"), target=values.get("target"), actual=values.get("actual"),
        stated_score=values.get("score"), note=_text(values.get("note")) or None,
        method=_text(values.get("method")) or None, nature=_text(values.get("nature")) or None,
        unit=_text(values.get("unit")) or None, judgement=values.get("judgement"), row=row,
        cells=dict(zip(columns.roles, [letter + number for letter in columns.letters])),
        percent=frozenset([role for role, col in columns.percent if (row, col) in grid.percent]))


def _fill_merged_levels(grid: SheetGrid, header: Header, origin: dict) -> None:
    """Copy merged level-1/2 cells' value down into every cell they cover (published tables merge them)."""
    level_cols = {header.columns[r] for r in ("level1", "level2") if r in header.columns}
    for (row, col), (r0, c0) in origin.items():
        if col in level_cols and row > header.row and (row, col) not in grid.values:
            value = grid.get(r0, c0)
            if value is not None:
                grid.values[(row, col)] = value


def _scan_rows(grid: SheetGrid, header: Header) -> _Scan:
    scan = _Scan([], [])
    levels: dict[str, str] = {}
    columns = _Columns.of(header, grid.percent)
    get = grid.values.get
    score_col = header.columns["score"]
    score_cell = columns.letters[columns.roles.index("score")]
    blanks = 0
    for row in range(header.row + 1, grid.max_row + 1):
        values = [get((row, col)) for col in columns.cols]
        kind = _row_kind(values, columns)
        if kind == "blank":
            blanks += 1
            if blanks >= BLANK_RUN_END and scan.rows:
                break
            continue
        blanks = 0
        if kind == "total":
            scan.total = Stated(get((row, score_col)), f"{score_cell}{row}", grid.name)
            scan.grade = scan.grade or _grade_in_row(grid, row)
            scan.last_row = row
            break
        if kind == "subtotal":
            level1 = _text(grid.get(row, header.columns.get("level1", 0))) or levels.get("level1", "")
            level1 = "" if is_subtotal_label(level1) else level1
            scan.subtotals.append(Stated(get((row, score_col)), f"{score_cell}{row}", grid.name,
                                         level1 or levels.get("level1", "")))
        elif kind == "row":
            ind = _indicator(grid, columns, row, values, levels)
            if ind.level3 or ind.weight is not None:
                scan.rows.append(ind)
        scan.last_row = row
    return scan


def _stated_grade(grid: SheetGrid, after: int) -> Stated | None:
    """A grade written as 评价等级：优 / 评价等级 | 优 anywhere in the sheet, preferring cells below the table."""
    labels = [(pos, label[1]) for pos, value in grid.values.items()
              if isinstance(value, str) and (label := grade_label_value(value))[0]]
    for (row, col), inline in sorted(labels, key=lambda item: (item[0][0] < after, item[0])):
        if inline:
            return Stated(inline, a1(row, col), grid.name)
        for r, c in ((row, col + 1), (row, col + 2), (row + 1, col)):
            near = grid.get(r, c)
            if isinstance(near, str) and near.strip() in GRADE_WORDS:
                return Stated(near.strip(), a1(r, c), grid.name)
    return None


def read_grid_table(grid: SheetGrid, others: list[SheetGrid] = (), file: str = "", start: int = 1) -> IndicatorTable | None:
    """Read the first indicator table at or after row ``start`` of a grid, or None if there is none."""
    origin = grid.merged_origin()
    header = find_header(grid, start, origin)
    if header is None:
        return None
    _fill_merged_levels(grid, header, origin)
    scan = _scan_rows(grid, header)
    exec_row, budget = find_budget([grid, *others])
    grade = scan.grade or _stated_grade(grid, scan.last_row)
    columns = {role: column_letter(col) for role, col in header.columns.items()}
    return IndicatorTable(rows=tuple(scan.rows), sheet=grid.name, file=file, header_row=header.row,
                          columns=columns, budget=budget, stated_total=scan.total, stated_grade=grade,
                          stated_subtotals=tuple(scan.subtotals), exec_row=exec_row)


def read_tables(path: str | Path, grids: list[SheetGrid] | None = None) -> list[IndicatorTable]:
    """Every indicator table in a workbook (one per sheet that has a header row)."""
    if grids is None:
        from xlperf.workbook.open import load_grids
        grids = load_grids(path)
    tables = []
    for grid in grids:
        others = [g for g in grids if g is not grid]
        table = read_grid_table(grid, others, str(path))
        if table is not None:
            tables.append(table)
    return tables
