"""Workers forked by the zygote (Linux): the parent's own children once it has exited, reported, timed out,
killed and replaced like any worker; a zygote that dies first costs its workers' first tasks only."""

from __future__ import annotations

import ctypes
import importlib
import multiprocessing as mp
import os
import sys
import time

import pytest

from xlperf.batch import zygote
from xlperf.batch.pool import WorkerPool, prestart
from xlperf.batch.worker import CHECK_MODULES
from tests.batch.test_pool import _work, assert_outcomes

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the zygote is Linux-only")
_PR_GET_CHILD_SUBREAPER = 37


def _subreaper() -> int:
    flag = ctypes.c_int(-1)
    ctypes.CDLL(None).prctl(_PR_GET_CHILD_SUBREAPER, ctypes.byref(flag), 0, 0, 0)
    return flag.value


@pytest.fixture
def forced(monkeypatch):
    """The zygote whatever this process has imported (pytest has imported the check's modules)."""
    monkeypatch.setattr(zygote, "wanted", lambda ctx, jobs, preload: True)


def test_adopted_workers_report_time_out_crash_and_are_replaced(forced):
    tasks = [1, 2, "hang", 3, "parent", 4, "crash", 5, 6, "raise", 7, "parent", 8, 9]
    pool = WorkerPool(_work, 2, timeout=1.5, depth=2, preload=False).start()
    assert all(isinstance(slot.process, zygote.Adopted) for slot in pool._slots)
    born = [slot.process.pid for slot in pool._slots]
    assert_outcomes(tasks, dict(pool.run(tasks)))
    for pid in born:  # every worker reaped: none left as a zombie
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    assert _subreaper() == 0


def test_a_zygote_that_dies_costs_only_its_workers_first_tasks(forced, monkeypatch):
    monkeypatch.setattr(zygote, "preload", lambda formulas: os._exit(7))
    outcomes = dict(WorkerPool(_work, 2, depth=1, preload=False).run(list(range(6))))
    crashed = [index for index, (status, payload) in outcomes.items() if status == "crash"]
    assert 1 <= len(crashed) <= 2 and all(outcomes[i] == ("crash", 7) for i in crashed)
    assert all(outcomes[i] == ("ok", i * 2) for i in range(6) if i not in crashed)
    assert _subreaper() == 0


def test_closed_while_the_zygote_imports(forced, monkeypatch):
    monkeypatch.setattr(zygote, "preload", lambda formulas: time.sleep(0.5))
    pool = WorkerPool(_work, 2, preload=False).start()
    pool.close()
    assert pool._slots == [] and _subreaper() == 0


def test_wanted_only_where_it_pays(monkeypatch):
    fork = mp.get_context("fork")
    with monkeypatch.context() as patched:  # as if nothing were imported yet (pytest has imported them)
        patched.setattr(zygote, "CHECK_MODULES", ("xlperf.no_such_module",))
        assert zygote.wanted(fork, 2, False) and zygote.wanted(fork, 1, True)
        assert not zygote.wanted(fork, 2, None)  # no preload: nothing to share
        assert not zygote.wanted(mp.get_context("spawn"), 2, False)
    assert not zygote.wanted(fork, 2, None)  # no preload: nothing to share
    assert not zygote.wanted(mp.get_context("spawn"), 2, False)
    for name in CHECK_MODULES:
        importlib.import_module(name)
    assert not zygote.wanted(fork, 2, False)  # this process has imported the check's modules already


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_early_zygote_becomes_the_pools_workers(forced, jobs):
    early = prestart(jobs, False)
    pool = WorkerPool(_work, jobs, preload=False, early=early).start()
    if jobs == 1:
        assert pool._slots[0].process is early.process  # the zygote is the one worker
    assert_outcomes([1, 2, 3, "parent"], dict(pool.run([1, 2, 3, "parent"])))
    early.close()  # the pool has it: nothing to end
    assert _subreaper() == 0


def test_an_early_zygote_no_pool_takes_is_ended(forced):
    early = prestart(2, False)
    early.close()
    assert not early.process.is_alive() and _subreaper() == 0
    mismatched = prestart(2, True)  # a pool of another size or preload starts its own workers
    assert sorted(WorkerPool(_work, 3, preload=False, early=mismatched).run([1, 2])) == [(0, ("ok", 2)), (1, ("ok", 4))]
    assert not mismatched.process.is_alive()
