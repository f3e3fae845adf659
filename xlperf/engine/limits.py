"""How much work one file may give the formula engine; past a limit, a finding instead of the work.

Measured on hostile files (issue 15): ``formulas`` parses a formula in time and memory quadratic in its
terms (4 000 terms: 2.2 s and 410 MB; 30 000: over 120 s and 2.7 GB), and its full model reads every cell
of a sheet's used range through openpyxl, which creates a cell object for each (one value in row
1 048 576 of an 8-column sheet: over 60 s and 2.4 GB). So, before either engine path runs:

- a formula longer than Excel's own limit of 8 192 characters cannot come from Excel: a
  ``formula-too-long`` finding at its cell, and the file's formulas are not recomputed;
- the full model's input, the sum over sheets of the used range's rows × columns, and any single area a
  formula refers to (within its sheet's used range: ``SUM(A:A)`` reads the cells there are) are bounded
  (``MAX_CELLS``); so is the total formula text (``MAX_FORMULA_TEXT``).
  Past them, one ``formulas-not-recomputed`` warning names the reason (the other checks still run).
"""

from __future__ import annotations

from xlperf.checks.references import areas, size
from xlperf.engine.key import formula_key
from xlperf.findings import Finding
from xlperf.workbook.grid import a1

MAX_FORMULA_LENGTH = 8192  # Excel: "Length of formula contents: 8,192 characters"
MAX_CELLS = 250_000  # cells of the used ranges the full model reads, or of one referenced area
MAX_FORMULA_TEXT = 1_000_000  # characters of formula text per file
# The parse cost grows with the square of a formula's length (8 192 characters of "1+1+…": 8 s in the
# engine's two passes), so the parse work of a file is bounded as the sum of its formulas' squared lengths:
# 200 million allows three formulas at Excel's limit, or 50 000 formulas of 60 characters (a template: 65
# formulas, 2 488 characters, 0.1 million).
MAX_PARSE_WORK = 200_000_000

DETAIL = {
    "range": ("工作表的使用范围共 {found} 个单元格（{where}），超过上限 {limit} 个",
              "the sheets' used ranges hold {found} cells ({where}), more than the limit of {limit}"),
    "area": ("{where} 的公式引用了 {found} 个单元格的区域，超过上限 {limit} 个",
             "the formula at {where} refers to an area of {found} cells, more than the limit of {limit}"),
    "long": ("有公式长 {found} 个字符，超过 Excel 的上限 {limit} 个", "a formula is {found} characters long, beyond "
             "Excel's limit of {limit}"),
    "text": ("公式共 {found} 个字符，超过上限 {limit} 个", "the formulas hold {found} characters, more than the limit of {limit}"),
    "work": ("长公式过多（各公式长度的平方和为 {found}，上限 {limit}）", "too many long formulas (their squared lengths add up to "
             "{found}, more than the limit of {limit})"),
}


class EngineLimit(Exception):
    """The file is past one of the engine's input limits (``DETAIL[key]`` with ``params`` says which)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params

    def finding(self, lang: str = "zh") -> Finding:
        zh, en = DETAIL[self.key]
        return Finding("formulas-not-recomputed", params={"detail": (en if lang == "en" else zh).format(**self.params)})


def too_long(view) -> list[Finding]:
    """``formula-too-long`` at every formula past Excel's length limit."""
    return [Finding("formula-too-long", sheet, a1(row, col), row, expected=MAX_FORMULA_LENGTH, found=len(text) - 1)
            for sheet, texts in view.formulas.items() for (row, col), text in texts.items()
            if len(text) - 1 > MAX_FORMULA_LENGTH]  # the text carries a leading "="


_PASSED: dict[tuple, None] = {}  # formula sets (with the sheets' extents) found within the limits
MAX_PASSED = 256


def check_input(view) -> None:
    """Raise EngineLimit when the formulas of ``view`` are more than the engine is given to compute.

    A formula set found within the limits is remembered with the extents its areas were bounded by: copies
    of a template pass without their references being tokenized again (0.1 ms per bureau copy)."""
    key = (formula_key(view), tuple(_extents(view).items()))
    if key in _PASSED:
        return
    _check_input(view)
    if len(_PASSED) >= MAX_PASSED:
        _PASSED.clear()
    _PASSED[key] = None


def _check_input(view) -> None:
    lengths = [len(text) for texts in view.formulas.values() for text in texts.values()]
    if lengths and max(lengths) - 1 > MAX_FORMULA_LENGTH:
        raise EngineLimit("long", found=max(lengths) - 1, limit=MAX_FORMULA_LENGTH)
    if sum(lengths) > MAX_FORMULA_TEXT:
        raise EngineLimit("text", found=sum(lengths), limit=MAX_FORMULA_TEXT)
    work = sum(length * length for length in lengths)
    if work > MAX_PARSE_WORK:
        raise EngineLimit("work", found=work, limit=MAX_PARSE_WORK)
    names, extents = tuple(view.sheet_names), _extents(view)
    for sheet, texts in view.formulas.items():
        for (row, col), text in texts.items():
            for found in areas(sheet, text, names):
                rows, cols = extents.get(found[0], (0, 0))
                cells = size((found[0], found[1], found[2], min(found[3], rows), min(found[4], cols)))
                if cells > MAX_CELLS:
                    raise EngineLimit("area", found=cells, limit=MAX_CELLS, where=f"{sheet}!{a1(row, col)}")


def _extents(view) -> dict[str, tuple[int, int]]:
    return view.extents or {g.name: (g.max_row, g.max_col) for g in view.grids}


def check_model_input(view) -> None:
    """Raise EngineLimit when the full model would read more cells than ``MAX_CELLS`` (used ranges)."""
    extents = _extents(view)
    cells = sum(rows * cols for rows, cols in extents.values())
    if cells > MAX_CELLS:
        widest = max(extents, key=lambda name: extents[name][0] * extents[name][1])
        rows, cols = extents[widest]
        raise EngineLimit("range", found=cells, limit=MAX_CELLS, where=f"{widest}!A1:{a1(rows, cols)}")
