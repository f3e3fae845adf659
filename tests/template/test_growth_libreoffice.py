"""Rows a unit adds in a real spreadsheet program are not tampering, and the sheet keeps scoring them.

LibreOffice (through its UNO bridge, as a unit's clicks would) unprotects the self-evaluation form,
copies a 数量指标 row and a 社会效益指标 row and inserts the copies, types the unit's figures, recalculates
and saves. ``xlperf check`` then reports nothing, and the sheet's own total is the core's.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal

import openpyxl
import pytest

from tests.template.filling import fill_self_eval
from tests.template.rendering import SYSTEM_PYTHON, UNO_SCRIPT, typed_values, uno_missing
from xlperf import libreoffice
from xlperf.api import score_workbook
from xlperf.batch.discover import Task
from xlperf.batch.task import CheckOptions, check_file_findings
from xlperf.batch.template_check import recognise
from xlperf.core.frameworks import load_framework
from xlperf.template.builder import make_workbook, save_atomic
from xlperf.workbook.view import open_view

COUNTS = {"产出指标|数量指标": 2, "效益指标|社会效益指标": 3}
pytestmark = pytest.mark.skipif(uno_missing() is not None, reason=str(uno_missing()))


def test_rows_added_in_libreoffice_are_accepted(tmp_path):
    fw = load_framework("self_eval")
    source = save_atomic(make_workbook(fw, "excel"), tmp_path / "自评表.xlsx")
    filled = make_workbook(fw, "excel", COUNTS)  # the same figures on the grown form, to read them off
    fill_self_eval(filled)
    out, job = tmp_path / "交回.xlsx", tmp_path / "job.json"
    job.write_text(json.dumps([{"source": str(source), "outputs": [[str(out), "Calc MS Excel 2007 XML"]],
                                "copies": [5, 10, 10], "values": typed_values(filled)}], ensure_ascii=False), "utf-8")
    profile = libreoffice.make_profile(tmp_path / "profile")
    done = subprocess.run([SYSTEM_PYTHON, str(UNO_SCRIPT), libreoffice.soffice(), profile, str(job)],
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
