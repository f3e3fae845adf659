"""The tail's quick ways through the comparisons find what the full comparison finds: ``compare`` walking
only the cells that differ, and a copy taking its base's differences (``infer._Differences``)."""

from __future__ import annotations

import json
import random
from types import SimpleNamespace

import pytest

from xlperf.batch import compare as compare_module
from xlperf.batch import facts, infer
from xlperf.batch.canon import canon
from xlperf.batch.compare import compare
from xlperf.batch.structure import NO_TABLE, Structure, Table, cell_id
from xlperf.scoring.result import FileResult
from tests.batch.test_votes import _Collect

SHEET = "评分表"
ROLES = ((3, "level3"), (4, "weight"))
KEYS = tuple(f"产出|数量|指标{i}" for i in range(6))


def _copy(rng: random.Random, unit: int, edits: float, rename: bool = False, tables: bool = True) -> Structure:
    """A copy of one template: its unit's own header text, now and then a row deleted or renamed, a sheet
    missing, a weight, name or formula changed, a formula typed over (its value in ``typed``)."""
    keys = list(KEYS)
    if rng.random() < edits / 2:
        del keys[rng.randrange(len(keys))]
    if rename or rng.random() < edits / 2:
        keys[1] = "产出|数量|改名"
    table = Table(SHEET, tuple(keys), tuple(range(4, 4 + len(keys))), ROLES, 3)
    anchors = table if tables and rng.random() > edits / 3 else NO_TABLE  # now and then a file without a table
    cells = {cell_id(SHEET, "r2", 2): f"s:单位{unit}", cell_id(SHEET, "r1", 1): "s:评分表"}
    typed = {}
    for row, key in zip(table.rows, keys):
        anchor = anchors(SHEET, row)
        cells[cell_id(SHEET, anchor, 3)] = "s:" + (key.rsplit("|", 1)[1] if rng.random() > edits else "改过")
        cells[cell_id(SHEET, anchor, 4)] = "n:" + str(5 if rng.random() > edits else rng.randint(1, 9))
        if rng.random() > edits:
            cells[cell_id(SHEET, anchor, 7)] = canon(f"=ROUND(D{row}*E{row},2)", SHEET, row, anchors)
        else:
            typed[cell_id(SHEET, anchor, 7)] = rng.choice((1, 2.5, "x"))
    last = table.rows[-1] + 1
    cells[cell_id(SHEET, anchors(SHEET, last), 7)] = canon(f"=SUM(G4:G{last - 1})", SHEET, last, anchors)
    if rng.random() < 0.3:
        typed[cell_id(SHEET, "r3", 9)] = rng.randint(1, 99)  # a unit's typed value that no finding shows
    sheets = (SHEET, "基本信息") if rng.random() > edits / 3 else (SHEET,)
    return Structure("table:3=level3,4=weight", sheets, table if anchors is table else None, cells, typed=typed,
                     vba_sha256=None if rng.random() > edits / 4 else "ab")


@pytest.mark.parametrize("seed", range(6))
def test_walking_only_the_differing_cells_finds_what_walking_every_cell_finds(seed, monkeypatch):
    rng = random.Random(seed)
    tables = seed % 3 != 2  # else the template and its copies have no table
    copies = [_copy(rng, unit, rng.choice((0.0, 0.15, 0.4)), tables=tables) for unit in range(40)]
    ref = _copy(random.Random(-1), 0, 0.0, tables=tables)
    del ref.cells[cell_id(SHEET, "r2", 2)]  # no unit's own text is the template's
    quick = [[f for f in compare(ref, copy)] for copy in copies]
    real = compare_module._differing
    monkeypatch.setattr(compare_module, "_differing", lambda r, f: [] if real(r, f) == [] else None)  # as before
    assert quick == [compare(ref, copy) for copy in copies]
    assert any(quick) and not all(quick)


def _spooled(seed: int, folder) -> tuple[infer.InferredOutputs, list]:
    """Copies sent by two workers (bases and changes), spooled and voted as the batch does."""
    rng = random.Random(seed)
    workers: list[dict] = [{}, {}]
    firsts: list[Structure] = []
    outputs = infer.InferredOutputs(_Collect(folder), SimpleNamespace(counts={}, statuses={}))
    for unit in range(rng.randint(30, 60)):
        worker = workers[unit % 2]
        facts._bases.clear()
        facts._bases.update(worker)
        result = FileResult(f"f{unit}.xlsx")
        edits = (0.0 if seed % 2 == 0 else 0.3) if unit < 2 else rng.choice((0.0, 0.05, 0.3))  # the bases first
        copy = _copy(rng, unit, edits, rename=unit == 1 and seed % 2 == 1)
        if unit < 2:
            firsts.append(copy)
        elif rng.random() < 0.3:  # the base's edits, other typed values (shown where a formula was typed over)
            first = firsts[unit % 2]
            cells = {**first.cells, cell_id(SHEET, "r2", 2): f"s:单位{unit}"}
            if first.table and rng.random() < 0.5:  # and a weight on the second row (renamed in the base, say)
                cells[cell_id(SHEET, first.table(SHEET, 5), 4)] = "n:7"
            copy = Structure(first.key, first.sheets, first.table, cells,
                             typed={cid: rng.choice((1, 2.5, "y")) for cid in first.typed}, vba_sha256=first.vba_sha256)
        result.structure = facts.compact(copy)
        worker.clear()
        worker.update(facts._bases)
        outputs.add(result)
    facts.forget()
    return outputs, list(outputs._spool.lines())


@pytest.mark.parametrize("seed", range(8))
def test_a_copy_takes_its_bases_differences_only_where_its_own_comparison_finds_them(seed, tmp_path, monkeypatch):
    outputs, lines = _spooled(seed, tmp_path)
    tally, compared = outputs._tally, []
    real = infer._found
    monkeypatch.setattr(infer, "_found", lambda group, facts: compared.append(1) or real(group, facts))
    differences, taken = infer._Differences(tally.bases), 0
    try:
        for group, (_, sent, _) in zip(tally.member, lines):
            if group is None or group.n < 2:
                continue
            before = len(compared)
            found = differences(group, json.loads(sent))
            taken += len(compared) == before
            assert found == real(group, facts.expand(json.loads(sent), tally.bases)), sent
    finally:
        outputs.abort()
    assert taken or seed % 2  # with clean bases most copies take theirs
