"""patch_values: only the targeted cached values change; every other byte of the package stays as it was."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from xlperf.workbook import package
from xlperf.workbook.atomic import atomic_output, atomic_write_bytes
from xlperf.workbook.package import PatchReport, patch_values, value_xml
from xlperf.workbook.sniff import PackageRejected

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
INJECTION = "=cmd|' /C calc'!A0"

# An Excel-style sheet: prefixed elements, styles, cm/vm, array/shared formulas, a cell without r.
EXCEL_SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="{MAIN}" xmlns:r="{REL}"><x:dimension ref="A1:E3"/><x:sheetData>
<x:row r="1" spans="1:5"><x:c r="A1" s="1"><x:v>21</x:v></x:c>
<x:c r="B1" s="2" cm="1"><x:f t="array" ref="B1">_xldudf_XLWINGS_PERF_SCORE(A1)</x:f><x:v>0</x:v></x:c>
<x:c r="C1" s="3"><x:f t="shared" ref="C1:C3" si="0">A1*2</x:f><x:v>42</x:v></x:c><x:c r="D1" t="n"><x:v>0</x:v></x:c>
<x:c s="1" vm="1"><x:f>[1]!sql(A1)</x:f></x:c></x:row>
<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c><x:c r="C2" s="3"><x:f t="shared" si="0"/><x:v>2</x:v></x:c></x:row>
<x:row r="3"><x:c r="A3"><x:v>2</x:v></x:c><x:c r="C3" s="3"><x:f t="shared" si="0"/></x:c></x:row>
</x:sheetData><x:extLst><x:ext uri="{{X}}"><x:c r="C3">not a cell</x:c></x:ext></x:extLst></x:worksheet>"""

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill/></fill></fills>
<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="4"><xf/><xf/><xf/>
<xf numFmtId="2"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def excel_like(path: Path) -> Path:
    """A hand-written package such as Excel saves, with a sheet name that needs escaping and a calcChain."""
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        f'+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        f'ContentType="{CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.'
        f'worksheet+xml"/><Override PartName="/xl/worksheets/data.xml" ContentType="{CT}.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="评分 &amp; 汇总" sheetId="1" r:id="rId1"/><sheet r:id="rId2" sheetId="2" name=\'数据\'/>'
        '</sheets><calcPr calcId="191029"/></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Target="worksheets/sheet1.xml" Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet"/><Relationship Id="rId2" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>',
        "xl/styles.xml": STYLES,
        "xl/worksheets/sheet1.xml": EXCEL_SHEET,
        "xl/worksheets/data.xml": f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>5</v></c></row>'
        '</sheetData></worksheet>',
        "xl/calcChain.xml": f'<calcChain xmlns="{MAIN}"><c r="B1" i="1"/><c r="C1"/></calcChain>',
        "xl/webextensions/webextension1.xml": "<we:webextension/>",
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text, zipfile.ZIP_STORED if name.endswith("rels") else zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture
def styled(tmp_path) -> Path:
    """An openpyxl-saved workbook (formula cells have an empty <v/>) with a style and a second sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = 21, "=A1*2", "旧文本", '=IF(A1>1,"是","否")'
    ws["B1"].font, ws["B1"].number_format = Font(bold=True), "0.00"
    wb.create_sheet("其他")["A1"] = "=1+1"
    wb.save(tmp_path / "styled.xlsx")
    return tmp_path / "styled.xlsx"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entries(path: Path) -> list[tuple[str, int, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, info.compress_type, zf.read(info)) for info in zf.infolist()]


def cell_span(xml: bytes, ref: str, prefix: bytes = b"") -> tuple[int, int]:
    pattern = rb"<" + prefix + rb"c r=\"" + ref.encode() + rb"\"[^>]*?(?:/>|>.*?</" + prefix + rb"c>)"
    match = re.search(pattern, xml, re.S)
    assert match is not None, ref
    return match.span()


def outside(xml: bytes, spans: list[tuple[int, int]]) -> list[bytes]:
    """The bytes between the given spans."""
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(xml[last:start])
        last = end
    return out + [xml[last:]]


def patched_pair(src: Path, dst: Path, values: dict) -> tuple[PatchReport, dict, dict]:
    before = sha(src)
    report = patch_values(src, dst, values)
    assert sha(src) == before
    return report, {n: d for n, _, d in entries(src)}, {n: d for n, _, d in entries(dst)}


def test_openpyxl_file_only_targets_change(styled, tmp_path):
    dst = tmp_path / "out" / "styled.xlsx"
    report, old, new = patched_pair(styled, dst, {"评分表": {"B1": 42, "D1": "是", "Z99": 1}})
    assert report.patched == {"评分表": ["B1", "D1"]} and report.skipped == {"评分表": ["Z99"]}
    assert [(n, c) for n, c, _ in entries(styled)] == [(n, c) for n, c, _ in entries(dst)]
    sheet = "xl/worksheets/sheet1.xml"
    assert all(old[name] == new[name] for name in old if name != sheet)
    spans_old = [cell_span(old[sheet], ref) for ref in ("B1", "D1")]
    spans_new = [cell_span(new[sheet], ref) for ref in ("B1", "D1")]
    assert outside(old[sheet], spans_old) == outside(new[sheet], spans_new)
    assert b"Z99" not in new[sheet]
    b1 = new[sheet][slice(*spans_new[0])]
    assert b1.startswith(b'<c r="B1" s="1"><f>A1*2</f>') and b1.endswith(b"<v>42</v></c>")
    ws = openpyxl.load_workbook(dst, data_only=True)["评分表"]
    assert (ws["B1"].value, ws["D1"].value, ws["B1"].number_format, ws["B1"].font.b) == (42, "是", "0.00", True)
    assert openpyxl.load_workbook(dst)["评分表"]["D1"].value == '=IF(A1>1,"是","否")'


@pytest.mark.filterwarnings("ignore:Unknown extension")
def test_excel_like_package_keeps_formulas_and_attributes(tmp_path):
    src, dst = excel_like(tmp_path / "excel.xlsx"), tmp_path / "patched.xlsx"
    values = {"评分 & 汇总": {"B1": 87.5, "C1": Decimal("42"), "C2": "#DIV/0!", "C3": True, "E1": "甲",
                            "$a$1": 7},
              "数据": {"A1": None}, "不存在": {"A1": 1}}
    report, old, new = patched_pair(src, dst, values)
    assert report.patched == {"评分 & 汇总": ["$a$1", "B1", "C1", "E1", "C2", "C3"], "数据": ["A1"]}
    assert report.missing_sheets == ["不存在"] and not report.complete
    assert all(old[n] == new[n] for n in old if not n.startswith("xl/worksheets/"))
    xml = new["xl/worksheets/sheet1.xml"].decode()
    for formula in ('<x:f t="array" ref="B1">_xldudf_XLWINGS_PERF_SCORE(A1)</x:f>',
                    '<x:f t="shared" ref="C1:C3" si="0">A1*2</x:f>', "<x:f>[1]!sql(A1)</x:f>"):
        assert formula in xml
    assert '<x:c r="A1" s="1"><x:v>7</x:v></x:c>' in xml
    assert '<x:c r="B1" s="2" cm="1"><x:f t="array" ref="B1">' in xml and "<x:v>87.5</x:v>" in xml
    assert '<x:c r="C2" s="3" t="e"><x:f t="shared" si="0"/><x:v>#DIV/0!</x:v></x:c>' in xml
    assert '<x:c r="C3" s="3" t="b"><x:f t="shared" si="0"/><x:v>1</x:v></x:c>' in xml
    assert '<x:c s="1" vm="1" t="str"><x:f>[1]!sql(A1)</x:f><x:v>甲</x:v></x:c>' in xml  # E1 has no r attribute
    assert '<x:c r="C3">not a cell</x:c>' in xml and '<x:c r="D1" t="n"><x:v>0</x:v></x:c>' in xml
    assert b'<c r="A1"></c>' in new["xl/worksheets/data.xml"]
    ws = openpyxl.load_workbook(dst, data_only=True)["评分 & 汇总"]
    assert [ws[ref].value for ref in ("A1", "B1", "C1", "C2", "C3", "E1")] == [7, 87.5, 42, "#DIV/0!", True, "甲"]


def test_macro_workbook_keeps_vba(styled, tmp_path):
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40
    xlsm = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(styled) as zin, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.'
                                    b'vbaProject"/></Types>').replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            zout.writestr(info.filename, data)
        zout.writestr("xl/vbaProject.bin", vba)
    _, old, new = patched_pair(xlsm, tmp_path / "patched.xlsm", {"评分表": {"B1": 42}})
    assert new["xl/vbaProject.bin"] == vba and new["[Content_Types].xml"] == old["[Content_Types].xml"]
    assert openpyxl.load_workbook(tmp_path / "patched.xlsm", data_only=True)["评分表"]["B1"].value == 42


def test_formula_injection_stays_text(styled, tmp_path):
    dst = tmp_path / "inj.xlsx"
    patch_values(styled, dst, {"评分表": {"C1": INJECTION, "D1": INJECTION, "E5": INJECTION}})
    xml = dict((n, d) for n, _, d in entries(dst))["xl/worksheets/sheet1.xml"]
    c1 = xml[slice(*cell_span(xml, "C1"))]
    assert c1 == b'<c r="C1" t="inlineStr"><is><t>=cmd|\' /C calc\'!A0</t></is></c>'
    source = dict((n, d) for n, _, d in entries(styled))["xl/worksheets/sheet1.xml"]
    formula = re.search(rb'<c r="D1"[^>]*>(<f>.*?</f>)', source).group(1)  # as openpyxl wrote it
    assert b'<c r="D1" t="str">' + formula + b"<v>=cmd|" in xml
    ws = openpyxl.load_workbook(dst)["评分表"]
    assert (ws["C1"].value, ws["C1"].data_type) == (INJECTION, "s")
    assert openpyxl.load_workbook(dst, data_only=True)["评分表"]["D1"].value == INJECTION
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(dst)).get_sheet_by_name("评分表").to_python()
    assert rows[0][2] == INJECTION and rows[0][3] == INJECTION


@pytest.mark.parametrize("value, formula, expected", [
    (3, True, (None, b"<v>3</v>")), (2.50, False, (None, b"<v>2.5</v>")), (1e20, False, (None, b"<v>1e+20</v>")),
    (Decimal("0.1"), True, (None, b"<v>0.1</v>")), (False, True, (b"b", b"<v>0</v>")),
    (float("nan"), True, (b"e", b"<v>#NUM!</v>")), (10**400, True, (b"e", b"<v>#NUM!</v>")),
    (None, True, (b"str", b"<v></v>")), (None, False, (None, b"")), ("#N/A", True, (b"e", b"<v>#N/A</v>")),
    ("a<b & c", True, (b"str", b"<v>a&lt;b &amp; c</v>")),
    (" 前后 ", False, (b"inlineStr", b'<is><t xml:space="preserve"> \xe5\x89\x8d\xe5\x90\x8e </t></is>')),
    ("bell\x07_x0041_", False, (b"inlineStr", b"<is><t>bell_x0007__x005F_x0041_</t></is>")),
])
def test_value_xml(value, formula, expected):
    assert value_xml(value, formula) == expected


def test_numpy_values(styled, tmp_path):
    np = pytest.importorskip("numpy")
    patch_values(styled, tmp_path / "np.xlsx", {"评分表": {"A1": np.int64(5), "B1": np.float64(2.5), "C1": np.bool_(True)}})
    ws = openpyxl.load_workbook(tmp_path / "np.xlsx", data_only=True)["评分表"]
    assert (ws["A1"].value, ws["B1"].value, ws["C1"].value) == (5, 2.5, True)


def test_refuses_to_overwrite_source(styled):
    before = sha(styled)
    with pytest.raises(ValueError):
        patch_values(styled, styled, {"评分表": {"B1": 1}})
    with pytest.raises(ValueError):
        patch_values(styled, styled.parent / "." / styled.name, {"评分表": {"B1": 1}})
    assert sha(styled) == before


def test_failure_leaves_destination_untouched(styled, tmp_path, monkeypatch):
    dst = tmp_path / "keep.xlsx"
    dst.write_bytes(b"previous")

    def boom(xml, values):
        raise RuntimeError("disk full")
    monkeypatch.setattr(package, "patch_sheet", boom)
    with pytest.raises(RuntimeError):
        patch_values(styled, dst, {"评分表": {"B1": 1}})
    assert dst.read_bytes() == b"previous" and sorted(p.name for p in tmp_path.iterdir()) == ["keep.xlsx", "styled.xlsx"]


def test_unsafe_source_is_rejected(tmp_path):
    (tmp_path / "text.xlsx").write_text("不是工作簿", encoding="utf-8")
    with pytest.raises(PackageRejected):
        patch_values(tmp_path / "text.xlsx", tmp_path / "out.xlsx", {})
    assert not (tmp_path / "out.xlsx").exists()


def test_atomic_helpers(tmp_path):
    target = atomic_write_bytes(tmp_path / "sub" / "a.bin", b"one")
    assert target.read_bytes() == b"one"
    with pytest.raises(KeyError), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise KeyError("stop")
    assert target.read_bytes() == b"one" and [p.name for p in target.parent.iterdir()] == ["a.bin"]


def test_libreoffice_reads_patched_values(styled, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; the openpyxl and calamine reads cover the values")
    dst = tmp_path / "lo.xlsx"
    patch_values(styled, dst, {"评分表": {"B1": 42, "C1": INJECTION, "D1": "是", "A1": 21}})
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "csv"),
                    str(dst)], check=True, capture_output=True, timeout=180)
    with open(tmp_path / "csv" / "lo.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["21", "42.00", INJECTION, "是"]  # B1 shown in its own number format 0.00
