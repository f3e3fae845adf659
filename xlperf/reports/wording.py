"""The published reports' sentences, filled with one evaluated row or level.

Wording follows the two seed reports: "预算执行率（满分 5 分，得分 4.71 分）。", "项目产出满分 45 分，
得分 45 分，得分率 100.00%。", "预算执行率一项扣 0.29 分", and the conclusion "…总得分为 98.37 分，评级为
“优”". ``xlperf score`` reads exactly these forms back (``sentences``), so a generated report checks clean.
"""

from __future__ import annotations

from decimal import Decimal

from xlperf.core.config import ScoringConfig
from xlperf.core.evaluate import RowResult
from xlperf.core.model import Budget
from xlperf.core.rounding import points
from xlperf.core.rules import METHOD_LABELS
from xlperf.core.totals import LevelTotal
from xlperf.reports.numbers import number, pct, pts, quantity_text, quantity_value

BUDGET_LABELS = {"spent": "实际支出", "received": "实际到位资金", "annual": "全年预算数", "initial": "年初预算数"}
_END = "。；;，,.!！"


def deduction(res: RowResult) -> Decimal | None:
    """Points deducted from a row (weight − score), or None when it has full marks or is not applicable."""
    weight, score = res.weight.value, res.score
    if res.not_applicable or weight is None or score is None or score >= weight:
        return None
    return points(weight - score)


def actual_text(res: RowResult) -> str:
    """The 实际完成值 a report prints: for a rate the budget figures give, that rate (the one scored)."""
    if res.budget_rate is not None:
        return pct(res.budget_rate)
    return quantity_text(res.indicator.actual, res.actual)


def _typed_differs(res: RowResult) -> str:
    """'（评分表填报为 100%）' when the table's typed rate is not the one the budget figures give."""
    typed = quantity_text(res.indicator.actual, res.actual)
    if res.budget_rate is None or not typed or res.actual.value is None:
        return ""
    if pct(res.actual.value) == pct(res.budget_rate):
        return ""
    return f"（评分表填报为 {typed}）"


def _clause(text: str | None) -> str:
    return (text or "").strip().rstrip(_END)


def _fields(name: str, cfg: ScoringConfig) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The budget figures (in order of preference) that the core divides for a rate row, from the framework."""
    for key, (num, den) in cfg.budget_rates.items():
        if key in name:
            base = ("received", "annual") if cfg.execution_base == "received" else ("annual", "received")
            expand = lambda field: base if field == "execution_base" else (field,)  # noqa: E731
            return expand(num), expand(den)
    return (), ()


def _budget_label(value: str, budget: Budget | None, fields: tuple[str, ...]) -> str:
    """The budget block's name for a figure of a rate's formula ('2916.35' → 实际到位资金)."""
    for name in fields:
        figure = getattr(budget, name, None) if budget else None
        if figure is not None and number(figure) == number(Decimal(value)):
            return BUDGET_LABELS[name]
    return ""


def rate_figures(res: RowResult, budget: Budget | None, cfg: ScoringConfig) -> str:
    """'实际支出 2747.33 万元 ÷ 实际到位资金 2916.35 万元' from the core's budget formula."""
    num, _, den = (res.budget_formula or "").partition(" / ")
    if not den:
        return ""
    unit = budget.unit if budget and budget.unit else ""
    num_fields, den_fields = _fields(res.indicator.level3, cfg)
    left, right = _budget_label(num, budget, num_fields), _budget_label(den, budget, den_fields)
    return " ".join(f"{left} {number(Decimal(num))} {unit} ÷ {right} {number(Decimal(den))} {unit}".split())


def _numeric_text(res: RowResult, budget: Budget | None, cfg: ScoringConfig) -> str:
    """How a rule's score arises: the rule and its arithmetic, from the core's outcome."""
    out, weight = res.outcome, pts(res.weight.value)
    if res.method == "rate":
        figures = rate_figures(res, budget, cfg)
        lead = f"{res.indicator.level3}为 {pct(res.budget_rate)}（{figures}），" if figures else ""
        return f"{lead}按比率×分值计分：{weight} × {pct(out.ratio)} = {pts(res.score)} 分。"
    if out.met:
        return "已达到指标值，得满分。"
    if res.method == "proportional" and out.ratio is not None:
        return (f"未达到指标值，按正向比例计分：{weight} × {quantity_value(res.actual)} ÷ "
                f"{quantity_value(res.target)} = {pts(res.score)} 分。")
    if res.method == "reverse" and out.ratio is not None:
        return (f"超过指标值，按反向计分：{weight} × {quantity_value(res.target)} ÷ "
                f"{quantity_value(res.actual)} = {pts(res.score)} 分。")
    return f"按{METHOD_LABELS[res.method]}计分，得 {pts(res.score)} 分。"


def _rule_text(res: RowResult, budget: Budget | None, cfg: ScoringConfig) -> str:
    if res.outcome.score is not None:
        return _numeric_text(res, budget, cfg)
    verdict = {True: "已达到指标值，", False: "未达到指标值，"}.get(res.outcome.met, "")
    return f"{verdict}由评价人按评分标准评分。"


def indicator_paragraph(res: RowResult, budget: Budget | None, cfg: ScoringConfig) -> str:
    """One paragraph per scored row: 满分 / 得分, the figures behind the score, the deduction and its reason."""
    ind = res.indicator
    parts = [f"{ind.level3}（满分 {pts(res.weight.value)} 分，得分 {pts(res.score)} 分）。"]
    target, actual = quantity_text(ind.target, res.target), actual_text(res)
    if target or actual:
        parts.append(f"指标值 {target or '—'}，实际完成值 {actual or '—'}{_typed_differs(res)}。")
    parts.append(_rule_text(res, budget, cfg))
    lost = deduction(res)
    if lost is not None:
        reason = _clause(ind.note)
        parts.append(f"该项扣 {pts(lost)} 分" + (f"，扣分原因：{reason}。" if reason else "。"))
    return "".join(parts)


def level_sentence(name: str, level: LevelTotal) -> str:
    """'项目产出满分 45 分，得分 45 分，得分率 100.00%。'"""
    return f"{name}满分 {pts(level.weight)} 分，得分 {pts(level.score)} 分，得分率 {pct(level.rate)}。"


def conclusion(level_names: list[str], total: Decimal, grade: str) -> str:
    """'综合考虑项目决策、项目管理、产出和效益等各方面因素，本项目绩效评价总得分为 98.37 分，评级为“优”，…'"""
    names = "、".join(level_names[:-1]) + ("和" if len(level_names) > 1 else "") + level_names[-1] if level_names else ""
    lead = f"综合考虑{names}等各方面因素，" if names else ""
    return f"{lead}本项目绩效评价总得分为 {pts(total)} 分，评级为“{grade}”，具体评分情况如下："


def problem(res: RowResult) -> str:
    """One 存在问题 item built from a deduction: what was lost and why."""
    ind = res.indicator
    reason = _clause(ind.note)
    if not reason and res.outcome.met is False:
        target, actual = quantity_text(ind.target, res.target), actual_text(res)
        if target and actual:
            reason = f"实际完成值 {actual}，未达到指标值 {target}"
    lost = pts(deduction(res))
    return f"{ind.level3}一项扣 {lost} 分。" + (f"{reason}。" if reason else "")
