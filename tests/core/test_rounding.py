"""Excel ROUND semantics: half away from zero on the 15-digit decimal value."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlperf.core.rounding import excel_round, excel_rounddown, excel_roundup, points


@pytest.mark.parametrize("value, digits, expected", [
    (1.005, 2, "1.01"), (4.995, 2, "5.00"), (2.675, 2, "2.68"), (-2.5, 0, "-3"), (2.5, 0, "3"),
    (0.125, 2, "0.13"), (-0.125, 2, "-0.13"), (1234.5, -2, "1200"), (1250, -2, "1300"),
    (3.8857142857, 2, "3.89"), (4.71023, 2, "4.71"), (3.768, 2, "3.77"), ("98.465", 2, "98.47"),
    (0.1 + 0.2, 2, "0.30"), (1e-9, 2, "0.00"),
])
def test_excel_round(value, digits, expected):
    assert excel_round(value, digits) == Decimal(expected)


def test_python_round_differs_on_halves():
    """The reason this module exists: Python rounds these halves down."""
    assert round(1.005, 2) == 1.0 and excel_round(1.005, 2) == Decimal("1.01")
    assert round(0.125, 2) == 0.12 and points(0.125) == Decimal("0.13")
    assert round(2.675, 2) == 2.67 and points(2.675) == Decimal("2.68")
    assert points(4.995) == Decimal("5.00")


@pytest.mark.parametrize("value, digits, up, down", [(1.001, 2, "1.01", "1.00"), (-1.001, 2, "-1.01", "-1.00"),
                                                     (2.5, 0, "3", "2")])
def test_roundup_rounddown(value, digits, up, down):
    assert excel_roundup(value, digits) == Decimal(up)
    assert excel_rounddown(value, digits) == Decimal(down)


@given(st.integers(-10**9, 10**9), st.integers(0, 4))
def test_halves_round_away_from_zero(units, digits):
    """Any decimal ending in 5 at the next digit goes away from zero, as in Excel."""
    value = Decimal(units * 10 + 5).scaleb(-(digits + 1))
    expected = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    assert excel_round(float(value), digits) == expected
    assert excel_round(str(value), digits) == expected


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "abc", None, True])
def test_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        excel_round(bad)
