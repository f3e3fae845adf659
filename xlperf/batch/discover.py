"""Find the files to check under the given paths; every file found is reported, checked or not.

Nothing below an input is passed over in silence: spreadsheets in a format xlperf cannot check (a legacy
.xls/.et workbook is converted first, by ``batch.legacy``), files that are not spreadsheets, links that lead nowhere, special files and the outputs of earlier runs all
become tasks (``kind``), and each gets its own result. Only the run's own output folder is left out (by
its real path; ``outdir`` lets it lie inside an input only when it holds nothing but xlperf's outputs),
never a folder merely because it holds a state file: in an earlier run's output folder only that run's
outputs are recognised, every other file is checked. Symlinked folders are followed once per real folder.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from xlperf.batch.names import distinct_names

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
REPORT_SUFFIXES = (".docx",)  # Word evaluation reports, checked by xlperf.reports
CHECKED_SUFFIXES = WORKBOOK_SUFFIXES + REPORT_SUFFIXES
# Spreadsheets a unit may send that xlperf cannot check (yet): an error for the file, never a pass.
SPREADSHEET_SUFFIXES = (".xls", ".xlt", ".et", ".ett", ".xlsb", ".ods", ".ots", ".fods", ".numbers", ".csv",
                        ".tsv")
STATE_NAME = ".xlperf-progress.jsonl"
LOCK_NAME = ".xlperf-lock"
OUTPUT_NAMES = ("汇总.xlsx", "summary.xlsx", "findings.csv", "results.json", "corrected")  # one set per run
KINDS = ("workbook", "report", "spreadsheet", "other", "broken-link", "special", "output")
CHECKED_KINDS = ("workbook", "report")


def classify(path: str) -> str:
    """The task kind of an existing path, by what it is and then by its suffix."""
    try:
        mode = os.stat(path).st_mode  # follows links: a dangling or looping one raises
    except OSError:
        return "broken-link" if os.path.islink(path) else "special"
    if not stat.S_ISREG(mode):
        return "special"
    return _named(os.path.basename(path))


def _named(leaf: str) -> str:
    """The task kind of a regular file, by its name."""
    suffix = os.path.splitext(leaf)[1].lower()
    if suffix in CHECKED_SUFFIXES and not leaf.startswith("~$"):  # ~$ are Office's lock files
        return "workbook" if suffix in WORKBOOK_SUFFIXES else "report"
    return "spreadsheet" if suffix in SPREADSHEET_SUFFIXES else "other"


@dataclass(frozen=True)
class Task:
    """One input file: where it is, how results name it, and what it is (``KINDS``)."""

    path: str
    name: str
    checkable: bool  # a workbook xlperf reads; everything else gets its result from batch.unchecked
    kind: str = field(default="")
    legacy: Any = None  # an .xls/.et converted for this batch: xlperf.batch.legacy.Legacy

    def __post_init__(self) -> None:
        if not self.kind:
            kind = classify(self.path)
            if self.checkable != (kind in CHECKED_KINDS):  # the caller decided: as a workbook, or not at all
                kind = "workbook" if self.checkable else "other"
            object.__setattr__(self, "kind", kind)


def is_output_folder(folder: str | Path) -> bool:
    """Whether ``folder`` is an xlperf output folder (it holds a run's state or lock file)."""
    return os.path.exists(os.path.join(folder, STATE_NAME)) or os.path.exists(os.path.join(folder, LOCK_NAME))


def _outputs(folder: str, dirs: list[str], files: list[str]) -> set[str]:
    """The entries of an earlier run's output folder that are that run's outputs (not returns)."""
    if STATE_NAME not in files and LOCK_NAME not in files:
        return set()
    found = {name for name in files + dirs if name in OUTPUT_NAMES or name.startswith(".xlperf-")}
    dirs[:] = [d for d in dirs if d not in found]  # corrected/ and .xlperf-work/ count as one entry each
    return found


def _scan(top: str) -> Iterator[tuple[str, list[str], list[str], dict[str, os.DirEntry]]]:
    """``os.walk(top)`` (top-down, not into symlinked folders, an unreadable folder left out) with each
    folder's entries by name, whose types come with the listing: a file that is not a link then needs no
    stat or realpath of its own (1000 files: discovery 26 → 7.4 ms)."""
    try:
        with os.scandir(top) as listing:
            entries = {entry.name: entry for entry in listing}
    except OSError:
        return
    dirs: list[str] = []
    files: list[str] = []
    for name, entry in entries.items():
        try:
            folder = entry.is_dir()
        except OSError:
            folder = False
        (dirs if folder else files).append(name)
    yield top, dirs, files, entries
    for name in dirs:  # as the caller left them
        if not entries[name].is_symlink():
            yield from _scan(os.path.join(top, name))


Found = tuple[str, bool, tuple[str, ...], str | None, str | None]  # path, output, parts, real path, kind


def _walk(root: str, excluded: list[str]) -> list[Found]:
    """Every entry under ``root`` that is not a folder (files, links, special files), with whether it is an
    earlier run's output, its path's parts below ``root``, and its real path and kind where the listing
    tells them (None: a link, resolved by the caller), in a stable order; symlinked folders are entered
    after the real tree, once per real folder (a link to a folder already seen, or to an ancestor, adds
    nothing), the excluded folders never."""
    found: list[Found] = []
    entered: set[str] = set()
    pending = [root]
    while pending:
        for folder, dirs, files, entries in _scan(pending.pop(0)):
            real = os.path.realpath(folder)
            if real in entered or inside(real, excluded):
                dirs[:] = []
                continue
            entered.add(real)
            dirs.sort()
            outputs = _outputs(folder, dirs, files)
            pending.extend(os.path.join(folder, d) for d in dirs if entries[d].is_symlink())
            rel = os.path.relpath(folder, root)
            prefix = () if rel == os.curdir else tuple(rel.split(os.sep))
            for name in files + sorted(name for name in outputs if name not in files):
                parts = prefix + (name,)
                path = os.path.join(*parts) if root == os.curdir else os.path.join(root, *parts)
                entry, output = entries[name], name in outputs
                if entry.is_symlink():
                    found.append((path, output, parts, None, None))
                else:
                    kind = "output" if output else _named(name) if entry.is_file(follow_symlinks=False) else "special"
                    found.append((path, output, parts, os.path.join(real, name), kind))
    found.sort(key=lambda item: item[2])
    return found


def inside(real: str, folders: list[str]) -> bool:
    """Whether the real path ``real`` is one of ``folders`` or lies below one."""
    return any(real == ex or real.startswith(ex.rstrip(os.sep) + os.sep) for ex in folders)


def discover(paths: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[Task]:
    """Files named directly, and every file under folders (recursively), in a stable order, each with a
    result name no other task shares (see ``names``)."""
    paths = [str(Path(p)) for p in paths]
    excluded = [os.path.realpath(p) for p in exclude]
    found: list[tuple[str, str | None, tuple[str, ...], str]] = []  # path, kind, name parts, absolute path
    seen: set[str] = set()
    for root in paths:
        is_dir = os.path.isdir(root)
        top = os.path.abspath(root)
        label = (os.path.basename(top),) if is_dir and len(paths) > 1 else ()
        for file, output, rel, real, kind in _walk(root, excluded) if is_dir else [(root, False, (), None, None)]:
            real = real or os.path.realpath(file)
            if real in seen or inside(real, excluded):
                continue
            seen.add(real)
            found.append((file, "output" if output else kind, tuple(part for part in label + rel if part)
                          or (os.path.basename(file),), os.path.join(top, *rel) if is_dir else os.path.abspath(file)))
    names = distinct_names([(absolute, parts) for _, _, parts, absolute in found])
    tasks = []
    for (file, kind, _, _), name in zip(found, names):
        kind = kind or classify(file)
        tasks.append(Task(file, name, kind in CHECKED_KINDS, kind))
    return tasks
