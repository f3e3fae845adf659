"""The fast view (xlsxread) equals the openpyxl reference view on real template copies."""

from __future__ import annotations

import pytest

from tests.corpus import filled, finish
from xlperf.batch.template_check import structure_lines
from xlperf.workbook.view import open_view, open_view_openpyxl


@pytest.mark.parametrize("framework, case", [("dapeng", "dapeng_2024"), ("self_eval", None)])
def test_fast_view_equals_openpyxl(framework, case, tmp_path):
    path = finish(filled(framework, case), tmp_path / "copy.xlsx")
    fast, slow = open_view(path), open_view_openpyxl(path)
    assert fast.sheet_names == slow.sheet_names
    assert fast.formulas == slow.formulas
    assert fast.states == slow.states
    assert fast.marker == slow.marker
    for a, b in zip(fast.grids, slow.grids):
        assert a.values == b.values and a.percent == b.percent and sorted(a.merged) == sorted(b.merged), a.name
    assert structure_lines(fast) == structure_lines(slow)
