"""Excel's "inconsistent formula" check in R1C1 form, for a workbook alone in its structure (no template)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Any, Callable, Iterator

from xlperf.workbook.tokenizer import Token, Tokenizer, TokenizerError
from xlperf.findings import Finding
from xlperf.workbook.grid import column_letter as get_column_letter  # openpyxl's names, kept for callers
from xlperf.workbook.xlsxparts import column_index as column_index_from_string, position as coordinate_to_tuple

MAX_ROW, MAX_COL = 1_048_576, 16_384
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")  # openpyxl.cell.cell's
EXCEL_ERRORS = frozenset(ERROR_CODES) | {"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!"}
A1_PART = re.compile(r"^(?:(\$?)([A-Za-z]{1,3}))?(?:(\$?)(\d+))?$")
R1C1_PART = re.compile(r"^(?:(R)(\[-?\d+\]|\d+)?)?(?:(C)(\[-?\d+\]|\d+)?)?$")
FUNC_AFTER_RANGE = re.compile(r"^(.+):([^:]+\()$")

Axis = tuple[bool, int]  # (absolute, number) for an absolute part, (False, offset) for a relative one


@dataclass(frozen=True)
class _Part:
    """One end of a reference: a row and/or a column, each absolute or relative."""

    row: Axis | None
    col: Axis | None

    @property
    def kind(self) -> str:
        return "cell" if self.row and self.col else "row" if self.row else "col"


def _a1_parser(row: int, col: int) -> Callable[[str], _Part | None]:
    def parse(text: str) -> _Part | None:
        m = A1_PART.match(text)
        if not m or not (m[2] or m[4]):
            return None
        r = _axis(bool(m[3]), int(m[4]), row, MAX_ROW) if m[4] else None
        c = _axis(bool(m[1]), column_index_from_string(m[2].upper()), col, MAX_COL) if m[2] else None
        return None if (m[4] and r is None) or (m[2] and c is None) else _Part(r, c)
    return parse


def _axis(absolute: bool, number: int, origin: int, limit: int) -> Axis | None:
    if not 1 <= number <= limit:
        return None
    return (True, number) if absolute else (False, number - origin)


def _parse_r1c1(text: str) -> _Part | None:
    m = R1C1_PART.match(text)
    if not m or not (m[1] or m[3]):
        return None
    return _Part(_r1c1_axis(m[2]) if m[1] else None, _r1c1_axis(m[4]) if m[3] else None)


def _r1c1_axis(text: str | None) -> Axis:
    if not text:
        return (False, 0)
    return (False, int(text[1:-1])) if text.startswith("[") else (True, int(text))


def _render_r1c1(part: _Part) -> str:
    def axis(letter: str, ax: Axis | None) -> str:
        if ax is None:
            return ""
        absolute, n = ax
        return f"{letter}{n}" if absolute else letter if n == 0 else f"{letter}[{n}]"
    return axis("R", part.row) + axis("C", part.col)


def _a1_renderer(row: int, col: int) -> Callable[[_Part], str | None]:
    def render(part: _Part) -> str | None:
        r = _place(part.row, row, MAX_ROW)
        c = _place(part.col, col, MAX_COL)
        if r is None or c is None:
            return None
        col_text = f"{'$' * c[0]}{get_column_letter(c[1])}" if c[1] else ""
        row_text = f"{'$' * r[0]}{r[1]}" if r[1] else ""
        return col_text + row_text
    return render


def _place(ax: Axis | None, origin: int, limit: int) -> tuple[bool, int] | None:
    """An axis at a cell: (absolute, number), (False, 0) when the part has no such axis, None if off-sheet."""
    if ax is None:
        return (False, 0)
    number = ax[1] if ax[0] else origin + ax[1]
    return (ax[0], number) if 1 <= number <= limit else None


def _parse_ref(ref: str, parse: Callable[[str], _Part | None]) -> list[_Part] | None:
    """The parts of ``A1``, ``A1:B2``, ``A:A``, ``1:1`` (or ``:B5`` after a function); None for names."""
    lead = ref.startswith(":")
    parts = [parse(piece) for piece in ref[lead:].split(":")]
    if any(p is None for p in parts):
        return None
    kinds = {p.kind for p in parts}
    if len(kinds) != 1 or ((len(parts) == 1 or lead) and kinds != {"cell"}):
        return None
    return parts


def _convert_ref(text: str, parse: Callable[[str], _Part | None], render: Callable[[_Part], str | None]) -> str:
    """Convert one reference operand, keeping its sheet prefix; names and unknown forms are returned unchanged."""
    prefix, bang, ref = text.rpartition("!")
    parts = _parse_ref(ref, parse)
    if parts is None:
        return text
    rendered = [render(p) for p in parts]
    if any(r is None for r in rendered):
        return f"{prefix}{bang}#REF!"
    return prefix + bang + (":" if ref.startswith(":") else "") + ":".join(rendered)


def _convert(formula: str, parse: Callable[[str], _Part | None], render: Callable[[_Part], str | None]) -> str:
    if not formula.startswith("="):
        return formula
    try:
        tokens = Tokenizer(formula).items
    except TokenizerError:
        return formula
    out = []
    for token in tokens:
        value = token.value
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            value = _convert_ref(value, parse, render)
        elif token.type == Token.FUNC and token.subtype == Token.OPEN and (m := FUNC_AFTER_RANGE.match(value)):
            value = f"{_convert_ref(m[1], parse, render)}:{m[2]}"  # A1:INDEX(...) tokenizes as one function
        out.append(value)
    return "=" + "".join(out)


@lru_cache(maxsize=16384)  # copies of a template hold the same formula at the same cell
def to_r1c1(formula: str, row: int, col: int) -> str:
    """An A1 formula at (row, col) in relative R1C1 form: B3 at C5 -> R[-2]C[-1], $B$3 -> R3C2, A:A -> C[..]:C[..].

    Text in quotes, function names and defined names are untouched; sheet prefixes are kept as written.
    """
    return _convert(formula, _a1_parser(row, col), _render_r1c1)


def r1c1_to_a1(r1c1: str, row: int, col: int) -> str:
    """Render an R1C1 formula (as from ``to_r1c1``) at (row, col) in A1 form; off-sheet references become #REF!."""
    return _convert(r1c1, _parse_r1c1, _a1_renderer(row, col))


