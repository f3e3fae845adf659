"""Evaluate an indicator table: each row's method and score, level totals, total and grade."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from xlperf.core.config import ScoringConfig
from xlperf.core.frozen import evolve, frozen
from xlperf.core.grades import grade_for
from xlperf.core.model import Budget, Indicator, IndicatorTable
from xlperf.core.numbers import CellNumber, read_number
from xlperf.core.quantity import Kind, Quantity, nature_of, parse_quantity
from xlperf.core.rounding import points, snapped
from xlperf.core.rules import Outcome, infer_method, score_rule
from xlperf.core.scales import load_scales
from xlperf.core.totals import NO_STATED, LevelTotal, finished_levels, total_of

ZERO = Decimal(0)
PERCENT_DOUBT = Decimal("1.5")  # 150 %: a plain 94.2 typed for 94.2 % would read as 9420 %


@frozen
class RowResult:
    """One row evaluated: parsed inputs, the rule's outcome and xlperf's score."""

    indicator: Indicator
    method: str
    weight: CellNumber
    stated: CellNumber
    judgement: CellNumber
    target: Quantity
    actual: Quantity
    outcome: Outcome
    score: Decimal | None  # xlperf's score: the rule's, else the evaluator's within [0, weight]
    budget_rate: Decimal | None = None  # rate the budget figures give (rate rows)
    budget_formula: str | None = None  # e.g. "2747.33 / 2916.35"
    method_error: str | None = None  # an unknown method written in the row
    percent_doubt: bool = False  # a bare number read as a fraction against a percent target is implausible

    @property
    def not_applicable(self) -> bool:
        return self.method == "na"

    @property
    def evaluator_score(self) -> Decimal | None:
        """The evaluator's own score: the 评价人评分 input where the template has one, else 得分."""
        return self.judgement.value if self.judgement.value is not None else self.stated.value


@frozen
class Evaluation:
    """A whole table evaluated."""

    table: IndicatorTable
    rows: tuple[RowResult, ...]
    level1: dict[str, LevelTotal]
    level2: dict[tuple[str, str], LevelTotal]
    weight: Decimal
    stated_sum: Decimal | None  # Σ of the scores the table states (blank ones left out); None if it states none
    total: Decimal | None  # None (and no grade) for a form with no score at all: it is not graded
    grade: str | None
    config: ScoringConfig

    @property
    def unscored(self) -> bool:
        """No row has a score, an evaluator's score or a score formula: the form was returned unscored."""
        return self.total is None


def budget_rate(name: str, budget: Budget | None, cfg: ScoringConfig) -> tuple[Decimal, str] | None:
    """The rate a budget-derived indicator (预算执行率, 资金到位率) has by the budget figures, and how."""
    if budget is None:
        return None
    for key, (num_name, den_name) in cfg.budget_rates.items():
        if key in name:
            num = budget.figure(num_name, cfg.execution_base)
            den = budget.figure(den_name, cfg.execution_base)
            if num is None or not den:
                return None
            return snapped(num / den, cfg.rate_digits), f"{num:f} / {den:f}"
    return None


_COMPARATORS = {">=": ">=", "<=": "<=", "=": "=", ">": ">", "<": "<"}


PERCENT_UNITS = frozenset({"%", "％", "百分比", "百分率"})


def in_context(q: Quantity, nature: str | None, unit: str | None, points: bool = True) -> Quantity:
    """Apply the row's 指标性质 (comparator) and 度量单位 (unit) where the value itself has none.

    With ``points``, a plain number whose 度量单位 is % is a percentage written in points (指标值 95,
    单位 % → 95 %); an actual is read so only when its target was (else it is a fraction, see as_percent)."""
    if not q.numeric:
        return q
    comparator = q.comparator or (_COMPARATORS.get(nature_of(nature)) if nature else None)
    unit_text = unit.strip() if unit else ""
    if points and unit_text in PERCENT_UNITS and q.kind is Kind.NUMBER and not q.unit:
        high = q.high / 100 if q.high is not None else None
        return evolve(q, kind=Kind.PERCENT, comparator=comparator, value=q.value / 100, high=high, unit="%")
    unit = q.unit or (unit_text if q.kind is Kind.NUMBER else "")
    if comparator == q.comparator and unit == q.unit:
        return q  # nothing to add: most values carry their own comparator and unit
    return evolve(q, comparator=comparator, unit=unit)


