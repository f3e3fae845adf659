"""Find indicator tables in any workbook by their header words and read them into IndicatorTables.

Read-only: workbooks are opened for reading and never saved. The layouts offices publish are read
as they are: any column order, header synonyms, a header over two rows (年度指标值 over 指标性质 /
指标值 / 度量单位), the MoF form's left 绩效指标 column, merged level cells, weights written in the
level labels (产出指标（50分）), placeholder (指标1：, ……) and 其中 rows left out, a 总分 row whose
label sits left of the level columns, and the stated grade in the 总分 row or in a 评价等级 row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import Any

from xlperf.core.model import Indicator, IndicatorTable, Stated
from xlperf.workbook.budget import find_budget
from xlperf.workbook.grid import SheetGrid, a1, column_letter
from xlperf.workbook.headers import Header, find_header
from xlperf.workbook.tablecolumns import LEVEL_ROLES, TableColumns, table_columns
from xlperf.workbook.layout import (header_rank, header_role, is_placeholder, is_stop_label, is_sub_item,
                                    is_subtotal_label, split_weight, total_kind)
from xlperf.workbook.stated import grade_near_total, stated_grade

BLANK_RUN_END = 8  # this many blank rows in a row end a table
_DASHES = frozenset({"/", "-", "—", "——", "－", "、"})
_NO_PERCENT: frozenset[str] = frozenset()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _optional(value: Any) -> str | None:
    """The stripped text of a value, None when empty."""
    return None if value is None else str(value).strip() or None


def _blank(value: Any) -> bool:
    """Empty, or a dash written in an unused cell."""
    return value is None or (isinstance(value, str) and (not value.strip() or value.strip() in _DASHES))


def _all_blank(values: list[Any]) -> bool:
    """Every value _blank, tested in one loop (a call per value was 4 % of reading a bureau copy's table)."""
    for value in values:
        if value is None:
            continue
        if not isinstance(value, str):
            return False
        text = value.strip()
        if text and text not in _DASHES:
            return False
    return True


@dataclass
class _Scan:
    """State while walking the rows of one table."""

    rows: list
    subtotals: list
    total: Stated | None = None
    grade: Stated | None = None
    last_row: int = 0
    levels: dict[str, str] = field(default_factory=dict)
    weights: dict[tuple[str, str | None], Stated] = field(default_factory=dict)  # labels with points


def _label_kind(get: Any, label_cells: tuple) -> str | None:
    """total / subtotal from any label cell (合计 may sit left of the level columns); stop when the row's
    first label opens a free-text block (评价结论, 填表说明 …). ``get``: the grid's ``values.get``."""
    first = None
    for value in map(get, label_cells):
        if isinstance(value, str) and value.strip():
            kind = total_kind(value)
            if kind:
                return kind
            first = first or value
    return "stop" if first is not None and is_stop_label(first) else None


def _row_kind(get: Any, label_cells: tuple, values: list[Any], columns: TableColumns) -> str:
    """total, subtotal, stop, blank, header (repeated at a page break) or row."""
    kind = _label_kind(get, label_cells)
    if kind in ("total", "subtotal"):
        return kind
    if _all_blank(values):
        return "blank"
    if kind == "stop":
        return "stop"
    name = values[columns.level3]
    if isinstance(name, str) and (rank := header_rank(name)) is not None and rank[0] == "level3" and \
            sum(header_role(value) == role for role, value in zip(columns.roles, values)) >= 3:
        return "header"  # the header repeated at a page break
    return "row"


def _levels(scan: _Scan, grid: SheetGrid, row: int, values: list[Any], columns: TableColumns) -> None:
    """Carry level 1/2 names down; record points written in their labels (产出指标（50分）) once each."""
    for role, index, col in columns.levels:
        raw = values[index]
        if raw is None:
            continue
        raw = str(raw).strip()
        if not raw:
            continue
        name, points = split_weight(raw)
        scan.levels[role] = name
        if points is not None:
            key = (scan.levels.get("level1", ""), name if role == "level2" else None)
            if key not in scan.weights:
                scan.weights[key] = Stated(points, a1(row, col), grid.name, key[0], key[1])


def _indicator(grid: SheetGrid, columns: TableColumns, row: int, cells: list[Any], scan: _Scan, formulas: dict,
               names: dict[str, str], percent_cells: tuple) -> Indicator:
    """One row's Indicator from its cells (ending in None: ``TableColumns.at``); the cells of its roles picked by
    one itemgetter (a dict of role → value per row was a third of reading a bureau copy's rows)."""
    if columns.levels:
        _levels(scan, grid, row, cells, columns)
    level3, weight, target, actual, score, note, method, nature, unit, judgement = columns.pick(cells)
    levels = scan.levels
    return Indicator(
        levels.get("level1", ""), levels.get("level2", ""), "" if level3 is None else str(level3).strip(), weight,
        target, actual, score, None if note is None else str(note).strip() or None,
        None if method is None else str(method).strip() or None,
        None if nature is None else str(nature).strip() or None, None if unit is None else str(unit).strip() or None,
        judgement, row, names.copy(), None,
        frozenset(compress(columns.percent_roles, map(grid.percent.__contains__, percent_cells)))
        if percent_cells else _NO_PERCENT,
        formulas.get((row, columns.score)) if formulas else None)


def _scored_row(ind: Indicator) -> bool:
    """A row to score: one with a weight or a score, or a real name (not 指标1：, ……, 其中… or blank)."""
    weight = ind.weight
    if not _blank(weight) and weight != 0:
        return True
    if not _blank(ind.stated_score) or not _blank(ind.judgement) or ind.score_formula:
        return True
    name = ind.level3
    return bool(name) and name not in _DASHES and not is_placeholder(name) and not is_sub_item(name)


def _fill_merged_levels(grid: SheetGrid, header: Header, origin: dict) -> None:
    """Copy merged level-1/2 cells' value down into every cell they cover (published tables merge them)."""
    level_cols = {header.columns[r] for r in ("level1", "level2") if r in header.columns}
    for (row, col), (r0, c0) in origin.items():
        if col in level_cols and row > header.row and (row, col) not in grid.values:
            value = grid.get(r0, c0)
            if value is not None:
                grid.values[(row, col)] = value


def _subtotal(scan: _Scan, grid: SheetGrid, header: Header, row: int, score: Stated) -> None:
    level1 = split_weight(_text(grid.get(row, header.columns.get("level1", 0))))[0] or scan.levels.get("level1", "")
    level1 = "" if is_subtotal_label(level1) else level1
    scan.subtotals.append(Stated(score.value, score.cell, grid.name, level1 or scan.levels.get("level1", "")))


def _scan_rows(grid: SheetGrid, header: Header, formulas: dict) -> _Scan:
    scan = _Scan([], [])
    columns = table_columns(header, grid.percent)
    get = grid.values.get
    score_col = header.columns["score"]
    score_letter = column_letter(score_col)
    blanks = 0
    at = columns.at
    for row in range(header.row + 1, grid.max_row + 1):
        keys, label_cells, percent_cells, names = at(row)
        values = list(map(get, keys))
        kind = _row_kind(get, label_cells, values, columns)
        if kind == "blank":
            blanks += 1
            if blanks >= BLANK_RUN_END and scan.rows:
                break
            continue
        blanks = 0
        if kind in ("total", "stop"):
            if kind == "total":
                scan.total = Stated(get((row, score_col)), f"{score_letter}{row}", grid.name)
                scan.grade = grade_near_total(grid, row, score_col)
                scan.last_row = row
            break
        if kind == "subtotal":
            _subtotal(scan, grid, header, row, Stated(get((row, score_col)), f"{score_letter}{row}", grid.name))
        elif kind == "row":
            ind = _indicator(grid, columns, row, values, scan, formulas, names, percent_cells)
            if _scored_row(ind):
                scan.rows.append(ind)
        scan.last_row = row
    return scan


def _block_weight(grid: SheetGrid, header: Header, origin: dict) -> Stated | None:
    """Points written in a label left of the level columns (绩效指标（90分）): the weight of all its rows."""
    first = min(header.columns.get(role, 10**6) for role in LEVEL_ROLES)
    for col in range(1, first):
        pos = origin.get((header.row, col), (header.row, col))
        value = grid.get(*pos)
        if isinstance(value, str):
            points = split_weight(value.strip())[1]
            if points is not None:
                return Stated(points, a1(*pos), grid.name)
    return None


def read_grid_table(grid: SheetGrid, others: list[SheetGrid] = (), file: str = "", start: int = 1,
                    formulas: dict[str, dict] | None = None) -> IndicatorTable | None:
    """Read the first indicator table at or after row ``start`` of a grid, or None if there is none.

    ``formulas`` (sheet → {(row, col): formula text}) tells which score cells the form computes."""
    formulas = formulas or {}
    origin = grid.merged_origin()
    header = find_header(grid, start, origin)
    if header is None:
        return None
    _fill_merged_levels(grid, header, origin)
    scan = _scan_rows(grid, header, formulas.get(grid.name, {}))
    exec_row, budget = find_budget([grid, *others], formulas)
    grade = scan.grade or stated_grade(grid, scan.last_row)
    columns = {role: column_letter(col) for role, col in header.columns.items()}
    weights = tuple(scan.weights.values())
    block = _block_weight(grid, header, origin)
    return IndicatorTable(rows=tuple(scan.rows), sheet=grid.name, file=file, header_row=header.row,
                          columns=columns, budget=budget, stated_total=scan.total, stated_grade=grade,
                          stated_subtotals=tuple(scan.subtotals), exec_row=exec_row,
                          stated_weights=weights + ((block,) if block else ()))


def read_tables(path: str | Path, grids: list[SheetGrid] | None = None,
                formulas: dict[str, dict] | None = None) -> list[IndicatorTable]:
    """Every indicator table in a workbook (one per sheet that has a header row).

    Without ``grids`` the workbook is read by xlperf's one reader (``workbook.view.open_view``)."""
    if grids is None:
        from xlperf.workbook.view import open_view

        view = open_view(path)
        grids, formulas = view.data_grids(), view.formulas
    tables = []
    for grid in grids:
        others = [g for g in grids if g is not grid]
        table = read_grid_table(grid, others, str(path), formulas=formulas)
        if table is not None:
            tables.append(table)
    return tables


__all__ = ["Header", "find_header", "read_grid_table", "read_tables"]
