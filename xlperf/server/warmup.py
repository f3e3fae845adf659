"""Warm the server process before it forks checkers: each unit check runs in a worker forked from it
(``run_batch``'s pool), and a worker inherits what the parent has loaded.

Measured here on a filled 大鹏 template: 0.94–1.04 s per unit check with a cold parent (every worker
imports the reader, the checks and ``formulas`` again), 0.39–0.47 s after importing those modules.
Checking one blank copy of each shipped template in the parent also leaves its compiled formula
program and reference template in memory for every forked worker.
"""

from __future__ import annotations

import importlib
from pathlib import Path

CHECK_MODULES = ("xlperf.batch.task", "xlperf.batch.template_check", "xlperf.workbook.info", "xlperf.workbook.sniff",
                 "xlperf.workbook.view", "xlperf.outputs.json_report", "xlperf.scoring.score", "xlperf.workbook.reader",
                 "xlperf.engine.compiled", "xlperf.checks.formula_shape", "xlperf.batch.writeback",
                 "xlperf.workbook.package", "xlperf.outputs.outputset", "xlperf.outputs.machine",
                 "xlperf.outputs.summary_xlsx")


def warm_up(tmp_dir: Path) -> None:
    """Import the check's modules and check a blank copy of every shipped template, in this process.
    A failure here only costs speed, never the start: it is swallowed."""
    for name in CHECK_MODULES:
        importlib.import_module(name)
    try:
        from xlperf.batch.discover import Task
        from xlperf.batch.task import CheckOptions, check_file
        from xlperf.core.frameworks import framework_names
        from xlperf.template.builder import make_workbook, save_atomic

        for framework in framework_names():
            try:
                book = make_workbook(framework)
            except ValueError:
                continue  # a framework without indicator rows has no template
            path = tmp_dir / f"warm-{framework}.xlsx"
            save_atomic(book, path)
            check_file(Task(str(path), path.name, True), CheckOptions())
            path.unlink()
    except Exception:  # noqa: BLE001 - warming is an optimisation
        return
