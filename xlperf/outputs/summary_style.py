"""What the 汇总 workbook says and how it looks: texts per language, cell formats, print set-up."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from xlperf.outputs.textwidth import width

GRADES = ("优", "良", "中", "差")
TEXT: dict[str, dict[str, Any]] = {
    "zh": {"summary": "汇总", "returns": "退回清单", "findings": "问题清单", "grades": "等级分布",
           "summary_cols": ["文件", "主管部门", "项目名称", "实施单位", "评分框架/模板", "填报总分", "复算总分", "填报等级",
                            "复算等级", "错误数", "警告数", "提示数", "状态"],
           "finding_cols": ["文件", "工作表", "单元格", "代码", "严重程度", "说明"],
           "return_cols": ["退回单位", "主管部门", "文件", "状态", "错误数", "需要修改的问题"],
           "grade_cols": ["复算等级", "文件数"], "status_cols": ["状态", "文件数"], "ungraded": "未评级",
           "chart": "复算等级分布", "files": "文件数", "no_unit": "（未写明单位）",
           "manual": "需人工核对（校验未完成，不是填报问题，不必退回）", "group": "{unit}：{n} 个文件",
           "nothing": "没有需要退回的文件。", "more": "……另有 {n} 条错误，见「问题清单」",
           "footer": "&C第 &P 页，共 &N 页", "title": "回收表校验汇总",
           "status": {"ok": "通过", "warnings": "有警告", "errors": "有错误", "failed": "未能校验", "skipped": "已跳过"},
           "severity": {"error": "错误", "warning": "警告", "info": "提示"}},
    "en": {"summary": "Summary", "returns": "Returns", "findings": "Findings", "grades": "Grades",
           "summary_cols": ["file", "department", "project", "unit", "framework / template", "stated total", "total",
                            "stated grade", "grade", "errors", "warnings", "infos", "status"],
           "finding_cols": ["file", "sheet", "cell", "code", "severity", "message"],
           "return_cols": ["unit", "department", "file", "status", "errors", "to correct"],
           "grade_cols": ["grade", "files"], "status_cols": ["status", "files"], "ungraded": "no grade",
           "chart": "Recomputed grades", "files": "files", "no_unit": "(unit not stated)",
           "manual": "Check by hand (the check did not finish; not the unit's error, not returned)",
           "group": "{unit}: {n} file(s)", "nothing": "No file needs to go back.",
           "more": "… {n} more error(s), see Findings", "footer": "&CPage &P of &N", "title": "Returned workbooks",
           "status": {"ok": "passed", "warnings": "warnings", "errors": "errors", "failed": "not checked",
                      "skipped": "skipped"},
           "severity": {"error": "error", "warning": "warning", "info": "info"}},
}
SUMMARY_WIDTHS = [40, 18, 28, 22, 12, 10, 10, 9, 9, 8, 8, 8, 10]
FINDING_WIDTHS = [40, 14, 9, 24, 9, 90]
RETURN_WIDTHS = [24, 18, 36, 10, 8, 90]
STATUS_COLOURS = {  # fill, font: Excel's Good / Neutral / Bad cell styles, orange for not checked
    "ok": ("#C6EFCE", "#006100"), "warnings": ("#FFEB9C", "#9C5700"), "errors": ("#FFC7CE", "#9C0006"),
    "failed": ("#F8CBAD", "#843C0C"), "skipped": ("#EDEDED", "#595959")}
SEVERITY_FONTS = {"error": "#9C0006", "warning": "#9C5700", "info": "#595959"}
GRADE_COLOURS = {"优": "#70AD47", "良": "#4472C4", "中": "#FFC000", "差": "#C00000"}
OTHER_GRADE = "#A5A5A5"
BODY = {"border": 1, "border_color": "#BFBFBF", "valign": "top", "font_size": 10}


class Formats:
    """The workbook's cell formats, made once; ``get(name, quoted)`` adds the quote prefix that keeps
    formula-like text text even when a user edits the cell."""

    def __init__(self, book: Any):
        self.book = book
        specs: dict[str, dict[str, Any]] = {
            "head": {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "align": "center", "valign": "vcenter"},
            "text": {}, "wrap": {"text_wrap": True}, "int": {"num_format": "0"}, "money": {"num_format": "0.00"},
            "centre": {"align": "center"},
            "link": {"font_color": "#0563C1", "underline": 1},
            "group": {"bold": True, "bg_color": "#F2F2F2", "font_size": 11}}
        specs.update({f"status:{k}": {"bg_color": fill, "font_color": font, "bold": True, "align": "center"}
                      for k, (fill, font) in STATUS_COLOURS.items()})
        specs.update({f"severity:{k}": {"font_color": font, "align": "center"} for k, font in SEVERITY_FONTS.items()})
        self.specs = {name: {**BODY, **spec} for name, spec in specs.items()}
        self._made: dict[tuple[str, bool], Any] = {}

    def get(self, name: str, quoted: bool = False) -> Any:
        key = (name, quoted)
        if key not in self._made:
            spec = self.specs.get(name, self.specs["text"])
            self._made[key] = self.book.add_format({**spec, "quote_prefix": True} if quoted else spec)
        return self._made[key]


LINE_HEIGHT = 15.0  # points per line of 10-point text (CJK fonts set lines about 1.45 em apart)
CHARS_PER_UNIT = 1.15  # text width units (textwidth.width: 2 per CJK character) one unit of column width holds


def row_height(text: str | None, column_width: float) -> float | None:
    """The height a wrapped cell needs, estimated generously (LibreOffice does not fit a row to wrapped text
    written without a height); None for one line or no text."""
    if not text:
        return None
    per_line = max(1.0, column_width * CHARS_PER_UNIT)
    lines = sum(max(1, -(-width(line) // int(per_line))) for line in text.split("\n"))
    return LINE_HEIGHT * lines + 2 if lines > 1 else None


def nice_step(largest: int, ticks: int = 6) -> int:
    """A round axis step (1, 2, 5, 10, 20, 50 …) giving at most about ``ticks`` gridlines."""
    step = 1
    while step * ticks < largest:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if step * ticks >= largest:
                break
    return step


def page_setup(ws: Any, last_row: int, last_col: int, header_rows: int = 1, footer: str = "", title: str = "") -> None:
    """A4 landscape, fit to the page width, header rows repeated on every page, print area = the table."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    ws.center_horizontally()
    ws.set_header('&L&"-,Bold"&A&R' + title.replace("&", "&&"))
    if footer:
        ws.set_footer(footer)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    ws.print_area(0, 0, max(last_row, 0), last_col)


