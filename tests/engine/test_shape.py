"""A formula of a shape compiled before is the earlier program with its references moved: the same
program a fresh compile gives (references, their ``formulas`` ranges, constants, steps, plain-value
source), and a formula whose references cannot be moved exactly is compiled."""

from __future__ import annotations

import pytest

from xlperf.engine import program as program_module
from xlperf.engine.functions import register
from xlperf.engine.program import compile_formula
from xlperf.engine.shape import shape_of

NAMES = ("评分表", "基本信息", "My Sheet")
MOVED = [  # (cell, text) then the same formula at another cell
    (("评分表", 5, 11), "=IF(G5=0,0,ROUND(I5/G5,4))", ("评分表", 9, 11), "=IF(G9=0,0,ROUND(I9/G9,4))"),
    (("评分表", 5, 9), '=ROUND(IF(D5="≤",IF(H5<=E5,1,E5/H5),MIN(1,H5/E5))*G5,2)', ("评分表", 6, 9),
     '=ROUND(IF(D6="≤",IF(H6<=E6,1,E6/H6),MIN(1,H6/E6))*G6,2)'),
    (("评分表", 24, 7), "=SUM(G4:G23)", ("评分表", 25, 7), "=SUM(G5:G24)"),
    (("评分表", 24, 7), "=SUM($G$4:G23)+$B$2", ("评分表", 26, 7), "=SUM($G$4:G25)+$B$2"),
    (("评分表", 10, 6), "=基本信息!B8*A10", ("评分表", 11, 6), "=基本信息!B9*A11"),
    (("评分表", 10, 6), "='My Sheet'!B8+1E+5", ("评分表", 12, 7), "='My Sheet'!C10+1E+5"),
    (("评分表", 3, 3), '=IF(A3="A3",b3,C$1)', ("评分表", 4, 3), '=IF(A4="A3",b4,C$1)'),
]
COMPILED = [  # same shape, but a reference cannot be moved exactly: compiled
    (("评分表", 5, 1), "=$B$6+B5", ("评分表", 6, 1), "=$B$6+B6"),
    (("评分表", 5, 1), "=B5+$B$5", ("评分表", 6, 1), "=B6+$B$5"),
    (("评分表", 24, 7), "=SUM($G$4:G23)", ("评分表", 24, 8), "=SUM($G$4:H23)"),
]


def _facts(program):
    return ([(s, leaf.sheet, leaf.r1, leaf.c1, leaf.r2, leaf.c2, leaf.rng) for s, leaf in program.leaves],
            program.constants, program.names, program.result, program.result_is_leaf, program.slots,
            program.scalar.source if program.scalar else None)


def _second(first, first_text, cell, text, monkeypatch) -> tuple[object, int]:
    register()
    program_module._compile_cached.cache_clear()
    program_module._shapes.clear()
    program_module._compile_cached(first, first_text, NAMES)
    calls = []
    real = program_module.compile_formula
    monkeypatch.setattr(program_module, "compile_formula", lambda *a: calls.append(a) or real(*a))
    return program_module._compile_cached(cell, text, NAMES), len(calls)


@pytest.mark.parametrize("first, first_text, cell, text", MOVED + COMPILED)
def test_moved_program_is_the_compiled_one(first, first_text, cell, text, monkeypatch):
    got, compiles = _second(first, first_text, cell, text, monkeypatch)
    fresh = compile_formula(cell, text, {name.upper(): name for name in NAMES})
    assert _facts(got) == _facts(fresh)
    assert compiles == (0 if (first, first_text, cell, text) in MOVED else 1)


def test_shape_skips_strings_and_quoted_sheet_names():
    assert shape_of('="B5"&\'B5\'!B5', 5, 3)[1] == ((5, 2),)
    assert shape_of("=LOG10(A1)+1E5+Sheet1!A2", 1, 1)[1] == ((1, 1), (2, 1))
    assert shape_of("=A5", 5, 1)[0] == shape_of("=B6", 6, 2)[0] != shape_of("=$B6", 6, 2)[0]
