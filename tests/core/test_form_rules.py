"""Core rules the forms offices use need (issue 14): comparator glyphs, actuals written as thresholds,
成本 lower-is-better, 指标值 in points of %, the form's own formula rule, grade bands as printed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlperf.core.config import ScoringConfig
from xlperf.core.evaluate import evaluate_row
from xlperf.core.grades import grade_for, parse_bands
from xlperf.core.model import Indicator
from xlperf.core.quantity import nature_of, parse_quantity
from xlperf.core.rules import RuleSpec

D = Decimal
CFG = ScoringConfig()
GLYPHS = {"≥": ">=", "≧": ">=", ">=": ">=", "=>": ">=", "＞＝": ">=", "⩾": ">=", "≤": "<=", "≦": "<=", "<=": "<=",
          "=<": "<=", "＜＝": "<=", "＞": ">", ">": ">", "＜": "<", "<": "<", "＝": "=", "═": "=", "=": "="}
FULL = str.maketrans("0123456789%", "０１２３４５６７８９％")


@given(st.sampled_from(sorted(GLYPHS)), st.integers(0, 99999), st.booleans(), st.booleans(), st.booleans())
def test_every_comparator_glyph_and_full_width_digits(glyph, number, percent, full, spaced):
    text = f"{number}{'%' if percent else '人次'}"
    text = text.translate(FULL) if full else text
    q = parse_quantity(f"{glyph}{' ' if spaced else ''}{text}")
    assert q.comparator == GLYPHS[glyph] and q.value == (D(number) / 100 if percent else D(number))
    assert nature_of(glyph) == GLYPHS[glyph]


@pytest.mark.parametrize("actual", ["≥80%", "≧８０％", ">=80%", "80%以上", "不低于80%"])
def test_actual_written_as_a_threshold_is_not_scored_by_rule(actual):
    res = evaluate_row(Indicator("产出", "质量", "合格率", 10, "≥80%", actual, 10), CFG)
    assert res.outcome.problem == "actual-is-threshold" and res.outcome.score is None and res.score == D(10)


def test_cost_plain_numbers_are_lower_is_better_unless_the_framework_says_otherwise():
    row = Indicator("产出指标", "成本指标", "人均培训成本", 10, 1500, 1650, 9.09)
    assert (evaluate_row(row, CFG).method, evaluate_row(row, CFG).score) == ("reverse", D("9.09"))
    plain = ScoringConfig(lower_better_level2=())
    assert (evaluate_row(row, plain).method, evaluate_row(row, plain).score) == ("proportional", D(10))
    with_comparator = Indicator("产出指标", "成本指标", "成本节约率", 10, "≥5%", "6%", 10)
    assert evaluate_row(with_comparator, CFG).method == "proportional"


def test_target_in_points_of_percent_with_its_unit():
    """指标性质 ≥ | 指标值 95 | 度量单位 % | 实际完成值 92: 92 % of 95 %."""
    res = evaluate_row(Indicator("产出", "时效", "按期完工率", 10, 95, 92, 9.68, nature="≥", unit="%"), CFG)
    assert (res.target.value, res.actual.value, res.score) == (D("0.95"), D("0.92"), D("9.68"))
    fraction = evaluate_row(Indicator("产出", "质量", "合格率", 15, "≥95%", 0.97, 15, unit="%"), CFG)
    assert fraction.actual.value == D("0.97") and fraction.score == D(15)


def test_the_forms_own_rule_decides_the_row():
    row = Indicator("产出指标", "数量指标", "培训人次", 10, 100, 120, 12,
                    score_formula="=F5/E5*G5", rule=RuleSpec("proportional", capped=False))
    res = evaluate_row(row, CFG)
    assert (res.method, res.score) == ("proportional", D(12))  # above the weight: the bureau's own formula says so
    bands = ((D("0.95"), D(1), False), (D("0.9"), D("0.8"), False))
    tiers = Indicator("产出", "数量", "完成率", 10, 1, 0.93, 8, rule=RuleSpec("interval", bands=bands))
    assert evaluate_row(tiers, CFG).score == D(8)


@pytest.mark.parametrize("total, grade", [(89.5, "良"), (89.99, "良"), (90, "优"), (79.5, "中"), (59.99, "差"),
                                          (60, "中"), (100, "优"), (0, "差")])
def test_integer_bands_read_as_half_open(total, grade):
    bands = parse_bands("优:90-100,良:80-89,中:60-79,差:0-59")
    assert grade_for(total, bands) == grade


def test_bands_with_a_gap_are_refused():
    with pytest.raises(ValueError):
        parse_bands("优:90-100,良:80-88,中:60-79,差:0-59")
