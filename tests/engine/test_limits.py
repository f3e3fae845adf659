"""engine.limits.check_input: a formula set within the limits is remembered, one past them never is."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from xlperf.engine import limits


def _view(formulas: dict, extents: dict) -> SimpleNamespace:
    return SimpleNamespace(formulas=formulas, sheet_names=list(formulas), extents=extents, grids=[])


def test_a_passed_set_is_remembered_with_its_extents(monkeypatch):
    checked = []
    real = limits._check_input
    monkeypatch.setattr(limits, "_check_input", lambda view: checked.append(view) or real(view))
    small = {"S": {(5, 8): "=SUM(A1:A10)"}}
    limits.check_input(_view(small, {"S": (10, 8)}))
    limits.check_input(_view({"S": dict(small["S"])}, {"S": (10, 8)}))  # a copy: the same set, not checked again
    assert len(checked) == 1
    with pytest.raises(limits.EngineLimit):  # the same formula over a used range past the bound
        limits.check_input(_view({"S": {(5, 8): "=SUM(A:H)"}}, {"S": (1_048_576, 8)}))
    with pytest.raises(limits.EngineLimit):  # and again: a failure is never remembered
        limits.check_input(_view({"S": {(5, 8): "=SUM(A:H)"}}, {"S": (1_048_576, 8)}))
    assert len(checked) == 3
