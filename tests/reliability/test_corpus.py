"""The hostile-input corpus in one batch, as CI runs it: every file ends with a result within its time
limit, the workers stay under their memory cap, nothing prints a traceback, the originals stay
byte-identical, no exported cell starts a formula, and no corrected copy leaves corrected/."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.corpus import make_corpus
from tests.reliability.hostile import SHEET1, digest, repack, set_cell
from tests.reliability.test_injection import formula_like, summary_cells

MEMORY_MB = 1024  # the per-worker cap the batch runs with (--max-memory); peak memory must stay below it
TIMEOUT = 60  # --timeout: no file may need it
# Measures the peak resident memory of the xlperf process tree (RUSAGE_CHILDREN: the largest process among
# the waited-for descendants: the parent and every worker it reaped).
PEAK = ("import resource, subprocess, sys\nrun = subprocess.run(sys.argv[1:])\n"
        "print('peak-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\nsys.exit(run.returncode)\n")


@pytest.fixture(scope="module")
def checked(bases, tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    expect = {f"corpus/{name}": value for name, value in make_corpus(corpus, bases).items()}
    for unit, cached in (("a", 11), ("b", 22)):  # two roots holding the same relative name
        repack(bases["bureau"], root / unit / "returns" / "x.xlsx", {SHEET1: set_cell(
            "G2", f'<c r="G2"><f>ROUND(MIN(1,F2/E2)*D2,2)</f><v>{cached}</v></c>')})
    roots = [corpus, root / "a" / "returns", root / "b" / "returns"]
    before = {str(r): digest(r) for r in roots}
    out = root / "out"
    run = subprocess.run([sys.executable, "-c", PEAK, sys.executable, "-m", "xlperf", "check", *map(str, roots),
                          "--out", str(out), "--jobs", "2", "--write-back", "--timeout", str(TIMEOUT),
                          "--max-memory", str(MEMORY_MB)], capture_output=True, text=True, timeout=600)
    return root, roots, before, out, run, expect


def _entries(out: Path) -> dict[str, dict]:
    return {e["file"]: e for e in json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]}


def test_every_file_ends_with_its_result(checked):
    root, roots, _, out, run, expect = checked
    assert run.returncode == 1 and "Traceback" not in run.stderr and run.stderr == "", run.stderr[-3000:]
    entries = _entries(out)
    files = [p for r in roots for p in r.rglob("*") if not p.is_dir() or p.is_symlink()]
    assert len(entries) == len(files)  # every entry below the roots, links and the fifo included
    for name, entry in entries.items():  # a step that fails is that file's finding (file-failed), not a crash
        assert "file-timeout" not in {f["code"] for f in entry["findings"]}, (name, entry["findings"])
        assert entry["findings"] or entry["status"] == "ok", name
    for name, wanted in expect.items():
        entry = entries[name]
        assert wanted.status in (None, entry["status"]), (name, entry["status"], entry["findings"])
        assert wanted.codes <= {f["code"] for f in entry["findings"]}, (name, entry["findings"])


def test_workers_stay_under_their_memory_cap(checked):
    run = checked[4]
    peak_kb = int(run.stdout.rsplit("peak-kb", 1)[1].split()[0])
    assert 0 < peak_kb < MEMORY_MB * 1024, peak_kb


def test_originals_are_byte_identical(checked):
    _, roots, before, _, _, _ = checked
    assert {str(r): digest(r) for r in roots} == before


def test_no_exported_cell_starts_a_formula(checked):
    from xlperf.api import findings_frame, results_frame

    out = checked[3]
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as handle:
        fields = [field for row in csv.reader(handle) for field in row]
    cells, foreign = summary_cells(out / "汇总.xlsx")
    frames = [v for frame in (results_frame(out), findings_frame(out)) for col in frame for v in frame[col]
              if isinstance(v, str)]
    assert len(fields) > 100 and len(cells) > 100
    assert [t for t in fields + cells + frames if formula_like(t)] == [] and foreign == []
    assert "root:" not in (out / "results.json").read_text(encoding="utf-8")  # the XXE read nothing


def test_copies_stay_in_corrected_and_nothing_escapes(checked):
    root, _, _, out, _, _ = checked
    entries = _entries(out)
    written = [Path(e["written"]).resolve() for e in entries.values() if e["written"]]
    assert len(written) == len(set(written)) > 10
    assert all(path.is_relative_to((out / "corrected").resolve()) and path.is_file() for path in written)
    assert {e["file"] for e in entries.values() if e["file"].endswith("returns/x.xlsx")} == {"a/returns/x.xlsx",
                                                                                           "b/returns/x.xlsx"}
    strays = [p for p in (root.parent, root, out.parent) for p in p.glob("evil*.xml")] + list(Path("/tmp").glob("evil.xml"))
    assert strays == [] and sorted(os.listdir(out)) == [".xlperf-lock", ".xlperf-progress.jsonl", "corrected",
                                                        "findings.csv", "results.json", "汇总.xlsx"]
