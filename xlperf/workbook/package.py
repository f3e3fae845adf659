"""Write-back of cached values inside the original package: only the targeted cells' <v> and t change."""

from __future__ import annotations

import html
import math
import numbers
import os
import posixpath
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from xlperf.workbook.atomic import atomic_output
from xlperf.workbook.grid import column_letter
from xlperf.workbook.sniff import DEFAULT_MAX_UNCOMPRESSED, safe_zip_open
from xlperf.workbook.xlsxparts import column_index

_ATTR = re.compile(rb'(?<![\w:.-])([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')  # linear: see xlsxparts._ATTR
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_REL = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b([^>]*)>")
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_T_ATTR = re.compile(rb"""\s+t\s*=\s*(?:"[^"]*"|'[^']*')""")
_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
                    "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!", "#PYTHON!"})
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


@dataclass
class PatchReport:
    """What was written: cells patched, cells asked for that do not exist (never created), unknown sheets."""

    patched: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    missing_sheets: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing_sheets and not any(self.skipped.values())


def _attrs(raw: bytes) -> dict[str, str]:
    return {m[1].decode(): html.unescape((m[2] if m[2] is not None else m[3]).decode("utf-8", "replace"))
            for m in _ATTR.finditer(raw)}


def _local(attrs: dict[str, str], name: str) -> str | None:
    """An attribute by local name, whatever its namespace prefix (r:id, relationships:id …)."""
    for key, value in attrs.items():
        if key == name or (key.endswith(":" + name) and not key.startswith("xmlns")):
            return value
    return None


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name (as shown in Excel) → its part name inside the package."""
    rels = {}
    for match in _REL.finditer(archive.read("xl/_rels/workbook.xml.rels")):
        attrs = _attrs(match.group(1))
        if "Id" in attrs and "Target" in attrs and attrs.get("TargetMode") != "External":
            rels[attrs["Id"]] = attrs["Target"]
    by_lower = {name.lower(): name for name in archive.NameToInfo}
    out = {}
    for match in _SHEET.finditer(archive.read("xl/workbook.xml")):
        attrs = _attrs(match.group(1))
        name, target = attrs.get("name"), rels.get(_local(attrs, "id") or "")
        if name is None or target is None:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[name] = by_lower.get(part.lower(), part)
    return out


def _xml_text(text: str) -> bytes:
    """Text escaped for XML content, with characters XML cannot hold written as Excel's _xHHHH_."""
    text = _ILLEGAL.sub(lambda m: "_x005F_" if m.group() == "_" else f"_x{ord(m.group()):04X}_", text)
    return html.escape(text, quote=False).encode("utf-8", "replace")


def _number(value: Any) -> str | None:
    """The xsd:double text of a number, or None when it is not finite."""
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def _plain(value: Any) -> Any:
    """numpy scalars and the like as Python values."""
    if isinstance(value, (bool, int, float, Decimal, str)) or value is None:
        return value
    if type(value).__name__ in ("bool_", "bool") and hasattr(value, "item"):
        return bool(value)
    if isinstance(value, numbers.Real):
        return value
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def value_xml(value: Any, is_formula: bool, p: bytes = b"") -> tuple[bytes | None, bytes]:
    """(the t attribute or None, the inner XML) of a cell's cached value; ``p`` is the element prefix."""
    value = _plain(value)
    v = lambda text: b"<" + p + b"v>" + text + b"</" + p + b"v>"  # noqa: E731
    if value is None or value == "":
        return (b"str", v(b"")) if is_formula else (None, b"")
    if isinstance(value, bool):
        return b"b", v(b"1" if value else b"0")
    if isinstance(value, (numbers.Real, Decimal)):
        text = _number(value)
        return (None, v(text.encode())) if text is not None else (b"e", v(b"#NUM!"))
    text = str(value)
    if text in ERRORS:
        return b"e", v(text.encode())
    if is_formula:  # a formula's text result: a cached value, never parsed as a formula
        return b"str", v(_xml_text(text))
    space = b' xml:space="preserve"' if text != text.strip() or "\n" in text else b""
    return b"inlineStr", (b"<" + p + b"is><" + p + b"t" + space + b">" + _xml_text(text)
                          + b"</" + p + b"t></" + p + b"is>")


