"""Score one workbook: read its indicator table, evaluate it through the core, collect findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xlperf.checks.tables import check_table
from xlperf.core.config import ScoringConfig
from xlperf.core.evaluate import Evaluation, evaluate
from xlperf.core.model import IndicatorTable
from xlperf.errors import XlperfError
from xlperf.findings import Finding, Severity


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


def score_workbook(path: str | Path, cfg: ScoringConfig | None = None, sheet: str | None = None) -> ScoreResult:
    """Read ``path`` (never modified), find its indicator table and score it."""
    from xlperf.workbook.open import open_tables

    tables = open_tables(path)
    return score_table(pick_table(tables, str(path), sheet), cfg)
