"""Parsing targets and actuals: every form in DOMAIN.md, full-width symbols and spaces."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlperf.core.quantity import Kind, parse_quantity

D = Decimal


@pytest.mark.parametrize("text, kind, comparator, value, unit", [
    ("≥20场次", Kind.NUMBER, ">=", D(20), "场次"),
    ("≥300 人次", Kind.NUMBER, ">=", D(300), "人次"),
    ("200名", Kind.NUMBER, None, D(200), "名"),
    ("100%", Kind.PERCENT, None, D(1), "%"),
    ("≤3%", Kind.PERCENT, "<=", D("0.03"), "%"),
    ("≥90 分", Kind.NUMBER, ">=", D(90), "分"),
    ("36场次", Kind.NUMBER, None, D(36), "场次"),
    ("99.9%", Kind.PERCENT, None, D("0.999"), "%"),
    ("94.20%", Kind.PERCENT, None, D("0.942"), "%"),
    ("≧９０％", Kind.PERCENT, ">=", D("0.9"), "%"),
    ("＞ 1,000 人", Kind.NUMBER, ">", D(1000), "人"),
    ("≤ 30 %", Kind.PERCENT, "<=", D("0.3"), "%"),
    ("不低于95%", Kind.PERCENT, ">=", D("0.95"), "%"),
    ("20人以上", Kind.NUMBER, ">=", D(20), "人"),
    ("3天以内", Kind.NUMBER, "<=", D(3), "天"),
    ("2,916.35", Kind.NUMBER, None, D("2916.35"), ""),
    ("5‰", Kind.PERCENT, None, D("0.005"), "%"),
    ("＝100％", Kind.PERCENT, "=", D(1), "%"),
])
def test_numbers(text, kind, comparator, value, unit):
    q = parse_quantity(text)
    assert (q.kind, q.comparator, q.value, q.unit) == (kind, comparator, value, unit)


@pytest.mark.parametrize("text, day, comparator", [
    ("2024年12月31日", dt.date(2024, 12, 31), None),
    ("2024 年 6 月 30 日前", dt.date(2024, 6, 30), "<="),
    ("2024年6月底前", dt.date(2024, 6, 30), "<="),
    ("2024年底", dt.date(2024, 12, 31), None),
    ("2024-03-15", dt.date(2024, 3, 15), None),
])
def test_dates(text, day, comparator):
    q = parse_quantity(text)
    assert (q.kind, q.date, q.comparator) == (Kind.DATE, day, comparator)


@pytest.mark.parametrize("text, scale, word, comparator", [
    ("合格及以上", "等级", "合格", ">="), ("优秀", "等级", "优秀", None), ("有效提升", "成效", "有效", None),
    ("较好提升", "成效", "较好", None), ("显著", "成效", "显著", None), ("较明确", "明确", "较明确", None),
    ("基本明确", "明确", "基本明确", None), ("不明确", "明确", "不明确", None), ("验收合格", "等级", "合格", None),
    ("有效保障", "成效", "有效", None),
])
def test_qualitative(text, scale, word, comparator):
    q = parse_quantity(text)
    assert (q.kind, q.level.scale, q.level.word, q.comparator) == (Kind.QUALITATIVE, scale, word, comparator)


def test_qualitative_order():
    rank = lambda t: parse_quantity(t).level.rank  # noqa: E731
    assert rank("优秀") > rank("良好") > rank("合格") > rank("不合格")
    assert rank("明确") > rank("较明确") == rank("基本明确") > rank("不明确")
    assert rank("充分") > rank("较充分") > rank("不充分")
    assert rank("显著") > rank("有效") > rank("较好") > rank("一般")


@pytest.mark.parametrize("text, kind", [("全年", Kind.TEXT), ("多次（名）", Kind.TEXT), ("不适用", Kind.NA),
                                        ("/", Kind.NA), ("", Kind.EMPTY), ("  ", Kind.EMPTY), (None, Kind.EMPTY)])
def test_other_text(text, kind):
    assert parse_quantity(text).kind is kind


def test_cell_values():
    assert parse_quantity(0.942, percent=True).value == D("0.942")
    assert parse_quantity(0.942, percent=True).kind is Kind.PERCENT
    assert parse_quantity(36).kind is Kind.NUMBER
    assert parse_quantity(dt.datetime(2024, 12, 31)).date == dt.date(2024, 12, 31)


FULL = str.maketrans("0123456789%,", "０１２３４５６７８９％，")


@given(st.sampled_from(["≥", "≧", "≤", "≦", ">", "<", ""]),
       st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
       st.sampled_from(["场次", "人次", "名", "人", "分", "%", ""]),
       st.booleans(), st.booleans())
def test_generated_targets_parse_back(op, number, unit, spaces, fullwidth):
    """A generated target (any comparator, unit, spacing, full-width digits) parses to what made it."""
    text = f"{op}{' ' if spaces else ''}{number}{' ' if spaces else ''}{unit}"
    if fullwidth:
        text = text.translate(FULL)
    q = parse_quantity(text)
    expected_op = {"≥": ">=", "≧": ">=", "≤": "<=", "≦": "<=", ">": ">", "<": "<", "": None}[op]
    assert q.comparator == expected_op
    assert q.value == (number / 100 if unit == "%" else number)
    assert q.unit == unit
