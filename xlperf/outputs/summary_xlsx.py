"""The 汇总 workbook a bureau files: 汇总 (one row per file), 退回清单 (what goes back to which unit),
问题清单 (every finding, linked to its file and cell) and 等级分布 (counts and a column chart).

Written with xlsxwriter in ``constant_memory`` mode: the rows of 汇总 and 问题清单 go to disk as results
arrive, in order; 退回清单 and 等级分布, known only at the end, are written then from compact aggregates
(grade and status counters; the returned files spooled to SQLite), so memory stays flat as N grows
(bench/summary.py). Text is written with ``write_string`` only (the workbook turns no string into a
formula, number or URL) after ``neutralise``, formula-like text with a quote prefix; the only formulas
are the links to the files (``link_formula``), relative to the output folder. Every sheet prints on A4
landscape, fitted to the page width, header row repeated.
"""

from __future__ import annotations

import math
import tempfile
from collections import Counter
from contextlib import ExitStack
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from xlperf.outputs.linksheet import LinkSheet, SummaryWorkbook
from xlperf.outputs.neutral import formula_like, neutralise
from xlperf.outputs.sink import drain
from xlperf.outputs.summary_returns import ReturnList
from xlperf.outputs.summary_style import (FINDING_WIDTHS, GRADE_COLOURS, GRADES, OTHER_GRADE, RETURN_WIDTHS,
                                         SUMMARY_WIDTHS, TEXT, Formats, link_formula, nice_step, page_setup, row_height)
from xlperf.scoring.result import STATUS_ORDER, FileResult

OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class SummaryBook:
    """汇总.xlsx written as results arrive, put in place atomically on ``close``."""

    def __init__(self, path: Path, lang: str = "zh", link_base: Path | None = None):
        from xlperf.workbook.atomic import atomic_output

        self.path, self.t = Path(path), TEXT["en" if lang == "en" else "zh"]
        self.out_dir = str(link_base or self.path.parent)  # links are relative to where the summary will be
        self._stack = ExitStack()
        self._tmp = self._stack.enter_context(tempfile.TemporaryDirectory(prefix="xlperf-summary-",
                                                                          ignore_cleanup_errors=True))
        target = self._stack.enter_context(atomic_output(self.path))  # leaves last: committed first
        self.book = SummaryWorkbook(str(target), {**OPTIONS, "tmpdir": self._tmp})
        self.fmt = Formats(self.book)
        self.sheets = {key: self.book.add_worksheet(self.t[key], worksheet_class=LinkSheet)
                       for key in ("summary", "returns", "findings", "grades")}
        for key, cols, widths in (("summary", "summary_cols", SUMMARY_WIDTHS), ("findings", "finding_cols", FINDING_WIDTHS),
                                  ("returns", "return_cols", RETURN_WIDTHS)):
            self._header(self.sheets[key], self.t[cols], widths)
        self.written = {"summary": 0, "findings": 0, "returns": 0}
        self.grades: Counter = Counter()
        self.statuses: Counter = Counter()
        self.returns = ReturnList(self._tmp)

    def _header(self, ws: Any, columns: list[str], widths: list[int]) -> None:
        for col, (title, width) in enumerate(zip(columns, widths)):
            ws.set_column(col, col, width)
            ws.write_string(0, col, title, self.fmt.get("head"))
        ws.freeze_panes(1, 0)

    def _put(self, ws: Any, row: int, cells: list[tuple], first: int = 0) -> None:
        """Write prepared cells (``_text``, ``_number``, ``_link``) from column ``first`` on."""
        get = self.fmt.get
        ws.write_cells(row, first, [(kind, value, get(style, quoted)) for kind, value, style, quoted in cells])

    @staticmethod
    def _fit(ws: Any, row: int, height: float | None) -> None:
        """Give a row holding wrapped text its height (before any cell of the row is written)."""
        if height:
            ws.set_row(row, height)

    def prepare(self, result: FileResult) -> tuple:
        """What ``write`` writes of ``result``: its 汇总 row, its 问题清单 rows (with their heights), its grade,
        status and 退回清单 row, made without touching the workbook (the batch's tail makes them in a helper
        process while this one writes)."""
        t, info, path, shown = self.t, result.info, result.path, _shown(result.file)
        row = [_link(shown, path, self.out_dir),
               *(_label(value) for value in (info.get("department"), info.get("project"), info.get("unit"),
                                             result.framework or result.template)),
               _number(result.stated_total, "money"), _number(result.total, "money"),
               _label(result.stated_grade, "centre"), _label(result.grade, "centre"),
               *(_number(result.counts.get(severity, 0), "int") for severity in ("error", "warning", "info")),
               _label(t["status"].get(result.status, result.status), f"status:{result.status}")]
        findings = [(row_height(f["message"], FINDING_WIDTHS[5]),
                     [_link(shown, path, self.out_dir, f["sheet"], f["cell"]), _label(f["sheet"]),
                      _label(f["cell"]), _label(f["code"]),
                      _label(t["severity"].get(f["severity"], f["severity"]), f"severity:{f['severity']}"),
                      _text(f["message"], "wrap")]) for f in result.findings]
        return (row, findings, result.grade or t["ungraded"], result.status,
                self.returns.row(result, t["no_unit"], t["more"]))

    def write(self, prepared: tuple) -> None:
        """Write one result as ``prepare`` made it."""
        row, findings, grade, status, back = prepared
        self.written["summary"] += 1
        self._put(self.sheets["summary"], self.written["summary"], row)
        ws = self.sheets["findings"]
        for height, cells in findings:
            self.written["findings"] += 1
            self._fit(ws, self.written["findings"], height)
            self._put(ws, self.written["findings"], cells)
        self.grades[grade] += 1
        self.statuses[status] += 1
        self.returns.insert(back)

    def add(self, result: FileResult) -> None:
        self.write(self.prepare(result))

    def _write_returns(self) -> None:
        ws, row, width = self.sheets["returns"], 0, len(self.t["return_cols"]) - 1
        for item, size in self.returns.rows():
            if size is not None:
                row += 1
                name = self.t["manual"] if item["grp"].startswith("\x00") else item["unit"]
                ws.merge_range(row, 0, row, width, neutralise(self.t["group"].format(unit=name, n=size)),
                               self.fmt.get("group"))
            row += 1
            self._fit(ws, row, row_height(item["detail"], RETURN_WIDTHS[5]))
            self._put(ws, row, [_text(item["unit"]), _text(item["department"]),
                                _link(_shown(item["file"]), item["path"], self.out_dir),
                                _text(self.t["status"].get(item["status"], item["status"]), f"status:{item['status']}"),
                                _number(item["errors"], "int"), _text(item["detail"], "wrap")])
        if row == 0:
            row = 1
            ws.merge_range(row, 0, row, width, self.t["nothing"], self.fmt.get("group"))
        self.written["returns"] = row

    def _write_grades(self) -> int:
        """The grade and status tables and the chart; returns the last row used."""
        ws, name = self.sheets["grades"], self.t["grades"]
        order = list(GRADES) + sorted(g for g in self.grades if g not in GRADES)
        counts = [int(self.grades.get(g, 0)) for g in order]
        for col, (title, width) in enumerate(zip(self.t["grade_cols"], (12, 10))):
            ws.set_column(col, col, width)
            ws.write_string(0, col, title, self.fmt.get("head"))
        for row, (grade, count) in enumerate(zip(order, counts), 1):
            self._put(ws, row, [_text(grade)])
            ws.write_number(row, 1, count, self.fmt.get("int"))
        top = len(order) + 2
        for col, title in enumerate(self.t["status_cols"]):
            ws.write_string(top, col, title, self.fmt.get("head"))
        for row, status in enumerate(STATUS_ORDER, top + 1):
            self._put(ws, row, [_text(self.t["status"][status], f"status:{status}")])
            ws.write_number(row, 1, int(self.statuses.get(status, 0)), self.fmt.get("int"))
        chart = self.book.add_chart({"type": "column"})
        chart.add_series({"name": self.t["files"], "categories": [name, 1, 0, len(order), 0],
                          "values": [name, 1, 1, len(order), 1], "categories_data": order, "values_data": counts,
                          "points": [{"fill": {"color": GRADE_COLOURS.get(g, OTHER_GRADE)}} for g in order],
                          "data_labels": {"value": True}, "gap": 60})
        chart.set_title({"name": self.t["chart"], "name_font": {"size": 12}})
        chart.set_legend({"none": True})
        chart.set_y_axis({"min": 0, "major_unit": nice_step(max(counts + [1])), "num_format": "0"})
        chart.set_size({"width": 576, "height": 320})
        ws.insert_chart(1, 3, chart)
        return max(top + len(STATUS_ORDER), 17)

    def close(self) -> Path:
        """Write what is known only now, set print areas and filters, and put the file in place."""
        self._write_returns()
        last_grade_row = self._write_grades()
        words = {"footer": self.t["footer"], "title": self.t["title"]}
        for key, cols in (("summary", "summary_cols"), ("findings", "finding_cols"), ("returns", "return_cols")):
            last_col = len(self.t[cols]) - 1
            if key != "returns":
                self.sheets[key].autofilter(0, 0, max(self.written[key], 1), last_col)
            page_setup(self.sheets[key], self.written[key], last_col, **words)
        page_setup(self.sheets["grades"], last_grade_row, 11, header_rows=0, **words)
        self.returns.close()
        self.book.close()
        self._stack.close()
        return self.path

    def abort(self) -> None:
        """Nothing is written where the summary goes; the temporary files are removed."""
        self.returns.close()
        error = RuntimeError("summary abandoned")
        self._stack.__exit__(type(error), error, None)


def _text(value: Any, style: str = "text") -> tuple:
    """A text cell: neutralised, quoted where it still reads as a formula; blank (formatted) when empty."""
    if value is None or value == "":
        return "b", None, style, False
    text = neutralise(value)
    return "s", text, style, formula_like(text)


def _number(value: Any, style: str) -> tuple:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return "n", value, style, False
    return _text(value, style)


_label = lru_cache(maxsize=4096, typed=True)(_text)  # the short texts that repeat: units, codes, sheets, cells


def _shown(name: str) -> str:
    """A file's name on one line, as its link shows it."""
    return " ".join(neutralise(name).split()) or neutralise(name)


def _link(shown: str, path: str | None, out_dir: str, sheet: str | None = None, cell: str | None = None) -> tuple:
    """A link to the file (``link_formula``) showing its name, its name as plain text where no link can be made."""
    formula = link_formula(path, out_dir, shown, sheet, cell)
    if formula is None:
        return _text(shown)
    return "f", (formula, shown), "link", False


def write_summary(results: Iterable[FileResult], path: Path, lang: str = "zh") -> Path:
    """Write 汇总.xlsx atomically from a stream of results."""
    return drain(SummaryBook(path, lang), results)
