"""Benchmark corpus of bureau-made templates: N filled copies of the three layouts of ``tests/bureau``.

Each copy is written by its template's library (xlsxwriter or openpyxl) with its own unit's inputs
(``make_inputs``: every file distinct), a tenth of them with one injected defect (a formula typed over,
text in a number cell, a weight or target edited, a stale cached value, a row deleted or inserted).
Cached values come from xlperf's formula engine (the per-copy cost of ``formulas``' ExcelModel would
make a 1 000-file corpus take most of an hour on this machine); ``bench/run.py`` compares the engine with
per-file ``formulas`` on a sample of the same files, cell by cell.
"""

from __future__ import annotations

import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.bureau.corpus import Copy, defects, inject, write_copy  # noqa: E402
from tests.bureau.layouts import LAYOUTS  # noqa: E402
from tests.bureau.rows import ROWS, make_inputs  # noqa: E402

DEFECT_SHARE = 0.1
SKIPPED = ("values_pasted", "sheet_renamed", "macro_added")  # a second recalculation, an .xlsm


def engine_values(raw: Path) -> dict:
    from xlperf.engine.compiled import recompute
    from xlperf.workbook.view import open_view

    return recompute(open_view(raw), True)


def _one(job: tuple[str, int, int, Path]) -> Path:
    layout, index, seed, target = job
    rng = random.Random(seed)
    copy = Copy(make_inputs(layout, rng, index), list(ROWS[layout]))
    if rng.random() < DEFECT_SHARE:
        options = [d for d in defects(layout, rng) if d[0] not in SKIPPED]
        name, copy, change, _ = rng.choice(options)
        copy.inputs = make_inputs(layout, rng, index)
        inject(layout, copy, change)
    write_copy(layout, copy, target, engine_values)
    return target


def make_bureau_corpus(folder: Path, n: int, seed: int = 11) -> list[Path]:
    """``n`` distinct copies in ``folder``, the layouts in turn (reused when already complete)."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.xlsx"))
    stamp = folder.parent / f".{folder.name}.done"
    if len(existing) == n and stamp.exists():
        return existing
    for old in existing:
        old.unlink()
    layouts = list(LAYOUTS)
    jobs = [(layouts[i % 3], i, seed * 1_000_003 + i, folder / f"单位{i:05d}_{layouts[i % 3]}.xlsx") for i in range(n)]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        paths = list(pool.map(_one, jobs, chunksize=32))
    stamp.write_text("bureau copies, each with its own inputs\n", encoding="utf-8")
    return paths
