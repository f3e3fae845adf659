"""The on-disk cache of rebuilt templates gives back exactly what the builder makes, or rebuilds."""

from __future__ import annotations

import json

import pytest

from xlperf.batch import reference_cache
from xlperf.batch.reference_cache import cached_reference
from xlperf.batch.structure import Structure
from xlperf.batch.template_check import build_reference, reference_structure
from xlperf.core.frameworks import framework_names, load_framework


def _no_build() -> Structure:
    raise AssertionError("rebuilt although the cache holds the entry")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XLPERF_CACHE_DIR", str(tmp_path / "cache"))
    reference_structure.cache_clear()
    yield tmp_path / "cache"
    reference_structure.cache_clear()


@pytest.mark.parametrize("fid", [n for n in framework_names() if load_framework(n).indicators])
def test_cached_reference_equals_the_rebuilt_one(cache, fid):
    built = build_reference(fid)
    extra = repr(load_framework(fid))
    first = cached_reference(fid, extra, lambda: built, Structure.to_json, Structure.from_json)
    assert first == built
    assert len(list(cache.glob("reference-*.json"))) == 1
    again = cached_reference(fid, extra, _no_build, Structure.to_json, Structure.from_json)
    assert again == built and again.to_json() == built.to_json()
    assert again.table.roles == built.table.roles and type(again.cells) is dict


def test_reference_structure_reads_what_it_stored(cache):
    fid = "yantian"
    assert reference_structure(fid) == build_reference(fid)
    reference_structure.cache_clear()
    assert cached_reference(fid, repr(load_framework(fid)), _no_build, Structure.to_json, Structure.from_json) == build_reference(fid)


def test_a_corrupt_entry_is_rebuilt_and_replaced(cache):
    fid, extra = "dapeng", repr(load_framework("dapeng"))
    built = build_reference(fid)
    cached_reference(fid, extra, lambda: built, Structure.to_json, Structure.from_json)
    (entry,) = cache.glob("reference-*.json")
    entry.write_text('{"version": "1", "cells": {"x": [[1]]}}', encoding="utf-8")
    assert cached_reference(fid, extra, lambda: built, Structure.to_json, Structure.from_json) == built
    assert json.loads(entry.read_text(encoding="utf-8"))["table"]["keys"] == list(built.table.keys)


def test_another_framework_text_or_package_is_another_entry(cache, monkeypatch):
    fid = "dapeng"
    built = build_reference(fid)
    cached_reference(fid, "one", lambda: built, Structure.to_json, Structure.from_json)
    calls = []
    cached_reference(fid, "two", lambda: calls.append(1) or built, Structure.to_json, Structure.from_json)
    monkeypatch.setattr(reference_cache, "package_digest", lambda: "changed code")
    cached_reference(fid, "one", lambda: calls.append(1) or built, Structure.to_json, Structure.from_json)
    assert calls == [1, 1]
    assert len(list(cache.glob("reference-*.json"))) == 3


def test_an_unwritable_cache_only_costs_the_rebuild(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XLPERF_CACHE_DIR", str(blocker / "cache"))
    built = build_reference("dapeng")
    assert cached_reference("dapeng", "x", lambda: built, Structure.to_json, Structure.from_json) is built
    assert blocker.read_text(encoding="utf-8") == "x"


def test_old_entries_beyond_the_limit_are_removed(cache):
    import os

    cache.mkdir(parents=True)
    for i in range(reference_cache.MAX_ENTRIES + 5):
        old = cache / f"reference-old{i:03d}.json"
        old.write_text("{}", encoding="utf-8")
        os.utime(old, ns=(10**18 + i, 10**18 + i))
    (cache / "unrelated.txt").write_text("kept", encoding="utf-8")
    built = build_reference("dapeng")
    cached_reference("dapeng", "x", lambda: built, Structure.to_json, Structure.from_json)
    entries = list(cache.glob("reference-*.json"))
    assert len(entries) == reference_cache.MAX_ENTRIES
    assert not (cache / "reference-old000.json").exists()  # the oldest went first
    assert (cache / f"reference-old{reference_cache.MAX_ENTRIES + 4:03d}.json").exists()
    assert (cache / "unrelated.txt").read_text(encoding="utf-8") == "kept"
    assert cached_reference("dapeng", "x", _no_build, Structure.to_json, Structure.from_json) == built
