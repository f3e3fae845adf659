"""findings.csv and results.json for machines, written atomically."""

from __future__ import annotations

import csv
import io
import json
import math
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Iterable

from xlperf.outputs.neutral import safe_value
from xlperf.scoring.result import FileResult

CSV_COLUMNS = ("file", "sheet", "cell", "row", "code", "severity", "message")


class _AtomicText:
    """A text file written under a temporary name and renamed into place on ``commit``."""

    def __init__(self, path: Path, encoding: str, newline: str | None = None):
        from xlperf.workbook.atomic import atomic_output

        self._stack = ExitStack()
        tmp = self._stack.enter_context(atomic_output(path))
        self.handle = self._stack.enter_context(open(tmp, "w", encoding=encoding, newline=newline))

    def commit(self) -> None:
        self._stack.close()

    def abort(self) -> None:
        """Remove the temporary file; whatever was at the path stays as it was."""
        error = RuntimeError("output abandoned")
        self._stack.__exit__(type(error), error, None)


class FindingsCsv:
    """findings.csv, row by row (UTF-8 with BOM so Excel reads it). Every text is neutralised
    (``outputs.neutral``); rows end in CRLF as RFC 4180 has it, so that a field holding a lone carriage return
    is quoted too (with a bare LF terminator the csv module leaves it unquoted, and it splits the row).
    ``prepare`` makes a result's rows as text without touching the file (the batch's tail makes them in a
    helper process), ``write`` writes them."""

    def __init__(self, path: Path):
        self.path, self._file = Path(path), _AtomicText(Path(path), "utf-8-sig", newline="")
        self._buffer = io.StringIO()
        self._rows = csv.writer(self._buffer, lineterminator="\r\n")
        self._file.handle.write(self._text([CSV_COLUMNS]))

    def _text(self, rows: Iterable[Iterable[Any]]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._rows.writerows(rows)
        return self._buffer.getvalue()

    def prepare(self, result: FileResult) -> str:
        return self._text([safe_value(v) for v in (result.file, f["sheet"], f["cell"], f["row"], f["code"],
                                                   f["severity"], f["message"])] for f in result.findings)

    def write(self, text: str) -> None:
        self._file.handle.write(text)

    def add(self, result: FileResult) -> None:
        self.write(self.prepare(result))

    def close(self) -> Path:
        self._file.commit()
        return self.path

    def abort(self) -> None:
        self._file.abort()


def write_findings_csv(results: Iterable[FileResult], path: Path) -> Path:
    """findings.csv from a stream of results."""
    out = FindingsCsv(path)
    for result in results:
        out.add(result)
    return out.close()


def result_entry(result: FileResult) -> dict:
    """One file's entry in results.json (findings shaped as in ``xlperf score --json``)."""
    return {"file": result.file, "status": result.status, "framework": result.framework,
            "template_version": result.template_version, "template": result.template, "sheet": result.sheet, "info": result.info,
            "stated_total": result.stated_total, "total": result.total, "stated_grade": result.stated_grade,
            "grade": result.grade, "level_totals": result.level_totals, "counts": result.counts,
            "written": result.written,
            "findings": [{k: f[k] for k in ("code", "severity", "sheet", "cell", "message")} for f in result.findings]}


def _finite(value: Any) -> Any:
    """``value`` with every infinite or NaN float replaced by None (JSON cannot hold them)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


class ResultsJson:
    """results.json, entry by entry (the same JSON as one ``json.dumps`` of the whole object)."""

    def __init__(self, path: Path, meta: dict):
        self.path, self._file, self._count = Path(path), _AtomicText(Path(path), "utf-8"), 0
        head = json.dumps({"schema_version": 1, **meta}, ensure_ascii=False)[:-1]
        self._file.handle.write(head + (', "files": [' if len(head) > 1 else '"files": ['))

    @staticmethod
    def prepare(result: FileResult) -> dict:
        """The result's entry (made without touching the file, see ``FindingsCsv``), encoded by ``write``: in the
        batch's tail the helper process that prepares the entries is the busier one (bureau corpus, four
        alternating runs, encoded there: helper 129–135 ms of CPU, the batch's process 93–98 ms; here:
        112–119 and 110–120 ms)."""
        return result_entry(result)

    def write(self, entry: dict) -> None:
        try:
            text = json.dumps(entry, ensure_ascii=False, allow_nan=False)
        except ValueError:  # a total past the float range (weights of 1E+308): JSON has no infinity
            text = json.dumps(_finite(entry), ensure_ascii=False, allow_nan=False)
        self._file.handle.write(("," if self._count else "") + "\n" + text)
        self._count += 1

    def add(self, result: FileResult) -> None:
        self.write(self.prepare(result))

    def close(self) -> Path:
        self._file.handle.write("\n]}\n")
        self._file.commit()
        return self.path

    def abort(self) -> None:
        self._file.abort()


def write_results_json(results: Iterable[FileResult], path: Path, meta: dict) -> Path:
    """results.json from a stream of results."""
    out = ResultsJson(path, meta)
    for result in results:
        out.add(result)
    return out.close()
