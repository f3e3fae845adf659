"""``xlperf check`` takes Word reports beside workbooks: each scored and checked, bad ones reported, none altered."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests import corpus
from tests.reports import seed_reports
from xlperf.cli import main

pytestmark = pytest.mark.skipif(not seed_reports.available(), reason="seed reports not found")


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_check_reads_reports_beside_workbooks(tmp_path):
    folder = tmp_path / "回收"
    for name in ("yantian", "dapeng"):
        seed_reports.build(name, folder)
    corpus.finish(corpus.filled("dapeng", "dapeng_2024"), folder / "大鹏.xlsx")
    (folder / "损坏.docx").write_bytes(b"PK\x03\x04 not a package")
    (folder / "旧版.doc").write_bytes(corpus._legacy_xls().replace("Workbook".encode("utf-16-le"),
                                                                   "WordDocument"[:8].encode("utf-16-le")))
    before = _digest(folder)
    assert main(["check", str(folder), "--out", str(tmp_path / "out"), "--jobs", "0"]) == 1
    assert _digest(folder) == before
    files = {f["file"]: f for f in json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))["files"]}
    yantian, dapeng = files["yantian_report.docx"], files["dapeng_report.docx"]
    assert (yantian["stated_total"], yantian["total"], yantian["sheet"]) == (98.47, 98.7, "表3-1")
    assert {"report-rate-table-mismatch", "report-target-conflict"} <= {f["code"] for f in yantian["findings"]}
    assert (dapeng["stated_total"], dapeng["grade"], dapeng["counts"]["error"]) == (98.37, "优", 0)
    assert dapeng["info"]["project"] == "前言"  # the report's first line, as extracted from the published file
    assert files["大鹏.xlsx"]["status"] == "ok"
    assert (files["损坏.docx"]["status"], files["损坏.docx"]["findings"][0]["code"]) == ("failed", "file-docx-unreadable")
    assert files["旧版.doc"]["status"] == "skipped"
