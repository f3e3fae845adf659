"""xlsxread against openpyxl: values, formulas, formats, merges and grids; requested parts only; safety."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import pickle
import random
import time
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.styles import Protection
from openpyxl.styles.numbers import is_date_format
from openpyxl.worksheet.formula import ArrayFormula

from xlperf.workbook.grid import grid_from_worksheet
from xlperf.workbook.sharedformula import shared_formula
from xlperf.workbook.xlsxstyles import classify
from xlperf.workbook.xlsxread import (CellError, PackageError, PackageTooLarge, grid_from_sheet, read_workbook)

ROOT = Path(__file__).resolve().parents[2]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><numFmts count="5"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="165" formatCode="[h]:mm:ss"/><numFmt numFmtId="166" formatCode="0.0&quot;%&quot;"/>
<numFmt numFmtId="167" formatCode="#,##0.00_ ;[Red]\\-#,##0.00\\ "/><numFmt numFmtId="168" formatCode="0.00%;[Red]-0.00%"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill/></fill></fills>
<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="11"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyProtection="1"><protection locked="0"/></xf>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="21" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyProtection="1"><alignment wrapText="1"/><protection locked="0" hidden="1"/></xf>
<xf numFmtId="168" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0"><protection locked="1"/></xf>
</cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>
<dxfs count="1"><dxf><numFmt numFmtId="170" formatCode="0%"/></dxf></dxfs></styleSheet>"""

STRINGS = ['人才发展专项资金 &lt;评价&gt; &amp; "得分"',
           "<r><t>一级</t></r><r><rPr><b/><sz val=\"11\"/></rPr><t>指标</t></r>",
           '<t xml:space="preserve">  前后空格  </t>',
           "<t>绩效</t><rPh sb=\"0\" eb=\"2\"><t>ジセキ</t></rPh><phoneticPr fontId=\"1\"/>",
           "<t>_x005F_x000D_ 字面</t>", "<t>第一行&#10;第二行\r\nCRLF</t>", "<t/>"]

SHEET1 = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><dimension ref="A1:J12"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>
<cols><col min="1" max="3" width="12" customWidth="1"/></cols><sheetData>
<row r="1" spans="1:8" ht="30" customHeight="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"/><c r="H1" s="1"/></row>
<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c><c r="C2" t="s"><v>3</v></c><c r="D2" t="s"><v>4</v></c>
<c r="E2" t="inlineStr"><is><t>内联文本</t></is></c><c r="F2" t="inlineStr"><is><r><t>A</t></r><r><rPr><b/></rPr><t xml:space="preserve"> B</t></r></is></c>
<c r="G2" t="str"><f>"合"&amp;"计"</f><v>合计</v></c><c r="H2" t="s"><v>5</v></c><c r="I2" t="s"><v>6</v></c></row>
<row r="3"><c r="A3"><v>42</v></c><c r="B3" t="n"><v>3.5</v></c><c r="C3"><v>1E3</v></c><c r="D3" s="1"><v>-0.25</v></c>
<c r="E3" s="6"><v>0.5</v></c><c r="F3" t="b"><v>1</v></c><c r="G3" t="b"><v>0</v></c><c r="H3" t="e"><f>1/0</f><v>#DIV/0!</v></c>
<c r="I3" t="e"><v>#N/A</v></c><c r="J3"><v>12345678901234567890</v></c></row>
<row r="4"><c r="A4" s="2"><v>45352</v></c><c r="B4" s="3"><v>45352.5</v></c><c r="C4" s="4"><v>1.5</v></c>
<c r="D4" s="7"><v>0.75</v></c><c r="E4" s="5"><v>10</v></c><c r="F4" s="8"><v>0.9</v></c><c r="G4" s="9"><v>-0.125</v></c>
<c r="H4" s="10" t="s"><v>0</v></c><c r="I4" s="2"><v>30</v></c></row>
<row r="5"><c r="A5"><f>SUM(A3:B3)</f><v>45.5</v></c><c r="B5" t="str"><f>IF(A3&gt;1,"yes","no")</f><v>yes</v></c>
<c r="C5"><f t="array" ref="C5:C6">A3:A4*2</f><v>84</v></c><c r="D5" s="0" t="n"><f aca="false">A3*2</f><v>84</v></c>
<c r="F5"><v>2</v></c></row>
<row r="6"><c r="A6"><v>1</v></c><c r="C6"><v>90704</v></c>
<c r="D6"><f t="shared" ref="D6:E9" si="0">A6+$B$3+SUM(A$1:A6)+'Other sheet'!B6+LOG10(A6)+COUNTIF(A:A,"A1")</f><v>1</v></c>
<c r="E6"><f t="shared" si="0"/><v>2</v></c><c r="F6"><f t="shared" si="1" ref="F6:F9">ROW()*F$5+SUM(2:2)+SUM(B:B)+rate</f><v>3</v></c></row>
<row r="7"><c r="A7"><v>2</v></c><c r="D7"><f t="shared" si="0"/><v>4</v></c><c r="E7"><f t="shared" si="0"/><v>5</v></c>
<c r="F7"><f t="shared" si="1"/><v>6</v></c></row>
<row r="8"><c r="D8"><f t="shared" si="0"/><v>7</v></c><c r="E8"><f t="shared" si="0"/></c><c r="F8"><f si="1" t="shared"/><v>8</v></c></row>
<row r="9"><c r="D9"><f t="shared" si="0"/><v>9</v></c><c r="E9"><f t="shared" si="0"></f><v>10</v></c><c r="F9"><f t="shared" si="1"/><v>11</v></c></row>
<row r="10"><c t="s" r="A10" s="0"><v>0</v></c><c r='B10' t='n'><v>7</v></c><c r="C10" s="2" t="n" cm="1"><v>1</v></c>
<c r="D10" s="5"/><c r="E10"><v></v></c><c r="F10">
  <v>8.25</v>
