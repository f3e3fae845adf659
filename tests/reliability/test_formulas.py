"""Defects 5 and 6: the engine's failures are never written over values, and circular references are found."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.reliability.conftest import xlperf
from tests.reliability.hostile import SHEET1, formula, repack, set_cell

SCORES = "xl/worksheets/sheet2.xml"  # the template's 评分表


def _results(out: Path) -> dict[str, dict]:
    return {e["file"]: e for e in json.loads((out / "results.json").read_text(encoding="utf-8"))["files"]}


def _values(path: str | Path, sheet: str, refs: list[str]) -> list:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return [ws[ref].value for ref in refs]


def test_write_back_keeps_values_where_the_engine_fails(bases, tmp_path):
    """An external link (the engine cannot open the other workbook: #REF!) and full-width digits (which it
    cannot read as a number: #VALUE!) made the corrected copy show errors in score, total and grade while
    results.json said 98.37 优."""
    folder = tmp_path / "in"
    repack(bases["template"], folder / "link.xlsx", {SCORES: set_cell(
        "H15", '<c r="H15" s="15" t="str"><f>[1]Sheet1!A1</f><v>1人</v></c>')})
    repack(bases["bureau"], folder / "fullwidth.xlsx", {SHEET1: set_cell(
        "F3", '<c r="F3" t="inlineStr"><is><t>９６．５</t></is></c>')})
    out = tmp_path / "out"
    run = xlperf("check", str(folder), "--out", str(out), "--jobs", "1", "--write-back")
    files = _results(out)
    link, wide = files["link.xlsx"], files["fullwidth.xlsx"]
    assert (link["total"], link["grade"], wide["total"]) == (98.37, "优", 100), run.stdout + run.stderr
    copy = _values(link["written"], "评分表", ["H15", "K15", "K27", "K28"])
    assert copy == ["1人", 4, 98.37, "优"] == _values(folder / "link.xlsx", "评分表", ["H15", "K15", "K27", "K28"])
    assert _values(wide["written"], "评分表", ["G3", "G6"]) == [30, 100]
    kept = {(f["code"], f["cell"]) for f in link["findings"]}
    assert {("writeback-value-kept", "K15"), ("writeback-value-kept", "K27"), ("writeback-value-kept", "K28")} <= kept
    assert ("writeback-value-kept", "G3") in {(f["code"], f["cell"]) for f in wide["findings"]}


def test_circular_references_are_findings_at_their_cells(bases, tmp_path):
    """A circular reference took its cells out of the cached-value check, with no finding at all."""
    folder = tmp_path / "in"
    repack(bases["bureau"], folder / "self.xlsx", {SHEET1: formula("G6", "SUM(G2:G6)", "100")})
    repack(bases["bureau"], folder / "pair.xlsx", {SHEET1: lambda data: formula("G3", "ROUND(G2*1,2)", "30")(
        formula("G2", "ROUND(G3*1,2)", "30")(data))})
    repack(bases["template"], folder / "template.xlsx", {SCORES: set_cell(
        "K27", '<c r="K27" s="27"><f>PERF_TOTAL(F4:F26,K4:K27,I4:I26,FALSE)</f><v>98.37</v></c>')})
    out = tmp_path / "out"
    run = xlperf("check", str(folder), "--out", str(out), "--jobs", "1")
    assert run.returncode == 1, run.stdout + run.stderr
    files = _results(out)
    circular = {name: sorted(f["cell"] for f in entry["findings"] if f["code"] == "formula-circular")
                for name, entry in files.items()}
    assert circular == {"self.xlsx": ["G6"], "pair.xlsx": ["G2", "G3"], "template.xlsx": ["K27"]}
    pair = next(f for f in files["pair.xlsx"]["findings"] if f["code"] == "formula-circular")
    assert pair["severity"] == "error" and "G2, G3" in pair["message"]
