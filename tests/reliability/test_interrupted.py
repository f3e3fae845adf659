"""Defect 8 and the clerk's Ctrl-C: a killed or interrupted run leaves no worker running and no temporary
folder behind, and says how to resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.hostile import SHEET1, formula, repack, set_cell

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(condition, seconds: float = 60) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        time.sleep(0.05)
    return condition()


ARRAY = '<c r="D6"><f t="array" ref="D6">SUM(D2:D5)</f><v>100</v></c>'  # sends the file to the full model


@pytest.fixture
def slow_batch(bases, tmp_path) -> Path:
    """Returns that keep two workers busy for several seconds in the formula engine's full model (long
    formulas: about 3 s each; an array formula, which only the full model computes, in a temporary folder)."""
    folder = tmp_path / "回收"
    for i in range(4):
        repack(bases["bureau"], folder / f"单位{i}.xlsx", {SHEET1: lambda data: set_cell("D6", ARRAY)(
            formula("G6", "+".join(["G2"] * 2730), "100")(data))})
    return folder


def _start(folder: Path, out: Path, tmp: Path, *extra: str) -> subprocess.Popen:
    tmp.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "xlperf", "check", str(folder), "--out", str(out), "--jobs", "2", "--write-back",
           *extra]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(tmp)})


def _leftovers(*folders: Path) -> list[str]:
    return [str(p) for folder in folders for p in folder.rglob("*") if p.name.startswith(("xlperf-recalc-",
                                                                                           "xlperf-lo-"))]


def test_workers_end_with_a_killed_parent_and_nothing_is_left_behind(slow_batch, tmp_path):
    """Each forked worker held a copy of the parent's pipe end: kill the parent, and they ran forever;
    temporary outputs and xlperf-recalc-* folders stayed behind."""
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    parent = _start(slow_batch, out, tmp)
    try:
        assert _wait(lambda: len(_children(parent.pid)) >= 2), "no workers started"
        workers = _children(parent.pid)
        assert _wait(lambda: bool(_leftovers(tmp, out)), 30), "the engine made no temporary folder"
        parent.kill()
        parent.wait()
        assert _wait(lambda: not any(map(_alive, workers)), 30), f"workers still running: {workers}"
    finally:
        for pid in _children(parent.pid):
            os.kill(pid, signal.SIGKILL)
    again = subprocess.run([sys.executable, "-m", "xlperf", "check", str(slow_batch), "--out", str(out), "--jobs",
                            "2", "--write-back", "--resume"], capture_output=True, text=True, timeout=600,
                           env={**os.environ, "TMPDIR": str(tmp)})
    assert again.returncode == 0, again.stdout + again.stderr
    files = json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]
    assert len(files) == 4 and all(Path(f["written"]).is_file() for f in files)
    assert _leftovers(tmp, out) == [] and sorted(p.name for p in out.iterdir()) == [
        ".xlperf-lock", ".xlperf-progress.jsonl", "corrected", "findings.csv", "results.json", "汇总.xlsx"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupting_a_run_prints_how_to_resume(slow_batch, tmp_path, sig):
    """Ctrl-C (or a stop from the system) ends the workers, removes temporary files, keeps the state file
    and the previous outputs, and prints one line that says how to continue."""
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    parent = _start(slow_batch, out, tmp)
    assert _wait(lambda: len(_children(parent.pid)) >= 2), "no workers started"
    workers = _children(parent.pid)
    time.sleep(0.5)
    parent.send_signal(sig)
    stdout, stderr = parent.communicate(timeout=120)
    assert parent.returncode == 130 and "Traceback" not in stderr, stdout + stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "--resume" in lines[0] and str(slow_batch) in lines[0], stderr
    assert _wait(lambda: not any(map(_alive, workers)), 30)
    assert _leftovers(tmp, out) == [] and (out / ".xlperf-progress.jsonl").exists()
    assert not (out / "results.json").exists()  # no half set of outputs
