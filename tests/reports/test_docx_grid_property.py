"""Property: any table python-docx merges (gridSpan and vMerge) becomes a grid that agrees with python-docx's own
reading of the merged cells: the text sits at each merged range's top-left, covered positions are in the range."""

from __future__ import annotations

import docx
from hypothesis import given
from hypothesis import strategies as st

from xlperf.reports.docx_tables import table_grid


@st.composite
def merged_tables(draw):
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    taken: set[tuple[int, int]] = set()
    rects = []
    for _ in range(draw(st.integers(0, 4))):
        r1, c1 = draw(st.integers(0, rows - 1)), draw(st.integers(0, cols - 1))
        r2, c2 = draw(st.integers(r1, rows - 1)), draw(st.integers(c1, cols - 1))
        cells = {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        if not cells & taken and len(cells) > 1:
            taken |= cells
            rects.append((r1, c1, r2, c2))
    return rows, cols, rects


@given(merged_tables())
def test_grid_matches_python_docx_merges(spec):
    rows, cols, rects = spec
    document = docx.Document()
    table = document.add_table(rows=rows, cols=cols)
    for r in range(rows):
        for c in range(cols):
            table.cell(r, c).text = f"r{r}c{c}"
    for r1, c1, r2, c2 in rects:
        table.cell(r1, c1).merge(table.cell(r2, c2))
    grid = table_grid(table._tbl, "t")
    origin = grid.merged_origin()
    assert sorted(grid.merged) == sorted((r1 + 1, c1 + 1, r2 + 1, c2 + 1) for r1, c1, r2, c2 in rects)
    for r in range(rows):
        for c in range(cols):
            top = origin.get((r + 1, c + 1), (r + 1, c + 1))
            assert table.cell(r, c)._tc is table.cell(top[0] - 1, top[1] - 1)._tc
            if (r + 1, c + 1) in origin:
                assert (r + 1, c + 1) not in grid.values
            else:
                assert grid.text(r + 1, c + 1).startswith(f"r{r}c{c}")
