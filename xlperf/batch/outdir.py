"""The output folder of a run: checked before anything is written, locked, staged, replaced as one set.

Layout of ``--out``::

    汇总.xlsx (summary.xlsx) findings.csv results.json corrected/   the outputs, one consistent set
    .xlperf-progress.jsonl                                          the state file (--resume)
    .xlperf-lock                                                    held by the run using the folder
    .xlperf-work/{set,corrected,tmp}/                               the run's new outputs and temporary files

A run writes its outputs and corrected copies under ``.xlperf-work`` and, when every file is done, swaps
them in: a journal (``.xlperf-commit``) names the new set, the old outputs move aside, the new ones move
in, and the journal goes. A run killed in the middle of the swap leaves the journal, and the next run on
the folder finishes the swap first, so the folder never keeps a mix of two runs. Temporary files of the
workers (the formula engine's, LibreOffice's) go to ``.xlperf-work/tmp``, emptied when the run ends and
when the next one starts (after a killed run). Only one run may use a folder at a time (``fcntl`` lock).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Iterable

from xlperf.batch.discover import LOCK_NAME, OUTPUT_NAMES, STATE_NAME, inside, is_output_folder
from xlperf.messages import UserError
from xlperf.workbook.atomic import fsync_dir

WORK_NAME, COMMIT_NAME, OLD_NAME = ".xlperf-work", ".xlperf-commit", ".xlperf-old"


def check_overlap(out: Path, inputs: Iterable[str | Path]) -> None:
    """Refuse an output folder where writing could lose or hide a file (checked before anything is created
    or deleted, so that refusing loses nothing): the input folder itself, a folder holding an input, a
    folder inside an input that holds anything but xlperf's outputs (a unit's folder), and a folder whose
    files of the outputs' names are not xlperf's (they would be replaced)."""
    real_out = os.path.realpath(out)
    ours = is_output_folder(out)
    for given in inputs:
        real = os.path.realpath(given)
        if inside(real, [real_out]):
            raise UserError("input-in-out", out=str(out), input=str(given))
        if os.path.isdir(real) and inside(real_out, [real]) and not ours and _holds_files(Path(out)):
            raise UserError("out-in-input", out=str(out), input=str(given))
    clash = [name for name in OUTPUT_NAMES if (Path(out) / name).exists()]
    if clash and not ours:
        raise UserError("out-foreign", out=str(out), names=", ".join(clash))


class OutDir:
    """``open()`` before the run, ``commit()`` when every file is done, ``close()`` always."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.created = False  # the folder did not exist: a run that leaves nothing in it removes it again
        self.work = self.path / WORK_NAME
        self.staged, self.corrected, self.tmp = self.work / "set", self.work / "corrected", self.work / "tmp"
        self._lock: int | None = None

    def open(self, resume: bool, inputs: Iterable[str | Path] = ()) -> "OutDir":
        """Check, create and lock the folder; finish a swap a killed run left; prepare the work folders."""
        if self.path.exists() and not self.path.is_dir():
            raise UserError("out-is-file", out=str(self.path))
        check_overlap(self.path, inputs)
        try:
            self.created = not self.path.exists()
            self.path.mkdir(parents=True, exist_ok=True)
            self._take_lock()
            if (self.path / COMMIT_NAME).exists():
                self._swap()
            shutil.rmtree(self.path / OLD_NAME, ignore_errors=True)
            if not resume:
                shutil.rmtree(self.work, ignore_errors=True)
            for folder in (self.staged, self.tmp):
                shutil.rmtree(folder, ignore_errors=True)
            for folder in (self.staged, self.tmp):  # corrected/: made by the first copy written
                folder.mkdir(parents=True, exist_ok=True)
            if resume and not _holds_files(self.corrected) and (self.path / "corrected").is_dir():
                _link_tree(self.path / "corrected", self.corrected)  # a finished run resumed: keep its copies
        except OSError as exc:
            self.close()
            raise UserError("out-unwritable", out=str(self.path), reason=exc) from None
        except BaseException:
            self.close()
            raise
        return self

    def _take_lock(self) -> None:
        fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            os.lseek(fd, 0, os.SEEK_SET)
            pid = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise UserError("out-locked", out=str(self.path), pid=pid) from None
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, str(os.getpid()).encode().ljust(32))
        self._lock = fd

    def final(self, staged: str | None) -> str | None:
        """Where a corrected copy written under the work folder will be once the run is committed."""
        if not staged:
            return staged
        rel = os.path.relpath(staged, self.corrected)
        return str(self.path / "corrected" / rel) if not rel.startswith(os.pardir) else staged

    def commit(self) -> None:
        """Put the staged outputs (and corrected copies) in place of the old set, as one set."""
        new = [name for name in OUTPUT_NAMES if self._source(name).exists()]
        journal = self.path / COMMIT_NAME
        try:
            journal.write_text(json.dumps({"new": new}, ensure_ascii=False), encoding="utf-8")
            fsync_dir(self.path)
            self._swap()
            shutil.rmtree(self.work, ignore_errors=True)
        except OSError as exc:
            raise UserError("disk-error", path=str(self.path), reason=exc) from None

    def _source(self, name: str) -> Path:
        return self.corrected if name == "corrected" else self.staged / name

    def _swap(self) -> None:
        """Move the old outputs aside and the new ones in, as the journal says (idempotent: it also
        finishes a swap that a killed run began), then remove the journal and the old set."""
        journal = self.path / COMMIT_NAME
        new = set(json.loads(journal.read_text(encoding="utf-8"))["new"])
        old = self.path / OLD_NAME
        old.mkdir(exist_ok=True)
        for name in OUTPUT_NAMES:
            source, target = self._source(name), self.path / name
            pending = name in new and source.exists()
            if target.exists() and (pending or name not in new):
                _replace(target, old / name)
            if pending:
                os.replace(source, target)
        fsync_dir(self.path)
        journal.unlink()
        shutil.rmtree(old, ignore_errors=True)

    def close(self) -> None:
        """Remove the temporary files (the work folder too when it holds no corrected copies to resume
        with, and the folder itself when this run made it and left nothing); release the lock. Without the
        lock (another run holds it) nothing here is this run's to touch."""
        if self._lock is None:
            return
        shutil.rmtree(self.tmp, ignore_errors=True)
        shutil.rmtree(self.staged, ignore_errors=True)
        if not _holds_files(self.corrected):
            shutil.rmtree(self.work, ignore_errors=True)
        if self.created and not self.work.exists() and not (self.path / STATE_NAME).exists():
            (self.path / LOCK_NAME).unlink(missing_ok=True)
            _rmdir(self.path)
        os.close(self._lock)  # releases the lock
        self._lock = None


def _holds_files(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def _rmdir(folder: Path) -> None:
    try:
        folder.rmdir()  # only when empty
    except OSError:
        pass


def _lock(fd: int) -> None:
    """An exclusive lock on the open file, or OSError when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a POSIX lock: forked workers do not inherit it


def _replace(source: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    os.replace(source, target)


def _link_tree(source: Path, target: Path) -> None:
    """A copy of ``source`` made of hard links (writers replace files, never write into them)."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True)

