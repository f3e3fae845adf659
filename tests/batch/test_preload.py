"""The modules a batch worker imports as it starts exist (a renamed one would silently end the preload)."""

from __future__ import annotations

import importlib

import pytest

from xlperf.batch.worker import CHECK_MODULES, ENGINE_MODULES


@pytest.mark.parametrize("name", CHECK_MODULES + ENGINE_MODULES)
def test_every_preloaded_module_imports(name):
    importlib.import_module(name)
