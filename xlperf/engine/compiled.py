"""Recompute a file's formulas; template copies reuse one compiled model per template structure.

A model compiled once (``ExcelModel.compile``) with every value cell the formulas read as an
input is reused for every returned copy whose structure fingerprint equals the template's, so
a batch pays the load-and-compile cost once per template version and worker, not once per file.
Any other file (tampered, or not an xlperf template) is loaded and calculated on its own.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from xlperf.engine.functions import to_python
from xlperf.engine.recalc import Recalc, prepare, recalc_workbook, sheet_names

_KEY = re.compile(r"^'?\[(?P<book>[^\]]+)\](?P<sheet>.+?)'?!(?P<cell>[A-Z]{1,3}\d+)$")
_cache: dict[tuple[str, ...], "CompiledModel"] = {}
_lock = threading.Lock()


@dataclass
class CompiledModel:
    """A compiled formula graph with its input and output cells as (sheet, A1)."""

    function: Callable[..., Any]
    inputs: list[tuple[str, str]]
    outputs: list[tuple[str, str]]

    def run(self, value_of: Callable[[str, str], Any]) -> dict[tuple[str, str], Any]:
        results = self.function(*(value_of(sheet, cell) for sheet, cell in self.inputs))
        if len(self.outputs) == 1:
            results = [results]
        out = {}
        for key, ranges in zip(self.outputs, results):
            value = getattr(ranges, "value", ranges)
            out[key] = to_python(value[0, 0] if hasattr(value, "shape") else value)
        return out


def _split(node: str, names: dict[str, str]) -> tuple[str, str] | None:
    match = _KEY.match(node)
    if not match:
        return None
    return names.get(match.group("sheet").upper(), match.group("sheet")), match.group("cell")


def compile_model(path: Path) -> CompiledModel:
    """Load ``path`` once and compile it: inputs are all single value cells the formulas read."""
    import shutil
    import tempfile

    import formulas

    workdir = Path(tempfile.mkdtemp(prefix="xlperf-compile-"))
    try:
        source, _ = prepare(path, workdir)
        model = formulas.ExcelModel().loads(str(source)).finish()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    names = {name.upper(): name for name in sheet_names(path)}
    formula_nodes = [k for k, c in model.cells.items() if getattr(c, "inputs", None) is not None]
    inputs = [n for n in model.dsp.data_nodes if isinstance(n, str) and _split(n, names) and n not in formula_nodes]
    inputs = sorted(n for n in inputs if n not in model.cells or getattr(model.cells[n], "inputs", None) is None)
    function = model.compile(inputs=inputs, outputs=formula_nodes)
    return CompiledModel(function, [_split(n, names) for n in inputs], [_split(n, names) for n in formula_nodes])


def template_key(view, template) -> tuple[str, ...] | None:
    """The compiled-model key for a template copy whose structure is intact, else None."""
    if template is None or not template.intact:
        return None
    return (template.framework.id, str(template.version), str(template.fingerprint))


def recompute(view, template=None) -> dict[tuple[str, str], Any]:
    """Every formula cell's recomputed value by (sheet, A1)."""
    key = template_key(view, template)
    if key is None:
        return recalc_workbook(view.path).values
    with _lock:
        model = _cache.get(key)
        if model is None:
            model = _cache[key] = compile_model(Path(view.path))

    def value_of(sheet: str, cell: str) -> Any:
        grid = view.grid(sheet)
        if grid is None:
            return None
        from openpyxl.utils.cell import coordinate_to_tuple

        return grid.get(*coordinate_to_tuple(cell))

    return model.run(value_of)


def clear_cache() -> None:
    _cache.clear()


__all__ = ["recompute", "compile_model", "CompiledModel", "clear_cache", "Recalc"]
