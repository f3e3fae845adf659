"""The server's settings: data folder, store, allowed server folders and every limit."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from xlperf.store.db import default_db_url

MIB = 2**20


@dataclass(frozen=True)
class Limits:
    """What one request may send and how long its files may take."""

    max_file_bytes: int = 20 * MIB  # one uploaded file
    max_request_bytes: int = 512 * MIB  # one request body (a folder's worth of returns)
    max_files: int = 2000  # files in one request
    file_timeout: float = 60.0  # per file, enforced by the batch's worker pool (as ``check --timeout``)
    queue_wait: float = 120.0  # a unit check waits this long for a free checker, then "busy" (503)
    unit_checkers: int = 2  # unit checks running at once (each one worker process)
    bureau_jobs: int = 1  # bureau batches running at once (each ``jobs`` worker processes)
    jobs: int = max(1, min(4, os.cpu_count() or 1))  # worker processes of a bureau batch
    keep_days: float = 90.0  # a job's folder (uploads, outputs) is removed after this; its results stay in the store


@dataclass(frozen=True)
class ServerConfig:
    """Where the server keeps things. Everything it writes goes under ``data_dir``."""

    data_dir: Path
    db_url: str = ""
    allowed_roots: tuple[Path, ...] = ()  # server folders the bureau page may check (read-only)
    limits: Limits = field(default_factory=Limits)
    bureau_key: str = ""  # needed for the history and server folders (empty: only from the server machine)
    xlwings: bool = False  # mount /xlwings/custom-functions-* (needs XLWINGS_LICENSE_KEY, see docs/xlwings_server.md)

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir).resolve())
        if not self.db_url:
            object.__setattr__(self, "db_url", default_db_url(self.data_dir))
        object.__setattr__(self, "allowed_roots", tuple(Path(p).resolve() for p in self.allowed_roots))

    @property
    def jobs_dir(self) -> Path:
        return self.data_dir / "jobs"

    @property
    def tmp_dir(self) -> Path:
        return self.data_dir / "tmp"

    def prepare(self) -> "ServerConfig":
        for folder in (self.data_dir, self.jobs_dir, self.tmp_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    def allowed_folder(self, given: str) -> Path | None:
        """``given`` resolved (symlinks followed) when it is a folder inside an allowed root and apart from
        the data folder, else None."""
        if not given or not self.allowed_roots:
            return None
        path = Path(given).expanduser().resolve()
        if not path.is_dir() or path == self.data_dir or path in self.data_dir.parents or self.data_dir in path.parents:
            return None  # never the server's own data (other users' uploads)
        return path if any(path == root or root in path.parents for root in self.allowed_roots) else None
