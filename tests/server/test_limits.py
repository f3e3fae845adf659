"""Upload names: whatever a client sends, the path stays inside its job folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from xlperf.server.limits import place, safe_parts


@pytest.mark.parametrize("given, parts", [
    ("回收表.xlsx", ("回收表.xlsx",)),
    ("../../etc/passwd", ("etc", "passwd")),
    ("..\\..\\windows\\win.ini", ("windows", "win.ini")),
    ("/abs/path/表.xlsx", ("abs", "path", "表.xlsx")),
    ("文件夹/子/表.xlsx", ("文件夹", "子", "表.xlsx")),
    ("a\x00b<>:\"|?*.xlsx", ("a_b_______.xlsx",)),
    ("..", ("upload",)), ("", ("upload",)), (None, ("upload",)),
    (" . / .. /x.xlsx", ("x.xlsx",)),
])
def test_safe_parts(given, parts):
    assert safe_parts(given) == parts


def test_flat_names_and_long_names():
    assert safe_parts("单位/子/表.xlsx", keep_folders=False) == ("表.xlsx",)
    long = safe_parts("长" * 300 + ".xlsx")[0]
    assert len(long) <= 120 and long.endswith(".xlsx")
    assert len(safe_parts("/".join(["d"] * 20) + "/f.xlsx")) == 8


def test_place_never_overwrites_and_stays_inside(tmp_path: Path):
    first = place(tmp_path, ("表.xlsx",))
    first.write_bytes(b"1")
    second = place(tmp_path, ("表.xlsx",))
    assert second.name == "表 (2).xlsx" and second.parent == tmp_path
    with pytest.raises(ValueError):
        place(tmp_path, ("..", "x"))


def test_old_job_folders_are_purged_results_stay(tmp_path: Path):
    import os
    import time

    from xlperf.server.config import Limits, ServerConfig
    from xlperf.server.jobs import JobStore

    jobs = JobStore(ServerConfig(data_dir=tmp_path, limits=Limits(keep_days=30)).prepare())
    old, fresh = jobs.new("unit"), jobs.new("unit")
    month_ago = time.time() - 31 * 86400
    os.utime(jobs.folder(old.id) / "job.json", (month_ago, month_ago))
    (tmp_path / "jobs" / "not-a-job").mkdir()
    assert jobs.purge(time.time() + 7200) == 1
    assert not jobs.folder(old.id).exists() and jobs.folder(fresh.id).exists()
    assert (tmp_path / "jobs" / "not-a-job").exists()
    assert jobs.purge(time.time() + 7300) == 0  # at most once an hour
