"""Find the budget block (年初预算数, 全年预算数, 实际到位, 全年执行数) and a self-evaluation 预算执行率 row."""

from __future__ import annotations

from decimal import Decimal

from xlperf.core.model import Budget, Indicator
from xlperf.core.numbers import read_number
from xlperf.workbook.grid import SheetGrid, a1
from xlperf.workbook.layout import EXEC_BLOCK_LABELS, budget_field, norm_label

LOOK_BELOW = 4


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


def _block(grid: SheetGrid) -> tuple[dict[str, Decimal], dict[str, str], set[int]]:
    figures: dict[str, Decimal] = {}
    cells: dict[str, str] = {}
    label_rows: set[int] = set()
    labels = [(pos, name) for pos, value in grid.values.items()
              if isinstance(value, str) and (name := budget_field(value))]
    for (row, col), name in sorted(labels):
        if name in figures:
            continue
        found = _number_near(grid, row, col)
        if found:
            figures[name], r, c = found
            cells[name] = a1(r, c)
            label_rows.add(row)
    return figures, cells, label_rows


def _exec_row(grid: SheetGrid, label_rows: set[int], cells: dict[str, str]) -> Indicator | None:
    """Self-evaluation form: the budget header row also carries 分值 / 执行率 / 得分 for 预算执行率."""
    for row in sorted(label_rows):
        found: dict[str, tuple[object, int, int]] = {}
        for col, value in grid.row_values(row):
            label = norm_label(value)
            for key, words in EXEC_BLOCK_LABELS.items():
                if label in words and key not in found:
                    for r in range(row + 1, row + 1 + LOOK_BELOW):
                        if grid.get(r, col) is not None:
                            found[key] = (grid.get(r, col), r, col)
                            break
        if "weight" in found and "score" in found:
            rate = found.get("rate")
            pct = frozenset({"actual"}) if rate and (rate[1], rate[2]) in grid.percent else frozenset()
            place = {"weight": a1(*found["weight"][1:]), "score": a1(*found["score"][1:])}
            if rate:
                place["actual"] = a1(*rate[1:])
            return Indicator("预算执行率", "预算执行率", "预算执行率", found["weight"][0], "100%",
                             rate[0] if rate else None, found["score"][0], row=found["score"][1],
                             cells=place, percent=pct, sheet=grid.name)
    return None


def find_budget(grids: list[SheetGrid]) -> tuple[Indicator | None, Budget | None]:
    """The budget block from the first grid that has one (the table's own sheet is passed first)."""
    for grid in grids:
        figures, cells, label_rows = _block(grid)
        if figures:
            budget = Budget(figures.get("initial"), figures.get("annual"), figures.get("received"),
                            figures.get("spent"), _unit(grid, label_rows), cells, grid.name)
            return _exec_row(grid, label_rows, cells), budget
    return None, None
