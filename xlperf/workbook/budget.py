"""Find the budget block (年初预算数, 全年预算数, 实际到位, 全年执行数) and a self-evaluation 预算执行率 row.

Two layouts: labels in a row with the figures in the rows below (the MoF 自评表's 项目资金 block,
whose 年度资金总额 line is followed by 其中：当年财政拨款 / 上年结转资金 / 其他资金 lines, and whose
header row also carries 分值 / 执行率 / 得分), or labels in a column with each figure beside it
(the 基本信息 sheet of xlperf's templates). A row of labels wins over lone labels elsewhere (a
department form's 年度主要任务 table also says 预算金额). ``/`` and ``—`` in unused cells are blanks.
"""

from __future__ import annotations

import math
from decimal import Decimal

from xlperf.core.model import Budget, Indicator
from xlperf.core.numbers import read_number
from xlperf.workbook.grid import SheetGrid, a1
from xlperf.workbook.layout import EXEC_BLOCK_LABELS, budget_field, budget_line_kind, norm_label

LOOK_BELOW = 4
MAX_LINES = 8  # 年度资金总额 and its 其中 lines


def _figure(value: object) -> Decimal | None:
    number = read_number(value)
    return number.value if not number.invalid else None


def _is_figure(value: object) -> bool:
    """``_figure(value) is not None`` without building the Decimal of a plain number: the block's lines are
    told apart by whether they hold a figure (19 cells parsed per self-evaluation copy, 1.3 µs each)."""
    cls = value.__class__
    if cls is int:
        return True
    if cls is float:
        return math.isfinite(value)  # type: ignore[arg-type]
    return value is not None and _figure(value) is not None


def _number_near(grid: SheetGrid, row: int, col: int) -> tuple[Decimal, int, int] | None:
    """The figure for a label: the cell to its right if numeric, else the first number below it."""
    right = read_number(grid.get(row, col + 1))
    if right.value is not None and not right.invalid:
        return right.value, row, col + 1
    for r in range(row + 1, row + 1 + LOOK_BELOW):
        below = grid.get(r, col)
        number = read_number(below)
        if number.value is not None:
            return number.value, r, col
        if isinstance(below, str) and budget_field(below):
            break
    return None


def _unit(grid: SheetGrid, rows: set[int]) -> str:
    for (row, _), value in grid.values.items():
        if isinstance(value, str) and "万元" in value and (not rows or min(abs(row - r) for r in rows) <= 3):
            return "万元"
    return ""


def _labels(grid: SheetGrid) -> list[tuple[tuple[int, int], str]]:
    return sorted((pos, name) for pos, value in grid.values.items()
                  if isinstance(value, str) and (name := budget_field(value)))


def _vertical(grid: SheetGrid, labels: list) -> tuple[dict[str, Decimal], dict[str, str], set[int]]:
    """Each label's figure beside (or below) it."""
    figures: dict[str, Decimal] = {}
    cells: dict[str, str] = {}
    label_rows: set[int] = set()
    for (row, col), name in labels:
        if name in figures:
            continue
        found = _number_near(grid, row, col)
        if found:
            figures[name], r, c = found
            cells[name] = a1(r, c)
            label_rows.add(row)
    return figures, cells, label_rows


def _line_label(grid: SheetGrid, row: int, before: int) -> str:
    """The text naming a line of the block: its last text cell left of the first figure column."""
    label = ""
    for col in range(1, before):
        value = grid.get(row, col)
        if isinstance(value, str) and value.strip():
            label = value.strip()
    return label


def _lines(grid: SheetGrid, header: int, columns: dict[str, int]) -> tuple[int | None, list[tuple[str, int]]]:
    """The block's total line (年度资金总额, or the first line with a figure) and its 其中 lines after it."""
    first_col = min(columns.values())
    total: int | None = None
    subs: list[tuple[str, int]] = []
    for row in range(header + 1, header + 1 + MAX_LINES):
        label = _line_label(grid, row, first_col)
        kind = budget_line_kind(label)
        has_figure = any(_is_figure(grid.get(row, col)) for col in columns.values())
        if total is None:
            if kind == "total" or (has_figure and kind != "sub"):
                total = row
            elif label or has_figure:
                break
        elif kind == "sub":
            subs.append((label, row))
        elif label or has_figure:
            break  # the next block (年度总体目标 …)
    return total, subs


