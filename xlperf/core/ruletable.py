"""The numeric scoring rules as one table: each method's arithmetic, once, for the core and for Excel.

Every method declares the inputs it reads and builds, for a row's comparator and the framework's
settings, three expressions (:mod:`xlperf.core.expr`): whether the target is met, the ratio it
reports, and the share of the weight it gives. The score is always ``cents(weight × share)``. The
core evaluates these trees (``rules.py`` calls :func:`evaluate`); the plain-formula templates print
the very same trees as Excel formulas (``xlperf.template.plain``); the xlwings UDFs call the core.
So there is one copy of each rule.

Rounding steps, identical on both sides: a rate is rounded to ``rate_digits`` (4: 94.20 %), a score
to cents, half away from zero, each as ``ROUND(ROUND(x, 10), d)``. The inner ROUND to 10 decimals is
what makes a spreadsheet agree with the Decimal core: a sheet computes ``w × a ÷ t`` in binary
floating point, a few units in the 16th digit off the exact value, which can sit on either side of a
half cent (3 × 0.005 is 0.01499999999999999944 in binary); rounding to 10 decimals first gives back the
exact decimal value whenever it has 10 decimals or fewer, and the outer ROUND then sees the same
number in Excel, WPS, LibreOffice and here. The core applies the same two steps (``points``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable

from xlperf.core.config import ScoringConfig
from xlperf.core.expr import AND, MAX, MIN, ROUND, Expr, Fn, If, Var, compile_all, lit
from xlperf.core.rounding import SNAP_DIGITS

WEIGHT, TARGET, ACTUAL, HIGH, RATE = Var("weight"), Var("target"), Var("actual"), Var("high"), Var("rate")
ZERO, ONE = lit(0), lit(1)


# --- the pieces every rule is built from -------------------------------------------------------------

def snap(x: Any) -> Expr:
    """ROUND(x, 10): removes binary representation error before a comparison or a final rounding."""
    return ROUND(x, SNAP_DIGITS)


def rounded(x: Any, digits: int) -> Expr:
    """ROUND(ROUND(x, 10), digits): Excel's rounding, half away from zero, on the snapped value."""
    return ROUND(snap(x), digits)


def cents(x: Any) -> Expr:
    """A score: rounded to 2 decimals."""
    return rounded(x, 2)


def cap(x: Any) -> Expr:
    """A ratio kept within 0…1."""
    return MAX(ZERO, MIN(ONE, x))


def ratio(num: Expr, den: Expr) -> Expr:
    """num ÷ den within 0…1; a zero denominator gives 1 (0 for a negative numerator)."""
    return If(den.eq(0), If(num.ge(0), ONE, ZERO), cap(num / den))


def meets(comparator: str | None, actual: Expr, target: Expr) -> Expr:
    """Whether ``actual`` meets ``target`` under a comparator (none written means ≥)."""
    if comparator == "between":
        return AND(actual.ge(target), actual.le(HIGH))
    op = comparator if comparator in ("<=", "<", ">", "=") else ">="
    return actual.cmp(op, target)


@dataclass(frozen=True)
class RuleExprs:
    """One method for one comparator and settings: met, reported ratio, share of the weight, score."""

    met: Expr
    ratio: Expr
    share: Expr

    @property
    def score(self) -> Expr:
        return cents(WEIGHT * self.share)


# --- the methods ------------------------------------------------------------------------------------

def _proportional(cfg: ScoringConfig, comparator: str | None) -> RuleExprs:
    """正向: weight × min(1, actual / target); a range target scores against its nearer end."""
    met = meets(comparator, ACTUAL, TARGET)
    r = If(met, ONE, ratio(ACTUAL, TARGET))
    if comparator == "between":
        r = If(ACTUAL.gt(HIGH), ratio(HIGH, ACTUAL), r)
    return RuleExprs(met, r, r)


def _reverse(cfg: ScoringConfig, comparator: str | None) -> RuleExprs:
    """反向 (≤ target): full marks when met, else weight × target/actual (or a linear deduction)."""
    met = meets(comparator if comparator in ("<", "<=") else "<=", ACTUAL, TARGET)
    if cfg.reverse_mode == "linear":
        missed = If(TARGET.gt(0), MAX(ZERO, ONE - (ACTUAL - TARGET) / TARGET), ZERO)
    else:
        missed = If(ACTUAL.gt(0), ratio(TARGET, ACTUAL), ZERO)
    r = If(met, ONE, missed)
    return RuleExprs(met, r, r)


def _equal(cfg: ScoringConfig, comparator: str | None) -> RuleExprs:
    """等值 (= target): full marks when equal, else weight × min/max (or nothing)."""
    met = ACTUAL.eq(TARGET)
    if cfg.equal_mode == "all_or_nothing":
        missed: Expr = ZERO
    else:
        missed = If(AND(ACTUAL.gt(0), TARGET.gt(0)), MIN(ACTUAL, TARGET) / MAX(ACTUAL, TARGET), ZERO)
    r = If(met, ONE, missed)
    return RuleExprs(met, r, r)


