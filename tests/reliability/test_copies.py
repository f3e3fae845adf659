"""Defect 3, lost corrected copies: every input gets its own result name and copy, all inside corrected/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl

from tests.reliability.conftest import xlperf
from tests.reliability.hostile import SHEET1, repack, set_cell


def _stale(bases, path: Path, cached: int) -> Path:
    """The bureau form with a stale cached score in G2 (write-back corrects it to 30)."""
    return repack(bases["bureau"], path, {SHEET1: set_cell("G2", f'<c r="G2"><f>ROUND(MIN(1,F2/E2)*D2,2)</f>'
                                                                 f'<v>{cached}</v></c>')})


def _entries(out: Path) -> list[dict]:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]


def _files_under(folder: Path) -> set[str]:
    return {str(Path(root, name).relative_to(folder)) for root, _, names in os.walk(folder) for name in names}


def test_same_relative_names_keep_their_own_copies(bases, tmp_path):
    """a/returns/x.xlsx and b/returns/x.xlsx shared one result name and one copy: the second overwrote
    the first."""
    _stale(bases, tmp_path / "a" / "returns" / "x.xlsx", 11)
    _stale(bases, tmp_path / "b" / "returns" / "x.xlsx", 22)
    out = tmp_path / "out"
    run = xlperf("check", str(tmp_path / "a" / "returns"), str(tmp_path / "b" / "returns"), "--out", str(out),
                 "--jobs", "2", "--write-back")
    entries = _entries(out)
    names = [entry["file"] for entry in entries]
    assert len(names) == 2 and len(set(names)) == 2, run.stdout + run.stderr
    written = [Path(entry["written"]) for entry in entries]
    assert len(set(written)) == 2 and all(path.is_file() for path in written)
    found = {}
    for entry in entries:
        message = next(f["message"] for f in entry["findings"] if f["code"] == "cached-value-mismatch")
        found[entry["file"]] = message
        copy = openpyxl.load_workbook(entry["written"], data_only=True)["评分表"]
        assert copy["G2"].value == 30
    assert {("11" in m, "22" in m) for m in found.values()} == {(True, False), (False, True)}


def test_a_dotdot_root_cannot_put_a_copy_outside_corrected(bases, tmp_path):
    """Given the input root "..", a copy was written to corrected/../x.xlsx, outside corrected/."""
    work = tmp_path / "returns" / "unit"
    work.mkdir(parents=True)
    _stale(bases, tmp_path / "returns" / "x.xlsx", 11)
    _stale(bases, tmp_path / "other" / "y.xlsx", 22)
    out = tmp_path / "out"
    run = xlperf("check", "..", "../../other", "--out", "../../out", "--jobs", "1", "--write-back", cwd=work)
    assert run.returncode == 1, run.stdout + run.stderr
    extra = {name for name in _files_under(out) if not name.startswith("corrected" + os.sep)}
    assert extra <= {"汇总.xlsx", "findings.csv", "results.json", ".xlperf-progress.jsonl", ".xlperf-lock"}, extra
    for entry in _entries(out):
        assert ".." not in Path(entry["file"]).parts
        assert (work / entry["written"]).resolve().is_relative_to((out / "corrected").resolve())
    assert len(_files_under(out / "corrected")) == 2