@lru_cache(maxsize=1024)
def method_text(text: str) -> str | None:
    """A per-row method cell: a short label is a method (checked), longer text is a 评分标准 description."""
    label = text.strip()
    return label if label and len(label) <= 8 and not any(ch.isdigit() for ch in label) else None


def as_percent(target: Quantity, actual: Quantity, raw: object) -> Quantity:
    """A plain number against a percent target is a fraction, as Excel stores 94.2 % (0.942)."""
    if target.kind is Kind.PERCENT and actual.kind is Kind.NUMBER and isinstance(raw, (int, float, Decimal)) \
            and not isinstance(raw, bool):
        return evolve(actual, kind=Kind.PERCENT, unit="%")
    return actual


def _clamp(value: Decimal | None, weight: Decimal) -> Decimal | None:
    if value is None:
        return None
    return max(ZERO, min(weight, value))


def _method(ind: Indicator, target: Quantity, actual: Quantity, cfg: ScoringConfig) -> tuple[str, str | None]:
    """The row's method (the form's own formula's rule first) and an unknown method label written in it."""
    if ind.rule is not None:
        return ind.rule.method, None
    written = method_text(str(ind.method)) if ind.method is not None else None
    try:
        return infer_method(ind.level1, ind.level3, target, actual, cfg, ind.nature, written, ind.level2), None
    except ValueError:
        return infer_method(ind.level1, ind.level3, target, actual, cfg, ind.nature, None, ind.level2), written


def _ruled(ind: Indicator, cfg: ScoringConfig, budget: Budget | None) -> tuple:
    """A row's parsed weight, target and actual, its method and the rule's outcome (the part of
    ``evaluate_row`` that does not read the stated scores)."""
    scales = load_scales(cfg.scales_path) if cfg.scales_path else None
    weight = read_number(ind.weight)
    unit = None if ind.rule is not None and ind.rule.basis == "actual" else ind.unit  # tiers on the cell as it is
    written = parse_quantity(ind.target, "target" in ind.percent, scales)
    target = in_context(written, ind.nature, unit)
    points = written.kind is Kind.NUMBER and target.kind is Kind.PERCENT  # 指标值 95 with 单位 %: actuals in points too
    actual = in_context(parse_quantity(ind.actual, "actual" in ind.percent, scales), None, unit, points)
    coerced = as_percent(target, actual, ind.actual)
    percent_doubt = coerced is not actual and coerced.value is not None and coerced.value > PERCENT_DOUBT
    actual = coerced
    method, method_error = _method(ind, target, actual, cfg)
    w = weight.value if weight.value is not None and weight.value >= 0 else ZERO
    found = budget_rate(ind.level3, budget, cfg) if method == "rate" else None
    rate, formula = found if found else (None, None)
    outcome = score_rule(method, w, target, actual, cfg, rate, ind.rule)
    return method, weight, target, actual, outcome, rate, formula, method_error, percent_doubt, w


def _row_result(ind: Indicator, ruled: tuple) -> RowResult:
    """The RowResult of ``_ruled``'s part and the row's stated scores."""
    method, weight, target, actual, outcome, rate, formula, method_error, percent_doubt, w = ruled
    stated, judgement = read_number(ind.stated_score), read_number(ind.judgement)
    evaluator = judgement.value if judgement.value is not None else stated.value
    score = outcome.score if outcome.score is not None else _clamp(evaluator, w)
    return RowResult(ind, method, weight, stated, judgement, target, actual, outcome, score, rate, formula, method_error,
                     percent_doubt)


def evaluate_row(ind: Indicator, cfg: ScoringConfig, budget: Budget | None = None) -> RowResult:
    """Parse and score one row. Never raises on bad cell contents: problems stay in the result."""
    return _row_result(ind, _ruled(ind, cfg, budget))


def _cell_key(value: object) -> object:
    """A raw cell value as a key that tells apart what equal values would not (1, 1.0, True; 0.0, -0.0)."""
    cls = value.__class__
    if cls is str or cls is int:
        return cls, value
    return None if value is None else (cls, repr(value))


def _budget_key(budget: Budget | None) -> tuple | None:
    return None if budget is None else tuple(map(repr, (budget.initial, budget.annual, budget.received, budget.spent)))


_RULED: dict[tuple, tuple] = {}  # a row's inputs → cfg, its rule and _ruled's part (see _cached_row)
MAX_RULED = 4096
MAX_RULED_KEY = 2048  # characters of a key's repr kept: a hostile batch's long cell texts are never kept


