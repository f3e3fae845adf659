"""The Finding value: a code, a position (file, sheet, cell) and the values behind it."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from typing import Any, Mapping

from xlperf.core.frozen import frozen
from xlperf.findings.codes import CATALOGUE, Severity

FIELD_LABELS = {
    "zh": {"weight": "分值", "score": "得分", "target": "指标值", "actual": "实际完成值", "judgement": "评价人评分",
           "note": "扣分说明", "total": "总分", "grade": "等级", "budget": "预算数"},
    "en": {"weight": "weight", "score": "score", "target": "target", "actual": "actual", "judgement": "evaluator score",
           "note": "note", "total": "total", "grade": "grade", "budget": "budget figure"},
}


def show(value: Any) -> str:
    """Format a value for a message: Decimals without trailing noise, None as empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _localised(value: Any, lang: str) -> Any:
    """A parameter given in both languages ({"zh": …, "en": …}) in the one asked for; others as they are."""
    if isinstance(value, Mapping) and "zh" in value and "en" in value:
        return value["en" if lang == "en" else "zh"]
    return value


@frozen
class Finding:
    """One problem found, where it is, and the expected and found values."""

    code: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    file: str | None = None
    expected: Any = None
    found: Any = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"unknown finding code {self.code}")

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    @property
    def category(self) -> str:
        return CATALOGUE[self.code].category

    def where(self, lang: str = "zh") -> str:
        """The position prefix: 「评分表」K12：/ Sheet 评分表 K12: ."""
        if not self.sheet and not self.cell:
            return ""
        if lang == "en":
            return f"{self.sheet}!{self.cell}: " if self.cell else f"Sheet {self.sheet}: "
        return f"「{self.sheet}」{self.cell or ''}：" if self.sheet else f"{self.cell}："

    def message(self, lang: str = "zh") -> str:
        """The finding rendered from its code's template, position first."""
        code = CATALOGUE[self.code]
        template = code.en if lang == "en" else code.zh
        labels = FIELD_LABELS["en" if lang == "en" else "zh"]
        values = {key: show(_localised(val, lang)) for key, val in self.params.items()}
        if "field" in values:
            values["field"] = labels.get(values["field"], values["field"])
        values.update(expected=show(self.expected), found=show(self.found))
        try:
            body = template.format(**values)
        except (KeyError, IndexError):
            body = template
        return self.where(lang) + body

    def with_file(self, file: str) -> "Finding":
        return Finding(self.code, self.sheet, self.cell, self.row, file, self.expected, self.found, self.params)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Machine-readable form; the message is in ``lang``."""
        return {"code": self.code, "severity": self.severity.value, "sheet": self.sheet, "cell": self.cell,
                "message": self.message(lang), "row": self.row, "expected": show(self.expected),
                "found": show(self.found)}
