"""Legacy returns (.xls, WPS .et) in a batch: converted to .xlsx once per batch, then checked like any return.

``prepare`` runs in the parent before files are dispatched: it finds the BIFF workbooks among the tasks
(by content: an OLE compound file with a ``Workbook``/``Book`` stream, whatever the name says; WPS's .et
is such a file, and LibreOffice registers ``et`` for its Excel 97 filter), converts them with headless
LibreOffice in chunks of many files per process (``xlperf.libreoffice.convert``, one private profile per
conversion thread, reused across its chunks), into a folder inside the output folder that ``cleanup``
removes (so Dask workers that see the output folder see the copies). Each chunk has a time limit; a chunk
that runs past it is killed and its unconverted files retried one by one, so a hostile file costs one
chunk's limit and its own, not the batch. A file LibreOffice cannot convert, or every legacy file when
LibreOffice is missing, is scored from its saved values read with python-calamine (``legacy_check``, in
the worker); a file neither can read is an error for that file. Originals are only read.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from xlperf.batch.discover import Task
from xlperf.workbook.sniff import LEGACY_FORMATS, OLE_MAGIC, sniff

if TYPE_CHECKING:  # the conversion's modules are imported by a batch that has legacy files (~2 ms)
    import queue

LEGACY_SUFFIXES = (".xls", ".et")
FOLDER = ".xlperf-converted"
CHUNK = 50  # files per LibreOffice process: start-up (~1 s) spread over many ~0.1 s conversions
CHUNK_START, CHUNK_PER_FILE = 60.0, 5.0  # a chunk's limit: start-up plus a generous share per file
SINGLE_LIMIT = 120.0  # a file retried alone (or the batch's --timeout)
# LibreOffice's import filter per format, named so that a file it cannot parse is not imported as text
INFILTER = {LEGACY_FORMATS["biff5"]: "MS Excel 5.0/95"}
DEFAULT_INFILTER = "MS Excel 97"  # BIFF8: Excel 97-2003 .xls and WPS .et
REASONS = {  # why a legacy file was not converted: (zh, en), for formulas-not-checked and file-legacy-xls
    "no-libreoffice": ("未安装 LibreOffice", "LibreOffice is not installed"),
    "timeout": ("LibreOffice 转换超时", "LibreOffice timed out converting it"),
    "failed": ("LibreOffice 无法转换", "LibreOffice could not convert it"),
    "empty": ("LibreOffice 转换后没有任何单元格", "LibreOffice read no cell from it"),
}


@dataclass(frozen=True)
class Legacy:
    """How a task's legacy workbook is checked: its format, and the converted copy (None: not converted)."""

    format: str
    xlsx: str | None = None
    reason: str = ""  # a REASONS key when xlsx is None


def _head(path: str) -> bytes:
    """The first bytes of a file (os.open: a tenth of a second for 10 000 files, a third of open()'s)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return b""
    try:
        return os.read(fd, 8)
    except OSError:
        return b""
    finally:
        os.close(fd)


def _legacy_format(task: Task) -> str | None:
    """The format of a BIFF workbook to convert (by content, under a workbook or legacy name), else None.
    Anything else under a legacy name (a renamed .xlsx, an HTML table) is left to discovery's verdict."""
    legacy_name = os.path.splitext(task.path)[1].lower() in LEGACY_SUFFIXES
    if not (task.checkable or legacy_name) or os.path.basename(task.path).startswith("~$"):
        return None
    if not _head(task.path).startswith(OLE_MAGIC):
        return None
    kind = sniff(task.path)
    return kind.legacy if kind.kind == "xls" else None


def prepare(tasks: Sequence[Task], out_dir: Path, timeout: float | None = None, jobs: int = 1) -> list[Task]:
    """The tasks with every legacy workbook converted (``Task.legacy`` set); call ``cleanup`` when done."""
    legacy = {task.path: fmt for task in tasks if (fmt := _legacy_format(task))}
    if not legacy:
        return list(tasks)
    from xlperf import libreoffice

    if libreoffice.soffice() is None:
        made: dict[str, tuple[str | None, str]] = {path: (None, "no-libreoffice") for path in legacy}
    else:
        cleanup(out_dir)
        try:
            made = convert_all(legacy, Path(out_dir).resolve() / FOLDER, timeout or SINGLE_LIMIT, jobs)
        except BaseException:  # interrupted (Ctrl-C): no copies left behind
            cleanup(out_dir)
            raise
    out = []
    for task in tasks:
        if task.path in legacy:
            xlsx, reason = made.get(task.path, (None, "failed"))
            task = replace(task, checkable=True, legacy=Legacy(legacy[task.path], xlsx, "" if xlsx else reason))
        out.append(task)
    return out


def cleanup(out_dir: Path) -> None:
    """Remove the converted copies of a batch (nothing else is in that folder)."""
    shutil.rmtree(Path(out_dir) / FOLDER, ignore_errors=True)


def convert_all(formats: dict[str, str], folder: Path, single_limit: float,
                jobs: int = 1) -> dict[str, tuple[str | None, str]]:
    """Convert each path of ``formats`` (path → its legacy format) to .xlsx under ``folder``:
    path → (converted file or None, REASONS key)."""
    import queue
    from concurrent.futures import ThreadPoolExecutor

    groups: dict[str, list[str]] = {}
    for path, fmt in formats.items():
        groups.setdefault(INFILTER.get(fmt, DEFAULT_INFILTER), []).append(path)
    chunks = [(infilter, paths[i:i + CHUNK]) for infilter, paths in groups.items() for i in range(0, len(paths), CHUNK)]
    threads = max(1, min(jobs, len(chunks), os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="xlperf-lo-profiles-") as profiles:
        pool: queue.SimpleQueue[Path] = queue.SimpleQueue()
        for i in range(threads):
            pool.put(Path(profiles) / str(i))
        with ThreadPoolExecutor(threads) as executor:
            done = executor.map(lambda item: _chunk(*item[1], folder / f"{item[0]:05d}", single_limit, pool),
                                enumerate(chunks))
            return {path: outcome for part in done for path, outcome in part.items()}


def _chunk(infilter: str, paths: list[str], out: Path, single_limit: float,
           profiles: queue.SimpleQueue) -> dict[str, tuple[str | None, str]]:
    """One chunk in one LibreOffice process; past its limit, the files it did not convert one by one."""
    from xlperf import libreoffice

    profile = profiles.get()
    try:
        done = libreoffice.convert(paths, out, "xlsx", timeout=CHUNK_START + CHUNK_PER_FILE * len(paths),
                                   profile=libreoffice.make_profile(profile), infilter=infilter)
        result = {p: (str(done.output(p)), "") if done.output(p) else (None, "failed") for p in paths}
        if not done.timed_out:
            return result
        for i, path in enumerate(p for p in paths if result[p][0] is None):
            shutil.rmtree(profile, ignore_errors=True)  # the killed process may have left it locked
            alone = libreoffice.convert([path], out / f"retry-{i}", "xlsx", timeout=CHUNK_START + single_limit,
                                        profile=libreoffice.make_profile(profile), infilter=infilter)
            made = alone.output(path)
            result[path] = (str(made), "") if made else (None, "timeout" if alone.timed_out else "failed")
        return result
    finally:
        profiles.put(profile)
