"""Hypothesis strategies: indicator tables and the values a unit types into a plain-formula template.

A case is a framework (random fixed rows with every numeric method, comparator and setting, a bundled
framework, or the self-evaluation form with rows added) plus the cell values typed into it. Numbers are
short decimals, as typed; many are built so that weight × ratio lands exactly on a half cent
(x.xx5) or a rate on a half of its 4th decimal, where rounding differences would show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from xlperf.core.config import SplitRule
from xlperf.core.frameworks import Framework, FrameworkIndicator, load_framework
from xlperf.core.rules import METHOD_LABELS
from xlperf.core.scales import load_scales
from xlperf.template.plan import RowPlan, plan_rows
from xlperf.template.table import expand

D = Decimal
WORDS = [word for word, _ in load_scales().words]
NA_TEXTS = ["不适用", "/", "—", "无", "N/A", "本年不涉及"]
NOISE = ["按计划推进", "有所提升", "较好提升", "效果良好", "基本达到", "合格 及以上", "显著 提升", "较明确"]
FINITE_WEIGHTS = [D(x) for x in ("1", "2", "4", "5", "8", "10", "0.5", "2.5", "1.25", "20", "0.25")]
OTHER_WEIGHTS = [D(x) for x in ("3", "1.67", "1.66", "15", "6", "7", "0", "3.33")]


@dataclass
class Case:
    """A framework, the grown-row counts, and the typed values: {sheet: {cell: value}}."""

    framework: Framework
    counts: dict[str, int] = field(default_factory=dict)
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)


def dec(places: int = 2, high: int = 200) -> st.SearchStrategy[Decimal]:
    return st.integers(0, high * 10**places).map(lambda n: D(n).scaleb(-places))


def typed(value: Decimal) -> int | float:
    """A decimal as a spreadsheet cell holds it."""
    return int(value) if value == value.to_integral_value() else float(value)


def half_cent_scores(weight: Decimal) -> st.SearchStrategy[Decimal]:
    """Scores x.xx5 below the weight: where ROUND must go up."""
    top = int(weight * 100)
    return st.integers(0, max(0, top - 1)).map(lambda k: (D(2 * k + 1) / 200))


# --- the actual typed into a numeric row --------------------------------------------------------------

@st.composite
def numeric_actual(draw, plan: RowPlan, weight: Decimal) -> Any:
    target = D(repr(plan.target)) if isinstance(plan.target, (int, float)) else None
    choice = draw(st.sampled_from(["blank", "tie", "tie", "tie", "near", "equal", "zero", "band", "random"]))
    if choice == "blank":
        return None
    if target is None:
        return typed(draw(dec(draw(st.integers(0, 3)), 300)))
    if choice == "tie" and weight in FINITE_WEIGHTS and weight > 0 and target > 0:
        score = draw(half_cent_scores(weight))
        ratio = score / weight
        if plan.method == "reverse":  # w × t/a = score
            return typed(target / ratio) if (target / ratio).as_tuple().exponent >= -8 else typed(target)
        return typed(ratio * target)
    if choice == "near":
        delta = draw(st.integers(-300, 300))
        return typed(max(D(0), target + target * D(delta) / 1000).quantize(D("0.0001")).normalize())
    if choice == "equal":
        return typed(target)
    if choice == "zero":
        return 0
    if choice == "band":
        bound = draw(st.sampled_from([D("0.95"), D("0.9"), D("0.8"), D("1")]))
        return typed((target * bound).normalize())
    return typed(draw(dec(draw(st.integers(0, 4)), 300)))


def wording_actual(plan: RowPlan) -> st.SearchStrategy[Any]:
    target = plan.target if isinstance(plan.target, str) else ""
    return st.one_of(st.none(), st.sampled_from(WORDS), st.sampled_from(NOISE), st.sampled_from(NA_TEXTS),
                     st.just(target), st.just(" " + target + " "))


def judgement(weight: Decimal) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.just(typed(weight)), dec(2, int(weight) + 1).map(lambda v: typed(min(v, weight))),
                     dec(3, int(weight) + 1).map(typed), st.just(typed(weight + 1)), st.just(-1), st.just("待定"))


NOTES = st.sampled_from([None, None, " ", "未达到目标值，原因已说明。"])


@st.composite
def fixed_fill(draw, plan: RowPlan, r: int) -> dict[str, Any]:
    """The typed cells of one fixed row (method known when the template was built)."""
    weight = plan.ind.weight
    cells: dict[str, Any] = {f"L{r}": draw(NOTES)}
    method = plan.method
    if plan.link:
        pass
    elif method in ("proportional", "reverse", "equal", "interval", "rate"):
        cells[f"H{r}"] = draw(numeric_actual(plan, weight))
    elif method == "deadline":
        day = plan.target if isinstance(plan.target, dt.date) else dt.date(2024, 12, 31)
        shift = draw(st.integers(-40, 40))
        cells[f"H{r}"] = dt.datetime.combine(day + dt.timedelta(days=shift), dt.time()) if shift % 5 else None
    else:
        cells[f"H{r}"] = draw(wording_actual(plan))
    if plan.judged:
        cells[f"J{r}"] = draw(judgement(weight))
    return cells


# --- budget figures ----------------------------------------------------------------------------------

@st.composite
def budget(draw) -> dict[str, Any]:
    """基本信息 B9:B12, often with a rate on a half of its 4th decimal or weight × rate on a half cent."""
    mode = draw(st.sampled_from(["tie4", "tie_cents", "random", "missing", "zero"]))
    received = draw(st.sampled_from([D(20000), D(2000), D("2916.35"), D(200)]))
    if mode == "tie4":
        spent = (D(2 * draw(st.integers(15000, 19999)) + 1) / 40000 * received).normalize()
    elif mode == "tie_cents":
        spent = (draw(st.sampled_from([D("0.9990"), D("0.9410"), D("0.9870"), D("0.8330")])) * received).normalize()
    else:
        spent = draw(dec(2, 3000))
    cells = {"B9": typed(received + 100), "B10": typed(received), "B11": typed(received), "B12": typed(spent)}
    if mode == "missing":
        cells[draw(st.sampled_from(["B10", "B11", "B12"]))] = None
    if mode == "zero":
        cells[draw(st.sampled_from(["B10", "B11"]))] = 0
    return cells


# --- frameworks ----------------------------------------------------------------------------------------

METHODS = ["proportional", "reverse", "equal", "interval", "judgement", "qualitative", "deadline", "na", None]


@st.composite
def fixed_indicator(draw, level1: str, index: int, method: str | None = None) -> FrameworkIndicator:
    method = method if method != "any" else draw(st.sampled_from(METHODS))
    number = draw(st.sampled_from(["20", "57", "1", "100", "0.5", "12.5", "300"]))
    unit = draw(st.sampled_from(["人", "场次", "万元", "%"]))
    if unit == "%":
        number = draw(st.sampled_from(["100", "95", "90", "3", "99.5"]))
    comparator = draw(st.sampled_from(["", "≥", "≤", "=", ">", "<"]))
    weight = draw(st.sampled_from(FINITE_WEIGHTS * 2 + OTHER_WEIGHTS))
    target = f"{comparator}{number}{unit}"
    if method in ("judgement", "qualitative"):
        target = draw(st.sampled_from(["充分", "有效提升", "合格及以上", "明确", "全年", "规范"]))
    elif method == "deadline":
        target = "2024年12月31日前"
    elif method == "na":
        target, weight = "不适用", draw(st.sampled_from([D(0), D(2)]))
    elif method is None:
        target = draw(st.sampled_from([target, "90%-95%", "≤3%", "有效"]))
    return FrameworkIndicator(level1, f"{level1}二级{index % 2}", f"指标{index}", weight, target, method)


@st.composite
def fixed_framework(draw) -> Framework:
    base = load_framework("evaluation")
    names = draw(st.lists(st.sampled_from(["决策", "过程", "产出", "效益"]), min_size=1, max_size=3, unique=True))
    methods = draw(st.permutations(METHODS)) + draw(st.lists(st.just("any"), max_size=4))  # each method at least once
    rows: list[FrameworkIndicator] = []
    for i, method in enumerate(methods):
        rows.append(draw(fixed_indicator(names[i * len(names) // len(methods)], len(rows), method)))
    if draw(st.booleans()):
        rows.insert(0, FrameworkIndicator(names[0], "资金管理", "预算执行率", D(5), "100%"))
    cfg = replace(base.config, reverse_mode=draw(st.sampled_from(["ratio", "linear"])),
                  equal_mode=draw(st.sampled_from(["ratio", "all_or_nothing"])),
                  na_policy=draw(st.sampled_from(["zero", "rescale"])),
                  execution_base=draw(st.sampled_from(["received", "annual"])),
                  grade_bands=draw(st.sampled_from([base.config.grade_bands, ((D(90), "优"), (D("75.5"), "良"),
                                                                              (D(0), "差"))])),
                  level1_weights={names[0]: draw(st.sampled_from([D(10), D(15)]))} if draw(st.booleans()) else {},
                  split_rules=(SplitRule((names[0],), D(15)),) if draw(st.booleans()) else ())
    return replace(base, id="random", name="随机指标体系", indicators=tuple(rows), config=cfg)


@st.composite
def self_eval_case(draw) -> Case:
    """The self-evaluation form with rows added and everything the unit types, including its methods."""
    fw = load_framework("self_eval")
    keys = [f"{p.ind.level1}|{p.ind.level2}" for p in plan_rows(fw) if p.grow]
    counts = {key: draw(st.integers(1, 3)) for key in draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))}
    case = Case(fw, counts, {"基本信息": draw(budget())})
    table: dict[str, Any] = {}
    for i, plan in enumerate(expand(plan_rows(fw), counts)):
        r = 4 + i
        if plan.link:
            table[f"L{r}"] = draw(NOTES)
            continue
        weight = draw(st.sampled_from(FINITE_WEIGHTS * 2 + OTHER_WEIGHTS))
        nature = draw(st.sampled_from(["≥", "≤", "=", "定性", None]))
        target = draw(st.one_of(dec(draw(st.integers(0, 3)), 200).map(typed), st.sampled_from(WORDS + NA_TEXTS),
                                st.none()))
        row_plan = replace(plan, target=target, method=draw(st.sampled_from(["reverse", "proportional"])))
        actual = draw(st.one_of(numeric_actual(row_plan, weight), st.sampled_from(WORDS + NOISE + NA_TEXTS)))
        table |= {f"C{r}": draw(st.sampled_from(["培训人次", "（填写指标）", "不适用事项"])), f"D{r}": nature,
                  f"E{r}": draw(st.sampled_from([None, "人", "%", "万元"])), f"F{r}": typed(weight), f"G{r}": target,
                  f"H{r}": actual, f"I{r}": draw(st.sampled_from([None, None, *METHOD_LABELS.values()])),
                  f"J{r}": draw(judgement(weight)), f"L{r}": draw(NOTES)}
    case.cells["评分表"] = table
    return case


@st.composite
def fixed_case(draw, frameworks: st.SearchStrategy[Framework]) -> Case:
    fw = draw(frameworks)
    table: dict[str, Any] = {}
    for i, plan in enumerate(plan_rows(fw)):
        table |= draw(fixed_fill(plan, 4 + i))
    return Case(fw, {}, {"基本信息": draw(budget()), "评分表": table})


# Three kinds, drawn in equal numbers: random indicator tables, the bundled evaluations, the self-evaluation form.
KINDS = (fixed_case(fixed_framework()), fixed_case(st.sampled_from(["dapeng", "yantian"]).map(load_framework)),
         self_eval_case())

__all__ = ["Case", "KINDS", "fixed_case", "self_eval_case"]
