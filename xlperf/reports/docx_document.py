"""Open a Word report read-only and list what it holds, in order: paragraphs and (joined) tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from xlperf.errors import XlperfError
from xlperf.findings import Finding
from xlperf.reports.docx_tables import DocTable, caption_label, join_or_add, table_grid

HEADING_STYLES = ("heading", "标题", "title")
_ENUMERATOR = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+(?:\.\d+)*[.．、]"
                         r"(?!\d)|[①-⑳])\s*")
MAX_HEADING = 30


@dataclass(frozen=True)
class Para:
    """A body paragraph: its number among the non-empty ones (as a reader counts), text and heading flag."""

    number: int
    text: str
    heading: bool


@dataclass
class ReportDoc:
    """A Word report as read: file, paragraphs and tables in document order."""

    file: str
    paragraphs: list[Para] = field(default_factory=list)
    tables: list[DocTable] = field(default_factory=list)
    title: str = ""
    order: list[tuple[str, int]] = field(default_factory=list)  # ("p", paragraph number) / ("t", table index)


def strip_enumerator(text: str) -> str:
    """'（一）项目决策情况' → '项目决策情况', '1. 产出数量' → '产出数量'."""
    return _ENUMERATOR.sub("", text, count=1).strip()


def is_heading(text: str, style: str) -> bool:
    """A heading by its style, or a short enumerated line that is not a sentence (the seeds' headings)."""
    if any(style.lower().startswith(word) for word in HEADING_STYLES):
        return True
    return bool(_ENUMERATOR.match(text)) and len(text) <= MAX_HEADING and not text.rstrip().endswith(("。", "；", "："))


def _style_name(paragraph) -> str:
    try:
        return paragraph.style.name or ""
    except (KeyError, ValueError, AttributeError):
        return ""


def _blocks(element):
    """Body-level paragraphs and tables in order, looking inside content controls (w:sdt)."""
    from docx.oxml.ns import qn

    for child in element.iterchildren():
        if child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif child.tag in (qn("w:p"), qn("w:tbl")):
            yield child


def open_document(path: str | Path):
    """python-docx Document for ``path`` (never saved); XlperfError with a finding when it cannot be read."""
    from xlperf.workbook.sniff import sniff

    path = Path(path)
    kind = sniff(path)
    parts = {name.lower() for name in kind.parts}
    if kind.kind in ("missing", "encrypted", "too-large"):
        raise XlperfError(kind.finding.with_file(str(path)))
    if "worddocument" in parts:
        raise XlperfError(Finding("file-legacy-doc", file=str(path)))
    if "word/document.xml" not in parts:
        detail = kind.finding.params.get("detail") if kind.kind == "corrupt" and kind.finding else None
        raise XlperfError(Finding("file-docx-unreadable", file=str(path), params={"detail": detail or "不是 .docx 文档"}))
    try:
        import docx

        return docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on damaged packages
        detail = {"detail": type(exc).__name__}
        raise XlperfError(Finding("file-docx-unreadable", file=str(path), params=detail)) from exc


def read_report(path: str | Path) -> ReportDoc:
    """Paragraphs (numbered as a reader counts non-empty ones) and tables (continuations joined)."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = open_document(path)
    report = ReportDoc(str(path))
    last_text, adjacent = "", False
    for element in _blocks(document.element.body):
        if element.tag == qn("w:tbl"):
            before = len(report.tables)
            join_or_add(report.tables, table_grid(element, ""), caption_label(last_text) and last_text or "",
                        adjacent, len(report.order))
            if len(report.tables) > before:
                report.order.append(("t", before))
            last_text, adjacent = "", True
            continue
        paragraph = Paragraph(element, document.part)
        text = paragraph.text.strip()
        if not text:
            continue
        report.paragraphs.append(Para(len(report.paragraphs) + 1, text, is_heading(text, _style_name(paragraph))))
        report.order.append(("p", len(report.paragraphs)))
        report.title = report.title or text
        last_text, adjacent = text, adjacent and text.startswith("续")  # a 续表 caption keeps the parts together
    return report
