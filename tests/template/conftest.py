"""Fixtures: every bundled template built once into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xlperf.core.frameworks import load_framework
from xlperf.template.builder import build_template
from xlperf.template.commands import template_frameworks

TEMPLATE_IDS = ("dapeng", "self_eval", "yantian")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """id → a freshly built template (read-only use; copy before changing it)."""
    folder = tmp_path_factory.mktemp("templates")
    return {fid: build_template(fid, folder / f"{fid}.xlsx") for fid in template_frameworks()}


@pytest.fixture
def copy_of(built, tmp_path):
    """Factory: a private copy of a built template."""
    def make(fid: str) -> Path:
        return Path(shutil.copy(built[fid], tmp_path / f"{fid}.xlsx"))
    return make


@pytest.fixture(params=TEMPLATE_IDS)
def fid(request) -> str:
    return request.param


@pytest.fixture
def framework(fid):
    return load_framework(fid)
