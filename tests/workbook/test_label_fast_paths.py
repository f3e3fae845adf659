"""The label classifiers' fast paths (a dict and one str.startswith over a word tuple) answer as a scan of the
word lists does, on header words, their variants and texts that name nothing."""

from __future__ import annotations

import unicodedata

import pytest

from xlperf.workbook.layout import (GRADE_LABELS, GRADE_WORDS, HEADER_SYNONYMS, STOP_LABELS, _norm, grade_label_value,
                                    header_rank, is_stop_label, norm_label)

WORDS = [word for words in HEADER_SYNONYMS.values() for word in words] + list(STOP_LABELS) + list(GRADE_LABELS)
TEXTS = WORDS + [f"{word}（万元）" for word in WORDS] + [f" {word}：" for word in WORDS] + \
    [f"{word}合计" for word in WORDS] + [f"{word}：{grade}" for word in GRADE_LABELS for grade in GRADE_WORDS] + \
    [f"评价 等级 {grade}" for grade in GRADE_WORDS] + \
    ["", " ", "人才发展专项（005）", "分 值", "（注）分值", "得分率", "指标", "三级", "具体指标内容", "评价指标体系",
     "偏差原因分析及改进措施说明", "ＡＢＣ", "说明：本表", "等级：优良", "绩效等级:不合格", "评级 差", "x", "指标1："]


def _scanned_rank(text: str) -> tuple[str, int] | None:
    label = norm_label(text)
    if not label:
        return None
    for role, words in HEADER_SYNONYMS.items():
        if label in words:
            return role, words.index(label)
    for role, words in HEADER_SYNONYMS.items():
        for rank, word in enumerate(words):
            if len(word) >= 4 and label.startswith(word):
                return role, rank + len(words)
    return None


def _scanned_grade(text: object) -> tuple[bool, str]:
    compact = unicodedata.normalize("NFKC", str(text or "")).strip().replace(" ", "")
    rests = [compact[len(label):].lstrip(":：") for label in GRADE_LABELS if compact.startswith(label)]
    return next(((True, rest) for rest in rests if not rest or rest in GRADE_WORDS), (False, ""))


@pytest.mark.parametrize("text", TEXTS)
def test_fast_paths_answer_as_the_scans(text):
    assert header_rank(text) == _scanned_rank(text)
    assert is_stop_label(text) == any(_norm(text).startswith(word) for word in STOP_LABELS)
    assert grade_label_value(text) == _scanned_grade(text)


@pytest.mark.parametrize("columns, labels", [
    ({"level1": 2, "level2": 3, "level3": 4, "weight": 7, "score": 8, "note": 9}, (1, 2, 3, 4)),
    ({"level3": 1, "weight": 2, "score": 3}, (1,)),
    ({"level2": 3, "level3": 2, "target": 5, "actual": 4, "weight": 6, "score": 7, "judgement": 8, "method": 9,
      "nature": 10, "unit": 11}, (1, 2, 3)),
])
def test_table_columns_memo_matches_a_plain_build(columns, labels):
    """The memoised columns and row cell names equal what a fresh build gives, and each call owns its dict."""
    from xlperf.workbook.grid import column_letter
    from xlperf.workbook.headers import Header
    from xlperf.workbook.tablecolumns import PICKED, table_columns

    header = Header(3, columns)
    built = table_columns(header, {(5, columns["weight"])})
    assert built is table_columns(Header(3, dict(columns)), {(9, columns["weight"])})
    assert built.labels == labels and built.percent == (("weight", columns["weight"]),)
    cells = [f"v{col}" for col in columns.values()]
    assert built.pick(cells + [None]) == tuple(cells[list(columns).index(r)] if r in columns else None for r in PICKED)
    for row in (4, 17, 4):
        names = built.cells(row)
        assert names == {role: f"{column_letter(col)}{row}" for role, col in columns.items()}
        names["x"] = "mutated"
    assert "x" not in built.cells(4)


@pytest.mark.parametrize("value", [None, "", "  ", " 备注 ", 0, 0.0, 12.5, False, "—"])
def test_optional_text_is_the_stripped_text_or_none(value):
    from xlperf.workbook.reader import _optional, _text

    assert _optional(value) == (_text(value) or None)


def test_the_reader_builds_indicators_by_position_in_the_model_s_field_order():
    """reader._indicator passes Indicator's fields by position (a keyword per field was measurable per row):
    a field moved or inserted in core.model must be moved there too."""
    from dataclasses import fields

    from xlperf.core.model import Indicator

    assert [f.name for f in fields(Indicator)][:17] == [
        "level1", "level2", "level3", "weight", "target", "actual", "stated_score", "note", "method", "nature",
        "unit", "judgement", "row", "cells", "sheet", "percent", "score_formula"]


@pytest.mark.parametrize("value", [None, 0, 3, -2, 10**20, 0.0, -0.0, 2.5, 1e300, float("inf"), float("-inf"),
                                   float("nan"), True, False, "", " ", "3", "1,234.5", "2.85分", "三分", "#VALUE!",
                                   "—", "/"])
def test_is_figure_is_whether_figure_reads_a_number(value):
    from xlperf.workbook.budget import _figure, _is_figure

    assert _is_figure(value) is (_figure(value) is not None)
