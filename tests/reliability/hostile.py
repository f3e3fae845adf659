"""Hostile inputs built the way they were found: a real workbook's package, one part patched, re-zipped.

The bases are workbooks xlperf did not write: a bureau form made with xlsxwriter (ROUND/MIN/SUM formulas
with the values Excel would cache) and a filled copy of an xlperf template (``tests.corpus``, saved by
openpyxl with its cached values). ``repack`` rewrites a package entry by entry, so every hostile file
differs from a real one only where the attack is.
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
from pathlib import Path
from typing import Callable, Iterable, Mapping

import xlsxwriter

SHEET1 = "xl/worksheets/sheet1.xml"
ROWS = (("产出", "数量指标", "举办人才培训场次", 30, 20, 22), ("产出", "质量指标", "培训合格率", 30, 95, 97),
        ("效益", "社会效益指标", "服务企业数量", 25, 100, 100), ("满意度", "满意度指标", "服务对象满意度", 15, 90, 95))
Edit = Callable[[bytes], bytes] | bytes


def bureau_workbook(path: Path) -> Path:
    """A bureau's own scoring form (no xlperf marker), as xlsxwriter writes it, cached values included:
    得分 = ROUND(MIN(1, 实际/指标值) × 分值, 2), 合计 = SUM."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("评分表")
    sheet.write_row(0, 0, ["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分", "扣分说明"])
    total = 0.0
    for i, (level1, level2, name, weight, target, actual) in enumerate(ROWS, start=2):
        sheet.write_row(i - 1, 0, [level1, level2, name, weight, target, actual])
        score = round(min(1, actual / target) * weight, 2)
        total += score
        sheet.write_formula(i - 1, 6, f"=ROUND(MIN(1,F{i}/E{i})*D{i},2)", None, score)
    last = len(ROWS) + 1
    sheet.write(last, 2, "合计")
    sheet.write_formula(last, 3, f"=SUM(D2:D{last})", None, sum(row[3] for row in ROWS))
    sheet.write_formula(last, 6, f"=SUM(G2:G{last})", None, round(total, 2))
    book.close()
    return path


def template_copy(path: Path) -> Path:
    """A filled copy of the 大鹏 template with Excel's cached values (as a unit returns it)."""
    from tests.corpus import filled, finish

    return finish(filled("dapeng", "dapeng_2024"), path)


def repack(src: Path, dst: Path, edits: Mapping[str, Edit] | None = None, *, add: Iterable[tuple[str, bytes]] = (),
           drop: Iterable[str] = (), method: int = zipfile.ZIP_DEFLATED) -> Path:
    """Copy the package ``src`` to ``dst`` entry by entry: ``edits`` replace or transform parts, ``add``
    appends entries (a name may repeat), ``drop`` leaves parts out."""
    edits, dropped = dict(edits or {}), set(drop)
    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", method) as zout:
        for info in zin.infolist():
            if info.filename in dropped:
                continue
            data = zin.read(info.filename)
            edit = edits.get(info.filename)
            if edit is not None:
                data = edit(data) if callable(edit) else edit
            info.compress_type = method
            zout.writestr(info, data)
        with warnings.catch_warnings():  # a repeated name is what some attacks are made of
            warnings.simplefilter("ignore", UserWarning)
            for name, data in add:
                zout.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)
    return dst


def set_cell(ref: str, element: str) -> Callable[[bytes], bytes]:
    """An edit that replaces the ``<c r="ref">`` element of a sheet part by ``element``."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)

    def edit(data: bytes) -> bytes:
        new, count = pattern.subn(lambda _: element.encode("utf-8"), data, count=1)
        assert count == 1, f"no cell {ref}"
        return new
    return edit


def after_sheet_data(xml: str) -> Callable[[bytes], bytes]:
    """An edit that puts ``xml`` right after </sheetData> (merged cells, protection …)."""
    return lambda data: data.replace(b"</sheetData>", b"</sheetData>" + xml.encode("utf-8"), 1)


def before_sheet_data_end(xml: str) -> Callable[[bytes], bytes]:
    """An edit that appends rows (``xml``) at the end of <sheetData>."""
    return lambda data: data.replace(b"</sheetData>", xml.encode("utf-8") + b"</sheetData>", 1)


def rename_sheet(old: str, new_attr: str) -> Callable[[bytes], bytes]:
    """An edit of workbook.xml giving sheet ``old`` the name ``new_attr`` (already XML-escaped)."""
    return lambda data: data.replace(f'name="{old}"'.encode("utf-8"), f'name="{new_attr}"'.encode("utf-8"), 1)


def formula(ref: str, text: str, cached: str = "0") -> Callable[[bytes], bytes]:
    """An edit setting a number cell's formula and cached value."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return set_cell(ref, f'<c r="{ref}"><f>{escaped}</f><v>{cached}</v></c>')


def billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">{entities}]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>').encode()


def xxe(target: str = "file:///etc/passwd") -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{target}">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>').encode()


def many_cells(count: int) -> Callable[[bytes], bytes]:
    """An edit filling a sheet with ``count`` empty styled cells (each one a <c> the reader must count)."""
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}" s="0"/>' for col in "ABCDEFGHIJ") + "</row>"
                   for r in range(100, 100 + count // 10 + 1))
    return before_sheet_data_end(rows)


def zip_bomb(dst: Path, size: int = 300 * 2**20) -> Path:
    """A package whose sheet inflates to ``size`` zero bytes (about 1 000:1)."""
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sink:
            block = b"\0" * 2**20
            for _ in range(size // len(block)):
                sink.write(block)
    return dst


def truncate(src: Path, dst: Path, keep: float = 0.6) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[:int(len(data) * keep)])
    return dst


def encrypt(src: Path, dst: Path, password: str = "secret") -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(src, "rb") as source, open(dst, "wb") as sink:
        OOXMLFile(source).encrypt(password, sink)
    return dst


def odf_zip(dst: Path, mimetype: str = "application/vnd.oasis.opendocument.spreadsheet") -> Path:
    """An OpenDocument package (mimetype first, stored, as ODF requires)."""
    with zipfile.ZipFile(dst, "w") as zf:
        zf.writestr("mimetype", mimetype)
        zf.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                                   'xmlns:office:1.0"><office:body><office:spreadsheet/></office:body>'
                                   '</office:document-content>', zipfile.ZIP_DEFLATED)
    return dst


def xlsb_from(src: Path, dst: Path) -> Path:
    """An .xlsb-shaped package: the workbook part binary, as Excel's binary format names it."""
    with zipfile.ZipFile(src) as zin:
        workbook = zin.read("xl/workbook.xml")
    return repack(src, dst, drop=["xl/workbook.xml"], add=[("xl/workbook.bin", workbook)])


def digest(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` (links not followed) with its bytes: originals must not change."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                out[str(path.relative_to(folder))] = path.read_bytes()
    return out
