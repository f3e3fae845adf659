"""A batch's result does not depend on what the process ran before it (found by the hostile-input suite:
a batch checked in-process left its workers' successors believing the template facts already sent)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.reliability.hostile import SHEET1, repack, set_cell


def _findings(out: Path) -> dict[str, list]:
    return {e["file"]: sorted((f["code"], f["cell"]) for f in e["findings"])
            for e in json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]}


def test_a_batch_after_an_in_process_batch_finds_the_same(bases, tmp_path):
    from xlperf.batch.runner import RunOptions, run_batch
    from xlperf.batch.task import CheckOptions

    first, second = tmp_path / "first", tmp_path / "second"
    for folder, count in ((first, 3), (second, 4)):
        folder.mkdir()
        for i in range(count):
            shutil.copy(bases["bureau"], folder / f"u{i}.xlsx")
    repack(bases["bureau"], second / "u9.xlsx", {SHEET1: set_cell("G3", '<c r="G3"><v>30</v></c>')})  # typed over
    opts = CheckOptions(formulas=False)
    run_batch([second], opts, RunOptions(tmp_path / "cold", jobs=1))
    run_batch([first], opts, RunOptions(tmp_path / "warm-up", jobs=0))  # checked in this process
    run_batch([second], opts, RunOptions(tmp_path / "warm", jobs=1))
    cold, warm = _findings(tmp_path / "cold"), _findings(tmp_path / "warm")
    assert any(cell == "G3" for _, cell in cold["u9.xlsx"]) and warm == cold
