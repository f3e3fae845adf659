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
