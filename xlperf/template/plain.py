"""Plain Excel formulas for a template row: score (得分), the rule a row follows, and its 校验提示.

Every formula uses only functions Excel 2007, WPS and LibreOffice evaluate alike, and the scoring
arithmetic is printed from :mod:`xlperf.core.ruletable`, the table the core evaluates. Each row has three
hidden helper cells: N the method the core applies (a constant, or a formula where the unit chooses the
method or 指标性质), O and P the level codes of the actual and the target wordings (see ``wording``).

Messages of the check cell follow ``xlperf.checks.rows.check_row`` in order, each standing for one
finding code (:data:`MESSAGES`), so the tests can compare a recalculated sheet with the core's findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlperf.core.config import ScoringConfig
from xlperf.core.evaluate import PERCENT_UNITS
from xlperf.core.expr import Var
from xlperf.core.expr import excel_literal as q
from xlperf.core.quantity import NA_WORDS
from xlperf.core.ruletable import cents, rule_exprs
from xlperf.core.rules import METHOD_LABELS
from xlperf.template.plan import NUMERIC, RowPlan
from xlperf.template.wording import level_code, same_text

LABEL = METHOD_LABELS
NUMERIC_ORDER = ("proportional", "reverse", "equal", "rate", "interval")
NA_EXACT = ("/", "-", "—", "无", "－", "——")

# Finding code → the short text the plain check cell shows for it (its order is check_row's).
MESSAGES: dict[str, str] = {
    "weight-invalid": "分值应为不小于 0 的数字",
    "score-invalid": "评价人评分应填数字",
    "method-unknown": "评分方法无效，已按指标值推断",
    "na-weighted": "不适用指标的分值应为 0",
    "score-missing": "请填写评价人评分",
    "score-above-weight": "得分超过分值",
    "score-negative": "得分不能为负数",
    "target-unparsed": "指标值应填数字",
    "actual-missing": "请填写实际完成值",
    "actual-unparsed": "实际完成值应填数字",
    "target-met-deducted": "已达到指标值却扣分，请说明原因",
    "note-missing": "得分低于分值，请填写扣分说明",
}
BUDGET_MISSING = "请在基本信息中填写预算资金"  # actual-missing where 实际完成值 comes from the budget block


@dataclass(frozen=True)
class Row:
    """The cells of data row ``r`` and how this row's formulas refer to them."""

    r: int
    plan: RowPlan
    cfg: ScoringConfig
    weight_input: bool
    nature_input: bool
    scales: str | None = None

    def __getattr__(self, col: str) -> str:  # row.F → "F12"
        if len(col) == 1 and col.isupper():
            return f"{col}{self.r}"
        raise AttributeError(col)

    @property
    def w(self) -> str:
        """The weight a rule multiplies: the cell, or, where the unit types it, 0 for text or a negative."""
        return f"MAX(0,N({self.F}))" if self.weight_input else self.F

    @property
    def judged_score(self) -> str:
        """The evaluator's score within 0…weight (the core's clamp), or blank."""
        if not self.plan.judged:
            return '""'
        return f'IF(ISNUMBER({self.J}),MAX(0,MIN({self.w},{self.J})),"")'

    @property
    def target(self) -> str:
        return self.plan.literal["target"] if self.plan.literal else self.G

    @property
    def ok(self) -> str:
        """Both numbers are there, so a numeric rule can run."""
        if self.plan.literal:
            return f"ISNUMBER({self.H})"
        return f"AND(ISNUMBER({self.G}),ISNUMBER({self.H}))"

    def rule(self, method: str, comparator: str | None, part: str = "score") -> str:
        exprs = rule_exprs(method, self.cfg, comparator)
        refs = {"weight": self.w, "target": self.target, "actual": self.H, "rate": self.H,
                "high": (self.plan.literal or {}).get("high", "0")}
        if method == "rate" and self.nature_input and not self.plan.percent:
            # 指标值 95 with 度量单位 % is 95 % to the core (evaluate.in_context): the rate's cap and rounding see 0.95
            points = "OR(" + ",".join(f"TRIM({self.E})={q(unit)}" for unit in sorted(PERCENT_UNITS)) + ")"
            refs |= {"rate": f"IF({points},{self.H}/100,{self.H})", "target": f"IF({points},{self.G}/100,{self.G})"}
        return getattr(exprs, part).excel(refs)

    def by_nature(self, method: str, part: str = "score") -> str:
        """A rule whose comparator comes from 指标性质 typed by the unit (or the plan's, when fixed)."""
        if not self.nature_input:
            return self.rule(method, self.plan.comparator, part)
        if method == "interval":
            return f'IF({self.D}="≤",{self.rule(method, "<=", part)},{self.rule(method, ">=", part)})'
        if method == "proportional":
            return (f'IF({self.D}="≤",{self.rule(method, "<=", part)},IF({self.D}="=",{self.rule(method, "=", part)},'
                    f'{self.rule(method, ">=", part)}))')
        return self.rule(method, "<=" if method == "reverse" else None, part)

    @property
    def met_wording(self) -> str:
        """The core's qualitative_met through the helper level codes (O actual, P target)."""
        if self.plan.date:
            op = ">=" if self.plan.comparator in (">=", ">") else "<="
            return f"AND(ISNUMBER({self.H}),{self.H}{op}{self.G})"
        return f"IF(AND({self.O}>0,{self.P}>0,INT({self.O}/100)=INT({self.P}/100)),{self.O}>={self.P}," \
               f"{same_text(self.G, self.H)})"


