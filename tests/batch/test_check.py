"""``xlperf check`` over generated returned templates: every injected defect found at its cell,
nothing on clean files, bad files survived, originals untouched, outputs complete."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from tests.corpus import make_bad_files, make_defect_corpus


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("returned")
    defects = make_defect_corpus(folder)
    bad = make_bad_files(folder)
    return folder, defects, bad


def run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlperf", "check", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=900)


@pytest.fixture(scope="module")
def checked(corpus, tmp_path_factory):
    folder, _, _ = corpus
    before = digest(folder)
    out = tmp_path_factory.mktemp("out")
    result = run_check(str(folder), "--out", str(out), "--jobs", "2", "--write-back")
    return before, out, result


def by_file(out: Path) -> dict[str, dict]:
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in data["files"]}


def test_every_injected_defect_is_found_at_its_cell(corpus, checked):
    _, defects, _ = corpus
    _, out, result = checked
    assert result.returncode == 1, result.stderr
    files = by_file(out)
    for defect in defects:
        found = {(f["code"], f["sheet"], f["cell"]) for f in files[defect.name]["findings"]}
        for code, sheet, cell in defect.expect:
            assert any(c == code and (sheet is None or s == sheet) and (cell is None or x == cell)
                       for c, s, x in found), (defect.name, code, cell, found)


def test_clean_files_have_no_findings(corpus, checked):
    _, out, _ = checked
    files = by_file(out)
    for name in ("clean_dapeng.xlsx", "clean_self_eval.xlsx"):
        assert files[name]["findings"] == [] and files[name]["status"] == "ok", files[name]["findings"]
    assert files["clean_dapeng.xlsx"]["total"] == 98.37 and files["clean_dapeng.xlsx"]["grade"] == "优"


def test_bad_files_one_clear_finding_each_and_originals_unchanged(corpus, checked):
    _, _, bad = corpus
    before, out, _ = checked
    files = by_file(out)
    for name, code in bad.items():
        assert [f["code"] for f in files[name]["findings"]] == [code], files[name]
        assert files[name]["findings"][0]["message"]
    assert digest(corpus[0]) == before


def test_outputs(checked):
    _, out, _ = checked
    wb = openpyxl.load_workbook(out / "汇总.xlsx")
    assert wb.sheetnames == ["汇总", "退回清单", "问题清单", "等级分布"]
    summary, findings = wb["汇总"], wb["问题清单"]
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref
    assert findings.freeze_panes == "A2" and findings.auto_filter.ref.startswith("A1:F")
    assert [c.value for c in findings[1]] == ["文件", "工作表", "单元格", "代码", "严重程度", "说明"]
    assert wb["等级分布"]._charts
    rows = list(csv.DictReader((out / "findings.csv").open(encoding="utf-8-sig")))
    assert {"file", "sheet", "cell", "code", "severity", "message"} <= set(rows[0])
    entry = next(iter(by_file(out).values()))
    assert {"file", "status", "total", "grade", "findings"} <= set(entry)


def test_write_back_copies_keep_every_other_part(corpus, checked):
    import zipfile

    folder, _, _ = corpus
    _, out, _ = checked
    copy = out / "corrected" / "stale_cache.xlsx"
    original = folder / "stale_cache.xlsx"
    assert openpyxl.load_workbook(copy, data_only=True)["评分表"]["K20"].value == 4
    assert openpyxl.load_workbook(original, data_only=True)["评分表"]["K20"].value == 1.23
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(copy) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if not name.startswith("xl/worksheets/"):
                assert a.read(name) == b.read(name), name
    formulas_before = openpyxl.load_workbook(original)["评分表"]["K20"].value
    assert openpyxl.load_workbook(copy)["评分表"]["K20"].value == formulas_before


def test_write_back_copy_opens_in_libreoffice(checked, tmp_path):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui")
    _, out, _ = checked
    copy = out / "corrected" / "stale_cache.xlsx"
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                             "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
                             "--outdir", str(tmp_path), str(copy)], capture_output=True, text=True, timeout=240)
    sheets = list(tmp_path.glob("*评分表*.csv"))
    assert result.returncode == 0 and sheets, result.stderr
    rows = list(csv.reader(sheets[0].open(encoding="utf-8")))
    assert rows[19][10] in ("4", "4.00")


def test_usage_errors_exit_two(tmp_path):
    result = run_check(str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_clean_folder_exits_zero(corpus, tmp_path):
    folder, _, _ = corpus
    only = tmp_path / "clean"
    only.mkdir()
    shutil.copy(folder / "clean_dapeng.xlsx", only)
    result = run_check(str(only), "--out", str(tmp_path / "o"), "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_resume_skips_finished_files(corpus, tmp_path):
    from xlperf.batch.runner import RunOptions, run_batch
    from xlperf.batch.task import CheckOptions

    folder, _, _ = corpus
    part = tmp_path / "part"
    part.mkdir()
    for name in ("clean_dapeng.xlsx", "weight_edited.xlsx", "note_missing.xlsx"):
        shutil.copy(folder / name, part)
    out = tmp_path / "o"
    first = run_batch([part], CheckOptions(formulas=False), RunOptions(out, jobs=1))
    state = (out / ".xlperf-progress.jsonl").read_text(encoding="utf-8").splitlines()  # the run, then 3 files
    (out / ".xlperf-progress.jsonl").write_text("\n".join(state[:3]) + "\n", encoding="utf-8")  # interrupted
    again = run_batch([part], CheckOptions(formulas=False), RunOptions(out, jobs=1, resume=True))
    lines = (out / ".xlperf-progress.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and lines[:3] == state[:3]
    assert again.counts == first.counts and again.files == 3


def test_dask_equals_local(corpus, tmp_path):
    pytest.importorskip("dask.distributed")
    from xlperf.batch.runner import RunOptions, run_batch
    from xlperf.batch.task import CheckOptions

    folder, _, _ = corpus
    part = tmp_path / "part"
    part.mkdir()
    for name in ("clean_dapeng.xlsx", "weight_edited.xlsx", "corrupt.xlsx", "stale_cache.xlsx"):
        shutil.copy(folder / name, part)
    opts = CheckOptions()
    run_batch([part], opts, RunOptions(tmp_path / "local", jobs=2))
    run_batch([part], opts, RunOptions(tmp_path / "dask", jobs=2, executor="dask"))

    def comparable(out):
        data = by_file(out)
        return {k: {key: v for key, v in entry.items() if key != "written"} for k, entry in data.items()}

    assert comparable(tmp_path / "local") == comparable(tmp_path / "dask")


def test_xml_bomb_is_a_finding_not_a_hang(tmp_path):
    """Billion laughs in a sheet: the entities are never expanded; the batch goes on."""
    import zipfile

    from xlperf.batch.runner import RunOptions, run_batch
    from xlperf.batch.task import CheckOptions

    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    entities = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    bomb_xml = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">{entities}]>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>')
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(folder / "bomb.xlsx", "w") as zout:
        for info in zin.infolist():
            data = bomb_xml.encode() if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info.filename)
            zout.writestr(info, data)
    shutil.copy(plain, folder / "ok.xlsx")
    batch = run_batch([folder], CheckOptions(), RunOptions(tmp_path / "out", jobs=1, timeout=60))
    files = by_file(tmp_path / "out")
    assert batch.files == 2 and files["bomb.xlsx"]["findings"] and files["ok.xlsx"]["findings"]


def test_outputs_in_input_order_and_as_pandas_tables(corpus, checked):
    """Results arrive from two workers in any order; the outputs list files in input order, and the
    library reads them back as pandas tables (one row per file, one row per finding)."""
    from xlperf.api import findings_frame, results_frame
    from xlperf.batch.discover import discover

    _, out, _ = checked
    names = [entry["file"] for entry in json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]]
    assert names == [task.name for task in discover([corpus[0]])] and len(names) > 20
    summary = [row[0] for row in openpyxl.load_workbook(out / "汇总.xlsx", read_only=True, data_only=True)["汇总"]
               .iter_rows(min_row=2, values_only=True)]  # the file names (links to the files) as shown
    assert summary == names
    frame = results_frame(out)
    assert list(frame["file"]) == names and {"total", "grade", "status", "error_count"} <= set(frame.columns)
    findings = findings_frame(out)
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as handle:
        assert len(findings) == sum(1 for _ in csv.reader(handle)) - 1
    assert set(findings["file"]) <= set(names) and (findings["code"] != "").all()


def test_time_limit_without_a_pool(corpus, monkeypatch):
    """run_task_limited (the Dask path): a check past its limit is a timeout finding, an exception a failure."""
    import xlperf.batch.task as task_mod
    from xlperf.batch.discover import discover

    folder, _, _ = corpus
    (task,) = discover([folder / "clean_dapeng.xlsx"])
    opts = task_mod.CheckOptions(formulas=False)
    normal, stuck = task_mod.run_task_limited((task, opts, 60.0))
    same = task_mod.check_file(task, opts).to_dict()
    assert stuck is None and {**normal.to_dict(), "seconds": 0} == {**same, "seconds": 0}

    monkeypatch.setattr(task_mod, "check_file", lambda t, o: time.sleep(30))
    started = time.monotonic()
    result, stuck = task_mod.run_task_limited((task, opts, 0.3))
    assert time.monotonic() - started < 20
    assert stuck == ""  # not inside a Dask worker: nothing to restart
    assert [f["code"] for f in result.to_dict()["findings"]] == ["file-timeout"]

    def boom(t, o):
        raise RuntimeError("parser broke")

    monkeypatch.setattr(task_mod, "check_file", boom)
    result, stuck = task_mod.run_task_limited((task, opts, 5.0))
    assert stuck is None
    finding = result.to_dict()["findings"][0]
    assert finding["code"] == "file-failed" and "parser broke" in finding["message"]


def test_dask_honours_the_time_limit(corpus, tmp_path):
    """A file past --timeout on Dask is reported as timed out and its worker restarted; the batch ends."""
    pytest.importorskip("dask.distributed")
    from xlperf.batch.runner import RunOptions, run_batch
    from xlperf.batch.task import CheckOptions

    folder, _, _ = corpus
    part = tmp_path / "part"
    part.mkdir()
    shutil.copy(folder / "clean_dapeng.xlsx", part)
    batch = run_batch([part], CheckOptions(), RunOptions(tmp_path / "dask", jobs=1, executor="dask", timeout=0.001))
    assert batch.files == 1
    data = by_file(tmp_path / "dask")
    assert [f["code"] for f in data["clean_dapeng.xlsx"]["findings"]] == ["file-timeout"]
