"""The checks of one opened workbook, step by step: saved values, score, structure, formulas.

``batch.task`` opens a return and hands its view here; ``batch.legacy_check`` hands over the copy LibreOffice
converted, or the saved values alone. ``opts`` is the batch's ``batch.task.CheckOptions``.
"""

from __future__ import annotations

import math
import time
from decimal import Decimal
from typing import Any

from xlperf.core.config import ScoringConfig
from xlperf.errors import OutputError
from xlperf.findings import Finding
from xlperf.scoring.result import FileResult


def _close(cached: Any, recomputed: Any) -> bool:
    return math.isclose(float(cached), float(recomputed), rel_tol=1e-9, abs_tol=1e-6)


def _same(cached: Any, recomputed: Any) -> bool:
    cls, other = cached.__class__, recomputed.__class__
    if cls in _PLAIN and other in _PLAIN:  # most formula cells: numbers both
        if (cls is float or other is float) and cached == recomputed:  # isclose(x, x) of a finite float x, without
            return True  # the float() calls (an int equal to a float is one exactly: 3 saved, 3.0 recomputed)
        return _close(cached, recomputed)
    if cls is str and other is str and cached == recomputed:
        return True
    if cached is None or cached == "":
        return recomputed is None or recomputed == ""
    if isinstance(cached, bool) or isinstance(recomputed, bool):
        return cached == recomputed
    if isinstance(cached, (int, float)) and isinstance(recomputed, (int, float, Decimal)):
        return _close(cached, recomputed)
    return str(cached).strip() == str(recomputed).strip()


_PLAIN = frozenset({int, float})  # exactly these classes (bool is not int here): compared as numbers
_ABSENT = object()
_CELLS: dict[tuple, tuple] = {}  # formula set → each sheet's formula cells in order with their (sheet, A1) keys
MAX_CELLS = 256


def _formula_cells(view) -> tuple[tuple[str, tuple[tuple[int, int, tuple[str, str]], ...]], ...]:
    """Each sheet's formula cells, sorted, with the (sheet, A1) key of the recomputed values: once per formula
    set (``engine.key``), as copies of a template share it (the A1 texts were 40 % of comparing a copy)."""
    from xlperf.engine.key import formula_key
    from xlperf.workbook.grid import a1

    key = formula_key(view)
    found = _CELLS.get(key)
    if found is None:
        found = tuple((sheet, tuple((row, col, (sheet, a1(row, col))) for row, col in sorted(formulas)))
                      for sheet, formulas in view.formulas.items())
        if len(_CELLS) >= MAX_CELLS:
            _CELLS.clear()
        _CELLS[key] = found
    return found


def cached_mismatches(view, values: dict[tuple[str, str], Any]) -> list[Finding]:
    """Formula cells whose saved value disagrees with the recomputed one (skipping #NAME? results)."""
    return _compared(view, values)[0]


def _compared(view, values: dict[tuple[str, str], Any]) -> tuple[list[Finding], bool, bool]:
    """``cached_mismatches``, and whether any formula cell's recomputed value is #VALUE! or missing, in one pass
    over the formula cells (the typed-text check and the circular-reference check each took a pass of their
    own, which nearly always found nothing: 0.035 → 0.016 ms per bureau copy, all three)."""
    out = []
    value_error = missing = False
    for sheet, cells in _formula_cells(view):
        grid = view.grid(sheet)
        saved = grid.values if grid is not None else {}
        for row, col, key in cells:
            recomputed = values.get(key, _ABSENT)
            if recomputed is _ABSENT:
                missing = True
                continue
            if recomputed == "#NAME?":
                continue
            if recomputed == "#VALUE!":
                value_error = True
            cached = saved.get((row, col))
            if cached is None:
                continue  # the file states nothing here (never calculated)
            if not _same(cached, recomputed):
                out.append(Finding("cached-value-mismatch", sheet, key[1], row, expected=recomputed, found=cached))
    return out, value_error, missing


