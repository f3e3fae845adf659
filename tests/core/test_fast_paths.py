"""The check path's fast paths give exactly what the general paths give."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xlperf.core.config import ScoringConfig
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


decimals = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=16),
    st.integers(-10**20, 10**20).map(lambda n: Decimal(n * 10 + 5).scaleb(-7)),  # halves at the 6th place
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: Decimal(repr(f))),
    st.sampled_from([Decimal("0"), Decimal("-0"), Decimal("0E-10"), Decimal("1E+15"), Decimal("999999999999999.5"),
                     Decimal("-2.5"), Decimal("1.005"), Decimal("0.1234567890123456789"), Decimal("1E-30")]),
)


@given(decimals, st.integers(0, 15))
def test_excel_round_of_a_decimal_matches_the_general_path(value, digits):
    """excel_round's Decimal fast path against _apply, the path every other input takes."""
    from decimal import ROUND_HALF_UP

    from xlperf.core.rounding import _apply, excel_round

    outcomes = []
    for fn in (lambda: excel_round(value, digits), lambda: _apply(value, digits, ROUND_HALF_UP)):
        try:
            outcomes.append(str(fn()))
        except ArithmeticError as exc:  # past the context's precision (28 digits): both raise
            outcomes.append(type(exc))
    assert outcomes[0] == outcomes[1]


exprs_inputs = st.fixed_dictionaries({name: st.one_of(st.none(), st.decimals(-1000, 1000, places=4))
                                      for name in ("weight", "target", "actual", "high", "rate")})


@given(exprs_inputs)
def test_generated_rule_functions_match_the_closures(env):
    """Expr.compile's generated source gives what the closure per node gives (or raises alike)."""
    from xlperf.core import ruletable

    cfgs = (ScoringConfig(), ScoringConfig(reverse_mode="linear", equal_mode="all_or_nothing", rate_digits=2))
    trees = [tree for method in ruletable.METHODS for comparator in (None, "<=", "<", "=", ">", "between")
             for cfg in cfgs for tree in vars(ruletable.rule_exprs(method, cfg, comparator)).values()]
    trees += [ruletable.total_expr("rescale"), ruletable.total_expr("zero")]
    for tree in trees:
        outcomes = []
        for fn in (tree.compile(), tree.closure()):
            try:
                outcomes.append(("value", fn(env)))
            except Exception as exc:  # noqa: BLE001 - both must fail the same way
                outcomes.append(("error", type(exc)))
        assert outcomes[0] == outcomes[1] and str(outcomes[0][1]) == str(outcomes[1][1])


raw_cells = st.sampled_from([None, 1, 1.0, True, 0.0, -0.0, 0, 95, 0.95, 94.2, "95%", "≥95%", "100%", "≤3%", "20场次",
                             "≥20场次", "较好", "达成", "不适用", Decimal("1.0"), Decimal("1.00"), "1", " 5 ", "5分"])


@given(st.lists(st.tuples(raw_cells, raw_cells, raw_cells, raw_cells, st.sampled_from([None, "%", "场次", "≥", "正向"]),
                          st.sampled_from(["合格率", "预算执行率", "资金到位率", "满意度"]), st.booleans()),
                min_size=1, max_size=12))
def test_remembered_rows_are_the_rows_evaluated_afresh(rows):
    """evaluate's per-row cache gives, repr for repr, what evaluate_row gives (other budgets and configs too)."""
    from xlperf.core.model import Indicator

    for weight, target, actual, stated, unit, name, percent in rows:
        _same_as_afresh(Indicator("产出", "质量", name, weight, target, actual, stated, unit=unit,
                                  percent=frozenset({"actual"}) if percent else frozenset()))


def test_remembered_rows_tell_equal_values_apart():
    """Values equal to Python but not to a row (1, 1.0, True, 1.0 and 1.00; 0.0 and -0.0; a percent cell)."""
    from xlperf.core.model import Indicator

    equal = [1, 1.0, True, Decimal("1.0"), Decimal("1.00"), "1", 0.0, -0.0, 0, None]
    for cell in range(4):
        for percent in (frozenset(), frozenset({"actual", "target"})):
            for value in equal:
                cells = [5, "≥95%", 0.9, 4]
                cells[cell] = value
                _same_as_afresh(Indicator("产出", "质量", "合格率", *cells, percent=percent))


