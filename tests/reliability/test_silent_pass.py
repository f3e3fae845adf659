"""Defect 1, the silent empty pass: every input file gets a result, nothing is skipped in silence, and a
batch in which files could not be checked never exits 0."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.reliability.conftest import xlperf
from tests.reliability.hostile import digest, odf_zip, set_cell, repack, xlsb_from, SHEET1


def _results(out: Path) -> dict[str, dict]:
    return {entry["file"]: entry for entry in json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]}


def test_a_state_file_in_a_unit_folder_hides_nothing(bases, tmp_path):
    """A stray .xlperf-progress.jsonl (an old output folder's, copied along) sat in one unit's folder: that
    folder and its returns vanished from the batch, which reported 已校验 0 个文件 and exit 0."""
    returns = tmp_path / "回收"
    stale = returns / "单位A"
    stale.mkdir(parents=True)
    repack(bases["bureau"], stale / "a.xlsx", {SHEET1: set_cell("G2", '<c r="G2"><f>ROUND(MIN(1,F2/E2)*D2,2)</f>'
                                                                      '<v>12</v></c>')})  # a stale cached score
    (stale / ".xlperf-progress.jsonl").write_text('{"key": "x", "result": {}}\n', encoding="utf-8")
    shutil.copy(bases["bureau"], returns / "b.xlsx")
    run = xlperf("check", str(returns), "--out", str(tmp_path / "out"), "--jobs", "1")
    files = _results(tmp_path / "out")
    assert "单位A/a.xlsx" in files, run.stdout + run.stderr
    assert ("cached-value-mismatch", "G2") in {(f["code"], f["cell"]) for f in files["单位A/a.xlsx"]["findings"]}
    assert run.returncode == 1
    assert files["单位A/.xlperf-progress.jsonl"]["status"] == "skipped" and files["b.xlsx"]["status"] == "ok"
    assert [f["code"] for f in files["单位A/.xlperf-progress.jsonl"]["findings"]] == ["file-xlperf-output"]


def test_out_pointed_at_the_input_is_refused_without_touching_it(bases, tmp_path):
    """--out pointed at the input folder gave "已校验 0 个文件", exit 0, and hid the folder from later runs.
    Now an output folder among the returns must be a new one, and a later run tells its outputs apart."""
    returns = tmp_path / "回收"
    returns.mkdir()
    shutil.copy(bases["bureau"], returns / "a.xlsx")
    (returns / "单位B").mkdir()
    shutil.copy(bases["bureau"], returns / "单位B" / "b.xlsx")
    before = digest(returns)
    for out in (returns, returns / "单位B"):  # the returns' own folder, or a unit's
        run = xlperf("check", str(returns), "--out", str(out), "--jobs", "1")
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stdout + run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "--out" in run.stderr
        assert digest(returns) == before and sorted(os.listdir(returns)) == ["a.xlsx", "单位B"]
    new = xlperf("check", str(returns), "--out", str(returns / "结果"), "--jobs", "1")  # a new folder: fine
    again = xlperf("check", str(returns), "--out", str(returns / "结果2"), "--jobs", "1")
    assert (new.returncode, again.returncode) == (0, 0), new.stdout + new.stderr + again.stdout + again.stderr
    files = _results(returns / "结果2")  # the first run's outputs are known for what they are, its copies too
    assert files["a.xlsx"]["status"] == files["单位B/b.xlsx"]["status"] == "ok"
    assert {name: entry["status"] for name, entry in files.items() if name.startswith("结果/")} == {
        "结果/.xlperf-lock": "skipped", "结果/.xlperf-progress.jsonl": "skipped", "结果/findings.csv": "skipped",
        "结果/results.json": "skipped", "结果/汇总.xlsx": "skipped"}


def test_spreadsheets_that_cannot_be_checked_are_errors(bases, tmp_path):
    """.ods and .xlsb (and the other spreadsheet formats) were a warning and exit 0: files never checked."""
    returns = tmp_path / "回收"
    returns.mkdir()
    shutil.copy(bases["bureau"], returns / "ok.xlsx")
    odf_zip(returns / "calc.ods")
    xlsb_from(bases["bureau"], returns / "binary.xlsb")
    repack(bases["bureau"], returns / "renamed.numbers")  # a real package under another spreadsheet suffix
    (returns / "exported.csv").write_text("三级指标,分值,得分\n培训场次,30,30\n", encoding="utf-8")
    run = xlperf("check", str(returns), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert run.returncode == 1, run.stdout + run.stderr
    files = _results(tmp_path / "out")
    for name in ("calc.ods", "binary.xlsb", "renamed.numbers", "exported.csv"):
        assert files[name]["status"] == "failed", files[name]
        assert [f["severity"] for f in files[name]["findings"]] == ["error"], files[name]
    assert files["renamed.numbers"]["findings"][0]["code"] == "file-format-unsupported"


def test_dangling_and_looping_links_are_reported(bases, tmp_path):
    """A link whose target is gone, or that loops, vanished without a word."""
    returns = tmp_path / "回收"
    returns.mkdir()
    shutil.copy(bases["bureau"], returns / "ok.xlsx")
    os.symlink(tmp_path / "deleted.xlsx", returns / "dangling.xlsx")
    os.symlink("loop-b.xlsx", returns / "loop-a.xlsx")
    os.symlink("loop-a.xlsx", returns / "loop-b.xlsx")
    run = xlperf("check", str(returns), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert run.returncode == 1, run.stdout + run.stderr
    files = _results(tmp_path / "out")
    for name in ("dangling.xlsx", "loop-a.xlsx", "loop-b.xlsx"):
        assert [f["code"] for f in files[name]["findings"]] == ["file-link-broken"] and files[name]["status"] == "failed"


def test_files_that_are_not_returns_are_counted(bases, tmp_path):
    """A .pdf beside the returns stays informational, but the console summary and the 汇总 count it."""
    import openpyxl

    returns = tmp_path / "回收"
    returns.mkdir()
    shutil.copy(bases["bureau"], returns / "ok.xlsx")
    (returns / "说明.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    run = xlperf("check", str(returns), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "共 2 个文件：通过 1" in run.stdout and "其他文件（未检查）1" in run.stdout, run.stdout
    rows = list(openpyxl.load_workbook(tmp_path / "out" / "汇总.xlsx", data_only=True)["汇总"].iter_rows(
        min_row=2, values_only=True))  # (file names are links: their shown text)
    assert [row[0] for row in rows] == ["ok.xlsx", "说明.pdf"]


def test_an_empty_input_folder_is_a_usage_error(tmp_path):
    """An empty folder gave "已校验 0 个文件", exit 0 (issue 13: exit 2 with a reason)."""
    (tmp_path / "回收").mkdir()
    run = xlperf("check", str(tmp_path / "回收"), "--out", str(tmp_path / "out"))
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "回收" in run.stderr, run.stdout + run.stderr
    assert not (tmp_path / "out").exists()
