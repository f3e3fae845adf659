"""The one neutraliser every exported text goes through (findings.csv, the 汇总, the results frame)."""

from __future__ import annotations

import pytest

from xlperf.outputs.neutral import formula_like, neutralise, safe_value


@pytest.mark.parametrize("text, unsafe", [
    ("=1+1", True), ("+1", True), ("-1", True), ("@A1", True), ("\t=1", True), ("\r=1", True), ("\n-1", True),
    ("＝1", True), ("＋1", True), ("－1", True), ("＠1", True), ("  =1", True), ("\u3000=1", True),
    ("\x00=1", True), ("\ufeff=1", True), ("\t", True), ("a=1", False), ("「评分表」K7：=", False), ("", False),
    ("98.37", False), ("'=1", False), ("单位1.xlsx", False), ("  text", False)])
def test_what_a_spreadsheet_would_read_as_a_formula(text, unsafe):
    assert formula_like(text) is unsafe
    assert not formula_like(neutralise(text)) and (neutralise(text) == text) is (not unsafe)


def test_only_texts_change():
    assert [safe_value(v) for v in (1, 2.5, None, True, "=x")] == [1, 2.5, None, True, "'=x"]


def test_cells_stay_xml_safe_and_within_excels_length():
    assert neutralise("bell\x07bell") == "bell\ufffdbell" and len(neutralise("x" * 40000)) == 32767
    assert neutralise("多行\n文本") == "多行\n文本" and neutralise(12) == "12"
