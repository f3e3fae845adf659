"""The 汇总 workbook: one row per file, the findings with filters, and the grade distribution chart.

Written in openpyxl's write-only mode, findings streamed row by row, so memory stays flat
however many files and findings a batch has.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from xlperf.batch.results import FileResult

FORMULA_LEAD = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GRADES = ("优", "良", "中", "差")
TEXT = {
    "zh": {"summary": "汇总", "findings": "问题清单", "grades": "等级分布",
           "summary_cols": ["文件", "主管部门", "项目名称", "实施单位", "评分框架", "填报总分", "复算总分", "填报等级",
                            "复算等级", "错误数", "警告数", "提示数", "状态"],
           "finding_cols": ["文件", "工作表", "单元格", "代码", "严重程度", "说明"],
           "grade_cols": ["等级", "文件数"], "ungraded": "未评级", "chart": "复算等级分布",
           "status": {"ok": "通过", "warnings": "有警告", "errors": "有错误", "failed": "无法校验", "skipped": "已跳过"},
           "severity": {"error": "错误", "warning": "警告", "info": "提示"}},
    "en": {"summary": "Summary", "findings": "Findings", "grades": "Grades",
           "summary_cols": ["file", "department", "project", "unit", "framework", "stated total", "total",
                            "stated grade", "grade", "errors", "warnings", "infos", "status"],
           "finding_cols": ["file", "sheet", "cell", "code", "severity", "message"],
           "grade_cols": ["grade", "files"], "ungraded": "no grade", "chart": "Recomputed grades",
           "status": {"ok": "ok", "warnings": "warnings", "errors": "errors", "failed": "failed", "skipped": "skipped"},
           "severity": {"error": "error", "warning": "warning", "info": "info"}},
}
SUMMARY_WIDTHS = [40, 18, 28, 22, 12, 10, 10, 9, 9, 8, 8, 8, 10]
FINDING_WIDTHS = [40, 14, 9, 24, 9, 90]


def summary_row(r: FileResult, t: dict[str, Any]) -> list[Any]:
    """One file's row of the 汇总 sheet."""
    return [r.file, r.info.get("department"), r.info.get("project"), r.info.get("unit"), r.framework,
            r.stated_total, r.total, r.stated_grade, r.grade, r.counts["error"], r.counts["warning"],
            r.counts["info"], t["status"].get(r.status, r.status)]


def finding_rows(r: FileResult, t: dict[str, Any]) -> Iterator[list[Any]]:
    for f in r.findings:
        yield [r.file, f["sheet"], f["cell"], f["code"], t["severity"][f["severity"]], f["message"]]


def _cell(ws, value: Any) -> Any:
    """A write-only cell; text that looks like a formula stays text (never evaluated)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if not isinstance(value, str):
        return value  # numbers: openpyxl writes them as they are
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_LEAD):
            cell.quotePrefix = True
    return cell


def _start_sheet(wb: Workbook, title: str, columns: list[str], widths: list[int]):
    """A write-only sheet with its widths, frozen header row and bold header (before any other row)."""
    ws = wb.create_sheet(title)
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, name)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        header.append(cell)
    ws.append(header)
    return ws


def _grades(wb: Workbook, grades: Counter, t: dict[str, Any]) -> None:
    order = list(GRADES) + sorted(g for g in grades if g not in GRADES)
    ws = wb.create_sheet(t["grades"])
    ws.append(t["grade_cols"])
    for grade in order:
        ws.append([grade, int(grades.get(grade, 0))])
    chart = BarChart()
    chart.title, chart.y_axis.title, chart.legend = t["chart"], t["grade_cols"][1], None
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=len(order) + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(order) + 1))
    ws.add_chart(chart, "D2")


class SummaryBook:
    """汇总.xlsx written as results arrive (write-only: memory stays flat), saved atomically on close."""

    def __init__(self, path: Path, lang: str = "zh"):
        self.path, self.t = Path(path), TEXT["en" if lang == "en" else "zh"]
        self.wb = Workbook(write_only=True)
        self.summary = _start_sheet(self.wb, self.t["summary"], self.t["summary_cols"], SUMMARY_WIDTHS)
        self.findings = _start_sheet(self.wb, self.t["findings"], self.t["finding_cols"], FINDING_WIDTHS)
        self.rows = {"summary": 0, "findings": 0}
        self.grades: Counter = Counter()

    def add(self, result: FileResult) -> None:
        self.summary.append([_cell(self.summary, v) for v in summary_row(result, self.t)])
        self.rows["summary"] += 1
        for row in finding_rows(result, self.t):
            self.findings.append([_cell(self.findings, v) for v in row])
            self.rows["findings"] += 1
        self.grades[result.grade or self.t["ungraded"]] += 1

    def close(self) -> Path:
        from xlperf.workbook.atomic import atomic_output

        last = get_column_letter(len(self.t["summary_cols"]))
        self.summary.auto_filter.ref = f"A1:{last}{self.rows['summary'] + 1}"
        self.findings.auto_filter.ref = f"A1:{get_column_letter(len(self.t['finding_cols']))}{self.rows['findings'] + 1}"
        _grades(self.wb, self.grades, self.t)
        with atomic_output(self.path) as tmp:
            self.wb.save(tmp)
        return self.path

    def abort(self) -> None:
        """Nothing was written where the summary goes (the write-only sheets live in temporary files)."""


def write_summary(results: Iterable[FileResult], path: Path, lang: str = "zh") -> Path:
    """Write 汇总.xlsx atomically from a stream of results."""
    book = SummaryBook(path, lang)
    for result in results:
        book.add(result)
    return book.close()
