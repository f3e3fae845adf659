"""What the 绩效评价 ribbon buttons run (RunPython, Excel on Windows), over pure helpers tested anywhere."""

# The three entry points import xlwings and xlperf.api inside the function and keep Excel calls thin.

from __future__ import annotations

import importlib
import sys
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

RESULT_SHEET = "校验结果"
TITLE = "绩效评价"
SEVERITIES = ("error", "warning", "info")
HEADERS = {"zh": ["严重程度", "工作表", "单元格", "代码", "说明"],
           "en": ["Severity", "Sheet", "Cell", "Code", "Message"]}
SEVERITY_LABELS = {"zh": {"error": "错误", "warning": "警告", "info": "提示"},
                   "en": {"error": "error", "warning": "warning", "info": "info"}}
NO_FINDINGS = {"zh": "未发现问题", "en": "No problems found"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls"}


# --- pure helpers ---------------------------------------------------------------------------

def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def _severity(finding: Any) -> str:
    severity = finding.severity
    return str(getattr(severity, "value", severity))


def sheet_reference(sheet: str, cell: str) -> str:
    """``'sheet'!cell``: the sheet name always quoted, apostrophes in it doubled."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def hyperlink_formula(sheet: str, cell: str) -> str:
    """A HYPERLINK formula that jumps to ``cell`` on ``sheet`` and shows the cell address."""
    target = ("#" + sheet_reference(sheet, cell)).replace('"', '""')
    shown = cell.replace('"', '""')
    return f'=HYPERLINK("{target}","{shown}")'


def finding_text(finding: Any, lang: str = "zh") -> str:
    """The finding's message without its position prefix, which has its own columns."""
    text = finding.message(lang)
    where = getattr(finding, "where", None)
    prefix = where(lang) if callable(where) else ""
    return text[len(prefix):] if prefix and text.startswith(prefix) else text


def findings_rows(findings: Iterable[Any], lang: str = "zh") -> list[list[str]]:
    """One row per finding: severity, sheet, cell (a HYPERLINK formula when sheet and cell are known), code, text."""
    lang = _lang(lang)
    labels = SEVERITY_LABELS[lang]
    rows = []
    for finding in findings:
        severity = _severity(finding)
        sheet, cell = finding.sheet or "", finding.cell or ""
        link = hyperlink_formula(sheet, cell) if sheet and cell else cell
        rows.append([labels.get(severity, severity), sheet, link, finding.code, finding_text(finding, lang)])
    return rows


def result_table(findings: Iterable[Any], lang: str = "zh") -> list[list[str]]:
    """What the 校验结果 sheet shows: the header and the finding rows, or the one line 未发现问题."""
    rows = findings_rows(findings, lang)
    return [list(HEADERS[_lang(lang)]), *rows] if rows else [[NO_FINDINGS[_lang(lang)]]]


def count_by_severity(findings: Iterable[Any]) -> dict[str, int]:
    """How many findings of each severity, every severity present (zero when none)."""
    counts = Counter(_severity(finding) for finding in findings)
    return {severity: counts.get(severity, 0) for severity in SEVERITIES} | dict(counts)


def summary_text(counts: Mapping[Any, int], lang: str = "zh") -> str:
    """``错误 2 条，警告 1 条，提示 0 条`` from counts keyed by severity (strings or Severity members)."""
    plain = {str(getattr(key, "value", key)): int(value) for key, value in counts.items()}
    labels = SEVERITY_LABELS[_lang(lang)]
    if _lang(lang) == "en":
        return ", ".join(f"{labels[s]}: {plain.get(s, 0)}" for s in SEVERITIES)
    return "，".join(f"{labels[s]} {plain.get(s, 0)} 条" for s in SEVERITIES)


def result_dir(folder: Path, now: datetime) -> Path:
    """Where validate_folder writes: ``<folder>/xlperf_结果_<YYYYmmdd_HHMMSS>``."""
    return Path(folder) / f"xlperf_结果_{now:%Y%m%d_%H%M%S}"


def join_surrogates(text: str) -> str:
    """Join the UTF-16 surrogate pairs that VBA's ``\\uXXXX`` escaping splits characters outside the BMP into."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def snapshot_name(name: str) -> str:
    """A file name for a copy of the workbook ``name``; a never-saved ``工作簿1`` gets ``.xlsx``."""
    return name if Path(name).suffix.lower() in WORKBOOK_SUFFIXES else name + ".xlsx"


def write_user_config(interpreter: str | None = None, udf_modules: str = "xlperf.udfs",
                      home: Path | None = None) -> Path:
    """Write ``~/.xlperf/xlperf.conf``, the xlperf add-in's user settings file, keeping its other keys."""
    path = (Path(home) if home else Path.home()) / ".xlperf" / "xlperf.conf"
    encoding = "mbcs" if sys.platform == "win32" else "utf-8"  # VBA's Input # reads the ANSI code page
    settings: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding=encoding).splitlines():
            key, sep, value = line.partition(",")
            if sep:
                settings[key.strip().strip('"').upper()] = value.strip().strip('"')
    settings["INTERPRETER_WIN"] = interpreter or sys.executable
    settings["UDF MODULES"] = udf_modules
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f'"{key}","{value}"\r\n' for key, value in settings.items())
    path.write_bytes(text.encode(encoding))
    return path


