"""Check a report against itself: its sentences and sub-tables against its score table.

Every "满分 X 分，得分 Y 分" and "…一项扣 Z 分" against the row or level it names; the conclusion's total
and grade; each level sub-table's 分值, 得分 and 得分率; rates the text states against the amounts it gives
and against the table's 实际完成值 (``rates``); one indicator's target in two tables (``rates``).
The table's own stated scores are the reference here — xlperf's recomputation is checked elsewhere.
A sentence matched only by the closest name is never reported as wrong, only as not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from xlperf.core.evaluate import Evaluation
from xlperf.core.grades import grade_for, normalise_grade
from xlperf.core.rounding import points
from xlperf.findings import Finding
from xlperf.reports.docx_document import Para, ReportDoc
from xlperf.reports.docx_tables import DocTable
from xlperf.reports.match import Hit, Index, Target, exact, in_paragraph, named, table_total
from xlperf.reports.numbers import pct, pts
from xlperf.reports.sentences import Quote, ScoreClaim, deduction_claims, score_claims, total_claims

TEXT = "正文"
QUOTE_LIMIT = 80
_ORDINAL = re.compile(r"^\s*[（(](\d+)[）)]")
_TOP = re.compile(r"^\s*[一二三四五六七八九十]+[、.．]")


def sentence_finding(code: str, quote: Quote, **kw) -> Finding:
    """A finding on the text: 「正文」第 12 段, quoting the sentence."""
    params = {"quote": quote.excerpt(QUOTE_LIMIT), **kw.pop("params", {})}
    return Finding(code, TEXT, f"第{quote.paragraph}段", **kw, params=params)


@dataclass
class Context:
    """Where the headings have got to."""

    level1: Target | None = None
    level2: Target | None = None
    heading: Hit | None = None


class TextCheck:
    """Walk the paragraphs in order, following the headings, and check each claim."""

    def __init__(self, index: Index, main: DocTable, ev: Evaluation):
        self.index, self.main, self.ev = index, main, ev
        self.ctx = Context()
        self.findings: list[Finding] = []

    def place(self, target: Target) -> dict[str, object]:
        label, row = self.main.place(target.rows[0]) if target.rows else (self.main.label, 0)
        return {"table": label, "row": row, "name": target.name}

    def follow(self, para: Para) -> None:
        """Move the context to what a heading names (a level 1, a level 2 or a row)."""
        hit = named(self.index, para.text, self.ctx.level1)
        if hit is None:
            self.ctx = Context() if _TOP.match(para.text) else Context(self.ctx.level1, self.ctx.level2, None)
            return
        target = hit.target
        level1 = self.index.level1_of(target)
        level2 = target if target.kind == "level2" else self.index.group_of(target) if target.kind == "row" else None
        self.ctx = Context(level1, level2, hit)

    def subject(self, para: Para, earlier: Hit | None) -> Hit | None:
        """What 该指标 / 此项 refer to: the paragraph's named subject, else its own words or number, else
        the heading."""
        if earlier is not None:
            return earlier
        ordinal = _ORDINAL.match(para.text)
        if ordinal:
            scope = self.ctx.level2 or self.ctx.level1
            hit = in_paragraph(self.index, para.text, scope, int(ordinal.group(1)))
            if hit:
                return hit
        return self.ctx.heading

    def claim_target(self, claim: ScoreClaim, para: Para, earlier: Hit | None) -> Hit | None:
        if claim.mode in ("bracket", "direct"):
            return named(self.index, claim.subject, self.ctx.level1)
        if claim.mode == "context":
            return self.ctx.heading
        return self.subject(para, earlier)

    def paragraph(self, para: Para) -> None:
        if para.heading:
            self.follow(para)
            return
        earlier = None
        for claim in score_claims(para.number, para.text):
            hit = self.claim_target(claim, para, earlier)
            if claim.mode in ("bracket", "direct") and hit is not None:
                earlier = hit
            self.score(claim, hit)
        for claim in deduction_claims(para.number, para.text):
            hit = exact(self.index, claim.subject, self.ctx.level1) if claim.mode == "direct" \
                else self.subject(para, earlier)
            self.deduction(claim.quote, claim.amount, hit)

    def score(self, claim: ScoreClaim, hit: Hit | None) -> None:
        if hit is None:
            self.findings.append(sentence_finding("report-sentence-unmatched", claim.quote,
                                                  params={"name": claim.subject or "该指标"}))
            return
        target = hit.target
        wrong_weight = None not in (claim.weight, target.weight) and points(claim.weight) != points(target.weight)
        wrong_score = target.stated is not None and points(claim.score) != points(target.stated)
        if (wrong_weight or wrong_score) and not hit.certain:
            self.findings.append(sentence_finding("report-sentence-unmatched", claim.quote,
                                                  params={"name": claim.subject or target.name}))
        elif wrong_weight or wrong_score:
            found = f"{pts(claim.weight) if claim.weight is not None else '—'} / {pts(claim.score)}"
            expected = f"{pts(target.weight)} / {pts(target.stated)}"
            self.findings.append(sentence_finding("report-sentence-mismatch", claim.quote, expected=expected,
                                                  found=found, params=self.place(target)))
        if claim.rate is not None and claim.weight:
            self.claimed_rate(claim)

    def claimed_rate(self, claim: ScoreClaim) -> None:
        value, digits = claim.rate
        computed = claim.score / claim.weight
        if pct(computed, digits) != pct(value, digits):
            self.findings.append(sentence_finding(
                "report-sentence-rate-mismatch", claim.quote, expected=pct(computed, digits), found=pct(value, digits),
                params={"score": pts(claim.score), "weight": pts(claim.weight)}))

    def deduction(self, quote: Quote, amount: Decimal, hit: Hit | None) -> None:
        """A deduction that names an indicator must equal its weight minus its score; composite deductions
        ('绩效目标完成情况一项扣 0.34 分') name no single row and are left alone."""
        if hit is None or not hit.certain or hit.target.weight is None or hit.target.stated is None:
            return
        target = hit.target
        expected = points(target.weight - target.stated)
        if points(amount) != expected:
            self.findings.append(sentence_finding("report-deduction-mismatch", quote, expected=pts(expected),
                                                  found=pts(amount), params={**self.place(target),
                                                  "weight": pts(target.weight), "score": pts(target.stated)}))


def total_findings(doc: ReportDoc, main: DocTable, ev: Evaluation) -> list[Finding]:
    """The conclusion's total against the table, and its grade against the total's band."""
    found: list[Finding] = []
    total = table_total(ev)
    for para in doc.paragraphs:
        for claim in total_claims(para.number, para.text):
            if total is not None and points(claim.total) != total:
                found.append(sentence_finding("report-total-mismatch", claim.quote, expected=pts(total),
                                              found=pts(claim.total), params={"table": main.label}))
            if claim.grade and normalise_grade(claim.grade) != grade_for(claim.total, ev.config.grade_bands):
                found.append(sentence_finding("report-grade-mismatch", claim.quote, found=claim.grade,
                                              expected=grade_for(claim.total, ev.config.grade_bands),
                                              params={"total": pts(claim.total)}))
    return found


def text_findings(doc: ReportDoc, main: DocTable, ev: Evaluation, index: Index) -> list[Finding]:
    """Every finding on the report's sentences."""
    check = TextCheck(index, main, ev)
    for para in doc.paragraphs:
        check.paragraph(para)
    return check.findings + total_findings(doc, main, ev)
