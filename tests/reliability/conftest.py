"""Base workbooks for the hostile-input tests (built once per session) and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.hostile import bureau_workbook, template_copy


@pytest.fixture(scope="session")
def bases(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bases")
    return {"bureau": bureau_workbook(folder / "bureau.xlsx"), "template": template_copy(folder / "template.xlsx")}


# What an in-process Dask cluster (tests/batch) leaves in this process's environment: not a clerk's
_DASK_LEFTOVERS = ("__DASK_PARENT_PID", "MALLOC_TRIM_THRESHOLD_")


def xlperf(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 600,
           ) -> subprocess.CompletedProcess:
    """``python -m xlperf ARGS`` as a clerk runs it (its own process, output captured as text)."""
    return subprocess.run([sys.executable, "-m", "xlperf", *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env={**{k: v for k, v in os.environ.items() if k not in _DASK_LEFTOVERS}, **(env or {})},
                          timeout=timeout)
