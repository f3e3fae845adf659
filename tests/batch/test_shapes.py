"""The constants of a copy through its template's shape (``shapes.constants``) equal the plain pass's, in order."""

from __future__ import annotations

import datetime
import random

import pytest

from xlperf.batch import shapes
from xlperf.batch.structure import NO_TABLE, Table
from xlperf.workbook.grid import SheetGrid
from xlperf.workbook.view import MARKER_SHEET, WorkbookView
from xlperf.workbook.xlsxparts import CellError

SHEET, INFO = "评分表", "基本信息"
ROLES = ((1, "level1"), (3, "level3"), (4, "weight"), (5, "target"), (7, "actual"))
ODD = (0.0, -0.0, float("nan"), True, False, 1, 1.0, "1", CellError("#DIV/0!"), datetime.date(2024, 1, 2), " ", "")


def _value(rng: random.Random, template: object) -> object:
    roll = rng.random()
    if roll < 0.7:
        return template
    if roll < 0.85:
        return rng.choice(ODD)
    return rng.choice((f"改{rng.randint(1, 5)}", rng.randint(1, 5), rng.randint(1, 5) / 2))


def _copy(rng: random.Random, rows: int, formulas: bool, first: int = 4) -> tuple[WorkbookView, Table]:
    """A copy of one small template, with edited, missing, retyped and extra cells, in shuffled order."""
    keys = tuple(f"产出|数量|指标{i}" for i in range(rows))
    table = Table(SHEET, keys, tuple(range(first, first + rows)), ROLES, first - 1)
    values: dict[tuple[int, int], object] = {(1, 1): "评分表", (2, 1): "填报单位", (2, 2): f"单位{rng.randint(1, 3)}"}
    texts: dict[tuple[int, int], str] = {}
    for n, row in enumerate(table.rows):
        for col, template in ((1, "产出"), (3, f"指标{n}"), (4, 5), (5, "≥90%"), (6, 0.5), (7, rng.random()),
                              (8, "备注")):
            if rng.random() > 0.1:
                values[(row, col)] = _value(rng, template)
        values[(row, 9)] = rng.choice((1, 2.5, "x", 0.0))
        if formulas and n % 3:
            texts[(row, 9)] = f"=D{row}*F{row}"
    total = first + rows
    values.update({(total, 1): "合计", (total, 4): _value(rng, 100), (total + 2, 3): _value(rng, "说明")})
    if rng.random() < 0.3:
        values[(rng.randint(1, total + 3), rng.randint(1, 12))] = _value(rng, "多出")
    cells = list(values.items())
    if rng.random() < 0.3:
        rng.shuffle(cells)
    info = {(r, c): _value(rng, v) for r, c, v in ((1, 1, "项目"), (1, 2, 12.5), (2, 1, "金额"), (2, 2, 3))}
    grids = [SheetGrid(SHEET, dict(cells)), SheetGrid(INFO, info), SheetGrid(MARKER_SHEET, {(1, 1): "x"})]
    view = WorkbookView("copy.xlsx", grids, formulas={SHEET: texts, INFO: {(3, 2): "=B1*2"} if formulas else {}})
    return view, table


def _same(view: WorkbookView, table: Table) -> None:
    plain = shapes.plain_constants(view, table)
    fast = shapes.constants(view, table)
    for mine, theirs in zip(fast, plain):
        assert list(mine) == list(theirs)
        assert [(type(v), repr(v)) for v in mine.values()] == [(type(v), repr(v)) for v in theirs.values()]


@pytest.mark.parametrize("seed", range(6))
def test_copies_of_a_few_shapes_give_the_plain_constants(seed):
    rng = random.Random(seed)
    shapes.clear()
    for _ in range(150):
        view, table = _copy(rng, rng.choice((4, 4, 4, 5)), rng.random() < 0.8, rng.choice((4, 4, 5)))
        _same(view, table if rng.random() < 0.9 else NO_TABLE)


def test_full_shapes_and_too_many_shapes_still_give_the_plain_constants(monkeypatch):
    monkeypatch.setattr(shapes, "MAX_CELLS", 24)
    monkeypatch.setattr(shapes, "MAX_SHAPES", 2)
    rng = random.Random(7)
    shapes.clear()
    for _ in range(100):
        _same(*_copy(rng, rng.choice((3, 4, 5, 6)), rng.random() < 0.5))
    assert len(shapes._shapes) <= 2
    assert all(sum(s.size() for s in shape.sheets) <= 26 for shape in shapes._shapes.values())


def _plain_changes(cells: dict, base: dict) -> tuple[dict, list]:
    return {cid: c for cid, c in cells.items() if base.get(cid) != c}, [cid for cid in base if cid not in cells]


@pytest.mark.parametrize("seed", range(4))
def test_compact_sends_what_the_plain_comparison_finds(seed):
    from xlperf.batch import facts
    from xlperf.batch.structure import Structure

    rng = random.Random(seed)
    facts.clear()
    ids = [f"s\x1fk{i}\x1f{c}" for i in range(8) for c in range(1, 5)]
    table = Table(SHEET, tuple(f"k{i}" for i in range(8)), tuple(range(4, 12)), ROLES, 3)
    base = {cid: f"s:{rng.randint(0, 2)}" for cid in ids if rng.random() < 0.8}
    assert "full" in facts.compact(Structure("table:k", (SHEET,), table, dict(base)))
    for _ in range(50):
        cells = {cid: f"s:{rng.randint(0, 2)}" for cid in rng.sample(ids, rng.randint(0, len(ids)))}
        other = rng.choice((table, Table(SHEET, table.keys, table.rows, ROLES, 3), None))
        sent = facts.compact(Structure("table:k", (SHEET,), other, cells))
        assert (sent["set"], sent["drop"]) == _plain_changes(cells, base)
        assert list(sent["set"]) == list(_plain_changes(cells, base)[0])
        assert ("table" in sent) == (other is None)
        assert sent.get("alone", True) == (other is None)


def test_table_of_is_shared_by_copies_and_equals_a_fresh_one():
    from types import SimpleNamespace

    from xlperf.batch.structure import table_of

    def indicator_table(names, first=4):
        rows = tuple(SimpleNamespace(level1="产出", level2="数量", level3=n, row=first + i) for i, n in enumerate(names))
        return SimpleNamespace(rows=rows, sheet=SHEET, columns={"level3": "C", "weight": "D"}, header_row=3)

    one, two = table_of(indicator_table(["a", "b", "a"])), table_of(indicator_table(["a", "b", "a"]))
    assert one is two and one.keys == ("产出|数量|a", "产出|数量|b", "产出|数量|a#2") and one.roles == ((3, "level3"), (4, "weight"))
    moved = table_of(indicator_table(["a", "b", "a"], 5))
    assert moved.rows == (5, 6, 7) and table_of(indicator_table(["a", "b"]), levels=2).keys == ("产出|数量", "产出|数量#2")
