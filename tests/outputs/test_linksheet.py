"""The 汇总's worksheet and workbook classes write exactly what xlsxwriter's own write: formulas, rows, packages."""

from __future__ import annotations

import random

import pytest
from xlsxwriter.worksheet import Worksheet

from xlperf.outputs.linksheet import LinkSheet
from xlperf.outputs.summary_style import link_formula

NAMES = ["报告.xlsx", "报告(1).xlsx", "a(b).xlsx", "x FILTER(y).xlsx", "SORT(", "=SUM(A1)", "_xlfn.SORT(a)",
         "SINGLE(", "xSINGLE(z", "{a}", "a}", "{", "it's \"quoted\".xlsx", "a#b%c.xlsx", "XLOOKUP(", "sort(", "ÄSORT(",
         "项目SORT(1)", "x.LAMBDA(", "LOG10(", "1(2", "_(", ".(", " (", "HYPERLINK(", "", "副本（2）.xlsx"]


def _formulas(seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(300):
        name = "".join(rng.choice(NAMES) for _ in range(rng.randint(1, 3)))
        sheet = rng.choice((None, "评分表", "Sheet(1)", "FILTER(x)"))
        formula = link_formula(f"/data/{rng.choice(NAMES)}/{name}", "/data/out", name or "x", sheet, "B4" if sheet else None)
        out.append(formula or "=HYPERLINK(\"a\",\"b\")")
        out.append(rng.choice(("=", "{=", "", "=HYPERLINK(")) + name + rng.choice(("", "}", ")")))
    return out


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("future", (False, True))
@pytest.mark.parametrize("expand", (False, True))
def test_formulas_are_prepared_as_the_library_prepares_them(seed, future, expand):
    ours, theirs = LinkSheet(), Worksheet()
    ours.use_future_functions = theirs.use_future_functions = future
    for formula in _formulas(seed):
        if formula:
            assert ours._prepare_formula(formula, expand) == theirs._prepare_formula(formula, expand), formula


def test_a_plain_link_takes_the_quick_way(monkeypatch):
    def library(*args):
        raise AssertionError("the library's way")
    monkeypatch.setattr(Worksheet, "_prepare_formula", library)
    assert LinkSheet()._prepare_formula('=HYPERLINK("a/报告.xlsx","报告.xlsx")') == 'HYPERLINK("a/报告.xlsx","报告.xlsx")'


@pytest.mark.parametrize("start", ["/data/out", "/data", "/", "/data/a", "/data/a/b/c", "out", ".", "..", "/data/a/x.xlsx/sub"])
def test_relative_paths_are_those_of_relpath(start):
    import os

    from xlperf.outputs.summary_style import relative_path

    for path in ("/data/a/x.xlsx", "/data/out/x.xlsx", "/x.xlsx", "/data/a/b/c/d.xlsx", "x.xlsx", "a/../y.xlsx",
                 "../z.xlsx", "/data/a/x.xlsx/", "/data//a/./w.xlsx", "/data/a"):
        assert relative_path(path, start) == os.path.relpath(os.path.abspath(path), os.path.abspath(start)), (path, start)


TEXTS = ["报告", "a & <b> \"q\"", " lead", "trail ", "\ttab", "line\nbreak", "_x0041_", "ctl\x01", "\ufffe", "<r>x</r>",
         "<r>", "", "'=SUM(A1)", "x" * 300, "&amp;", "a>b", "\u3000全角空格", "😀"]


def _cells(seed: int):
    """Rows of cells of every kind the 汇总 writes and some it does not, formatted and not."""
    from xlsxwriter.format import Format

    rng = random.Random(seed)
    formats = [Format({}, {}, {}) for _ in range(3)] + [None]
    for row in range(40):
        cells = []
        for col in sorted(rng.sample(range(14), rng.randint(1, 8))):
            fmt, kind = rng.choice(formats), rng.randrange(6)
            if kind == 0:
                cells.append((col, "string", rng.choice(TEXTS) + rng.choice(TEXTS), fmt))
            elif kind == 1:
                cells.append((col, "number", rng.choice((0, 7, -3, 1234.5678, 1e20, 1e-9, 2.5, 10**15 + 1, 0.1 + 0.2)), fmt))
            elif kind == 2:
                value = rng.choice(("报告.xlsx", "a<b>&c", "", "#N/A", "#REF!", 0, 1.5, True, " x "))
                cells.append((col, "formula", '=HYPERLINK("a/' + rng.choice(TEXTS) + '","b")', fmt, value))
            elif kind == 3:
                cells.append((col, "blank", None, fmt))
            elif kind == 4:
                cells.append((col, "boolean", rng.random() < 0.5, fmt))
            else:
                cells.append((col, "formula", "=SUM(A1:A3)", fmt))
        yield row, rng.choice((None, 30.5, 15)), cells


@pytest.mark.parametrize("seed", range(6))
def test_rows_are_written_as_the_library_writes_them(seed):
    """The quick row writer against the library's own, cell by cell, on varied cells and row heights."""
    from io import StringIO

    written = []
    for cls in (LinkSheet, Worksheet):
        sheet = cls()
        sheet.constant_memory = True
        sheet.fh = StringIO()
        for row, height, cells in _cells(seed):
            if height:
                sheet.set_row(row, height)
            for col, kind, *args in cells:
                getattr(sheet, "write_" + kind)(row, col, *args)
        sheet._write_single_row()
        written.append(sheet.fh.getvalue())
    assert written[0] == written[1]
    assert LinkSheet.quick


def test_the_quick_row_writer_stands_aside_where_the_library_writes_otherwise(monkeypatch):
    from io import StringIO

    from xlperf.outputs import linksheet

    monkeypatch.setattr(LinkSheet, "quick", None)
    monkeypatch.setattr(linksheet, "cell_xml", lambda ref, cell: "<c/>")  # another library version, say
    sheet = LinkSheet()
    sheet.constant_memory = True
    sheet.fh = StringIO()
    sheet.write_string(0, 0, "a")
    sheet.write_string(1, 0, "b")
    sheet._write_single_row()
    assert LinkSheet.quick is False and "<c/>" not in sheet.fh.getvalue()


def test_the_summary_workbook_writes_what_the_library_writes(tmp_path):
    """Its temporary files made anew change nothing in the workbook, and none is left behind."""
    import zipfile

    import xlsxwriter

    from xlperf.outputs.linksheet import SummaryWorkbook

    parts = []
    for cls in (xlsxwriter.Workbook, SummaryWorkbook):
        folder = tmp_path / cls.__name__
        folder.mkdir()
        book = cls(str(folder / "book.xlsx"), {"constant_memory": True, "tmpdir": str(folder)})
        fmt = book.add_format({"bold": True})
        for name in ("一", "二"):
            sheet = book.add_worksheet(name, worksheet_class=LinkSheet)
            for row in range(300):
                sheet.write_string(row, 0, f"第{row}行 & <x>", fmt)
                sheet.write_number(row, 1, row / 7)
                sheet.write_formula(row, 2, '=HYPERLINK("a.xlsx","a")', fmt, "a")
        chart = book.add_chart({"type": "column"})
        chart.add_series({"values": ["一", 0, 1, 9, 1]})
        book.worksheets()[1].insert_chart(1, 3, chart)
        book.close()
        with zipfile.ZipFile(folder / "book.xlsx") as package:
            parts.append({name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"})
        assert [p.name for p in folder.iterdir()] == ["book.xlsx"]
    assert parts[0] == parts[1]


def test_leading_or_trailing_space_is_told_as_the_library_tells_it():
    from xlsxwriter.utility import _preserve_whitespace

    for code in range(0x10000):
        for text in (chr(code), "a" + chr(code), chr(code) + "a\n", "a" + chr(code) + "\n"):
            assert bool(_preserve_whitespace(text)) == (text[:1].isspace() or text[-1:].isspace()), hex(code)


@pytest.mark.parametrize("seed", range(6))
def test_a_row_written_at_once_is_what_cell_by_cell_writes_make(seed):
    """write_cells against the library's write_string, write_number, write_blank and write_formula."""
    from io import StringIO

    from xlsxwriter.format import Format

    rng = random.Random(seed)
    fmt = Format({}, {}, {})
    rows = []
    for row in sorted(rng.sample(range(1, 60), 30)) + [rng.choice((-1, 1048576, 3))]:  # out of bounds, written
        cells = []
        for _ in range(rng.randint(1, 9)):
            kind = rng.choice("snbf")
            value = {"s": rng.choice(TEXTS) + rng.choice(TEXTS), "b": None, "f": ('=HYPERLINK("a","b")', "b"),
                     "n": rng.choice((1, 2.5, -7, float("inf"), float("nan"), 10**20, True))}[kind]
            cells.append((kind, value, rng.choice((fmt, fmt, None))))
        rows.append((row, rng.choice((0, 2, 16383)), cells))
    written = []
    for quick in (True, False):
        sheet = LinkSheet()
        sheet.constant_memory, sheet.fh, sheet.nan_inf_to_errors = True, StringIO(), True
        for row, first, cells in rows:
            if quick:
                sheet.write_cells(row, first, cells)
                continue
            library = {"s": sheet.write_string, "n": sheet.write_number,
                       "b": lambda r, c, _, f: sheet.write_blank(r, c, None, f),
                       "f": lambda r, c, v, f: sheet.write_formula(r, c, v[0], f, v[1])}
            for col, (kind, value, fmt_) in enumerate(cells, first):
                library[kind](row, col, value, fmt_)
        sheet._write_single_row()
        written.append((sheet.fh.getvalue(), sheet.dim_rowmin, sheet.dim_rowmax, sheet.dim_colmin, sheet.dim_colmax))
    assert written[0] == written[1]
