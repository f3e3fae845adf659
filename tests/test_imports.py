"""Heavy libraries stay at the edges: the core and the findings import only the standard library."""

import subprocess
import sys

HEAVY = ("openpyxl", "pandas", "formulas", "xlwings", "numpy", "schedula")


def test_core_imports_only_stdlib():
    code = ("import sys, xlperf.core.evaluate, xlperf.core.frameworks, xlperf.findings, xlperf.checks.tables;"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
