"""Write the three batch outputs from the streamed results: 汇总.xlsx, findings.csv, results.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

from xlperf import __version__
from xlperf.batch.results import FileResult

SUMMARY_NAME = {"zh": "汇总.xlsx", "en": "summary.xlsx"}


def prepare_outputs() -> None:
    """Import what writing the outputs needs (pandas, openpyxl: about half a second), so a batch can
    do it while its workers check the first files instead of after the last one."""
    import xlperf.report.machine  # noqa: F401
    import xlperf.report.summary_xlsx  # noqa: F401


def write_outputs(results: Callable[[], Iterable[FileResult]], out_dir: Path, opts: Any) -> Path:
    """``results`` is called once per output so each pass streams from disk. Returns the summary path."""
    from xlperf.report.machine import write_findings_csv, write_results_json
    from xlperf.report.summary_xlsx import write_summary

    lang = getattr(opts, "lang", "zh")
    summary = write_summary(results, out_dir / SUMMARY_NAME["zh"], lang)
    write_findings_csv(results(), out_dir / "findings.csv")
    write_results_json(results(), out_dir / "results.json",
                       {"xlperf_version": __version__, "framework": opts.cfg.framework, "lang": lang})
    return summary
