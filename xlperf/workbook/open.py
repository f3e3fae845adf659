"""Open a workbook read-only with openpyxl and turn its sheets into grids."""

from __future__ import annotations

import warnings
from pathlib import Path

from xlperf.workbook.grid import SheetGrid, grid_from_worksheet


def load_grids(path: str | Path) -> list[SheetGrid]:
    """Cached values of every visible-or-hidden worksheet, as grids. The file is never written."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions and the like
        with open(path, "rb") as handle:
            book = openpyxl.load_workbook(handle, data_only=True, keep_links=False)
    try:
        return [grid_from_worksheet(ws) for ws in book.worksheets]
    finally:
        book.close()


def open_tables(path: str | Path) -> list:
    """Every indicator table in ``path``; a file that cannot be read raises XlperfError with its finding."""
    from xlperf.errors import XlperfError
    from xlperf.findings import Finding
    from xlperf.workbook.reader import read_tables

    path = Path(path)
    if not path.is_file():
        raise XlperfError(Finding("file-not-found", file=str(path)))
    try:
        from xlperf.workbook.sniff import sniff
    except ImportError:  # pragma: no cover - sniff is part of the package
        sniff = None
    if sniff is not None:
        kind = sniff(path)
        if kind.finding is not None:
            raise XlperfError(kind.finding.with_file(str(path)))
    try:
        grids = load_grids(path)
    except Exception as exc:  # openpyxl raises many kinds on damaged packages
        raise XlperfError(Finding("file-corrupt", file=str(path), params={"detail": type(exc).__name__})) from exc
    return read_tables(path, grids)
