"""Returned copies of xlperf templates: recognise them and report every change to what is protected.

The reference is the framework's template rebuilt in memory by the same builder that made it, so
the expectation never drifts from the shipped templates; a copy whose fingerprint differs is compared
with it by ``compare`` (the comparison every template goes through), on the locked cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from xlperf.batch.compare import compare, macro_findings
from xlperf.batch.structure import Structure, template_structure, view_structure
from xlperf.core.frameworks import Framework
from xlperf.findings import Finding
from xlperf.template.fingerprint import MARKER_SHEET, hash_lines
from xlperf.template.sheetlines import sheet_lines


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


@lru_cache(maxsize=16)
def reference_structure(framework_id: str, formulas: str = "udf", counts: tuple = ()) -> Structure:
    """The reference for a framework (an id or a definition), formula kind and grown rows: from the on-disk
    cache when its key matches, else rebuilt."""
    from xlperf.batch.reference_cache import cached_reference
    from xlperf.template.frameworkfile import load_spec

    extra = repr(load_spec(framework_id)) + ("" if (formulas, counts) == ("udf", ()) else f"|{formulas}|{counts}")
    return cached_reference(framework_id, extra, lambda: build_reference(framework_id, formulas, counts),
                            Structure.to_json, Structure.from_json)


def key_levels(layout: dict[str, Any]) -> int:
    """Rows are matched by indicator name, or by level 1/2 where the unit writes the name."""
    return 2 if "level3" in layout.get("inputs", ()) else 3


def build_reference(framework_id: str, formulas: str = "udf", counts: tuple = ()) -> Structure:
    """The template rebuilt in memory by the builder (with ``counts`` rows in its growable groups), saved,
    and read back as a copy would be: its locked non-empty cells are the structure."""
    import io

    from xlperf.template.builder import make_workbook
    from xlperf.template.frameworkfile import load_spec
    from xlperf.workbook.reader import read_tables
    from xlperf.workbook.view import open_view

    buffer = io.BytesIO()
    make_workbook(load_spec(framework_id), formulas, dict(counts)).save(buffer)
    view = open_view("template.xlsx", data=buffer.getvalue())
    layout = view.marker["layout"]
    table = next(t for t in read_tables(view.path, view.data_grids(), view.formulas) if t.sheet == layout["sheet"])
    return template_structure(view, table, key_levels(layout), locked_only=True, name=str(view.marker["framework"]))


def template_findings(view, template: Template, table) -> list[Finding]:
    """Everything changed in a template copy's protected structure (nothing when it is intact)."""
    findings = macro_findings(template.vba_sha256, view.vba_sha256)
    if template.intact:
        return findings
    from xlperf.template.grow import grown_counts, grown_fingerprint

    counts = grown_counts(template.layout, table)  # rows the unit may add (self-evaluation forms)
    if counts and grown_fingerprint(template.spec, template.formulas, counts) == template.actual:
        return findings
    ref = reference_structure(template.spec or template.framework.id, template.formulas, counts)
    if table is not None and table.sheet != ref.table.sheet:
        table = None
    changes = compare(ref, view_structure(view, table, key_levels(template.layout)), "locked-cell-changed")
    if changes:  # a save by another program changes the fingerprint without changing the template
        findings.append(Finding("template-modified", MARKER_SHEET, expected=template.fingerprint[:12],
                                found=template.actual[:12]))
    return findings + changes
