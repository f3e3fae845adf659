"""The pool's first workers made of one process that imports the check's modules once, early (Linux).

Each worker imports the reader, the checks, numpy and ``formulas`` as it starts (``worker.preload``,
about 0.1 s CPU): at ``--jobs 2`` the two imports and the parent's own start-up compete for two cores,
and the import only begins once the parent has imported the batch's modules, read the options and
opened the output folder. Here one process, the zygote, forked as soon as ``xlperf check`` has parsed
its arguments (``pool.prestart``; or by the pool as it starts), imports them once while the parent goes
on, and is then told the workers' function and setup: for one worker it becomes that worker; for more
it forks them and exits. The parent is a child subreaper until then, so the kernel hands it the workers
(``adopted``): it waits for them, reads their exit status and kills them as its own children. A worker
waits for that hand-over before it asks to die with the parent (its ``PR_SET_PDEATHSIG`` would otherwise
fire when the zygote exits). Importing in the parent before forking, the other way to import once,
delays the parent's own start-up by the import (``worker.preload``).

Workers started later (one replacing a crashed, hung or over-cap worker) are forked by the parent as
before and import for themselves. Without ``fork`` or ``prctl`` (Windows, macOS), or when the parent has
imported the modules already (the server warms up), the pool starts every worker itself.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any, Callable

from xlperf.batch.adopted import Adopted, Births, subreaper
from xlperf.batch.worker import CHECK_MODULES, WorkerSetup, die_with_parent, preload, single_threaded

Work = Callable[[Connection, Callable[[Any], Any], WorkerSetup], None]


def wanted(ctx: Any, jobs: int, preload: bool | None) -> bool:
    """Whether a zygote pays: forked workers, modules to import that this process lacks (the server has
    imported them: its workers inherit them), and for one worker only when started early (``Zygote``)."""
    return (jobs >= 1 and preload is not None and sys.platform.startswith("linux")
            and ctx.get_start_method() == "fork" and not all(name in sys.modules for name in CHECK_MODULES))


class Zygote:
    """The process that imports the check's modules and becomes the pool's workers: started as early as
    the options allow (``xlperf check`` starts it before it reads the rest of its options, imports the
    batch's modules, opens the output folder and lists the files), told the workers' function and setup
    once the pool starts (``workers``). For one worker it becomes that worker; for more it forks them and
    exits. ``close`` ends one that was never told."""

    def __init__(self, ctx: Any, jobs: int, preload: bool, work: Work):
        self.jobs, self.preload = jobs, preload
        self._pipes = [ctx.Pipe() for _ in range(jobs)]
        self._control, theirs = ctx.Pipe()
        try:
            self.process = ctx.Process(target=_zygote, args=(theirs, self._pipes, preload, os.getpid(), work),
                                       daemon=True)
            self.process.start()
        finally:
            theirs.close()
            for _, child in self._pipes:
                child.close()
        self._told = False

    def workers(self, func: Callable[[Any], Any],
                setup: WorkerSetup) -> tuple["Births | None", list[tuple[Any, Connection]]] | None:
        """The workers as (process, parent's end of its pipe), and their Births to adopt (several workers);
        None: this zygote cannot make them (it died, the function does not pickle), the pool starts them."""
        if self._told:
            return None
        self._told = True
        reaping = self.jobs > 1 and subreaper(True)
        if self.jobs > 1 and not reaping:
            self._end()
            return None
        try:
            self._control.send((func, setup))
        except Exception:  # noqa: BLE001 - a dead zygote or an unpicklable function: nothing was started
            if reaping:
                subreaper(False)
            self._end()
            return None
        conns = [parent for parent, _ in self._pipes]
        if self.jobs == 1:
            self._control.close()
            return None, [(self.process, conns[0])]
        births = Births(self.process, self._control)
        return births, [(Adopted(births, index), conn) for index, conn in enumerate(conns)]

    def close(self) -> None:
        """End a zygote that was never told (a batch that failed before its pool started)."""
        if not self._told:
            self._told = True
            self._end()

    def _end(self) -> None:
        self.process.kill()
        self.process.join()
        for conn in [self._control] + [parent for parent, _ in self._pipes]:
            conn.close()


def _zygote(control: Connection, pipes: list[tuple[Connection, Connection]], formulas: bool, parent_pid: int,
            work: Work) -> None:
    """Import once, then become the one worker, or fork the workers (each one's pid sent as it is born)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)
    for parent, _ in pipes:
        parent.close()
    single_threaded()
    preload(formulas)
    try:
        func, setup = control.recv()
    except (EOFError, OSError):
        return
    if len(pipes) == 1:
        control.close()
        work(pipes[0][1], func, setup)
        return
    me = os.getpid()
    for index, (_, child) in enumerate(pipes):
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _born(child, [c for i, (_, c) in enumerate(pipes) if i != index], control, work, func, setup, me)
        control.send(pid)


def _born(conn: Connection, others: list[Connection], control: Connection, work: Work,
          func: Callable[[Any], Any], setup: WorkerSetup, zygote: int) -> None:
    """A worker just forked by the zygote: hold no other pipe, wait to be the parent's child, work, exit."""
    code = 0
    try:
        control.close()
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
