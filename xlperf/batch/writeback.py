"""--write-back: a corrected copy whose cached values are the recomputed ones, patched inside the package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlperf.workbook.grid import a1


def write_back(view, values: dict[tuple[str, str], Any], out_dir: str, name: str) -> str:
    """Copy ``view.path`` to ``out_dir/name`` with every formula cell's cached value replaced.

    Formulas, formatting, validation, protection, macros and every other part stay byte-identical
    (see ``xlperf.workbook.package``); the original is only read.
    """
    from xlperf.workbook.package import patch_values

    target = Path(out_dir) / name
    if target.resolve() == Path(view.path).resolve():
        raise ValueError("write-back target is the original file")
    patches: dict[str, dict[str, Any]] = {}
    for sheet, formulas in view.formulas.items():
        for (row, col) in formulas:
            ref = a1(row, col)
            if (sheet, ref) in values and values[(sheet, ref)] != "#NAME?":
                patches.setdefault(sheet, {})[ref] = values[(sheet, ref)]
    target.parent.mkdir(parents=True, exist_ok=True)
    patch_values(view.path, target, patches)
    return str(target)
