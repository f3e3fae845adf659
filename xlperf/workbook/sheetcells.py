"""The regex scan of a worksheet's <sheetData>: every cell's reference, style, type, formula and value.

xlsxread runs cellscan's quick pass first and this scan when a cell is not plain (or has no reference).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from xlperf.workbook.sharedformula import shared_formula
from xlperf.workbook.xlsxparts import POSITIONS, attrs, cell_value, number_value, position, rich_text, unescape
from xlperf.workbook.xlsxstyles import excel_date

Pos = tuple[int, int]


@lru_cache(maxsize=4)
def sheet_patterns(p: str) -> tuple[re.Pattern, ...]:
    """Cells by regex: (row tag, ref, s, t, other attributes, plain formula, shared child si, value,
    <is><t> start tag and text of a plain inline string, other body).

    The first pattern is the fast one for cells that carry r="A1" (Excel, openpyxl, LibreOffice); the second
    also matches <row> tags to number cells that leave r out."""
    cell = (rf"<{p}c\b(?: r=\"([A-Z]{{1,3}}\d+)\")?(?: s=\"(\d+)\")?(?: t=\"(\w+)\")?([^<>]*)(?:(?<=/)>|>"
            rf"(?:<{p}f(?: aca=\"\w+\")?>([^<]+)</{p}f>|<{p}f t=\"shared\" si=\"(\d+)\"/>)?(?:<{p}v>([^<]*)</{p}v>)?"
            rf"(?:(<{p}is><{p}t(?: xml:space=\"preserve\")?>)([^<]*)</{p}t></{p}is>)?"
            rf"([^<]*(?:<(?!/{p}c>|{p}c[\s/>])[^<]*)*)</{p}c>)")
    tag = rf"<{p}%s\b([^<>]*)>"
    return (re.compile("()" + cell), re.compile(rf"(<{p}row\b[^<>]*>)|" + cell),
            re.compile(rf"<{p}f\b([^<>]*?)(?:/>|>([^<]*)</{p}f>)"),
            re.compile(rf"<{p}v\b[^<>]*?(?:/>|>([^<]*)</{p}v>)"),
            re.compile(rf"<{p}is\b[^<>]*>([^<]*(?:<(?!/{p}is>)[^<]*)*)</{p}is>"),
            re.compile(rf"<{p}is><{p}t(?: xml:space=\"preserve\")?>([^<]*)</{p}t></{p}is>"),
            re.compile(tag % "dimension"), re.compile(tag % "mergeCell"), re.compile(tag % "sheetProtection"))


class NoReference(Exception):
    """A cell without r="…": scan again, numbering cells by their <row>."""


class Cells:
    """What one pass over <sheetData> collects."""

    def __init__(self, p: str, context: Any):  # xlsxread's shared strings, styles and epoch
        self.p, self.context = p, context
        self.values: dict[Pos, Any] = {}
        self.formulas: dict[Pos, str] = {}
        self.array_refs: dict[Pos, str] = {}
        self.styles: dict[Pos, int] = {}
        self.masters: dict[str, Any] = {}
        self.max_row = self.max_col = self.count = 0
        self.patterns = sheet_patterns(p)

    def scan(self, pattern: re.Pattern, text: str, start: int, end: int) -> None:
        """The hot loop, kept in one piece: a call per cell would cost more than the loop body."""
        shared, dates, epoch, positions = self.context.shared, self.context.dates, self.context.epoch, POSITIONS
        values, styles, formulas, fast = self.values, self.styles, self.formulas, pattern is self.patterns[0]
        row = col = top = right = 0
        matches = pattern.findall(text, start, end)
        self.count = len(matches)
        for row_tag, ref, s, t, extra, f, si, v, inline, string, body in matches:
            if row_tag:
                row, col, self.count = _row_number(row_tag, row), 0, self.count - 1
                continue
            if extra and "=" in extra:
                ref, s, t = _cell_attrs(extra, ref, s, t)
            if ref:
                pos = positions.get(ref) or position(ref)
            elif fast:
                raise NoReference
            else:
                pos = (row, col + 1)
            col = pos[1]
            if pos[0] > top:
                top = pos[0]
            if col > right:
                right = col
            style = 0
            if s:
                styles[pos] = style = int(s)
            if f:
                formulas[pos] = "=" + (unescape(f) if "&" in f else f)
            elif si:
                self.formula({"t": "shared", "si": si}, None, pos)
            if inline:
                if t == "inlineStr" and not body:
                    values[pos] = unescape(string) if "&" in string else string  # openpyxl's every string
                    continue
                body = f"{inline}{string}</{self.p}t></{self.p}is>{body}"
            if body or t == "inlineStr":
                v = self.body(body, pos, t, v)
                if t == "inlineStr":
                    if v is not None:
                        values[pos] = v
                    continue
            if not v:
                continue
            if not t or t == "n":
                number = number_value(v)
                values[pos] = excel_date(number, epoch, dates[style]) if style in dates else number
            elif t == "s" and v.isdigit():
                values[pos] = shared[int(v)]
            else:
                values[pos] = cell_value(t, v)
        self.max_row, self.max_col = top, right

    def body(self, body: str, pos: Pos, t: str, v: str) -> str | None:
        """The slow path: formulas with attributes, <v> with attributes, inline strings."""
        formula, value, inline, plain = self.patterns[2:6]
        found = plain.fullmatch(body) if t == "inlineStr" else None
        if found:
            return unescape(found[1])  # <is><t>text</t></is>, as openpyxl writes every string
        found = formula.search(body)
        if found:
            self.formula(attrs(found[1]), found[2], pos)
        if t == "inlineStr":
            found = inline.search(body)
            return rich_text("", found[1], self.p) if found else None
        found = None if v else value.search(body)
        return found[1] if found else v

    def formula(self, tag: dict[str, str], text: str | None, pos: Pos) -> None:
        """Array formulas keep their range; shared-formula children are translated from their master."""
        formula, kind = "=" + unescape(text or ""), tag.get("t")
        if kind == "array":
            self.array_refs[pos] = tag.get("ref", "")
        elif kind == "shared":
            index = tag.get("si")
            if index in self.masters:
                try:
                    formula = shared_formula(*self.masters[index], pos)
                except ValueError:
                    formula = "=#REF!"  # openpyxl fails the whole load here; Excel never writes such a child
            elif formula != "=":
                self.masters[index] = (formula, pos)
        self.formulas[pos] = formula


def _row_number(tag: str, previous: int) -> int:
    found = re.search(r"""\sr\s*=\s*["']([^"']+)""", tag)
    return int(float(found[1])) if found else previous + 1


def _cell_attrs(extra: str, ref: str, s: str, t: str) -> tuple[str, str, str]:
    found = attrs(extra)
    return ref or found.get("r", ""), s or found.get("s", ""), t or found.get("t", "")
