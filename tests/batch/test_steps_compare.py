"""batch.steps' comparison of saved and recomputed values: copies sharing a formula set (whose cells and A1
keys are remembered) are each compared on their own values."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from xlperf.batch.steps import _unrecomputed, cached_mismatches
from xlperf.workbook.grid import SheetGrid
from xlperf.workbook.xlsxparts import CellError

FORMULAS = {"S": {(5, 8): "=E5*2", (3, 2): "=B2", (4, 27): "=AA3"}, "T": {(1, 1): "=S!B3"}}


def _view(saved: dict) -> SimpleNamespace:
    grids = [SheetGrid(name, dict(values)) for name, values in saved.items()]
    return SimpleNamespace(formulas={sheet: dict(texts) for sheet, texts in FORMULAS.items()},
                           sheet_names=list(FORMULAS), grids=grids,
                           grid=lambda name: next((g for g in grids if g.name == name), None))


def test_each_copy_is_compared_on_its_own_values():
    first = _view({"S": {(5, 8): 2, (3, 2): 1.5, (4, 27): "x"}, "T": {(1, 1): True}})
    second = _view({"S": {(5, 8): 3, (3, 2): CellError("#DIV/0!"), (4, 27): " y"}, "T": {(1, 1): None}})
    values = {("S", "H5"): 2.0000000001, ("S", "B3"): 1.5, ("S", "AA4"): "x", ("T", "A1"): 1}
    assert cached_mismatches(first, values) == []  # 2 ≈ 2.0000000001; True = 1
    found = [(f.sheet, f.cell, f.expected, f.found) for f in cached_mismatches(second, values)]
    assert found == [("S", "B3", 1.5, "#DIV/0!"), ("S", "AA4", "x", " y"), ("S", "H5", 2.0000000001, 3)]
    assert _unrecomputed(first, values) == [] and _unrecomputed(second, values) == []
    partial = {key: value for key, value in values.items() if key != ("T", "A1")}
    assert cached_mismatches(first, {**partial, ("S", "B3"): Decimal("1.5")}) == []
    assert _unrecomputed(second, {**partial, ("S", "H5"): "#NAME?"}) == []  # no circular reference: no finding


def _plain_same(cached, recomputed) -> bool:
    """steps._same before its equal-value fast paths."""
    import math

    def close(a, b):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)

    if cached.__class__ in (int, float) and recomputed.__class__ in (int, float):
        return close(cached, recomputed)
    if cached is None or cached == "":
        return recomputed is None or recomputed == ""
    if isinstance(cached, bool) or isinstance(recomputed, bool):
        return cached == recomputed
    if isinstance(cached, (int, float)) and isinstance(recomputed, (int, float, Decimal)):
        return close(cached, recomputed)
    return str(cached).strip() == str(recomputed).strip()


def test_same_is_the_plain_comparison():
    import itertools

    from xlperf.batch.steps import _same

    values = [None, "", " ", "a", " a", "3", True, False, 0, 1, 3, -3, 2**60, 0.0, -0.0, 1.0, 3.0, 3.0000000001,
              2.0**60, float("inf"), float("-inf"), float("nan"), Decimal("3"), Decimal("3.0000000001"), "#VALUE!"]
    for cached, recomputed in itertools.product(values, repeat=2):
        if cached is None:
            continue  # the callers skip a cell that states nothing
        assert _same(cached, recomputed) == _plain_same(cached, recomputed), (cached, recomputed)
