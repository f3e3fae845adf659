"""Fingerprint lines reused for a repeated sheet equal the lines made afresh."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xlperf.template import sheetlines

VALUES = st.sampled_from([None, "", 1, 1.0, True, -0.0, 0.0, "a", "=A1", 2.5, "说明"])
CELL = st.tuples(st.integers(1, 3), st.integers(1, 3))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.dictionaries(CELL, VALUES, max_size=6), st.sets(CELL, max_size=6),
                          st.dictionaries(CELL, st.sampled_from(["=A1", "=B2"]), max_size=2),
                          st.sampled_from([[], [(1, 1, 1, 2)]])), min_size=1, max_size=6))
def test_reused_lines_equal_fresh_lines(sheets):
    for values, locked, formulas, merged in sheets:
        got = sheetlines.sheet_lines("表", merged, locked, formulas, values)
        assert got == sheetlines._lines("表", merged, locked, formulas, values)


def test_equal_values_of_other_types_are_not_reused():
    for value in (1, True, 1.0, "1"):
        values = {(1, 1): value, (1, 2): "x"}
        got = sheetlines.sheet_lines("类型", [], {(1, 1), (1, 2)}, {}, values)
        assert got == sheetlines._lines("类型", [], {(1, 1), (1, 2)}, {}, values)
