"""findings.csv and results.json for machines, written atomically."""

from __future__ import annotations

import csv
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
    """Streamed row by row into a temporary file, then renamed (UTF-8 with BOM so Excel reads it)."""
    from xlperf.workbook.atomic import atomic_output

    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for result in results:
            for f in result.findings:
                writer.writerow([_safe(v) for v in (result.file, f["sheet"], f["cell"], f["row"], f["code"],
                                                    f["severity"], f["message"])])
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
    """Streamed entry by entry (the same JSON as one ``json.dumps`` of the whole object)."""
    from xlperf.workbook.atomic import atomic_output

    head = json.dumps({"schema_version": 1, **meta}, ensure_ascii=False)[:-1]
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        handle.write(head + (', "files": [' if len(head) > 1 else '"files": ['))
        for i, result in enumerate(results):
            handle.write(("," if i else "") + "\n" + json.dumps(result_entry(result), ensure_ascii=False))
        handle.write("\n]}\n")
    return path
