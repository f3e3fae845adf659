"""The 汇总's worksheet class prepares every formula exactly as xlsxwriter's own does."""

from __future__ import annotations

import random

import pytest
from xlsxwriter.worksheet import Worksheet

from xlperf.outputs.linksheet import LinkSheet
from xlperf.outputs.summary_style import link_formula

NAMES = ["报告.xlsx", "报告(1).xlsx", "a(b).xlsx", "x FILTER(y).xlsx", "SORT(", "=SUM(A1)", "_xlfn.SORT(a)",
         "SINGLE(", "xSINGLE(z", "{a}", "a}", "{", "it's \"quoted\".xlsx", "a#b%c.xlsx", "XLOOKUP(", "sort(", "ÄSORT(",
         "项目SORT(1)", "x.LAMBDA(", "LOG10(", "1(2", "_(", ".(", " (", "HYPERLINK(", "", "副本（2）.xlsx"]


def _formulas(seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(300):
        name = "".join(rng.choice(NAMES) for _ in range(rng.randint(1, 3)))
        sheet = rng.choice((None, "评分表", "Sheet(1)", "FILTER(x)"))
        formula = link_formula(f"/data/{rng.choice(NAMES)}/{name}", "/data/out", name or "x", sheet, "B4" if sheet else None)
        out.append(formula or "=HYPERLINK(\"a\",\"b\")")
        out.append(rng.choice(("=", "{=", "", "=HYPERLINK(")) + name + rng.choice(("", "}", ")")))
    return out


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("future", (False, True))
@pytest.mark.parametrize("expand", (False, True))
def test_formulas_are_prepared_as_the_library_prepares_them(seed, future, expand):
    ours, theirs = LinkSheet(), Worksheet()
    ours.use_future_functions = theirs.use_future_functions = future
    for formula in _formulas(seed):
        if formula:
            assert ours._prepare_formula(formula, expand) == theirs._prepare_formula(formula, expand), formula


def test_a_plain_link_takes_the_quick_way(monkeypatch):
    def library(*args):
        raise AssertionError("the library's way")
    monkeypatch.setattr(Worksheet, "_prepare_formula", library)
    assert LinkSheet()._prepare_formula('=HYPERLINK("a/报告.xlsx","报告.xlsx")') == 'HYPERLINK("a/报告.xlsx","报告.xlsx")'


@pytest.mark.parametrize("start", ["/data/out", "/data", "/", "/data/a", "/data/a/b/c", "out", ".", "..", "/data/a/x.xlsx/sub"])
def test_relative_paths_are_those_of_relpath(start):
    import os

    from xlperf.outputs.summary_style import relative_path

    for path in ("/data/a/x.xlsx", "/data/out/x.xlsx", "/x.xlsx", "/data/a/b/c/d.xlsx", "x.xlsx", "a/../y.xlsx",
                 "../z.xlsx", "/data/a/x.xlsx/", "/data//a/./w.xlsx", "/data/a"):
        assert relative_path(path, start) == os.path.relpath(os.path.abspath(path), os.path.abspath(start)), (path, start)
