"""A template filled with a seed case recomputes (server-side formulas engine) to the published total and grade."""

from __future__ import annotations

import openpyxl
import pytest

from examples import casebook

pytest.importorskip("formulas")

from xlperf.engine.recalc import recalc_workbook  # noqa: E402


def fill(path, case: dict) -> int:
    """Type the case's actuals, evaluator scores, notes and budget into the input cells; returns the total row."""
    wb = openpyxl.load_workbook(path)
    info, ws = wb["基本信息"], wb["评分表"]
    for ref, key in (("B9", "initial"), ("B10", "annual"), ("B11", "received"), ("B12", "spent")):
        info[ref] = case["budget"][key]
    for i, row in enumerate(case["rows"]):
        r = 4 + i
        assert ws[f"C{r}"].value == row["level3"]
        if ws[f"H{r}"].protection.locked is False:
            ws[f"H{r}"] = row["actual"]
        if ws[f"J{r}"].protection.locked is False:
            ws[f"J{r}"] = row["score"]
        if row.get("note"):
            ws[f"L{r}"] = row["note"]
    wb.save(path)
    return 4 + len(case["rows"])


def test_dapeng_recomputes_to_published_scores(copy_of):
    case = casebook.load_case("dapeng_2024")
    path = copy_of("dapeng")
    t = fill(path, case)
    values = recalc_workbook(path)

    def score(ref: str):
        return values.get("评分表", ref)

    for i, row in enumerate(case["rows"]):
        assert score(f"K{4 + i}") == pytest.approx(row["score"]), row["level3"]
    assert score(f"K{t}") == pytest.approx(case["stated"]["total"])
    assert score(f"K{t + 1}") == case["stated"]["grade"]
    assert score(f"F{t}") == 100
    subtotals = {values.get("基本信息", f"A{r}"): values.get("基本信息", f"C{r}") for r in range(18, 22)}
    assert subtotals == pytest.approx(case["stated"]["level_totals"])
    assert values.get("基本信息", "B14") == pytest.approx(0.942)
    assert score("H11") == pytest.approx(0.942) and score("K11") == pytest.approx(4.71)
    assert [score(f"M{r}") for r in range(4, t)] == [""] * (t - 4)  # the published table passes every check
