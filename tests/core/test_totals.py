"""Totals, 不适用 rescaling and grade bands."""

from decimal import Decimal

import pytest

from xlperf.core.grades import grade_for, normalise_grade, parse_bands
from xlperf.core.totals import level_totals, total_score

D = Decimal


def test_total_sums_rounded_scores():
    assert total_score([(D(3), D("2.85"), False), (D("1.67"), D("1.55"), False)]) == D("4.40")


def test_rescale_drops_not_applicable_rows():
    """按百分制折算: 80 of 90 applicable points → 88.89."""
    items = [(D(90), D(80), False), (D(10), D(0), True)]
    assert total_score(items, "rescale") == D("88.89")
    assert total_score(items, "zero") == D("80.00")


@pytest.mark.parametrize("total, grade", [(98.47, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"),
                                          (60, "中"), (59.99, "差"), (0, "差")])
def test_default_bands(total, grade):
    assert grade_for(total) == grade


def test_custom_bands_and_aliases():
    bands = parse_bands("A:85,B:70,C:0")
    assert grade_for(84.99, bands) == "B" and grade_for(85, bands) == "A"
    assert normalise_grade(" 优秀 ") == "优"
    with pytest.raises(ValueError):
        parse_bands("优90")


def test_level_totals_leave_blank_stated_scores_out():
    """A blank score does not switch the subtotal check off (issue 14): the stated sum is of the others."""
    out = level_totals([(("产出",), D(3), D(3), D(3)), (("产出",), D(2), None, D(1)), (("效益",), D(2), None, D(2))])
    assert out[("产出",)].stated == D(3) and out[("产出",)].score == D(4)
    assert out[("效益",)].stated is None
