"""A process pool that survives its tasks: a task past its time limit or a crashed worker is
replaced by a new worker and reported, and the other tasks go on.

``concurrent.futures.ProcessPoolExecutor`` cannot kill one hung task (and a crashed worker
breaks the whole pool), so each worker here gets its own pipe and the parent watches the clock.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import select
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator

from xlperf.batch import zygote
from xlperf.batch.worker import WorkerSetup, prepare
from xlperf.errors import OutputError

Outcome = tuple[str, Any]  # ("ok", result) | ("error", text) | ("timeout", seconds) | ("crash", exitcode)
#                            | ("memory", bytes): the task hit the worker's memory cap
#                            | ("environment", (errno, strerror, path)): an output could not be written


def _ready(conns: list[Connection], timeout: float) -> list[Connection]:
    """``multiprocessing.connection.wait(conns, timeout)`` by one ``poll(2)`` where the platform has it: wait
    sets up a selector each call (4.6 → 1.5 µs per call, one call per result)."""
    if not hasattr(select, "poll"):  # Windows
        return wait(conns, timeout)
    poller, by_fd = select.poll(), {}
    for conn in conns:
        by_fd[conn.fileno()] = conn
        poller.register(conn.fileno(), select.POLLIN)
    return [by_fd[fd] for fd, _ in poller.poll(math.ceil(timeout * 1000))]  # a closed pipe counts as ready


def error_outcome(exc: BaseException) -> Outcome:
    """A task's exception as the outcome every executor reports it with."""
    return "error", f"{type(exc).__name__}: {exc}"[:500]


def _worker(conn: Connection, func: Callable[[Any], Any], setup: WorkerSetup | None = None) -> None:
    if setup is not None:
        prepare(setup)
    while True:
        try:
            tasks = conn.recv()  # one or more, run in order, each reported on its own
        except (EOFError, OSError):
            return
        if tasks is None:
            return
        for task in tasks:
            try:
                conn.send(("ok", func(task)))
            except MemoryError:  # past the cap: report the file and end, the parent starts a fresh worker
                conn.send(("memory", setup.memory_bytes if setup else None))
                os._exit(0)
            except OutputError as exc:  # the machine (a full disk): the parent stops the batch
                conn.send(("environment", (exc.errno, exc.strerror, exc.filename)))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, the worker lives on
                conn.send(error_outcome(exc))


def _context() -> Any:
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def prestart(jobs: int, formulas: bool) -> zygote.Zygote | None:
    """The zygote of a pool of ``jobs`` workers, importing from now on (None where it does not pay); the
    pool given it makes its workers of it, and ``close`` ends it if no pool does."""
    ctx = _context()
    return zygote.Zygote(ctx, jobs, formulas, _worker) if zygote.wanted(ctx, jobs, formulas) else None


@dataclass
class _Slot:
    process: Any
    conn: Connection
    queue: deque = field(default_factory=deque)  # (index, task) sent, in the order the worker runs them
    started: float = 0.0  # when the head of the queue began (at the latest)


