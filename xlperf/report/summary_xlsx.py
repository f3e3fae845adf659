"""The 汇总 workbook: one row per file, the findings with filters, and the grade distribution chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from xlperf.batch.results import FileResult

FORMULA_LEAD = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
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


def summary_frames(results: Iterable[FileResult], lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The summary and findings tables as DataFrames (plain data; rendering happens in write_summary)."""
    t = TEXT["en" if lang == "en" else "zh"]
    rows, found = [], []
    for r in results:
        rows.append([r.file, r.info.get("department"), r.info.get("project"), r.info.get("unit"), r.framework,
                     r.stated_total, r.total, r.stated_grade, r.grade, r.counts["error"], r.counts["warning"],
                     r.counts["info"], t["status"].get(r.status, r.status)])
        found.extend([r.file, f["sheet"], f["cell"], f["code"], t["severity"][f["severity"]], f["message"]]
                     for f in r.findings)
    return pd.DataFrame(rows, columns=t["summary_cols"]), pd.DataFrame(found, columns=t["finding_cols"])


def _put(ws, row: int, col: int, value: Any) -> None:
    """Write a value; text that looks like a formula stays text (never evaluated by a spreadsheet)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return
    if hasattr(value, "item"):
        value = value.item()
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_LEAD):
            cell.quotePrefix = True


def _sheet(wb: Workbook, title: str, frame: pd.DataFrame, widths: list[int]) -> Any:
    ws = wb.create_sheet(title)
    for col, name in enumerate(frame.columns, 1):
        cell = ws.cell(1, col, name)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1] if col <= len(widths) else 12
    for row, values in enumerate(frame.itertuples(index=False), 2):
        for col, value in enumerate(values, 1):
            _put(ws, row, col, value)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(frame.columns)))}{max(1, len(frame) + 1)}"
    return ws


def _grades(wb: Workbook, summary: pd.DataFrame, t: dict[str, Any]) -> None:
    grade_col = t["summary_cols"][8]
    counts = summary[grade_col].fillna(t["ungraded"]).value_counts()
    order = ["优", "良", "中", "差"] + [g for g in counts.index if g not in ("优", "良", "中", "差")]
    frame = pd.DataFrame([[g, int(counts.get(g, 0))] for g in order], columns=t["grade_cols"])
    ws = _sheet(wb, t["grades"], frame, [12, 10])
    chart = BarChart()
    chart.title, chart.y_axis.title = t["chart"], t["grade_cols"][1]
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=len(frame) + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(frame) + 1))
    chart.legend = None
    ws.add_chart(chart, "D2")


def write_summary(results: Iterable[FileResult], path: Path, lang: str = "zh") -> Path:
    """Write 汇总.xlsx atomically (a temporary file in the same folder, then renamed)."""
    from xlperf.workbook.atomic import atomic_output

    t = TEXT["en" if lang == "en" else "zh"]
    summary, findings = summary_frames(results, lang)
    wb = Workbook()
    wb.remove(wb.active)
    ws = _sheet(wb, t["summary"], summary, [40, 18, 28, 22, 12, 10, 10, 9, 9, 8, 8, 8, 10])
    for row in ws.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=False)
    _sheet(wb, t["findings"], findings, [40, 14, 9, 24, 9, 90])
    _grades(wb, summary, t)
    with atomic_output(path) as tmp:
        wb.save(tmp)
    return path
