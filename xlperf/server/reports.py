"""The evaluation report (.docx) of a unit's checked workbook, written by ``xlperf.reports`` as
``xlperf report`` writes it (same scoring, same Word template)."""

from __future__ import annotations

from pathlib import Path

from xlperf.batch.discover import WORKBOOK_SUFFIXES

REPORT_NAME = "绩效评价报告.docx"


def available(file_name: str) -> bool:
    """A report can be written for a workbook upload (not for an uploaded .docx report itself)."""
    return Path(file_name).suffix.lower() in WORKBOOK_SUFFIXES


def write(workbook: Path, out_dir: Path, framework: str) -> Path | None:
    """The report for ``workbook`` in ``out_dir`` (made once, then reused); None when it cannot be read."""
    from xlperf.errors import XlperfError
    from xlperf.reports.content import report_context
    from xlperf.reports.render import render_docx
    from xlperf.reports.run import score_workbook_info
    from xlperf.server.jobs import scoring_config

    if not available(workbook.name):
        return None
    target = out_dir / REPORT_NAME
    if not target.exists():
        try:
            result, info = score_workbook_info(workbook, scoring_config(framework))
        except XlperfError:
            return None
        render_docx(report_context(result, info), target)
    return target
