"""The reader's limits on what one workbook may make it hold (the zip limits are in ``sniff``).

A sheet's cells are counted (one C-speed ``str.count``) before any is parsed: past ``MAX_CELLS`` the sheet
is not read and the file gets a ``file-too-many-cells`` finding, rather than filling the worker's memory
with cell objects first. A return holds a few thousand cells; Excel's own grid a little over 17 billion.

Merged ranges are clipped to the reader's window before anything expands them into cells (a single
``A1:XFD1048576`` would otherwise be 17 billion cells), and ranges that together cover more than the
window must overlap, which Excel refuses as a damaged file.
"""

from __future__ import annotations

MAX_CELLS = 1_000_000  # per sheet


class SheetTooLarge(Exception):
    """A sheet holds more cells than ``MAX_CELLS``; ``finding`` is the file's finding."""

    def __init__(self, sheet: str, cells: int):
        super().__init__(f"sheet {sheet!r} holds {cells} cells, more than {MAX_CELLS}")
        self.sheet, self.cells = sheet, cells

    @property
    def finding(self):
        from xlperf.findings import Finding

        return Finding("file-too-many-cells", params={"sheet": self.sheet}, expected=MAX_CELLS, found=self.cells)


def clip_merged(merged: list[tuple[int, int, int, int]], rows: int, cols: int) -> list[tuple[int, int, int, int]]:
    """Merged ranges within the first ``rows`` × ``cols`` cells; ValueError when they overlap."""
    clipped = [(r1, c1, min(r2, rows), min(c2, cols)) for r1, c1, r2, c2 in merged if r1 <= rows and c1 <= cols]
    if sum((r2 - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in clipped) > rows * cols:
        raise ValueError("overlapping merged cells")
    return clipped
