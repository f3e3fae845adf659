"""The worksheet and workbook classes of the 汇总: xlsxwriter's, with quicker ways through the worksheet's
formula preparation for the links and its writing of a finished row, and temporary files (a sheet's rows,
the parts the workbook zips) created by their writers rather than made empty first (``SummaryWorkbook``).

xlsxwriter prepares every formula with about thirty ``re.sub`` calls, one per dynamic-array function it
prefixes with ``_xlfn.``; for the 汇总's ``=HYPERLINK("…","…")`` links (1 437 for the bureau corpus' 1 000 files) writing
the outputs took 210 ms of CPU with them, 140 ms without. Every one of those patterns
ends in a function name's last character and ``(``, so a formula whose only such pair is its opening
``HYPERLINK(`` is returned as the library would return it, its leading ``=`` removed; any other formula
takes the library's own way.

In ``constant_memory`` mode the library writes each row when the next one begins, a cell at a time through
its generic XML helpers (about 4 µs a cell: attribute lists, a regular expression per attribute and text, a
file write per cell). The 汇总's cells are formatted texts, numbers, links and blanks; ``_write_single_row``
writes such a cell's XML, exactly as the library's ``_write_cell`` would, in one string per row (the 汇总 of
the bureau corpus, about 15 000 cells: SummaryBook.add 108 → 68 ms CPU). A cell of any other kind, without a
format, or whose text needs the library's escapes (control characters, ``_xHHHH_``, ``<r>…</r>``) is written
by the library; so is every cell where the library's own XML for a probe of sample cells differs from this
module's (another xlsxwriter version).
"""

from __future__ import annotations

import os
import re
from math import isfinite
from io import StringIO
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import (CellBlankTuple, CellFormulaTuple, CellNumberTuple, CellStringTuple,
                                  Worksheet)

_LINK = "=HYPERLINK("
_CALL = re.compile(r"[\w.]\(", re.ASCII)  # a name's last character and "(": where the library may insert "_xlfn."
_ESCAPED = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")  # what the library rewrites in a text
_ERRORS = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
_COLUMNS: dict[int, str] = {}


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell_xml(ref: str, cell: Any) -> str | None:
    """The ``<c>`` element the library writes for ``cell`` at ``ref`` in constant_memory mode (inline
    strings), or None where only the library's own way is sure to write it."""
    fmt, kind = cell.format, cell.__class__
    if fmt is None:
        return None
    head = f'<c r="{ref}" s="{fmt._get_xf_index()}"'
    if kind is CellStringTuple:
        text = cell.string
        if _ESCAPED.search(text) or (text.startswith("<r>") and text.endswith("</r>")):
            return None
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""  # _preserve_whitespace
        return f'{head} t="inlineStr"><is><t{space}>{_xml(text)}</t></is></c>'
    if kind is CellNumberTuple:
        return f"{head}><v>{cell.number:.16G}</v></c>"
    if kind is CellFormulaTuple:
        value = cell.value
        if value.__class__ is not str or value == "" or value in _ERRORS:
            return None
        return f'{head} t="str"><f>{_xml(cell.formula)}</f><v>{_xml(value)}</v></c>'
    if kind is CellBlankTuple:
        return head + "/>"
    return None


def _agrees() -> bool:
    """Whether the library writes the probe cells as ``cell_xml`` does (checked once per process)."""
    fmt = Format({}, {}, {})
    probe = [CellStringTuple("a & <b> 中文", fmt), CellStringTuple(" lead", fmt), CellNumberTuple(1234.5678, fmt),
             CellNumberTuple(7, fmt), CellFormulaTuple('HYPERLINK("a&b.xlsx","a<b>")', fmt, "a<b>"),
             CellBlankTuple(fmt)]
    sheet = Worksheet()
    sheet.constant_memory = True
    sheet.fh = StringIO()
    for col, cell in enumerate(probe):
        sheet._write_cell(4, col, cell)
    return sheet.fh.getvalue() == "".join(cell_xml(xl_col_to_name(col) + "5", cell) or "?"
                                          for col, cell in enumerate(probe))


