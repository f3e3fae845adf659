"""Jobs: one folder per upload or server-folder check, named by an unguessable id, and the checks run in it.

A job's files are reachable only through its id (``secrets.token_urlsafe``, 144 bits): its folder
``data/jobs/<id>/`` holds ``in/`` (the uploads, sanitised names), ``out/`` (``run_batch``'s outputs)
and ``job.json`` (state). Checks are ``xlperf.batch.runner.run_batch`` itself, so the worker pool's
per-file time limit and crash isolation apply; the results go to the store as the CLI's do.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from xlperf.server.config import ServerConfig

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{32}$")


class NoSuchJob(KeyError):
    """A job id that is malformed or unknown (the page answers 404)."""


class Busy(Exception):
    """No checker came free within the queue wait."""


@dataclass
class Job:
    id: str
    kind: str  # unit | bureau | api
    created: float = field(default_factory=time.time)
    status: str = "queued"  # queued | running | done | failed
    total: int = 0
    error: str | None = None
    source: str | None = None  # the server folder checked (bureau), shown to the bureau only
    write_back: bool = False
    framework: str = "generic"
    lang: str = "zh"


def scoring_config(framework: str) -> Any:
    """The ScoringConfig ``--framework ID`` gives on the command line (the framework's own, as
    ``commands.options.build_config`` loads it without overrides); only a framework id is accepted, never a
    file path from a client."""
    from xlperf.core.frameworks import framework_names, load_framework

    if framework not in framework_names():
        raise ValueError(f"unknown framework: {framework}")
    return load_framework(framework).config


class JobStore:
    """Creates job folders and runs their checks (unit checks at once, bureau batches in the background)."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self._unit_slots = threading.BoundedSemaphore(config.limits.unit_checkers)
        self._bureau = ThreadPoolExecutor(config.limits.bureau_jobs, thread_name_prefix="xlperf-bureau")
        self._lock = threading.Lock()
        self._purged = 0.0

    # --- folders -------------------------------------------------------------------------------
    def purge(self, now: float | None = None) -> int:
        """Remove job folders older than ``keep_days`` (at most once an hour); the store keeps their results."""
        import shutil

        now = now or time.time()
        keep = self.config.limits.keep_days
        with self._lock:
            if not keep or now - self._purged < 3600:
                return 0
            self._purged = now
        removed = 0
        for folder in self.config.jobs_dir.iterdir():
            try:
                old = JOB_ID.match(folder.name) and now - (folder / "job.json").stat().st_mtime > keep * 86400
            except OSError:
                continue
            if old:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed

    def new(self, kind: str, write_back: bool = False, source: str | None = None, framework: str = "generic",
            lang: str = "zh") -> Job:
        self.purge()
        job = Job(secrets.token_urlsafe(24), kind, source=source, write_back=write_back, framework=framework,
                  lang=lang)
        (self.folder(job.id) / "in").mkdir(parents=True)
        self.save(job)
        return job

    def folder(self, job_id: str) -> Path:
        if not JOB_ID.match(job_id or ""):
            raise NoSuchJob(job_id)
        return self.config.jobs_dir / job_id

    def inputs(self, job: Job) -> Path:
        return Path(job.source) if job.source else self.folder(job.id) / "in"

    def out(self, job_id: str) -> Path:
        return self.folder(job_id) / "out"

    def get(self, job_id: str) -> Job:
        """The job (NoSuchJob for a malformed or unknown id)."""
        path = self.folder(job_id) / "job.json"
        try:
            return Job(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise NoSuchJob(job_id) from exc

    def save(self, job: Job) -> None:
        from xlperf.workbook.atomic import atomic_output

        path = self.folder(job.id) / "job.json"
        with atomic_output(path) as tmp:
            Path(tmp).write_text(json.dumps(asdict(job), ensure_ascii=False), encoding="utf-8")

    def progress(self, job: Job) -> int:
        """Files finished so far (lines of the batch's state file)."""
        from xlperf.batch.discover import STATE_NAME

        if job.status == "done":
            return job.total
        try:
            with open(self.out(job.id) / STATE_NAME, "rb") as handle:
                return sum(1 for line in handle if line.endswith(b"\n"))
        except OSError:
            return 0

    def results(self, job_id: str) -> dict[str, Any]:
        from xlperf.store.record import read_results

        return read_results(self.out(job_id))

    # --- running -------------------------------------------------------------------------------
    def run_now(self, job: Job, jobs: int = 1) -> None:
        """Check an upload now, as the request waits (for a free checker up to ``queue_wait``; Busy after)."""
        if not self._unit_slots.acquire(timeout=self.config.limits.queue_wait):
            raise Busy()
        try:
            self._run(job, jobs)
        finally:
            self._unit_slots.release()

    def submit_bureau(self, job: Job) -> None:
        """Queue a bureau batch; the page polls ``progress``."""
        self._bureau.submit(self._run, job, self.config.limits.jobs)

    def _run(self, job: Job, jobs: int) -> None:
        from xlperf.batch.discover import discover
        from xlperf.batch.runner import RunOptions, run_batch
        from xlperf.batch.task import CheckOptions

        out, inputs = self.out(job.id), self.inputs(job)
        job.total, job.status = len(discover([inputs])), "running"
        self.save(job)
        try:
            opts = CheckOptions(cfg=scoring_config(job.framework), lang=job.lang,
                                write_back_dir=str(out / "corrected") if job.write_back else None)
            run_batch([inputs], opts, RunOptions(out, jobs=jobs, timeout=self.config.limits.file_timeout))
            self._store(job, inputs, out)
            job.status = "done"
        except Exception as exc:  # noqa: BLE001 - the job page shows it; the server goes on
            job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
        self.save(job)

    def _store(self, job: Job, inputs: Path, out: Path) -> None:
        from xlperf.store.db import open_store
        from xlperf.store.record import input_hashes, record_batch

        record_batch(open_store(self.config.db_url), out, input_hashes([inputs], out), job.kind, job.id)

    def close(self) -> None:
        self._bureau.shutdown(wait=False, cancel_futures=True)
