"""The 汇总 workbook: one row per file, the findings with filters, and the grade distribution chart.

Streamed (``xlsx_stream``): rows go to temporary files as results arrive and are zipped on close, so
memory stays flat however many files and findings a batch has, and no cell objects are built.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator

from xlperf.batch.results import FileResult
from xlperf.report.xlsx_stream import StreamBook, StreamSheet, escape

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


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _title(text: str) -> str:
    return (f'<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:t>{escape(text)}</a:t>'
            '</a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>')


def _chart(sheet: str, rows: int, t: dict[str, Any]) -> str:
    """A clustered column chart of the grade counts (the same series Excel would make from the table)."""
    ref = "'" + sheet.replace("'", "''") + "'"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}">'
            f'<c:chart>{_title(t["chart"])}<c:autoTitleDeleted val="0"/><c:plotArea><c:barChart><c:barDir val="col"/>'
            '<c:grouping val="clustered"/><c:varyColors val="0"/><c:ser><c:idx val="0"/><c:order val="0"/>'
            f'<c:tx><c:strRef><c:f>{escape(ref)}!$B$1</c:f></c:strRef></c:tx>'
            f'<c:cat><c:strRef><c:f>{escape(ref)}!$A$2:$A${rows}</c:f></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>{escape(ref)}!$B$2:$B${rows}</c:f></c:numRef></c:val></c:ser>'
            '<c:gapWidth val="150"/><c:axId val="10"/><c:axId val="100"/></c:barChart>'
            '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
            '<c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="none"/>'
            '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="100"/><c:crosses val="autoZero"/>'
            '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>'
            '<c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
            f'<c:axPos val="l"/><c:majorGridlines/>{_title(t["grade_cols"][1])}<c:numFmt formatCode="General" '
            'sourceLinked="1"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
            '<c:crossAx val="10"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea>'
            '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>')


_DRAWING = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/'
            f'drawingml/2006/spreadsheetDrawing" xmlns:a="{_A}"><xdr:oneCellAnchor><xdr:from><xdr:col>3</xdr:col>'
            '<xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
            '<xdr:ext cx="5400000" cy="2700000"/><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
            '<xdr:cNvPr id="2" name="Chart 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm>'
            '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.'
            f'openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="{_C}" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships" r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame>'
            '<xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>')
_DRAWING_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                 'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                 'openxmlformats.org/officeDocument/2006/relationships/chart" Target="/xl/charts/chart1.xml"/>'
                 '</Relationships>')


class SummaryBook:
    """汇总.xlsx written as results arrive (rows spooled to temporary files), saved atomically on close."""

    def __init__(self, path: Path, lang: str = "zh"):
        self.path, self.t = Path(path), TEXT["en" if lang == "en" else "zh"]
        self.book = StreamBook()
        self.summary = self.book.add_sheet(StreamSheet(self.t["summary"], self.t["summary_cols"], SUMMARY_WIDTHS))
        self.findings = self.book.add_sheet(StreamSheet(self.t["findings"], self.t["finding_cols"], FINDING_WIDTHS))
        self.grades: Counter = Counter()

    @property
    def rows(self) -> dict[str, int]:
        """Data rows written so far, per sheet."""
        return {"summary": self.summary.rows - 1, "findings": self.findings.rows - 1}

    def add(self, result: FileResult) -> None:
        self.summary.append(summary_row(result, self.t))
        for row in finding_rows(result, self.t):
            self.findings.append(row)
        self.grades[result.grade or self.t["ungraded"]] += 1

    def close(self) -> Path:
        from xlperf.workbook.atomic import atomic_output

        order = list(GRADES) + sorted(g for g in self.grades if g not in GRADES)
        grades = self.book.add_sheet(StreamSheet(self.t["grades"], self.t["grade_cols"], header_style=False,
                                                 freeze=False, auto_filter=False))
        for grade in order:
            grades.append([grade, int(self.grades.get(grade, 0))])
        grades.drawing = ("xl/drawings/drawing1.xml", _DRAWING)
        parts = [("xl/drawings/_rels/drawing1.xml.rels", _DRAWING_RELS, None),
                 ("xl/charts/chart1.xml", _chart(self.t["grades"], len(order) + 1, self.t), "drawingml.chart+xml")]
        with atomic_output(self.path) as tmp:
            self.book.save(tmp, parts)
        return self.path

    def abort(self) -> None:
        """Nothing was written where the summary goes (the rows live in temporary files, now removed)."""
        self.book.discard()


def write_summary(results: Iterable[FileResult], path: Path, lang: str = "zh") -> Path:
    """Write 汇总.xlsx atomically from a stream of results."""
    book = SummaryBook(path, lang)
    for result in results:
        book.add(result)
    return book.close()
