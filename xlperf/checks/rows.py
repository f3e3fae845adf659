"""Row checks: cell contents, score bounds, the rule's score, tiers and deduction notes."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from xlperf.core.evaluate import RowResult
from xlperf.core.quantity import Kind
from xlperf.core.rules import FORMULA, method_label
from xlperf.findings import Finding

ZERO = Decimal(0)


def _shown(res: RowResult, which: str) -> str:
    """A target or actual as written: the cell's text, or the parsed value for a bare number."""
    raw = getattr(res.indicator, which)
    quantity = getattr(res, which)
    return raw.strip() if isinstance(raw, str) else quantity.describe()


def _at(res: RowResult, field: str, code: str, **kw) -> Finding:
    ind = res.indicator
    return Finding(code, ind.sheet, ind.cells.get(field) or ind.cells.get("score"), ind.row, **kw)


def _cells(res: RowResult) -> Iterator[Finding]:
    for field, number in (("weight", res.weight), ("score", res.stated), ("judgement", res.judgement)):
        if number.invalid:
            code = "weight-invalid" if field == "weight" else "score-invalid"
            yield _at(res, field, code, found=number.raw)
        elif number.text:
            yield _at(res, field, "number-as-text", found=number.raw, params={"field": field})
    if res.weight.value is not None and res.weight.value < 0:
        yield _at(res, "weight", "weight-invalid", found=res.weight.raw)


def _blank(res: RowResult) -> Iterator[Finding]:
    """A score left blank: the evaluator's cell of a judged row, or a typed score cell (a rule never fills it in)."""
    cells = res.indicator.cells
    if res.not_applicable or res.stated.invalid or res.judgement.invalid:
        return
    if "judgement" in cells:  # templates: only the 评价人评分 of rows no rule scores is typed
        if res.outcome.score is None and res.outcome.problem is None:
            yield _at(res, "judgement", "score-missing")
    elif res.indicator.score_formula is None:
        yield _at(res, "score", "score-missing")


def _bounds(res: RowResult, weight: Decimal) -> Iterator[Finding]:
    own = res.judgement if res.judgement.value is not None else res.stated
    field = "judgement" if own is res.judgement else "score"
    if own.value is None:
        yield from _blank(res)
        return
    if own.value > weight:
        yield _at(res, field, "score-above-weight", expected=weight, found=own.value)
    elif own.value < 0:
        yield _at(res, field, "score-negative", expected=weight, found=own.value)


def _note_cell(res: RowResult) -> bool:
    """Whether the row has a place for a deduction note (the budget block's 预算执行率 has none)."""
    cells = res.indicator.cells
    return not cells or "note" in cells


def _explain(res: RowResult) -> dict[str, str]:
    """A short account of the rule's arithmetic for the message, in both languages."""
    out = res.outcome
    actual = res.actual.describe() if res.budget_rate is None else f"{res.budget_rate * 100:.2f}%"
    target = res.target.describe()
    if res.method == "reverse" and res.target.comparator is None:
        target = f"≤{target}"  # 成本 written as a plain number: lower is better
    if out.met:
        return {"zh": f"{actual} 已达到 {target}，应得满分", "en": f"{actual} meets {target}: full marks"}
    if out.ratio is None:
        return {"zh": actual, "en": actual}
    return {"zh": f"{actual} 对 {target}，比例 {out.ratio:.4f}", "en": f"{actual} against {target}, ratio {out.ratio:.4f}"}


def _rule(res: RowResult, weight: Decimal, has_notes: bool, tolerance: Decimal) -> list[Finding]:
    """The rule's findings for a row (a list, not a generator: nearly every row has none)."""
    out, stated = res.outcome, res.stated.value
    findings: list[Finding] = []
    if out.problem:
        found = res.target.text if out.problem == "target-unparsed" else res.actual.text
        findings.append(_at(res, "actual" if out.problem != "target-unparsed" else "target", out.problem, found=found,
                            params={"target": _shown(res, "target"), "actual": _shown(res, "actual")}))
    evaluator = res.evaluator_score
    if evaluator is None or evaluator < 0 or evaluator > weight:
        return findings
    if evaluator < weight and not (res.indicator.note or "").strip():  # deducted without a note (most rows: full)
        if out.met:
            findings.append(_at(res, "score", "target-met-deducted", expected=weight, found=evaluator,
                                params={"target": _shown(res, "target"), "actual": _shown(res, "actual")}))
        elif has_notes and _note_cell(res) and not res.not_applicable:
            findings.append(_at(res, "note", "note-missing", expected=weight, found=evaluator))
    if out.score is not None and stated is not None and abs(stated - out.score) > tolerance:
        findings.append(_at(res, "score", "score-rule-mismatch", expected=out.score, found=stated,
                            params={"method": {"zh": method_label(res.method), "en": res.method},
                                    "explain": _explain(res)}))
    elif out.score is None and out.bounds and not (out.bounds[0] <= evaluator <= out.bounds[1]):
        field = "judgement" if res.judgement.value is not None else "score"
        findings.append(_at(res, field, "tier-mismatch", found=evaluator,
                            params={"target": _shown(res, "target"), "actual": _shown(res, "actual"),
                                    "low": out.bounds[0], "high": out.bounds[1]}))
    return findings


def _budget(res: RowResult) -> Iterator[Finding]:
    """A rate row whose stated rate the budget figures contradict (at 0.01 % precision)."""
    if res.budget_rate is None or res.actual.kind is not Kind.PERCENT:
        return
    if abs(res.actual.value - res.budget_rate) >= Decimal("0.00005"):
        yield _at(res, "actual", "rate-budget-mismatch", expected=f"{res.budget_rate * 100:.2f}%",
                  found=res.actual.text, params={"name": res.indicator.level3, "formula": res.budget_formula})


def check_row(res: RowResult, has_notes: bool = True, tolerance: Decimal = Decimal("0.01"),
              scored: bool = True) -> list[Finding]:
    """All row-level findings for one evaluated row (positions from the row's cells). ``scored`` False: the
    form has no score at all (one table finding says so), so blank scores are not reported row by row."""
    weight = res.weight.value if res.weight.value is not None and res.weight.value >= 0 else ZERO
    number, stated, judgement = res.weight, res.stated, res.judgement
    found = list(_cells(res)) if number.invalid or number.text or stated.invalid or stated.text or \
        judgement.invalid or judgement.text or (number.value is not None and number.value < 0) else []
    if res.method == FORMULA:
        found.append(_at(res, "score", "score-formula-unrecognised", params={"formula": res.indicator.score_formula}))
    if res.method_error:
        found.append(_at(res, "method", "method-unknown", found=res.method_error, expected=method_label(res.method)))
    if res.percent_doubt:
        found.append(_at(res, "actual", "percent-doubtful", found=res.indicator.actual,
                         params={"target": _shown(res, "target"), "percent": f"{(res.actual.value * 100).normalize():f}%"}))
    if res.not_applicable and weight > 0:
        found.append(_at(res, "weight", "na-weighted", found=weight))
    if scored:
        own = res.judgement.value
        own = own if own is not None else res.stated.value
        if own is None or not 0 <= own <= weight:  # nearly every row is within its bounds: no generator then
            found.extend(_bounds(res, weight))
    if res.budget_rate is not None:
        found.extend(_budget(res))
    found += _rule(res, weight, has_notes, tolerance)
    return found
