"""Benchmark corpus: N filled template copies (distinct variants, a share with injected defects)."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.corpus import DAPENG_EDITS, filled, finish  # noqa: E402

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


def make_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """``n`` workbooks in ``folder`` (reused when already complete)."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.xlsx"))
    if len(existing) == n:
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
    paths = []
    for i in range(n):
        target = folder / f"单位{i:05d}.xlsx"
        shutil.copyfile(variants[i % len(variants)], target)
        paths.append(target)
    return paths