class WorkerPool:
    """``run(tasks)`` yields ``(index, outcome)`` as tasks finish, in completion order.

    Each worker holds up to ``depth`` tasks, so it never waits for the parent between files (at the
    start up to ``start_depth``, dealt round-robin, to cover the parent's own start-up work), and gets
    them ``BATCH`` to a message. The
    time limit applies to the task a worker is running: from when its previous result was seen
    (never earlier than the task really began, so a limit can only be generous, never short).
    """

    CHECK_EVERY = 0.25  # seconds between checks for tasks past their limit and silently dead workers
    BATCH = 2  # tasks per message once started: one per message was 1000 sends, 22 of the parent's ms for the
    # bureau corpus's 1000 copies at --jobs 2 (14 ms in 500)

    def __init__(self, func: Callable[[Any], Any], jobs: int, timeout: float | None = None, depth: int = 4,
                 start_depth: int = 16, memory_bytes: int | None = None, tmp_dir: str | None = None,
                 preload: bool | None = None, early: zygote.Zygote | None = None):
        self._ctx = _context()
        self._early = early  # a zygote started before the pool (``prestart``)
        self._func, self._jobs, self._timeout, self._depth = func, max(1, jobs), timeout, max(1, depth)
        self._memory, self._tmp_dir, self._preload = memory_bytes, tmp_dir, preload
        self._start_depth = max(self._depth, start_depth)
        self._slots: list[_Slot] = []
        self._pending: Iterator[tuple[int, Any]] = iter(())
        self._retry: deque[tuple[int, Any]] = deque()
        self._births: zygote.Births | None = None

    def start(self) -> "WorkerPool":
        """Start the workers now (``run`` does it otherwise). Started before the caller builds its task
        list, they do not inherit it: a fork shares the parent's pages until the child's garbage
        collector touches them, so a worker forked late could end up holding a copy of everything the
        parent holds for a large batch."""
        if not self._slots:
            made = self._zygote_workers()
            if made is not None:
                self._births = made[0]  # adopted (the subreaper flag cleared) once its workers answer
                self._slots = [_Slot(process, conn) for process, conn in made[1]]
            for _ in range(self._jobs - len(self._slots)):
                self._slots.append(self._spawn())  # one by one: each new worker closes the earlier pipes' ends
        return self

    def _zygote_workers(self) -> tuple[zygote.Births | None, list[tuple[Any, Connection]]] | None:
        """The first workers from a zygote (``zygote``): the early one, or one started now for several
        workers; None: the pool starts them itself."""
        early, self._early = self._early, None
        if early is not None and (early.jobs, early.preload) != (self._jobs, self._preload):
            early.close()
            early = None
        if early is None and self._jobs > 1 and zygote.wanted(self._ctx, self._jobs, self._preload):
            early = zygote.Zygote(self._ctx, self._jobs, bool(self._preload), _worker)
        setup = WorkerSetup(os.getpid(), self._memory, self._tmp_dir, (), self._preload)
        return early.workers(self._func, setup) if early is not None else None

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        inherited = (parent.fileno(), *(slot.conn.fileno() for slot in self._slots if not slot.conn.closed)) \
            if self._ctx.get_start_method() == "fork" else ()
        setup = WorkerSetup(os.getpid(), self._memory, self._tmp_dir, inherited, self._preload)
        process = self._ctx.Process(target=_worker, args=(child, self._func, setup), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def _replace(self, slot: _Slot) -> tuple[int, Any]:
        """Kill a worker, requeue what it held behind its running task, and return that task."""
        head = slot.queue.popleft()
        self._retire(slot)
        return head

    def _retire(self, slot: _Slot) -> None:
        """Kill a worker, requeue every task it still held, and start a fresh worker in its place."""
        slot.process.kill()
        slot.process.join(5)
        slot.conn.close()
        self._retry.extendleft(reversed(slot.queue))
        slot.queue.clear()
        index = self._slots.index(slot)
        self._slots[index] = self._spawn()

    def _next(self) -> tuple[int, Any] | None:
        return self._retry.popleft() if self._retry else next(self._pending, None)

    def _fill(self, slot: _Slot) -> None:
        """Top the worker's queue up to ``depth`` tasks, sent as one message, once it holds ``depth - BATCH``
        or fewer (so it still has one to start while the parent reads its result)."""
        if len(slot.queue) > self._depth - max(1, min(self.BATCH, self._depth - 1)):
            return
        sent: list = []
        while len(slot.queue) < self._depth and self._take(slot, sent):
            pass
        self._send(slot, sent)

    def _deal(self) -> None:
        """The first tasks, dealt round-robin up to ``start_depth`` per worker, one message per worker."""
        sent: dict[int, list] = {id(slot): [] for slot in self._slots}
        for _ in range(self._start_depth):
            if not all(self._take(slot, sent[id(slot)]) for slot in self._slots):
                break
        for slot in self._slots:
            self._send(slot, sent[id(slot)])

    def _take(self, slot: _Slot, sent: list) -> bool:
        """Queue the next task for ``slot`` (and in ``sent``, its next message); False when none is left."""
        item = self._next()
        if item is None:
            return False
        if not slot.queue:
            slot.started = time.monotonic()
        slot.queue.append(item)
        sent.append(item[1])
        return True

    @staticmethod
    def _send(slot: _Slot, sent: list) -> None:
        if sent:
            try:
                slot.conn.send(sent)
            except OSError:  # the worker died: its pipe's end is read next, and the crash handled there
                pass

    def _expired(self) -> Iterator[tuple[int, Outcome]]:
        now = time.monotonic()
        for slot in list(self._slots):
            if not slot.queue or slot.conn.poll(0):
                continue  # idle, or results (or the end of a dead worker's pipe) still to be read
            if self._timeout is not None and now - slot.started > self._timeout:
                index = self._replace(slot)[0]
                yield index, ("timeout", self._timeout)
            elif not slot.process.is_alive():
                yield self._crashed(slot)

    def _crashed(self, slot: _Slot) -> tuple[int, Outcome]:
        """The worker is gone and every result it sent has been read: its running task crashed it."""
        slot.process.join(5)
        code = slot.process.exitcode
        return self._replace(slot)[0], ("crash", code)

    def run(self, tasks: Iterable[Any], on_started: Callable[[], Any] | None = None,
            on_idle: Callable[[], Any] | None = None) -> Iterator[tuple[int, Outcome]]:
        """Run every task; ``on_started`` is called once the workers have their first tasks (parent's own
        start-up work, such as imports for the outputs, then overlaps with the checking), ``on_idle`` each
        time no result has come for ``CHECK_EVERY`` seconds."""
        self._pending, self._retry = iter(enumerate(tasks)), deque()
        self.start()
        try:
            self._deal()
            if on_started is not None:
                on_started()
            checked = time.monotonic()
            while any(slot.queue for slot in self._slots):
                ready = _ready([s.conn for s in self._slots if s.queue], self.CHECK_EVERY)
                if not ready and on_idle is not None:
                    on_idle()
                for slot in [s for s in self._slots if s.conn in ready and s.queue]:
                    try:
                        outcome = slot.conn.recv()
                    except (EOFError, OSError):  # the worker died after its last result
                        yield self._crashed(slot)
                        continue
                    index = slot.queue.popleft()[0]
                    slot.started = time.monotonic()
                    if self._births is not None and self._births.adopt(0):
                        self._births = None
                    if outcome[0] == "memory":
                        self._retire(slot)
                    yield index, outcome
                    if outcome[0] != "memory":
                        self._fill(slot)
                if not ready or time.monotonic() - checked >= self.CHECK_EVERY:
                    checked = time.monotonic()  # each check polls every pipe: not after every result
                    for index, outcome in self._expired():
                        yield index, outcome
                for slot in self._slots:
                    self._fill(slot)
        finally:
            self.close()

    def close(self) -> None:
        if self._early is not None:  # never started
            self._early.close()
            self._early = None
        for slot in self._slots:
            try:
                slot.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for slot in self._slots:
            slot.process.join(2)
            if slot.process.is_alive():
                slot.process.kill()
            slot.conn.close()
        self._slots = []
