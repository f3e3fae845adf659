"""Find the files to check under the given paths; everything that is not checked is reported."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
REPORT_SUFFIXES = (".docx",)  # Word evaluation reports, checked by xlperf.reports
CHECKED_SUFFIXES = WORKBOOK_SUFFIXES + REPORT_SUFFIXES
STATE_NAME = ".xlperf-progress.jsonl"


@dataclass(frozen=True)
class Task:
    """One input file: where it is and how results name it (relative to the folder given)."""

    path: str
    name: str
    checkable: bool  # False: reported as not a workbook we check (.xls, .txt …)
    legacy: Any = None  # an .xls/.et converted for this batch: xlperf.batch.legacy.Legacy


def _walk(root: str) -> list[str]:
    """Files under ``root`` (symlinked folders not entered, folders holding an xlperf state file, i.e.
    earlier output folders, left out with everything below them), as paths relative to ``root`` in
    the order ``sorted(Path(...))`` gives."""
    found: list[tuple[tuple[str, ...], str]] = []
    for folder, dirs, files in os.walk(root):
        if STATE_NAME in files:
            dirs[:] = []
            continue
        rel = os.path.relpath(folder, root)
        prefix = () if rel == os.curdir else tuple(rel.split(os.sep))
        for name in files:
            parts = prefix + (name,)
            found.append((parts, os.path.join(*parts) if root == os.curdir else os.path.join(root, *parts)))
    found.sort()
    return [path for _, path in found if os.path.isfile(path)]


def discover(paths: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[Task]:
    """Files named directly, and every file under folders (recursively), in a stable order."""
    paths = list(paths)
    excluded = [os.path.realpath(p) for p in exclude]
    tasks: list[Task] = []
    seen: set[str] = set()
    for given in paths:
        root = str(Path(given))
        is_dir = os.path.isdir(root)
        files, base = (_walk(root), root) if is_dir else ([root], os.path.dirname(root))
        for file in files:
            real = os.path.realpath(file)
            if real in seen or any(real == ex or real.startswith(ex.rstrip(os.sep) + os.sep) for ex in excluded):
                continue
            seen.add(real)
            name = os.path.relpath(file, base) if is_dir else os.path.basename(file)
            if is_dir and len(paths) > 1:
                name = os.path.join(Path(root).name, name)
            leaf = os.path.basename(file)
            checkable = os.path.splitext(leaf)[1].lower() in CHECKED_SUFFIXES and not leaf.startswith("~$")
            tasks.append(Task(file, name.replace(os.sep, "/"), checkable))
    return tasks
