"""Find the files to check under the given paths; everything that is not checked is reported."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
STATE_NAME = ".xlperf-progress.jsonl"


@dataclass(frozen=True)
class Task:
    """One input file: where it is and how results name it (relative to the folder given)."""

    path: str
    name: str
    checkable: bool  # False: reported as not a workbook we check (.xls, .txt …)


def discover(paths: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[Task]:
    """Files named directly, and every file under folders (recursively), in a stable order."""
    paths = list(paths)
    excluded = [Path(p).resolve() for p in exclude]
    tasks: list[Task] = []
    seen: set[Path] = set()
    for given in paths:
        root = Path(given)
        if root.is_dir():
            outputs = {p.parent for p in root.rglob(STATE_NAME)}  # earlier xlperf output folders
            files = sorted(p for p in root.rglob("*") if p.is_file() and not (outputs & set(p.parents)))
            base = root
        else:
            files, base = [root], root.parent
        for file in files:
            real = file.resolve()
            if real in seen or any(real == ex or ex in real.parents for ex in excluded):
                continue
            seen.add(real)
            name = os.path.relpath(file, base) if root.is_dir() else file.name
            if root.is_dir() and len(paths) > 1:
                name = os.path.join(root.name, name)
            checkable = file.suffix.lower() in WORKBOOK_SUFFIXES and not file.name.startswith("~$")
            tasks.append(Task(str(file), name.replace(os.sep, "/"), checkable))
    return tasks
