"""Open a workbook the one way xlperf reads workbooks (``view.open_view``), for callers outside a batch.

A file that cannot be read raises XlperfError carrying its finding (file-not-found, file-not-workbook,
file-encrypted, file-corrupt …), so a command can print one line and exit. openpyxl is not used here:
``view.open_view_openpyxl`` stays only as the tests' oracle for the reader.
"""

from __future__ import annotations

from pathlib import Path

from xlperf.core.model import IndicatorTable
from xlperf.errors import XlperfError
from xlperf.findings import Finding
from xlperf.workbook.view import WorkbookView, open_view


def open_checked_view(path: str | Path) -> WorkbookView:
    """The WorkbookView of ``path`` (never written); XlperfError with the file's finding when unreadable."""
    from xlperf.workbook.sniff import sniff

    path = Path(path)
    if not path.is_file():
        raise XlperfError(Finding("file-not-found", file=str(path)))
    kind = sniff(path, keep_parts=True)
    if kind.finding is not None:
        raise XlperfError(kind.finding.with_file(str(path)))
    try:
        return open_view(path, package=kind.package)
    except Exception as exc:  # noqa: BLE001 - a damaged package is that file's finding
        raise XlperfError(Finding("file-corrupt", file=str(path), params={"detail": type(exc).__name__})) from exc


def open_tables(path: str | Path) -> list[IndicatorTable]:
    """Every indicator table in ``path``; a file that cannot be read raises XlperfError with its finding."""
    from xlperf.workbook.reader import read_tables

    view = open_checked_view(path)
    return read_tables(view.path, view.data_grids(), view.formulas)
