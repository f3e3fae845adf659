"""Returned copies of the bureau templates: clean copies, and one copy per injected defect.

Each copy is written by the template's own library (``books.py``) with the unit's inputs, then gets
the cached values a spreadsheet saves: every formula recalculated by ``formulas`` (not by xlperf)
and patched into the package. Defects are written as a unit's edit leaves them: a formula typed
over, values pasted over formulas, a weight or a pre-filled target edited, a row deleted or
inserted (formulas written for the rows the copy has, as Excel adjusts them), a stale cached
value, text in a number cell, a renamed sheet, macros added. ``folder.py`` puts them in one folder with
the copies LibreOffice re-saves and saves as .xls.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from tests.bureau.books import LIBRARIES, Overrides
from tests.bureau.layouts import LAYOUTS, Inputs, Places, Row
from tests.bureau.rows import NEW_ROW, ROWS, make_inputs

Expect = tuple[str, str | None, str | None]  # (code, sheet, A1); None: any


@dataclass
class Defect:
    """One returned file and what checking it must report (codes at cells, row names in messages)."""

    name: str
    expect: list[Expect] = field(default_factory=list)
    names: tuple[str, ...] = ()
    twin: str | None = None  # for a LibreOffice save: the file it was saved from


@dataclass
class Copy:
    """What to write: inputs, rows, overrides, stale cached values and a post-processing step."""

    inputs: Inputs
    rows: list[Row]
    overrides: Overrides = field(default_factory=dict)
    stale: dict[tuple[str, str], Any] = field(default_factory=dict)
    after: Callable[[Path], None] | None = None


def _split(ref: str) -> tuple[str, str]:
    sheet, _, cell = ref.partition("!")
    return sheet, cell


def write_template(layout: str, path: Path) -> Path:
    """The blank template, as the bureau sends it out."""
    spec = LAYOUTS[layout]
    book = LIBRARIES[spec.library]()
    spec.build(book, ROWS[layout], None)
    path.parent.mkdir(parents=True, exist_ok=True)
    return book.save(path)


def formulas_values(raw: Path) -> dict[tuple[str, str], Any]:
    """Every formula cell's value as ``formulas``' ExcelModel computes it (independent of xlperf's engine)."""
    from tests.corpus import _formula_cells
    from xlperf.engine.recalc import recalc_workbook

    formula_cells = _formula_cells(raw)
    return {key: value for key, value in recalc_workbook(raw).values.items() if key in formula_cells}


def write_copy(layout: str, copy: Copy, path: Path,
               values_of: Callable[[Path], dict[tuple[str, str], Any]] = formulas_values
               ) -> tuple[Places, dict[tuple[str, str], Any]]:
    """One filled copy with the cached values a spreadsheet would save; returns places and those values."""
    from xlperf.workbook.package import patch_values

    spec = LAYOUTS[layout]
    book = LIBRARIES[spec.library](copy.overrides)
    places = spec.build(book, copy.rows, copy.inputs)
    work = Path(tempfile.mkdtemp(prefix="xlperf-bureau-"))
    try:
        raw = book.save(work / "raw.xlsx")
        values = values_of(raw)
        cached = {**values, **copy.stale}
        per_sheet: dict[str, dict[str, Any]] = {}
        for (sheet, cell), value in cached.items():
            per_sheet.setdefault(sheet, {})[cell] = value
        path.parent.mkdir(parents=True, exist_ok=True)
        patch_values(raw, path, per_sheet)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if copy.after is not None:
        copy.after(path)
    return places, values


def _where(places: Places, level3: str, role: str) -> tuple[str, str]:
    return _split(places.rows[level3][role])


def defects(layout: str, rng: random.Random) -> list[tuple[str, Copy, Callable[[Places, dict], list[Expect]], tuple]]:
    """(name, copy, expectations from its places and clean values, row names) for each injected defect."""
    rows = ROWS[layout]
    formula_rows = [r.level3 for r in rows if r.kind in ("ge", "le")] if layout != "mof" else []
    judged = [r.level3 for r in rows]
    out: list[tuple[str, Copy, Callable[[Places, dict], list[Expect]], tuple]] = []

    def add(name: str, change: Callable[[Copy, Places, dict], list[Expect]], names: tuple = (),
            rows_for: list[Row] | None = None) -> None:
        out.append((name, Copy(make_inputs(layout, rng, 900 + len(out)), list(rows_for or rows)), change, names))

    first, second = (formula_rows[1], formula_rows[3:6]) if formula_rows else (None, [])
    if layout == "mof":
        add("formula_typed", lambda c, p, v: _override(c, p["named"]["exec_score"], 10, "formula-missing"))
        add("values_pasted", lambda c, p, v: [e for col in "CDE" for e in _paste(c, f"项目支出绩效自评表!{col}6", v)])
        add("text_in_number", lambda c, p, v: _override(c, p["rows"][judged[1]]["score"], "9分", "number-as-text"))
    else:
        add("formula_typed", lambda c, p, v: _override(c, p["rows"][first]["score"], 8.5, "formula-missing"))
        add("values_pasted", lambda c, p, v: [e for name in second for e in _paste(c, p["rows"][name]["score"], v)])
        add("text_in_number", lambda c, p, v: _override(c, p["rows"][formula_rows[0]]["actual"], "二十场",
                                                        "text-in-number-cell"))
    add("weight_edited", lambda c, p, v: _override(c, p["rows"][judged[2]]["weight"], 9, "weight-changed"))
    target_row = next(r for r in rows if r.kind in ("ge", "le"))
    new_target = "≥15场次" if layout == "mof" else 15
    add("target_edited", lambda c, p, v: _override(c, p["rows"][target_row.level3]["target"], new_target,
                                                    "target-changed"))
    add("stale_cache", lambda c, p, v: _stale(c, p["named"]["total"], 61.5))
    gone = rows[-3]
    add("row_deleted", lambda c, p, v: [("row-deleted", p["table_sheet"], None)], (gone.level3,),
        [r for r in rows if r is not gone])
    at = max(i for i, r in enumerate(rows) if r.level2 == NEW_ROW[layout].level2) + 1
    inserted = rows[:at] + [NEW_ROW[layout]] + rows[at:]
    add("row_inserted", lambda c, p, v: [("row-inserted", *_split(p["rows"][NEW_ROW[layout].level3]["level3"]))],
        (NEW_ROW[layout].level3,), inserted)
    if layout == "info":
        add("sheet_renamed", lambda c, p, v: _rename_info(c))
    if layout == "county":
        add("macro_added", lambda c, p, v: _add_macros(c))
    return out


def _override(copy: Copy, ref: str, value: Any, code: str) -> list[Expect]:
    copy.overrides[_split(ref)] = value
    return [(code, *_split(ref))]


def _paste(copy: Copy, ref: str, values: dict) -> list[Expect]:
    key = _split(ref)
    copy.overrides[key] = values[key]
    return [("formula-missing", *key)]


def _stale(copy: Copy, ref: str, value: Any) -> list[Expect]:
    copy.stale[_split(ref)] = value
    return [("cached-value-mismatch", *_split(ref))]


def _add_macros(copy: Copy) -> list[Expect]:
    """Saved as .xlsm with a vbaProject the template does not have."""
    def to_xlsm(path: Path) -> None:
        from tests.corpus import _with_vba

        _with_vba(path, b"\xd0\xcf\x11\xe0 a unit's own macros")
        path.unlink()

    copy.after = to_xlsm
    return [("macro-added", None, None)]


def _rename_info(copy: Copy) -> list[Expect]:
    def rename(path: Path) -> None:
        import openpyxl

        wb = openpyxl.load_workbook(path)
        wb["基本信息"].title = "项目信息"
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and "基本信息!" in cell.value:
                        cell.value = cell.value.replace("基本信息!", "项目信息!")
        wb.save(path)
        from xlperf.engine.recalc import recalc_workbook
        from xlperf.workbook.package import patch_values

        tmp = path.with_name(path.stem + "~.xlsx")
        shutil.move(path, tmp)
        from tests.corpus import _formula_cells

        cells = _formula_cells(tmp)
        per: dict[str, dict[str, Any]] = {}
        for (sheet, cell), value in recalc_workbook(tmp).values.items():
            if (sheet, cell) in cells:
                per.setdefault(sheet, {})[cell] = value
        patch_values(tmp, path, per)
        tmp.unlink()

    copy.after = rename
    return [("sheet-missing", None, None)]


def inject(layout: str, copy: Copy, change: Callable, values: dict | None = None) -> list[Expect]:
    """Apply a defect to a copy before it is written; returns what checking it must report."""
    places = LAYOUTS[layout].build(LIBRARIES["openpyxl"](), copy.rows, copy.inputs)  # where each cell goes
    return change(copy, {"rows": places.rows, "named": places.named, "table_sheet": places.table_sheet}, values or {})


def make_layout_corpus(layout: str, folder: Path, clean: int = 4, seed: int = 13) -> list[Defect]:
    """``clean`` correct copies plus one copy per defect in ``folder``; returns what each must produce."""
    rng = random.Random(f"{layout}-{seed}")
    made: list[Defect] = []
    for i in range(clean):
        name = f"{layout}_clean_{i + 1:02d}.xlsx"
        write_copy(layout, Copy(make_inputs(layout, rng, i + 1), list(ROWS[layout])), folder / name)
        made.append(Defect(name))
    for name, copy, change, names in defects(layout, rng):
        values: dict = {}
        if name == "values_pasted":  # the values the formulas gave, pasted over them
            with tempfile.TemporaryDirectory() as tmp:
                values = write_copy(layout, Copy(copy.inputs, copy.rows), Path(tmp) / "probe.xlsx")[1]
        expect = inject(layout, copy, change, values)
        write_copy(layout, copy, folder / f"{layout}_{name}.xlsx")
        made.append(Defect(f"{layout}_{name}.xls{'m' if name == 'macro_added' else 'x'}", expect, names))
    return made
