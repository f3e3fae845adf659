"""xlperf.core.frozen: the fast __init__ behaves as the frozen dataclass's own."""

import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from xlperf.core.frozen import frozen
from xlperf.core.model import Indicator
from xlperf.findings import Finding


def _record(decorate, name: str):
    class Record:
        name: str
        count: int = 2
        tags: list = dataclasses.field(default_factory=list)
        extra: Any = None

    Record.__name__ = Record.__qualname__ = name
    return decorate(Record)


Fast = _record(frozen, "Fast")
Plain = _record(dataclasses.dataclass(frozen=True), "Plain")


def _params(cls) -> list[tuple[str, Any]]:
    return [(p.name, p.default) for p in inspect.signature(cls.__init__).parameters.values()]


def test_same_parameters_and_values_as_the_dataclass():
    assert _params(Fast)[:3] == _params(Plain)[:3]  # self, name, count
    assert [name for name, _ in _params(Fast)] == [name for name, _ in _params(Plain)]
    for args, kwargs in [(("a",), {}), (("a", 5), {"extra": 1.5}), ((), {"name": "b", "tags": [1]})]:
        assert dataclasses.asdict(Fast(*args, **kwargs)) == dataclasses.asdict(Plain(*args, **kwargs))
    with pytest.raises(TypeError):
        Fast()  # a required field stays required
    with pytest.raises(TypeError):
        Fast("a", nope=1)


def test_immutable_hashable_and_replaceable():
    one = Fast("a", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.count = 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        del one.name
    assert one == Fast("a", 1) and one != Fast("a", 2)
    assert hash(Fast("a", 1, ())) == hash(Fast("a", 1, ()))
    changed = dataclasses.replace(one, count=7)
    assert (changed.name, changed.count, one.count) == ("a", 7, 1)
    assert pickle.loads(pickle.dumps(changed)) == changed
    assert repr(one) == "Fast(name='a', count=1, tags=[], extra=None)"


def test_default_factory_gives_each_instance_its_own():
    first, second = Fast("a"), Fast("b")
    first.tags.append(1)
    assert second.tags == [] and first.tags == [1]


def test_post_init_still_runs():
    with pytest.raises(KeyError):
        Finding("no-such-code")
    assert Finding("weight-changed", "评分表", "E7").params == {}


def test_core_records_keep_defaults_and_immutability():
    ind = Indicator("产出指标", "数量指标", "培训场次", 10, "≥20场次", "22场次")
    assert ind.stated_score is None and ind.cells == {} and ind.percent == frozenset()
    with pytest.raises(dataclasses.FrozenInstanceError):
        ind.weight = 5


def test_unsupported_fields_are_refused():
    class NotInInit:
        a: int = dataclasses.field(default=0, init=False)

    class KeywordOnly:
        a: int = dataclasses.field(default=0, kw_only=True)

    class InitOnly:
        a: int
        b: dataclasses.InitVar[int] = 0

        def __post_init__(self, b):
            pass

    for odd in (NotInInit, KeywordOnly, InitOnly):
        with pytest.raises(TypeError):
            frozen(odd)


def test_evolve_is_dataclasses_replace():
    """evolve's copy of the fields gives what dataclasses.replace gives, caches in the dict left behind."""
    from xlperf.core.frozen import evolve

    row = Indicator("产出", "数量", "场次", 5, "≥20场次", "22场次", cells={"score": "H5"}, percent=frozenset({"x"}))
    object.__setattr__(row, "_cached", 1)  # a value cached on the instance is no field: replace drops it
    for changes in ({}, {"rule": None}, {"actual": 3, "cells": {}}, {"level1": "效益", "percent": frozenset()}):
        fast, slow = evolve(row, **changes), dataclasses.replace(row, **changes)
        assert fast == slow and vars(fast) == vars(slow) and type(fast) is Indicator and fast is not row
    with pytest.raises(TypeError):
        evolve(row, nonsense=1)  # no such field: refused, as replace refuses it
    assert evolve(Plain("a"), count=3) == Plain("a", 3)  # not @frozen: replace itself
