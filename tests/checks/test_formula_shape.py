"""Tests for the R1C1 conversion and the column formula-shape check."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Callable

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from xlperf.checks.formula_shape import check_formula_shapes, r1c1_to_a1, to_r1c1

FIRST, LAST = 5, 10  # data rows; row 4 is the header


@pytest.mark.parametrize(("formula", "row", "col", "r1c1"), [
    ("=F7*G7", 7, 9, "=RC[-3]*RC[-2]"),
    ("=A1", 1, 1, "=RC"),
    ("=B3", 5, 3, "=R[-2]C[-1]"),
    ("=D9", 5, 3, "=R[4]C[1]"),
    ("=$B$3", 5, 3, "=R3C2"),
    ("=$B3+B$3", 5, 3, "=R[-2]C2+R3C[-1]"),
    ("=SUM(F5:F10)", 11, 6, "=SUM(R[-6]C:R[-1]C)"),
    ("=SUM($F$5:F10)", 11, 6, "=SUM(R5C6:R[-1]C)"),
    ("=SUM(A:A)", 2, 3, "=SUM(C[-2]:C[-2])"),
    ("=SUM($A:B)", 2, 3, "=SUM(C1:C[-1])"),
    ("=SUM(1:3)", 5, 2, "=SUM(R[-4]:R[-2])"),
    ("='评分表'!B3", 3, 2, "='评分表'!RC"),
    ("='Sheet 1'!A1+Sheet2!$C$4", 2, 2, "='Sheet 1'!R[-1]C[-1]+Sheet2!R4C3"),
    ("=SUM('评分表'!B3:B9)", 1, 1, "=SUM('评分表'!R[2]C[1]:R[8]C[1])"),
    ('=IF(A1="A1",B1,"$C$3")', 1, 1, '=IF(RC="A1",RC[1],"$C$3")'),
    ("=LOG10(A2)", 1, 1, "=LOG10(R[1]C)"),
    ("=rate*A2+PERF_SCORE(F7,G7,H7)", 7, 9, "=rate*R[-5]C[-8]+PERF_SCORE(RC[-3],RC[-2],RC[-1])"),
    ("=_xldudf_XLPERF_PERF_SCORE(F7,G7,H7)", 7, 9, "=_xldudf_XLPERF_PERF_SCORE(RC[-3],RC[-2],RC[-1])"),
    ("=SUM(A1:INDEX(B:B,5))", 3, 3, "=SUM(R[-2]C[-2]:INDEX(C[-1]:C[-1],5))"),
    ("=a1 + b2", 1, 1, "=RC + R[1]C[1]"),
    ("=-A1%", 1, 1, "=-RC%"),
    ("=Table1[Col]", 1, 1, "=Table1[Col]"),
    ("plain text A1", 1, 1, "plain text A1"),
])
def test_to_r1c1(formula: str, row: int, col: int, r1c1: str) -> None:
    assert to_r1c1(formula, row, col) == r1c1
    assert r1c1_to_a1(r1c1, row, col) == formula.replace("a1 + b2", "A1 + B2")


def test_r1c1_to_a1_renders_at_another_cell() -> None:
    assert r1c1_to_a1("=RC[-3]*RC[-2]", 12, 9) == "=F12*G12"
    assert r1c1_to_a1("='评分表'!R3C2+R[-1]C", 5, 4) == "='评分表'!$B$3+D4"


def test_r1c1_to_a1_off_sheet_is_ref_error() -> None:
    assert r1c1_to_a1("=R[-5]C", 3, 1) == "=#REF!"


def _book(tmp_path: Path, fill: Callable[[openpyxl.worksheet.worksheet.Worksheet], None]):
    """A 评分表 sheet with a header in row 4, inputs in F:H and per-row formulas in I, reloaded from disk."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    for col, head in zip("FGHI", ("分值", "系数", "权重", "得分")):
        ws[f"{col}4"] = head
    for r in range(FIRST, LAST + 1):
        ws[f"F{r}"], ws[f"G{r}"], ws[f"H{r}"] = 10, 0.5, 2
        ws[f"I{r}"] = f"=F{r}*G{r}"
    fill(ws)
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return openpyxl.load_workbook(path)["评分表"]


def _codes(findings) -> list[tuple[str, str]]:
    return [(f.code, f.cell) for f in findings]


def test_clean_column_has_no_findings(tmp_path: Path) -> None:
    assert check_formula_shapes(_book(tmp_path, lambda ws: None)) == []


def test_typed_constant_between_formulas_is_a_pattern_break(tmp_path: Path) -> None:
    ws = _book(tmp_path, lambda ws: ws.__setitem__("I7", 3.5))
    [finding] = check_formula_shapes(ws)
    assert (finding.code, finding.sheet, finding.cell, finding.row) == ("formula-pattern-break", "评分表", "I7", 7)
    assert finding.severity.value == "warning"
    assert (finding.expected, finding.found) == ("=F7*G7", 3.5)
    assert "=F7*G7" in finding.message("zh") and "3.5" in finding.message("zh")


def test_shifted_reference_is_formula_inconsistent(tmp_path: Path) -> None:
    ws = _book(tmp_path, lambda ws: ws.__setitem__("I7", "=F7*G8"))
    [finding] = check_formula_shapes(ws, sheet_name="Scores")
    assert (finding.code, finding.sheet, finding.cell) == ("formula-inconsistent", "Scores", "I7")
    assert (finding.expected, finding.found) == ("=F7*G7", "=F7*G8")


def test_sum_total_row_below_is_not_reported(tmp_path: Path) -> None:
    ws = _book(tmp_path, lambda ws: ws.__setitem__(f"I{LAST + 1}", f"=SUM(I{FIRST}:I{LAST})"))
    assert check_formula_shapes(ws) == []


