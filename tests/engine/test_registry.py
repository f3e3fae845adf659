"""The lazy function registry answers every lookup exactly as ``formulas``' own registry does,
and a batch worker that only needs common functions never imports scipy.stats."""

from __future__ import annotations

import subprocess
import sys

CHECK = r"""
import sys
import formulas
import xlperf.engine.functions as F
from xlperf.engine.program import compile_workbook

registry = formulas.get_functions()
assert isinstance(registry, F.LazyRegistry)
from xlperf.engine.rulefit import placed
placed("=ROUND(IF(F5=\"≤\",IF(F9<=F6,1,F6/F9),MIN(1,F9/F6))*F8,2)", "S", 5, 10, ())
assert "formulas.functions.math" not in sys.modules, "a bureau score formula loaded every function module"
compile_workbook({"S": {(1, 1): "=IF(B1=0,\"\",ROUND(SUM(B1:B3)/B1,2))", (2, 1): "=PERF_SCORE(B1,B2,B3)",
                        (3, 1): "=ROUND(MIN(1,B2/B3)*MAX(B1,0),2)"}})
assert not registry.heavy_loaded and "scipy.stats" not in sys.modules, "common functions loaded scipy.stats"
import importlib
from formulas.functions import FUNCTIONS, SUBMODULES
seen = {}  # the lazy registry's premise: no name is in two of formulas' function modules
for module in SUBMODULES:
    for name in importlib.import_module(module, "formulas.functions").FUNCTIONS:
        assert seen.setdefault(name, module) == module and name not in FUNCTIONS, name
ours = set(F.UDFS) | {"ROUND", "ROUNDUP", "ROUNDDOWN"} | set(F.LIGHT_STAT)
full = F.FULL_REGISTRY()
light = {k: registry[k] for k in list(registry)}
assert "NORM.S.DIST" in registry and registry.heavy_loaded  # a scipy-based name loads the rest
for name, func in full.items():
    if name not in ours:
        assert registry[name] is func, name
        assert name not in light or light[name] is func, name
assert set(full) - ours <= set(registry)
assert registry["NO.SUCH.FUNCTION"] is full["NO.SUCH.FUNCTION"]  # both: formulas' not_implemented
print("ok", len(full))
"""


def test_lazy_registry_equals_formulas_registry():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")


SAME_MIN_MAX = r"""
import numpy as np
import formulas
from formulas.functions import stat
from formulas.tokens.operand import Error
from xlperf.engine.functions import LIGHT_STAT

rng = lambda *v: np.array([list(v)], dtype=object)
cases = [(3, 2), (1, 0.5), (rng(4, "x", True, None, 2.5),), (rng("a"),), ("7", 2), (True, 0), (rng(1, Error.errors["#N/A"]),),
         (Error.errors["#DIV/0!"], 1), (rng(None, None),), (-1, rng(-3, 5))]
for name in ("MIN", "MAX"):
    ours, theirs = LIGHT_STAT[name], stat.FUNCTIONS[name]
    for args in cases:
        try:
            a = repr(ours(*args))
        except Exception as exc:
            a = type(exc).__name__
        try:
            b = repr(theirs(*args))
        except Exception as exc:
            b = type(exc).__name__
        assert a == b, (name, args, a, b)
print("ok")
"""


def test_min_and_max_without_scipy_give_what_formulas_gives():
    out = subprocess.run([sys.executable, "-c", SAME_MIN_MAX], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")
