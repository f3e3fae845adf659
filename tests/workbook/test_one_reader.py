"""One way to read a workbook: ``xlperf score`` and ``xlperf check`` read through xlperf's own reader and
agree, and a template copy is scored by the framework its ``_xlperf`` sheet names (issue 14)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

from tests.corpus import filled, finish
from xlperf.api import score_workbook
from xlperf.cli import main


def test_template_copy_scored_by_its_own_framework_in_score_and_check(tmp_path, capsys):
    """A 自评表 copy whose funds received (470.4) differ from the annual budget (480): the self_eval
    framework rates execution against 全年预算数 (98.00 % → 9.80), the generic one against 实际到位 (100 %)."""
    wb = filled("self_eval")
    wb["基本信息"]["B11"] = 470.4
    path = finish(wb, tmp_path / "returned" / "自评表.xlsx")
    main(["score", str(path), "--json"])  # no --framework: the marker's
    scored = json.loads(capsys.readouterr().out)
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "xlperf", "check", str(path.parent), "--out", str(out)], check=False,
                   capture_output=True)
    (checked,) = json.loads((out / "results.json").read_text("utf-8"))["files"]
    assert checked["framework"] == "self_eval"
    rate = next(i for i in scored["indicators"] if i["level3"] == "预算执行率")
    assert rate["score"] == 9.8 and scored["total"] == checked["total"] == 99.8
    assert [(f["code"], f["cell"]) for f in scored["findings"]] == [(f["code"], f["cell"]) for f in checked["findings"]]
    assert score_workbook(path).evaluation.total == Decimal("99.80")  # the library call: the same check


def test_score_reads_without_openpyxl(tmp_path, monkeypatch, capsys):
    """``xlperf score`` reads through xlsxread: with openpyxl's workbook loader made to fail, it still scores."""
    import openpyxl
    import openpyxl.reader.excel

    from examples import casebook

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl must not read the workbook")

    path = casebook.build(casebook.load_case("dapeng_2024"), tmp_path / "dapeng.xlsx")
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr(openpyxl.reader.excel, "load_workbook", refuse)
    assert main(["score", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 98.37
