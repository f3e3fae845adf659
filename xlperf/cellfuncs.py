"""Cell-level functions behind the Excel UDFs and the formula engine: one call into the core each.

Arguments are plain Python values as a cell holds them (numbers, text, None for empty,
lists for ranges) and Excel error strings such as "#DIV/0!". Results are numbers, text, ""
for "nothing yet", or an Excel error string, which the xlwings and ``formulas`` adapters turn
into real error values. No function here raises: an unexpected failure returns "#VALUE!".

Not part of ``xlperf.core``: ``perf_check`` renders the row checks' findings (``checks.rows``), so this module
sits above the checks and below its two adapters, ``engine.functions`` and ``udfs``.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any, Callable

from xlperf.checks.rows import check_row
from xlperf.core.config import ScoringConfig
from xlperf.core.evaluate import evaluate_row
from xlperf.core.grades import grade_for, parse_bands
from xlperf.core.model import Indicator
from xlperf.core.numbers import read_number
from xlperf.core.quantity import parse_quantity
from xlperf.core.rounding import points, snapped
from xlperf.core.rules import METHOD_LABELS, method_id
from xlperf.core.totals import total_score

ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!")
Result = float | str
ZERO = Decimal(0)


def flatten(values: Any) -> list[Any]:
    """A range (list, list of lists) as one flat list; a scalar as a one-item list."""
    if isinstance(values, (list, tuple)):
        return [item for value in values for item in flatten(value)]
    return [values]


def first_error(*values: Any) -> str | None:
    """The first Excel error among the arguments (ranges searched too), as Excel propagates it."""
    for value in flatten(list(values)):
        if isinstance(value, str) and value.strip().upper() in ERRORS:
            return value.strip().upper()
    return None


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def safe(func: Callable[..., Result]) -> Callable[..., Result]:
    """Excel error arguments propagate; an unexpected exception becomes #VALUE!, never a traceback."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Result:
        error = first_error(*args, *kwargs.values())
        if error:
            return error
        try:
            return func(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a cell shows an error value, the batch path reports findings
            return "#VALUE!"
    return wrapper


def _number(value: Decimal | None) -> Result:
    return "" if value is None else float(value)


def _percent(unit: Any, **values: Any) -> frozenset[str]:
    """Fields holding a bare number in a row whose 度量单位 is %: a cell formatted as a percentage, as the
    templates format them (a UDF receives the value, not the format)."""
    if blank(unit) or str(unit).strip() not in ("%", "％"):
        return frozenset()
    return frozenset(name for name, value in values.items()
                     if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool))


def _row(weight, target, actual, method=None, judgement=None, nature=None, unit=None, score=None, note=None) -> Indicator:
    return Indicator("", "", "", weight, target, actual, stated_score=score, note=None if blank(note) else str(note),
                     method=None if blank(method) else str(method), nature=None if blank(nature) else str(nature),
                     unit=None if blank(unit) else str(unit), judgement=None if blank(judgement) else judgement,
                     percent=_percent(unit, target=target, actual=actual))


@safe
def perf_score(weight, target, actual, method=None, judgement=None, nature=None, unit=None,
               cfg: ScoringConfig | None = None) -> Result:
    """A row's score: the rule's, or the evaluator's own score where the row is judged.

    "" while the row still lacks what it needs (no actual, no evaluator score);
    #VALUE! for a weight that is not a number or a method that does not exist;
    #NUM! for an evaluator score outside 0…weight.
    """
    cfg = cfg or ScoringConfig()
    if blank(method) is False:
        method_id(method)  # unknown method → ValueError → #VALUE!
    res = evaluate_row(_row(weight, target, actual, method, judgement, nature, unit), cfg)
    if res.weight.value is None or res.weight.invalid or res.weight.value < 0:
        return "#VALUE!"
    if res.outcome.score is not None:
        return float(res.outcome.score)
    own = res.judgement
    if own.invalid:
        return "#VALUE!"
    if own.value is None:
        return "#VALUE!" if res.outcome.problem in ("unit-mismatch", "target-unparsed", "actual-unparsed") else ""
    if own.value < 0 or own.value > res.weight.value:
        return "#NUM!"
    return float(points(own.value))


