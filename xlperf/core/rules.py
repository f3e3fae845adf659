"""Scoring rules, one function per method, a registry by method id, and method inference for a row."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Callable

from xlperf.core import ruletable
from xlperf.core.config import ScoringConfig
from xlperf.core.frozen import frozen
from xlperf.core.quantity import Kind, Quantity, nature_of
from xlperf.core.rounding import points
from xlperf.core.rulespec import RuleSpec, band_share
from xlperf.core.scales import Scales, load_scales

ZERO, ONE, CENT = Decimal(0), Decimal(1), Decimal("0.01")

# Method id → Chinese label shown in templates, tables and messages.
METHOD_LABELS: dict[str, str] = {
    "proportional": "正向比例",
    "reverse": "反向",
    "equal": "等值",
    "rate": "比率×分值",
    "interval": "区间",
    "qualitative": "定性分档",
    "judgement": "评价人判断",
    "deadline": "时限",
    "na": "不适用",
}
NUMERIC_METHODS = frozenset({"proportional", "reverse", "equal", "rate", "interval"})
FORMULA = "formula"  # a form's own score formula that matches none of the rules: its result is accepted
FORMULA_LABEL = "表内公式"
_ALIASES = {label: key for key, label in METHOD_LABELS.items()} | {
    "正向": "proportional", "比例": "proportional", "比例法": "proportional", "反向指标": "reverse",
    "比率": "rate", "比率法": "rate", "区间法": "interval", "定性": "qualitative", "判断": "judgement",
    "人工": "judgement", "评价人评分": "judgement", "时效": "deadline",
}


def method_label(method: str) -> str:
    """The Chinese label of a method id (the form's own unrecognised formula included)."""
    return METHOD_LABELS.get(method, FORMULA_LABEL)


def method_id(text: str | None) -> str | None:
    """Normalise a method written as an id or a Chinese label; None when blank; ValueError if unknown."""
    if text is None or not str(text).strip():
        return None
    key = str(text).strip()
    if key.lower() in METHOD_LABELS:
        return key.lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise ValueError(f"unknown scoring method {text!r}")


@frozen
class Outcome:
    """What a rule says about a row.

    ``score`` is the rule's score rounded to 2 decimals, or None when the evaluator's score
    decides (judgement, qualitative, a missed deadline, or a rule that could not run);
    ``bounds`` then gives the range that score must lie in. ``problem`` names why a numeric
    rule could not run (a finding code).
    """

    method: str
    score: Decimal | None = None
    met: bool | None = None
    bounds: tuple[Decimal, Decimal] | None = None
    ratio: Decimal | None = None
    problem: str | None = None


def _numbers(target: Quantity, actual: Quantity, scales: Scales) -> str | None:
    """Why two quantities cannot be compared numerically, as a finding code; None if they can."""
    if not target.numeric:
        return "target-unparsed"
    if actual.kind is Kind.EMPTY:
        return "actual-missing"
    if not actual.numeric:
        return "actual-unparsed"
    if actual.comparator is not None:
        return "actual-is-threshold"  # ≥80% written as the actual: the target copied, not a result
    if target.kind is not actual.kind or not scales.same_unit(target.unit, actual.unit):
        return "unit-mismatch"
    return None


def _by_table(method: str, weight: Decimal, target: Quantity, actual: Quantity, cfg: ScoringConfig,
              rate: Decimal | None = None) -> Outcome:
    """A numeric rule's outcome as ``xlperf.core.ruletable`` defines it (the same table prints Excel formulas)."""
    if method == "rate":
        value = rate if rate is not None else actual.value
        goal = target.value if target.numeric and target.value is not None else ONE
        score, met, ratio = ruletable.evaluate(method, cfg, None, weight=weight, target=goal, rate=value)
    else:
        score, met, ratio = ruletable.evaluate(method, cfg, target.comparator, weight=weight, target=target.value,
                                               actual=actual.value, high=target.high)
    return Outcome(method, score, met, ratio=ratio)


def proportional(weight: Decimal, target: Quantity, actual: Quantity, cfg: ScoringConfig, rate: Decimal | None = None) -> Outcome:
    """正向: weight × min(1, actual / target); a range target scores against its nearer end."""
    return _by_table("proportional", weight, target, actual, cfg)


def reverse(weight: Decimal, target: Quantity, actual: Quantity, cfg: ScoringConfig, rate: Decimal | None = None) -> Outcome:
    """反向 (≤ target): full marks when met, else weight × target/actual (or a linear deduction)."""
    return _by_table("reverse", weight, target, actual, cfg)


def equal(weight: Decimal, target: Quantity, actual: Quantity, cfg: ScoringConfig, rate: Decimal | None = None) -> Outcome:
    """等值 (= target): full marks when equal, else weight × min/max (or nothing)."""
    return _by_table("equal", weight, target, actual, cfg)


def rate_times_weight(weight: Decimal, target: Quantity, actual: Quantity, cfg: ScoringConfig, rate: Decimal | None = None) -> Outcome:
    """比率×分值: weight × rate (capped at 100 %); the rate comes from the budget block when known."""
    return _by_table("rate", weight, target, actual, cfg, rate)


def interval(weight: Decimal, target: Quantity, actual: Quantity, cfg: ScoringConfig, rate: Decimal | None = None) -> Outcome:
    """区间法: the achievement ratio falls in a band that gives a share of the weight."""
    return _by_table("interval", weight, target, actual, cfg)


def uncapped(weight: Decimal, target: Quantity, actual: Quantity, method: str, rate: Decimal | None = None) -> Outcome:
    """A form's ``F/E*G`` (proportional) or ``F*G`` (rate) without a cap: above the weight when exceeded."""
    if method == "rate":
        ratio = rate if rate is not None else actual.value
    else:
        ratio = actual.value / target.value if target.value else ONE
    ratio = max(ZERO, ratio)
    return Outcome(method, points(weight * ratio), ratio >= 1, ratio=ratio)


def tiers(weight: Decimal, target: Quantity, actual: Quantity, spec: RuleSpec) -> Outcome:
    """IF tiers of a form's formula: a share of the weight by the band the achievement ratio actual/target
    (or the actual itself) falls in."""
    a, t = actual.value, target.value
    x = a if spec.basis == "actual" else (a / t if t else ONE)
    share = band_share(x, spec.bands, spec.lower_better)
    top = max((band[1] for band in spec.bands), default=ONE)
    return Outcome("interval", points(weight * share), share >= top, ratio=x)


NUMERIC_RULES: dict[str, Callable[..., Outcome]] = {
    "proportional": proportional,
    "reverse": reverse,
    "equal": equal,
    "rate": rate_times_weight,
    "interval": interval,
}


def qualitative_met(target: Quantity, actual: Quantity) -> bool | None:
    """Whether a wording meets its target: same scale and at least as good, or the same text."""
    if target.kind is Kind.QUALITATIVE and actual.kind is Kind.QUALITATIVE:
        if target.level.scale == actual.level.scale:
            return actual.level.rank >= target.level.rank
    if target.kind is Kind.DATE and actual.kind is Kind.DATE:
        if target.comparator in (">=", ">"):
            return actual.date >= target.date
        return actual.date <= target.date
    t, a = target.text.strip(), actual.text.strip()
    if t and a and t.replace(" ", "") == a.replace(" ", ""):
        return True
    return None


def judgement_bounds(weight: Decimal, met: bool | None, actual: Quantity, scales: Scales) -> tuple[Decimal, Decimal]:
    """The range an evaluator's score may take: 达成 tier when met; below full marks when not met."""
    if met:
        low, _ = scales.tiers["达成"]
        return points(weight * low), weight
    if met is False:
        high = ONE
        if actual.kind is Kind.QUALITATIVE:
            high = scales.tiers[actual.level.tier][1]
        top = points(weight * high)
        return ZERO, min(top, max(ZERO, weight - CENT))
    return ZERO, weight


def judged(method: str, weight: Decimal, target: Quantity, actual: Quantity, scales: Scales, problem: str | None = None) -> Outcome:
    """Rows the evaluator scores: the tool only says whether the target is met and the allowed range."""
    met = qualitative_met(target, actual)
    if method == "deadline" and met:
        return Outcome(method, points(weight), True, bounds=(weight, weight))
    return Outcome(method, None, met, bounds=judgement_bounds(weight, met, actual, scales), problem=problem)


def _with_spec(spec: RuleSpec | None, cfg: ScoringConfig) -> tuple[Callable[..., Outcome] | None, ScoringConfig]:
    """The rule function a form's formula calls for (None: the method's own) and the settings it implies."""
    if spec is None:
        return None, cfg
    if spec.method == "interval" and spec.bands:
        return lambda weight, target, actual, cfg, rate=None: tiers(weight, target, actual, spec), cfg
    if not spec.capped:
        return lambda weight, target, actual, cfg, rate=None: uncapped(weight, target, actual, spec.method, rate), cfg
    if spec.mode and spec.method in ("reverse", "equal"):
        return None, _with_mode(cfg, spec.method, spec.mode)
    return None, cfg


_MODED: dict[tuple[int, str, str], tuple[ScoringConfig, ScoringConfig]] = {}  # by id(cfg), cfg kept alive


def _with_mode(cfg: ScoringConfig, method: str, mode: str) -> ScoringConfig:
    """``cfg`` with the reverse or equal mode a form's formula uses, made once per config (replace took
    10 µs, and a new config per row missed ruletable's per-config cache)."""
    key = (id(cfg), method, mode)
    found = _MODED.get(key)
    if found is None or found[0] is not cfg:
        if len(_MODED) >= 256:
            _MODED.clear()
        found = _MODED[key] = (cfg, replace(cfg, **{f"{method}_mode": mode}))
    return found[1]


def score_rule(method: str, weight: Decimal, target: Quantity, actual: Quantity,
               cfg: ScoringConfig | None = None, rate: Decimal | None = None, spec: RuleSpec | None = None) -> Outcome:
    """Apply ``method`` to one row. ``rate`` is a budget-derived rate for rate rows; ``spec`` the settings a
    form's own score formula encodes (its method is ``method``)."""
    cfg = cfg or ScoringConfig()
    scales = load_scales(cfg.scales_path)
    if method == "na":
        return Outcome("na", ZERO, None)
    if method == FORMULA:  # the form's own formula, not one of these rules: its result stands, within the weight
        return Outcome(FORMULA, None, None, bounds=(ZERO, weight))
    rule = NUMERIC_RULES.get(method)
    if rule is not None:
        if spec is not None:
            own, cfg = _with_spec(spec, cfg)
            rule = own or rule
        if method == "rate" and rate is not None and target.kind in (Kind.PERCENT, Kind.EMPTY):
            return rule(weight, target, actual, cfg, rate)
        problem = _numbers(target, actual, scales)
        if problem is None:
            return rule(weight, target, actual, cfg, rate)
        return judged(method, weight, target, actual, scales, problem)
    return judged(method, weight, target, actual, scales)


def infer_method(level1: str, level3: str, target: Quantity, actual: Quantity,
                 cfg: ScoringConfig, nature: str | None = None, override: str | None = None, level2: str = "") -> str:
    """The method for a row: an explicit override, else inferred from 指标性质, name and target.

    A plain number (no comparator, no 指标性质) under a level 2 the framework names lower-is-better
    (成本指标 by default) is scored as 反向, as the forms' own formulas for them do."""
    chosen = method_id(override) or method_id(cfg.method_overrides.get(level3.strip()))
    if chosen:
        return chosen
    if target.kind is Kind.NA or actual.kind is Kind.NA or "不适用" in level3:
        return "na"
    nature = nature_of(nature)
    if nature in ("<=", "<") and target.numeric:
        return "reverse"
    if nature == "定性":
        return "judgement" if cfg.role_of(level1) in cfg.judgement_roles else "qualitative"
    if any(name in level3 for name in cfg.budget_rates) and target.kind in (Kind.PERCENT, Kind.EMPTY):
        return "rate"
    if target.kind is Kind.DATE:
        return "deadline"
    if target.numeric:
        if nature == "=" or target.comparator == "=":
            return "equal"
        if target.comparator is None and not nature and target.kind is Kind.NUMBER and \
                any(word in level2 for word in cfg.lower_better_level2):
            return "reverse"
        return "reverse" if target.comparator in ("<", "<=") else "proportional"
    if cfg.role_of(level1) in cfg.judgement_roles or target.kind is not Kind.QUALITATIVE:
        return "judgement"
    return "qualitative"
