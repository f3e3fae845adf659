"""The program's plain-value mode gives, whenever it does not hand a formula back (``SLOW``), exactly the
value ``formulas``' own functions give for the formula: value, type (numpy float or bool included) and
sign of zero, on numbers, empty cells, text, TRUE/FALSE, errors, zero divisors and areas of mixed values."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import schedula as sh
from formulas.tokens.operand import Error
from hypothesis import given, settings, strategies as st

from xlperf.engine import program as program_module
from xlperf.engine.functions import register
from xlperf.engine.program import compile_formula
from xlperf.engine.scalar import SLOW, pairwise_sum, stored_value

VALUES = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, width=64), st.booleans(),
                   st.sampled_from([sh.EMPTY, sh.EMPTY, 0, 0.0, -0.0, 1, 2.5, 90, "", "3", "abc", "≤", "优",
                                    Error.errors["#DIV/0!"], Error.errors["#N/A"]]))
NUMBERS = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e9, 1e9), st.sampled_from([sh.EMPTY, 0, 0.0]))
FORMULAS = [
    "=A1+A2", "=A1-A2", "=A1*A2", "=A1/A2", "=A1>A2", "=A1>=A2", "=A1<A2", "=A1<=A2", "=A1=A2", "=A1<>A2",
    "=IF(A1,A2,A3)", "=IF(A1,A2)", "=ROUND(A1,A2)", "=ROUNDUP(A1,2)", "=ROUNDDOWN(A1)", "=ROUND(A1/A2,4)",
    "=MIN(A1,A2)", "=MAX(A1,A2,A3)", "=MIN(B1:B3)", "=MAX(B1:B3,A1)", "=MIN(1,A1/A2)", "=MAX(A1>A2,A3)",
    "=AND(A1,A2)", "=OR(A1,A2,A3)", "=AND(A1<A2,A3=\"\")", "=SUM(B1:B3)", "=SUM(A1,B1:B3,A2)", "=SUM(A1>A2,A3)",
    "=SUM(B1:B12)", "=A1+SUM(B1:B12)", "=IF(A1=0,0,ROUND(A2/A1,4))", "=ROUND(MIN(1,A1/A2)*A3,2)",
    "=ROUND(IF(A1=\"≤\",IF(A2<=A3,1,A3/A2),MIN(1,A2/A3))*B1,2)", "=IF(A1>=90,\"优\",IF(A1>=80,\"良\",\"差\"))",
    "=IF(A1>A2,\"over\",IF(AND(A1<A2,A3=\"\"),\"note\",\"\"))", "=A1", "=MIN(1,2.5)+A1", "=IF(A1,A2/A3,A3)",
]


@functools.lru_cache(maxsize=None)
def _programs(text: str):
    """The formula compiled twice: as the program runs it, and with ``formulas``' own functions only (one
    pair per text for the whole session: the plain way's remembered results are checked across examples)."""
    register()
    fast = compile_formula(("S", 9, 9), text, {"S": "S"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(program_module, "fast_function", lambda name, func: func)
        reference = compile_formula(("S", 9, 9), text, {"S": "S"})
    return fast, reference


def _check(text: str, cells: dict[tuple[int, int], object]) -> bool:
    """Both ways agree on the copy's stored ``cells`` (sheet "S"); False: the plain way handed it back."""
    fast, reference = _programs(text)
    assert fast.scalar is not None, text
    got = fast.scalar.run({}, {"S": cells})
    if got is SLOW:
        return False
    want = reference.run(lambda sheet, row, col: stored_value(cells.get((row, col))))
    assert (repr(got), type(got)) == (repr(want), type(want)), (text, cells)
    return True


def _cells(a: list, b: list) -> dict:
    """A1:A3 and B1:B12 (an empty cell stored as None)."""
    return {(i + 1, col): None if v is sh.EMPTY else v for col, values in ((1, a), (2, b)) for i, v in enumerate(values)}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(FORMULAS), st.lists(VALUES, min_size=3, max_size=3), st.lists(VALUES, min_size=12, max_size=12))
def test_any_values(text, a, b):
    _check(text, _cells(a, b))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(FORMULAS), st.lists(NUMBERS, min_size=3, max_size=3), st.lists(NUMBERS, min_size=12, max_size=12))
def test_numbers_and_empty_cells(text, a, b):
    _check(text, _cells(a, b))


def test_every_formula_takes_the_plain_path_on_numbers():
    """(TRUE/FALSE in MIN, MAX and SUM always go back: ``formulas`` counts them by where they come from.)"""
    for text in FORMULAS:
        taken = _check(text, _cells([3, 2.5, 7], [1.25, sh.EMPTY, 4, *range(9)]))
        assert taken is (text not in ("=MAX(A1>A2,A3)", "=SUM(A1>A2,A3)")), text


def test_remembered_results_keep_types_and_the_sign_of_zero():
    """Inputs equal as keys but not alike (0.0 and -0.0, 1 and 1.0 and TRUE, text and an error's text) each
    get their own value; the formula is remembered after its first run."""
    texts = ["=ROUND(A1*A2,2)+A3*0", "=IF(A1>0,A2,A3)", "=ROUND(MIN(1,A1/A2)*A3,2)", "=IF(A1=0,A2*A3,A2+A3)"]
    inputs = [[0.0, -0.0, 1], [-0.0, 2.0, 1], [1, 1, 1], [1.0, 1.0, 1.0], [True, 1, 1], [-0.0, -1.5, 0.0],
              [0.0, -1.5, 0.0], ["#N/A", 1, 1], [Error.errors["#N/A"], 1, 1], [0, 1, 0.0], [0, 1, -0.0], [0, 1, 0.0]]
    for text in texts:
        for values in inputs * 2:
            _check(text, _cells(values, []))
    assert "memo[key]" in _programs(texts[0])[0].scalar.source


def test_areas_elsewhere_and_other_functions_have_no_plain_plan():
    for text in ("=A1:A3", "=ROUND(B1:B3,2)", "=A1&\"x\"", "=-A1", "=PERF_SCORE(A1,A2)"):
        assert _programs(text)[0].scalar is None, text


@given(st.lists(st.floats(-1e12, 1e12) | st.sampled_from([0.1, -0.0, 1e15, -1e15, 3.0]), max_size=300))
def test_pairwise_sum_is_numpys(values):
    want = np.sum(np.array(values, float))
    got = 0.0 + pairwise_sum(values)
    assert repr(np.float64(got)) == repr(want)


@given(st.lists(st.floats(allow_nan=True) | st.integers(-10**17, 10**17).map(float)
                | st.sampled_from([0.0, -0.0, 0.1 + 0.2, 1 / 3, 1e300, -2.5e-320, float("inf")]), max_size=20))
def test_stored_number_is_rounded_to_15_places(values):
    for value in values * 2:  # the second time from memory
        assert repr(stored_value(value)) == repr(round(value, 15)), value
