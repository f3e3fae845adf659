"""Parse target and actual values (``≥20场次``, ``94.20%``, ``2024年12月31日``, ``较明确``) into a Quantity."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache

from xlperf.core.frozen import frozen
from xlperf.core.scales import Level, Scales, load_scales


class Kind(str, Enum):
    """What a target or actual cell holds."""

    EMPTY = "empty"
    NUMBER = "number"
    PERCENT = "percent"
    DATE = "date"
    QUALITATIVE = "qualitative"  # a wording found on a scale
    TEXT = "text"  # a wording on no scale
    NA = "na"  # 不适用


@frozen
class Quantity:
    """A parsed target or actual. Percent values are fractions (94.20% → 0.942)."""

    text: str
    kind: Kind
    comparator: str | None = None  # ">=", "<=", "=", ">", "<", "between"; None when not written
    value: Decimal | None = None
    high: Decimal | None = None  # upper end of a range such as 90%-95%
    unit: str = ""
    level: Level | None = None
    date: dt.date | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.NUMBER, Kind.PERCENT)

    def describe(self) -> str:
        """A short Chinese description, used by PERF_PARSE and in messages."""
        if self.kind in (Kind.NUMBER, Kind.PERCENT):
            op = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "between": ""}.get(self.comparator or "", "")
            num = _fmt(self.value, self.kind)
            if self.comparator == "between":
                num = f"{num}～{_fmt(self.high, self.kind)}"
            unit = "" if self.kind is Kind.PERCENT else self.unit
            return f"{op}{num}{unit}"
        if self.kind is Kind.DATE and self.date:
            op = "不晚于" if self.comparator in (None, "<=", "<") else "不早于"
            return f"{op}{self.date.isoformat()}"
        if self.kind is Kind.QUALITATIVE and self.level:
            suffix = "及以上" if self.comparator == ">=" else ""
            return f"{self.level.scale}:{self.level.word}{suffix}"
        return self.text


def _fmt(value: Decimal | None, kind: Kind) -> str:
    if value is None:
        return ""
    if kind is Kind.PERCENT:
        return f"{(value * 100).normalize():f}%"
    return f"{value.normalize():f}"


NA_WORDS = ("不适用", "n/a", "N/A", "不涉及")
_NA_EXACT = {"/", "-", "—", "无", "－", "——"}

_PREFIXES = (
    ("大于等于", ">="), ("大于或等于", ">="), ("不低于", ">="), ("不少于", ">="), ("不小于", ">="),
    ("至少", ">="), ("≥", ">="), (">=", ">="), ("≧", ">="), ("=>", ">="),
    ("小于等于", "<="), ("小于或等于", "<="), ("不高于", "<="), ("不超过", "<="), ("不多于", "<="),
    ("不大于", "<="), ("控制在", "<="), ("≤", "<="), ("<=", "<="), ("≦", "<="), ("=<", "<="),
    ("大于", ">"), ("超过", ">"), ("高于", ">"), (">", ">"),
    ("小于", "<"), ("低于", "<"), ("<", "<"),
    ("等于", "="), ("=", "="),
)
_SUFFIXES = (
    ("及以上", ">="), ("以上", ">="), ("或以上", ">="),
    ("及以下", "<="), ("以下", "<="), ("以内", "<="), ("之内", "<="), ("内", "<="),
)
_NUMBER = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(%|‰)?")
_RANGE = re.compile(r"^([+-]?\d+(?:\.\d+)?)(%?)(?:-|~|～|至|到)([+-]?\d+(?:\.\d+)?)(%?)(.*)$")
_DATE = re.compile(r"^(\d{4})[年./-](\d{1,2})(?:[月./-](\d{1,2})日?|月(底|末)?)?(前|之前|以前|底前|内)?$")
_YEAR_END = re.compile(r"^(\d{4})年?(年底|年末|底)(前|之前)?$")
_SPACE = re.compile(r"\s+")


# Comparator glyphs NFKC leaves alone, as one form each (＞ ＜ ＝ and full-width digits NFKC folds itself).
_GLYPHS = str.maketrans({"≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤", "═": "="})


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), one form of ≥/≤/=, no whitespace."""
    text = unicodedata.normalize("NFKC", text).translate(_GLYPHS)
    return _SPACE.sub("", text)


def _strip_comparator(text: str) -> tuple[str | None, str]:
    for word, op in _PREFIXES:
        if text.startswith(word):
            return op, text[len(word):]
    for word, op in _SUFFIXES:
        if text.endswith(word) and len(text) > len(word):
            return op, text[: -len(word)]
    return None, text


_NATURE_WORDS = {"正向": ">=", "正向指标": ">=", "反向": "<=", "反向指标": "<=", "定性": "定性", "定性指标": "定性"}


