"""``xlperf check`` on copies of templates a bureau made itself (issue 13, acceptance): with ``--template``
and without (the template inferred from the batch), every injected defect is found at its cell (rows
by name), no clean copy gets an error or a warning, LibreOffice saves are clean, and ``.xls`` copies
give the totals and findings of their ``.xlsx`` twins."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bureau.folder import make_bureau_corpus
from xlperf import libreoffice

MODES = ("inferred", "template")
CONVERTED = {"file-converted"}  # the info finding of an .xls return, absent from its .xlsx twin


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_bureau_corpus(tmp_path_factory.mktemp("bureau"), libreoffice=libreoffice.soffice() is not None)


def _templates(corpus, tmp: Path) -> list[str]:
    """The blank templates; the info layout's as .xls when LibreOffice is there (converted by --template)."""
    paths = dict(corpus.templates)
    if libreoffice.soffice():
        made = libreoffice.convert([paths["info"]], tmp, "xls").output(paths["info"])
        assert made is not None
        paths["info"] = made
    return [arg for path in paths.values() for arg in ("--template", str(path))]


@pytest.fixture(scope="module", params=MODES)
def checked(request, corpus, tmp_path_factory) -> tuple[str, dict[str, dict]]:
    out = tmp_path_factory.mktemp(f"out-{request.param}")
    extra = _templates(corpus, tmp_path_factory.mktemp("xls-template")) if request.param == "template" else []
    run = subprocess.run([sys.executable, "-m", "xlperf", "check", str(corpus.returns), "--out", str(out),
                          "--jobs", "2", *extra], capture_output=True, text=True, encoding="utf-8", timeout=900)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    files = {e["file"]: e for e in json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]}
    return request.param, files


def test_every_defect_is_found_at_its_cell(corpus, checked):
    mode, files = checked
    for name, defect in corpus.defects.items():
        found = files[name]["findings"]
        for code, sheet, cell in defect.expect:
            assert any(f["code"] == code and sheet in (None, f["sheet"]) and cell in (None, f["cell"]) for f in found), \
                (mode, name, code, sheet, cell, found)
        for row_name in defect.names:  # inserted and deleted rows are named
            assert any(row_name in f["message"] for f in found if f["code"].startswith("row-")), (mode, name, found)


def test_clean_copies_get_no_error_and_no_warning(corpus, checked):
    mode, files = checked
    clean = [name for name, defect in corpus.defects.items() if not defect.expect]
    assert len(clean) >= 12
    for name in clean:
        entry = files[name]
        assert entry["counts"]["error"] == 0 and entry["counts"]["warning"] == 0, (mode, name, entry["findings"])
        assert entry["status"] == "ok" and entry["total"] is not None


def test_each_defect_costs_the_copy_its_pass(corpus, checked):
    """A return with an injected defect is never reported clean (the inferred template does not adopt it)."""
    mode, files = checked
    for name, defect in corpus.defects.items():
        if defect.expect:
            assert files[name]["status"] in ("errors", "warnings"), (mode, name)


def test_the_template_comparison_names_what_it_compared_with(corpus, checked):
    mode, files = checked
    codes = {f["code"] for f in files["county_weight_edited.xlsx"]["findings"]}
    assert ("template-inferred" in codes) is (mode == "inferred")
    template = files["county_weight_edited.xlsx"]["template"]  # results.json and the 汇总 name the --template
    assert template == (corpus.templates["county"].name if mode == "template" else None)
    assert not any(f["code"] == "template-unmatched" for e in files.values() for f in e["findings"]
                   if e["file"] != "lone_form.xlsx")


def test_a_lone_workbook_keeps_the_neighbour_checks_as_warnings(checked):
    mode, files = checked
    codes = [(f["code"], f["cell"]) for f in files["lone_form.xlsx"]["findings"] if f["severity"] != "info"]
    assert ("formula-pattern-break", "E5") in codes and not any(cell == "G5" for _, cell in codes)
    assert files["lone_form.xlsx"]["counts"]["error"] == 0
    assert any(c == "template-unmatched" for c, _ in codes) is (mode == "template")


@pytest.mark.skipif(libreoffice.soffice() is None, reason=libreoffice.INSTALL_HINT)
def test_xls_copies_equal_their_xlsx_twins(corpus, checked):
    mode, files = checked
    twins = [(name, d.twin) for name, d in corpus.defects.items() if name.endswith(".xls")]
    assert len(twins) == 6
    for xls, xlsx in twins:
        a, b = files[xls], files[xlsx]
        assert (a["total"], a["grade"], a["stated_total"]) == (b["total"], b["grade"], b["stated_total"]), (mode, xls)

        def shown(entry):
            return sorted((f["code"], f["sheet"], f["cell"]) for f in entry["findings"] if f["code"] not in CONVERTED)
        assert shown(a) == shown(b), (mode, xls)


def test_an_interrupted_run_resumed_reports_what_a_whole_run_does(corpus, tmp_path):
    """The inferred template is voted from every file, finished earlier or now; the batch's counts (exit
    status, console line) include its findings."""
    from xlperf.batch.runner import RunOptions, run_batch
    from xlperf.batch.task import CheckOptions

    opts = CheckOptions(formulas=False)
    whole = run_batch([corpus.returns], opts, RunOptions(tmp_path / "whole", jobs=1))
    out = tmp_path / "resumed"
    run_batch([corpus.returns], opts, RunOptions(out, jobs=1))
    state = out / ".xlperf-progress.jsonl"
    lines = state.read_text(encoding="utf-8").splitlines()
    state.write_text("\n".join(lines[: len(lines) // 2]) + "\n", encoding="utf-8")
    resumed = run_batch([corpus.returns], opts, RunOptions(out, jobs=2, resume=True))

    def files(folder):
        data = json.loads((folder / "results.json").read_text(encoding="utf-8"))["files"]
        return {e["file"]: (e["status"], sorted((f["code"], f["cell"]) for f in e["findings"])) for e in data}
    assert files(out) == files(tmp_path / "whole")
    assert resumed.counts == whole.counts and resumed.statuses == whole.statuses
    listed = json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]
    assert whole.counts == {s: sum(e["counts"][s] for e in listed) for s in ("error", "warning", "info")}
    assert any(f["code"] == "template-inferred" for e in listed for f in e["findings"])
    assert not (out / ".xlperf-infer.jsonl").exists()


def test_a_template_that_cannot_serve_is_a_usage_error(corpus, tmp_path):
    """No such file, or a workbook without an indicator table: one line, exit 2, nothing checked."""
    import openpyxl

    blank = tmp_path / "无表.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "通知"
    book.save(blank)
    for template in (tmp_path / "没有.xlsx", blank):
        run = subprocess.run([sys.executable, "-m", "xlperf", "check", str(corpus.returns), "--out", str(tmp_path / "o"),
                              "--template", str(template)], capture_output=True, text=True, encoding="utf-8", timeout=300)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert template.name in run.stderr and len(run.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "o" / "results.json").exists()
