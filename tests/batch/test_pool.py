"""The worker pool: every task reported once, a hung task timed out, a crashing one reported,
the tasks queued behind them still run, and the parent's start-up hook runs once."""

from __future__ import annotations

import os
import time

import pytest

from xlperf.batch.pool import WorkerPool


def _work(item):
    if item == "hang":
        time.sleep(60)
    if item == "crash":
        os._exit(3)
    if item == "raise":
        raise ValueError("bad input")
    if item == "parent":
        return os.getppid()
    return item * 2


@pytest.mark.parametrize("jobs, depth", [(1, 1), (1, 4), (2, 4)])
def test_outcomes_for_hung_crashing_and_failing_tasks(jobs, depth):
    tasks = [1, 2, "hang", 3, 4, "crash", 5, 6, "raise", 7, 8, "parent", 9, 10]
    calls = []
    pool = WorkerPool(_work, jobs, timeout=1.5, depth=depth)
    outcomes = dict(pool.run(tasks, on_started=lambda: calls.append(1)))
    assert calls == [1]
    assert_outcomes(tasks, outcomes)


def assert_outcomes(tasks: list, outcomes: dict, timeout: float = 1.5) -> None:
    """Every task reported once, each as _work makes it end."""
    assert sorted(outcomes) == list(range(len(tasks)))
    for index, task in enumerate(tasks):
        status, payload = outcomes[index]
        if task == "hang":
            assert (status, payload) == ("timeout", timeout)
        elif task == "crash":
            assert (status, payload) == ("crash", 3)
        elif task == "raise":
            assert status == "error" and "ValueError: bad input" in payload
        elif task == "parent":
            assert (status, payload) == ("ok", os.getpid())  # a worker is this process's child
        else:
            assert (status, payload) == ("ok", task * 2)


def test_empty_run_and_more_workers_than_tasks():
    assert list(WorkerPool(_work, 2).run([])) == []
    assert sorted(WorkerPool(_work, 4, depth=8).run([1, 2])) == [(0, ("ok", 2)), (1, ("ok", 4))]


def _pid(item):
    return os.getpid()


def test_workers_started_early_are_the_ones_that_run_the_tasks():
    pool = WorkerPool(_pid, 2).start()
    started = {slot.process.pid for slot in pool._slots}
    assert len(started) == 2
    outcomes = dict(pool.run(list(range(10))))
    assert sorted(outcomes) == list(range(10))
    assert {payload for status, payload in outcomes.values() if status == "ok"} <= started
    assert pool._slots == []  # ended with the run


def test_ready_pipes_as_multiprocessing_wait_finds_them():
    import multiprocessing as mp
    from multiprocessing.connection import wait

    from xlperf.batch.pool import _ready

    pairs = [mp.Pipe() for _ in range(4)]
    pairs[1][1].send("result")
    pairs[2][1].close()  # a worker that died: the end of its pipe counts as ready
    pairs[3][1].send(("ok", b"x" * 1000))
    conns = [parent for parent, _ in pairs]
    assert set(_ready(conns, 0.01)) == set(wait(conns, 0.01)) == {conns[1], conns[2], conns[3]}
    assert _ready(conns[:1], 0.01) == wait(conns[:1], 0.01) == []