_CFGS = (ScoringConfig(), ScoringConfig(execution_base="annual"))  # one object each: the cache keys a config by id


def _same_as_afresh(ind) -> None:
    from xlperf.core.evaluate import evaluate, evaluate_row
    from xlperf.core.model import Budget, IndicatorTable

    budgets = [None] + [Budget(Decimal(3), Decimal("2.5"), Decimal("2.40"), spent)
                        for spent in (Decimal("2.0"), Decimal("2.00"), Decimal("2.3"))]
    for budget in budgets:
        for cfg in _CFGS:
            table = IndicatorTable((ind,), budget=budget)
            assert repr(evaluate(table, cfg).rows[0]) == repr(evaluate_row(ind, cfg, budget))


@given(decimals, st.integers(0, 15))
def test_snapped_of_a_decimal_is_two_excel_rounds(value, digits):
    from xlperf.core.rounding import excel_round, snapped

    outcomes = []
    for fn in (lambda: snapped(value, digits), lambda: excel_round(excel_round(value, 10), digits)):
        try:
            outcomes.append(str(fn()))
        except ArithmeticError as exc:
            outcomes.append(type(exc))
    assert outcomes[0] == outcomes[1]


@given(st.lists(decimals, min_size=1, max_size=20))
def test_remembered_points_are_points_afresh(values):
    """points' cache by value gives snapped's own result, whatever representation came first."""
    from xlperf.core.rounding import points, snapped

    for value in values + [value.scaleb(0) * 1 for value in values] + [Decimal(f"{value}0") for value in values
                                                                      if value.is_finite() and "E" not in str(value)]:
        outcomes = []
        for fn in (lambda: points(value), lambda: snapped(value, 2)):
            try:
                outcomes.append(str(fn()))
            except ArithmeticError as exc:
                outcomes.append(type(exc))
        assert outcomes[0] == outcomes[1]


@given(st.lists(st.tuples(st.sampled_from(["产出", "效益"]), st.sampled_from(["数量", "质量"]), raw_cells, raw_cells,
                          raw_cells, raw_cells, st.sampled_from(["合格率", "预算执行率", "满意度"])),
                min_size=1, max_size=12), st.sampled_from(["zero", "rescale"]))
def test_one_pass_sums_are_level_totals_and_total_score(rows, policy):
    """evaluate's one-pass sums against totals.level_totals and total_score over its own rows."""
    from xlperf.core.evaluate import evaluate
    from xlperf.core.model import Indicator, IndicatorTable
    from xlperf.core.rounding import points
    from xlperf.core.totals import level_totals, total_score

    cfg = ScoringConfig(na_policy=policy)
    table = IndicatorTable(tuple(Indicator(l1, l2, name, w, t, a, s) for l1, l2, w, t, a, s, name in rows))
    got = evaluate(table, cfg)
    counted = [r for r in got.rows if not (r.not_applicable and policy == "rescale")]
    l1 = level_totals(((r.indicator.level1,), r.weight.value, r.stated.value, r.score) for r in counted)
    l2 = level_totals(((r.indicator.level1, r.indicator.level2), r.weight.value, r.stated.value, r.score)
                      for r in counted)
    assert repr(got.level1) == repr({k[0]: v for k, v in l1.items()})
    assert repr(got.level2) == repr({(k[0], k[1]): v for k, v in l2.items()})
    stated = [r.stated.value for r in got.rows if r.stated.value is not None]
    assert repr(got.stated_sum) == repr(points(sum(stated, Decimal(0))) if stated else None)
    if got.total is not None:
        assert got.total == total_score(((r.weight.value, r.score, r.not_applicable) for r in got.rows), policy)


def test_a_row_with_long_texts_is_scored_but_not_remembered():
    """A hostile copy's long cell texts never enter evaluate's per-row memory (its result is the same)."""
    from xlperf.core import evaluate as ev
    from xlperf.core.model import Indicator

    cfg = _CFGS[0]
    long_row = Indicator("产出", "质量", "合格率" * 2000, 5, "≥95%" + " " * 5000, 0.97, 5)
    _same_as_afresh(long_row)
    assert all(len(repr(key)) <= ev.MAX_RULED_KEY and key[9] != long_row.level3 for key in ev._RULED)
    assert repr(ev.evaluate_row(long_row, cfg)) == repr(ev._cached_row(long_row, cfg, None, None))
