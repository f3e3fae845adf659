"""styles.xml for the reader: number formats (percent, date, duration), protection, and Excel serial dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from xlperf.workbook.xlsxparts import CellError, attrs, root_prefix, section, tags_agree, unescape, xml_bool

BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}  # the codes openpyxl reports; other ids below 164 read as "General" there too
_LITERALS = re.compile(r'"[^"]*"|\\.|[_*].')  # quoted text, escaped characters, padding/fill characters
_DATE_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # openpyxl's rule: literals and [..] groups
_DATE_TOKEN = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_FMT_ID = re.compile(r"""numFmtId\s*=\s*["'](\d+)""")
EPOCH_1900 = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)


@dataclass(frozen=True)
class StyleInfo:
    """What a cellXfs entry says about its cells' numbers and protection."""

    number_format: str = "General"
    percent: bool = False
    date: bool = False
    timedelta: bool = False
    locked: bool = True


DEFAULT_STYLE = StyleInfo()


@lru_cache(maxsize=4096)
def classify(code: str) -> tuple[bool, bool, bool]:
    """(percent, date, timedelta) for a number format code; date and timedelta follow openpyxl."""
    percent = "%" in _LITERALS.sub("", code)
    first = code.split(";")[0]
    date = _DATE_TOKEN.search(_DATE_STRIP.sub("", first)) is not None
    return percent, date, _TIMEDELTA.search(first) is not None


@lru_cache(maxsize=4)
def _style_patterns(p: str) -> tuple[re.Pattern, ...]:
    return (re.compile(rf"<{p}numFmt\b([^<>]*)>"),
            re.compile(rf"<{p}xf\b(?: numFmtId=\"(\d+)\")?([^<>]*)"
                       rf"(?:(?<=/)>|>([^<]*(?:<(?!/?{p}xf\b)[^<]*)*)</{p}xf>)"),
            re.compile(rf"""<{p}protection\b[^<>]*?\blocked\s*=\s*["']([^"']*)"""))


@lru_cache(maxsize=32)
def parse_styles(text: str) -> tuple[StyleInfo, ...]:
    """StyleInfo for each cellXfs index of a styles.xml text (cached: files from one template share it)."""
    p = root_prefix(text, "styleSheet")
    numfmt, xf, protection = _style_patterns(p)
    custom: dict[int, str] = {}
    for inner in numfmt.findall(text, *section(text, p, "numFmts")):
        found = attrs(inner)
        custom[int(found["numFmtId"])] = found.get("formatCode", "")
    styles, (start, end) = [], section(text, p, "cellXfs")
    entries = xf.findall(text, start, end)
    if not tags_agree(len(entries), text, p, "xf", start, end):
        raise ValueError("malformed <xf> in styles.xml")
    for fmt, inner, body in entries:
        found = fmt or _FMT_ID.search(inner)
        fmt_id = int(fmt or found[1]) if found else 0
        code = custom[fmt_id] if fmt_id in custom else BUILTIN_FORMATS.get(fmt_id, "General")
        locked = protection.search(body) if "protection" in body else None
        styles.append(_style_info(code, xml_bool(unescape(locked[1])) if locked else True))
    return tuple(styles) or (DEFAULT_STYLE,)


@lru_cache(maxsize=4096)
def _style_info(code: str, locked: bool) -> StyleInfo:
    return StyleInfo(code, *classify(code), locked)


def excel_date(value: float, epoch: dt.datetime, timedelta: bool = False) -> Any:
    """An Excel serial as openpyxl reads it: time below 1, timedelta for [h] formats, "#VALUE!" out of range."""
    try:
        return _from_excel(value, epoch, timedelta)
    except (OverflowError, ValueError):
        return CellError("#VALUE!")


def _from_excel(value: float, epoch: dt.datetime, timedelta: bool) -> dt.datetime | dt.time | dt.timedelta:
    if timedelta:
        delta = dt.timedelta(days=value)
        if delta.microseconds:
            delta = dt.timedelta(seconds=delta.total_seconds() // 1, microseconds=round(delta.microseconds, -3))
        return delta
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and diff.days == 0:
        return (dt.datetime.min + diff).time()
    if 0 < value < 60 and epoch == EPOCH_1900:
        day += 1
    return epoch + dt.timedelta(days=day) + diff
