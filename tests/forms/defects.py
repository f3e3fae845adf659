"""The correct forms with one thing a reviewer would catch, and the finding each must give, at its cell."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from tests.forms.model import Form, Placed
from tests.forms.specs import mof, mof_budget, sichuan, yunnan


@dataclass
class Defect:
    """A form and the findings it must give: (code, where) with where a function of the placed form."""

    base: str  # the correct form it changes
    make: Callable[[], Form]
    expect: list[tuple[str, Callable[[Placed], str]]]
    framework: str = "generic"


def _line(form: Form, level3: str, **changes) -> Form:
    lines = [replace(line, **changes) if line.level3 == level3 else line for line in form.lines]
    return replace(form, lines=lines)


def _index(form: Form, level3: str) -> int:
    return next(i for i, line in enumerate(form.lines) if line.level3 == level3)


def _at(role: str, level3: str, base: Callable[[], Form]) -> Callable[[Placed], str]:
    return lambda placed: placed.cell(role, _index(base(), level3))


DEFECTS: dict[str, Defect] = {
    # the target copied into 实际完成值: not a result, so not scored by rule
    "mof_threshold_actual": Defect("mof", lambda: _line(mof(), "持证就业率", actual="≥85%", score=15, note=None),
                                   [("actual-is-threshold", _at("actual", "持证就业率", mof))]),
    "yunnan_threshold_glyph": Defect("yunnan", lambda: _line(yunnan(), "学员满意度", actual="≧９０％"),
                                     [("actual-is-threshold", _at("actual", "学员满意度", yunnan))]),
    # a score left blank: the rule does not fill it in
    "mof_blank_score": Defect("mof", lambda: _line(mof(), "培训人次", score=None),
                              [("score-missing", _at("score", "培训人次", mof))]),
    "mof_blank_budget_score": Defect("mof", lambda: replace(mof(), budget=mof_budget(score=None)),
                                     [("score-missing", lambda placed: placed.budget["score"])]),
    # 总分 against the rows although the form keeps empty 指标1： and 生态效益 rows
    "mof_total_wrong": Defect("mof", lambda: replace(mof(), total=98.71),
                              [("total-mismatch", lambda placed: placed.total)]),
    # 成本 scored proportionally by hand (9.00): the form's rule for plain numbers is lower-is-better (10)
    "mof_cost_proportional": Defect("mof", lambda: _line(mof(), "人均培训成本（元）", formula=None, score=9,
                                                         note="人均成本高于往年。"),
                                    [("score-rule-mismatch", _at("score", "人均培训成本（元）", mof))]),
    # nothing scored at all: not graded, one finding
    "mof_unscored": Defect("mof", lambda: replace(
        mof(lines=[replace(line, score=None, formula=None, note=None) for line in mof().lines]),
        budget=mof_budget(score=None)), [("form-unscored", lambda placed: f"{placed.columns['score']}{placed.header_row}")]),
    # 效益指标（25分） over rows that weigh 30
    "sichuan_label_weight": Defect("sichuan", lambda: replace(sichuan(), level_points={**sichuan().level_points, "效益指标": 25}),
                                   [("weight-label-mismatch", lambda placed: placed.labels["效益指标"])]),
    # 评价等级 良 under a total of 99.18
    "sichuan_grade": Defect("sichuan", lambda: replace(sichuan(), grade=("row", "良")),
                            [("grade-mismatch", lambda placed: placed.grade)]),
}
