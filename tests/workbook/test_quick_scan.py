"""The quick cell pass (cells kept by their text) reads every sheet exactly as the regular scan does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workbook.test_xlsxread import HANDWRITTEN, MAIN, STRINGS, package
from xlperf.workbook import cellscan, xlsxread
from xlperf.workbook.xlsxread import PackageError, read_workbook

ROOT = Path(__file__).resolve().parents[2]


def _dump(source) -> object:
    try:
        book = read_workbook(source)
    except PackageError as exc:
        return "error", exc.detail
    return [(s.name, s.values, [(p, type(v), repr(v)) for p, v in s.values.items()], s.formulas, s.styles,
             s.array_refs, s.merged, s.max_row, s.max_col, s.protected, s.dimension) for s in book.sheets]


def _both(source, monkeypatch) -> tuple[object, object]:
    xlsxread._SHEETS.clear()
    cellscan._CELLS.clear()
    quick = _dump(source)
    again = _dump(source if not isinstance(source, bytes) else bytes(source))  # cells now from the memo
    xlsxread._SHEETS.clear()
    with monkeypatch.context() as patch:
        patch.setattr(xlsxread, "quick_scan", lambda *args: False)
        regular = _dump(source)
    xlsxread._SHEETS.clear()
    assert quick == again
    return quick, regular


def test_handwritten_package(monkeypatch):
    quick, regular = _both(package(HANDWRITTEN, STRINGS), monkeypatch)
    assert quick == regular


@pytest.mark.parametrize("name", ["大鹏_2024_人才发展专项资金.xlsx", "盐田_2024_人才发展专项资金.xlsx"])
def test_example_workbooks(name, monkeypatch):
    quick, regular = _both(ROOT / "examples" / name, monkeypatch)
    assert quick == regular


CELLS = st.sampled_from([
    '<c r="{ref}"><v>42</v></c>', '<c r="{ref}" s="1"><v>0.25</v></c>', '<c r="{ref}" s="2"><v>45352</v></c>',
    '<c r="{ref}" s="4"><v>1.5</v></c>', '<c r="{ref}" t="n"><v>1E3</v></c>', '<c r="{ref}" t="s"><v>1</v></c>',
    '<c r="{ref}" t="s"><v>99</v></c>', '<c r="{ref}" t="s"><v>x</v></c>', '<c r="{ref}" t="b"><v>1</v></c>',
    '<c r="{ref}" t="e"><v>#N/A</v></c>', '<c r="{ref}" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>',
    '<c r="{ref}" t="inlineStr"><is><t>内联 &amp; 文本</t></is></c>', '<c r="{ref}" t="inlineStr"/>',
    '<c r="{ref}" s="3" t="n" />', '<c r="{ref}"><f>SUM(A1:A2)</f><v>3</v></c>', '<c r="{ref}"><v></v></c>',
    '<c r="{ref}" s="0"><v>-0.0</v></c>', '<c r="{ref}"><v>abc</v></c>', '<c r="{ref}" cm="1"><v>1</v></c>',
    '<c r="{ref}"><f t="shared" ref="{ref}" si="0">A1+1</f><v>2</v></c>', '<c r="{ref}"><f t="shared" si="0"/></c>',
    '<c r="{ref}" t="inlineStr"><is><r><t>A</t></r><r><t>B</t></r></is></c>', '<c s="1"><v>5</v></c>',
    '<c r="{ref}" t="d"><v>2024-03-01T00:00:00</v></c>', '<c\n r="{ref}"><v>7</v></c>',
    '<c r="{ref}"><f aca="false">A1</f><v>1</v></c>', '<c r="{ref}" t="str"><f>A1</f><v>x&lt;y</v></c>',
    '<c/>', '<c r="{ref}"/><c<c r="{ref}"/>', '<c>\n</c>', '<c\tr="{ref}"><v>8</v></c>',  # "<c" not followed by a space
])


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.tuples(st.integers(1, 6), st.integers(1, 5), CELLS), max_size=14))
def test_generated_sheets(cells, monkeypatch_session):
    rows: dict[int, list[str]] = {}
    for row, col, cell in cells:
        rows.setdefault(row, []).append(cell.format(ref=f"{'ABCDE'[col - 1]}{row}"))
    data = "".join(f'<row r="{r}">{"".join(found)}</row>' for r, found in sorted(rows.items()))
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{data}</sheetData></worksheet>'
    source = package([("表", "visible", sheet)], STRINGS)
    quick, regular = _both(source, monkeypatch_session)
    assert quick == regular


@pytest.fixture(scope="module")
def monkeypatch_session():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.tuples(st.integers(1, 6), st.integers(1, 5), CELLS), min_size=4, max_size=14))
def test_small_memo_generations(cells, monkeypatch_session):
    """A memo of two cells per generation: texts move between the generations, the cells stay the same."""
    monkeypatch_session.setattr(cellscan, "_MAX_CELLS", 2)
    test_generated_sheets.hypothesis.inner_test(cells, monkeypatch_session)
    monkeypatch_session.setattr(cellscan, "_MAX_CELLS", 4096)


@pytest.mark.parametrize("row", [
    '<c r="A1" t="s"><v>0</v></c><c r="A1"><v>5</v></c>', '<c r="A1"><v>5</v></c><c r="A1" t="s"><v>1</v></c>',
    '<c r="A1" t="s"><v>0</v></c><c r="B1" s="1"/><c r="A1" t="s"><v>1</v></c><c r="A1" t="inlineStr"><is><t>x</t></is></c>',
])
def test_a_place_given_twice(row, monkeypatch):
    """The later cell at one place wins, shared strings or not, in the place of the first."""
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{row}</row></sheetData></worksheet>'
    quick, regular = _both(package([("表", "visible", sheet)], STRINGS), monkeypatch)
    assert quick == regular


@pytest.mark.parametrize("data", [
    '<row r="1"><c r="A1"><v>1</v></c></row></sheetData><sheetData><row r="2"><c r="A2"><v>2</v></c></row>',
    '</sheetData><sheetData><row r="1"><c r="A1"><v>1</v></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells>'
    '<sheetData><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>2</v></c></row></sheetData><sheetData>',
    '<row r="1"><c r="A1"><v>1</v></c></row></sheetData ><sheetData><row r="2"><c r="A2"><v>2</v></c></row>',
])
def test_more_than_one_sheet_data_end(data, monkeypatch):
    """The cells end at the first </sheetData> (found from the end, then checked), quick scan or not."""
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{data}</sheetData></worksheet>'
    quick, regular = _both(package([("表", "visible", sheet)], STRINGS), monkeypatch)
    assert quick == regular
    first = sheet[:sheet.index("</sheetData>")]
    assert sorted(quick[0][1]) == sorted((int(r), ord(c) - 64) for c, r in
                                         re.findall(r'<c r="([A-Z])(\d+)"', first))


@settings(max_examples=200, deadline=None)
@given(first=st.characters().filter(lambda c: c != " "), rest=st.sampled_from(
    ['r="A1"><v>1</v></c>', ' r="A1"><v>1</v></c>', 'r="A1" t="s"><v>0</v></c>', '/>', '>', '', ':c r="A1"/>']))
def test_a_piece_without_a_leading_space_is_not_plain(first, rest):
    """quick_scan leaves every piece's first character unchecked: such a piece's record must be False."""
    for p in ("", "x:"):
        from xlperf.workbook.sheetcells import sheet_patterns

        pattern = cellscan._cell_pattern(sheet_patterns(p)[0])
        assert cellscan._parse(pattern, p, first + rest) is False
    assert cellscan._parse(cellscan._cell_pattern(sheet_patterns("")[0]), "", ' r="A1"><v>1</v></c>')


def test_long_cell_texts_and_many_prefixes_are_read_but_not_kept(monkeypatch):
    """A sheet's long cells are read as the regular scan reads them, and never kept; nor are more prefixes."""
    long_text = "长" * 5000
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}"><sheetData>'
           f'<row r="1"><c r="A1" t="inlineStr"><is><t>{long_text}</t></is></c><c r="B1"><v>2</v></c></row>'
           f'<row r="2"><c r="A2"><f>{"+".join(["B1"] * 1500)}</f><v>3000</v></c></row></sheetData></worksheet>')
    quick, regular = _both(package([("S", "visible", xml)]), monkeypatch)
    assert quick == regular and quick[0][1][(1, 1)] == long_text
    assert all(len(piece) <= cellscan._MAX_PIECE for gens in cellscan._CELLS.values() for gen in gens for piece in gen)
    cellscan._CELLS.clear()
    cellscan._CELLS.update({f"p{i}:": [{}, {}] for i in range(cellscan._MAX_PREFIXES)})  # others' prefixes
    _dump(package(HANDWRITTEN, STRINGS))  # its own prefixes ("" and "x:") come after them
    assert "p0:" not in cellscan._CELLS and "" in cellscan._CELLS and len(cellscan._CELLS) <= cellscan._MAX_PREFIXES
