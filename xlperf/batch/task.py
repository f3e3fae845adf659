"""Check one file: read it once, score its table, check its structure and formulas, never write it."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlperf.batch.discover import Task
from xlperf.batch.results import FileResult, failed
from xlperf.core.config import ScoringConfig
from xlperf.errors import OutputError
from xlperf.findings import Finding

DEFAULT_MAX_UNCOMPRESSED = 200 * 2**20


@dataclass(frozen=True)
class CheckOptions:
    """How every file is checked (picklable: sent to worker processes and Dask workers)."""

    cfg: ScoringConfig = ScoringConfig()
    lang: str = "zh"
    formulas: bool = True  # recompute the workbook's own formulas with the formula engine
    write_back_dir: str | None = None  # corrected copies go here (never over an original)
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED
    templates: tuple = ()  # bureau templates (--template), as batch.structure.Structure
    in_batch: bool = False  # results go through the batch's inferred template (set by run_batch)
    sheet: str | None = None  # score the table on this sheet (xlperf score --sheet), else the first one


def _unsupported(task: Task, opts: CheckOptions) -> tuple[FileResult, list[Finding]]:
    from xlperf.batch.unchecked import unchecked_result

    return unchecked_result(task, opts)


def _same(cached: Any, recomputed: Any) -> bool:
    if cached is None or cached == "":
        return recomputed is None or recomputed == ""
    if isinstance(cached, bool) or isinstance(recomputed, bool):
        return cached == recomputed
    if isinstance(cached, (int, float)) and isinstance(recomputed, (int, float, Decimal)):
        return math.isclose(float(cached), float(recomputed), rel_tol=1e-9, abs_tol=1e-6)
    return str(cached).strip() == str(recomputed).strip()


def cached_mismatches(view, values: dict[tuple[str, str], Any]) -> list[Finding]:
    """Formula cells whose saved value disagrees with the recomputed one (skipping #NAME? results)."""
    from xlperf.workbook.grid import a1

    out = []
    for sheet, formulas in view.formulas.items():
        grid = view.grid(sheet)
        for (row, col) in sorted(formulas):
            ref = a1(row, col)
            if (sheet, ref) not in values:
                continue
            recomputed = values[(sheet, ref)]
            if recomputed == "#NAME?":
                continue
            cached = grid.get(row, col) if grid else None
            if cached is None:
                continue  # the file states nothing here (never calculated)
            if not _same(cached, recomputed):
                out.append(Finding("cached-value-mismatch", sheet, ref, row, expected=recomputed, found=cached))
    return out


def _score(view, opts: CheckOptions, cfg: ScoringConfig, result: FileResult, template=None) -> tuple[list[Finding], Any]:
    """Score the view's table (the one reader, as ``xlperf score``); returns its findings and the ScoreResult."""
    from xlperf.errors import XlperfError
    from xlperf.report.json_report import totals_dict
    from xlperf.scoring import score_view

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


def _structure(view, scored, template, opts: CheckOptions, result: FileResult) -> list[Finding]:
    table = scored.evaluation.table if scored is not None else None
    if template is not None:
        from xlperf.batch.template_check import template_findings

        return template_findings(view, template, table)
    from xlperf.batch.bureau import structure_findings

    return structure_findings(view, table, opts, result)


def _recompute(view, template, opts: CheckOptions, result: FileResult, values: dict | None) -> list[Finding]:
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
    findings = cached_mismatches(view, values) + text_in_number_cells(view, values) + _unrecomputed(view, values)
    if opts.write_back_dir:
        from xlperf.batch.writeback import write_back

        result.written, kept = write_back(view, values, opts.write_back_dir, result.file)
        at = {(f.sheet, f.cell) for f in kept}  # the engine's error is named once, by the kept-value finding
        findings = [f for f in findings if f.code != "cached-value-mismatch" or (f.sheet, f.cell) not in at] + kept
    return findings


def _unrecomputed(view, values: dict[tuple[str, str], Any]) -> list[Finding]:
    """Formula cells the engine gave no value: circular references, reported at their cells."""
    from xlperf.workbook.grid import a1

    if all((sheet, a1(*pos)) in values for sheet, texts in view.formulas.items() for pos in texts):
        return []
    from xlperf.checks.circular import circular_findings

    return circular_findings(view.formulas, view.sheet_names)


def check_file(task: Task, opts: CheckOptions) -> FileResult:
    """The whole check of one file; an unexpected failure of a step becomes a finding, not a crash."""
    return check_file_findings(task, opts)[0]


def check_file_findings(task: Task, opts: CheckOptions) -> tuple[FileResult, list[Finding]]:
    """check_file, also returning the Finding values (for callers that render them themselves)."""
    result, findings, _ = check_file_scored(task, opts)
    return result, findings


def check_file_scored(task: Task, opts: CheckOptions) -> tuple[FileResult, list[Finding], Any]:
    """check_file_findings, also returning the scored table (a ScoreResult, None when there is none):
    ``xlperf score`` prints it with exactly the findings ``xlperf check`` reports."""
    from xlperf.workbook.sniff import sniff
    from xlperf.workbook.view import open_view

    started = time.perf_counter()
    if task.legacy is not None:  # an .xls/.et return, converted for this batch
        from xlperf.batch.legacy import check_legacy

        return check_legacy(task, opts)
    if not task.checkable:
        return (*_unsupported(task, opts), None)
    if task.path.lower().endswith(".docx"):  # a Word evaluation report (xlperf.reports)
        from xlperf.reports.check_task import check_report_scored

        return check_report_scored(task, opts)
    kind = sniff(task.path, opts.max_uncompressed, keep_parts=True)
    if kind.finding is not None:
        return failed(task.name, kind.finding, opts.lang), [kind.finding.with_file(task.name)], None
    try:
        view = open_view(task.path, package=kind.package)
    except MemoryError:  # past the worker's memory cap: the pool reports the file and replaces the worker
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged package is a finding for this file
        finding = getattr(exc, "finding", None) or Finding("file-corrupt", params={"detail": type(exc).__name__})
        finding = finding.with_file(task.name)
        return failed(task.name, finding, opts.lang), [finding], None
    return check_view(task, view, opts, started)


def check_view(task: Task, view, opts: CheckOptions, started: float,
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


def run_task_limited(item: tuple[Task, CheckOptions, float | None]) -> tuple[FileResult, str | None]:
    """check_file with a time limit, for Dask, whose workers cannot kill one task: the check runs in a
    thread, and past the limit the file is reported as timed out. The second value is then the Dask
    worker's address (or "" outside Dask): the check goes on in that thread, so the caller restarts it."""
    from xlperf.batch.pool import error_outcome

    task, opts, limit = item
    if not limit:
        return check_file(task, opts), None
    box: list[tuple[str, Any]] = []

    def work() -> None:
        try:
            box.append(("ok", check_file(task, opts)))
        except BaseException as exc:  # noqa: BLE001 - reported as that file's failure, as the pool does
            box.append(error_outcome(exc))

    thread = threading.Thread(target=work, name=f"xlperf-check {task.name}", daemon=True)
    thread.start()
    thread.join(limit)
    if not box:
        return outcome_result(task, ("timeout", limit), opts), _dask_worker_address()
    return outcome_result(task, box[0], opts), None


def _dask_worker_address() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except Exception:  # noqa: BLE001 - not inside a Dask worker
        return ""


def outcome_result(task: Task, outcome: tuple[str, Any], opts: CheckOptions) -> FileResult:
    """Turn a pool outcome into a FileResult: timeouts and crashes become findings for that file."""
    status, payload = outcome
    if status == "ok":
        return payload
    if status == "timeout":
        return failed(task.name, Finding("file-timeout", expected=int(payload)), opts.lang)
    detail = f"工作进程异常退出（{payload}）" if status == "crash" else str(payload)
    return failed(task.name, Finding("file-failed", params={"detail": detail}), opts.lang)
