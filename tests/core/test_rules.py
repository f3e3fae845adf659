"""Scoring rules: the seed cases' arithmetic, method inference, and invariants (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlperf.core.config import ScoringConfig
from xlperf.core.quantity import parse_quantity as q
from xlperf.core.rules import infer_method, method_id, score_rule

D = Decimal
CFG = ScoringConfig()


@pytest.mark.parametrize("method, weight, target, actual, expected, met", [
    ("proportional", 4, "≥70人", "68人", "3.89", False),  # 大鹏: 4 × 68/70
    ("rate", 5, "100%", "94.20%", "4.71", False),  # 大鹏: 5 × 0.942
    ("proportional", 4, "100%", "94.20%", "3.77", False),  # 大鹏 成本控制率
    ("proportional", "1.67", "≥95%", "94.5%", "1.66", False),  # 盐田 satisfaction
    ("proportional", "1.67", "≥90%", "88%", "1.63", False),
    ("proportional", "1.66", "≥90%", "92%", "1.66", True),
    ("proportional", 3, "≥20场次", "36场次", "3.00", True),
    ("reverse", 5, "≤3%", "2%", "5.00", True),
    ("reverse", 5, "≤3%", "6%", "2.50", False),
    ("equal", 2, "=100%", "80%", "1.60", False),
    ("interval", 10, "≥100%", "93%", "8.00", False),
    ("proportional", 3, "90%-95%", "97%", "2.94", False),
])
def test_rules(method, weight, target, actual, expected, met):
    out = score_rule(method, D(str(weight)), q(target), q(actual), CFG)
    assert (out.score, out.met) == (D(expected), met)


def test_rate_from_budget_rounds_half_away():
    """盐田: 9610.81 / 9620 = 99.90 % → 5 × 0.999 = 4.995 → 5.00 (Excel), not 4.99 (Python)."""
    out = score_rule("rate", D(5), q("100%"), q("100%"), CFG, rate=D("0.9990"))
    assert out.score == D("5.00")


def test_reverse_linear_mode():
    cfg = ScoringConfig(reverse_mode="linear")
    assert score_rule("reverse", D(10), q("≤10%"), q("12%"), cfg).score == D("8.00")


@pytest.mark.parametrize("target, actual, problem", [
    ("≥20场次", "36人次", "unit-mismatch"), ("≥20场次", "较多", "actual-unparsed"),
    ("≥20场次", None, "actual-missing"), ("100%", "98", "unit-mismatch"),
])
def test_rule_cannot_run(target, actual, problem):
    out = score_rule("proportional", D(3), q(target), q(actual), CFG)
    assert (out.score, out.problem) == (None, problem)


@pytest.mark.parametrize("target, actual, met, bounds", [
    ("有效保障", "有效保障", True, ("2.40", "3")),
    ("有效提升", "较好提升", False, ("0", "2.99")),
    ("明确", "较明确", False, ("0", "2.40")),
    ("明确", "不明确", False, ("0", "1.80")),
    ("合格及以上", "优秀", True, ("2.40", "3")),
    ("全年", "全年", True, ("2.40", "3")),
    ("多次（名）", "若干", None, ("0", "3")),
])
def test_judgement_bounds(target, actual, met, bounds):
    out = score_rule("qualitative", D(3), q(target), q(actual), CFG)
    assert out.score is None and out.met is met
    assert out.bounds == (D(bounds[0]), D(bounds[1]))


@pytest.mark.parametrize("level1, level3, target, actual, nature, expected", [
    ("项目决策", "立项依据充分性", "充分", "充分", None, "judgement"),
    ("产出", "完成教育人才年度考核", "合格及以上", "优秀", None, "qualitative"),
    ("过程", "预算执行率", "100%", "94.20%", None, "rate"),
    ("产出", "成本节约率", "≤3%", "2%", None, "reverse"),
    ("产出", "人数", "≥20人", "21人", None, "proportional"),
    ("产出", "完成时间", "2024年12月31日", "2024年11月30日", None, "deadline"),
    ("效益", "不适用", "不适用", "不适用", None, "na"),
    ("产出", "投诉率", "5%", "3%", "≤", "reverse"),
    ("效益", "社会效益", "有效", "有效", "定性", "qualitative"),
])
def test_infer_method(level1, level3, target, actual, nature, expected):
    assert infer_method(level1, level3, q(target), q(actual), CFG, nature) == expected


def test_method_override_and_labels():
    assert infer_method("产出", "x", q("≥20人"), q("10人"), CFG, override="区间") == "interval"
    assert method_id("正向比例") == "proportional" and method_id("REVERSE") == "reverse"
    with pytest.raises(ValueError):
        method_id("随便")


weights = st.decimals(min_value=0, max_value=20, places=2)
amounts = st.decimals(min_value=0, max_value=10**5, places=2)


@given(st.sampled_from(["proportional", "reverse", "equal", "interval", "rate"]), weights, amounts, amounts)
def test_score_between_zero_and_weight(method, weight, target, actual):
    unit = "%" if method == "rate" else "人"
    op = "≤" if method == "reverse" else "≥"
    out = score_rule(method, weight, q(f"{op}{target}{unit}"), q(f"{actual}{unit}"), CFG)
    assert D(0) <= out.score <= weight


@given(weights, amounts.filter(lambda t: t > 0), amounts, amounts)
def test_proportional_monotone_in_actual(weight, target, a, b):
    low, high = sorted((a, b))
    s = lambda x: score_rule("proportional", weight, q(f"≥{target}人"), q(f"{x}人"), CFG).score  # noqa: E731
    assert s(low) <= s(high)


@given(weights, amounts.filter(lambda t: t > 0), amounts, amounts)
def test_reverse_monotone_decreasing_in_actual(weight, target, a, b):
    low, high = sorted((a, b))
    s = lambda x: score_rule("reverse", weight, q(f"≤{target}%"), q(f"{x}%"), CFG).score  # noqa: E731
    assert s(low) >= s(high)


@given(weights, amounts.filter(lambda t: t > 0), amounts)
def test_target_met_gives_full_marks(weight, target, extra):
    out = score_rule("proportional", weight, q(f"≥{target}人"), q(f"{target + extra}人"), CFG)
    assert out.met and out.score == weight.quantize(D("0.01"))


def test_plain_number_against_percent_target():
    """A bare cell number is a fraction (Excel stores 94.2 % as 0.942); 94.2 itself is flagged, not guessed."""
    from xlperf.checks.rows import check_row
    from xlperf.core.evaluate import evaluate_row
    from xlperf.core.model import Indicator

    good = evaluate_row(Indicator("产出", "", "合格率", 4, "≥95%", 0.942), CFG)
    assert good.score == D("3.97") and not good.percent_doubt
    odd = evaluate_row(Indicator("产出", "", "合格率", 4, "≥95%", 94.2, 4, "typed as points"), CFG)
    assert odd.percent_doubt
    assert [f.code for f in check_row(odd)] == ["percent-doubtful"]
