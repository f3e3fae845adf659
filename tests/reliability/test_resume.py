"""Defect 7, --resume: a run resumed with other options is refused, and files that could not be checked
are checked again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.reliability.conftest import xlperf

STATE = ".xlperf-progress.jsonl"


def _interrupt(out: Path, keep: int) -> None:
    """Cut the state file after its first ``keep`` results, as a killed run leaves it."""
    lines = (out / STATE).read_text(encoding="utf-8").splitlines(keepends=True)
    head = [line for line in lines if '"run"' in line[:10]]
    results = [line for line in lines if line not in head]
    (out / STATE).write_text("".join(head + results[:keep]), encoding="utf-8")


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".xlperf-lock"}


def test_resume_with_other_options_is_refused(bases, tmp_path):
    """--resume with --write-back or --lang changed mixed the two runs' outputs."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx", "c.xlsx"):
        shutil.copy(bases["bureau"], folder / name)
    out = tmp_path / "out"
    first = xlperf("check", str(folder), "--out", str(out), "--jobs", "1", "--lang", "en")
    assert first.returncode == 0, first.stdout + first.stderr
    _interrupt(out, 1)
    before = _outputs(out)
    for changed in (["--lang", "zh"], ["--lang", "en", "--write-back"]):
        run = xlperf("check", str(folder), "--out", str(out), "--jobs", "1", "--resume", *changed)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stdout + run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and ("--lang" in run.stderr or "--write-back" in run.stderr)
        assert _outputs(out) == before  # nothing mixed in
    same = xlperf("check", str(folder), "--out", str(out), "--jobs", "1", "--resume", "--lang", "en")
    assert same.returncode == 0 and "3 files" in same.stdout, same.stdout + same.stderr


def test_files_that_failed_are_checked_again_on_resume(bases, tmp_path):
    """Results of crashed or timed-out files were never retried: a resumed run kept reporting them."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(bases["bureau"], folder / name)
    out = tmp_path / "out"
    xlperf("check", str(folder), "--out", str(out), "--jobs", "1")
    lines = (out / STATE).read_text(encoding="utf-8").splitlines()
    timed_out = []
    for line in lines:  # as if b.xlsx had timed out in the first run
        entry = json.loads(line)
        if entry.get("result", {}).get("file") == "b.xlsx":
            entry["result"].update(status="failed", counts={"error": 1, "warning": 0, "info": 0}, findings=[
                {"code": "file-timeout", "severity": "error", "sheet": None, "cell": None, "row": None,
                 "message": "读取或校验超过 120 秒未完成，已中止该文件。"}])
            line = json.dumps(entry, ensure_ascii=False)
        timed_out.append(line)
    (out / STATE).write_text("\n".join(timed_out) + "\n", encoding="utf-8")
    run = xlperf("check", str(folder), "--out", str(out), "--jobs", "1", "--resume")
    files = {e["file"]: e for e in json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]}
    assert run.returncode == 0 and files["b.xlsx"]["status"] == "ok", run.stdout + run.stderr + str(files["b.xlsx"])
