"""Fixtures: every bundled template built once (both formula kinds) into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xlperf.core.frameworks import load_framework
from xlperf.template.builder import build_template
from xlperf.template.shipped import SHIPPED_NAMES, template_frameworks

TEMPLATE_IDS = ("dapeng", "self_eval", "yantian")
FORMULAS = ("udf", "excel")


@pytest.fixture(scope="session")
def built_all(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(id, formulas) → a freshly built template (read-only use; copy before changing it)."""
    folder = tmp_path_factory.mktemp("templates")
    return {(fid, kind): build_template(fid, folder / SHIPPED_NAMES[kind].format(id=fid), kind)
            for fid in template_frameworks() for kind in FORMULAS}


@pytest.fixture(scope="session")
def built(built_all) -> dict[str, Path]:
    """id → the UDF template."""
    return {fid: path for (fid, kind), path in built_all.items() if kind == "udf"}


@pytest.fixture(scope="session")
def plain(built_all) -> dict[str, Path]:
    """id → the plain-formula template."""
    return {fid: path for (fid, kind), path in built_all.items() if kind == "excel"}


@pytest.fixture
def copy_of(built_all, tmp_path):
    """Factory: a private copy of a built template (UDF unless ``formulas="excel"``)."""
    def make(fid: str, formulas: str = "udf") -> Path:
        return Path(shutil.copy(built_all[(fid, formulas)], tmp_path / f"{fid}_{formulas}.xlsx"))
    return make


@pytest.fixture(params=TEMPLATE_IDS)
def fid(request) -> str:
    return request.param


@pytest.fixture(params=FORMULAS)
def formulas(request) -> str:
    return request.param


@pytest.fixture
def framework(fid):
    return load_framework(fid)
