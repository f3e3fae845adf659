"""findings.csv and results.json for machines, written atomically."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterable

from xlperf.batch.results import FileResult

CSV_COLUMNS = ("file", "sheet", "cell", "row", "code", "severity", "message")
FORMULA_LEAD = ("=", "+", "-", "@")


def _safe(value: object) -> object:
    """CSV cells opened in a spreadsheet: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_LEAD):
        return "'" + value
    return value


def write_findings_csv(results: Iterable[FileResult], path: Path) -> Path:
    from xlperf.workbook.atomic import atomic_write_bytes

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        for f in result.findings:
            writer.writerow([_safe(v) for v in (result.file, f["sheet"], f["cell"], f["row"], f["code"],
                                                f["severity"], f["message"])])
    atomic_write_bytes(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))  # BOM: Excel opens UTF-8 CSV correctly
    return path


def result_entry(result: FileResult) -> dict:
    """One file's entry in results.json (findings shaped as in ``xlperf score --json``)."""
    return {"file": result.file, "status": result.status, "framework": result.framework,
            "template_version": result.template_version, "sheet": result.sheet, "info": result.info,
            "stated_total": result.stated_total, "total": result.total, "stated_grade": result.stated_grade,
            "grade": result.grade, "level_totals": result.level_totals, "counts": result.counts,
            "written": result.written,
            "findings": [{k: f[k] for k in ("code", "severity", "sheet", "cell", "message")} for f in result.findings]}


def write_results_json(results: Iterable[FileResult], path: Path, meta: dict) -> Path:
    from xlperf.workbook.atomic import atomic_write_bytes

    data = {"schema_version": 1, **meta, "files": [result_entry(r) for r in results]}
    atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return path