</c></row>
<row r="11"><c r="A11" t="inlineStr"><is><t>上</t></is></c><c r="B11" t="inlineStr"><is><t>被合并覆盖</t></is></c></row>
<row r="12"><c r="J12" s="1"/></row>
</sheetData><sheetProtection sheet="1" objects="1" scenarios="1"/><mergeCells count="2"><mergeCell ref="A1:H1"/>
<mergeCell ref="A11:B12"/></mergeCells><phoneticPr fontId="1" type="noConversion"/>
<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"""

SHEET2 = f"""<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c t="s"><x:v>3</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>
<x:row><x:c r="C2"><x:v>3</x:v></x:c><x:c s="1"><x:v>0.4</x:v></x:c></x:row></x:sheetData></x:worksheet>"""

SHEET3 = f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'

DEFINED = """<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">'评分表'!$A$1:$H$12</definedName>
<definedName name="rate">0.05</definedName></definedNames>"""


def package(sheets: list[tuple[str, str, str]], strings: list[str] | None = None, styles: str | None = STYLES,
            workbook_pr: str = "", defined: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """An .xlsx written by hand: sheets are (name, state, sheet XML); targets alternate relative/absolute."""
    parts: dict[str, str | bytes] = {}
    types = [f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>']
    rels, entries = [], []
    for i, (name, state, xml) in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
        target = f"/xl/worksheets/sheet{i}.xml" if i % 2 == 0 else f"worksheets/sheet{i}.xml"
        rels.append(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="{target}"/>')
        types.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT}.worksheet+xml"/>')
        state_attr = f' state="{state}"' if state != "visible" else ""
        entries.append(f'<sheet name="{name}" sheetId="{i}"{state_attr} r:id="rId{i}"/>')
    if strings is not None:
        items = "".join(f"<si>{s}</si>" if s.startswith("<") else f"<si><t>{s}</t></si>" for s in strings)
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{items}</sst>'
        rels.append(f'<Relationship Id="rId90" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
        types.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>')
    if styles is not None:
        parts["xl/styles.xml"] = styles
        rels.append(f'<Relationship Id="rId91" Type="{REL}/styles" Target="styles.xml"/>')
        types.append(f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>')
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(types) + "</Types>")
    parts["_rels/.rels"] = (f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
                            "</Relationships>")
    parts["xl/_rels/workbook.xml.rels"] = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                           'relationships">' + "".join(rels) + "</Relationships>")
    parts["xl/workbook.xml"] = (f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}<sheets>{"".join(entries)}'
                                f"</sheets>{defined}</workbook>")
    parts.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body.encode("utf-8") if isinstance(body, str) else body)
    return out.getvalue()


HANDWRITTEN = [("评分表", "visible", SHEET1), ("Other sheet", "hidden", SHEET2), ("隐藏", "veryHidden", SHEET3)]


@pytest.fixture(scope="module")
def handwritten() -> bytes:
    return package(HANDWRITTEN, STRINGS, defined=DEFINED)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A workbook written by openpyxl: inline strings, formulas without cached values, protection, formats."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append(["一级指标", "分值", "完成率", "日期", "说明"])
    for i in range(2, 12):
        ws.append(["产出指标" if i < 7 else "效益指标", i * 1.5, i / 20, dt.datetime(2024, 1, i, 8, 30), f"第{i}项 "])
        ws.cell(i, 3).number_format = "0.00%"
        ws.cell(i, 2).protection = Protection(locked=False)
        ws.cell(i, 6, f"=B{i}*C{i}")
    ws["G2"] = ArrayFormula("G2:G3", "=B2:B3*2")
    ws["A13"], ws["B13"], ws["C13"], ws["D13"] = True, "=SUM(B2:B11)", 12, dt.time(6, 30)
    ws["C13"].number_format = '#,##0.0"%"'
    ws["E13"] = "   "
    ws.merge_cells("A2:A6")
    ws.merge_cells("A7:A11")
    ws.protection.sheet = True
    hidden = wb.create_sheet("隐藏页")
    hidden.sheet_state = "hidden"
    hidden["A1"] = 3
    very = wb.create_sheet("深藏")
    very.sheet_state = "veryHidden"
    very["B2"] = "秘密"
    path = tmp_path_factory.mktemp("gen") / "generated.xlsx"
    wb.save(path)
    return path


def _openpyxl(source, data_only: bool):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source, data_only=data_only)


def _strict(values: dict) -> dict:
    """Values with their types, so 1 and 1.0 (or True and 1) differ; errors compare as their text."""
    return {k: (str if isinstance(v, CellError) else type(v), v) for k, v in values.items()}


def _cells(ws) -> dict:
    """Real cells by position; the MergedCell placeholders openpyxl puts under a merge are left out."""
    return {pos: cell for pos, cell in ws._cells.items() if type(cell).__name__ == "Cell"}


def _covered(sheet) -> set:
    return {(r, c) for r1, c1, r2, c2 in sheet.merged for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
            if (r, c) != (r1, c1)}


def assert_matches_openpyxl(source) -> None:
    data = read_workbook(source)
    values_book, formula_book = _openpyxl(source, True), _openpyxl(source, False)
    assert [s.name for s in data.sheets] == values_book.sheetnames
    for sheet in data.sheets:
        ws, wf = values_book[sheet.name], formula_book[sheet.name]
        raw = {p: v for p, v in sheet.values.items() if p not in _covered(sheet)}
        expected = {p: c.value for p, c in _cells(ws).items() if c.value is not None}
        assert _strict(raw) == _strict(expected), sheet.name
        formulas = {p: c.value for p, c in _cells(wf).items() if c.data_type == "f"}
        assert {p: f.text if isinstance(f, ArrayFormula) else f for p, f in formulas.items()} == {
            p: f for p, f in sheet.formulas.items() if p not in _covered(sheet)}
        assert {p: f.ref for p, f in formulas.items() if isinstance(f, ArrayFormula)} == sheet.array_refs
        for pos, cell in _cells(wf).items():
            assert sheet.style(*pos).number_format == cell.number_format, pos
            assert sheet.is_locked(*pos) == cell.protection.locked, pos
        assert sorted(sheet.merged) == sorted(r.bounds[1::-1] + r.bounds[:1:-1] for r in ws.merged_cells.ranges)
        assert (sheet.max_row, sheet.max_col) == (ws.max_row, ws.max_column)
        assert sheet.protected == bool(ws.protection.sheet)
        assert sheet.state == ws.sheet_state


def test_handwritten_package_matches_openpyxl(handwritten):
    assert_matches_openpyxl(handwritten)


def test_openpyxl_written_workbook_matches_openpyxl(generated):
    assert_matches_openpyxl(generated)


@pytest.mark.parametrize("name", ["大鹏_2024_人才发展专项资金.xlsx", "盐田_2024_人才发展专项资金.xlsx"])
def test_example_workbooks_match_openpyxl(name):
    assert_matches_openpyxl(ROOT / "examples" / name)


def test_handwritten_values_in_detail(handwritten):
    data = read_workbook(handwritten)
    sheet, other, empty = data.sheets
    v = sheet.values
    assert v[(1, 1)] == '人才发展专项资金 <评价> & "得分"' and v[(2, 1)] == "一级指标"
    assert v[(2, 2)] == "  前后空格  " and v[(2, 3)] == "绩效" and v[(2, 4)] == "_x000D_ 字面"
    assert v[(2, 8)] == "第一行\n第二行\nCRLF" and v[(2, 9)] == ""
    assert v[(2, 5)] == "内联文本" and v[(2, 6)] == "A B" and v[(2, 7)] == "合计"
    assert _strict({0: v[(3, 1)], 1: v[(3, 2)], 2: v[(3, 3)], 3: v[(3, 10)]}) == _strict(
        {0: 42, 1: 3.5, 2: 1000.0, 3: 12345678901234567890})
    assert v[(3, 6)] is True and v[(3, 7)] is False
    assert isinstance(v[(3, 8)], CellError) and v[(3, 8)] == "#DIV/0!" and v[(3, 9)] == CellError("#N/A")
    assert v[(4, 1)] == dt.datetime(2024, 3, 1) and v[(4, 2)] == dt.datetime(2024, 3, 1, 12)
    assert v[(4, 3)] == dt.timedelta(hours=36) and v[(4, 4)] == dt.time(18) and v[(4, 9)] == dt.datetime(1900, 1, 30)
    assert v[(10, 3)] == dt.datetime(1900, 1, 1) and v[(10, 6)] == 8.25 and (10, 5) not in v
    assert sheet.formulas[(7, 5)] == "=B7+$B$3+SUM(B$1:B7)+'Other sheet'!C7+LOG10(B7)+COUNTIF(B:B,\"A1\")"
    assert sheet.formulas[(9, 6)] == "=ROW()*F$5+SUM(5:5)+SUM(B:B)+rate"
    assert sheet.formulas[(5, 3)] == "=A3:A4*2" and sheet.array_refs == {(5, 3): "C5:C6"}
    assert sheet.formulas[(5, 4)] == "=A3*2" and v[(5, 4)] == 84  # LibreOffice writes <f aca="false">
    assert (sheet.is_percent(3, 4), sheet.is_percent(3, 5), sheet.is_percent(4, 6), sheet.is_percent(4, 7)) == (
        True, False, True, True)
    assert not sheet.is_locked(4, 5) and not sheet.is_locked(10, 4) and sheet.is_locked(4, 8)
    assert sheet.is_locked(50, 50) and not sheet.is_percent(50, 50)
    assert sheet.protected and sheet.dimension == "A1:J12" and (sheet.max_row, sheet.max_col) == (12, 10)
    assert sorted(sheet.merged) == [(1, 1, 1, 8), (11, 1, 12, 2)]
    assert other.values == {(1, 1): "绩效", (1, 2): 2, (2, 3): 3, (2, 4): 0.4} and other.is_percent(2, 4)
    assert (empty.values, empty.max_row, empty.max_col, empty.dimension) == ({}, 1, 1, None)
    assert [(s.name, s.state, s.part) for s in data.sheet_refs] == [
        ("评分表", "visible", "xl/worksheets/sheet1.xml"), ("Other sheet", "hidden", "xl/worksheets/sheet2.xml"),
        ("隐藏", "veryHidden", "xl/worksheets/sheet3.xml")]
    assert data.defined_names == [("_xlnm.Print_Area", 0, "'评分表'!$A$1:$H$12"), ("rate", None, "0.05")]
    assert not data.has_vba and data.vba_sha256 is None and "xl/sharedStrings.xml" in data.part_names


def test_style_table_matches_openpyxl_formats(handwritten):
    styles = read_workbook(handwritten).styles
    assert [s.number_format for s in styles] == [
        "General", "0.00%", "mm-dd-yy", 'yyyy"年"m"月"d"日"', "[h]:mm:ss", "General", '0.0"%"', "h:mm:ss", "0%",
        "0.00%;[Red]-0.00%", "@"]
    assert [s.locked for s in styles] == [True] * 5 + [False, True, True, False, True, True]
    assert [i for i, s in enumerate(styles) if s.date] == [2, 3, 4, 7] and styles[4].timedelta


@pytest.mark.parametrize(("code", "percent", "date"), [
    ("0.00%", True, False), ("0%", True, False), ('0.0"%"', False, False), ("0.0\\%", False, False),
    ("[Red]0.00%", True, False), ("#,##0.00_);[Red](#,##0.00)", False, False), ("0.00%;-0.00%", True, False),
    ("yyyy-mm-dd", False, True), ('yyyy"年"m"月"d"日"', False, True), ("h:mm AM/PM", False, True),
    ('0.00"天"', False, False), ('"d"0', False, False), ("[$-804]General", False, False), ("General", False, False),
    ("mm:ss.0", False, True), ("[h]:mm:ss", False, True), ("@", False, False), ("0.00E+00", False, False),
])
def test_format_classification(code, percent, date):
    assert classify(code)[:2] == (percent, date)
    assert date == is_date_format(code)


@pytest.mark.parametrize("formula", [
    "=A6+$B$3+SUM(A$1:A6)+'Other sheet'!B6", "=LOG10(A6)+COUNTIF(A:A,\"A1\")", "=SUM(2:2)+SUM($B:C)+rate",
    "=IF(F3>=E3,D3,ROUND(D3*F3/E3,2))", "=Sheet1!A1:B2+'评 分'!$C$3:D4", "=a1 + b2", "=-A1%", "=SUM(A1:INDEX(B:B,5))",
    "=VLOOKUP($A5,'基础数据'!$A$2:$H$500,3,FALSE)&\"%d\"", "=#REF!+A1", "={1,2;3,4}", "=XFD1+A1048576",
])
@pytest.mark.parametrize("dest", [(6, 4), (9, 7), (7, 2), (1, 1), (3, 2), (10, 30)])
def test_shared_formula_translation_equals_openpyxl(formula, dest):
    origin = (6, 4)
    try:
        expected = Translator(formula, "D6").translate_formula(f"{openpyxl.utils.get_column_letter(dest[1])}{dest[0]}")
    except TranslatorError:
        with pytest.raises(ValueError):
            shared_formula(formula, origin, dest)
    else:
        assert shared_formula(formula, origin, dest) == expected


def _grid_pair(source, name: str):
    ws = _openpyxl(source, True)[name]
    return grid_from_worksheet(ws), grid_from_sheet(read_workbook(source, sheets=[name]).sheets[0])


def _assert_same_grid(expected, got, percent_difference: set = frozenset()) -> None:
    assert _strict(got.values) == _strict(expected.values)
    assert got.percent ^ expected.percent == set(percent_difference)
    assert sorted(got.merged) == sorted(expected.merged)
    assert (got.name, got.max_row, got.max_col) == (expected.name, expected.max_row, expected.max_col)


def test_grid_equals_grid_from_worksheet_handwritten(handwritten):
    _assert_same_grid(*_grid_pair(handwritten, "评分表"), percent_difference={(3, 5)})  # 0.0"%" is not a percent
    _assert_same_grid(*_grid_pair(handwritten, "Other sheet"))


def test_grid_equals_grid_from_worksheet_generated(generated):
    for name in ("评分表", "隐藏页", "深藏"):
        _assert_same_grid(*_grid_pair(generated, name), percent_difference={(13, 3)} if name == "评分表" else set())


@pytest.mark.parametrize("options", [{}, {"synonyms": True, "extra": ("seq", "criteria")}, {"title_rows": 4}])
def test_grid_equals_grid_from_worksheet_casebook(case_book, options):
    path = case_book("yantian_2024", **options)
    for name in _openpyxl(path, True).sheetnames:
        _assert_same_grid(*_grid_pair(path, name))


@pytest.mark.parametrize("name", ["大鹏_2024_人才发展专项资金.xlsx", "盐田_2024_人才发展专项资金.xlsx"])
def test_grid_equals_grid_from_worksheet_examples(name):
    path = ROOT / "examples" / name
    for sheet in _openpyxl(path, True).sheetnames:
        _assert_same_grid(*_grid_pair(path, sheet))


def test_only_requested_sheets_are_read(handwritten, monkeypatch):
    seen: list[str] = []
    original = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, pwd=None: seen.append(name) or original(
        self, name, pwd))
    data = read_workbook(handwritten, sheets=["Other sheet"])
    assert [s.name for s in data.sheets] == ["Other sheet"] and len(data.sheet_refs) == 3
    assert sorted(seen) == sorted(["_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/styles.xml",
                                   "xl/sharedStrings.xml", "xl/worksheets/sheet2.xml"])
    seen.clear()
    assert read_workbook(handwritten, sheets=[]).sheets == [] and "xl/sharedStrings.xml" not in seen


def test_a_broken_sheet_that_was_not_asked_for_does_not_matter():
    data = package([("好", "visible", SHEET3), ("坏", "visible", "<worksheet><sheetData><row r='1'><c r='A1'>")])
    assert read_workbook(data, sheets=["好"]).sheets[0].values == {}
    with pytest.raises(PackageError):
        read_workbook(data)


def test_path_and_bytes_agree_and_the_file_is_untouched(generated):
    before, stamp = generated.read_bytes(), generated.stat().st_mtime_ns
    assert read_workbook(generated) == read_workbook(before) == read_workbook(str(generated))
    assert generated.read_bytes() == before and generated.stat().st_mtime_ns == stamp


def test_shared_sheets_equal_copies(generated):
    """read_workbook(shared=True) hands out the kept containers themselves; they equal the copies, and a
    copy's change never reaches them."""
    from xlperf.workbook import xlsxread

    xlsxread._SHEETS.clear()
    shared = read_workbook(generated, shared=True)
    copied = read_workbook(generated)
    assert shared == copied
    for one, other in zip(shared.sheets, copied.sheets):
        assert one.values is not other.values and one.formulas is not other.formulas
        other.values.clear()
    assert read_workbook(generated, shared=True) == shared == read_workbook(generated)
    again = read_workbook(generated, shared=True)  # the kept containers themselves, not copies
    assert all(a.values is b.values for a, b in zip(again.sheets, shared.sheets))


