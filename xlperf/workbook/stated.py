"""The grade a table states: in its 总分 row, in a 评价等级 row under it, or beside a grade label anywhere."""

from __future__ import annotations

from xlperf.core.model import Stated
from xlperf.workbook.grid import SheetGrid, a1
from xlperf.workbook.layout import GRADE_WORDS, grade_label_value

ROWS_AFTER_TOTAL = 3


def _grade_in_row(grid: SheetGrid, row: int, prefer: int | None = None) -> Stated | None:
    """A grade word (优, 良 …) or an inline 等级：优 in one row; the cell in column ``prefer`` first."""
    found = []
    for col, value in grid.row_values(row):
        if not isinstance(value, str):
            continue
        text = value.strip()
        grade = text if text in GRADE_WORDS else grade_label_value(text)[1]
        if grade:
            found.append((col != prefer, col, grade))
    if not found:
        return None
    _, col, grade = min(found)
    return Stated(grade, a1(row, col), grid.name)


def grade_near_total(grid: SheetGrid, row: int, score_col: int) -> Stated | None:
    """The grade written in the 总分 row, or in a 评价等级 row just under it (under 得分, usually)."""
    found = _grade_in_row(grid, row, score_col)
    if found is not None:
        return found
    for below in range(row + 1, row + 1 + ROWS_AFTER_TOTAL):
        labelled = any(isinstance(v, str) and grade_label_value(v)[0] for _, v in grid.row_values(below))
        if labelled:
            return _grade_in_row(grid, below, score_col)
    return None


def stated_grade(grid: SheetGrid, after: int) -> Stated | None:
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
        found = _grade_in_row(grid, row)
        if found is not None:
            return found
    return None
