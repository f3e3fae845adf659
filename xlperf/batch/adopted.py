"""The zygote's workers as the parent's own children (Linux): the parent is a child subreaper while a zygote
forks, so the kernel hands it the workers when the zygote exits (``zygote``); ``Adopted`` is such a worker
as the pool uses a ``multiprocessing.Process``: its pid, exit status, ``kill``, ``join``."""

from __future__ import annotations

import os
import signal
import threading
import time
from multiprocessing.connection import Connection, wait
from typing import Any

_PR_SET_CHILD_SUBREAPER = 36
_LOCK = threading.Lock()
_reaping = 0  # batches whose zygote has not exited yet (the flag is the process's, batches may overlap)


def subreaper(on: bool) -> bool:
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


class Births:
    """The zygote and the pids it sends; ``adopt`` once it has exited (then the workers are ours)."""

    def __init__(self, zygote: Any, control: Connection):
        self.zygote, self._control = zygote, control
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
            pids = []
            try:
                while True:
                    pids.append(self._control.recv())
            except (EOFError, OSError):
                pass
            self._control.close()
            self._pids = pids
            subreaper(False)
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
