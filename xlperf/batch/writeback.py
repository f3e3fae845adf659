"""--write-back: a corrected copy whose cached values are the recomputed ones, patched inside the package.

Two rules keep a copy from misleading whoever opens it:

- an error value from the engine (``#REF!`` for an external link it cannot open, ``#VALUE!`` …) is
  never written over the value the file holds: that is the engine failing, not the file, and the copy
  would show errors in score, total and grade while results.json reports the core's figures. The cell
  keeps its value and a ``writeback-value-kept`` finding names it;
- the copy goes to ``out_dir/name`` and nowhere else: a name that would lead outside ``out_dir``
  (``..``, an absolute path) is refused (``batch.names`` never makes one).

A copy that cannot be written because of the machine (a full disk, a read-only folder) raises
``OutputError``: the batch stops with one line rather than reporting every file as failed.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

from xlperf.errors import OutputError
from xlperf.findings import Finding
from xlperf.workbook.grid import a1

ENVIRONMENT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO})
ENGINE_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                           "#SPILL!", "#CALC!"})


def copy_path(out_dir: str, name: str) -> Path:
    """``out_dir/name``, refusing any name that does not stay inside ``out_dir``."""
    root = os.path.abspath(out_dir)
    target = os.path.abspath(os.path.join(root, name))
    if os.path.isabs(name) or not target.startswith(root.rstrip(os.sep) + os.sep):
        raise ValueError(f"write-back name {name!r} leaves the output folder")
    return Path(target)


def _is_error(value: Any) -> bool:
    return isinstance(value, str) and value.strip() in ENGINE_ERRORS


def write_back(view, values: dict[tuple[str, str], Any], out_dir: str, name: str) -> tuple[str, list[Finding]]:
    """Copy ``view.path`` to ``out_dir/name`` with every formula cell's cached value replaced; returns the
    copy's path and the findings for cells whose engine error was not written.

    Formulas, formatting, validation, protection, macros and every other part stay byte-identical
    (see ``xlperf.workbook.package``); the original is only read.
    """
    from xlperf.workbook.package import patch_values

    target = copy_path(out_dir, name)
    if target.resolve() == Path(view.path).resolve():
        raise ValueError("write-back target is the original file")
    patches: dict[str, dict[str, Any]] = {}
    kept: list[Finding] = []
    for sheet, formulas in view.formulas.items():
        grid = view.grid(sheet)
        for (row, col) in formulas:
            ref = a1(row, col)
            if (sheet, ref) not in values:
                continue
            value = values[(sheet, ref)]
            if _is_error(value):
                cached = grid.get(row, col) if grid else None
                if cached is not None and not _is_error(cached) and value != "#NAME?":
                    kept.append(Finding("writeback-value-kept", sheet, ref, row, expected=cached, found=value))
                continue
            patches.setdefault(sheet, {})[ref] = value
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        patch_values(view.path, target, patches)
    except OSError as exc:
        if exc.errno in ENVIRONMENT_ERRNOS:
            raise OutputError(exc.errno, exc.strerror, str(target)) from exc
        raise
    return str(target), kept