def _rate(cfg: ScoringConfig, comparator: str | None) -> RuleExprs:
    """比率×分值: weight × rate (rounded to rate_digits, capped at 100 %); met when rate ≥ target."""
    value = rounded(RATE, cfg.rate_digits)
    return RuleExprs(value.ge(TARGET), cap(value), cap(value))


def _interval(cfg: ScoringConfig, comparator: str | None) -> RuleExprs:
    """区间法: the achievement ratio (snapped) falls in a band that gives a share of the weight."""
    if comparator in ("<", "<="):
        achieved = If(ACTUAL.eq(0), ONE, TARGET / ACTUAL)
    else:
        achieved = If(TARGET.eq(0), ONE, ACTUAL / TARGET)
    achieved = snap(achieved)
    share: Expr = ZERO
    for lower, fraction in sorted(cfg.interval_bands, key=lambda band: band[0]):
        share = If(achieved.ge(lower), lit(fraction), share)
    return RuleExprs(achieved.ge(1), achieved, share)


@dataclass(frozen=True)
class Method:
    """A row of the table: a method id, the inputs it reads, and how its expressions are built."""

    id: str
    inputs: tuple[str, ...]
    build: Callable[[ScoringConfig, str | None], RuleExprs]


METHODS: dict[str, Method] = {m.id: m for m in (
    Method("proportional", ("weight", "target", "actual", "high"), _proportional),
    Method("reverse", ("weight", "target", "actual"), _reverse),
    Method("equal", ("weight", "target", "actual"), _equal),
    Method("rate", ("weight", "target", "rate"), _rate),
    Method("interval", ("weight", "target", "actual"), _interval),
)}


def _settings(cfg: ScoringConfig) -> tuple:
    return cfg.reverse_mode, cfg.equal_mode, tuple(cfg.interval_bands), cfg.rate_digits


@lru_cache(maxsize=256)
def _built(method: str, comparator: str | None, settings: tuple) -> RuleExprs:
    reverse_mode, equal_mode, bands, digits = settings
    cfg = ScoringConfig(reverse_mode=reverse_mode, equal_mode=equal_mode, interval_bands=bands, rate_digits=digits)
    return METHODS[method].build(cfg, comparator)


def rule_exprs(method: str, cfg: ScoringConfig, comparator: str | None) -> RuleExprs:
    """The expressions of ``method`` for a row with ``comparator`` under ``cfg`` (KeyError if not numeric)."""
    return _built(method, comparator, _settings(cfg))


@lru_cache(maxsize=256)
def _compiled(method: str, comparator: str | None, settings: tuple) -> Fn:
    exprs = _built(method, comparator, settings)
    return compile_all(exprs.score, exprs.met, exprs.ratio)


_BY_CONFIG: dict[tuple[str, str | None, int], tuple[ScoringConfig, Fn]] = {}  # by id(cfg), cfg kept alive


def _function(method: str, cfg: ScoringConfig, comparator: str | None) -> Fn:
    """``_compiled`` for ``cfg`` itself: the settings tuple (its interval bands hashed) is built once per
    config, not once per row."""
    key = (method, comparator, id(cfg))
    found = _BY_CONFIG.get(key)
    if found is not None and found[0] is cfg:
        return found[1]
    fn = _compiled(method, comparator, _settings(cfg))
    if len(_BY_CONFIG) >= 1024:
        _BY_CONFIG.clear()
    _BY_CONFIG[key] = (cfg, fn)
    return fn


def evaluate(method: str, cfg: ScoringConfig, comparator: str | None, **inputs: Decimal | None) -> tuple[Decimal, bool, Decimal]:
    """(score, met, ratio) of a numeric method on Decimal inputs, as the table defines them."""
    score, met, reported = _function(method, cfg, comparator)(inputs)
    return score, bool(met), reported


# --- totals and grades ------------------------------------------------------------------------------

SCORES, WEIGHTS, TOTAL = Var("scores"), Var("weights"), Var("total")


def total_expr(policy: str) -> Expr:
    """The total from the sums of scores and weights: Σ score, or (rescale, 按百分制折算) Σ score / Σ weight × 100."""
    if policy == "rescale":
        return If(WEIGHTS.eq(0), ZERO, cents(SCORES / WEIGHTS * 100))
    return cents(SCORES)


def grade_expr(bands: tuple[tuple[Decimal, str], ...]) -> Expr:
    """The grade of a total: the first band (highest bound first) it reaches, else the lowest band."""
    ordered = sorted(bands, key=lambda band: -band[0])
    expr: Expr = lit(ordered[-1][1])
    for low, name in reversed(ordered[:-1]):
        expr = If(TOTAL.ge(low), lit(name), expr)
    return expr


@lru_cache(maxsize=64)
def compiled_total(policy: str) -> Fn:
    return total_expr(policy).compile()


@lru_cache(maxsize=64)
def compiled_grade(bands: tuple[tuple[Decimal, str], ...]) -> Fn:
    return grade_expr(bands).compile()


__all__ = ["total_expr", "grade_expr", "compiled_total", "compiled_grade", "METHODS", "Method", "RuleExprs", "rule_exprs", "evaluate", "snap", "rounded", "cents", "cap",
           "ratio", "meets", "WEIGHT", "TARGET", "ACTUAL", "HIGH", "RATE"]