# --- Excel (Windows, via xlwings) -----------------------------------------------------------

def _api() -> Any:
    return importlib.import_module("xlperf.api")


def _alert(app: Any, text: str, critical: bool = False) -> None:
    """A message box through ``App.alert`` (xlwings >= 0.27.13), else the status bar."""
    alert = getattr(app, "alert", None)
    if callable(alert):
        alert(text, title=TITLE, mode="critical" if critical else "info")
    else:
        app.status_bar = text.replace("\n", " ")


def _see_sheet(findings: list[Any]) -> str:
    return f"详见「{RESULT_SHEET}」工作表。" if findings else "未发现问题。"


def _freeze_first_row(app: Any, sheet: Any) -> None:
    sheet.activate()
    window = app.api.ActiveWindow
    window.FreezePanes = False
    window.ScrollRow = 1
    window.SplitColumn = 0
    window.SplitRow = 1
    window.FreezePanes = True


def _result_sheet(book: Any) -> Any:
    if RESULT_SHEET in [sheet.name for sheet in book.sheets]:
        sheet = book.sheets[RESULT_SHEET]
        sheet.clear()
    else:
        sheet = book.sheets.add(RESULT_SHEET, after=book.sheets[-1])
    sheet.api.AutoFilterMode = False
    return sheet


def write_results(book: Any, rows: list[list[str]], *, activate: bool) -> Any:
    """Write ``rows`` into the 校验结果 sheet of ``book`` (created or cleared): text columns, header frozen, autofilter."""
    app = book.app
    previous = book.sheets.active
    screen_updating = app.screen_updating
    app.screen_updating = False
    try:
        sheet = _result_sheet(book)
        for columns in ("A:B", "D:E"):  # text, so a sheet named =1+1 or 001 stays as written
            sheet.range(columns).number_format = "@"
        sheet.range("A1").value = rows
        if len(rows) > 1:
            width = len(rows[0])
            sheet.range((1, 1), (1, width)).font.bold = True
            sheet.range((1, 1), (len(rows), width)).api.AutoFilter()
            _freeze_first_row(app, sheet)
        sheet.range("A:D").autofit()
        sheet.range("E:E").column_width = 80
        sheet.range("E:E").api.WrapText = True
        (sheet if activate else previous).activate()
    finally:
        app.screen_updating = screen_updating
    return sheet


def recalculate() -> None:
    """Button 重新计算, after ``Application.CalculateFull``: the server's checks on the workbook as it is now."""
    import xlwings as xw

    book = xw.Book.caller()
    with tempfile.TemporaryDirectory(prefix="xlperf_", ignore_cleanup_errors=True) as tmp:
        snapshot = Path(tmp) / snapshot_name(book.name)
        book.api.SaveCopyAs(str(snapshot))  # the unsaved state; the workbook itself is not saved
        findings = list(_api().validate_workbook(str(snapshot), lang="zh").findings)
    write_results(book, result_table(findings, "zh"), activate=False)
    _alert(book.app, "重新计算完成。按服务器规则检查当前内容（含未保存的修改）："
           + summary_text(count_by_severity(findings)) + "。\n" + _see_sheet(findings))


def validate_this_workbook() -> None:
    """Button 校验本工作簿: check the saved file of the calling workbook and list the findings in 校验结果."""
    import xlwings as xw

    book = xw.Book.caller()
    path = Path(book.fullname)
    if not path.is_file():
        _alert(book.app, f"找不到本工作簿保存在磁盘上的文件：{book.fullname}\n"
               "请先保存到本机或共享文件夹（OneDrive/SharePoint 网址无法直接校验）。", critical=True)
        return
    findings = list(_api().validate_workbook(str(path), lang="zh").findings)
    write_results(book, result_table(findings, "zh"), activate=True)
    _alert(book.app, f"已校验保存的文件「{path.name}」："
           + summary_text(count_by_severity(findings)) + "。\n" + _see_sheet(findings))


def validate_folder(folder: str) -> None:
    """Button 校验文件夹: check every workbook in ``folder``, write 汇总.xlsx into a new subfolder and open it."""
    import xlwings as xw

    book = xw.Book.caller()
    source = Path(join_surrogates(folder))
    if not source.is_dir():
        _alert(book.app, f"文件夹不存在：{source}", critical=True)
        return
    result = _api().validate_folder(str(source), str(result_dir(source, datetime.now())))
    book.app.books.open(str(result.summary_path))
    _alert(book.app, "文件夹校验完成：" + summary_text(result.counts) + "。\n汇总表：" + str(result.summary_path))
