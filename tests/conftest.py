"""Shared fixtures: the seed cases, case workbooks, and hypothesis profiles."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examples import casebook  # noqa: E402

settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CASE_NAMES = ("yantian_2024", "dapeng_2024")


@pytest.fixture(params=CASE_NAMES)
def case(request) -> dict:
    return casebook.load_case(request.param)


@pytest.fixture
def case_book(tmp_path):
    """Factory: build a case workbook with casebook options and return its path."""
    def make(name: str, **options) -> Path:
        return casebook.build(casebook.load_case(name), tmp_path / f"{name}.xlsx", **options)
    return make


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Tests (and the CLIs they start) keep xlperf's cache in a temporary folder, not ~/.cache."""
    old = os.environ.get("XLPERF_CACHE_DIR")
    os.environ["XLPERF_CACHE_DIR"] = str(tmp_path_factory.mktemp("xlperf-cache"))
    yield
    if old is None:
        os.environ.pop("XLPERF_CACHE_DIR", None)
    else:
        os.environ["XLPERF_CACHE_DIR"] = old
