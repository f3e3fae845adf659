"""Defect 2, CSV injection: no text xlperf exports (findings.csv, the 汇总, the pandas views of results.json)
is read back by a spreadsheet as a formula, whatever a sheet or file name holds."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from xlperf import libreoffice
from tests.reliability.conftest import xlperf
from tests.reliability.hostile import SHEET1, rename_sheet, repack, set_cell

# Sheet names as workbook.xml can carry them (a character reference keeps a CR or a tab in an attribute):
# a carriage return or a tab first, then a formula; full-width signs an IME types; spaces before "=".
SHEET_NAMES = {"cr": "&#13;=2*21", "link": "&#13;=HYPERLINK(&quot;http://x&quot;,&quot;看&quot;)", "tab": "&#9;+1+1",
               "fullwidth": "＝1+1", "space": "  -2+3", "at": "@SUM(1,2)"}
FILE_NAMES = ("=1+1.xlsx", "\t+2+2.xlsx", "＠3.xlsx", "-4.xlsx")


def formula_like(text: str) -> bool:
    """The oracle, written apart from xlperf's: a spreadsheet reads ``text`` as a formula when, after any
    leading spaces and control characters, it starts with = + - @ (or their full-width forms), and an
    importer splits a field that opens with a tab, CR or LF."""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    rest = text.lstrip("".join(map(chr, range(33))) + "\u3000\u00a0\ufeff\u200b\x7f")
    return rest[:1] in tuple("=+-@＝＋－＠")


LINK = re.compile(r'=HYPERLINK\("(?:[^"]|"")*","(?:[^"]|"")*"\)')  # xlperf's own links: two string literals


def summary_cells(path: Path) -> tuple[list[str], list[str]]:
    """The texts a 汇总 shows (a link's shown text included), and its formulas that are not xlperf's links
    (the writer's only formulas are links to the files: a path and a name as string literals)."""
    shown = openpyxl.load_workbook(path, data_only=True)
    texts = [c.value for ws in shown.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    written = openpyxl.load_workbook(path)
    foreign = [c.value for ws in written.worksheets for row in ws.iter_rows() for c in row
               if c.data_type == "f" and not LINK.fullmatch(str(c.value))]
    return texts, foreign


def _hostile_batch(bases, folder: Path) -> None:
    """One return per hostile sheet name (each with a finding on that sheet: a stale cached score), and
    returns under hostile file names."""
    stale = set_cell("G2", '<c r="G2"><f>ROUND(MIN(1,F2/E2)*D2,2)</f><v>12</v></c>')
    for key, name in SHEET_NAMES.items():
        repack(bases["bureau"], folder / f"sheet_{key}.xlsx", {"xl/workbook.xml": rename_sheet("评分表", name),
                                                                SHEET1: stale})
    for name in FILE_NAMES:
        repack(bases["bureau"], folder / name, {SHEET1: stale})


def _csv_fields(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [field for row in csv.reader(handle) for field in row]


def test_findings_csv_and_summary_hold_no_formula(bases, tmp_path):
    """A sheet name that begins with a carriage return or a tab put a live formula into findings.csv (the
    writer left the CR unquoted; the neutraliser looked at = + - @ in the first place only)."""
    returns = tmp_path / "回收"
    returns.mkdir()
    _hostile_batch(bases, returns)
    for lang in ("zh", "en"):
        out = tmp_path / f"out-{lang}"
        run = xlperf("check", str(returns), "--out", str(out), "--jobs", "1", "--lang", lang)
        assert run.returncode == 1, run.stdout + run.stderr
        fields = _csv_fields(out / "findings.csv")
        assert any("HYPERLINK" in f for f in fields) and any("+2+2" in f for f in fields)
        assert [f for f in fields if formula_like(f)] == []
        texts, foreign = summary_cells(out / ("summary.xlsx" if lang == "en" else "汇总.xlsx"))
        assert any("+2+2" in t for t in texts) and [t for t in texts if formula_like(t)] == [] and foreign == []


def test_libreoffice_evaluates_nothing_from_findings_csv(bases, tmp_path):
    """What the adversary did: open findings.csv in LibreOffice (formulas evaluated on import)."""
    if libreoffice.soffice() is None:
        pytest.skip(libreoffice.INSTALL_HINT)
    returns = tmp_path / "回收"
    returns.mkdir()
    _hostile_batch(bases, returns)
    out = tmp_path / "out"
    xlperf("check", str(returns), "--out", str(out), "--jobs", "1")
    profile = libreoffice.make_profile(tmp_path / "profile")
    run = subprocess.run([libreoffice.soffice(), f"-env:UserInstallation={profile}", "--headless",
                          "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1,true",
                          "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(out / "findings.csv")],
                         capture_output=True, text=True, timeout=300)
    book = openpyxl.load_workbook(tmp_path / "lo" / "findings.xlsx")
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert run.returncode == 0 and len(cells) > 50, run.stderr
    assert [c.value for c in cells if c.data_type == "f"] == []
    assert len({c.row for c in cells}) == len(_csv_fields(out / "findings.csv")) // 7  # no row split by a CR


def test_results_frame_holds_no_formula(bases, tmp_path):
    """The pandas view of results.json, written to a spreadsheet, carries no formula either."""
    from xlperf.api import results_frame

    returns = tmp_path / "回收"
    returns.mkdir()
    _hostile_batch(bases, returns)
    xlperf("check", str(returns), "--out", str(tmp_path / "out"), "--jobs", "1")
    frame = results_frame(tmp_path / "out")
    texts = [value for column in frame.columns for value in frame[column] if isinstance(value, str)]
    assert any("+2+2" in text for text in texts) and [t for t in texts if formula_like(t)] == []
