"""The evaluation report (.docx) of a unit's checked workbook, where the library can write one.

The Word report is ``xlperf report`` (issue 17). This module is the one place the server asks for
it: ``writer()`` returns the library's function when it is installed, else None, and the page then
offers no report link rather than a broken one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

REPORT_NAME = "绩效评价报告.docx"


def writer() -> Callable[[Path, Path], Path] | None:
    """``write(workbook, out_docx) -> out_docx`` from ``xlperf.report``, or None before it exists."""
    try:
        from xlperf.report.docx_report import write_report  # type: ignore[import-not-found]
    except ImportError:
        return None
    return write_report


def write(workbook: Path, out_dir: Path) -> Path | None:
    """The report for ``workbook`` in ``out_dir`` (made once, then reused); None when unavailable."""
    make = writer()
    if make is None:
        return None
    target = out_dir / REPORT_NAME
    if not target.exists():
        make(workbook, target)
    return target
