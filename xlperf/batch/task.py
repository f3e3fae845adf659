"""Check one file: read it once, score its table, check its structure and formulas, never write it."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from xlperf.batch.discover import Task
from xlperf.batch.steps import check_view
from xlperf.core.config import ScoringConfig
from xlperf.findings import Finding
from xlperf.scoring.result import FileResult, failed

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
        from xlperf.batch.legacy_check import check_legacy

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