@lru_cache(maxsize=16)
def _child_patterns(p: bytes) -> tuple[re.Pattern, re.Pattern]:
    """The <f> element, and the <v>/<is> elements, written with namespace prefix ``p``."""
    q = re.escape(p)
    return (re.compile(rb"<" + q + rb"f\b[^>]*?(?:/>|>.*?</" + q + rb"f\s*>)", re.S),
            re.compile(rb"<" + q + rb"(v|is)\b[^>]*?(?:/>|>.*?</" + q + rb"\1\s*>)", re.S))


def _children(body: bytes, p: bytes) -> tuple[bytes, bytes]:
    """(the <f> element or b"", the body's other children except <v> and <is>)."""
    f, drop = _child_patterns(p)
    formula = f.search(body)
    if formula is None:
        return b"", drop.sub(b"", body)
    return formula.group(0), drop.sub(b"", body[:formula.start()] + body[formula.end():])


def patch_cell(p: bytes, attrs: bytes, body: bytes | None, value: Any) -> bytes:
    """A whole ``<c>`` element with a new cached value; other attributes and the <f> kept verbatim."""
    formula, rest = _children(body or b"", p)
    t_value, inner = value_xml(value, bool(formula), p)
    attrs = _T_ATTR.sub(b"", attrs)
    if t_value is not None:
        attrs += b' t="' + t_value + b'"'
    return b"<" + p + b"c" + attrs + b">" + formula + inner + rest + b"</" + p + b"c>"


def _r(attrs: bytes) -> bytes | None:
    match = _R_ATTR.search(attrs)
    return None if match is None else (match[1] if match[1] is not None else match[2])


class _Cursor:
    """The A1 reference (bytes) of each cell in document order; ``r`` may be left out, meaning the next cell."""

    def __init__(self) -> None:
        self.row, self.col, self.last = 0, 0, b""  # col is stale while ``last`` holds the previous cell's r

    def on_row(self, attrs: bytes) -> None:
        given = _r(attrs)
        self.row = int(given) if given and given.isdigit() else self.row + 1
        self.col, self.last = 0, b""

    def on_cell(self, given: bytes | None, attrs: bytes) -> bytes:
        given = given if given is not None else _r(attrs)
        if given:
            self.last = given
            if b"$" not in given and given.isupper():
                return given
            match = _A1.fullmatch(given.decode("ascii", "replace"))
            return f"{match[1].upper()}{int(match[2])}".encode() if match else given
        if self.last:
            self.col, self.last = column_index(self.last.decode("ascii", "replace").strip("$0123456789")), b""
        self.col += 1
        return f"{column_letter(self.col)}{self.row}".encode()


@lru_cache(maxsize=16)
def _tag_patterns(p: bytes) -> tuple[re.Pattern, re.Pattern]:
    """Start tags of <row> and <c>: name, attributes (ending in "/" when empty), a leading r; the end tag of <c>."""
    q = re.escape(p)
    return (re.compile(rb"<" + q + rb'(row|c)(?=[\s/>])((?: r="([^"]*)")?[^>]*)>'),
            re.compile(rb"</" + q + rb"c\s*>"))


def patch_sheet(xml: bytes, values: dict[str, Any]) -> tuple[bytes, list[str]]:
    """Replace the cached values of the given A1 cells (no $) in one sheet's XML; returns (xml, patched refs).

    One pass over the start tags inside <sheetData>; bytes outside the targeted <c> elements are copied as they are.
    """
    start = _SHEET_DATA.search(xml)
    if start is None or start.group(2).endswith(b"/") or not values:
        return xml, []
    p, stop = start.group(1), xml.find(b"sheetData", start.end())
    tags, cell_end = _tag_patterns(p)
    wanted = {ref.encode("ascii", "replace"): value for ref, value in values.items()}
    cursor, done, pieces, last = _Cursor(), [], [], 0
    for match in tags.finditer(xml, start.end(), len(xml) if stop < 0 else stop):
        name, attrs, given = match.group(1, 2, 3)
        if name == b"row":
            cursor.on_row(attrs)
            continue
        ref = cursor.on_cell(given, attrs)
        if ref not in wanted:
            continue
        body, end = None, match.end()
        if attrs.endswith(b"/"):
            attrs = attrs[:-1]
        else:
            close = cell_end.search(xml, end)
            if close is None:
                continue
            body, end = xml[end:close.start()], close.end()
        pieces += [xml[last:match.start()], patch_cell(p, attrs, body, wanted[ref])]
        last = end
        done.append(ref.decode())
    return b"".join(pieces) + xml[last:], done


