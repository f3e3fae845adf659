"""The pool's first workers forked from one process that imported the check's modules once (Linux).

Each worker imports the reader, the checks, numpy and ``formulas`` as it starts (``worker.preload``,
about 0.11 s CPU), and at ``--jobs 2`` the two imports and the parent's own start-up compete for two
cores. Here one process, the zygote, forked from the parent as the pool starts, imports them once and
forks every worker of the pool, then exits. The parent is a child subreaper (``PR_SET_CHILD_SUBREAPER``)
until then, so the kernel hands it the workers: it waits for them, reads their exit status and kills them
as its own children. A worker waits for that hand-over before it asks to die with the parent (its
``PR_SET_PDEATHSIG`` would otherwise fire when the zygote exits). Importing in the parent before
forking, the other way to import once, delays the parent's own start-up by the import (``worker.preload``).

Workers started later (one replacing a crashed, hung or over-cap worker) are forked by the parent as
before and import for themselves. Without ``fork`` or ``prctl`` (Windows, macOS), for one worker, or when
the parent has imported the modules already (the server warms up), the pool starts every worker itself.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection, wait
from typing import Any, Callable

from xlperf.batch.worker import CHECK_MODULES, WorkerSetup, die_with_parent, preload, single_threaded

_PR_SET_CHILD_SUBREAPER = 36
_LOCK = threading.Lock()
_reaping = 0  # batches whose zygote has not exited yet (the flag is the process's, batches may overlap)

Work = Callable[[Connection, Callable[[Any], Any], WorkerSetup], None]


def _subreaper(on: bool) -> bool:
    """Count one batch in (on) or out; the flag is set while any counts. False: not available here."""
    global _reaping
    with _LOCK:
        if on and _reaping == 0 and not _prctl(1):
            return False
        _reaping += 1 if on else -1
        if _reaping == 0:
            _prctl(0)
        return True


def _prctl(value: int) -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def wanted(ctx: Any, jobs: int, setup: WorkerSetup) -> bool:
    """Whether the zygote pays: forked workers, more than one, modules to import that the parent lacks."""
    return (jobs > 1 and setup.preload is not None and sys.platform.startswith("linux")
            and ctx.get_start_method() == "fork" and not all(name in sys.modules for name in CHECK_MODULES))


def fork_workers(ctx: Any, jobs: int, work: Work, func: Callable[[Any], Any],
                 setup: WorkerSetup) -> tuple["Births", list[tuple["Adopted", Connection]]] | None:
    """The zygote and ``jobs`` workers as (process, parent's end of its pipe); None: not available."""
    if not _subreaper(True):
        return None
    try:
        pipes = [ctx.Pipe() for _ in range(jobs)]
        status_r, status_w = os.pipe()
        try:
            zygote = ctx.Process(target=_zygote, args=(pipes, status_w, work, func, setup), daemon=True)
            zygote.start()
        finally:
            os.close(status_w)
            for _, child in pipes:
                child.close()
    except BaseException:
        _subreaper(False)
        raise
    births = Births(zygote, status_r)
    return births, [(Adopted(births, index), parent) for index, (parent, _) in enumerate(pipes)]


def _zygote(pipes: list[tuple[Connection, Connection]], status_w: int, work: Work,
            func: Callable[[Any], Any], setup: WorkerSetup) -> None:
    """Import once, fork the workers (each one's pid written as it is born), exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(setup.parent_pid)
    for parent, _ in pipes:
        parent.close()
    single_threaded()
    preload(bool(setup.preload))
    me = os.getpid()
    for index, (_, child) in enumerate(pipes):
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _born(child, [c for i, (_, c) in enumerate(pipes) if i != index], status_w, work, func, setup, me)
        os.write(status_w, b"%d\n" % pid)


def _born(conn: Connection, others: list[Connection], status_w: int, work: Work,
          func: Callable[[Any], Any], setup: WorkerSetup, zygote: int) -> None:
    """A worker just forked by the zygote: hold no other pipe, wait to be the parent's child, work, exit."""
    code = 0
    try:
        os.close(status_w)
        for other in others:
            other.close()
        while os.getppid() == zygote:  # the zygote exits right after its last fork
            time.sleep(0.0005)
        work(conn, func, setup)
    except BaseException:  # noqa: BLE001 - as a multiprocessing worker: the traceback, exit status 1
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)


class Births:
    """The zygote and the pids it reports; ``adopt`` once it has exited (then the workers are ours)."""

    def __init__(self, zygote: Any, status_r: int):
        self.zygote, self._status_r = zygote, status_r
        self._pids: list[int] | None = None

    def pending(self) -> bool:
        """The zygote is still importing or forking."""
        return self._pids is None and self.zygote.is_alive()

    def adopt(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` for the zygote to end and read the pids; False: still running."""
        if self._pids is None:
            self.zygote.join(timeout)
            if self.zygote.is_alive():
                return False
            data = bytearray()
            while chunk := os.read(self._status_r, 4096):
                data += chunk
            os.close(self._status_r)
            self._pids = [int(pid) for pid in data.split()]
            _subreaper(False)
        return True

    def pid(self, index: int) -> int | None:
        return self._pids[index] if self._pids is not None and index < len(self._pids) else None


class Adopted:
    """A worker the zygote forked, as the pool uses a ``multiprocessing.Process``."""

    def __init__(self, births: Births, index: int):
        self._births, self._index = births, index
        self._code: int | None = None

    @property
    def pid(self) -> int | None:
        self._births.adopt()
        return self._births.pid(self._index)

    @property
    def exitcode(self) -> int | None:
        if self._births.pending():
            return None
        self._births.adopt()
        if self._code is None:
            pid = self._births.pid(self._index)
            if pid is None:  # never born: the zygote died first
                self._code = self._births.zygote.exitcode
            else:
                try:
                    done, status = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:  # not handed over (cannot happen while the flag is set): gone
                    done, status = pid, 0
                if done:
                    self._code = os.waitstatus_to_exitcode(status)
        return self._code

    def is_alive(self) -> bool:
        return self.exitcode is None

    def kill(self) -> None:
        """SIGKILL the worker (the zygote itself while it has not forked it yet: nothing else is stuck)."""
        if self._births.pending():
            self._births.zygote.kill()
            self._births.adopt()
        pid = self._births.pid(self._index)
        if pid is not None and self._code is None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def join(self, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._births.adopt(timeout):
            return
        pid = self._births.pid(self._index)
        while self.exitcode is None and pid is not None:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return
            _wait_exit(pid, left)


def _wait_exit(pid: int, timeout: float | None) -> None:
    """Block until ``pid`` exits or ``timeout`` passes (a pidfd where the kernel has them)."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        time.sleep(0.002 if timeout is None else min(0.002, timeout))
        return
    try:
        wait([fd], timeout)
    finally:
        os.close(fd)
