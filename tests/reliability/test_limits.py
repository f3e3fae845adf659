"""Defect 4, unbounded work: one returned file cannot hold a worker for minutes or take its memory.

The hostile inputs are the ones the adversarial run found, patched into the bureau's own form. The runs
use ``--timeout 60``: before the fix each file ran past it (or for minutes, or for the better part of an
hour); the tests look only at the outcome (a result, not a timeout), never at a clock.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.reliability.conftest import xlperf
from tests.reliability.hostile import SHEET1, after_sheet_data, before_sheet_data_end, formula, repack, set_cell


def _check(folder: Path, out: Path, *extra: str, timeout: float = 600) -> dict[str, dict]:
    run = xlperf("check", str(folder), "--out", str(out), "--timeout", "60", *extra, timeout=timeout)
    assert "Traceback" not in run.stderr and run.returncode in (0, 1), run.stdout + run.stderr
    return {e["file"]: e for e in json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]}


def _codes(entry: dict) -> list[tuple[str, str | None]]:
    return [(f["code"], f["cell"]) for f in entry["findings"]]


def test_a_value_in_the_last_row_does_not_feed_a_million_rows_to_the_engine(bases, tmp_path):
    """One value in row 1 048 576: the formula engine's model read every row through openpyxl (over 60 s
    and 2.4 GB). Now the compiled program reads only the cells the formulas refer to, and the full model
    (which an array formula still needs) is not given more than its bound: that file is scored and checked,
    its formulas not recomputed, and a warning says why."""
    far = before_sheet_data_end('<row r="1048576"><c r="A1048576"><v>1</v></c></row>')
    array = set_cell("D6", '<c r="D6"><f t="array" ref="D6">SUM(D2:D5)</f><v>100</v></c>')
    repack(bases["bureau"], tmp_path / "in" / "far.xlsx", {SHEET1: far})
    repack(bases["bureau"], tmp_path / "in" / "far_array.xlsx", {SHEET1: lambda data: far(array(data))})
    files = _check(tmp_path / "in", tmp_path / "out", "--jobs", "1")
    assert files["far.xlsx"]["status"] == "ok" and files["far.xlsx"]["total"] == 100, files["far.xlsx"]
    entry = files["far_array.xlsx"]
    assert _codes(entry) == [("formulas-not-recomputed", None)] and entry["total"] == 100, entry
    assert "1048576" in entry["findings"][0]["message"]


def test_a_formula_past_excels_length_limit_is_a_finding(bases, tmp_path):
    """A 10 KB file holding a 30 000-term formula: over 120 s and 2.7 GB in the formula parser."""
    repack(bases["bureau"], tmp_path / "in" / "long.xlsx", {SHEET1: formula("G6", "+".join(["G2"] * 30000), "100")})
    entry = _check(tmp_path / "in", tmp_path / "out", "--jobs", "1")["long.xlsx"]
    assert ("formula-too-long", "G6") in _codes(entry), entry
    assert entry["findings"][0]["severity"] == "error" and "89999" in entry["findings"][0]["message"]


@pytest.mark.parametrize("executor", ["local", "dask"])
def test_a_long_attribute_is_read_in_linear_time(bases, tmp_path, executor):
    """A 400 000-character attribute (quotes that do not match) made the attribute regex quadratic, about
    45 minutes holding the interpreter lock, so that under Dask even --timeout could not end it."""
    if executor == "dask":
        pytest.importorskip("dask.distributed")
    attribute = "a" * 400_000
    repack(bases["bureau"], tmp_path / "in" / "cell.xlsx", {SHEET1: lambda data: data.replace(
        b'<c r="G2">', b'<c r="G2" x=\'' + attribute.encode() + b'">', 1)})
    repack(bases["bureau"], tmp_path / "in" / "merge.xlsx",
           {SHEET1: after_sheet_data(f'<mergeCells count="1"><mergeCell ref="H2:H3" {attribute}/></mergeCells>')})
    shutil.copy(bases["bureau"], tmp_path / "in" / "plain.xlsx")
    files = _check(tmp_path / "in", tmp_path / "out", "--jobs", "1", "--executor", executor)
    assert set(files) == {"cell.xlsx", "merge.xlsx", "plain.xlsx"}
    for name, entry in files.items():
        assert "file-timeout" not in {code for code, _ in _codes(entry)}, (name, entry)
    assert files["plain.xlsx"]["status"] == "ok"


def test_a_worker_past_its_memory_cap_is_that_files_error_and_is_replaced(bases, tmp_path):
    """Workers had no memory cap: a 30 000-term formula took 2.7 GB (300 000 terms: 20 GB). With
    --max-memory a worker that passes the cap reports its file and a fresh worker checks the rest."""
    array = set_cell("D6", '<c r="D6"><f t="array" ref="D6">SUM(D2:D5)</f><v>100</v></c>')  # the full model
    repack(bases["bureau"], tmp_path / "in" / "a_big.xlsx",
           {SHEET1: lambda data: array(formula("G6", "+".join(["G2"] * 2730), "100")(data))})
    shutil.copy(bases["bureau"], tmp_path / "in" / "b_next.xlsx")
    shutil.copy(bases["template"], tmp_path / "in" / "c_template.xlsx")
    # 350 MB: a worker checks a plain return in under 250 MB; this file's full model needs over 400 MB even with
    # glibc returning freed memory early (MALLOC_TRIM_THRESHOLD_, which Dask sets in its parent's environment)
    files = _check(tmp_path / "in", tmp_path / "out", "--jobs", "1", "--max-memory", "350")
    assert _codes(files["a_big.xlsx"]) == [("file-memory", None)] and files["a_big.xlsx"]["status"] == "failed"
    assert "350 MB" in files["a_big.xlsx"]["findings"][0]["message"]
    assert files["b_next.xlsx"]["status"] == files["c_template.xlsx"]["status"] == "ok"
