"""FileResult: what one file's check produced, as plain picklable data (no workbook objects)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from xlperf.findings import Finding, Severity

STATUS_ORDER = ("ok", "warnings", "errors", "failed", "skipped")


@dataclass
class FileResult:
    """One input file's outcome. ``findings`` hold rendered dicts (code, severity, sheet, cell, message, row)."""

    file: str
    status: str = "ok"
    framework: str | None = None
    template_version: str | None = None
    template: str | None = None  # the bureau's --template file this return was matched to
    info: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    stated_total: float | None = None
    total: float | None = None
    stated_grade: str | None = None
    grade: str | None = None
    level_totals: dict[str, dict[str, Any]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    findings: list[dict[str, Any]] = field(default_factory=list)
    written: str | None = None  # the corrected copy (--write-back)
    seconds: float = 0.0
    structure: dict[str, Any] | None = None  # structure facts for the template inferred from the batch (batch.facts)
    path: str | None = None  # the input file as the batch found it (set by the runner; 汇总 links to it)

    def add(self, findings: list[Finding], lang: str) -> None:
        for finding in findings:
            data = finding.to_dict(lang)
            self.findings.append({k: data[k] for k in ("code", "severity", "sheet", "cell", "message", "row")})
            self.counts[finding.severity.value] += 1

    def settle(self) -> "FileResult":
        """Set the status from the counts (a failed or skipped file keeps its status)."""
        if self.status not in ("failed", "skipped"):
            self.status = "errors" if self.counts["error"] else "warnings" if self.counts["warning"] else "ok"
        return self

    def to_dict(self) -> dict[str, Any]:
        """Every field by name, for JSON (the state file); the result's own containers, not copies."""
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "FileResult":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


_FIELDS = tuple(f.name for f in fields(FileResult))


def failed(file: str, finding: Finding, lang: str, status: str = "failed") -> FileResult:
    """A result for a file that could not be checked at all."""
    result = FileResult(file, status=status)
    result.add([finding.with_file(file)], lang)
    return result


def has_errors(result: FileResult) -> bool:
    return result.counts.get(Severity.ERROR.value, 0) > 0
