"""The exception that carries a file-level finding to the edge (CLI, batch), never a traceback."""

from __future__ import annotations

from xlperf.findings import Finding


class XlperfError(Exception):
    """A known failure with a catalogue finding (file-encrypted, table-not-found …)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message("en"))
        self.finding = finding

    def message(self, lang: str = "zh") -> str:
        prefix = f"{self.finding.file}: " if self.finding.file else ""
        return prefix + self.finding.message(lang)


class OutputError(OSError):
    """Writing an output failed for a reason of the machine, not of the file being checked (a full disk,
    a read-only or unwritable folder): the batch stops with one line (exit 2) instead of blaming each file."""
