"""xlperf's own templates filled and saved where its functions do not run (issue 13, item 3): really saved
by LibreOffice, and with ``#NAME?`` cached as WPS does. A correct return: no error, no warning, one info;
a score typed over its formula: found at its cell; a rule finding (a missing note): still reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.corpus import edit, filled, finish
from xlperf import libreoffice
from xlperf.batch.runner import RunOptions, run_batch
from xlperf.batch.task import CheckOptions
from xlperf.workbook.package import patch_values
from xlperf.workbook.view import open_view

SHEET = "评分表"
COPIES = {  # name → (framework, case, edit)
    "clean_dapeng": ("dapeng", "dapeng_2024", None),
    "clean_self_eval": ("self_eval", None, None),
    "typed_over": ("dapeng", "dapeng_2024", edit("K18", 4)),
    "note_removed": ("dapeng", "dapeng_2024", edit("L7", None)),
}
EXPECT = {"typed_over": ("formula-missing", "K18"), "note_removed": ("note-missing", "L7")}


def _wps(src: Path, dst: Path) -> Path:
    """What WPS saves: every cell calling an xlperf function, and every formula reading one, caches #NAME?."""
    view = open_view(src)
    values: dict[str, dict[str, str]] = {}
    for sheet, formulas in view.formulas.items():
        udf = {pos for pos, text in formulas.items() if "PERF_" in text.upper()}
        for (row, col), text in formulas.items():
            reads_udf = any(f"{chr(64 + c)}{r}" in text for r, c in udf if c < 27)
            if (row, col) in udf or reads_udf:
                values.setdefault(sheet, {})[f"{chr(64 + col)}{row}"] = "#NAME?"
    patch_values(src, dst, values)
    return dst


@pytest.fixture(scope="module")
def saves(tmp_path_factory) -> Path:
    work, folder = tmp_path_factory.mktemp("filled"), tmp_path_factory.mktemp("saved")
    originals = []
    for name, (framework, case, change) in COPIES.items():
        wb = filled(framework, case)
        if change is not None:
            change(wb)
        originals.append(finish(wb, work / f"{name}.xlsx"))
    for path in originals:
        _wps(path, folder / f"wps_{path.name}")
    if libreoffice.soffice():
        done = libreoffice.convert(originals, work / "lo", "xlsx", recalc=True)
        for path in originals:
            assert done.output(path) is not None, done.stderr
            shutil.copyfile(done.output(path), folder / f"lo_{path.name}")
    return folder


@pytest.fixture(scope="module", params=[True, False], ids=["formulas", "formula-free"])
def results(request, saves, tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("out")
    run_batch([saves], CheckOptions(formulas=request.param), RunOptions(out, jobs=2))
    return {e["file"]: e for e in json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]}


def test_both_programs_are_covered(results):
    prefixes = {name.split("_", 1)[0] for name in results}
    assert prefixes == ({"wps", "lo"} if libreoffice.soffice() else {"wps"})


def test_a_correct_return_has_one_info_and_nothing_else(results):
    for name, entry in results.items():
        if "clean" not in name:
            continue
        assert [f["code"] for f in entry["findings"]] == ["not-calculated-here"], (name, entry["findings"])
        assert entry["status"] == "ok"
        if "dapeng" in name:
            assert (entry["total"], entry["grade"]) == (98.37, "优")


def test_a_score_typed_over_and_a_missing_note_are_still_found(results):
    for name, entry in results.items():
        stem = name.split("_", 1)[1].removesuffix(".xlsx")
        if stem not in EXPECT:
            continue
        code, cell = EXPECT[stem]
        assert any(f["code"] == code and f["sheet"] == SHEET and f["cell"] == cell for f in entry["findings"]), \
            (name, entry["findings"])
        noise = [f for f in entry["findings"] if f["code"] in ("score-invalid", "cached-value-mismatch",
                                                               "formula-changed", "formula-error")]
        assert not noise, (name, noise)