def test_results_pickle(handwritten):
    data = read_workbook(handwritten)
    again = pickle.loads(pickle.dumps(data))
    assert again == data and isinstance(again.sheets[0].values[(3, 8)], CellError)
    assert again.sheets[0].is_percent(3, 4) and not again.sheets[0].is_locked(4, 5)


def test_vba_project_is_hashed():
    blob = b"\xd0\xcf\x11\xe0 fake vba project" * 10
    data = read_workbook(package([("A", "visible", SHEET3)], extra={"xl/vbaProject.bin": blob}))
    assert data.has_vba and data.vba_sha256 == hashlib.sha256(blob).hexdigest()


def test_date1904_is_honoured():
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" s="2"><v>1</v></c><c r="B1" s="2"><v>1462</v></c></row></sheetData></worksheet>'
    source = package([("A", "visible", sheet)], workbook_pr='<workbookPr date1904="1"/>')
    assert read_workbook(source).sheets[0].values == {(1, 1): dt.datetime(1904, 1, 2), (1, 2): dt.datetime(1908, 1, 2)}
    assert read_workbook(source).date1904
    assert_matches_openpyxl(source)


def test_missing_styles_and_strings_fall_back_to_defaults():
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" s="3"><v>1</v></c></row></sheetData></worksheet>'
    data = read_workbook(package([("A", "visible", sheet)], styles=None))
    assert data.sheets[0].values == {(1, 1): 1} and data.sheets[0].is_locked(1, 1) and not data.sheets[0].is_percent(1, 1)


