"""Defect 9, environment errors: one line and exit 2, never a traceback; outputs replaced as one set; one
run per output folder. A full disk is a real small tmpfs where this machine may mount one (CI runs as
root), else a writer that fails with ENOSPC."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.reliability.conftest import xlperf
from tests.reliability.hostile import SHEET1, formula, repack, set_cell

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "大鹏_2024_人才发展专项资金.xlsx"


def _one_line(run: subprocess.CompletedProcess) -> None:
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stdout + run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr


def _mount(folder: Path, options: str) -> bool:
    """A tmpfs at ``folder`` (False where this machine does not allow it)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not shutil.which("mount"):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def returns(bases, tmp_path) -> Path:
    folder = tmp_path / "回收"
    folder.mkdir()
    for i in range(3):
        repack(bases["bureau"], folder / f"单位{i}.xlsx", {SHEET1: set_cell(
            "G2", f'<c r="G2"><f>ROUND(MIN(1,F2/E2)*D2,2)</f><v>{10 + i}</v></c>')})
    return folder


def test_an_output_folder_that_cannot_be_written(returns, tmp_path):
    """An unwritable --out, or --out naming a file, exited 1 with a traceback."""
    (tmp_path / "a-file").write_text("x")
    for out in (tmp_path / "a-file", tmp_path / "a-file" / "out", Path("/sys/xlperf-" + uuid.uuid4().hex)):
        _one_line(xlperf("check", str(returns), "--out", str(out), "--jobs", "1"))
    readonly = tmp_path / "readonly"
    if _mount(readonly, "ro,size=64k"):
        try:
            run = xlperf("check", str(returns), "--out", str(readonly / "out"), "--jobs", "1")
            _one_line(run)
            assert "只读" in run.stderr
        finally:
            _umount(readonly)


def test_a_full_disk_stops_the_batch_and_keeps_the_previous_outputs(returns, tmp_path):
    """Disk full: a traceback, and outputs replaced one by one (a mixed set). Now: one line, exit 2, and
    the previous outputs as they were."""
    disk = tmp_path / "disk"
    mounted = _mount(disk, "size=200k")
    try:
        out = disk / "out"
        first = xlperf("check", str(returns), "--out", str(out), "--jobs", "1")
        assert first.returncode == 1, first.stdout + first.stderr
        before = {name: (out / name).read_bytes() for name in ("汇总.xlsx", "findings.csv", "results.json")}
        if mounted:  # leave 12 KB: three corrected copies (about 6 KB each) and the new outputs do not fit
            free = os.statvfs(disk)
            (disk / "filler").write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 12 * 1024))
            run = xlperf("check", str(returns), "--out", str(out), "--jobs", "1", "--write-back")
        else:
            run = _with_full_disk("check", str(returns), "--out", str(out), "--jobs", "1")
        _one_line(run)
        assert "--resume" in run.stderr
        assert {name: (out / name).read_bytes() for name in before} == before
    finally:
        if mounted:
            _umount(disk)


def _with_full_disk(*args: str) -> subprocess.CompletedProcess:
    """The CLI with findings.csv's writer failing as a full disk fails (where no tmpfs can be mounted)."""
    code = ("import errno, sys\nimport xlperf.outputs.machine as machine\n"
            "def full(self, result):\n    raise OSError(errno.ENOSPC, 'No space left on device', str(self.path))\n"
            "machine.FindingsCsv.write = full\nfrom xlperf.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600)


def test_the_three_outputs_are_replaced_as_one_set(returns, tmp_path, monkeypatch):
    """A failure while the outputs were put in place left a mixed set (new 汇总 and findings.csv, old
    results.json)."""
    from xlperf.batch.runner import RunOptions, run_batch
    from xlperf.batch.task import CheckOptions
    import xlperf.outputs.machine as machine

    out = tmp_path / "out"
    run_batch([returns], CheckOptions(formulas=False), RunOptions(out, jobs=0))
    before = {name: (out / name).read_bytes() for name in ("汇总.xlsx", "findings.csv", "results.json")}
    (returns / "单位9.xlsx").write_bytes((returns / "单位0.xlsx").read_bytes())

    def fail(self):
        raise OSError(errno.EIO, "Input/output error", str(self.path))

    monkeypatch.setattr(machine.ResultsJson, "close", fail)
    with pytest.raises(Exception):
        run_batch([returns], CheckOptions(formulas=False), RunOptions(out, jobs=0))
    assert {name: (out / name).read_bytes() for name in before} == before


def test_two_runs_on_one_output_folder(bases, tmp_path):
    """Two runs on one --out took no lock: each overwrote the other's outputs."""
    folder = tmp_path / "in"
    for i in range(3):  # each about 3 s in the formula engine: the first run is still busy
        repack(bases["bureau"], folder / f"slow{i}.xlsx", {SHEET1: formula("G6", "+".join(["G2"] * 2730), "100")})
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "xlperf", "check", str(folder), "--out", str(out), "--jobs", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            if (out / ".xlperf-progress.jsonl").exists():
                break
            time.sleep(0.05)
        second = xlperf("check", str(folder), "--out", str(out), "--jobs", "1")
        _one_line(second)
        assert str(first.pid) in second.stderr
        assert first.poll() is None, "the first run ended before the second began: make its files slower"
    finally:
        stdout, stderr = first.communicate(timeout=600)
    assert first.returncode == 0 and "Traceback" not in stderr, stdout + stderr


def test_score_and_check_options_that_make_no_sense(tmp_path):
    """A weight of 1E+308 crashed xlperf score; --timeout -1 was accepted."""
    huge = repack(EXAMPLE, tmp_path / "huge.xlsx", {SHEET1: set_cell("D4", '<c r="D4" s="3" t="n"><v>1E+308</v></c>')})
    run = xlperf("score", str(huge))
    assert run.returncode == 1 and "Traceback" not in run.stderr and "weights-sum" in run.stdout, run.stderr
    for bad in ("-1", "nan", "inf"):
        _one_line(xlperf("check", str(huge), "--out", str(tmp_path / "out"), "--timeout", bad))