def _horizontal(grid: SheetGrid, header: int, columns: dict[str, int]) -> tuple[dict, dict, list, int | None]:
    total, subs = _lines(grid, header, columns)
    figures: dict[str, Decimal] = {}
    cells: dict[str, str] = {}
    if total is not None:
        for name, col in columns.items():
            value = _figure(grid.get(total, col))
            if value is not None:
                figures[name], cells[name] = value, a1(total, col)
    lines = []
    for label, row in subs:
        parts = {name: value for name, col in columns.items() if (value := _figure(grid.get(row, col))) is not None}
        lines.append((label, parts))
    return figures, cells, lines, total


def _header_row(labels: list) -> tuple[int, dict[str, int]] | None:
    """The first row holding two or more budget labels, and each label's column."""
    by_row: dict[int, dict[str, int]] = {}
    for (row, col), name in labels:
        by_row.setdefault(row, {}).setdefault(name, col)
    return next(((row, cols) for row, cols in sorted(by_row.items()) if len(cols) >= 2), None)


def _exec_row(grid: SheetGrid, header: int, line: int | None, formulas: dict) -> Indicator | None:
    """Self-evaluation form: the budget header row also carries 分值 / 执行率 / 得分 for 预算执行率."""
    found: dict[str, int] = {}
    for col, value in grid.row_values(header):
        label = norm_label(value)
        for key, words in EXEC_BLOCK_LABELS.items():
            if label in words and key not in found:
                found[key] = col
    if "weight" not in found or "score" not in found:
        return None
    if line is None:  # labels in a column: the 分值 / 执行率 / 得分 figures sit in the first row with a 分值
        line = next((r for r in range(header + 1, header + 1 + LOOK_BELOW)
                     if grid.get(r, found["weight"]) is not None), None)
        if line is None:
            return None
    place = {key: a1(line, col) for key, col in (("weight", found["weight"]), ("score", found["score"]))}
    rate = grid.get(line, found["rate"]) if "rate" in found else None
    pct = frozenset()
    if "rate" in found:
        place["actual"] = a1(line, found["rate"])
        pct = frozenset({"actual"}) if (line, found["rate"]) in grid.percent else frozenset()
    return Indicator("预算执行率", "预算执行率", "预算执行率", grid.get(line, found["weight"]), "100%", rate,
                     grid.get(line, found["score"]), row=line, cells=place, percent=pct, sheet=grid.name,
                     score_formula=formulas.get((line, found["score"])))


def find_budget(grids: list[SheetGrid], formulas: dict[str, dict] | None = None) -> tuple[Indicator | None, Budget | None]:
    """The budget block from the first grid that has one (the table's own sheet is passed first).

    ``formulas`` (sheet → {(row, col): formula}) marks a 预算执行率 score computed by the form."""
    for grid in grids:
        labels = _labels(grid)
        if not labels:
            continue
        header = _header_row(labels)
        lines: list = []
        if header is not None:
            figures, cells, lines, total = _horizontal(grid, *header)
            label_rows = {header[0]}
        else:
            figures, cells, label_rows = _vertical(grid, labels)
            total = None
        if figures or lines:
            budget = Budget(figures.get("initial"), figures.get("annual"), figures.get("received"),
                            figures.get("spent"), _unit(grid, label_rows), cells, grid.name, tuple(lines))
            sheet_formulas = (formulas or {}).get(grid.name, {})
            exec_row = next((row for r in sorted(label_rows) if (row := _exec_row(grid, r, total, sheet_formulas))), None)
            return exec_row, budget
    return None, None
