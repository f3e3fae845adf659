"""The batch's vote as results arrive (``votes.Tally``) gives what one pass over the whole spool gives."""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from xlperf.batch import facts
from xlperf.batch.canon import canon
from xlperf.batch.infer import InferredOutputs
from xlperf.batch.structure import Structure, Table, cell_id
from xlperf.scoring.result import FileResult

SHEET = "评分表"
ROLES = ((3, "level3"), (4, "weight"))


class _Collect:
    def __init__(self, folder: Path):
        self.out_dir, self.results = folder, []

    def open(self) -> None:
        pass

    def add(self, result: FileResult) -> None:
        self.results.append(result.to_dict())

    def close(self) -> Path:
        return self.out_dir

    def abort(self) -> None:
        pass


def _copy(rng: random.Random, keys: tuple[str, ...], key: str) -> Structure:
    table = Table(SHEET, keys, tuple(range(4, 4 + len(keys))), ROLES, 3)
    cells = {}
    for row, name in zip(table.rows, keys):
        cells[cell_id(SHEET, table(SHEET, row), 3)] = "s:" + (name if rng.random() > 0.1 else "改过")
        cells[cell_id(SHEET, table(SHEET, row), 4)] = "n:" + str(5 if rng.random() > 0.1 else rng.randint(1, 9))
        if rng.random() > 0.1:
            cells[cell_id(SHEET, table(SHEET, row), 7)] = canon(f"=ROUND(D{row}*E{row},2)", SHEET, row, table)
    return Structure(key, (SHEET,), table, cells, vba_sha256=rng.choice((None, None, "ab")))


def _results(seed: int) -> list[FileResult]:
    """Copies of two templates under one key, one of another key and a lone file, sent by two workers."""
    rng = random.Random(seed)
    one = tuple(f"产出|数量|指标{i}" for i in range(6))
    two = tuple(f"效益|社会|指标{i}" for i in range(5))
    kinds = [(one, "table:3=level3,4=weight")] * 6 + [(two, "table:3=level3,4=weight")] * 3 + \
        [(two, "table:3=level3,4=target")] * 2 + [(one, "sheets:x")]
    out, workers = [], [{}, {}]
    for index in range(rng.randint(20, 60)):
        keys, key = rng.choice(kinds)
        worker = workers[index % 2]
        facts._bases.clear()
        facts._bases.update(worker)
        result = FileResult(f"f{index}.xlsx", findings=[{"code": "formula-error", "severity": "error", "sheet": SHEET,
                                                          "cell": "G4", "message": "x", "row": 4}],
                            counts={"error": 1, "warning": 0, "info": 0}, status="errors")
        result.structure = facts.compact(_copy(rng, keys, key))
        worker.clear()
        worker.update(facts._bases)
        out.append(result)
    facts.forget()
    return out


def _run(results: list[FileResult], folder: Path, whole: bool) -> tuple[list, dict, bool]:
    collect = _Collect(folder)
    batch = SimpleNamespace(counts={"error": len(results), "warning": 0, "info": 0}, statuses={"errors": len(results)})
    outputs = InferredOutputs(collect, batch)
    for result in results:
        outputs.add(FileResult.from_dict(result.to_dict()))
    exact = outputs._tally.exact
    if whole:
        outputs._tally.exact = False
    outputs.close()
    return collect.results, {**batch.counts, **batch.statuses}, exact


@pytest.mark.parametrize("seed", range(8))
def test_voting_as_results_arrive_equals_voting_over_the_whole_spool(seed, tmp_path):
    results = _results(seed)
    arrived, counts, exact = _run(results, tmp_path, whole=False)
    assert exact
    assert (arrived, counts) == _run(results, tmp_path, whole=True)[:2]
    assert any(f["code"] == "template-inferred" for r in arrived for f in r["findings"])


def test_a_copy_sent_before_its_base_is_voted_from_the_whole_spool(tmp_path):
    results = _results(1)
    first_full = next(i for i, r in enumerate(results) if "full" in r.structure)
    later = next(i for i, r in enumerate(results) if i > first_full and r.structure["base"] == results[first_full].structure["base"])
    results.insert(first_full, results.pop(later))  # a retried file: its worker met the base after it
    arrived, counts, exact = _run(results, tmp_path, whole=False)
    assert not exact
    assert (arrived, counts) == _run(results, tmp_path, whole=True)[:2]