def _normalise(cells: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """A1 key without $ and upper-case → (the caller's key, value)."""
    out = {}
    for key, value in cells.items():
        match = _A1.fullmatch(key.strip())
        out[f"{match[1].upper()}{int(match[2])}" if match else key] = (key, value)
    return out


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A fresh ZipInfo with the entry's name, time, method and attributes (no zip64 extra: zipfile adds its own)."""
    out = zipfile.ZipInfo(info.filename, info.date_time)
    out.compress_type, out.external_attr, out.create_system = info.compress_type, info.external_attr, info.create_system
    out.comment, out.internal_attr, out.file_size = info.comment, info.internal_attr, info.file_size
    extra, kept = info.extra, b""
    while len(extra) >= 4:
        tag, size = int.from_bytes(extra[:2], "little"), int.from_bytes(extra[2:4], "little")
        if tag != 0x0001:
            kept += extra[:4 + size]
        extra = extra[4 + size:]
    out.extra = kept
    return out


def patch_values(src_path: str | os.PathLike[str], dst_path: str | os.PathLike[str],
                 values: dict[str, dict[str, Any]], max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED) -> PatchReport:
    """Copy ``src_path`` to ``dst_path`` (atomically) with the cached values of the given cells replaced.

    ``values`` maps a sheet name (as Excel shows it) to {A1 reference: value}; values are int, float, Decimal,
    str, bool or None, and a str that is an Excel error ("#DIV/0!") is written as that error.
    Unlike openpyxl (which empties every cached value and drops parts it does not know: add-in bindings,
    xlwings Lite code, dynamic-array metadata, drawings), every other zip entry keeps its bytes, order, name and
    compression method (it is re-compressed, not re-encoded), calcChain included; inside a sheet only the
    targeted ``<c>`` elements change, keeping their <f> and every other attribute (s, cm, vm …) verbatim.
    Cells that do not exist are not created: they are reported as skipped.

    Text never becomes a formula: a formula cell's text result is a cached value (``t="str"``), which no
    spreadsheet parses, and text for a cell without a formula is an inline string (``t="inlineStr"``), so
    ``=cmd|' /C calc'!A0`` stays text; no <f> is ever written. The source is only read. Raises ValueError
    when ``dst_path`` is the source, PackageRejected when the source is not a safe zip, KeyError without a workbook.
    """
    src, dst = Path(src_path), Path(dst_path)
    if src.resolve() == dst.resolve() or (dst.exists() and os.path.samefile(src, dst)):
        raise ValueError("refusing to write over the original")
    report = PatchReport()
    with open(src, "rb") as handle, safe_zip_open(handle, max_uncompressed) as archive:
        parts = sheet_parts(archive)
        lower = {name.lower(): name for name in parts}
        wanted: dict[str, tuple[str, dict[str, tuple[str, Any]]]] = {}
        for sheet, cells in values.items():
            name = sheet if sheet in parts else lower.get(sheet.lower())
            if name is None:
                report.missing_sheets.append(sheet)
            elif cells:
                wanted[parts[name]] = (sheet, _normalise(cells))
        with atomic_output(dst) as tmp:
            _write(archive, tmp, wanted, report)
    return report


def _write(archive: zipfile.ZipFile, tmp: Path, wanted: dict, report: PatchReport) -> None:
    with zipfile.ZipFile(tmp, "w", allowZip64=True) as out:
        out.comment = archive.comment
        for info in archive.infolist():
            target = _copy_info(info)
            if info.filename not in wanted:
                with archive.open(info) as source, out.open(target, "w") as sink:
                    shutil.copyfileobj(source, sink, 1 << 20)
                continue
            sheet, cells = wanted[info.filename]
            data, done = patch_sheet(archive.read(info), {ref: value for ref, (_, value) in cells.items()})
            report.patched[sheet] = [cells[ref][0] for ref in done]
            found = set(done)
            report.skipped[sheet] = [key for ref, (key, _) in cells.items() if ref not in found]
            out.writestr(target, data)
    report.missing_sheets += [sheet for sheet, _ in wanted.values() if sheet not in report.patched]  # part absent
