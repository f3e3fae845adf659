"""The 退回清单: which files go back to which unit, with their errors, grouped by unit.

Known only when the last file is in, so the rows wait in a temporary SQLite table (on disk, in the
writer's temporary folder) and are read back grouped at the end: memory stays flat however many files
go back. Units come in the order they first appear in the batch; files keep the batch's order.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Iterator

from xlperf.scoring.result import FileResult

MAX_LISTED = 10  # errors written out per file; the rest are counted (问题清单 lists them all)
CHECKER_SIDE = frozenset({"file-timeout", "file-failed"})  # the check did not finish: not the unit's error
MANUAL = "\x00manual"  # group key of files to check by hand, sorted last


def goes_back(result: FileResult) -> bool:
    """A file with errors, or one that could not be checked for a reason the unit can fix."""
    return result.status in ("errors", "failed")


class ReturnList:
    """Rows of the 退回清单 spooled to SQLite as results arrive."""

    def __init__(self, folder: str | Path):
        self.db = sqlite3.connect(str(Path(folder) / "returns.sqlite"))
        self.db.execute("PRAGMA journal_mode = OFF")  # a scratch table: nothing to recover after a crash
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE r (seq INTEGER, grp TEXT, unit TEXT, department TEXT, file TEXT, path TEXT,"
                        " status TEXT, errors INTEGER, detail TEXT)")
        self.count = 0

    @staticmethod
    def row(result: FileResult, no_unit: str, more: str) -> tuple | None:
        """The result's row (None: the file does not go back), made without touching the table."""
        if not goes_back(result):
            return None
        errors = [f for f in result.findings if f["severity"] == "error"]
        manual = bool(errors) and all(f["code"] in CHECKER_SIDE for f in errors)
        unit = result.info.get("unit") or result.info.get("department") or no_unit
        lines = [f["message"] for f in errors[:MAX_LISTED]]
        if len(errors) > MAX_LISTED:
            lines.append(more.format(n=len(errors) - MAX_LISTED))
        return (MANUAL if manual else unit, unit, result.info.get("department") or "", result.file, result.path,
                result.status, len(errors), "\n".join(lines))

    def insert(self, row: tuple | None) -> None:
        if row is None:
            return
        self.db.execute("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (self.count, *row))
        self.count += 1

    def rows(self) -> Iterator[tuple[dict[str, Any], int | None]]:
        """Each row with, on the first row of its group, the group's size: units by first appearance, the
        files to check by hand last (streamed from the table, never all held)."""
        query = ("SELECT r.*, COUNT(*) OVER (PARTITION BY r.grp) FROM r JOIN (SELECT grp, MIN(seq) AS first FROM r "
                 "GROUP BY grp) g USING (grp) ORDER BY g.grp = ?, g.first, r.seq")
        names = ("seq", "grp", "unit", "department", "file", "path", "status", "errors", "detail", "size")
        current = None
        for values in self.db.execute(query, (MANUAL,)):
            row = dict(zip(names, values))
            yield row, row["size"] if row["grp"] != current else None
            current = row["grp"]

    def close(self) -> None:
        self.db.close()
