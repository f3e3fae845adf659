"""FileResult: what one file's check produced, as plain picklable data (no workbook objects)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

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
_HEAD = _FIELDS[:_FIELDS.index("structure")]
assert _FIELDS[len(_HEAD):] == ("structure", "path")  # Encoded splices these two after the head
_dumps = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(x, ensure_ascii=False), one encoder for all


class Encoded(NamedTuple):
    """A result with structure facts, JSON-encoded once for the batch's two files (the state line and the
    spool line differ only in the facts), with the few fields the parent reads. A worker sends it in
    place of the FileResult (see ``encode``); the JSON as UTF-8, as the files take it (the parent neither
    decodes nor encodes it: 7.1 → 3.8 ms to unpickle 1000 bureau copies, 2.8 → 1.0 ms to make their lines)."""

    status: str
    counts: dict[str, int]
    head: bytes  # JSON of the fields before ``structure``, without the closing brace
    facts: bytes  # JSON of the structure facts
    path: bytes  # JSON of ``path``
    header: bytes  # the spool line's header (structure key, base, whether the facts are a base)
    structure: dict[str, Any]  # the facts the parent votes on (a copy's without "typed": votes never read it)

    def state(self) -> bytes:
        """``json.dumps(result.to_dict(), ensure_ascii=False)``, encoded."""
        return b"".join((self.head, b', "structure": ', self.facts, b', "path": ', self.path, b"}"))

    def spooled(self) -> bytes:
        """The same with ``structure`` null."""
        return b"".join((self.head, b', "structure": null, "path": ', self.path, b"}"))

    def decode(self) -> FileResult:
        return FileResult.from_dict(json.loads(self.state()))


def encode(result: FileResult) -> Encoded:
    """``result`` (its ``structure`` not empty) encoded once."""
    sent = result.structure or {}
    head = _dumps({name: getattr(result, name) for name in _HEAD})[:-1]
    header = _dumps({"k": sent.get("key"), "b": sent.get("base"), "f": int("full" in sent)})
    voted = sent if "full" in sent or "typed" not in sent else {k: v for k, v in sent.items() if k != "typed"}
    return Encoded(result.status, result.counts, head.encode(), _dumps(sent).encode(), _dumps(result.path).encode(),
                   header.encode(), voted)


def failed(file: str, finding: Finding, lang: str, status: str = "failed") -> FileResult:
    """A result for a file that could not be checked at all."""
    result = FileResult(file, status=status)
    result.add([finding.with_file(file)], lang)
    return result


def has_errors(result: FileResult) -> bool:
    return result.counts.get(Severity.ERROR.value, 0) > 0
