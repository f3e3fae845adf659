"""The figures a report's text states, parsed out of its sentences (the seeds' wording and xlperf's own).

"预算执行率（满分 5 分，得分 4.71 分）", "该指标满分 4 分，得 4 分", "指标权重为 25 分，得分为 24.71 分",
"项目产出满分 45 分，得分 45 分，得分率 100%", "该项得分为 5 分" → ScoreClaim;
"预算执行率一项扣 0.29 分", "此项扣 1 分" → DeductionClaim; "总得分为 98.47 分，评级为“优”",
"自评结果为 98.37 分，属于优" → TotalClaim; "预算执行率 99.90%" with "实际支出 9610.81 万元" →
RateStatement and Figure. Each keeps the sentence it came from, for quoting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

NUM = r"(\d+(?:\.\d+)?)"
_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_SCORE = re.compile(rf"满分\s*{NUM}\s*分\s*[，,、]?\s*(?:实际)?得(?:分)?\s*(?:为|是)?\s*{NUM}\s*分"
                    rf"(?:\s*[，,]\s*得分率\s*(?:为|是)?\s*{NUM}\s*%)?")
_WEIGHTED = re.compile(rf"(?:指标)?权重为\s*{NUM}\s*分\s*[，,]\s*得分为\s*{NUM}\s*分")
_SCORE_ONLY = re.compile(rf"(?:该项|该指标|此项|本项|本指标)(?:实际)?得分\s*(?:为|是)?\s*{NUM}\s*分")
_DEDUCTION = re.compile(rf"([^，。；,;：:]*?)(一项|此项|该项|该指标|本项)扣(?:减|除)?\s*{NUM}\s*分")
_TOTAL = re.compile(rf"(?:总得分|总分|自评结果|评价结果|综合得分|评价总分)\s*(?:为|是|达)?\s*{NUM}\s*分")
_GRADE = re.compile(r"(?:评级为|等级为|评价等级为|属于|评定为|结果为)\s*[“\"「『]?(优秀|良好|中等|较差|优|良|中|差)")
_RATE = re.compile(rf"([\u4e00-\u9fff]{{2,12}}率)\s*(?:为|达到|达|是|:|：)?\s*{NUM}\s*%")
_FIGURE = re.compile(r"([\u4e00-\u9fff]{2,16}?)\s*(?:为|是|:|：)?\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|元)")
_SENTENCE_END = "。；;！!？?"
THIS_WORDS = ("该指标", "该项", "此项", "本项", "本指标")
FIGURE_CLASSES = (("spent", ("支出", "执行数", "支付")), ("received", ("到位", "下达")),
                  ("budget", ("预算", "安排", "批复")))


@dataclass(frozen=True)
class Quote:
    """Where a claim is: the paragraph number, the sentence holding it and the claim's place in it."""

    paragraph: int
    sentence: str
    start: int = 0
    end: int = 0

    def excerpt(self, limit: int = 80) -> str:
        """The sentence, or in a long one the words around the claim, cut with '…'."""
        if len(self.sentence) <= limit:
            return self.sentence
        left = max(0, min(self.start - (limit - (self.end - self.start)) * 2 // 3, len(self.sentence) - limit))
        right = min(len(self.sentence), left + limit)
        return ("…" if left else "") + self.sentence[left:right] + ("…" if right < len(self.sentence) else "")


@dataclass(frozen=True)
class ScoreClaim:
    quote: Quote
    weight: Decimal | None  # 满分 / 权重; None for "该项得分为 5 分"
    score: Decimal
    rate: tuple[Decimal, int] | None  # 得分率 as a fraction and the decimals it was written with
    subject: str  # the words naming what is scored ("" when the text says 该指标 / 此项)
    mode: str  # bracket | direct | this | context


@dataclass(frozen=True)
class DeductionClaim:
    quote: Quote
    amount: Decimal
    subject: str
    mode: str  # direct | this


@dataclass(frozen=True)
class TotalClaim:
    quote: Quote
    total: Decimal
    grade: str | None


@dataclass(frozen=True)
class Figure:
    kind: str  # spent | received | budget
    label: str
    value: Decimal
    unit: str


@dataclass(frozen=True)
class RateStatement:
    quote: Quote
    name: str
    value: Decimal  # a fraction: 99.90 % → 0.999
    digits: int  # decimals of the percentage as written
    figures: tuple[Figure, ...]  # amounts stated before it in its paragraph, or after it in its sentence


def clean(text: str) -> str:
    """Full-width digits, point and percent sign as ASCII (same length, so positions still match)."""
    return text.translate(_DIGITS)


def sentence_at(text: str, start: int, end: int, paragraph: int = 0) -> Quote:
    """The sentence of ``text`` around the claim at [start, end)."""
    left = max(text.rfind(mark, 0, start) for mark in _SENTENCE_END) + 1
    rights = [i for i in (text.find(mark, end) for mark in _SENTENCE_END) if i >= 0]
    raw = text[left:(min(rights) + 1 if rights else len(text))]
    lead = len(raw) - len(raw.lstrip())
    return Quote(paragraph, raw.strip(), start - left - lead, end - left - lead)


def _clause_before(text: str, start: int) -> str:
    left = max(text.rfind(mark, 0, start) for mark in _SENTENCE_END) + 1
    return text[left:start]


def _subject(text: str, start: int) -> tuple[str, str]:
    """What a 满分/得分 claim at ``start`` is about, and how the text names it."""
    before = _clause_before(text, start)
    opened = max(before.rfind("（"), before.rfind("("))
    if opened >= 0 and max(before.rfind("）"), before.rfind(")")) < opened:
        return before[:opened].strip(), "bracket"
    segment = re.split(r"[，,、]", before.rstrip("，, "))[-1].strip()
    if any(segment.endswith(word) for word in THIS_WORDS) or segment in THIS_WORDS:
        return "", "this"
    if segment and len(segment) <= 20 and segment == before.strip().rstrip("，, "):
        return segment, "direct"
    return "", "context"


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def score_claims(number: int, raw: str) -> list[ScoreClaim]:
    """Every 满分/得分 statement of one paragraph."""
    text, claims = clean(raw), []
    for pattern in (_SCORE, _WEIGHTED, _SCORE_ONLY):
        for match in pattern.finditer(text):
            groups = match.groups()
            weight, score = (None, groups[0]) if pattern is _SCORE_ONLY else groups[:2]
            rate = groups[2] if pattern is _SCORE else None
            subject, mode = ("", "this") if pattern is _SCORE_ONLY else \
                ("", "context") if pattern is _WEIGHTED else _subject(text, match.start())
            claims.append(ScoreClaim(sentence_at(raw, match.start(), match.end(), number),
                                     Decimal(weight) if weight else None, Decimal(score),
                                     (Decimal(rate) / 100, _decimals(rate)) if rate else None, subject, mode))
    return claims


def deduction_claims(number: int, raw: str) -> list[DeductionClaim]:
    text = clean(raw)
    out = []
    for match in _DEDUCTION.finditer(text):
        subject, ref = match.group(1).strip(), match.group(2)
        mode = "direct" if ref == "一项" and subject else "this"
        out.append(DeductionClaim(sentence_at(raw, match.start(), match.end(), number),
                                  Decimal(match.group(3)), subject if mode == "direct" else "", mode))
    return out


def total_claims(number: int, raw: str) -> list[TotalClaim]:
    text = clean(raw)
    out = []
    for match in _TOTAL.finditer(text):
        quote = sentence_at(raw, match.start(), match.end(), number)
        grade = _GRADE.search(clean(quote.sentence))
        out.append(TotalClaim(quote, Decimal(match.group(1)), grade.group(1) if grade else None))
    return out


def figure_kind(label: str) -> str | None:
    """spent / received / budget for the words before an amount ('实际支出数为' → spent)."""
    for kind, words in FIGURE_CLASSES:
        if any(word in label for word in words):
            return kind
    return None


def rate_statements(number: int, raw: str) -> list[RateStatement]:
    """Rates a paragraph states ('预算执行率为94.20%'), each with the amounts written before it or later in
    its sentence ('预算执行率为 94.20%（实际支出 2747.33 万元 ÷ …）')."""
    text = clean(raw)
    out = []
    for match in _RATE.finditer(text):
        name = match.group(1)
        if name.endswith("得分率"):
            continue
        quote = sentence_at(raw, match.start(), match.end(), number)
        upto = match.end() + len(quote.sentence) - quote.end
        figures = tuple(Figure(kind, label, Decimal(value.replace(",", "")), unit)
                        for label, value, unit in _FIGURE.findall(text[:upto]) if (kind := figure_kind(label)))
        out.append(RateStatement(quote, name,
                                 Decimal(match.group(2)) / 100, _decimals(match.group(2)), figures))
    return out
