"""The evaluation report (.docx) of a unit's checked workbook, where the library can write one.

The Word report is issue 17's ``xlperf.reports`` (``content.report_context`` turns a scored table into
the report's data, ``render.render_docx`` fills the Word template). This module is the one place the
server asks for it: ``writer()`` returns None while that package is not installed, and the page then
offers no report link rather than a broken one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

REPORT_NAME = "绩效评价报告.docx"


def writer() -> Callable[[Path, Path, dict], Path] | None:
    """``write(workbook, out_docx, info) -> out_docx`` built from ``xlperf.reports``, or None."""
    try:
        from xlperf.reports.content import report_context
        from xlperf.reports.render import render_docx
    except ImportError:
        return None

    def write(workbook: Path, out: Path, info: dict) -> Path:
        from xlperf.scoring import score_workbook

        return render_docx(report_context(score_workbook(workbook), info), out)

    return write


def write(workbook: Path, out_dir: Path, info: dict) -> Path | None:
    """The report for ``workbook`` in ``out_dir`` (made once, then reused); None when unavailable."""
    make = writer()
    if make is None:
        return None
    target = out_dir / REPORT_NAME
    if not target.exists():
        make(workbook, target, info)
    return target
