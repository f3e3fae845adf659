"""A form as data, the way an office filled it in, and where ``render`` put each part of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPLIT = ("nature", "target", "unit")


@dataclass
class Line:
    """One row of the indicator table as the office typed it (``formula`` computes its score)."""

    level1: str
    level2: str
    level3: str | None
    weight: Any = None
    target: Any = None
    actual: Any = None
    score: Any = None
    note: str | None = None
    nature: str | None = None
    unit: str | None = None
    criteria: str | None = None
    formula: str | None = None
    percent: tuple[str, ...] = ()  # roles holding fractions shown as percentages
    ignored: bool = False  # a row the reader must leave out (指标1：, ……, empty rows, 其中 sub-items)


@dataclass
class Budget:
    """The budget block: the total line first, then its 其中 lines; ``rate``/``score`` may be formulas
    over {initial} {annual} {spent} {weight} {rate} of the total line."""

    lines: list[tuple[str, tuple]]
    labels: tuple[str, ...] = ("年初预算数", "全年预算数", "全年执行数")
    title: str = "项目资金（万元）"
    weight: Any = 10
    rate: Any = None
    score: Any = None
    vertical: bool = False  # labels down a column, figures beside them (on a sheet of its own)


@dataclass
class Form:
    lines: list[Line]
    roles: tuple[str, ...] = ("level1", "level2", "level3", "target", "actual", "weight", "score", "note")
    headers: dict[str, str] = field(default_factory=dict)
    block: str | None = None  # a left column labelling the grid (绩效指标), merged down beside it
    two_row: bool = False  # 年度指标值 over 指标性质 / 指标值 / 度量单位
    level_points: dict[str, Any] = field(default_factory=dict)  # 产出指标 → 50: written 产出指标（50分）
    title: tuple[str, ...] = ("项目支出绩效自评表", "（2024年度）")
    info: tuple[tuple[str, str], ...] = ()
    budget: Budget | None = None
    tasks: bool = False
    goals: bool = False
    total: Any = "SUM"  # a number, "SUM" (a formula) or None (no 总分 row)
    total_label: str = "总分"
    grade: tuple[str, Any] | None = None  # ("row", "优"), ("total", "等级：优"), ("label", "优")
    conclusion: str | None = None
    sheet: str = "自评表"


@dataclass
class Placed:
    """Where render put things (A1 references)."""

    path: Path | None
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)  # one per Line, in order
    total: str | None = None
    grade: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # level1 label → its cell
    block: str | None = None
    budget: dict[str, str] = field(default_factory=dict)  # initial/annual/spent/weight/rate/score → cell

    def cell(self, role: str, index: int) -> str:
        return f"{self.columns[role]}{self.rows[index]}"
