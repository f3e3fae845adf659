"""The check path's fast paths give exactly what the general paths give."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xlperf.core.numbers import CellNumber, read_number
from xlperf.core.rounding import to_decimal
from xlperf.template.fingerprint import _number, canonical

numbers = st.one_of(st.integers(-10**40, 10**40), st.floats(allow_nan=False), st.sampled_from([0.0, -0.0, 1, 1.0]))


@given(st.integers(-10**30, 10**30))
def test_int_cells_read_as_the_general_path_reads_them(value):
    number = read_number(value)
    assert number == CellNumber(to_decimal(value), value) and type(number.raw) is int


def test_bool_and_empty_cells():
    assert read_number(True) == CellNumber(None, True, invalid=True)
    assert read_number(None) == CellNumber(None, None)
    assert read_number(0) == CellNumber(Decimal(0), 0) and read_number(0.0).raw == 0.0


@given(numbers)
def test_canonical_numbers_match_the_uncached_form(value):
    assert canonical(value) == _number(value)


def test_canonical_keeps_types_apart():
    """1, 1.0 and True are equal keys to a plain cache; their texts differ where they must."""
    assert [canonical(v) for v in (1, 1.0, True, -0.0, 0.0)] == ["n:1", "n:1", "b:TRUE", "n:0", "n:0"]
    assert canonical("=A1") == "f:=A1" and canonical("x", is_formula=True) == "f:x" and canonical("x") == "s:x"
