"""A process pool that survives its tasks: a task past its time limit or a crashed worker is
replaced by a new worker and reported, and the other tasks go on.

``concurrent.futures.ProcessPoolExecutor`` cannot kill one hung task (and a crashed worker
breaks the whole pool), so each worker here gets its own pipe and the parent watches the clock.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator

Outcome = tuple[str, Any]  # ("ok", result) | ("error", text) | ("timeout", seconds) | ("crash", exitcode)


def _worker(conn: Connection, func: Callable[[Any], Any]) -> None:
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            conn.send(("ok", func(task)))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, the worker lives on
            conn.send(("error", f"{type(exc).__name__}: {exc}"[:500]))


@dataclass
class _Slot:
    process: Any
    conn: Connection
    task: tuple[int, Any] | None = None
    started: float = 0.0


class WorkerPool:
    """``run(tasks)`` yields ``(index, outcome)`` as tasks finish, in completion order."""

    def __init__(self, func: Callable[[Any], Any], jobs: int, timeout: float | None = None):
        methods = mp.get_all_start_methods()
        self._ctx = mp.get_context("fork" if "fork" in methods else "spawn")
        self._func, self._jobs, self._timeout = func, max(1, jobs), timeout
        self._slots: list[_Slot] = []

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker, args=(child, self._func), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def _replace(self, slot: _Slot) -> None:
        slot.process.kill()
        slot.process.join(5)
        slot.conn.close()
        self._slots[self._slots.index(slot)] = self._spawn()

    def _assign(self, slot: _Slot, item: tuple[int, Any]) -> None:
        slot.task, slot.started = item, time.monotonic()
        slot.conn.send(item[1])

    def _expired(self) -> Iterator[tuple[int, Outcome]]:
        now = time.monotonic()
        for slot in list(self._slots):
            if slot.task is None:
                continue
            if self._timeout is not None and now - slot.started > self._timeout:
                index = slot.task[0]
                self._replace(slot)
                yield index, ("timeout", self._timeout)
            elif not slot.process.is_alive():
                index, code = slot.task[0], slot.process.exitcode
                self._replace(slot)
                yield index, ("crash", code)

    def run(self, tasks: Iterable[Any]) -> Iterator[tuple[int, Outcome]]:
        pending = iter(enumerate(tasks))
        self._slots = [self._spawn() for _ in range(self._jobs)]
        try:
            busy = 0
            for slot in self._slots:
                item = next(pending, None)
                if item is not None:
                    self._assign(slot, item)
                    busy += 1
            while busy:
                ready = wait([s.conn for s in self._slots if s.task is not None], timeout=0.5)
                for slot in [s for s in self._slots if s.conn in ready and s.task is not None]:
                    try:
                        outcome = slot.conn.recv()
                    except (EOFError, OSError):
                        continue  # the worker died: _expired reports it
                    index, slot.task = slot.task[0], None
                    busy -= 1
                    yield index, outcome
                    item = next(pending, None)
                    if item is not None:
                        self._assign(slot, item)
                        busy += 1
                for index, outcome in self._expired():
                    busy -= 1
                    yield index, outcome
                    free = next((s for s in self._slots if s.task is None), None)
                    item = next(pending, None) if free is not None else None
                    if item is not None:
                        self._assign(free, item)
                        busy += 1
        finally:
            self.close()

    def close(self) -> None:
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
