"""Benchmark corpus: N filled template copies, each one distinct (a share with injected defects).

40 variants are built with openpyxl and recalculated by ``formulas``; every file of the corpus is then
a variant with its own evaluator judgements (rows that carry a deduction note) and its own spent budget,
its formulas' cached values recomputed, so no two files share a score sheet's bytes (a reader that
caches parts by their bytes gains nothing from the corpus that it would not gain from real returns).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.corpus import DAPENG_EDITS, filled, finish  # noqa: E402
from xlperf.batch.template_check import recognise  # noqa: E402
from xlperf.engine.compiled import recompute  # noqa: E402
from xlperf.workbook.grid import a1  # noqa: E402
from xlperf.workbook.package import patch_values  # noqa: E402
from xlperf.workbook.view import open_view  # noqa: E402

VARIANTS = 40
DEFECT_SHARE = 0.1


def _variant(i: int, rng: random.Random):
    framework, case = (("dapeng", "dapeng_2024"), ("yantian", "yantian_2024"), ("self_eval", None))[i % 3]
    wb = filled(framework, case)
    ws = wb["评分表"]
    for r in range(4, ws.max_row + 1):  # vary the numeric actuals so the copies differ
        value = ws[f"H{r}"].value
        if isinstance(value, str) and value[:1].isdigit() and value.endswith(("人", "名", "场次", "人次")):
            digits = "".join(ch for ch in value if ch.isdigit())
            unit = value[len(digits):]
            ws[f"H{r}"] = f"{max(0, int(digits) + rng.randint(-3, 3))}{unit}"
    if rng.random() < DEFECT_SHARE * 3 and framework == "dapeng":
        _, change, _, _ = DAPENG_EDITS[i % len(DAPENG_EDITS)]
        if change is not None:
            change(wb)
    return wb


def _inputs(variant: Path, rng: random.Random) -> dict[str, dict[str, object]]:
    """New judgements for the noted rows (0.5 steps below the weight) and a new spent budget."""
    view = open_view(variant)
    layout = view.marker["layout"]
    sheet, info = view.grid(layout["sheet"]), view.grid(layout["info_sheet"])
    cols = {key: ord(letter) - 64 for key, letter in layout["columns"].items()}
    changes: dict[str, dict[str, object]] = {layout["sheet"]: {}, layout["info_sheet"]: {}}
    for row in range(layout["first_row"], layout["last_row"] + 1):
        weight, judged = sheet.values.get((row, cols["weight"])), sheet.values.get((row, cols["judgement"]))
        if sheet.values.get((row, cols["note"])) and isinstance(judged, (int, float)) and isinstance(weight, (int, float)) \
                and weight >= 1:
            changes[layout["sheet"]][a1(row, cols["judgement"])] = rng.randint(1, int(weight * 2) - 1) / 2
    spent_ref = layout["budget"]["spent"]
    spent = info.values.get((int(spent_ref[1:]), ord(spent_ref[0]) - 64))
    if isinstance(spent, (int, float)) and spent:
        factor = Decimal(rng.randint(9700, 10000)) / 10000
        changes[layout["info_sheet"]][spent_ref] = float((Decimal(repr(spent)) * factor).quantize(Decimal("0.01")))
    return changes


def _unique(job: tuple[Path, Path, int]) -> Path:
    """``target``: the variant with its own inputs and every formula's cached value recomputed."""
    variant, target, seed = job
    fd, name = tempfile.mkstemp(suffix=".xlsx", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        patch_values(variant, tmp, _inputs(variant, random.Random(seed)))
        view = open_view(tmp)
        template, _ = recognise(view)
        values: dict[str, dict[str, object]] = {}
        for (sheet, ref), value in recompute(view, template).items():
            values.setdefault(sheet, {})[ref] = value
        patch_values(tmp, target, values)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def make_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """``n`` distinct workbooks in ``folder`` (reused when already complete)."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.xlsx"))
    stamp = folder.parent / f".{folder.name}.unique"  # beside the folder: xlperf would report it as a file
    if len(existing) == n and stamp.exists():
        return existing
    for old in existing:
        old.unlink()
    rng = random.Random(seed)
    bases = folder.parent / f"_variants_{VARIANTS}"
    if not bases.exists() or len(list(bases.glob("*.xlsx"))) != VARIANTS:
        bases.mkdir(parents=True, exist_ok=True)
        for i in range(VARIANTS):
            finish(_variant(i, rng), bases / f"v{i:02d}.xlsx")
    variants = sorted(bases.glob("*.xlsx"))
    jobs = [(variants[i % len(variants)], folder / f"单位{i:05d}.xlsx", seed * 1_000_003 + i) for i in range(n)]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        paths = list(pool.map(_unique, jobs, chunksize=64))
    stamp.write_text("each file has its own inputs\n", encoding="utf-8")
    return paths
