"""A legacy return (.xls, WPS .et) checked in the worker: the copy ``batch.legacy`` converted, else the values
the original saved (read with python-calamine), else one error for the file."""

from __future__ import annotations

import os
import time
from typing import Any

from xlperf.batch.discover import Task
from xlperf.batch.legacy import REASONS, Legacy
from xlperf.batch.steps import check_view
from xlperf.findings import Finding


def _reason(key: str) -> dict[str, str]:
    zh, en = REASONS.get(key, REASONS["failed"])
    return {"reason": zh, "reason_en": en}


def check_legacy(task: Task, opts: Any) -> tuple[Any, list[Finding], Any]:
    """Check a legacy return (result, findings, scored table): its converted copy, holding the values the
    original saved; else its saved values alone (formula-free); else one error for the file."""
    from xlperf.scoring.result import failed

    started = time.perf_counter()
    legacy: Legacy = task.legacy
    reason = legacy.reason or "failed"
    if legacy.xlsx:
        checked = _check_converted(task, legacy, opts, started)
        if not isinstance(checked, str):
            return checked
        reason = checked
    try:
        return _check_values(task, legacy, opts, started, reason)
    except Exception as exc:  # noqa: BLE001 - neither LibreOffice nor calamine can read it: the file's error
        params = {"format": legacy.format, "reason": f"{_reason(reason)['reason']}，python-calamine 也无法读取（{type(exc).__name__}）",
                  "reason_en": f"{_reason(reason)['reason_en']}, and python-calamine cannot read it ({type(exc).__name__})"}
        finding = Finding("file-legacy-xls", params=params).with_file(task.name)
        return failed(task.name, finding, opts.lang), [finding], None


def _check_converted(task: Task, legacy: Legacy, opts: Any, started: float) -> tuple[Any, list[Finding], Any] | str:
    """The check of the converted copy, or why it cannot be used (a REASONS key)."""
    from xlperf.workbook.legacy_values import adopt_saved_values
    from xlperf.workbook.sniff import sniff
    from xlperf.workbook.view import open_view

    kind = sniff(legacy.xlsx, opts.max_uncompressed, keep_parts=True)
    if kind.finding is not None:
        return "failed"
    try:
        view = open_view(legacy.xlsx, package=kind.package)
    except Exception:  # noqa: BLE001 - LibreOffice's output unreadable: fall back to the saved values
        return "failed"
    if not any(grid.values for grid in view.data_grids()):
        return "empty"  # what LibreOffice makes of a compound file whose workbook stream it cannot parse
    try:
        adopt_saved_values(view, task.path)
    except Exception:  # noqa: BLE001 - calamine cannot read the original: LibreOffice's values stand
        pass
    result, findings, scored = check_view(task, view, opts, started)
    _add(result, findings, Finding("file-converted", params={"format": legacy.format}), task, opts)
    if result.written:  # a corrected copy is an .xlsx package: name it so
        os.replace(result.written, result.written + ".xlsx")
        result.written += ".xlsx"
    return result, findings, scored


def _check_values(task: Task, legacy: Legacy, opts: Any, started: float,
                  reason: str) -> tuple[Any, list[Finding], Any]:
    from xlperf.workbook.legacy_values import values_view

    view = values_view(task.path)
    result, findings, scored = check_view(task, view, opts, started, formula_free=True)
    _add(result, findings, Finding("formulas-not-checked", params={"format": legacy.format, **_reason(reason)}),
         task, opts)
    return result, findings, scored


def _add(result: Any, findings: list[Finding], finding: Finding, task: Task, opts: Any) -> None:
    finding = finding.with_file(task.name)
    result.add([finding], opts.lang)
    findings.append(finding)
    result.settle()
