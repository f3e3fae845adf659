"""The indicator table as read from a workbook: plain frozen values, no scoring logic."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Mapping

from xlperf.core.frozen import frozen

if TYPE_CHECKING:
    from xlperf.core.rulespec import RuleSpec

# Field names used for cell positions (Indicator.cells) and in findings.
FIELDS = ("level1", "level2", "level3", "nature", "unit", "weight", "target", "actual",
          "method", "judgement", "score", "note")


@frozen
class Indicator:
    """One scored (level-3) row. Values are raw cell contents; the core parses them."""

    level1: str
    level2: str
    level3: str
    weight: Any
    target: Any
    actual: Any
    stated_score: Any = None
    note: str | None = None
    method: str | None = None  # per-row override (method id or its Chinese label)
    nature: str | None = None  # 指标性质: ≥ ≤ = 定性
    unit: str | None = None  # 度量单位
    judgement: Any = None  # the evaluator's score typed in a template's 评价人评分 column
    row: int | None = None
    cells: Mapping[str, str] = field(default_factory=dict)  # field → A1 reference
    sheet: str | None = None  # set when the row is not on the table's sheet (the budget block's 预算执行率)
    percent: frozenset[str] = frozenset()  # fields whose cells are formatted as percentages
    score_formula: str | None = None  # the score cell's formula, as written (A1)
    rule: RuleSpec | None = None  # the rule that formula implements (set where a form scores by its own formula)


@frozen
class Budget:
    """The budget block (万元 as written). Any figure may be missing."""

    initial: Decimal | None = None  # 年初预算数
    annual: Decimal | None = None  # 全年预算数
    received: Decimal | None = None  # 实际到位资金
    spent: Decimal | None = None  # 全年执行数 / 实际支出
    unit: str = ""
    cells: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None
    lines: tuple[tuple[str, Mapping[str, Decimal]], ...] = ()  # 其中 rows (当年财政拨款 …): label → figures

    def figure(self, name: str, execution_base: str = "received") -> Decimal | None:
        """A named figure; ``execution_base`` resolves to received, falling back to annual."""
        if name == "execution_base":
            first = self.received if execution_base == "received" else self.annual
            return first if first is not None else (self.annual if execution_base == "received" else self.received)
        return getattr(self, name)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {key: (float(val) if val is not None else None)
                               for key, val in (("initial", self.initial), ("annual", self.annual),
                                                ("received", self.received), ("spent", self.spent))}
        out["unit"] = self.unit
        if self.lines:
            out["lines"] = [{"label": label, **{k: float(v) for k, v in figures.items()}} for label, figures in self.lines]
        return out


@frozen
class Stated:
    """A figure the table itself states (total, subtotal, grade) and where."""

    value: Any
    cell: str | None = None
    sheet: str | None = None
    level1: str | None = None
    level2: str | None = None


@frozen
class IndicatorTable:
    """One indicator table with what it states about itself."""

    rows: tuple[Indicator, ...]
    sheet: str = ""
    file: str = ""
    header_row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # field → column letter
    budget: Budget | None = None
    stated_total: Stated | None = None
    stated_grade: Stated | None = None
    stated_subtotals: tuple[Stated, ...] = ()
    exec_row: Indicator | None = None  # self-evaluation form: 预算执行率 scored from the budget block
    stated_weights: tuple[Stated, ...] = ()  # weights written in labels: 产出指标（50分）(level1/level2 set) …

    @property
    def has_notes(self) -> bool:
        return "note" in self.columns

    def all_rows(self) -> tuple[Indicator, ...]:
        """The scored rows, with the budget block's 预算执行率 row first when there is one."""
        return ((self.exec_row,) if self.exec_row else ()) + self.rows
