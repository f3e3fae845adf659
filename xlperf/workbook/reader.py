"""Find indicator tables in any workbook by their header words and read them into IndicatorTables.

Read-only: workbooks are opened for reading and never saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlperf.core.model import Indicator, IndicatorTable, Stated
from xlperf.workbook.budget import find_budget
from xlperf.workbook.grid import SheetGrid, a1, column_letter
from xlperf.workbook.layout import (GRADE_WORDS, REQUIRED_ROLES, grade_label_value, header_role, is_subtotal_label,
                                    is_total_label)

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
    for col in range(1, grid.max_col + 1):
        value = grid.get(row, col)
        if value is None and (row, col) in origin:
            value = grid.get(*origin[(row, col)])  # header cells merged across rows or columns
        role = header_role(value) if isinstance(value, str) else None
        if role and role not in columns:
            columns[role] = col
    if "level3" not in columns and "level2" in columns:
        columns["level3"] = columns.pop("level2")  # a two-level table scores its level-2 rows
    return columns


def find_header(grid: SheetGrid, start: int = 1) -> Header | None:
    """The first header row at or after ``start`` naming level 3 (or 2), weight and score.

    When the next row qualifies too (a two-row header, or cells merged over both rows) the
    lower row wins, so data starts below the whole header.
    """
    origin = grid.merged_origin()
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


@dataclass
class _Scan:
    """State while walking the rows of one table."""

    rows: list
    subtotals: list
    total: Stated | None = None
    grade: Stated | None = None
    last_row: int = 0


def _row_kind(grid: SheetGrid, header: Header, row: int, levels: dict[str, str]) -> str:
    texts = [grid.text(row, col) for role, col in header.columns.items() if role in LEVEL_ROLES]
    if any(is_total_label(t) for t in texts):
        return "total"
    if any(is_subtotal_label(t) for t in texts):
        return "subtotal"
    values = [grid.get(row, col) for col in header.columns.values()]
    if all(v is None or not str(v).strip() for v in values):
        return "blank"
    if header_role(grid.get(row, header.columns["level3"])) == "level3" and \
            sum(header_role(grid.get(row, col)) == role for role, col in header.columns.items()) >= 3:
        return "header"  # the header repeated at a page break
    return "row"


def _grade_in_row(grid: SheetGrid, row: int) -> Stated | None:
    for col, value in grid.row_values(row):
        if isinstance(value, str) and value.strip() in GRADE_WORDS:
            return Stated(value.strip(), a1(row, col), grid.name)
    return None


def _indicator(grid: SheetGrid, header: Header, row: int, levels: dict[str, str]) -> Indicator:
    cols = header.columns
    values = {role: grid.get(row, col) for role, col in cols.items()}
    for role in ("level1", "level2"):
        if role in cols:
            levels[role] = _text(values[role]) or levels.get(role, "")
    level3 = _text(values.get("level3"))
    cells = {role: a1(row, col) for role, col in cols.items()}
    percent = frozenset(role for role, col in cols.items() if (row, col) in grid.percent)
    return Indicator(
        level1=levels.get("level1", ""), level2=levels.get("level2", ""), level3=level3,
        weight=values.get("weight"), target=values.get("target"), actual=values.get("actual"),
        stated_score=values.get("score"), note=_text(values.get("note")) or None,
        method=_text(values.get("method")) or None, nature=_text(values.get("nature")) or None,
        unit=_text(values.get("unit")) or None, judgement=values.get("judgement"),
        row=row, cells=cells, percent=percent)


def _fill_merged_levels(grid: SheetGrid, header: Header) -> None:
    """Copy merged level-1/2 cells' value down into every cell they cover (published tables merge them)."""
    level_cols = {header.columns[r] for r in ("level1", "level2") if r in header.columns}
    for (row, col), (r0, c0) in grid.merged_origin().items():
        if col in level_cols and row > header.row and (row, col) not in grid.values:
            value = grid.get(r0, c0)
            if value is not None:
                grid.values[(row, col)] = value


def _scan_rows(grid: SheetGrid, header: Header) -> _Scan:
    scan = _Scan([], [])
    levels: dict[str, str] = {}
    blanks = 0
    for row in range(header.row + 1, grid.max_row + 1):
        kind = _row_kind(grid, header, row, levels)
        if kind == "blank":
            blanks += 1
            if blanks >= BLANK_RUN_END and scan.rows:
                break
            continue
        blanks = 0
        score_col = header.columns["score"]
        if kind == "total":
            scan.total = Stated(grid.get(row, score_col), a1(row, score_col), grid.name)
            scan.grade = scan.grade or _grade_in_row(grid, row)
            scan.last_row = row
            break
        if kind == "subtotal":
            level1 = _text(grid.get(row, header.columns.get("level1", 0))) or levels.get("level1", "")
            level1 = "" if is_subtotal_label(level1) else level1
            scan.subtotals.append(Stated(grid.get(row, score_col), a1(row, score_col), grid.name,
                                         level1 or levels.get("level1", "")))
        elif kind == "row":
            ind = _indicator(grid, header, row, levels)
            if ind.level3 or ind.weight is not None:
                scan.rows.append(ind)
        scan.last_row = row
    return scan


def _stated_grade(grid: SheetGrid, after: int) -> Stated | None:
    """A grade written as 评价等级：优 / 评价等级 | 优 anywhere in the sheet, preferring cells below the table."""
    candidates = sorted(grid.values.items(), key=lambda item: (item[0][0] < after, item[0]))
    for (row, col), value in candidates:
        if not isinstance(value, str):
            continue
        is_label, inline = grade_label_value(value)
        if not is_label:
            continue
        if inline:
            return Stated(inline, a1(row, col), grid.name)
        for r, c in ((row, col + 1), (row, col + 2), (row + 1, col)):
            near = grid.get(r, c)
            if isinstance(near, str) and near.strip() in GRADE_WORDS:
                return Stated(near.strip(), a1(r, c), grid.name)
    return None


def read_grid_table(grid: SheetGrid, others: list[SheetGrid] = (), file: str = "", start: int = 1) -> IndicatorTable | None:
    """Read the first indicator table at or after row ``start`` of a grid, or None if there is none."""
    header = find_header(grid, start)
    if header is None:
        return None
    _fill_merged_levels(grid, header)
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
