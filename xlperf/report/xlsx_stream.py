"""A small streaming .xlsx writer for report workbooks: rows spooled to temporary files, zipped on save.

Reports are plain tables (bold filled header, column widths, frozen header row, auto-filter) plus
optionally a drawing part; text is written as inline strings, so nothing is held per row in memory and
no cell objects are built. Inline strings are never evaluated; text that a spreadsheet would still read as a
formula when copied out is neutralised (``safe_text``); characters XML 1.0 cannot carry become U+FFFD.
"""

from __future__ import annotations

import math
import re
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Iterable

from xlperf.report.safe_text import neutralise
from xlperf.workbook.grid import column_letter

MAX_TEXT = 32767  # Excel's limit for one cell's text
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
STYLE_HEADER, STYLE_QUOTED = 1, 2

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument."
_STYLES = (f'<styleSheet xmlns="{_NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
           '<font><b val="1"/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
           '<fills count="3"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill>'
           '<fill><patternFill patternType="solid"><fgColor rgb="{fill}"/></patternFill></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
           '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def escape(text: str) -> str:
    """XML text escaping (as xml.sax.saxutils.escape, whose import pulls in urllib and http)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """A double-quoted XML attribute value."""
    body = escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return f'"{body}"'


def clean_text(text: str) -> str:
    """Text as a cell can hold it: XML-safe characters, at most Excel's 32 767."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("\ufffd", text)
    return text[:MAX_TEXT]


def cell_xml(ref: str, value: Any, style: int = 0) -> str:
    """One <c> element; None (and NaN or infinity) gives an empty string: no cell."""
    s = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>' if math.isfinite(value) else ""
    text = neutralise(clean_text(value if isinstance(value, str) else str(value)))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


class StreamSheet:
    """One worksheet: header row, then rows appended one by one to a temporary file."""

    def __init__(self, title: str, columns: list[str], widths: list[int] | None = None,
                 header_style: bool = True, freeze: bool = True, auto_filter: bool = True):
        self.title, self.ncols = title, len(columns)
        self.widths, self.freeze, self.auto_filter = widths or [], freeze, auto_filter
        self.letters = [column_letter(i) for i in range(1, max(self.ncols, 1) + 1)]
        self.rows = 0
        self.drawing: tuple[str, str] | None = None  # (part name, xml) of this sheet's drawing
        self._spool: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.append(columns, STYLE_HEADER if header_style else 0)

    def append(self, values: Iterable[Any], style: int = 0) -> None:
        self.rows += 1
        r = self.rows
        cells = "".join(cell_xml(f"{self.letters[i] if i < len(self.letters) else column_letter(i + 1)}{r}", v, style)
                        for i, v in enumerate(values))
        self._spool.write(f'<row r="{r}">{cells}</row>')

    @property
    def filter_ref(self) -> str:
        return f"A1:{self.letters[-1]}{self.rows}"

    def _head(self) -> str:
        pane = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>') if self.freeze else ""
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(self.widths, 1))
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}" xmlns:r="{_REL}">'
                f'<dimension ref="A1:{self.letters[-1]}{self.rows}"/><sheetViews><sheetView workbookViewId="0">{pane}'
                f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")

    def _tail(self) -> str:
        tail = "</sheetData>"
        if self.auto_filter and self.rows:
            tail += f'<autoFilter ref="{self.filter_ref}"/>'
        tail += '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        if self.drawing:
            tail += '<drawing r:id="rId1"/>'
        return tail + "</worksheet>"

    def write_to(self, archive: zipfile.ZipFile, name: str) -> None:
        """Stream the sheet part into ``archive`` (the spooled rows are copied in chunks)."""
        self._spool.flush()
        self._spool.seek(0)
        with archive.open(name, "w", force_zip64=True) as sink:
            sink.write(self._head().encode("utf-8"))
            while chunk := self._spool.read(1 << 16):  # small chunks: the peak stays the same at any N
                sink.write(chunk.encode("utf-8"))
            sink.write(self._tail().encode("utf-8"))

    def close(self) -> None:
        self._spool.close()


