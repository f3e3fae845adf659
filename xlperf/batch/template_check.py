"""Returned copies of xlperf templates: recognise them and report every change to what is protected.

The reference is the framework's template rebuilt in memory by the same builder that made it, so
the expectation never drifts from the shipped templates. Rows are matched by indicator name, so an
inserted or deleted row is reported once and the rows after it are still compared cell by cell.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from xlperf.core.frameworks import Framework
from xlperf.findings import Finding
from xlperf.template.fingerprint import MARKER_SHEET, canonical, hash_lines
from xlperf.template.sheetlines import sheet_lines
from xlperf.workbook.grid import a1, column_letter

TAMPER_CODES = {"weight": "weight-changed", "target": "target-changed"}


@dataclass(frozen=True)
class Template:
    """A recognised template copy: its framework, version, stored and recomputed fingerprints."""

    framework: Framework
    version: str
    fingerprint: str
    actual: str
    layout: dict[str, Any]
    vba_sha256: str | None = None
    spec: str = ""  # what the reference is rebuilt from: a bundled framework id, or the definition the marker carries
    formulas: str = "udf"  # the template's formula kind: udf (xlwings functions) or excel (plain formulas)

    @property
    def intact(self) -> bool:
        return self.fingerprint == self.actual


def structure_lines(view) -> list[str]:
    """The fingerprint lines of ``xlperf.template.fingerprint`` computed from a WorkbookView."""
    grids = [g for g in view.grids if g.name != MARKER_SHEET]
    lines = ["sheets=" + "|".join(g.name for g in grids)]
    for grid in grids:
        name = grid.name
        lines.extend(sheet_lines(name, view.merged.get(name, []), view.locked.get(name, set()),
                                 view.formulas.get(name, {}), grid.values))
    return lines


def fingerprint(view) -> str:
    """The structure fingerprint of a WorkbookView (equal to ``structure_fingerprint`` of the same workbook)."""
    return hash_lines(structure_lines(view))


def recognise(view) -> tuple[Template | None, list[Finding]]:
    """The template a file says it is (hidden ``_xlperf`` sheet), if this version knows it."""
    marker = view.marker
    if not marker or not marker.get("framework"):
        return None, []
    from xlperf.template.version import TEMPLATE_VERSION

    from xlperf.template.frameworkfile import load_spec, spec_of

    name, spec = str(marker["framework"]), spec_of(marker)
    try:
        framework = load_spec(spec)
    except ValueError:
        return None, [Finding("template-unknown", MARKER_SHEET, found=name)]
    if str(marker.get("template_version")) != TEMPLATE_VERSION or not framework.indicators:
        return None, [Finding("template-unknown", MARKER_SHEET, found=f"{name} v{marker.get('template_version')}")]
    layout = marker.get("layout") if isinstance(marker.get("layout"), dict) else {}
    template = Template(framework, TEMPLATE_VERSION, str(marker.get("fingerprint") or ""), fingerprint(view), layout,
                        str(marker.get("vba_sha256") or "") or None, spec, str(marker.get("formulas") or "udf"))
    return template, []


@dataclass(frozen=True)
class Reference:
    """The rebuilt template: locked cells per sheet as {(row, col): (is_formula, value)}, plus layout."""

    version: str
    layout: dict[str, Any]
    cells: dict[str, dict[tuple[int, int], tuple[bool, Any]]]
    rows: list[str]  # row keys (see row_key) of the data rows, in order


@lru_cache(maxsize=16)
def reference_cells(framework_id: str, formulas: str = "udf", counts: tuple = ()) -> Reference:
    """The reference for a framework (an id or a definition), formula kind and grown rows: from the on-disk
    cache when its key matches, else rebuilt."""
    from xlperf.batch.reference_cache import cached_reference
    from xlperf.template.frameworkfile import load_spec

    extra = repr(load_spec(framework_id)) + ("" if (formulas, counts) == ("udf", ()) else f"|{formulas}|{counts}")
    return cached_reference(framework_id, extra, lambda: build_reference(framework_id, formulas, counts), Reference)


def build_reference(framework_id: str, formulas: str = "udf", counts: tuple = ()) -> Reference:
    """The template rebuilt in memory by the builder, and its locked non-empty cells read back."""
    from openpyxl.worksheet.formula import ArrayFormula

    from xlperf.template.builder import TEMPLATE_VERSION, make_workbook
    from xlperf.template.fingerprint import read_marker
    from xlperf.template.frameworkfile import load_spec
    from xlperf.template.plan import plan_rows
    from xlperf.template.table import expand

    framework = load_spec(framework_id)
    wb = make_workbook(framework, formulas, dict(counts))
    layout = read_marker(wb)["layout"]
    cells: dict[str, dict[tuple[int, int], tuple[bool, Any]]] = {}
    for ws in wb.worksheets:
        if ws.title == MARKER_SHEET:
            continue
        sheet = cells.setdefault(ws.title, {})
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
                if value is None or value == "" or not cell.protection.locked:
                    continue
                sheet[(cell.row, cell.column)] = (isinstance(value, str) and value.startswith("="), value)
    rows = [row_key(p.ind.level1, p.ind.level2, p.ind.level3, layout) for p in expand(plan_rows(framework), dict(counts))]
    return Reference(TEMPLATE_VERSION, layout, cells, rows)


def row_key(level1: str, level2: str, level3: str, layout: dict[str, Any]) -> str:
    """How rows are matched: by indicator name, or by its level 1/2 where the unit writes the name."""
    if "level3" in layout.get("inputs", ()):
        return f"{level1}|{level2}"
    return f"{level1}|{level2}|{level3}"


def _col(layout: dict[str, Any], role: str) -> int:
    index = 0
    for ch in layout["columns"][role]:
        index = index * 26 + ord(ch.upper()) - 64
    return index


@dataclass(frozen=True)
class _Sheet:
    """A sheet of the file being compared: its name, formula texts and grid (None when missing)."""

    name: str
    formulas: dict[tuple[int, int], str]
    grid: Any

    @classmethod
    def of(cls, view, name: str) -> "_Sheet":
        return cls(name, view.formulas.get(name, {}), view.grid(name))


def _compare(sheet: _Sheet, expected: tuple[bool, Any], pos: tuple[int, int], origin: tuple[int, int],
             code: str = "locked-cell-changed") -> Finding | None:
    is_formula, value = expected
    formulas, grid = sheet.formulas, sheet.grid
    if is_formula:
        ref = a1(*pos)
        if origin == pos:
            want = value
        else:
            from openpyxl.formula.translate import Translator

            want = Translator(value, origin=a1(*origin)).translate_formula(ref)
        found = formulas.get(pos)
        if found is None:
            typed = grid.get(*pos) if grid else None
            return Finding("formula-missing", sheet.name, ref, pos[0], expected=want,
                           found="" if typed is None else typed)
        if found.replace(" ", "") != want.replace(" ", ""):
            return Finding("formula-changed", sheet.name, ref, pos[0], expected=want, found=found)
        return None
    found = formulas.get(pos) or (grid.get(*pos) if grid else None)
    if canonical(found) != canonical(value):
        return Finding(code, sheet.name, a1(*pos), pos[0], expected=value, found="" if found is None else found)
    return None


def _table_findings(view, ref: Reference, table) -> list[Finding]:
    layout, sheet = ref.layout, ref.layout["sheet"]
    first, compared = layout["first_row"], _Sheet.of(view, sheet)
    file_rows = [(ind.row, row_key(ind.level1, ind.level2, ind.level3, layout)) for ind in table.rows] \
        if table is not None else []
    matcher = difflib.SequenceMatcher(a=ref.rows, b=[name for _, name in file_rows], autojunk=False)
    findings: list[Finding] = []
    col3 = column_letter(_col(layout, "level3"))
    role_of = {_col(layout, role): role for role in layout["columns"]}
    by_row: dict[int, list[tuple[int, tuple[bool, Any]]]] = {}
    for (r, c), expected in ref.cells[sheet].items():
        by_row.setdefault(r, []).append((c, expected))
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for offset in range(i2 - i1):
                t_row, f_row = first + i1 + offset, file_rows[j1 + offset][0]
                for c, expected in by_row.get(t_row, ()):
                    code = TAMPER_CODES.get(role_of.get(c, ""), "locked-cell-changed")
                    found = _compare(compared, expected, (f_row, c), (t_row, c), code)
                    if found is not None:
                        findings.append(found)
            continue
        at = file_rows[j1][0] if j1 < len(file_rows) else (file_rows[-1][0] + 1 if file_rows else first)
        findings.extend(Finding("row-deleted", sheet, f"{col3}{at}", at, expected=_name(name))
                        for name in ref.rows[i1:i2])
        findings.extend(Finding("row-inserted", sheet, f"{col3}{r}", r, found=_name(name))
                        for r, name in file_rows[j1:j2])
    same_shape = len(file_rows) == len(ref.rows) and all(
        r == first + i for i, (r, _) in enumerate(file_rows))
    if same_shape:  # rows below the table (合计, 等级, 小计) sit where the template has them
        for (r, c), expected in ref.cells[sheet].items():
            if r > layout["last_row"]:
                found = _compare(compared, expected, (r, c), (r, c))
                if found is not None:
                    findings.append(found)
    return findings


def _name(key: str) -> str:
    return key.rsplit("|", 1)[-1]


def template_findings(view, template: Template, table) -> list[Finding]:
    """Everything changed in a template copy's protected structure (nothing when it is intact)."""
    findings: list[Finding] = []
    if template.vba_sha256 is None and view.vba_sha256 is not None:
        findings.append(Finding("macro-added"))
    elif template.vba_sha256 is not None and template.vba_sha256 != view.vba_sha256:
        detail = "宏被删除" if view.vba_sha256 is None else "宏被修改"
        findings.append(Finding("macro-changed", params={"detail": detail}))
    if template.intact:
        return findings
    from xlperf.template.grow import grown_counts, grown_fingerprint

    counts = grown_counts(template.layout, table)  # rows the unit may add (self-evaluation forms)
    if counts and grown_fingerprint(template.spec, template.formulas, counts) == template.actual:
        return findings
    findings.append(Finding("template-modified", MARKER_SHEET, expected=template.fingerprint[:12],
                            found=template.actual[:12]))
    ref = reference_cells(template.spec or template.framework.id, template.formulas, counts)
    for sheet in ref.cells:
        if view.grid(sheet) is None:
            findings.append(Finding("sheet-missing", expected=sheet))
    for sheet, cells in ref.cells.items():
        if sheet == ref.layout["sheet"] or view.grid(sheet) is None:
            continue
        compared = _Sheet.of(view, sheet)
        for pos, expected in sorted(cells.items()):
            found = _compare(compared, expected, pos, pos)
            if found is not None:
                findings.append(found)
    if view.grid(ref.layout["sheet"]) is not None:
        findings.extend(_table_findings(view, ref, table))
    return findings
