"""Write-back of cached values inside the original package: only the targeted ``<v>`` and ``t`` change.

openpyxl cannot do this (it empties every cached value and drops parts it does not know:
add-in bindings, xlwings Lite code, dynamic-array metadata, drawings). Here every zip entry
other than the patched sheet parts is copied byte for byte, and inside a sheet only the value
of each targeted cell is replaced; its formula, style and other attributes stay as they were.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlperf.workbook.atomic import atomic_output

_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_SHEET_ALT = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"', re.S)
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"', re.S)
_REL_ALT = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"', re.S)
_CELL = re.compile(rb'<c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_T_ATTR = re.compile(rb'\s+t="[^"]*"')
_V = re.compile(rb"<v\b[^>]*/>|<v\b[^>]*>.*?</v>", re.S)
_IS = re.compile(rb"<is\b[^>]*>.*?</is>", re.S)
_F = re.compile(rb"<f\b[^>]*/>|<f\b[^>]*>.*?</f>", re.S)
ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
FORMULA_LEAD = ("=", "+", "-", "@")


@dataclass
class PatchReport:
    """What was written: cells patched, and cells asked for that do not exist (not created)."""

    patched: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    missing_sheets: list[str] = field(default_factory=list)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name (as shown in Excel) → part path inside the package."""
    workbook, rels = zf.read("xl/workbook.xml"), zf.read("xl/_rels/workbook.xml.rels")
    targets = {rid: target for rid, target in _REL.findall(rels)} or {rid: t for t, rid in _REL_ALT.findall(rels)}
    pairs = _SHEET.findall(workbook) or [(n, r) for r, n in _SHEET_ALT.findall(workbook)]
    out = {}
    for name, rid in pairs:
        target = targets.get(rid)
        if target is None:
            continue
        target = html.unescape(target.decode("utf-8"))
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[html.unescape(name.decode("utf-8"))] = part
    return out


def _value_xml(value: Any, is_formula: bool) -> tuple[bytes | None, bytes]:
    """(t attribute or None, inner XML) for a cached value."""
    if value is None or value == "":
        return (b"str", b"<v></v>") if is_formula else (None, b"")
    if isinstance(value, bool):
        return b"b", b"<v>%d</v>" % int(value)
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return b"e", b"<v>#NUM!</v>"
        text = repr(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
        return None, f"<v>{text}</v>".encode()
    text = str(value)
    if text in ERRORS:
        return b"e", f"<v>{text}</v>".encode()
    escaped = html.escape(text, quote=False).encode("utf-8")
    if is_formula:  # a formula's string result: never parsed as a formula whatever it starts with
        return b"str", b"<v>" + escaped + b"</v>"
    space = b' xml:space="preserve"' if text != text.strip() else b""
    return b"inlineStr", b"<is><t" + space + b">" + escaped + b"</t></is>"


def _patch_cell(attrs: bytes, body: bytes | None, value: Any) -> bytes:
    body = body or b""
    formula = _F.search(body)
    t_value, inner = _value_xml(value, formula is not None)
    attrs = _T_ATTR.sub(b"", attrs)
    if t_value is not None:
        attrs = attrs + b' t="' + t_value + b'"'
    rest = _IS.sub(b"", _V.sub(b"", body))
    if formula is not None:
        head, tail = rest[:formula.end()], rest[formula.end():]
        new_body = head + inner + tail
    else:
        new_body = inner + rest
    return b"<c" + attrs + b">" + new_body + b"</c>"


def patch_sheet(xml: bytes, values: dict[str, Any]) -> tuple[bytes, list[str]]:
    """Replace the cached values of the given A1 cells in one sheet's XML; returns (xml, patched refs)."""
    done: list[str] = []

    def replace(match: re.Match) -> bytes:
        ref = _REF.search(match.group("attrs"))
        key = ref.group(1).decode() if ref else None
        if key is None or key not in values:
            return match.group(0)
        done.append(key)
        return _patch_cell(match.group("attrs"), match.group("body"), values[key])

    return _CELL.sub(replace, xml), done


def patch_values(src: str | Path, dst: str | Path, values: dict[str, dict[str, Any]]) -> PatchReport:
    """Copy ``src`` to ``dst`` with the cached values of the given cells replaced (src is only read)."""
    src, dst = Path(src), Path(dst)
    if src.resolve() == dst.resolve():
        raise ValueError("refusing to write over the original")
    report = PatchReport()
    with zipfile.ZipFile(src) as zin:
        parts = sheet_parts(zin)
        report.missing_sheets = [name for name in values if name not in parts]
        wanted = {parts[name]: (name, cells) for name, cells in values.items() if name in parts and cells}
        with atomic_output(dst) as tmp, zipfile.ZipFile(tmp, "w") as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename in wanted:
                    name, cells = wanted[info.filename]
                    data, done = patch_sheet(data, {k.replace("$", ""): v for k, v in cells.items()})
                    report.patched[name] = done
                    report.skipped[name] = sorted(set(cells) - set(done))
                zout.writestr(info, data, compress_type=info.compress_type)
    return report
