"""Cell styles and sheet-level settings (validation, print setup, protection) shared by the template builder."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
OFF_FILL = PatternFill("solid", fgColor="E7E6E6")
# Conditional-format fills carry the colour as both fg and bg: Excel reads a differential fill's bgColor,
# LibreOffice and WPS its fgColor.
ALERT_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
NOTICE_FILL = PatternFill("solid", fgColor="FCE4D6", bgColor="FCE4D6")


class FitRow(RowDimension):
    """A row height written without ``customHeight``: Excel and WPS show it but refit the row when a cell is
    edited, and LibreOffice computes the row's optimal height on load, so a long 扣分说明 typed later is
    printed whole (openpyxl marks every height it writes as custom)."""

    @property
    def customHeight(self) -> bool:  # noqa: N802 - openpyxl's attribute name
        return False


def fit_height(ws: Any, row: int, height: float) -> None:
    """Give ``row`` a starting height that the spreadsheet may grow to fit wrapped text."""
    ws.row_dimensions[row] = FitRow(ws, index=row, ht=height)


def hide_repeats(ws: Any, first: int, last: int) -> None:
    """Show a level name only where it changes (font as the background), as merged cells would."""
    ws.conditional_formatting.add(f"A{first}:A{last}", FormulaRule(formula=[f"A{first}=A{first - 1}"],
                                                                   font=Font(color="FFFFFF")))
    ws.conditional_formatting.add(f"B{first}:B{last}", FormulaRule(
        formula=[f"AND($A{first}=$A{first - 1},B{first}=B{first - 1})"], font=Font(color="FFFFFF")))


def put(ws: Any, ref: str, value: Any = None, *, fmt: str | None = None, bold: bool = False, wrap: bool = False,
         fill: PatternFill | None = None, entry: bool = False, border: bool = True, font: Font | None = None,
         center: bool = False) -> Any:
    """Write one cell with its style; ``entry`` makes it an unlocked, yellow input cell."""
    cell = ws[ref]
    if value is not None:
        cell.value = value
    if fmt:
        cell.number_format = fmt
    cell.font = font or Font(bold=bold, size=10)
    cell.alignment = Alignment(horizontal="center" if center else None, vertical="center", wrap_text=wrap)
    if border:
        cell.border = BORDER
    if entry:
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL
    elif fill is not None:
        cell.fill = fill
    return cell


def number(value: Decimal) -> int | float:
    """A weight as int when whole, else float (so it reads back the same)."""
    return int(value) if value == value.to_integral_value() else float(value)


def text_lines(text: str, width: float, size: float = 10) -> int:
    """Lines a text needs in a wrapped column of ``width`` (a CJK character is about 1.6 width units at 10 pt)."""
    units = sum(1.6 if ord(ch) > 0x2E7F else 1.0 for ch in text) * size / 10
    return max(1, math.ceil(units / max(1.0, width)))


def print_setup(ws: Any, area: str, titles: str | None = None) -> None:
    """A4 landscape, one page wide, print area and title rows."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.print_options.horizontalCentered = True
    ws.print_area = area
    if titles:
        ws.print_title_rows = titles


def protect(ws: Any) -> None:
    """Protect a sheet without a password."""
    ws.protection.sheet = True  # no password; selecting cells and resizing rows/columns stay allowed
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def validation(ws: Any, sqref: str, kind: str, formula1: str, formula2: str | None = None, *, operator: str | None = None,
                prompt: str = "", error: str = "", style: str = "stop") -> None:
    """Add one data validation over ``sqref`` (space-separated cells or ranges allowed)."""
    dv = DataValidation(type=kind, formula1=formula1, formula2=formula2, operator=operator, allow_blank=True,
                        showErrorMessage=True, showInputMessage=bool(prompt), errorStyle=style,
                        promptTitle="填写说明" if prompt else None, prompt=prompt or None,
                        errorTitle="输入有误" if style == "stop" else "提示", error=error or None)
    for ref in sqref.split():
        dv.add(ref)
    ws.add_data_validation(dv)
