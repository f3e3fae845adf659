"""Column letters as Excel names them; merged ranges' covered cells."""

import random

import pytest

from xlperf.workbook.grid import SheetGrid, column_letter


def test_column_letters():
    assert [column_letter(i) for i in (1, 26, 27, 52, 703, 18278)] == ["A", "Z", "AA", "AZ", "AAA", "ZZZ"]
    for outside in (0, -1, 18279):  # beyond Excel's columns (a shared formula shifted off the sheet)
        with pytest.raises(ValueError):
            column_letter(outside)


def random_merged(rnd: random.Random) -> list[tuple[int, int, int, int]]:
    """Up to six small ranges, overlapping, single-cell and inverted ones among them."""
    merged = []
    for _ in range(rnd.randint(0, 6)):
        r1, c1 = rnd.randint(1, 6), rnd.randint(1, 6)
        merged.append((r1, c1, r1 + rnd.randint(-1, 3), c1 + rnd.randint(-1, 3)))
    return merged


def _origin_by_loops(merged):
    origin = {}
    for r1, c1, r2, c2 in merged:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    origin[(r, c)] = (r1, c1)
    return origin


def test_merged_origin_as_nested_loops():
    """merged_origin (dict.fromkeys over product) equals the plain loops, order included, on overlapping,
    single-cell and inverted ranges."""
    rnd = random.Random(13)
    for _ in range(3000):
        merged = random_merged(rnd)
        found = SheetGrid("表", merged=merged).merged_origin()
        assert list(found.items()) == list(_origin_by_loops(merged).items())


def test_merged_origin_past_the_memo(monkeypatch):
    """Ranges covering more than the memo keeps are made the same way, without the memo."""
    from xlperf.workbook import grid as grid_module

    monkeypatch.setattr(grid_module, "_MEMO_AREA", 0)
    merged = [(1, 1, 3, 2), (2, 2, 4, 4), (5, 1, 5, 1)]
    assert list(SheetGrid("表", merged=merged).merged_origin().items()) == list(_origin_by_loops(merged).items())
