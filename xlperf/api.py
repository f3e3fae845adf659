"""The library entry points the add-in buttons and other Python code call."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from xlperf.core.config import ScoringConfig
from xlperf.errors import XlperfError
from xlperf.findings import Finding
from xlperf.scoring.result import FileResult
from xlperf.scoring.score import ScoreResult


@dataclass(frozen=True)
class WorkbookCheck:
    """One workbook checked: its result (totals, grade, counts) and the findings as values."""

    result: FileResult
    findings: list[Finding]


def validate_workbook(path: str | os.PathLike, lang: str = "zh", cfg: ScoringConfig | None = None,
                      formulas: bool = True) -> WorkbookCheck:
    """Check one workbook exactly as ``xlperf check`` checks each file (the file is only read)."""
    from xlperf.batch.discover import WORKBOOK_SUFFIXES, Task
    from xlperf.batch.task import CheckOptions, check_file_findings

    path = Path(path)
    task = Task(str(path), path.name, path.suffix.lower() in WORKBOOK_SUFFIXES)
    result, findings = check_file_findings(task, CheckOptions(cfg=cfg or ScoringConfig(), lang=lang, formulas=formulas))
    return WorkbookCheck(result, findings)


def score_workbook(path: str | Path, cfg: ScoringConfig | None = None, sheet: str | None = None,
                   lang: str = "zh") -> ScoreResult:
    """What ``xlperf score`` prints: the per-file check ``xlperf check`` runs on ``path`` (never modified), so
    the same totals and findings, with the scored table kept. An xlperf template copy is scored by the
    framework its ``_xlperf`` sheet names, else by ``cfg``. XlperfError when the file cannot be read or
    holds no indicator table."""
    from xlperf.batch.discover import Task
    from xlperf.batch.task import CheckOptions, check_file_scored

    path = Path(path)
    if not path.is_file():
        raise XlperfError(Finding("file-not-found", file=str(path)))
    opts = CheckOptions(cfg or ScoringConfig(), lang, sheet=sheet)
    _, findings, scored = check_file_scored(Task(str(path), str(path), True), opts)
    if scored is None:
        fatal = next((f for f in findings if f.code.startswith("file-") or f.code == "table-not-found"), None)
        raise XlperfError(fatal or Finding("table-not-found", sheet, file=str(path)))
    return ScoreResult(str(path), scored.evaluation, tuple(findings))


def validate_folder(folder: str | os.PathLike, out_dir: str | os.PathLike, lang: str = "zh", jobs: int | None = None,
                    cfg: ScoringConfig | None = None):
    """``xlperf check FOLDER --out OUT_DIR``; returns the BatchResult (``summary_path``, ``counts``)."""
    from xlperf.batch.runner import RunOptions, run_batch
    from xlperf.batch.task import CheckOptions

    opts = CheckOptions(cfg=cfg or ScoringConfig(), lang=lang)
    return run_batch([folder], opts, RunOptions(Path(out_dir), jobs=jobs or os.cpu_count() or 1))


def results_frame(out_dir: str | os.PathLike):
    """A batch's results.json as a pandas DataFrame: one row per file (totals, grades, counts, status).

    Texts are neutralised (``outputs.neutral``) as in findings.csv, so that the frame written to a
    spreadsheet (``to_excel``, ``to_csv``) holds no formula a file or sheet name smuggled in."""
    import json

    import pandas as pd

    from xlperf.outputs.neutral import safe_value

    data = json.loads((Path(out_dir) / "results.json").read_text(encoding="utf-8"))
    rows = [{**{k: v for k, v in entry.items() if k not in ("findings", "level_totals", "info", "counts")},
             **entry.get("info", {}), **{f"{k}_count": v for k, v in entry.get("counts", {}).items()}}
            for entry in data["files"]]
    return pd.DataFrame([{k: safe_value(v) for k, v in row.items()} for row in rows])


def findings_frame(out_dir: str | os.PathLike):
    """A batch's findings.csv as a pandas DataFrame: one row per finding (file, sheet, cell, code …)."""
    import pandas as pd

    return pd.read_csv(Path(out_dir) / "findings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