def test_constant_at_the_edge_of_a_run_is_not_flagged(tmp_path: Path) -> None:
    """One-sided evidence (the issue's typed 评价年度 under two rate formulas): never flagged, as in Excel."""
    assert check_formula_shapes(_book(tmp_path, lambda ws: ws.__setitem__(f"I{LAST}", 5))) == []
    assert check_formula_shapes(_book(tmp_path, lambda ws: ws.__setitem__(f"I{FIRST}", 5))) == []

    def fill(ws) -> None:
        ws[f"I{LAST}"] = 5
        ws[f"I{LAST + 1}"] = f"=SUM(I{FIRST}:I{LAST})"
    assert check_formula_shapes(_book(tmp_path, fill)) == []


def test_block_of_typed_values_is_not_reported(tmp_path: Path) -> None:
    def fill(ws) -> None:
        for r in (8, 9, 10):
            ws[f"I{r}"] = 4
    assert check_formula_shapes(_book(tmp_path, fill)) == []


def test_series_seed_is_not_reported(tmp_path: Path) -> None:
    def fill(ws) -> None:
        ws["B5"] = 100
        for r in range(6, 10):
            ws[f"B{r}"] = f"=B{r - 1}*1.05"
    assert check_formula_shapes(_book(tmp_path, fill)) == []


def test_empty_cell_breaks_the_run(tmp_path: Path) -> None:
    def fill(ws) -> None:
        ws["I7"] = None
        ws["I8"] = "=F8*G8*2"
    assert check_formula_shapes(_book(tmp_path, fill)) == []


def test_min_run_counts_cells_on_both_sides(tmp_path: Path) -> None:
    def fill(ws) -> None:
        for r in range(FIRST, LAST + 1):
            ws[f"I{r}"] = None
        ws["I6"], ws["I7"], ws["I8"] = "=F6*G6", "=F7*G8", "=F8*G8"
    ws = _book(tmp_path, fill)
    assert _codes(check_formula_shapes(ws)) == [("formula-inconsistent", "I7")]
    assert check_formula_shapes(ws, min_run=3) == []


def test_udf_calls(tmp_path: Path) -> None:
    def fill(ws) -> None:
        for r in range(FIRST, LAST + 1):
            ws[f"I{r}"] = f"=PERF_SCORE(F{r},G{r},H{r})"
        ws["I7"] = 8
    [finding] = check_formula_shapes(_book(tmp_path, fill))
    assert (finding.code, finding.cell, finding.expected) == ("formula-pattern-break", "I7", "=PERF_SCORE(F7,G7,H7)")


def test_udf_array_formulas(tmp_path: Path) -> None:
    def fill(ws) -> None:
        for r in range(FIRST, LAST + 1):
            ws[f"I{r}"] = ArrayFormula(f"I{r}", f"=_xldudf_XLPERF_PERF_SCORE(F{r},G{r},H{r})")
        ws["I7"] = ArrayFormula("I7", "=_xldudf_XLPERF_PERF_SCORE(F7,G7,H8)")
        ws["I9"] = 6
    findings = check_formula_shapes(_book(tmp_path, fill))
    assert _codes(findings) == [("formula-inconsistent", "I7"), ("formula-pattern-break", "I9")]
    assert findings[0].expected == "=_xldudf_XLPERF_PERF_SCORE(F7,G7,H7)"
    assert findings[1].expected == "=_xldudf_XLPERF_PERF_SCORE(F9,G9,H9)"


def test_shared_formulas_are_expanded(tmp_path: Path) -> None:
    path = tmp_path / "shared.xlsx"
    _book(tmp_path, lambda ws: None).parent.save(path)
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace(f"<f>F{FIRST}*G{FIRST}</f>", f'<f t="shared" ref="I{FIRST}:I{LAST}" si="0">F{FIRST}*G{FIRST}</f>')
    xml = re.sub(r"<f>F(\d+)\*G\1</f>", '<f t="shared" si="0"/>', xml)
    xml = re.sub(r'<c r="I8"><f t="shared" si="0"/><v ?/?>(</v>)?</c>', '<c r="I8" t="n"><v>3.5</v></c>', xml)
    assert 'r="I8" t="n"' in xml
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    ws = openpyxl.load_workbook(path)["评分表"]
    assert ws["I9"].value == "=F9*G9"
    [finding] = check_formula_shapes(ws)
    assert (finding.code, finding.cell, finding.expected) == ("formula-pattern-break", "I8", "=F8*G8")


def test_cached_error_is_formula_error(tmp_path: Path) -> None:
    ws = _book(tmp_path, lambda ws: None)
    values = openpyxl.Workbook().active
    values["I6"] = "#DIV/0!"
    [finding] = check_formula_shapes(ws, values_ws=values)
    assert (finding.code, finding.cell, finding.found) == ("formula-error", "I6", "#DIV/0!")
    assert "=F6*G6" in finding.message("en")


def test_inconsistent_formula_carries_cached_value(tmp_path: Path) -> None:
    ws = _book(tmp_path, lambda ws: ws.__setitem__("I7", "=F7*G8"))
    values = openpyxl.Workbook().active
    values["I7"] = 5
    [finding] = check_formula_shapes(ws, values_ws=values)
    assert finding.params == {"value": 5}


def test_read_only_worksheet(tmp_path: Path) -> None:
    _book(tmp_path, lambda ws: ws.__setitem__("I7", 3.5))
    ws = openpyxl.load_workbook(tmp_path / "book.xlsx", read_only=True)["评分表"]
    assert _codes(check_formula_shapes(ws)) == [("formula-pattern-break", "I7")]
