"""Rows a unit adds in a real spreadsheet program are not tampering, and the sheet keeps scoring them.

LibreOffice (through its UNO bridge, as a unit's clicks would) unprotects the self-evaluation form,
copies a 数量指标 row and a 社会效益指标 row and inserts the copies, types the unit's figures, recalculates
and saves. ``xlperf check`` then reports nothing, and the sheet's own total is the core's.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.template.filling import fill_self_eval
from xlperf import libreoffice
from xlperf.batch.discover import Task
from xlperf.batch.template_check import recognise
from xlperf.batch.task import CheckOptions, check_file_findings
from xlperf.core.frameworks import load_framework
from xlperf.scoring import score_workbook
from xlperf.template.builder import make_workbook, save_atomic
from xlperf.workbook.view import open_view

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("uno_fill.py")
COUNTS = {"产出指标|数量指标": 2, "效益指标|社会效益指标": 3}


def _uno_missing() -> str | None:
    if libreoffice.soffice() is None:
        return libreoffice.INSTALL_HINT
    found = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True) if Path(SYSTEM_PYTHON).exists() \
        else None
    if found is None or found.returncode:
        return "LibreOffice's Python bridge is not installed (Debian: apt-get install python3-uno)"
    return None


pytestmark = pytest.mark.skipif(_uno_missing() is not None, reason=str(_uno_missing()))


def _typed_values(wb) -> dict:
    """What the unit types: every unlocked cell's value (blank ones left as they are)."""
    values = {}
    for ws in wb.worksheets[:2]:
        for row in ws.iter_rows():
            for cell in row:
                if cell.protection.locked is False and cell.value is not None:
                    values[f"{ws.title}!{cell.coordinate}"] = cell.value
    return values


def test_rows_added_in_libreoffice_are_accepted(tmp_path):
    fw = load_framework("self_eval")
    source = save_atomic(make_workbook(fw, "excel"), tmp_path / "自评表.xlsx")
    filled = make_workbook(fw, "excel", COUNTS)  # the same figures on the grown form, to read them off
    fill_self_eval(filled)
    job = tmp_path / "job.json"
    out = tmp_path / "交回.xlsx"
    job.write_text(json.dumps([{"source": str(source), "outputs": [[str(out), "Calc MS Excel 2007 XML"]],
                                "copies": [5, 10, 10], "values": _typed_values(filled)}], ensure_ascii=False), "utf-8")
    profile = libreoffice.make_profile(tmp_path / "profile")
    done = subprocess.run([SYSTEM_PYTHON, str(SCRIPT), libreoffice.soffice(), profile, str(job)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0 and out.is_file(), done.stderr
    ws = openpyxl.load_workbook(out, data_only=True)["评分表"]
    assert [ws[f"B{r}"].value for r in (5, 6, 7)] == ["数量指标", "数量指标", "质量指标"]
    assert check_file_findings(Task(str(out), out.name, True), CheckOptions())[1] == []
    template, _ = recognise(open_view(out))
    assert template is not None and not template.intact  # the rows changed the structure; the growth explains it
    t = next(r for r in range(4, ws.max_row) if ws[f"A{r}"].value == "合计")
    result = score_workbook(out, fw.config)
    assert len(result.evaluation.rows) == 13  # 预算执行率 + 9 + 3 added
    assert (Decimal(str(ws[f"K{t}"].value)), ws[f"K{t + 1}"].value) == (result.evaluation.total, result.evaluation.grade)