def _cached_row(ind: Indicator, cfg: ScoringConfig, budget: Budget | None, budget_key: tuple | None) -> RowResult:
    """``evaluate_row`` with ``_ruled``'s part remembered by every input it reads: returned copies of a
    template repeat their weights, targets and wordings, and an actual that meets its target, so a key
    (about 2 µs) often stands for the parsing and scoring (about 8 µs). The budget's figures are read only
    by a budget-derived rate (``budget_rate``); ``cfg`` and the row's rule are keyed by identity and kept in
    the entry, so their ids are not reused while it stands. A plain text (or None) is its own key, no
    ``_cell_key`` call (no other value's key is a str: evaluate of a bureau copy ~101 → ~97 µs)."""
    rated = any(map(ind.level3.__contains__, cfg.budget_rates))  # in C: evaluate 104-107 → 101-102 µs a copy
    target, unit, nature, method = ind.target, ind.unit, ind.nature, ind.method
    key = (_cell_key(ind.weight), target if target is None or target.__class__ is str else _cell_key(target),
           _cell_key(ind.actual), ind.percent, unit if unit is None or unit.__class__ is str else _cell_key(unit),
           nature if nature is None or nature.__class__ is str else _cell_key(nature),
           method if method is None or method.__class__ is str else _cell_key(method),
           ind.level1, ind.level2, ind.level3, id(ind.rule), id(cfg), budget_key if rated else None)
    found = _RULED.get(key)
    if found is not None and found[0] is cfg and found[1] is ind.rule:
        return _row_result(ind, found[2])
    ruled = _ruled(ind, cfg, budget)
    if len(repr(key)) <= MAX_RULED_KEY:
        if len(_RULED) >= MAX_RULED:
            _RULED.clear()
        _RULED[key] = (cfg, ind.rule, ruled)
    return _row_result(ind, ruled)


def _sums(rows: tuple[RowResult, ...], rescale: bool) -> tuple:
    """What ``evaluate`` adds up, in one pass over the rows (in place of two ``level_totals`` passes and four
    more over the rows: evaluating a bureau copy 0.119 → 0.107 ms): per level 1 and level 2 (weight, stated, score) as
    ``level_totals`` accumulates them, the stated scores' sum, the weights' sum, and ``total_score``'s sums
    (not-applicable rows left out). Each sum adds the same values in the same order as those did."""
    acc1: dict[str, tuple] = {}
    acc2: dict[tuple[str, str], tuple] = {}
    stated_sum, weight_sum, any_stated, scored = ZERO, ZERO, False, False
    score_sum, applicable_weight = ZERO, ZERO
    for r in rows:
        ind = r.indicator
        weight, stated, score = r.weight.value, r.stated.value, r.score
        na = r.method == "na"
        if not (na and rescale):
            added, got = weight or ZERO, score or ZERO
            key = ind.level1
            w, s, c = acc1.get(key, NO_STATED)
            acc1[key] = (w + added, s if stated is None else stated if s is None else s + stated, c + got)
            key = (key, ind.level2)
            w, s, c = acc2.get(key, NO_STATED)
            acc2[key] = (w + added, s if stated is None else stated if s is None else s + stated, c + got)
        if stated is not None:
            stated_sum, any_stated = stated_sum + stated, True
        weight_sum += weight or ZERO
        if not scored and (r.judgement.value is not None or ind.score_formula):
            scored = True
        if not na:
            score_sum += score or ZERO
            applicable_weight += weight or ZERO
    return acc1, acc2, (stated_sum if any_stated else None), weight_sum, any_stated or scored, score_sum, \
        applicable_weight


def evaluate(table: IndicatorTable, cfg: ScoringConfig | None = None) -> Evaluation:
    """Evaluate every row, then the level totals, the total and the grade."""
    cfg = cfg or ScoringConfig()
    budget, budget_key = table.budget, _budget_key(table.budget)
    rows = tuple([_cached_row(ind, cfg, budget, budget_key) for ind in table.all_rows()])
    acc1, acc2, stated, weight, graded, score_sum, applicable_weight = _sums(rows, cfg.na_policy == "rescale")
    total = grade = None
    if graded:
        total = total_of(score_sum, applicable_weight, cfg.na_policy)
        grade = grade_for(total, cfg.grade_bands)
    return Evaluation(table, rows, finished_levels(acc1), finished_levels(acc2), weight, points(stated) if stated is not None else None,
                      total, grade, cfg)
