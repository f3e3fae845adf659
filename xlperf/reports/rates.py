"""Rates a report's text states ("专项资金预算执行率 99.90%"), against the amounts the same paragraph gives
("全年实际总预算金额为 9620 万元，实际支出 9610.81 万元") and against the score table's 实际完成值 (100 %).

A rate is compared at the precision it is written with: 99.90 % and a table's 99.9 % agree, 100 % does not.
The amounts are tried in every pairing the paragraph allows (实际到位 or 预算 as the base of 预算执行率), so a
paragraph is only reported when no reading of it gives the rate it states.
"""

from __future__ import annotations

from xlperf.core.quantity import Kind, parse_quantity
from xlperf.findings import Finding
from xlperf.reports.docx_document import ReportDoc
from xlperf.reports.docx_tables import DocTable
from xlperf.reports.match import Index, Target, norm
from xlperf.reports.numbers import number, pct
from xlperf.reports.selfcheck import sentence_finding
from xlperf.reports.sentences import Figure, RateStatement, rate_statements

# Rate name words → (numerator kind, denominator kinds in order of preference).
RATE_FIGURES = ((("到位",), ("received", ("budget",))),
                (("执行", "支出", "成本控制", "支付"), ("spent", ("received", "budget"))))


def _pairs(statement: RateStatement) -> list[tuple[Figure, Figure]]:
    for words, (num_kind, den_kinds) in RATE_FIGURES:
        if any(word in statement.name for word in words):
            nums = [f for f in statement.figures if f.kind == num_kind]
            dens = sorted((f for f in statement.figures if f.kind in den_kinds and f.value),
                          key=lambda f: den_kinds.index(f.kind))
            return [(n, d) for n in reversed(nums) for d in dens if n.unit == d.unit]
    return []


def _formula(pair: tuple[Figure, Figure]) -> str:
    return f"{number(pair[0].value)} / {number(pair[1].value)}"


def _row_for(index: Index, name: str) -> Target | None:
    """The table row a stated rate is about: the longest row name the rate's name ends with."""
    key = norm(name)
    rows = [t for t in index.targets if t.kind == "row" and norm(t.name) and key.endswith(norm(t.name))]
    return max(rows, key=lambda t: len(norm(t.name)), default=None)


def _figures(statement: RateStatement) -> tuple[Finding | None, str]:
    """A finding when no pairing of the paragraph's amounts gives the stated rate; the formula that does."""
    pairs = _pairs(statement)
    stated = pct(statement.value, statement.digits)
    for pair in pairs:
        if pct(pair[0].value / pair[1].value, statement.digits) == stated:
            return None, _formula(pair)
    if not pairs:
        return None, ""
    first = pairs[0]
    finding = sentence_finding("report-rate-figures-mismatch", statement.quote, found=stated,
                               expected=pct(first[0].value / first[1].value, statement.digits),
                               params={"name": statement.name, "formula": _formula(first)})
    return finding, ""


def _table(statement: RateStatement, target: Target | None, main: DocTable, formula: str) -> Finding | None:
    if target is None or target.actual is None:
        return None
    actual = parse_quantity(target.actual)
    if actual.kind is not Kind.PERCENT or actual.value is None:
        return None
    if pct(actual.value, statement.digits) == pct(statement.value, statement.digits):
        return None
    label, row = main.place(target.rows[0])
    return sentence_finding("report-rate-table-mismatch", statement.quote, found=pct(statement.value, statement.digits),
                            expected=str(target.actual).strip(),
                            params={"name": target.name, "table": label, "row": row,
                                    "formula": f"（{formula}）" if formula else ""})


def rate_findings(doc: ReportDoc, main: DocTable, index: Index) -> list[Finding]:
    """Every stated rate: its own arithmetic, then against the score table."""
    out: list[Finding] = []
    for para in doc.paragraphs:
        for statement in rate_statements(para.number, para.text):
            wrong, formula = _figures(statement)
            if wrong is not None:
                out.append(wrong)
            mismatch = _table(statement, _row_for(index, statement.name), main, formula)
            if mismatch is not None:
                out.append(mismatch)
    return out