MAX_LITERAL = 255  # Excel's limit for a text literal in a formula


def _literal(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@lru_cache(maxsize=256)
def _relative_folder(folder: str, start: str) -> str | None:
    try:
        return os.path.relpath(folder, start)
    except ValueError:  # another drive
        return None


def relative_path(path: str, out_dir: str) -> str | None:
    """``os.path.relpath(path, out_dir)`` (None across drives), the folder's part computed once per folder:
    a batch's files share a few folders (with the votes' common cases inline: Outputs.add 135 → 128 ms CPU
    per 1 000 bureau results)."""
    full, start = os.path.abspath(path), os.path.abspath(out_dir)
    folder, name = os.path.split(full)
    if not name or start == full or start.startswith(full + os.sep):
        try:
            return os.path.relpath(full, start)
        except ValueError:
            return None
    rel = _relative_folder(folder, start)
    if rel is None:
        return None
    return name if rel == os.curdir else rel + os.sep + name


def link_formula(path: str | None, out_dir: str, text: str, sheet: str | None = None,
                 cell: str | None = None) -> str | None:
    """``=HYPERLINK("relative/path#'sheet'!cell","text")``: a link from the output folder (where 汇总.xlsx
    lies) to ``path``, or None when there is no relative path (another drive) or it is longer than a
    formula's text literal may be.

    A HYPERLINK formula rather than a native hyperlink: xlsxwriter keeps every native hyperlink in memory
    until the workbook is closed (about 1.3 KB each, measured: 85 MB of peak memory at 10 000 files
    against 34 MB at 1 000), a formula is written with its row. Both arguments are text literals with
    their quotes doubled, so no file name can become part of the formula; the path uses forward slashes
    (Excel and WPS resolve either against the workbook's folder, LibreOffice on Linux only ``/``) with
    ``%`` and ``#`` escaped, so that a file named ``a#b.xlsx`` is not cut at its ``#``."""
    rel = relative_path(path, out_dir) if path else None
    if rel is None:
        return None
    target = rel.replace(os.sep, "/").replace("%", "%25").replace("#", "%23")
    if sheet and cell:
        target += "#'" + sheet.replace("'", "''") + "'!" + cell
    if len(target) > MAX_LITERAL or len(text) > MAX_LITERAL:
        return None
    return f"=HYPERLINK({_literal(target)},{_literal(text)})"
