"""The formulas engine: every stored UDF spelling, Excel-exact ROUND, errors, originals untouched."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from xlperf import cellfuncs
from xlperf.core.rounding import excel_round
from xlperf.engine.recalc import recalc_workbook

ROWS = [(4, "≥70人", "68人", None, None), (5, "100%", 0.942, "比率×分值", None), (3, "有效保障", "有效保障", "定性分档", 2.85)]


def _book(path, formula_for):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    for r, (w, t, a, m, j) in enumerate(ROWS, start=4):
        for col, value in zip("FGHIJ", (w, t, a, m, j)):
            ws[f"{col}{r}"] = value
        ws[f"K{r}"] = formula_for(r)
    ws["K8"] = "=PERF_TOTAL(F4:F6,K4:K6,I4:I6,FALSE)"
    ws["K9"] = "=PERF_GRADE(K8,\"优:90,良:80,中:60,差:0\")"
    wb.save(path)
    return path


SPELLINGS = {
    "plain": lambda r: f"=PERF_SCORE(F{r},G{r},H{r},I{r},J{r})",
    "lowercase VBA wrapper": lambda r: f"=perf_score(F{r},G{r},H{r},I{r},J{r})",
    "xlam add-in": lambda r: f"=[1]!PERF_SCORE(F{r},G{r},H{r},I{r},J{r})",
    "Office.js dev namespace": lambda r: ArrayFormula(f"K{r}", f"=_xldudf_XLWINGS_DEV_PERF_SCORE(F{r},G{r},H{r},I{r},J{r})"),
    "Office.js custom namespace": lambda r: ArrayFormula(f"K{r}", f"=_xldudf_XLPERF_PERF_SCORE(F{r},G{r},H{r},I{r},J{r})"),
    "Lite, no namespace": lambda r: ArrayFormula(f"K{r}", f"=_xldudf_PERF_SCORE(F{r},G{r},H{r},I{r},J{r})"),
}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_resolves_to_the_core(spelling, tmp_path):
    path = _book(tmp_path / "t.xlsx", SPELLINGS[spelling])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    values = recalc_workbook(path)
    expected = [cellfuncs.perf_score(*row) for row in ROWS]
    assert [values.get("评分表", f"K{r}") for r in (4, 5, 6)] == expected == [3.89, 4.71, 2.85]
    assert values.get("评分表", "K8") == 11.45 and values.get("评分表", "K9") == "差"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("value, digits", [(1.005, 2), (4.995, 2), (2.675, 2), (-2.5, 0), (0.125, 2), (1234.5, -2)])
def test_round_is_excel_exact_on_both_paths(value, digits, tmp_path):
    """formulas 1.3.4's own ROUND gives 1.00 for ROUND(1.005,2); ours gives Excel's 1.01, as the core does."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = f"=ROUND({value},{digits})"
    wb.active["A2"] = f"=ROUNDUP({value},{digits})"
    wb.active["A3"] = f"=ROUNDDOWN({value},{digits})"
    wb.save(tmp_path / "r.xlsx")
    values = recalc_workbook(tmp_path / "r.xlsx")
    assert values.get("Sheet", "A1") == float(excel_round(value, digits))
    assert excel_round(1.005, 2) == excel_round("1.005", 2)


def test_errors_propagate_and_unknown_names(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=PERF_SCORE(4,\"≥70人\",1/0)"
    ws["A2"] = "=NOT_A_FUNCTION(1)"
    ws["A3"] = "=PERF_SCORE(\"三分\",\"≥70人\",\"68人\")"
    ws["A4"] = "=PERF_RATE(1,0)"
    wb.save(tmp_path / "e.xlsx")
    values = recalc_workbook(tmp_path / "e.xlsx")
    assert [values.get("Sheet", c) for c in ("A1", "A2", "A3", "A4")] == ["#DIV/0!", "#NAME?", "#VALUE!", "#DIV/0!"]
