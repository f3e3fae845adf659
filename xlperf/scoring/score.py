"""Score one workbook: read its indicator table, evaluate it through the core, collect findings.

One way in for every caller: the workbook is read once by ``workbook.view.open_view`` (xlperf's own
reader); ``xlperf check`` scores the view it already holds (``score_view``), ``xlperf score`` runs that
same per-file check (``api.score_workbook`` → ``batch.task.check_file_scored``), so both give the same
totals and findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlperf.checks.tables import check_table
from xlperf.core.config import ScoringConfig
from xlperf.core.evaluate import Evaluation, evaluate
from xlperf.core.frozen import evolve
from xlperf.core.model import Indicator, IndicatorTable
from xlperf.core.numbers import read_number
from xlperf.core.quantity import parse_quantity
from xlperf.errors import XlperfError
from xlperf.findings import Finding, Severity

# xlperf's own functions in any stored spelling: their rule is the one the row's text gives
_XLPERF_CALL = re.compile(r"^=?\s*(?:\[\d+\]!|_xldudf_\w*?_)?PERF_[A-Z]+\s*\(", re.IGNORECASE)


@dataclass(frozen=True)
class ScoreResult:
    """One table scored: the evaluation and its findings."""

    file: str
    evaluation: Evaluation
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)


def score_table(table: IndicatorTable, cfg: ScoringConfig | None = None) -> ScoreResult:
    """Evaluate a table already read and check it."""
    evaluation = evaluate(table, cfg or ScoringConfig())
    findings = tuple(f.with_file(table.file) for f in check_table(evaluation))
    return ScoreResult(table.file, evaluation, findings)


def pick_table(tables: list[IndicatorTable], path: str, sheet: str | None = None) -> IndicatorTable:
    """The table on ``sheet``, else the first one; raises XlperfError when there is none."""
    if sheet is not None:
        tables = [t for t in tables if t.sheet == sheet]
    if not tables:
        raise XlperfError(Finding("table-not-found", sheet, file=path))
    return tables[0]


_A1 = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _pos(ref: str) -> tuple[int, int]:
    letters, row = _A1.match(ref).groups()  # type: ignore[union-attr] - the reader writes plain A1 refs
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return int(row), col


def _roles(table: IndicatorTable, ind: Indicator) -> dict[tuple[str, int, int], str]:
    """The cells a row's score formula may read, by role: its target, actual and weight, and for the budget
    block's 预算执行率 the spent and base figures the rate is made of."""
    sheet = ind.sheet or table.sheet
    roles = {(sheet, *_pos(ref)): role for role, ref in ind.cells.items() if role in ("target", "actual", "weight")}
    budget = table.budget
    if ind is table.exec_row and budget is not None:
        for name, role in (("spent", "spent"), ("annual", "base"), ("received", "base")):
            if name in budget.cells:
                roles[(budget.sheet or sheet, *_pos(budget.cells[name]))] = role
    return roles


def _own(ind: Indicator) -> tuple[Decimal | None, Decimal | None]:
    """The row's own target and weight as numbers, where they are (tiers written in points need them)."""
    target = parse_quantity(ind.target, "target" in ind.percent)
    weight = read_number(ind.weight).value
    return (target.value if target.numeric else None), weight


def _role_refs(table: IndicatorTable, ind: Indicator) -> tuple:
    """What ``_roles`` reads of a row, as a key (its sheet, its cells, the budget block's for 预算执行率)."""
    refs = tuple(ind.cells.items())  # all of them (a superset of the three roles read): one C call
    budget = table.budget
    if ind is table.exec_row and budget is not None:
        refs += (budget.sheet, tuple(budget.cells.get(name) for name in ("spent", "annual", "received")))
    return ind.sheet or table.sheet, refs


_PLACED: dict[tuple, tuple] = {}  # _role_refs and the formula's place → rulefit.placed and the cells' roles
MAX_PLACED = 4096
MAX_PLACED_KEY = 4096  # characters of a key's repr kept: a hostile batch's long formulas are never kept


def _placed(table: IndicatorTable, ind: Indicator, sheets: tuple[tuple[str, str], ...]) -> tuple:
    """``rulefit.placed`` for a row's score formula and the roles of the cells it reads, cached: copies of a
    template hold the same formula at the same cell reading the same cells (0.12 → 0.05 ms per bureau copy)."""
    key = (ind.score_formula, ind.cells["score"], _role_refs(table, ind), sheets)
    found = _PLACED.get(key)
    if found is None:
        from xlperf.engine.rulefit import placed

        row, col = _pos(ind.cells["score"])
        small = len(repr(key)) <= MAX_PLACED_KEY  # else neither kept here nor in placed's own memo
        shape, compiled, cells = (placed if small else placed.__wrapped__)(
            ind.score_formula, key[2][0], row, col, sheets)  # type: ignore[arg-type]
        roles = _roles(table, ind)
        found = shape, compiled, cells, tuple(roles.get(cell) for cell in cells)
        if small:
            if len(_PLACED) >= MAX_PLACED:
                _PLACED.clear()
            _PLACED[key] = found
    return found


def with_formula_rules(table: IndicatorTable, view: Any) -> IndicatorTable:
    """The table with each formula-scored row's rule read from its formula (``engine.rulefit``).

    Rows whose score is typed, or computed by xlperf's own PERF_* functions, keep the rule their text gives.
    """
    todo = [ind for ind in table.all_rows() if ind.score_formula and not _XLPERF_CALL.match(ind.score_formula)]
    if not todo:
        return table
    from xlperf.engine.rulefit import placed_rule

    grids = {grid.name: grid for grid in view.grids}
    sheets = tuple({name.upper(): name for name in grids}.items())

    def value_at(sheet: str, row: int, col: int) -> Any:
        grid = grids.get(sheet)
        return grid.get(row, col) if grid is not None else None

    fitted: dict[int, Indicator] = {}
    for ind in todo:
        rule = placed_rule(*_placed(table, ind, sheets), value_at, lambda ind=ind: _own(ind))
        fitted[id(ind)] = evolve(ind, rule=rule)
    exec_row = fitted.get(id(table.exec_row), table.exec_row) if table.exec_row else None
    return evolve(table, rows=tuple(fitted.get(id(ind), ind) for ind in table.rows), exec_row=exec_row)


def score_view(view: Any, cfg: ScoringConfig, sheet: str | None = None, own_rules: bool = True) -> ScoreResult:
    """Read and score the indicator table of an open WorkbookView (on ``sheet``, else the first one).

    ``own_rules`` False skips reading rules from score formulas (an intact xlperf template's formulas are
    its framework's rules). XlperfError (table-not-found) when the workbook has no indicator table."""
    from xlperf.workbook.reader import read_tables

    table = pick_table(read_tables(view.path, view.data_grids(), view.formulas), view.path, sheet)
    if own_rules:
        table = with_formula_rules(table, view)
    return score_table(table, cfg)
