"""Word tables as the workbook reader's grids: merged cells, captions, tables continued across pages.

Each ``w:tbl`` becomes a :class:`~xlperf.workbook.grid.SheetGrid` laid out on Word's own layout grid:
a cell spanning columns (``w:gridSpan``) or rows (``w:vMerge``) keeps its text in its top-left position
and is recorded as a merged range, exactly as openpyxl reports a merged range of a worksheet, so the one
workbook reader (``read_grid_table``) reads it. The XML is walked directly rather than through
python-docx's ``row.cells``, which repeats a merged cell once per covered position and so hides where the
span starts. A table whose first rows repeat the header of the table just before it (the published
reports split 表3-1 this way at a page break) is joined to that table, and every grid row remembers the
physical table and row it came from, so findings name them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from xlperf.workbook.grid import SheetGrid

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CAPTION = re.compile(r"^(续)?\s*表\s*([0-9一二三四五六七八九十]+(?:\s*[-－—–.．]\s*[0-9]+)?)")
MAX_ROWS, MAX_COLS = 5000, 60


@dataclass
class DocTable:
    """One logical table: its grid, its label (表3-1), and each grid row's physical (label, row number)."""

    label: str
    caption: str
    grid: SheetGrid
    places: dict[int, tuple[str, int]] = field(default_factory=dict)
    header_rows: list[tuple[str, ...]] = field(default_factory=list)  # texts of the first rows, for joining
    body_index: int = 0  # position of the first part among the document's blocks

    def place(self, row: int) -> tuple[str, int]:
        """The physical table label and row number (1-based) of a grid row."""
        return self.places.get(row, (self.label, row))


def cell_value(text: str):
    """A cell's text, plain numbers as numbers (Word stores everything as text): '2.90' → 2.9, '3' → 3."""
    text = text.strip()
    if _NUMBER.match(text):
        plain = text.replace(",", "")
        return int(plain) if "." not in plain else float(plain)
    return text


def _tc_text(tc) -> str:
    """A cell's text; its paragraphs joined without a separator ('项目决策' + '（15分）'), as Chinese needs none."""
    return "".join(Paragraph(p, None).text.strip() for p in tc.iter(qn("w:p"))).strip()


def _rows(tbl) -> list:
    """The table's rows, including rows wrapped in content controls (w:sdt)."""
    return tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr")


def _close(open_spans: dict[int, list[int]], grid: SheetGrid, col: int) -> None:
    span = open_spans.pop(col, None)
    if span and (span[2] > span[0] or span[3] > span[1]):
        grid.merged.append(tuple(span))


def table_grid(tbl, name: str) -> SheetGrid:
    """One Word table as a grid; vertical spans (vMerge restart … continue) and column spans become merges."""
    grid = SheetGrid(name)
    open_spans: dict[int, list[int]] = {}  # column → [min_row, min_col, max_row, max_col] of a vertical span
    for r, tr in enumerate(_rows(tbl)[:MAX_ROWS], 1):
        col = 1 + tr.grid_before
        for tc in tr.tc_lst:
            span, merge = tc.grid_span, tc.vMerge
            if merge is not None and merge != "restart" and col in open_spans:
                open_spans[col][2] = r
            else:
                _close(open_spans, grid, col)
                text = _tc_text(tc)
                if text and col <= MAX_COLS:
                    grid.values[(r, col)] = cell_value(text)
                if merge == "restart":
                    open_spans[col] = [r, col, r, col + span - 1]
                elif span > 1:
                    grid.merged.append((r, col, r, col + span - 1))
            col += span
        grid.max_row, grid.max_col = r, max(grid.max_col, min(col - 1, MAX_COLS))
    for col in list(open_spans):
        _close(open_spans, grid, col)
    return grid


def row_texts(grid: SheetGrid, row: int) -> tuple[str, ...]:
    return tuple(grid.text(row, col) for col in range(1, grid.max_col + 1))


def caption_label(text: str) -> str | None:
    """'表 3-1 盐田区…得分情况' → '表3-1'; None when the paragraph is not a table caption."""
    match = _CAPTION.match(text.strip())
    if not match or len(text.strip()) > 80:
        return None
    return "表" + re.sub(r"\s+", "", match.group(2)).replace("－", "-").replace("—", "-").replace("–", "-")


def _repeats(previous: DocTable, grid: SheetGrid) -> int:
    """How many leading rows of ``grid`` repeat the leading (header) rows of ``previous``; 0 if none."""
    count = 0
    while count < min(3, grid.max_row) and count < len(previous.header_rows) \
            and row_texts(grid, count + 1) == previous.header_rows[count] and any(previous.header_rows[count]):
        count += 1
    return count


def _append(target: DocTable, grid: SheetGrid, skip: int, label: str) -> None:
    """Add the rows of a continuation (after its repeated header) below a table."""
    offset = target.grid.max_row - skip
    for (row, col), value in grid.values.items():
        if row > skip:
            target.grid.values[(row + offset, col)] = value
    for r1, c1, r2, c2 in grid.merged:
        if r1 > skip:
            target.grid.merged.append((r1 + offset, c1, r2 + offset, c2))
    for row in range(skip + 1, grid.max_row + 1):
        target.places[row + offset] = (label, row)
    target.grid.max_row = offset + grid.max_row
    target.grid.max_col = max(target.grid.max_col, grid.max_col)


def join_or_add(tables: list[DocTable], grid: SheetGrid, caption: str, adjacent: bool, index: int) -> None:
    """Add a table, or join it to the previous one when it directly follows it and repeats its header."""
    previous = tables[-1] if tables else None
    continued = adjacent and (not caption or caption.lstrip().startswith("续"))
    skip = _repeats(previous, grid) if previous is not None and continued else 0
    if previous is not None and skip:
        parts = 1 + len({label for label, _ in previous.places.values()} - {previous.label})
        _append(previous, grid, skip, f"{previous.label}（续{'' if parts == 1 else parts}）")
        return
    label = caption_label(caption) or f"表格{len(tables) + 1}"
    while label in {t.label for t in tables}:
        label += "′"
    grid.name = label
    header = [row_texts(grid, r) for r in range(1, min(3, grid.max_row) + 1)]
    tables.append(DocTable(label, caption, grid, {r: (label, r) for r in range(1, grid.max_row + 1)}, header, index))
