"""Every shipped template, filled with a seed case where the framework fits: the workbook's own
formulas recomputed by the formula engine agree to the cent with ``xlperf score`` on the same file."""

from __future__ import annotations

import pytest

from tests.corpus import filled, finish
from xlperf.api import score_workbook
from xlperf.core.frameworks import load_framework
from xlperf.engine.recalc import recalc_workbook

CASES = [("dapeng", "dapeng_2024"), ("yantian", "yantian_2024"), ("self_eval", None)]


@pytest.mark.parametrize("framework, case", CASES)
def test_engine_equals_score(framework, case, tmp_path):
    path = tmp_path / f"{framework}.xlsx"
    wb = filled(framework, case)
    wb.save(path)  # no cached values: xlperf score works from the inputs alone
    values = recalc_workbook(path)
    scored = score_workbook(path, load_framework(framework).config)
    ev = scored.evaluation
    sheet = "评分表"
    for res in ev.rows:
        cell = res.indicator.cells["score"]
        assert values.get(sheet, cell) == float(res.score), (res.indicator.level3, cell)
    total_row = max(r.indicator.row for r in ev.rows) + 1
    assert values.get(sheet, f"K{total_row}") == float(ev.total)
    assert values.get(sheet, f"K{total_row + 1}") == ev.grade
    summary = {values.get("基本信息", f"A{r}"): values.get("基本信息", f"C{r}") for r in range(18, 24)}  # per level 1
    for name, level in ev.level1.items():
        assert summary[name] == float(level.score)
    if framework == "dapeng":
        assert str(ev.total) == "98.37" and ev.grade == "优" and values.get(sheet, "K27") == 98.37


def test_cached_values_patched_in_agree(tmp_path):
    """A filled copy saved with its cached values (as Excel saves it) reads back the same totals."""
    path = finish(filled("dapeng", "dapeng_2024"), tmp_path / "dapeng.xlsx")
    scored = score_workbook(path, load_framework("dapeng").config)
    assert [float(r.stated.value) for r in scored.evaluation.rows] == [float(r.score) for r in scored.evaluation.rows]
    assert scored.findings == ()
