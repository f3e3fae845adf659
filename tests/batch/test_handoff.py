"""A generator run in a forked helper yields what it yields in this process, also when the helper fails."""

from __future__ import annotations

import os

import pytest

from xlperf.batch import handoff
from xlperf.batch.handoff import elsewhere


def _numbers(fail_at: int | None = None, parent: int | None = None):
    def produce(start: int):
        for n in range(start, 100):
            if n == fail_at and os.getpid() != parent:
                raise RuntimeError("the helper fails")
            yield n, {"pid": os.getpid()}
    return produce


def test_the_items_come_in_order_from_the_helper():
    got = list(elsewhere(_numbers()))
    assert [n for n, _ in got] == list(range(100))
    if "fork" in handoff.mp.get_all_start_methods() and handoff.threading.active_count() == 1:
        pids = {meta["pid"] for _, meta in got}
        assert len(pids) == 1 and os.getpid() not in pids


def test_what_a_failed_helper_did_not_deliver_is_made_here():
    got = list(elsewhere(_numbers(fail_at=70, parent=os.getpid())))
    assert [n for n, _ in got] == list(range(100))
    assert got[-1][1]["pid"] == os.getpid()


@pytest.mark.parametrize("seed", range(3))
def test_the_batch_tail_through_the_helper_writes_what_it_writes_here(seed, tmp_path, monkeypatch):
    from tests.batch.test_votes import _results, _run

    from xlperf.batch import infer

    results = _results(seed)
    here = _run(results, tmp_path, whole=False)
    monkeypatch.setattr(infer, "HANDOFF_FROM", 0)
    made_here, real = [], infer.elsewhere

    def spied(produce):  # what the helper makes is recorded in the helper's memory, not in this list
        return real(lambda start: made_here.append(start) or produce(start))

    monkeypatch.setattr(infer, "elsewhere", spied)
    assert _run(results, tmp_path, whole=False) == here
    if "fork" in handoff.mp.get_all_start_methods() and handoff.threading.active_count() == 1:
        assert made_here == []  # the helper made every item: the comparison above is the helper's
    assert _run(results, tmp_path, whole=True)[:2] == here[:2]
