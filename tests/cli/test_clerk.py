"""Issue 13, item 7: the CLI speaks to a clerk. Usage mistakes are one line and exit 2; ``score`` on a folder
says what to do; the summary counts files by outcome; ``--lang en`` prints no Chinese but the workbooks' own
text (sheet names, cell text, file names)."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.corpus import _legacy_xls
from tests.reliability.hostile import SHEET1, bureau_workbook, formula, odf_zip, repack, set_cell, template_copy, zip_bomb

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")  # quoted text: what the user typed or the workbook holds


def xlperf(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlperf", *args], capture_output=True, text=True, timeout=600)


def _one_line_usage(run: subprocess.CompletedProcess) -> None:
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stdout + run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and run.stdout == "", run.stderr


@pytest.mark.parametrize("rule", ["决策+过程=abc", "决策+过程=NaN", "决策+过程=Infinity", "决策+过程=-5", "=40", "决策+过程"])
def test_a_bad_split_is_a_usage_error(rule, tmp_path):
    example = EXAMPLES / "大鹏_2024_人才发展专项资金.xlsx"
    for run in (xlperf("score", str(example), "--split", rule),
                xlperf("check", str(example), "--out", str(tmp_path / "out"), "--split", rule, "--lang", "en")):
        _one_line_usage(run)
        assert "--split" in run.stderr and rule in run.stderr


def test_score_on_a_folder_says_so(tmp_path):
    for lang in ("zh", "en"):
        run = xlperf("score", str(EXAMPLES), "--lang", lang)
        _one_line_usage(run)
        assert f"xlperf check {EXAMPLES}" in run.stderr


def _batch(folder: Path) -> Path:
    """A batch a clerk meets: a clean bureau form, one with errors, one that cannot be checked, a pdf."""
    clean = bureau_workbook(folder / "单位甲.xlsx")
    repack(clean, folder / "单位乙.xlsx", {SHEET1: set_cell("G2", '<c r="G2"><f>ROUND(MIN(1,F2/E2)*D2,2)</f>'
                                                                 '<v>12</v></c>')})
    repack(clean, folder / "单位丙.xlsx", {SHEET1: formula("G6", "SUM(G2:G6)", "100")})
    odf_zip(folder / "单位丁.ods")
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    shutil.copy(EXAMPLES / "盐田_2024_人才发展专项资金.xlsx", folder / "盐田.xlsx")
    return folder


def _more(folder: Path) -> Path:
    """The English scan's extra files: an edited template copy, a link to nowhere, a zip bomb, a legacy .xls."""
    template = template_copy(folder / "模板.xlsx")
    repack(template, folder / "模板改.xlsx", {"xl/worksheets/sheet2.xml": set_cell(
        "F18", '<c r="F18" s="14" t="n"><v>5</v></c>')})
    template.unlink()
    (folder / "断链.xlsx").symlink_to(folder / "不存在.xlsx")
    zip_bomb(folder / "炸弹.xlsx")
    (folder / "旧版.xls").write_bytes(_legacy_xls())
    return folder


def test_the_summary_counts_files_by_outcome(tmp_path):
    folder = _batch(tmp_path / "回收")
    run = xlperf("check", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert run.returncode == 1, run.stdout + run.stderr
    statuses = [e["status"] for e in json.loads((tmp_path / "out" / "results.json").read_text("utf-8"))["files"]]
    numbers = [int(n) for n in re.findall(r"\d+", run.stdout.split("；")[0])]
    passed = statuses.count("ok") + statuses.count("warnings")
    assert numbers == [len(statuses), passed, statuses.count("warnings"), statuses.count("errors"),
                       statuses.count("failed"), statuses.count("skipped")], run.stdout
    assert (passed, statuses.count("errors"), statuses.count("failed"), statuses.count("skipped")) == (1, 3, 1, 1)


def _workbook_text(folder: Path) -> str:
    """Every text a clerk's files hold: names, sheet names, cell texts (what --lang en may quote)."""
    texts = []
    for path in folder.iterdir():
        texts.append(path.name)
        try:
            book = openpyxl.load_workbook(path)
        except Exception:  # noqa: BLE001 - not a readable workbook: only its name counts
            continue
        texts += book.sheetnames
        texts += [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    return "\n".join(texts)


def test_english_output_holds_no_chinese_of_its_own(tmp_path):
    folder = _more(_batch(tmp_path / "returns"))
    allowed = _workbook_text(folder)
    out = tmp_path / "out"
    runs = [xlperf("check", str(folder), "--out", str(out), "--jobs", "1", "--lang", "en"),
            xlperf("score", str(folder / "单位乙.xlsx"), "--lang", "en"),
            xlperf("score", str(folder / "单位丙.xlsx"), "--lang", "en", "--json"),
            xlperf("score", str(folder), "--lang", "en"),
            xlperf("check", str(folder), "--out", str(folder / "out"), "--lang", "en"),
            xlperf("check", str(folder), "--out", str(out), "--split", "x", "--lang", "en")]
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as handle:
        messages = [row["message"] for row in csv.DictReader(handle)]
    assert messages and {r.returncode for r in runs} <= {0, 1, 2} and all("Traceback" not in r.stderr for r in runs)
    texts = [QUOTED.sub("", text.replace(str(tmp_path), "")) for text in [r.stdout + r.stderr for r in runs] + messages]
    stray = {run for text in texts for run in CJK.findall(text) if run not in allowed}
    assert stray == set(), stray