def _score(view, opts: Any, cfg: ScoringConfig, result: FileResult, template=None) -> tuple[list[Finding], Any]:
    """Score the view's table (the one reader, as ``xlperf score``); returns its findings and the ScoreResult."""
    from xlperf.errors import XlperfError
    from xlperf.outputs.json_report import totals_dict
    from xlperf.scoring.score import score_view

    try:
        scored = score_view(view, cfg, opts.sheet, own_rules=template is None)
    except XlperfError as exc:
        return [exc.finding], None
    data = totals_dict(scored)
    result.sheet = data["sheet"]
    result.stated_total, result.total = data["stated_total"], data["total"]
    result.stated_grade, result.grade = data["stated_grade"], data["grade"]
    result.level_totals = data["level_totals"]
    return list(scored.findings), scored


def _structure(view, scored, template, opts: Any, result: FileResult) -> list[Finding]:
    table = scored.evaluation.table if scored is not None else None
    if template is not None:
        from xlperf.batch.template_check import template_findings

        return template_findings(view, template, table)
    from xlperf.batch.bureau import structure_findings

    return structure_findings(view, table, opts, result)


def _recompute(view, template, opts: Any, result: FileResult, values: dict | None) -> list[Finding]:
    from xlperf.checks.text_inputs import text_in_number_cells

    if not opts.formulas:
        return text_in_number_cells(view)
    if not opts.write_back_dir and not any(view.formulas.values()):
        return []  # nothing to recompute: no formula engine for a workbook without formulas
    from xlperf.engine.compiled import recompute
    from xlperf.engine.limits import EngineLimit, too_long

    findings = too_long(view)  # past Excel's own limits or the engine's (engine.limits): not recomputed
    try:
        if findings:
            return findings
        values = values if values is not None else recompute(view, template)  # bounded: engine.limits
    except EngineLimit as exc:
        return findings + [exc.finding(opts.lang)]
    findings, value_error, missing = _compared(view, values)
    if value_error:  # else text_in_number_cells finds nothing: it reads only formulas giving #VALUE!
        findings += text_in_number_cells(view, values)
    if missing:  # else every formula has its value: no circular reference
        findings += _unrecomputed(view, values)
    if opts.write_back_dir:
        from xlperf.batch.writeback import write_back

        result.written, kept = write_back(view, values, opts.write_back_dir, result.file)
        at = {(f.sheet, f.cell) for f in kept}  # the engine's error is named once, by the kept-value finding
        findings = [f for f in findings if f.code != "cached-value-mismatch" or (f.sheet, f.cell) not in at] + kept
    return findings


def _unrecomputed(view, values: dict[tuple[str, str], Any]) -> list[Finding]:
    """Formula cells the engine gave no value: circular references, reported at their cells."""
    if all(key in values for _, cells in _formula_cells(view) for _, _, key in cells):
        return []
    from xlperf.checks.circular import circular_findings

    return circular_findings(view.formulas, view.sheet_names)


def check_view(task: Any, view, opts: Any, started: float,
               formula_free: bool = False) -> tuple[FileResult, list[Finding], Any]:
    """The checks of one opened workbook (result, findings, scored table); ``formula_free``: a view of saved
    values only (no formulas to compare or recompute), which is scored and nothing else."""
    from xlperf.batch.foreign import not_calculated_here
    from xlperf.batch.template_check import recognise
    from xlperf.workbook.info import find_info

    result = FileResult(task.name, info=find_info(view.data_grids()))
    template, findings = recognise(view)
    if template is not None:
        result.framework, result.template_version = template.framework.id, template.version
    cfg = template.framework.config if template is not None else opts.cfg
    scored = values = None
    steps = [("saved", lambda: not_calculated_here(view, opts.formulas, template is not None)),
             ("score", lambda: _score(view, opts, cfg, result, template)),
             ("structure", lambda: (_structure(view, scored, template, opts, result), None)),
             ("formulas", lambda: (_recompute(view, template, opts, result, values), None))]
    for name, step in [steps[1]] if formula_free else steps:
        try:
            found, produced = step()
            findings.extend(found)
            if name == "score":
                scored = produced
            elif name == "saved":
                values = produced
        except (MemoryError, OutputError):  # the worker's cap, or the machine's disk: not this file's fault
            raise
        except Exception as exc:  # noqa: BLE001
            findings.append(Finding("file-failed", params={"detail": f"{name}: {type(exc).__name__}: {exc}"[:300]}))
    findings = [f.with_file(task.name) for f in findings]
    result.add(findings, opts.lang)
    result.seconds = round(time.perf_counter() - started, 4)
    return result.settle(), findings, scored
