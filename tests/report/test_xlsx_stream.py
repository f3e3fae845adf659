"""The streaming report writer: what openpyxl, calamine and LibreOffice read back from its workbooks."""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlperf.batch.results import FileResult
from xlperf.report.summary_xlsx import SummaryBook
from xlperf.report.xlsx_stream import StreamBook, StreamSheet, column_letter

ODD_TEXT = ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "  padded  ", "tab\there", "bell\x07bell", "a & b <c> \"d\"",
            "多行\n文本", "x" * 40000, "'quoted'"]


def _book(path: Path) -> Path:
    book = StreamBook()
    sheet = book.add_sheet(StreamSheet("它's 表", ["文本", "数"], [30, 10]))
    for i, text in enumerate(ODD_TEXT):
        sheet.append([text, i + 0.5])
    sheet.append([None, float("nan")])
    sheet.append([True, 12345678901234])
    sheet.append([3.14159265358979, -0.1])
    book.save(path)
    return path


def test_openpyxl_reads_back_every_value(tmp_path):
    wb = openpyxl.load_workbook(_book(tmp_path / "t.xlsx"))
    ws = wb["它's 表"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["文本", "数"]
    texts = [r[0] for r in rows[1:len(ODD_TEXT) + 1]]
    assert texts[:4] == ["'" + text for text in ODD_TEXT[:4]]  # formula-like text neutralised (safe_text)
    assert texts[4:6] == ODD_TEXT[4:6]
    assert texts[6] == "bell\ufffdbell"  # XML cannot carry the control character: visibly replaced, not dropped
    assert texts[7:9] == ODD_TEXT[7:9] and len(texts[9]) == 32767 and texts[10] == "'quoted'"
    assert rows[len(ODD_TEXT) + 1] == [None, None]
    assert rows[-2] == [True, 12345678901234] and rows[-1] == [3.14159265358979, -0.1]
    assert ws["A1"].font.b and ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:B{len(rows)}"
    assert ws.column_dimensions["A"].width == 30


def test_package_has_no_formulas_and_names_filters(tmp_path):
    path = _book(tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet and "<f " not in sheet
        assert "_xlnm._FilterDatabase" in zf.read("xl/workbook.xml").decode()


def test_column_letters():
    assert [column_letter(i) for i in (1, 26, 27, 52, 703, 18278)] == ["A", "Z", "AA", "AZ", "AAA", "ZZZ"]
    for outside in (0, -1, 18279):  # beyond Excel's columns (a shared formula shifted off the sheet)
        with pytest.raises(ValueError):
            column_letter(outside)


def test_summary_book_opens_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    book = SummaryBook(tmp_path / "汇总.xlsx")
    result = FileResult("单位1.xlsx", info={"department": "=财政局"}, framework="dapeng", total=98.37, grade="优",
                        findings=[{"code": "note-missing", "severity": "warning", "sheet": "评分表", "cell": "L7",
                                   "message": "扣分说明未填写", "row": 7}])
    book.add(result)
    path = book.close()
    out = tmp_path / "csv"
    run = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                          "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                          "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=240)
    sheets = {p.name: list(csv.reader(p.open(encoding="utf-8"))) for p in out.glob("*.csv")}
    assert run.returncode == 0 and len(sheets) == 3, (run.stdout, run.stderr)
    summary = next(rows for name, rows in sheets.items() if name.endswith("-汇总.csv"))
    assert summary[1][:3] == ["单位1.xlsx", "'=财政局", ""] and summary[1][6] == "98.37"
    grades = next(rows for name, rows in sheets.items() if name.endswith("-等级分布.csv"))
    assert grades[1] == ["优", "1"]
