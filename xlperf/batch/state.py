"""The run's state file: one JSON line per finished file, so ``--resume`` skips finished work
and outputs are rebuilt from disk (memory stays flat however many files there are)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Iterator

from xlperf.batch.discover import STATE_NAME, Task
from xlperf.batch.results import FileResult



def task_key(task: Task) -> str:
    """Identity of an input file version: path, size and modification time."""
    try:
        st = os.stat(task.path)
        return f"{task.path}|{st.st_size}|{st.st_mtime_ns}"
    except OSError:
        return f"{task.path}|missing"


class StateFile:
    """Append-only progress log inside the output folder."""

    def __init__(self, out_dir: Path, resume: bool):
        self.path = out_dir / STATE_NAME
        if not resume and self.path.exists():
            self.path.unlink()
        self.done: dict[str, int] = {}
        if resume and self.path.exists():
            for offset, line in self._lines():
                try:
                    self.done[json.loads(line)["key"]] = offset
                except (ValueError, KeyError):
                    continue  # a line cut off by an interruption
        self._handle = open(self.path, "a", encoding="utf-8")
        self._synced = time.monotonic()

    def _lines(self) -> Iterator[tuple[int, str]]:
        with open(self.path, "rb") as handle:
            offset = 0
            for raw in handle:
                yield offset, raw.decode("utf-8", "replace")
                offset += len(raw)

    def record(self, key: str, result: FileResult) -> None:
        """Append one result; flushed at once, forced to disk at most once a second (an
        interruption loses at most the last second of results, which --resume redoes)."""
        self._handle.write(json.dumps({"key": key, "result": result.to_dict()}, ensure_ascii=False) + "\n")
        self._handle.flush()
        now = time.monotonic()
        if now - self._synced >= 1.0:
            os.fsync(self._handle.fileno())
            self._synced = now

    def close(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()

    def read(self, key: str) -> FileResult | None:
        """The result an earlier run recorded for ``key`` (None if it has none)."""
        offset = self.done.get(key)
        if offset is None:
            return None
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            return FileResult.from_dict(json.loads(handle.readline())["result"])
