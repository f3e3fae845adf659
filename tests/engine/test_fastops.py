"""The operators' and IF's fast path gives what ``formulas``' own functions give, value, type and shape."""

from __future__ import annotations

import numpy as np
import schedula as sh
from formulas.functions import Array, get_functions
from formulas.functions.operators import OPERATORS
from formulas.tokens.operand import Error
from hypothesis import given, strategies as st

from xlperf.engine.fastops import ARITHMETIC, COMPARISON, fast_function

SCALARS = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, width=64), st.booleans(),
                    st.sampled_from(["", "3", "abc", "≤", sh.EMPTY, Error.errors["#DIV/0!"], Error.errors["#N/A"], 0, 0.0]))


def _as_argument(value, kind: int):
    """The value as the program hands it: plain, a 0-d array (an earlier step), a 1×1 array (a reference)."""
    if kind == 0:
        return value
    out = np.empty((1, 1) if kind == 2 else (), object)
    out[(0, 0) if kind == 2 else ()] = value
    return out.view(Array)


def _same(fast, slow, *args) -> None:
    def run(func):
        try:
            return repr(func(*args))
        except Exception as exc:  # noqa: BLE001 - both must fail alike
            return type(exc).__name__
    assert run(fast) == run(slow), args


@given(st.sampled_from(sorted(ARITHMETIC) + sorted(COMPARISON)), SCALARS, SCALARS, st.integers(0, 2), st.integers(0, 2))
def test_operators(name, x, y, kx, ky):
    slow = OPERATORS[name]
    _same(fast_function(name, slow), slow, _as_argument(x, kx), _as_argument(y, ky))


@given(SCALARS, SCALARS, SCALARS, st.integers(0, 2), st.booleans())
def test_if(condition, x, y, kind, two):
    slow = get_functions()["IF"]["function"] if isinstance(get_functions()["IF"], dict) else get_functions()["IF"]
    args = (_as_argument(condition, kind), x) if two else (_as_argument(condition, kind), x, _as_argument(y, kind))
    _same(fast_function("IF<0>", slow), slow, *args)


def test_unary_minus_is_left_to_formulas():
    slow = OPERATORS["U-"]
    assert repr(fast_function("-", slow)(5)) == repr(slow(5))


@given(st.sampled_from(["ROUND", "ROUNDUP", "ROUNDDOWN"]), SCALARS, st.one_of(st.integers(-3, 4), SCALARS),
       st.integers(0, 2), st.booleans())
def test_rounding(name, x, digits, kind, one):
    from xlperf.engine.functions import register

    slow = register()[name]
    args = (_as_argument(x, kind),) if one else (_as_argument(x, kind), digits)
    _same(fast_function(name, slow), slow, *args)


@given(st.sampled_from(["MIN", "MAX", "AND", "OR"]), st.lists(st.tuples(SCALARS, st.integers(0, 2)), min_size=1, max_size=4))
def test_min_max_and_or(name, values):
    from xlperf.engine.functions import register

    slow = register()[name]
    slow = slow["function"] if isinstance(slow, dict) else slow
    _same(fast_function(name, slow), slow, *(_as_argument(v, k) for v, k in values))


def test_every_operator_name_takes_the_fast_path():
    """``formulas`` names nodes "<", "<=", "<>" and their repeats "<<0>", "+<1>": each one is served here on
    two numbers (the slow function is never called)."""
    def slow(*args):
        raise AssertionError("slow path taken")

    for name in sorted(ARITHMETIC) + sorted(COMPARISON):
        for node in (name, f"{name}<0>", f"{name}<12>"):
            assert fast_function(node, slow)(3, 2) is not None, node


def test_remembered_rounding_keeps_the_sign_of_zero():
    """0.0 and -0.0 are one key of the rounding's memory but round to 0.0 and -0.0: never remembered."""
    from xlperf.engine.functions import register

    slow = register()["ROUND"]
    fast = fast_function("ROUND", slow)
    for x in (0.0, -0.0, 0.0, -0.001, 0.001, -0.001, 1.005, 1.005):
        assert repr(fast(x, 2)) == repr(slow(x, 2)), x
