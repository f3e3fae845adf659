"""Score a Word report like a workbook, then check it against itself (``xlperf score REPORT.docx``).

Its tables go through the workbook reader (``read_grid_table``) and its score table through the core and the
table checks, exactly as a workbook's would; the findings are then placed in Word's terms (表3-1 第 9 行
「得分」 instead of G9). The report's sentences and other tables are checked against that table
(``selfcheck``, ``subtables``, ``rates``). The file is only read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from xlperf.core.config import ScoringConfig
from xlperf.core.model import IndicatorTable
from xlperf.errors import XlperfError
from xlperf.findings import Finding
from xlperf.reports.docx_document import ReportDoc, read_report
from xlperf.reports.docx_tables import DocTable
from xlperf.reports.match import Index
from xlperf.reports.rates import rate_findings
from xlperf.reports.selfcheck import text_findings
from xlperf.reports.subtables import level_table_findings, rate_column, target_findings
from xlperf.scoring.score import ScoreResult, score_table

_CELL = re.compile(r"^([A-Z]+)(\d+)$")


@dataclass(frozen=True)
class ReadTables:
    """The report's tables as the reader found them: the score table and the level sub-tables."""

    main: tuple[DocTable, IndicatorTable]
    levels: list[tuple[DocTable, IndicatorTable]]
    others: list[DocTable]


def find_tables(doc: ReportDoc, label: str | None = None) -> ReadTables:
    """Read every table with the workbook reader; the largest one that is not a 得分率 sub-table scores
    (or the one labelled ``label``, e.g. 表3-1)."""
    from xlperf.workbook.reader import read_grid_table

    grids = [t.grid for t in doc.tables]
    read = []
    for doc_table in doc.tables:
        table = read_grid_table(doc_table.grid, [g for g in grids if g is not doc_table.grid], doc.file)
        if table is not None and table.rows:
            read.append((doc_table, table))
    if label is not None:
        read = [(d, t) for d, t in read if d.label == label.replace(" ", "")]
    if not read:
        raise XlperfError(Finding("table-not-found", label, file=doc.file))
    levels = [(d, t) for d, t in read if rate_column(d, t.header_row) is not None]
    scoring = [(d, t) for d, t in read if (d, t) not in levels] or levels
    main = max(scoring, key=lambda item: len(item[1].rows))
    return ReadTables(main, [item for item in levels if item is not main],
                      [t for t in doc.tables if t is not main[0]])


def _header_text(doc_table: DocTable, table: IndicatorTable, letters: str) -> str:
    """The header over a column (a header cell merged over two rows counts for both)."""
    from xlperf.workbook.grid import column_letter

    grid, row = doc_table.grid, table.header_row or 1
    origin = grid.merged_origin()
    for col in range(1, grid.max_col + 1):
        if column_letter(col) == letters:
            return grid.text(*origin.get((row, col), (row, col)))
    return ""


def relocate(finding: Finding, doc: ReportDoc, main: tuple[DocTable, IndicatorTable]) -> Finding:
    """A reader finding at a grid cell (G9) moved to the Word table and row it came from (表3-1 第 9 行「得分」)."""
    doc_table = next((t for t in doc.tables if t.grid.name == finding.sheet), main[0])
    match = _CELL.match(finding.cell or "")
    if match is None:
        return Finding(finding.code, doc_table.label, finding.cell, finding.row, finding.file, finding.expected,
                       finding.found, finding.params)
    label, row = doc_table.place(int(match.group(2)))
    header = _header_text(doc_table, main[1], match.group(1)) if doc_table is main[0] else ""
    cell = f"第{row}行" + (f"「{header}」" if header else "")
    return Finding(finding.code, label, cell, row, finding.file, finding.expected, finding.found, finding.params)


def report_findings(doc: ReportDoc, tables: ReadTables, result: ScoreResult) -> list[Finding]:
    """The report checked against itself."""
    main_doc = tables.main[0]
    index = Index.of(result.evaluation)
    found = text_findings(doc, main_doc, result.evaluation, index)
    for doc_table, table in tables.levels:
        found.extend(level_table_findings(index, doc_table, table))
    found.extend(rate_findings(doc, main_doc, index))
    found.extend(target_findings(main_doc, tables.others))
    return found


def score_report_doc(path: str | Path, cfg: ScoringConfig | None = None,
                     table: str | None = None) -> tuple[ScoreResult, ReportDoc]:
    """score_report, also returning the document as read (its title, paragraphs and tables)."""
    doc = read_report(path)
    tables = find_tables(doc, table)
    scored = score_table(tables.main[1], cfg)
    findings = [relocate(f, doc, tables.main) for f in scored.findings]
    findings += [f.with_file(str(path)) for f in report_findings(doc, tables, scored)]
    return ScoreResult(str(path), scored.evaluation, tuple(findings)), doc


def score_report(path: str | Path, cfg: ScoringConfig | None = None, table: str | None = None) -> ScoreResult:
    """Read a .docx report (never modified), score its table (the one labelled ``table`` when given) and check
    the report against itself; XlperfError when it cannot be read or holds no score table."""
    return score_report_doc(path, cfg, table)[0]