class StreamBook:
    """Sheets in order, saved as one .xlsx (header fill colour as ARGB)."""

    def __init__(self, header_fill: str = "FFDDEBF7"):
        self.sheets: list[StreamSheet] = []
        self.header_fill = header_fill

    def add_sheet(self, sheet: StreamSheet) -> StreamSheet:
        self.sheets.append(sheet)
        return sheet

    def save(self, path: Path, parts: list[tuple[str, str, str | None]] | None = None) -> None:
        """Write the package to ``path`` (callers make that atomic); ``parts`` are extra (name, XML, content
        type after "application/vnd.openxmlformats-officedocument.", None for a .rels part)."""
        parts = parts or []
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.writestr("[Content_Types].xml", self._content_types(parts))
            archive.writestr("_rels/.rels", _rels([("officeDocument", _REL, "xl/workbook.xml"),
                                                   ("metadata/core-properties", _PKG_REL, "docProps/core.xml"),
                                                   ("extended-properties", _REL, "docProps/app.xml")]))
            archive.writestr("docProps/core.xml", _core())
            archive.writestr("docProps/app.xml", '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
                                                 '2006/extended-properties"><Application>xlperf</Application></Properties>')
            archive.writestr("xl/workbook.xml", self._workbook())
            archive.writestr("xl/_rels/workbook.xml.rels", _rels(
                [("worksheet", _REL, f"worksheets/sheet{i}.xml") for i in range(1, len(self.sheets) + 1)]
                + [("styles", _REL, "styles.xml")]))
            archive.writestr("xl/styles.xml", _STYLES.replace("{fill}", self.header_fill))
            for i, sheet in enumerate(self.sheets, 1):
                sheet.write_to(archive, f"xl/worksheets/sheet{i}.xml")
                if sheet.drawing:
                    part, xml = sheet.drawing
                    archive.writestr(f"xl/worksheets/_rels/sheet{i}.xml.rels", _rels([("drawing", _REL, "/" + part)]))
                    archive.writestr(part, xml)
            for name, xml, _ in parts:
                archive.writestr(name, xml)
        for sheet in self.sheets:
            sheet.close()

    def discard(self) -> None:
        for sheet in self.sheets:
            sheet.close()

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name={quoteattr(s.title)} sheetId="{i}" r:id="rId{i}"/>'
                         for i, s in enumerate(self.sheets, 1))
        names = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                        f"{escape(_quoted(s.title))}!{_absolute(s.filter_ref)}</definedName>"
                        for i, s in enumerate(self.sheets) if s.auto_filter and s.rows)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_NS}" xmlns:r="{_REL}">'
                f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
                + (f"<definedNames>{names}</definedNames>" if names else "") + '<calcPr calcId="191029"/></workbook>')

    def _content_types(self, extra: list[tuple[str, str, str | None]]) -> str:
        parts = [("/xl/workbook.xml", "spreadsheetml.sheet.main+xml"), ("/xl/styles.xml", "spreadsheetml.styles+xml"),
                 ("/docProps/app.xml", "extended-properties+xml")]
        parts += [(f"/xl/worksheets/sheet{i}.xml", "spreadsheetml.worksheet+xml") for i in range(1, len(self.sheets) + 1)]
        parts += [("/" + s.drawing[0], "drawing+xml") for s in self.sheets if s.drawing]
        parts += [("/" + name, kind) for name, _, kind in extra if kind]
        overrides = "".join(f'<Override PartName="{name}" ContentType="{_CT}{kind}"/>' for name, kind in parts)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
                'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
                f'core-properties+xml"/>{overrides}</Types>')


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="rId{i}" Type="{base}/{kind}" '
                   f'Target="{target}"/>' for i, (kind, base, target) in enumerate(items, 1))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">{body}</Relationships>'


def _core() -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>xlperf</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>')


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))
