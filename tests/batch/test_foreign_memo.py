"""batch.foreign.foreign_save remembers per formula set what the formulas alone tell: it must say what the
plain pass says for any formulas and saved values, also for copies of one formula set with other values."""

from __future__ import annotations

import itertools
import random

from xlperf.batch.foreign import _foreign_save, foreign_save
from xlperf.workbook.grid import SheetGrid

TEXTS = ["=SUM(A1:A3)", "=PERF_SCORE(A1,B1)", "=_xldudf_PERF_SCORE(A1)", "=perf_score(A1)", "=round(A1,2)",
         "=ROUND(MIN(1,B2/C2)*D2,2)", "=IF(A1>0,perf_tier(A1),0)", "=_xlfn.xlookup(A1,B1:B3,C1:C3)"]
VALUES = [None, 3, "#NAME?", "#VALUE!", "text"]


class _View:
    def __init__(self, formulas: dict[str, dict], values: dict[str, dict]):
        self.formulas, self.sheet_names = formulas, list(formulas)
        self.grids = [SheetGrid(name, dict(values.get(name, {}))) for name in formulas if name != "无表"]

    def grid(self, name: str):
        return next((g for g in self.grids if g.name == name), None)


def test_foreign_save_matches_the_plain_pass():
    rng = random.Random(13)
    for _ in range(400):
        formulas = {sheet: {(rng.randint(1, 4), rng.randint(1, 3)): rng.choice(TEXTS) for _ in range(rng.randint(0, 5))}
                    for sheet in rng.sample(["评分表", "基本信息", "无表"], rng.randint(1, 3))}
        for _ in range(3):  # copies of one formula set: the memo's entry, with other saved values
            values = {sheet: {pos: rng.choice(VALUES) for pos in itertools.chain(cells, [(9, 9)])}
                      for sheet, cells in formulas.items()}
            view = _View(formulas, values)
            assert foreign_save(view) == _foreign_save(_View(formulas, values)), (formulas, values)