@dataclass(frozen=True)
class _Entry:
    """A non-empty numeric or formula cell: ``shape`` is the R1C1 text, None for a constant."""

    row: int
    col: int
    shape: str | None
    found: Any


def _formula_text(value: Any, data_type: str | None) -> str | None:
    from openpyxl.worksheet.formula import ArrayFormula  # only for openpyxl worksheets: openpyxl is loaded

    if isinstance(value, ArrayFormula):
        text = value.text or ""
        return text if text.startswith("=") else f"={text}"
    if data_type == "f" and isinstance(value, str) and value.startswith("="):
        return value
    return None


def _entries(ws) -> dict[int, dict[int, _Entry]]:
    """Column -> row -> entry for formula and number cells; text, empty and other cells are left out."""
    columns: dict[int, dict[int, _Entry]] = {}
    for r, cells in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1):
        for c, cell in enumerate(cells, start=1):
            value = cell.value
            formula = _formula_text(value, getattr(cell, "data_type", None))
            if formula is not None:
                columns.setdefault(c, {})[r] = _Entry(r, c, to_r1c1(formula, r, c), formula)
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                columns.setdefault(c, {})[r] = _Entry(r, c, None, value)
    return columns


def _cached_values(values_ws) -> dict[tuple[int, int], Any]:
    if values_ws is None:
        return {}
    return {(r, c): cell.value for r, cells in enumerate(values_ws.iter_rows(min_row=1, min_col=1), start=1)
            for c, cell in enumerate(cells, start=1) if cell.value is not None}


def _run_length(column: dict[int, _Entry], row: int, step: int, shape: str) -> int:
    """How many consecutive cells from ``row`` in direction ``step`` hold the formula ``shape``."""
    n = 0
    while (entry := column.get(row + step * (n + 1))) is not None and entry.shape == shape:
        n += 1
    return n


def _pattern(column: dict[int, _Entry], entry: _Entry, min_run: int) -> str | None:
    """The formula both neighbours share and ``entry`` breaks, or None (Excel's rule: a cell at the edge of
    a run, such as a totals row or a typed value under a block of formulas, is never flagged)."""
    up, down = column.get(entry.row - 1), column.get(entry.row + 1)
    if up and down and up.shape is not None and up.shape == down.shape:
        runs = _run_length(column, entry.row, -1, up.shape) + _run_length(column, entry.row, 1, up.shape)
        return up.shape if runs >= min_run and entry.shape != up.shape else None
    return None


