"""Two ways a bureau writes a workbook, behind one small interface: xlsxwriter and openpyxl.

A layout (``layouts.py``) writes every cell through ``put`` and ``merge``; ``overrides`` replace what
a given cell receives, so a defect (a formula typed over, a weight edited) is written by the same
library as the rest of the file, the way a unit's edit ends up in the file its program saves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

Overrides = dict[tuple[str, str], Any]  # (sheet, A1) → what the cell holds instead

STYLES = ("title", "head", "text", "num", "pct", "score", "wrap")


class Book:
    """The interface the layouts write through."""

    def __init__(self, overrides: Overrides | None = None):
        self.overrides = dict(overrides or {})

    def value(self, sheet: str, ref: str, value: Any) -> Any:
        return self.overrides.get((sheet, ref), value)

    def sheet(self, name: str) -> None:
        raise NotImplementedError

    def put(self, sheet: str, ref: str, value: Any, style: str = "text") -> None:
        raise NotImplementedError

    def merge(self, sheet: str, area: str, value: Any, style: str = "text") -> None:
        raise NotImplementedError

    def width(self, sheet: str, column: str, width: float) -> None:
        raise NotImplementedError

    def save(self, path: Path) -> Path:
        raise NotImplementedError


class XlsxWriterBook(Book):
    """xlsxwriter: formats made once per style; formulas written with ``write`` (a leading '=')."""

    def __init__(self, overrides: Overrides | None = None):
        import xlsxwriter

        super().__init__(overrides)
        self._wb = xlsxwriter.Workbook("pending.xlsx", {"strings_to_numbers": False})  # named on save
        border = {"border": 1, "valign": "vcenter"}
        self._formats = {
            "title": self._wb.add_format({"bold": True, "font_size": 14, "align": "center"}),
            "head": self._wb.add_format({**border, "bold": True, "align": "center", "bg_color": "#DDEBF7",
                                         "text_wrap": True}),
            "text": self._wb.add_format(border),
            "wrap": self._wb.add_format({**border, "text_wrap": True}),
            "num": self._wb.add_format({**border, "num_format": "0.00"}),
            "score": self._wb.add_format({**border, "num_format": "0.00"}),
            "pct": self._wb.add_format({**border, "num_format": "0.00%"}),
        }
        self._sheets: dict[str, Any] = {}

    def sheet(self, name: str) -> None:
        self._sheets[name] = self._wb.add_worksheet(name)

    def put(self, sheet: str, ref: str, value: Any, style: str = "text") -> None:
        value = self.value(sheet, ref, value)
        ws, fmt = self._sheets[sheet], self._formats[style]
        if value is None:
            ws.write_blank(ref, None, fmt)
        elif isinstance(value, str) and value.startswith("="):
            ws.write_formula(ref, value, fmt)
        else:
            ws.write(ref, value, fmt)

    def merge(self, sheet: str, area: str, value: Any, style: str = "text") -> None:
        first = area.split(":")[0]
        value = self.value(sheet, first, value)
        self._sheets[sheet].merge_range(area, "" if value is None else value, self._formats[style])

    def width(self, sheet: str, column: str, width: float) -> None:
        self._sheets[sheet].set_column(f"{column}:{column}", width)

    def save(self, path: Path) -> Path:
        self._wb.filename = str(path)
        self._wb.close()
        return path


class OpenpyxlBook(Book):
    """openpyxl: number formats, borders and bold headers set cell by cell."""

    def __init__(self, overrides: Overrides | None = None):
        import openpyxl

        super().__init__(overrides)
        self._wb = openpyxl.Workbook()
        self._wb.remove(self._wb.active)

    def sheet(self, name: str) -> None:
        self._wb.create_sheet(name)

    def _style(self, cell: Any, style: str) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        if style == "title":
            cell.font = Font(bold=True, size=14)
            cell.alignment = Alignment(horizontal="center")
            return
        thin = Side(style="thin")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        cell.alignment = Alignment(vertical="center", wrap_text=style in ("head", "wrap"))
        if style == "head":
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.number_format = {"num": "0.00", "score": "0.00", "pct": "0.00%"}.get(style, "General")

    def put(self, sheet: str, ref: str, value: Any, style: str = "text") -> None:
        cell = self._wb[sheet][ref]
        cell.value = self.value(sheet, ref, value)
        self._style(cell, style)

    def merge(self, sheet: str, area: str, value: Any, style: str = "text") -> None:
        first = area.split(":")[0]
        self.put(sheet, first, value, style)
        self._wb[sheet].merge_cells(area)

    def width(self, sheet: str, column: str, width: float) -> None:
        self._wb[sheet].column_dimensions[column].width = width

    def save(self, path: Path) -> Path:
        self._wb.save(path)
        return path


LIBRARIES = {"xlsxwriter": XlsxWriterBook, "openpyxl": OpenpyxlBook}