@safe
def perf_rate(numerator, denominator, digits=4) -> Result:
    """A rate such as 执行率 = 执行数 / 预算数, rounded like Excel (default 4 decimals: 94.20 %)."""
    num, den = read_number(numerator), read_number(denominator)
    if num.invalid or den.invalid:
        return "#VALUE!"
    if num.value is None or den.value is None:
        return ""
    if den.value == 0:
        return "#DIV/0!"
    return float(snapped(num.value / den.value, int(read_number(digits).value or 4)))


def _bands(bands: Any) -> tuple[tuple[Decimal, str], ...] | None:
    if blank(bands):
        return None
    if isinstance(bands, str):
        return parse_bands(bands)
    items = flatten(bands)
    pairs = list(zip(items[0::2], items[1::2]))
    out = []
    for first, second in pairs:  # accept (bound, grade) or (grade, bound) per row
        bound, name = (first, second) if read_number(first).value is not None else (second, first)
        out.append((read_number(bound).value, str(name)))
    return tuple(out)


@safe
def perf_grade(total, bands=None) -> Result:
    """The grade of a total: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差, or the bands given ("优:90,良:80,…")."""
    if blank(total):
        return ""
    value = read_number(total)
    if value.value is None:
        return "#VALUE!"
    chosen = _bands(bands)
    return grade_for(value.value, chosen) if chosen else grade_for(value.value)


def _is_na(method: Any) -> bool:
    if blank(method):
        return False
    try:
        return method_id(str(method)) == "na"
    except ValueError:
        return False


@safe
def perf_total(weights, scores, methods=None, rescale=False) -> Result:
    """The total of a score column; with ``rescale`` true, 不适用 rows are dropped and it is 按百分制折算."""
    w, s = flatten(weights), flatten(scores)
    m = flatten(methods) if methods is not None else [None] * len(s)
    if not (len(w) == len(s) == len(m)):
        return "#VALUE!"
    items = []
    for weight, score, method in zip(w, s, m):
        wn, sn = read_number(weight), read_number(score)
        if wn.invalid or sn.invalid:
            return "#VALUE!"
        items.append((wn.value, sn.value, _is_na(method)))
    policy = "rescale" if rescale is True or str(rescale).strip().upper() in ("TRUE", "1", "折算") else "zero"
    if policy == "zero":
        items = [(weight, score, False) for weight, score, _ in items]
    return float(total_score(items, policy))


@safe
def perf_subtotal(levels, key, scores) -> Result:
    """The sum of the scores whose level (filled down over merged cells) equals ``key``."""
    names, values = flatten(levels), flatten(scores)
    if len(names) != len(values):
        return "#VALUE!"
    current, total = "", ZERO
    for name, score in zip(names, values):
        current = str(name).strip() if not blank(name) else current
        if current == str(key).strip():
            number = read_number(score)
            if number.invalid:
                return "#VALUE!"
            total += number.value or ZERO
    return float(points(total))


@safe
def perf_parse(text, lang="zh") -> Result:
    """What a target or actual text means: comparator, number, unit or qualitative level."""
    q = parse_quantity(text)
    kinds = {"zh": {"number": "数值", "percent": "百分比", "date": "日期", "qualitative": "定性", "text": "文字（无法识别）",
                    "na": "不适用", "empty": "空"},
             "en": {"number": "number", "percent": "percent", "date": "date", "qualitative": "qualitative",
                    "text": "text (not understood)", "na": "not applicable", "empty": "empty"}}
    table = kinds["en" if str(lang).lower() == "en" else "zh"]
    described = q.describe()
    return f"{table[q.kind.value]}：{described}" if described else table[q.kind.value]


@safe
def perf_check(weight, target, actual, score=None, note=None, method=None, judgement=None, nature=None, unit=None,
               lang="zh", cfg: ScoringConfig | None = None) -> Result:
    """The findings for one row as text ("" when there are none)."""
    cfg = cfg or ScoringConfig()
    ind = _row(weight, target, actual, method, judgement, nature, unit, score, note)
    res = evaluate_row(ind, cfg)
    findings = check_row(res, has_notes=True, tolerance=cfg.tolerance)
    return "；".join(f.message("en" if str(lang).lower() == "en" else "zh") for f in findings)


def method_labels() -> list[str]:
    """The Chinese method names offered in templates' drop-down lists."""
    return list(METHOD_LABELS.values())


__all__ = ["perf_score", "perf_rate", "perf_grade", "perf_total", "perf_subtotal", "perf_parse", "perf_check",
           "first_error", "flatten", "ERRORS", "method_labels"]
