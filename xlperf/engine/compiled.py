"""Recompute a file's formulas with a compiled program, keyed by the file's formula set.

Copies of a template (xlperf's, a bureau's, any set of files a batch holds in common) hold the same
formulas: the set is compiled once per worker into a straight-line program over ``formulas``' parsed
functions (``program``; one compiled formula per cell and text, so an edited copy only compiles what
it changed) and each copy only feeds its values in. A file whose formulas no other file shares is
compiled too: measured on the bureau corpus (``bench/bureau.py``), compiling a new set takes 4–70 ms
where ``formulas``' ExcelModel takes 160–650 ms for the same file, and both give the same values
(tests/engine, ``bench/run.py``). A formula the program cannot express, and an array formula, go to the
ExcelModel.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from xlperf.engine.limits import check_input, check_model_input
from xlperf.engine.program import Unsupported, WorkbookProgram, compile_workbook
from xlperf.engine.key import formula_key
from xlperf.engine.recalc import Recalc, recalc_workbook

_MAX_PROGRAMS = 64
_programs: "OrderedDict[tuple, WorkbookProgram | None]" = OrderedDict()
_lock = threading.Lock()


def _program(view) -> WorkbookProgram | None:
    """The compiled program for this set of formulas (None: it needs the full model), cached."""
    key = formula_key(view)
    with _lock:
        found = _programs.get(key, _programs)  # (the dict itself: not cached; None is a cached answer)
        if found is not _programs:
            _programs.move_to_end(key)
            return found
    try:
        program: WorkbookProgram | None = compile_workbook(view.formulas, view.sheet_names)
    except Unsupported:
        program = None
    with _lock:
        _programs[key] = program
        while len(_programs) > _MAX_PROGRAMS:
            _programs.popitem(last=False)
    return program


def recompute(view, template: Any = None) -> dict[tuple[str, str], Any]:
    """Every formula cell's recomputed value by (sheet, A1) (``template``: kept for callers that name it).

    A copy holding an array (CSE) formula goes to the full model: the program computes single cells only."""
    check_input(view)  # formula lengths, parse work and referenced areas, before any is parsed (engine.limits)
    program = None if view.has_arrays else _program(view)
    if program is not None:
        try:
            values = program.run({grid.name: grid.values for grid in view.grids})
            return {program.names[cell]: value for cell, value in values.items()}
        except Unsupported:
            pass
    check_model_input(view)  # the full model reads every cell of the used ranges: bounded (engine.limits)
    return recalc_workbook(view.path).values


def clear_cache() -> None:
    with _lock:
        _programs.clear()


__all__ = ["recompute", "clear_cache", "Recalc"]