def test_size_limit_raises_before_decompressing(monkeypatch):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 2**20))
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *a, **k: pytest.fail("decompressed"))
    with pytest.raises(PackageTooLarge) as caught:
        read_workbook(bomb.getvalue(), max_uncompressed=10 * 2**20)
    assert (caught.value.size, caught.value.limit) == (20 * 2**20, 10 * 2**20)
    assert isinstance(caught.value, PackageError) and "exceeds" in str(caught.value)
    again = pickle.loads(pickle.dumps(caught.value))
    assert (again.size, again.limit, str(again)) == (caught.value.size, caught.value.limit, str(caught.value))


def _sheet_with(cells: str) -> bytes:
    xml = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    return package([("A", "visible", xml)], ["x"])


def _corrupt_compressed(data: bytes) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + 5
    return data[:start] + bytes(b ^ 0x5A for b in data[start:start + 40]) + data[start + 40:]


@pytest.mark.parametrize("make", [
    lambda: b"", lambda: b"not a zip at all", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
    lambda: package(HANDWRITTEN, STRINGS)[:900],
    lambda: _corrupt_compressed(package(HANDWRITTEN, STRINGS)),
    lambda: package([("A", "visible", f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c>')]),
    lambda: _sheet_with('<c r="A1" t="s"><v>7</v></c>'),
    lambda: _sheet_with('<c r="A1"><v>abc</v></c>'),
    lambda: _sheet_with('<c r="1A"><v>1</v></c>'),
    lambda: _sheet_with('<c r="A1"><v>1</v><c r="B1"><v>2</v></c>'),  # an unclosed cell must not swallow the next
    lambda: package([("A", "visible", SHEET3)], ["a", "<t>b</t><si><t>c</t>"]),
    lambda: package([("A", "visible", SHEET3)], styles=STYLES.replace('<xf numFmtId="14" fontId="0" fillId="0" '
                                                                       'borderId="0" xfId="0"/>', '<xf numFmtId="14">')),
    lambda: package([("A", "visible", '<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>')]),
    lambda: package([("A", "visible", "<nothing/>")]),
    lambda: package([("A", "visible", SHEET3)], extra={"xl/workbook.xml": b"\xff\xfe\x00garbage"}),
])
def test_malformed_packages_raise_package_error(make):
    with pytest.raises(PackageError) as caught:
        read_workbook(make())
    assert not isinstance(caught.value, PackageTooLarge) and caught.value.detail


@pytest.mark.parametrize("payload", [
    '<row r="1">' + '<c r="A1"><v>1</v>' * 30000 + "</row>", "<row r='1'>" + '<c r="A1" s="1"' * 100000 + "</row>",
    "<!--" * 50000, '<row r="1"><c r="A1" t="inlineStr"><is>' + "<r><t>x</t>" * 30000 + "</row>",
])
def test_hostile_markup_fails_fast(payload):
    source = package([("A", "visible", f'<worksheet xmlns="{MAIN}"><sheetData>{payload}</sheetData></worksheet>')])
    start = time.perf_counter()
    with pytest.raises(PackageError):
        read_workbook(source)
    assert time.perf_counter() - start < 2


def test_missing_workbook_part_raises_package_error():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(PackageError, match="workbook"):
        read_workbook(out.getvalue())


def test_missing_path_raises_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_workbook(tmp_path / "nope.xlsx")


def test_covered_memo_as_the_pass_per_range(monkeypatch):
    """_covered through the memo of the ranges' cells equals the pass per range (taken past _MEMO_AREA)."""
    from tests.workbook.test_grid import random_merged
    from xlperf.workbook import xlsxread

    rnd = random.Random(7)
    for _ in range(2000):
        merged = random_merged(rnd)
        values = {(rnd.randint(1, 9), rnd.randint(1, 9)): 1 for _ in range(rnd.randint(0, 30))}
        memo = xlsxread._covered(merged, values)
        with monkeypatch.context() as patch:
            patch.setattr(xlsxread, "_MEMO_AREA", -10**9)
            assert xlsxread._covered(merged, values) == memo


def test_shared_strings_plain_entries_as_every_entry():
    """shared_strings' plain-entry shortcut gives what the per-entry path gives (entities, x005F_, runs)."""
    from xlperf.workbook.xlsxparts import _string, _string_patterns, shared_strings

    rnd = random.Random(5)
    bits = ["a", "文", " ", "&amp;", "&#120;005F_", "x005F_", "_x005F_x000D_", "&lt;", "1"]
    for _ in range(500):
        items = []
        for _ in range(rnd.randint(0, 6)):
            text = "".join(rnd.choice(bits) for _ in range(rnd.randint(0, 5)))
            items.append(rnd.choice([f"<si><t>{text}</t></si>", f"<si><r><t>{text}</t></r><r><t>b</t></r></si>",
                                     f'<si><t xml:space="preserve">{text}</t></si>', "<si/>"]))
        sst = f'<sst xmlns="{MAIN}">{"".join(items)}</sst>'
        entries = _string_patterns("")[0].findall(sst)
        assert shared_strings(sst) == [_string(plain, rest, "") for plain, rest in entries]
