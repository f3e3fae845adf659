"""Recompute a workbook's own formulas with ``formulas``: no Excel, originals never written.

Workbooks whose formulas call an add-in's UDF as ``[1]!PERF_SCORE(…)`` make ``formulas``
refuse the whole file, so such a workbook is first copied (into a temporary folder, via
openpyxl) with the ``[n]!`` prefixes removed; the original is only read.
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlperf.engine.functions import officejs_names, register, to_python

_F_ELEMENT = re.compile(rb"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", re.S)
_ADDIN_PREFIX = re.compile(r"\[\d+\]!")
_KEY = re.compile(r"^'?\[(?P<book>[^\]]+)\](?P<sheet>.+?)'?!(?P<cell>\$?[A-Z]{1,3}\$?\d+)$")
_SHEET_NAME = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")


@dataclass
class Recalc:
    """Recomputed values by (sheet, A1) with the workbook's real sheet names."""

    values: dict[tuple[str, str], Any] = field(default_factory=dict)

    def get(self, sheet: str, cell: str) -> Any:
        return self.values.get((sheet, cell))


def formula_texts(path: Path) -> list[str]:
    """Every formula's text in the package, read straight from the sheet XML."""
    texts = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                texts.extend(html.unescape(m.decode("utf-8")) for m in _F_ELEMENT.findall(zf.read(name)))
    return texts


def sheet_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [html.unescape(m.decode("utf-8")) for m in _SHEET_NAME.findall(zf.read("xl/workbook.xml"))]


def _strip_addin_prefixes(src: Path, dst: Path) -> None:
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula

    book = openpyxl.load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm")
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    value.text = _ADDIN_PREFIX.sub("", value.text)
                elif isinstance(value, str) and value.startswith("="):
                    cell.value = _ADDIN_PREFIX.sub("", value)
    book.save(dst)


def prepare(path: Path, workdir: Path) -> tuple[Path, list[str]]:
    """The file formulas should load (a rewritten copy if needed) and the formula texts found."""
    texts = formula_texts(path)
    register(officejs_names(texts))
    if any(_ADDIN_PREFIX.search(text) for text in texts):
        target = workdir / path.name
        _strip_addin_prefixes(path, target)
        return target, texts
    return path, texts


def _values(solution: Any, names: list[str]) -> Recalc:
    by_upper = {name.upper(): name for name in names}
    out = Recalc()
    for key, ranges in solution.items():
        match = _KEY.match(str(key))
        if not match:
            continue
        sheet = by_upper.get(match.group("sheet").upper(), match.group("sheet"))
        value = getattr(ranges, "value", ranges)
        try:
            value = value[0, 0] if hasattr(value, "shape") else value
        except (IndexError, TypeError):
            continue
        out.values[(sheet, match.group("cell").replace("$", ""))] = to_python(value)
    return out


def recalc_workbook(path: str | Path) -> Recalc:
    """Load ``path`` into a formulas ExcelModel, calculate, and return every cell's value."""
    import formulas

    path = Path(path)
    workdir = Path(tempfile.mkdtemp(prefix="xlperf-recalc-"))
    try:
        source, _ = prepare(path, workdir)
        model = formulas.ExcelModel().loads(str(source)).finish()
        solution = model.calculate()
        return _values(solution, sheet_names(path))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
