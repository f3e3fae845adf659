"""What each template row holds: the method, and the target split into helper cells as the official forms have them.

A target such as ``≥70人`` is written as 指标性质 ``≥``, 度量单位 ``人`` and 指标值 ``70`` (a number, or a
fraction formatted as a percentage, or a date), so a plain Excel formula can compare it with the actual
value. The core reads these three cells back into the same target (``evaluate.in_context``). A target a
formula cannot use as a number (a wording, a range such as ``90%-95%``) stays as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlperf.core.evaluate import in_context
from xlperf.core.frameworks import Framework, FrameworkIndicator
from xlperf.core.quantity import Kind, parse_quantity
from xlperf.core.rules import infer_method

GLYPHS = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<", None: "≥"}
NATURES = ("≥", "≤", "=", "定性")  # the 指标性质 a unit may choose (self-evaluation rows)
RATE_LINKS = {"预算执行率": "=基本信息!$B$14", "资金到位率": "=基本信息!$B$13"}
JUDGED = frozenset({"judgement", "qualitative", "deadline"})
NUMERIC = frozenset({"proportional", "reverse", "equal", "interval"})


@dataclass(frozen=True)
class RowPlan:
    """One data row of the 评分表.

    ``method`` is None where the unit chooses it (self-evaluation rows: 评分方法 and 指标性质 are inputs).
    ``target`` is the 指标值 cell's value; ``literal`` gives the numbers a formula uses instead of the cell
    where the cell keeps text (a range target: ``{"target": "0.9", "high": "0.95"}``).
    """

    ind: FrameworkIndicator
    method: str | None
    comparator: str | None
    nature: str
    unit: str
    target: Any
    literal: dict[str, str] | None = None
    percent: bool = False
    date: bool = False
    link: str | None = None
    grow: bool = False

    @property
    def dynamic(self) -> bool:
        return self.method is None

    @property
    def judged(self) -> bool:
        """Whether the evaluator types a score (评价人评分 is an input)."""
        return self.method is None or self.method in JUDGED


def _method(fw: Framework, ind: FrameworkIndicator) -> str | None:
    if ind.method:
        return ind.method
    if fw.kind == "self":
        return None
    return infer_method(ind.level1, ind.level3, parse_quantity(ind.target), parse_quantity(""), fw.config, ind.nature,
                        None, ind.level2)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _split(ind: FrameworkIndicator, method: str | None) -> dict[str, Any]:
    """nature, unit, target cell value and formats for one framework row."""
    q = in_context(parse_quantity(ind.target), None, ind.unit)  # 指标值 95 with 度量单位 % is 95 %
    nature, unit = ind.nature, ind.unit
    if q.kind is Kind.DATE and q.date:
        return dict(nature=nature or GLYPHS.get(q.comparator or "<="), unit=unit, target=q.date, date=True,
                    comparator=q.comparator or "<=")
    if q.numeric and q.comparator == "between":
        literal = {"target": _lit(q.value), "high": _lit(q.high)}
        return dict(nature=nature, unit=unit or q.unit, target=ind.target, literal=literal, comparator="between",
                    percent=q.kind is Kind.PERCENT)
    if q.numeric:
        comparator = q.comparator or {"≤": "<=", "=": "="}.get(nature) or ("<=" if method == "reverse" else None)
        return dict(nature=nature or GLYPHS[comparator], unit=unit or q.unit, target=_number(q.value),
                    percent=q.kind is Kind.PERCENT, comparator=comparator)
    if q.kind in (Kind.QUALITATIVE, Kind.TEXT) and method not in NUMERIC and method != "rate":
        return dict(nature=nature or "定性", unit=unit, target=ind.target)
    return dict(nature=nature, unit=unit, target=ind.target or None, percent=unit.strip() in ("%", "％"))


def _lit(value: Decimal | None) -> str:
    return format(value.normalize() + 0, "f") if value is not None else "0"


def plan_rows(fw: Framework) -> list[RowPlan]:
    """The plan of every data row of a framework's template, in order."""
    grow = bool(fw.extra.get("grow", False))
    inputs = set(fw.extra.get("inputs", ()))
    plans = []
    for ind in fw.indicators:
        method = _method(fw, ind)
        parts = _split(ind, method)
        parts.setdefault("comparator", None)
        link = next((formula for name, formula in RATE_LINKS.items() if name in ind.level3), None)
        if link:
            parts["percent"] = True
        plans.append(RowPlan(ind, method, link=link, grow=grow and "level3" in inputs and not link, **parts))
    return plans


__all__ = ["RowPlan", "plan_rows", "GLYPHS", "NATURES", "RATE_LINKS", "JUDGED", "NUMERIC"]
