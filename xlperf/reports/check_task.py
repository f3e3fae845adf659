"""``xlperf check`` on a Word report: the same FileResult a workbook gets, from ``score_report``."""

from __future__ import annotations

import time
from typing import Any

from xlperf.errors import XlperfError
from xlperf.findings import Finding


def check_report_scored(task: Any, opts: Any) -> tuple[Any, list[Finding], Any]:
    """Score and check one .docx report of a batch (read only): its FileResult, its findings and the
    ScoreResult (None when it could not be scored). Any failure is that file's finding, never a crash."""
    from xlperf.outputs.json_report import totals_dict
    from xlperf.reports.score_report import score_report_doc
    from xlperf.scoring.result import FileResult, failed

    started = time.perf_counter()
    try:
        scored, doc = score_report_doc(task.path, opts.cfg, getattr(opts, "sheet", None))
    except XlperfError as exc:
        return failed(task.name, exc.finding, opts.lang), [exc.finding.with_file(task.name)], None
    except Exception as exc:  # noqa: BLE001 - a report the reader cannot handle is a finding, not a crash
        finding = Finding("file-failed", file=task.name, params={"detail": f"{type(exc).__name__}: {exc}"[:300]})
        return failed(task.name, finding, opts.lang), [finding], None
    result = FileResult(task.name, info={"project": doc.title} if doc.title else {})
    data = totals_dict(scored)
    result.sheet, result.level_totals = data["sheet"], data["level_totals"]
    result.stated_total, result.total = data["stated_total"], data["total"]
    result.stated_grade, result.grade = data["stated_grade"], data["grade"]
    findings = [f.with_file(task.name) for f in scored.findings]
    result.add(findings, opts.lang)
    result.seconds = round(time.perf_counter() - started, 4)
    return result.settle(), findings, scored