@lru_cache(maxsize=256)
def nature_of(text: str | None) -> str | None:
    """A 指标性质 cell as ">=", "<=", "=", ">", "<" or "定性" (any glyph: ≧ ＞＝ => ═ …); None when blank or other."""
    norm = normalise(text or "")
    if not norm:
        return None
    if norm in _NATURE_WORDS:
        return _NATURE_WORDS[norm]
    comparator, rest = _strip_comparator(norm.replace("≥", ">=").replace("≤", "<="))
    return comparator if comparator and not rest else None


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _parse_date(text: str) -> tuple[dt.date, bool] | None:
    """A date or deadline; the flag is True when it was written as "…前" (before)."""
    m = _YEAR_END.match(text)
    if m:
        return dt.date(int(m.group(1)), 12, 31), bool(m.group(3))
    m = _DATE.match(text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    try:
        if m.group(3):
            day = int(m.group(3))
        else:
            if not (m.group(4) or "月" in text):
                return None  # "2024.5" is a number, not May 2024
            day = calendar.monthrange(year, month)[1]
        return dt.date(year, month, day), bool(m.group(5))
    except ValueError:
        return None


def _from_number(raw: int | float | Decimal, percent: bool, text: str) -> Quantity:
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    except InvalidOperation:
        return Quantity(text, Kind.TEXT)
    if not value.is_finite():
        return Quantity(text, Kind.TEXT)
    return Quantity(text, Kind.PERCENT if percent else Kind.NUMBER, value=value, unit="%" if percent else "")


def parse_quantity(raw: object, percent: bool = False, scales: Scales | None = None) -> Quantity:
    """Parse a cell value into a :class:`Quantity`.

    ``percent`` says the cell is formatted as a percentage, so a stored 0.942 means 94.2 %.
    Dates stored as dates (openpyxl gives ``datetime``) become DATE quantities.
    """
    if raw is None:
        return Quantity("", Kind.EMPTY)
    if isinstance(raw, bool):
        return Quantity(str(raw), Kind.TEXT)
    if isinstance(raw, (dt.datetime, dt.date)):
        day = raw.date() if isinstance(raw, dt.datetime) else raw
        return Quantity(day.isoformat(), Kind.DATE, date=day)
    if isinstance(raw, (int, float, Decimal)):
        return _from_number(raw, percent, str(raw))
    if scales is None:
        return _parse_default(str(raw))
    return _parse_string(str(raw), scales)


@lru_cache(maxsize=4096)  # hot texts (the template's) stay; a unit's own ones pass through
def _parse_default(text: str) -> Quantity:
    """Parsing with the bundled scales, cached: returned tables repeat the same texts."""
    return _parse_string(text, load_scales())


def _parse_string(text: str, scales: Scales) -> Quantity:
    norm = normalise(text)
    if not norm:
        return Quantity(text, Kind.EMPTY)
    if norm in _NA_EXACT or any(word.lower() in norm.lower() for word in NA_WORDS):
        return Quantity(text, Kind.NA)
    return _parse_text(text, norm, scales)


def _parse_text(text: str, norm: str, scales: Scales) -> Quantity:
    comparator, body = _strip_comparator(norm)
    found = _parse_date(body)
    if found:
        day, before = found
        return Quantity(text, Kind.DATE, comparator=comparator or ("<=" if before else None), date=day)
    m = _RANGE.match(body)
    if m and (m.group(2) == m.group(4) or m.group(2) == "" or m.group(4) == ""):
        pct = "%" in (m.group(2) + m.group(4))
        lo, hi = Decimal(m.group(1)), Decimal(m.group(3))
        if pct:
            lo, hi = lo / 100, hi / 100
        if lo <= hi:
            return Quantity(text, Kind.PERCENT if pct else Kind.NUMBER, comparator="between",
                            value=lo, high=hi, unit="%" if pct else m.group(5))
    m = _NUMBER.match(body)
    if m:
        unit = body[m.end():]
        # A trailing comparator word after the unit ("20人以上") was stripped above; a second
        # comparator inside the unit means a compound condition we do not guess at.
        if not any(ch.isdigit() for ch in unit):
            value = _decimal(m.group(1))
            if m.group(2) == "%":
                return Quantity(text, Kind.PERCENT, comparator=comparator, value=value / 100, unit="%")
            if m.group(2) == "‰":
                return Quantity(text, Kind.PERCENT, comparator=comparator, value=value / 1000, unit="%")
            return Quantity(text, Kind.NUMBER, comparator=comparator, value=value, unit=unit)
    level = scales.match(norm)
    if level is not None:
        qual_cmp = ">=" if comparator == ">=" else None
        return Quantity(text, Kind.QUALITATIVE, comparator=qual_cmp, level=level)
    return Quantity(text, Kind.TEXT)