def _shape_findings(column: dict[int, _Entry], sheet: str, min_run: int,
                    cached: dict[tuple[int, int], Any]) -> Iterator[Finding]:
    for entry in column.values():
        shape = _pattern(column, entry, min_run)
        if shape is None:
            continue
        cell = f"{get_column_letter(entry.col)}{entry.row}"
        expected = r1c1_to_a1(shape, entry.row, entry.col)
        if entry.shape is None:
            yield Finding("formula-pattern-break", sheet, cell, entry.row, expected=expected, found=entry.found)
        else:
            params = {"value": cached[(entry.row, entry.col)]} if (entry.row, entry.col) in cached else {}
            yield Finding("formula-inconsistent", sheet, cell, entry.row, expected=expected, found=entry.found,
                          params=params)


def _error_findings(column: dict[int, _Entry], sheet: str, cached: dict[tuple[int, int], Any]) -> Iterator[Finding]:
    for entry in column.values():
        value = cached.get((entry.row, entry.col))
        if entry.shape is not None and isinstance(value, str) and value in EXCEL_ERRORS:
            cell = f"{get_column_letter(entry.col)}{entry.row}"
            yield Finding("formula-error", sheet, cell, entry.row, found=value, params={"formula": entry.found})


def check_formula_shapes(ws, sheet_name: str | None = None, min_run: int = 2, values_ws=None) -> list[Finding]:
    """Formula cells and typed constants that break their column's formula pattern, Excel-style, in R1C1 form.

    ``ws`` is loaded with ``data_only=False``; ``values_ws`` (optional, ``data_only=True``) adds cached values:
    ``formula-error`` for a formula caching an Excel error, and the cached value of an inconsistent formula.

    Within a column, runs of formula and number cells are compared by R1C1 text; empty and text cells break runs.
    Both neighbours must hold the same formula F (Excel's rule): a formula other than F is
    ``formula-inconsistent``, a number is ``formula-pattern-break`` (both warnings: with one file alone, the
    neighbours are the only evidence). ``min_run`` is how many consecutive cells with F, above and below
    together, the pattern needs (2: just the two neighbours). A cell at the edge of a run is never flagged:
    a ``SUM`` totals row under per-row formulas, a typed 评价年度 under two rate formulas. Copies of a template
    are compared with the template itself (given, or inferred from the batch), which finds those too.
    """
    sheet = sheet_name if sheet_name is not None else ws.title
    cached = _cached_values(values_ws)
    findings: list[Finding] = []
    for column in _entries(ws).values():
        findings.extend(_shape_findings(column, sheet, min_run, cached))
        findings.extend(_error_findings(column, sheet, cached))
    return sorted(findings, key=lambda f: coordinate_to_tuple(f.cell))


def _entries_from_view(formulas: dict[tuple[int, int], str], grid) -> dict[int, dict[int, _Entry]]:
    columns: dict[int, dict[int, _Entry]] = {}
    for (r, c), formula in formulas.items():
        columns.setdefault(c, {})[r] = _Entry(r, c, to_r1c1(formula, r, c), formula)
    for (r, c), value in (grid.values.items() if grid is not None else ()):
        if (r, c) not in formulas and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            columns.setdefault(c, {})[r] = _Entry(r, c, None, value)
    return {c: dict(sorted(rows.items())) for c, rows in columns.items()}


def check_formula_shapes_view(view, min_run: int = 2) -> list[Finding]:
    """check_formula_shapes over a WorkbookView (formulas and cached values read once)."""
    findings: list[Finding] = []
    for grid in view.data_grids():
        formulas = view.formulas.get(grid.name, {})
        if not formulas:
            continue
        cached = {pos: value for pos, value in grid.values.items() if pos in formulas}
        for column in _entries_from_view(formulas, grid).values():
            findings.extend(_shape_findings(column, grid.name, min_run, cached))
            findings.extend(_error_findings(column, grid.name, cached))
    return sorted(findings, key=lambda f: (f.sheet, coordinate_to_tuple(f.cell)))
