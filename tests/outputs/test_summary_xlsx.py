"""The 汇总 workbook: read back with openpyxl after a batch of 60 returns, rendered by LibreOffice, and
never turning text into formulas."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest

from tests.batch.legacy_corpus import make_return
from xlperf import libreoffice
from xlperf.batch.runner import RunOptions, run_batch
from xlperf.batch.task import CheckOptions
from xlperf.outputs.summary_xlsx import SummaryBook
from xlperf.scoring.result import FileResult

UNITS = ["甲街道办事处", "乙社区服务中心", "丙中心", "丁所", "戊局"]
DEFECTS = [{("weight", "培训场次"): 25}, {("typed", "培训合格率"): 15}, {("score", "绩效目标明确性"): "四分"}]
SHEETS = ["汇总", "退回清单", "问题清单", "等级分布"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """60 returns of five units (six with a defect, one not a workbook) checked in one batch."""
    root = tmp_path_factory.mktemp("summary")
    returns = root / "回收 2024"
    for i in range(59):
        unit = UNITS[i % len(UNITS)]
        folder = returns / unit
        folder.mkdir(parents=True, exist_ok=True)
        edits = DEFECTS[(i // 11) % len(DEFECTS)] if i % 11 == 3 else {}
        make_return(folder / f"{i:02d} {unit}#{i}.xlsx", unit, edits)
    (returns / "说明.xlsx").write_text("不是工作簿", encoding="utf-8")
    out = root / "结果"
    result = run_batch([returns], CheckOptions(formulas=False), RunOptions(out, jobs=2))
    return returns, out, result


LINK = re.compile(r'^=HYPERLINK\("((?:[^"]|"")*)","((?:[^"]|"")*)"\)$')


def _link(cell) -> tuple[str, str | None, str]:
    """(target file, location or None, text shown) of a HYPERLINK cell."""
    target, text = (part.replace('""', '"') for part in LINK.match(cell.value).groups())
    path, _, location = target.partition("#")
    return path.replace("%23", "#").replace("%25", "%"), location or None, text


def _values(path: Path):
    """The workbook as Excel shows it (cached values, links as their text)."""
    return openpyxl.load_workbook(path, data_only=True)


def test_sheets_values_formats_and_links(batch):
    returns, out, result = batch
    book, shown = openpyxl.load_workbook(out / "汇总.xlsx"), _values(out / "汇总.xlsx")
    assert book.sheetnames == SHEETS and result.files == 60
    summary = shown["汇总"]
    rows = list(summary.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 60 and summary.freeze_panes == "A2" and summary.auto_filter.ref == "A1:M61"
    assert rows[0][0] == "丁所/03 丁所#3.xlsx"  # the batch's order: by path
    target, location, text = _link(book["汇总"]["A2"])
    assert (out / target).resolve() == (returns / rows[0][0]).resolve() and location is None and text == rows[0][0]
    clean = next(r for r in rows if r[0].startswith("丙中心/02"))
    assert clean[1:4] == ("某区人力资源局", "人才培训专项", "丙中心") and clean[5:7] == (98.24, 98.24)
    assert clean[9:] == (0, 0, 0, "通过")
    assert summary["F2"].number_format == summary["G2"].number_format == "0.00"
    statuses = {r[12] for r in rows}
    assert statuses == {"通过", "有错误", "未能校验"}
    fills = {summary.cell(i, 13).value: summary.cell(i, 13).fill.fgColor.rgb for i in range(2, 62)}
    assert fills["通过"].endswith("C6EFCE") and fills["有错误"].endswith("FFC7CE") and fills["未能校验"].endswith("F8CBAD")


def test_findings_link_to_their_cells(batch):
    returns, out, _ = batch
    findings = openpyxl.load_workbook(out / "汇总.xlsx")["问题清单"]
    assert [c.value for c in findings[1]] == ["文件", "工作表", "单元格", "代码", "严重程度", "说明"]
    typed = next(row for row in findings.iter_rows(min_row=2)  # the copy's difference from the batch's template
                 if "47 丙中心" in row[0].value and row[3].value == "formula-missing")
    assert (typed[1].value, typed[2].value, typed[3].value, typed[4].value) == ("评分表", "G9", "formula-missing", "错误")
    target, location, text = _link(typed[0])
    assert location == "'评分表'!G9" and text == "丙中心/47 丙中心#47.xlsx"
    assert (out / target).resolve() == (returns / text).resolve() and (out / target).is_file()
    links = [_link(row[0]) for row in findings.iter_rows(min_row=2)]
    assert all((out / t).resolve() == (returns / x).resolve() for t, _, x in links) and len(links) == 13


def test_return_list_groups_files_by_unit_with_their_errors(batch):
    _, out, _ = batch
    book = openpyxl.load_workbook(out / "汇总.xlsx")
    rows = list(_values(out / "汇总.xlsx")["退回清单"].iter_rows(min_row=2, values_only=True))
    groups = [r[0] for r in rows if r[1] is None and r[2] is None]
    assert groups == ["丁所：2 个文件", "丙中心：1 个文件", "乙社区服务中心：1 个文件", "戊局：1 个文件",
                      "甲街道办事处：1 个文件", "（未写明单位）：1 个文件"]  # units in the batch's order
    files = {r[2]: r for r in rows if r[2]}
    assert [name for name, r in files.items() if r[0] == "丁所"] == ["丁所/03 丁所#3.xlsx", "丁所/58 丁所#58.xlsx"]
    assert files["丁所/03 丁所#3.xlsx"][3:] == ("有错误", 2, "「评分表」D4：三级指标分值合计 105，应为 100。\n"
                                                         "「评分表」D8：分值被改为 25，模板规定为 20。")
    assert files["丁所/58 丁所#58.xlsx"][5].split("\n")[0] == "「评分表」G5：得分「四分」不是有效数字。"
    assert files["说明.xlsx"][3] == "未能校验" and "不是 Excel 工作簿" in files["说明.xlsx"][5]
    assert _link(book["退回清单"].cell(3, 3))[0].endswith("回收 2024/丁所/03 丁所#3.xlsx")


def test_print_setup_and_chart(batch):
    _, out, _ = batch
    book = openpyxl.load_workbook(out / "汇总.xlsx")
    for name in SHEETS:
        ws = book[name]
        assert ws.print_area and ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 by default
        assert ws.page_setup.fitToHeight == 0
    assert {book[name].print_title_rows for name in ("汇总", "退回清单", "问题清单")} == {"$1:$1"}
    grades = book["等级分布"]
    assert [[c.value for c in row] for row in grades["A1:B6"]] == [["复算等级", "文件数"], ["优", 59], ["良", 0],
                                                                   ["中", 0], ["差", 0], ["未评级", 1]]
    assert [[c.value for c in row] for row in grades["A8:B13"]] == [
        ["状态", "文件数"], ["通过", 53], ["有警告", 0], ["有错误", 6], ["未能校验", 1], ["已跳过", 0]]
    with zipfile.ZipFile(out / "汇总.xlsx") as package:
        chart = package.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and "<c:numCache>" in chart and "<c:strCache>" in chart
    cached = [int(v) for v in re.findall(r"<c:pt idx=\"\d+\"><c:v>(\d+)</c:v>", chart.split("<c:val>")[1])]
    assert cached == [grades.cell(r, 2).value for r in range(2, 2 + len(cached))]


def _ppm_ink(path: Path) -> float:
    """The share of pixels that are not near-white in a binary PPM (P6) image."""
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    width, height = int(parts[1]), int(parts[2])
    pixels = parts[4][:width * height * 3]
    ink = sum(1 for i in range(0, len(pixels), 3 * 7) if min(pixels[i:i + 3]) < 200)
    return ink / (len(pixels) / (3 * 7))


def _has_colour(path: Path, rgb: tuple[int, int, int], at_least: int = 200) -> bool:
    data = path.read_bytes()
    pixels = data.split(maxsplit=4)[4]
    target = bytes(rgb)
    return pixels.count(target) >= at_least


@pytest.mark.skipif(libreoffice.soffice() is None or shutil.which("pdftoppm") is None,
                    reason=libreoffice.INSTALL_HINT + " and poppler-utils (pdftoppm)")
def test_rendered_by_libreoffice_every_page_printed_and_the_chart_drawn(batch, tmp_path):
    _, out, _ = batch
    book = openpyxl.load_workbook(out / "汇总.xlsx")
    assert all(book[name].print_area for name in SHEETS)
    done = libreoffice.convert([out / "汇总.xlsx"], tmp_path, "pdf", timeout=300)
    pdf = done.output(out / "汇总.xlsx")
    assert pdf is not None, done.stderr
    subprocess.run(["pdftoppm", "-r", "40", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.ppm"))
    texts = [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout for i in range(1, len(pages) + 1)]
    assert {name for name in SHEETS if any(t.lstrip().startswith(name) for t in texts)} == set(SHEETS)
    assert all(_ppm_ink(page) > 0.005 for page in pages), [p.name for p in pages if _ppm_ink(p) <= 0.005]
    chart_page = pages[next(i for i, t in enumerate(texts) if t.lstrip().startswith("等级分布"))]
    assert _has_colour(chart_page, (0x70, 0xAD, 0x47))  # the 优 bar, drawn
    uris = set(re.findall(rb"/URI\(([^)]*)\)", pdf.read_bytes()))  # the links as LibreOffice resolved them
    files = {unquote(uri.decode().split("#", 1)[0]) for uri in uris}
    assert len(files) == 60 and all((out / f).is_file() for f in files)

def _result(name: str, **fields) -> FileResult:
    return FileResult(name, **fields)


def test_text_is_never_a_formula_and_bad_characters_are_shown(tmp_path):
    book = SummaryBook(tmp_path / "汇总.xlsx")
    evil = "=HYPERLINK(\"http://x\",\"点我\")"
    book.add(_result(evil, status="errors", info={"department": "=cmd|' /C calc'!A0", "unit": "+1", "project": "@SUM(A1)"},
                     total=98.376, counts={"error": 1, "warning": 0, "info": 0},
                     findings=[{"code": "note-missing", "severity": "error", "sheet": "评分表", "cell": "L7",
                                "message": "-2\x07响铃" + "长" * 40000, "row": 7}]))
    book.close()
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    summary, findings = wb["汇总"], wb["问题清单"]
    # the one neutraliser (outputs.neutral): formula-like text gets an apostrophe, so copied out it stays text
    assert [summary.cell(2, c).value for c in (1, 2, 3, 4)] == ["'" + evil, "'=cmd|' /C calc'!A0", "'@SUM(A1)", "'+1"]
    assert all(summary.cell(2, c).data_type == "s" for c in (1, 2, 3, 4))
    assert not any(isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f"
                   for row in summary.iter_rows() for c in row)  # no path: no link, only text
    message = findings["F2"].value
    assert message.startswith("'-2\ufffd响铃") and len(message) == 32767
    assert summary["G2"].value == 98.376 and summary["G2"].number_format == "0.00"
    with zipfile.ZipFile(tmp_path / "汇总.xlsx") as package:
        assert not [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")
                    and re.search(r"<f[ >]", package.read(n).decode())]


def test_a_file_name_cannot_break_out_of_its_link(tmp_path):
    name = 'x", "y") + cmd|" /C calc"!A0 & ("'
    book = SummaryBook(tmp_path / "out" / "汇总.xlsx")
    result = _result(name + ".xlsx")
    result.path = str(tmp_path / name) + ".xlsx"
    book.add(result)
    book.close()
    cell = openpyxl.load_workbook(tmp_path / "out" / "汇总.xlsx")["汇总"]["A2"]
    assert _link(cell) == ("../" + name + ".xlsx", None, name + ".xlsx")
    assert _values(tmp_path / "out" / "汇总.xlsx")["汇总"]["A2"].value == name + ".xlsx"


def test_abort_leaves_nothing_behind(tmp_path):
    (tmp_path / "汇总.xlsx").write_bytes(b"the previous summary")
    book = SummaryBook(tmp_path / "汇总.xlsx")
    book.add(_result("a.xlsx"))
    book.abort()
    assert (tmp_path / "汇总.xlsx").read_bytes() == b"the previous summary"
    assert os.listdir(tmp_path) == ["汇总.xlsx"]


def test_english_sheet_names_and_empty_batch(tmp_path):
    book = SummaryBook(tmp_path / "summary.xlsx", lang="en")
    book.close()
    wb = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    assert wb.sheetnames == ["Summary", "Returns", "Findings", "Grades"]
    assert wb["Returns"]["A2"].value == "No file needs to go back."
