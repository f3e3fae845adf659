"""The position-free form of a workbook's structure, the one comparison, and the batch's vote."""

from __future__ import annotations

import pytest

from xlperf.batch.canon import canon, render
from xlperf.batch.compare import compare
from xlperf.batch.votes import K, _assign, _Group, _vote
from xlperf.batch.structure import Structure, Table, cell_id

SHEET = "评分表"
KEYS = ("产出|数量|培训场次", "产出|数量|培训人次", "产出|质量|合格率", "效益|社会|满意度")


def table(keys=KEYS, first: int = 4) -> Table:
    return Table(SHEET, tuple(keys), tuple(range(first, first + len(keys))), ((3, "level3"), (4, "weight")), 3)


@pytest.mark.parametrize(("formula", "row", "expected"), [
    ("=ROUND(MIN(1,F5/E5)*D5,2)", 5, "=ROUND(MIN(1,⟦F|@⟧/⟦E|@⟧)*⟦D|@⟧,2)"),
    ("=SUM(G4:G7)", 8, "=SUM(⟦G|k产出|数量|培训场次⟧:⟦G|k效益|社会|满意度⟧)"),
    ("=IF(G8>=90,\"优\",\"良\")", 9, "=IF(⟦G|e1⟧>=90,\"优\",\"良\")"),
    ("=基本信息!$B$9", 5, "=基本信息!⟦B|r9⟧"),
    ("=$A$2 + perf_total(F4:F7,FALSE())", 8, "=⟦A|r2⟧+PERF_TOTAL(⟦F|k产出|数量|培训场次⟧:⟦F|k效益|社会|满意度⟧,FALSE)"),
])
def test_canonical_formulas(formula, row, expected):
    assert canon(formula, SHEET, row, table()) == expected


def test_a_row_inserted_inside_a_range_leaves_the_total_unchanged():
    before = canon("=SUM(G4:G7)", SHEET, 8, table())
    wider = table(KEYS[:2] + ("产出|数量|新增",) + KEYS[2:])
    assert canon("=SUM(G4:G8)", SHEET, 9, wider) == before
    assert render(before, SHEET, 9, wider.row_of) == "=SUM(G4:G8)"


def _structure(keys, cells, sheets=(SHEET, "基本信息")) -> Structure:
    t = table(keys)
    out = {}
    for (row, col), content in cells.items():
        out[cell_id(SHEET, t(SHEET, row), col)] = content
    return Structure("table:3=level3,4=weight", sheets, t, out)


def _template_cells(keys) -> dict:
    first, last = 4, 3 + len(keys)
    cells = {(r, 7): canon(f"=ROUND(D{r}*E{r},2)", SHEET, r, table(keys)) for r in range(first, last + 1)}
    cells.update({(r, 3): "s:" + k.rsplit("|", 1)[1] for r, k in zip(range(first, last + 1), keys)})
    cells.update({(r, 4): "n:5" for r in range(first, last + 1)})
    cells[(last + 1, 7)] = canon(f"=SUM(G{first}:G{last})", SHEET, last + 1, table(keys))
    return cells


def test_a_deleted_last_row_shrinks_the_expected_total_and_is_reported_once():
    ref = _structure(KEYS, _template_cells(KEYS))
    kept = KEYS[:3]
    cells = _template_cells(KEYS[:3])  # the copy Excel leaves: the total over the rows that remain
    findings = compare(ref, _structure(kept, cells))
    assert [(f.code, f.expected) for f in findings] == [("row-deleted", "满意度")]


def test_an_edited_name_is_compared_as_the_same_row():
    cells = _template_cells(KEYS)
    cells[(5, 3)] = "s:培训人数"
    renamed = KEYS[:1] + ("产出|数量|培训人数",) + KEYS[2:]
    findings = compare(_structure(KEYS, _template_cells(KEYS)), _structure(renamed, cells))
    assert [(f.code, f.cell, f.found) for f in findings] == [("template-cell-changed", "C5", "培训人数")]


def test_a_weight_and_a_formula_are_reported_at_their_cells():
    cells = _template_cells(KEYS)
    cells[(6, 4)] = "n:8"
    cells[(7, 7)] = "n:4.5"
    file = _structure(KEYS, cells)
    file.typed[cell_id(SHEET, file.table(SHEET, 7), 7)] = 4.5
    found = {(f.code, f.cell): f for f in compare(_structure(KEYS, _template_cells(KEYS)), file)}
    assert set(found) == {("weight-changed", "D6"), ("formula-missing", "G7")}
    assert found[("formula-missing", "G7")].expected == "=ROUND(D7*E7,2)"


def test_misra_gries_keeps_the_majority():
    counter: dict = {}
    for i in range(60):
        _vote(counter, "template" if i % 3 else f"input{i}")
    assert len(counter) <= K and max(counter, key=counter.get) == "template"


def test_two_templates_with_one_header_are_two_groups():
    other = ("决策|立项|依据", "决策|立项|程序", "过程|管理|制度", "过程|管理|执行")
    groups: dict = {}
    a = [_assign(groups, _structure(KEYS, {})) for _ in range(3)]
    b = [_assign(groups, _structure(other, {})) for _ in range(2)]
    assert len({id(g) for g in a}) == 1 and len({id(g) for g in b}) == 1 and a[0] is not b[0]
    assert isinstance(a[0], _Group)
