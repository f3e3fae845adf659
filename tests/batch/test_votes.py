"""The batch's vote as results arrive (``votes.Tally``) gives what one pass over the whole spool gives."""

from __future__ import annotations

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
