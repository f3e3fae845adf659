"""The rule a form's own score formula implements, read by evaluating the formula (engine.rulefit)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xlperf.core.rules import FORMULA
from xlperf.engine import rulefit

D = Decimal
ROLES = {("S", 5, 5): "target", ("S", 5, 6): "actual", ("S", 5, 7): "weight"}  # E5, F5, G5
VALUES = {("S", 5, 4): "≤"}


def read(formula: str, own=(D("0.95"), D(5)), roles=ROLES, row=5):
    return rulefit.read_rule(formula, "S", row, 8, roles, lambda s, r, c: VALUES.get((s, r, c)), {"S": "S"}, own)


@pytest.mark.parametrize("formula, method, mode, capped", [
    ("=ROUND(IF(F5<=E5,1,E5/F5)*G5,2)", "reverse", "ratio", True),  # the MoF form's 成本指标
    ("=IF(F5>E5,ROUND(E5/F5*G5,2),G5)", "reverse", "ratio", True),
    ("=ROUND(MIN(1,F5/E5)*G5,2)", "proportional", None, True),
    ("=IF(F5>=E5,G5,ROUND(F5/E5*G5,2))", "proportional", None, True),
    ("=IFERROR(ROUND(MIN(F5/E5,100%)*G5,2),0)", "proportional", None, True),
    ("=F5/E5*G5", "proportional", None, False),  # no cap: over 100 % gives more than the weight
    ("=ROUND(MIN(F5,1)*G5,2)", "rate", None, True),
    ("=F5*G5", "rate", None, False),
    ("=IF(F5=E5,G5,0)", "equal", "all_or_nothing", True),
    ("=ROUND(MAX(0,1-(F5-E5)/E5)*G5*(F5>E5)+G5*(F5<=E5),2)", "reverse", "linear", True),
    ('=IF(D5="≤",ROUND(IF(F5<=E5,1,E5/F5)*G5,2),ROUND(MIN(1,F5/E5)*G5,2))', "reverse", "ratio", True),
])
def test_rules_in_any_spelling(formula, method, mode, capped):
    spec = read(formula)
    assert (spec.method, spec.mode if spec.method in ("reverse", "equal") else None, spec.capped) == (method, mode, capped)


def test_if_tiers_on_the_ratio_and_on_the_actual():
    ratio = read("=IF(F5/E5>=0.95,G5,IF(F5/E5>=0.9,G5*0.8,IF(F5/E5>=0.8,G5*0.6,0)))")
    assert (ratio.method, ratio.basis) == ("interval", "ratio")
    assert [(b, s, strict) for b, s, strict in ratio.bands] == [
        (D("0.8"), D("0.6"), False), (D("0.9"), D("0.8"), False), (D("0.95"), D("1"), False)]
    points = read("=IF(F5>=95%,5,IF(F5>=90%,4,IF(F5>85%,3,0)))")  # points written as numbers, weight 5
    assert (points.method, points.basis) == ("interval", "actual")
    assert [(b, s, strict) for b, s, strict in points.bands] == [
        (D("0.85"), D("0.6"), True), (D("0.9"), D("0.8"), False), (D("0.95"), D("1"), False)]
    lower = read("=IF(F5<=10,G5,IF(F5<=20,G5*0.5,0))", own=(D(10), D(5)))
    assert (lower.method, lower.basis, lower.lower_better) == ("interval", "actual", True)
    assert [(b, s, strict) for b, s, strict in lower.bands] == [(D(10), D(1), False), (D(20), D("0.5"), False)]


@pytest.mark.parametrize("formula", ["=G5", "=ROUND(G5*0.9,2)", "=SUM(G5:G6)", "=MAX(0,G5*(1-(F5-E5)/E5))",
                                     '=IF(F5="优秀",G5,0)', "=H9"])
def test_no_known_rule_is_the_formula_itself(formula):
    assert read(formula).method == FORMULA


def test_one_fit_per_shape(monkeypatch):
    """Rows of one form share the formula's R1C1 shape: it is compiled and fitted once."""
    rulefit._compiled.cache_clear()
    calls = []
    real = rulefit._fixed_rule
    monkeypatch.setattr(rulefit, "_fixed_rule", lambda *a: calls.append(a[0]) or real(*a))
    for row in range(20, 40):
        roles = {("S", row, 5): "target", ("S", row, 6): "actual", ("S", row, 7): "weight"}
        spec = read(f"=ROUND(IF(F{row}<=E{row},1,E{row}/F{row})*G{row},2)", roles=roles, row=row)
        assert (spec.method, spec.formula) == ("reverse", "=ROUND(IF(RC[-2]<=RC[-3],1,RC[-3]/RC[-2])*RC[-1],2)")
    assert rulefit._compiled.cache_info().misses == 1 and len(calls) <= 1


def test_budget_block_score_read_through_its_figures():
    """预算执行率 scored from the 全年执行数 and 全年预算数 cells directly: rate × weight, capped."""
    roles = {("S", 6, 5): "spent", ("S", 6, 4): "base", ("S", 6, 6): "weight"}
    spec = rulefit.read_rule("=ROUND(MIN(E6/D6,1)*F6,2)", "S", 6, 8, roles, lambda *a: None, {"S": "S"})
    assert (spec.method, spec.capped) == ("rate", True)


PROBE_SHAPES = [
    "=ROUND(IF(F5<=E5,1,E5/F5)*G5,2)", "=IF(F5>E5,ROUND(E5/F5*G5,2),G5)", "=ROUND(MIN(1,F5/E5)*G5,2)",
    "=IFERROR(ROUND(MIN(F5/E5,100%)*G5,2),0)", "=F5/E5*G5", "=ROUND(MAX(0,1-(F5-E5)/E5)*G5*(F5>E5)+G5*(F5<=E5),2)",
    '=IF(D5="≤",ROUND(IF(F5<=E5,1,E5/F5)*G5,2),ROUND(MIN(1,F5/E5)*G5,2))', "=IF($F5>=$E5,G5,ROUNDUP(F5/E5*G5,1))",
    "=IF(F5/E5>=0.95,G5,IF(F5/E5>=0.9,G5*0.8,IF(F5/E5>=0.8,G5*0.6,0)))", "=ROUNDDOWN(AND(F5>0,E5>0)*G5,2)",
    "=基本信息!B3*F5/E5",
]
PROBE_VALUES = [0.0, 1.0, -2.5, 0.96, 80.0, 76.8, 1e-9, "", "≤", "text", True, False, None]


@pytest.mark.parametrize("formula", PROBE_SHAPES)
def test_probes_run_on_the_engine_give_what_formulas_gives(formula):
    """The probe runs on the engine's program; every value equals ``formulas``' own compiled function."""
    import itertools

    import schedula

    from xlperf.checks.formula_shape import to_r1c1

    compiled = rulefit.Compiled(to_r1c1(formula, 5, 8))
    assert compiled.program is not None
    count = len(compiled.inputs)
    cases = itertools.islice(itertools.product(PROBE_VALUES, repeat=count), 0, None, 7 if count > 3 else 1)
    for args in itertools.islice(cases, 400):
        args = tuple(schedula.EMPTY if v is None else v for v in args)
        assert rulefit._number(compiled(*args)) == rulefit._number(compiled.fn(*args)), (formula, args)
