"""The shared LibreOffice runner: many files in one process, colliding names kept apart, recalculation on load."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from xlperf import libreoffice

pytestmark = pytest.mark.skipif(libreoffice.soffice() is None, reason=libreoffice.INSTALL_HINT)


def _book(path, value, formula=None, cached=None):
    wb = Workbook()
    wb.active["A1"] = value
    if formula:
        wb.active["B1"] = formula
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def test_same_names_in_two_folders_keep_their_own_outputs(tmp_path):
    first = _book(tmp_path / "a" / "x.xlsx", 1)
    second = _book(tmp_path / "b" / "x.xlsx", 2)
    done = libreoffice.convert([first, second], tmp_path / "out", "csv", timeout=180)
    assert not done.timed_out
    texts = [done.output(p).read_text().strip() for p in (first, second)]
    assert texts == ["1", "2"]


def _stale(path):
    """A workbook as Excel saves one, whose B1 =A1*2 caches a stale 7."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_number("A1", 21)
    sheet.write_formula("B1", "=A1*2", None, 7)
    book.close()
    return path


@pytest.mark.parametrize("recalc, expected", [(True, 42), (False, 7)])
def test_recalc_profile_recomputes_formulas(tmp_path, recalc, expected):
    src = _stale(tmp_path / "f.xlsx")
    done = libreoffice.convert([src], tmp_path / "out", "xlsx", recalc=recalc, timeout=180)
    book = load_workbook(done.output(src), data_only=True)
    assert book.active["B1"].value == expected


def test_missing_output_is_none(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    done = libreoffice.convert([bad], tmp_path / "out", "csv", timeout=180)
    assert done.output(bad) is None