class LinkSheet(Worksheet):
    """An xlsxwriter worksheet that prepares a plain HYPERLINK formula without the library's substitutions,
    writes a finished row's usual cells in one piece, and creates its temporary row file anew (see
    ``SummaryWorkbook``)."""

    quick: bool | None = None  # cell_xml agrees with the library (None: not probed yet)

    def _prepare_formula(self, formula, expand_future_functions=False):  # type: ignore[no-untyped-def]
        if (formula.startswith(_LINK) and not formula.endswith("}") and not self.use_future_functions
                and not expand_future_functions and not _CALL.search(formula, len(_LINK))):
            return formula[1:]
        return super()._prepare_formula(formula, expand_future_functions)

    def _initialize(self, init_data: dict) -> None:
        super()._initialize(init_data)
        if self.constant_memory and self.row_data_filename and init_data.get("tmpdir"):
            self.row_data_fh.close()  # the library's, made empty and opened again for writing: made anew
            os.unlink(self.row_data_filename)
            fd = os.open(self.row_data_filename, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            self.row_data_fh = self.fh = open(fd, "w+", encoding="utf-8")

    def write_cells(self, row: int, first: int, cells: list[tuple[str, Any, Any]]) -> None:
        """Write a row's cells from column ``first`` on, each ``(kind, value, format)``: "s" a text, "n" a number,
        "f" a formula with its value (``(formula, value)``), "b" a blank. A text, number or blank is stored
        as ``write_string``, ``write_number`` and ``write_blank`` store it, in constant_memory mode, without
        their argument conversion and dispatch (the 汇总 of the bureau corpus: written in 52 → 44 ms); a
        formula, and any cell those calls would treat otherwise (a text past half the length limit, a number
        not finite), takes them."""
        half, table = self.xls_strmax // 2, self.table
        for col, (kind, value, fmt) in enumerate(cells, first):
            if kind == "s" and len(value) <= half:
                cell = CellStringTuple(value, fmt)
            elif kind == "n" and value.__class__ in (int, float) and isfinite(value):
                cell = CellNumberTuple(value, fmt)
            elif kind == "b" and fmt is not None:
                cell = CellBlankTuple(fmt)
            else:
                cell = None
            if cell is not None and self.constant_memory:
                if self._check_dimensions(row, col):
                    continue
                if row > self.previous_row:
                    self._write_single_row(row)
                table[row][col] = cell
            elif kind == "s":
                self._write_string(row, col, value, fmt)
            elif kind == "n":
                self._write_number(row, col, value, fmt)
            elif kind == "b":
                self._write_blank(row, col, None, fmt)
            else:
                self._write_formula(row, col, value[0], fmt, value[1])

    def _write_single_row(self, current_row_num: int = 0) -> None:
        """The library's, but the cells of the row as ``cell_xml`` writes them, in one write."""
        cells = self.table.get(self.previous_row)
        if LinkSheet.quick is None:
            LinkSheet.quick = _agrees()
        if not cells or not self.constant_memory or not LinkSheet.quick:
            super()._write_single_row(current_row_num)
            return
        row_num, self.previous_row = self.previous_row, current_row_num
        self._write_row(row_num, None, self.row_info.get(row_num))
        row, parts = str(row_num + 1), []
        for col_num in range(self.dim_colmin, self.dim_colmax + 1):
            cell = cells.get(col_num)
            if cell is None:
                continue
            name = _COLUMNS.get(col_num) or _COLUMNS.setdefault(col_num, xl_col_to_name(col_num))
            xml = cell_xml(name + row, cell)
            if xml is None:  # the library's way, in its place in the row
                self.fh.write("".join(parts))
                parts = []
                self._write_cell(row_num, col_num, cell)
            else:
                parts.append(xml)
        parts.append("</row>")
        self.fh.write("".join(parts))
        self.table.clear()


class _Packager(Packager):
    """The library's packager, its temporary parts made anew by their writers (see ``SummaryWorkbook``)."""

    def _filename(self, xml_filename):  # type: ignore[no-untyped-def]
        name = super()._filename(xml_filename)
        if isinstance(name, str) and self.tmpdir:  # an empty file in the workbook's own temporary folder
            os.unlink(name)
        return name


class SummaryWorkbook(Workbook):
    """An xlsxwriter workbook whose temporary files (a sheet's rows in ``constant_memory`` mode, the parts it
    zips) are created by their writers rather than made empty first and truncated: ext4 writes a file
    truncated to nothing and written again to disk when it is closed, and removing such a file waits for
    that write (about 3.5 ms each on the bench machine, 20 files: SummaryBook.close took 106–130 ms of wall
    time for the bureau corpus, 29–33 ms so).
    What is written is the library's."""

    def _get_packager(self) -> Packager:
        return _Packager()