def _varied(rng: random.Random, keys: tuple[str, ...]) -> Structure:
    """A copy with cells of many contents (past Misra–Gries's K), cells left out and added, rows, sheets and
    macros that change now and then."""
    keys = keys if rng.random() > 0.1 else keys[:-1] + ("其他|新增|指标",)
    table = Table(SHEET, keys, tuple(range(4, 4 + len(keys))), ROLES, 3)
    cells = {}
    for row in table.rows:
        for col in range(3, 9):
            if rng.random() < 0.05:
                continue
            common = rng.random() < (0.2 if col == 8 else 0.7)
            cells[cell_id(SHEET, table(SHEET, row), col)] = f"s:{col}" if common else f"n:{rng.randint(1, 7)}"
    if rng.random() < 0.1:
        cells[cell_id(SHEET, table(SHEET, 4), 20 + rng.randint(0, 3))] = "s:多出"
    sheets = (SHEET,) if rng.random() > 0.1 else (SHEET, "附表")
    return Structure("table:3=level3,4=weight", sheets, table, cells, vba_sha256=rng.choice((None, None, "ab", "cd")))


@pytest.mark.parametrize("seed", range(12))
def test_copies_voted_as_changes_to_their_base_vote_as_whole_copies(seed):
    """The Tally's votes (copies voted as changes where it can) equal ``add`` of every expanded copy: counts,
    cell counters and the template, in the same order."""
    from xlperf.batch.votes import Tally, _assign

    rng = random.Random(seed)
    keys = tuple(f"产出|数量|指标{i}" for i in range(8))
    workers: list[dict] = [{}, {}, {}]
    sent = []
    for index in range(rng.randint(40, 160)):
        worker = workers[rng.randrange(2 if index < 30 else 3)]  # the third's base comes after changes were voted
        facts._bases.clear()
        facts._bases.update(worker)
        sent.append(facts.compact(_varied(rng, keys)))
        worker.clear()
        worker.update(facts._bases)
    facts.forget()
    tally = Tally(lambda offset: (sent[offset], json.dumps(sent[offset])))
    for offset, one in enumerate(sent):
        tally.add(one, offset, json.dumps(one))
    assert tally.exact
    groups: dict = {}
    for one in sent:
        whole = facts.expand(one, tally.bases)
        _assign(groups, whole).add(whole)
    assert list(groups) == list(tally.groups)
    for key, eager in groups.items():
        lazy = tally.groups[key]
        assert len(eager) == len(lazy)
        for a, b in zip(eager, lazy):
            ra, rb = a.reference(), b.reference()
            assert ra == rb and list(ra.cells.items()) == list(rb.cells.items())
            assert (a.n, a.macros, a.rows, a.sheets) == (b.n, b.macros, b.rows, b.sheets)
            assert [(cid, list(c.items())) for cid, c in a.cells.items()] == \
                [(cid, list(c.items())) for cid, c in b.cells.items()]
    assert any(b._hits for lazy in tally.groups.values() for b in lazy)  # the changes path was taken


def test_n_votes_at_once_equal_n_votes_one_by_one():
    from xlperf.batch.votes import K, _vote, _votes

    rng = random.Random(5)
    for _ in range(3000):
        counter = {f"v{i}": rng.randint(1, 6) for i in rng.sample(range(8), rng.randint(0, K))}
        value, n = f"v{rng.randrange(9)}", rng.randint(1, 12)
        one_by_one = dict(counter)
        for _ in range(n):
            _vote(one_by_one, value)
        _votes(counter, value, n)
        assert list(counter.items()) == list(one_by_one.items())


def test_a_whole_copy_after_changes_is_voted_after_them():
    """The votes of copies sent as changes are given before a later copy's own (Misra–Gries is order-bound)."""
    from xlperf.batch.votes import Tally

    table = Table(SHEET, ("产出|数量|指标1",), (4,), ROLES, 3).to_json()
    full = {"key": "k", "sheets": [SHEET], "table": table, "cells": {"c": "s:x", "d": "s:d"}, "vba_sha256": None}
    sent = [{"key": "k", "base": "a", "full": full}]
    sent += [{"key": "k", "base": "a", "set": {"c": f"s:y{i}"}, "drop": []} for i in range(4)]
    sent += [{"key": "k", "base": "a", "set": {}, "drop": []}] * 2  # two votes for s:x, not yet given
    sent += [{"key": "k", "base": "b", "full": {**full, "cells": {"c": "s:z", "d": "s:d"}}}]
    tally = Tally(lambda offset: (sent[offset], json.dumps(sent[offset])))
    for offset, one in enumerate(sent):
        tally.add(one, offset, json.dumps(one))
    group = tally.groups["k"][0]
    group.reference()
    assert list(group.cells["c"].items()) == [("s:x", 2), ("s:z", 1)]
    assert group.cells["d"] == {"s:d": 8} and group.n == 8