# --- the method a row follows (hidden helper N) -----------------------------------------------------

def _na_text(cell: str) -> str:
    x = f'SUBSTITUTE({cell}," ","")'
    exact = [f"{x}={q(word)}" for word in NA_EXACT]
    found = [f"ISNUMBER(SEARCH({q(word.lower())},{x}))" for word in dict.fromkeys(w.lower() for w in NA_WORDS)]
    return "OR(" + ",".join(exact + found) + ")"


def method_formula(row: Row, role_judged: bool) -> str:
    """The method label the core applies to a row whose method and 指标性质 the unit chooses (infer_method)."""
    labels = "{" + ",".join(q(label) for label in LABEL.values()) + "}"
    judged = q(LABEL["judgement"] if role_judged else LABEL["qualitative"])
    fallback = q(LABEL["judgement"]) if role_judged else \
        f'IF({row.P}>0,{q(LABEL["qualitative"])},{q(LABEL["judgement"])})'
    lower = row.plan.ind.level2 and any(word in row.plan.ind.level2 for word in row.cfg.lower_better_level2)
    plain = q(LABEL["proportional"])
    if lower and not row.plan.percent:  # 成本指标 written as a plain number without 指标性质: lower is better
        plain = f'IF(LEN(TRIM({row.D}))=0,{q(LABEL["reverse"])},{plain})'
    inferred = (f'IF(AND({row.D}="≤",ISNUMBER({row.G})),{q(LABEL["reverse"])},IF({row.D}="定性",{judged},'
                f'IF(ISNUMBER({row.G}),IF({row.D}="=",{q(LABEL["equal"])},{plain}),{fallback})))')
    na = f'OR({_na_text(row.G)},{_na_text(row.H)},ISNUMBER(FIND("不适用",{row.C})))'
    chosen = f"IF({na},{q(LABEL['na'])},{inferred})"
    for name, method in reversed(list(row.cfg.method_overrides.items())):
        chosen = f"IF(TRIM({row.C})={q(name)},{q(LABEL[method])},{chosen})"
    return f'=IF(AND({row.I}<>"",ISNUMBER(MATCH({row.I},{labels},0))),{row.I},{chosen})'


# --- score (K) -----------------------------------------------------------------------------------------

def _numeric(row: Row, method: str) -> str:
    return f"IF({row.ok},{row.by_nature(method)},{row.judged_score})"


def _deadline(row: Row) -> str:
    return f"IF({row.met_wording},{cents(Var('w')).excel({'w': row.w})},{row.judged_score})"


def score_formula(row: Row) -> str:
    """得分: the rule's score, the evaluator's within 0…weight, or blank while inputs are missing."""
    method = row.plan.method
    if method is None:
        n = row.N
        numeric = ",".join(row.by_nature(m) for m in NUMERIC_ORDER)
        labels = "{" + ",".join(q(LABEL[m]) for m in NUMERIC_ORDER) + "}"
        return (f'=IF({n}={q(LABEL["na"])},0,IF(OR({n}={q(LABEL["judgement"])},{n}={q(LABEL["qualitative"])}),'
                f'{row.judged_score},IF({n}={q(LABEL["deadline"])},{_deadline(row)},'
                f'IF({row.ok},CHOOSE(MATCH({n},{labels},0),{numeric}),{row.judged_score}))))')
    if method == "na":
        return "=0"
    if method in NUMERIC or method == "rate":
        return "=" + _numeric(row, method)
    if method == "deadline":
        return "=" + _deadline(row)
    return "=" + row.judged_score


# --- check (M) -----------------------------------------------------------------------------------------
# Conditions known when the template is built fold away: no TRUE/FALSE literal reaches a formula
# (LibreOffice would store it as TRUE()), and rows only carry the checks that can fire there.

T, F = "TRUE", "FALSE"


def _if(cond: str, then: str, other: str) -> str:
    return then if cond == T else other if cond == F else f"IF({cond},{then},{other})"


def _and(*conds: str) -> str:
    kept = [c for c in conds if c != T]
    if F in kept:
        return F
    return T if not kept else kept[0] if len(kept) == 1 else "AND(" + ",".join(kept) + ")"


def _not(cond: str) -> str:
    return F if cond == T else T if cond == F else f"NOT({cond})"


def _say(cond: str, code: str) -> str:
    return _if(cond, f'"；{MESSAGES[code]}"', '""')


def _numeric_labels() -> str:
    return "{" + ",".join(q(LABEL[m]) for m in NUMERIC_ORDER) + "}"


def _is_na(row: Row) -> str:
    if row.plan.method is None:
        return f'{row.N}={q(LABEL["na"])}'
    return T if row.plan.method == "na" else F


def _met(row: Row) -> str:
    """Whether the core's outcome says the target is met."""
    method = row.plan.method
    if method is None:
        n, labels = row.N, _numeric_labels()
        mets = ",".join(row.by_nature(m, "met") for m in NUMERIC_ORDER)
        return (f"IF(AND(ISNUMBER(MATCH({n},{labels},0)),{row.ok}),CHOOSE(MATCH({n},{labels},0),{mets}),"
                f'AND({n}<>{q(LABEL["na"])},{row.met_wording}))')
    if method == "na":
        return F
    if method in NUMERIC or method == "rate":
        return f"IF({row.ok},{row.by_nature(method, 'met')},{same_text(row.G, row.H)})"
    return row.met_wording


def _judged(row: Row) -> str:
    """Whether the evaluator's score counts (the rule gives none) with no problem stopping a rule."""
    method = row.plan.method
    if method is None:
        n = row.N
        return (f'OR({n}={q(LABEL["judgement"])},{n}={q(LABEL["qualitative"])},'
                f'AND({n}={q(LABEL["deadline"])},NOT({row.met_wording})))')
    if method in ("judgement", "qualitative"):
        return T
    return f"NOT({row.met_wording})" if method == "deadline" else F


def _problem(row: Row) -> str:
    """Why a numeric rule cannot run (rules._numbers), as a message; only for numeric methods."""
    method = row.plan.method
    if method is not None and method not in NUMERIC and method != "rate":
        return '""'
    missing = BUDGET_MISSING if row.plan.link else MESSAGES["actual-missing"]
    text = (f'IF(LEN(TRIM({row.H}))=0,"；{missing}",'
            f'IF(NOT(ISNUMBER({row.H})),"；{MESSAGES["actual-unparsed"]}",""))')
    if not row.plan.literal:
        text = f'IF(NOT(ISNUMBER({row.G})),"；{MESSAGES["target-unparsed"]}",{text})'
    if method is None:
        return f'IF(ISNUMBER(MATCH({row.N},{_numeric_labels()},0)),{text},"")'
    return text


def check_formula(row: Row) -> str:
    """校验提示: the row's findings the core would report, as short texts separated by "；"."""
    plan, w, na = row.plan, row.w, _is_na(row)
    ev = f"IF(ISNUMBER({row.J}),{row.J},{row.K})" if plan.judged else row.K
    parts = []
    if row.weight_input:
        parts.append(_say(f"AND(LEN(TRIM({row.F}))>0,NOT(ISNUMBER({row.F})))", "weight-invalid"))
    if plan.judged:
        parts.append(_say(f"AND(LEN(TRIM({row.J}))>0,NOT(ISNUMBER({row.J})))", "score-invalid"))
    if row.weight_input:
        parts.append(_say(f"AND(ISNUMBER({row.F}),{row.F}<0)", "weight-invalid"))
    if plan.method is None:
        labels = "{" + ",".join(q(label) for label in LABEL.values()) + "}"
        parts.append(_say(f'AND({row.I}<>"",ISNA(MATCH({row.I},{labels},0)))', "method-unknown"))
    parts.append(_say(_and(na, f"{w}>0"), "na-weighted"))
    bounds = f'IF({ev}>{w},"；{MESSAGES["score-above-weight"]}",IF({ev}<0,"；{MESSAGES["score-negative"]}",""))'
    typed_text = f"AND(LEN(TRIM({row.J}))>0,NOT(ISNUMBER({row.J})))" if plan.judged else F
    parts.append(_if(f"ISNUMBER({ev})", bounds, _say(_and(_judged(row), _not(na), _not(typed_text)), "score-missing")))
    parts.append(_problem(row))
    deduction = _if(_met(row), f'"；{MESSAGES["target-met-deducted"]}"', _say(_not(na), "note-missing"))
    parts.append(_if(f"AND(ISNUMBER({ev}),{ev}>=0,{ev}<{w},LEN(TRIM({row.L}))=0)", deduction, '""'))
    kept = [part for part in parts if part != '""']
    return "=MID(" + "&".join(kept) + ",2,999)" if kept else '=""'


# --- helper cells O and P: level codes of the actual and the target wordings ---------------------------

def actual_level_formula(row: Row) -> str:
    return "=" + level_code(row.H, row.scales)


def target_level_formula(row: Row) -> str:
    return "=" + level_code(row.G, row.scales)


__all__ = ["Row", "MESSAGES", "BUDGET_MISSING", "score_formula", "check_formula", "method_formula", "actual_level_formula",
           "target_level_formula"]
