"""Run the check over many files: local process pool or Dask, streamed state, outputs as one set at the end.

The output folder is checked and locked before anything else (``outdir``); the new outputs and corrected
copies are written under its work folder and swapped in together when the last file is done, so an
interrupted, failed or killed run leaves the previous set as it was. Results stream to the state file in
the order they finish and to the outputs in input order.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from xlperf.batch import legacy
from xlperf.batch.discover import Task, discover
from xlperf.batch.outdir import OutDir
from xlperf.batch.state import StateFile, task_key
from xlperf.batch.task import CheckOptions, check_file, outcome_result, run_task_limited
from xlperf.batch.worker import DEFAULT_MEMORY_MB
from xlperf.errors import OutputError
from xlperf.findings import Finding
from xlperf.messages import UserError, text
from xlperf.scoring.result import Encoded, FileResult, encode, failed

DEFAULT_TIMEOUT = 120.0


@dataclass
class RunOptions:
    """How the batch runs (as opposed to how each file is checked)."""

    out_dir: Path
    jobs: int = 1
    executor: str = "local"  # local | dask
    scheduler: str | None = None  # dask scheduler address; None starts a LocalCluster
    resume: bool = False
    timeout: float | None = DEFAULT_TIMEOUT
    progress: bool = False
    memory_mb: int | None = DEFAULT_MEMORY_MB  # per worker (address space); None or 0: no cap


@dataclass
class BatchResult:
    """Where the outputs went and what they say, in counts of findings and of files by status."""

    out_dir: Path
    files: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    statuses: dict[str, int] = field(default_factory=dict)
    summary_path: Path | None = None
    seconds: float = 0.0

    @property
    def has_errors(self) -> bool:
        return self.counts["error"] > 0


def _memory_bytes(run: RunOptions) -> int | None:
    return run.memory_mb * 2**20 if run.memory_mb else None


def _start_pool(run: RunOptions, opts: CheckOptions, out: OutDir, early: Any = None) -> Any:
    """The local worker pool, started before the batch's file list exists (None: Dask or in-process), of
    the ``early`` zygote if given (``pool.prestart``). Its function carries the options, so they reach each
    worker once rather than with every file."""
    if run.executor == "dask" or run.jobs <= 0:
        return None
    from xlperf.batch.pool import WorkerPool

    return WorkerPool(functools.partial(check_sent, opts=opts), run.jobs, run.timeout, memory_bytes=_memory_bytes(run),
                      tmp_dir=str(out.tmp), preload=opts.formulas, early=early).start()


def check_sent(task: Task, opts: CheckOptions) -> FileResult | Encoded:
    """``check_file`` as a pool worker sends it: a result with structure facts JSON-encoded in the worker,
    beside the other worker's checking, rather than in the parent (parent CPU of a bureau batch, 1 000
    copies, --jobs 2: 0.61 → 0.56 s; encoding each result once, not for the state file and the spool
    apart: 0.64 → 0.61 s). A corrected copy's path is the parent's to map (``OutDir.final``)."""
    result = check_file(task, opts)
    if not result.structure or result.written:
        return result
    result.path = task.path
    return encode(result)


def pool_result(task: Task, outcome: tuple[str, Any], opts: CheckOptions) -> FileResult | Encoded:
    """A pool outcome as the file's result (a worker past its memory cap is that file's finding)."""
    if outcome[0] == "memory":
        limit = f"{outcome[1] / 2**20:.0f} MB" if outcome[1] else ""
        return failed(task.name, Finding("file-memory", expected=limit), opts.lang)
    if outcome[0] == "environment":
        raise OutputError(*outcome[1])
    return outcome_result(task, outcome, opts)


def _local(tasks: list[Task], opts: CheckOptions, run: RunOptions, on_started: Callable[[], Any] | None = None,
           pool: Any = None, on_idle: Callable[[], Any] | None = None) -> Iterator[tuple[Task, FileResult | Encoded]]:
    if pool is None:  # in-process (jobs <= 0), for debugging: no isolation, no timeout, no memory cap
        from xlperf.batch.facts import forget

        forget()  # template facts are sent to this batch afresh (see facts.forget)
        for task in tasks:
            try:
                result = check_file(task, opts)
            except MemoryError:
                result = pool_result(task, ("memory", None), opts)
            yield task, result
        return
    for index, outcome in pool.run(tasks, on_started=on_started, on_idle=on_idle):
        yield tasks[index], pool_result(tasks[index], outcome, opts)


def _dask(tasks: list[Task], opts: CheckOptions, run: RunOptions,
          on_started: Callable[[], Any] | None = None) -> Iterator[tuple[Task, FileResult]]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise UserError("dask-missing") from None
    from xlperf.batch.pool import error_outcome

    cluster = None
    if run.scheduler:
        client = Client(run.scheduler)
    else:  # the cap is Dask's own per-worker memory limit: its nanny restarts a worker that passes it
        cluster = LocalCluster(n_workers=max(1, run.jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None, memory_limit=_memory_bytes(run) or 0)
        client = Client(cluster)
    try:
        futures = client.map(run_task_limited, [(t, opts, run.timeout) for t in tasks], pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        for future in as_completed(futures):
            task = tasks[index[future.key]]
            try:
                result, stuck = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker-side failure is that file's finding
                yield task, outcome_result(task, error_outcome(exc), opts)
                continue
            if stuck:
                _restart_worker(client, stuck, task, opts.lang)
            yield task, result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _restart_worker(client: Any, address: str, task: Task, lang: str) -> None:
    """End the check still running past its limit by restarting its Dask worker (its other tasks are
    rescheduled by Dask); where that is impossible, say so rather than hide a busy worker."""
    try:
        client.restart_workers([address])
    except Exception as exc:  # noqa: BLE001 - e.g. a worker without a nanny cannot be restarted
        print(text("dask-restart", lang, file=task.name, worker=address, reason=type(exc).__name__), file=sys.stderr)


class Progress:
    """A one-line progress bar on a terminal; silent otherwise (CI, pipes)."""

    def __init__(self, total: int, enabled: bool, lang: str = "zh"):
        self.total, self.done, self.enabled, self.lang = total, 0, enabled and total > 0, lang
        self.started = time.monotonic()

    def step(self) -> None:
        self.done += 1
        if self.enabled:
            width = 30
            filled = int(width * self.done / self.total)
            rate = self.done / max(1e-9, time.monotonic() - self.started)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}  "
                             + text("rate", self.lang, rate=rate))
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def progress_wanted() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class _InOrder:
    """Hands results to the outputs in input order as they arrive (resumed files read back from the
    state file), counting severities and statuses on the way."""

    def __init__(self, keys: list[str], state: StateFile, outputs: Any, batch: "BatchResult"):
        self.keys, self.state, self.outputs, self.batch = keys, state, outputs, batch
        self.ready: dict[int, FileResult | Encoded] = {}
        self.next = 0

    def put(self, index: int, result: FileResult | Encoded) -> None:
        self.ready[index] = result
        self.flush()

    def flush(self) -> None:
        while self.next < len(self.keys):
            result = self.ready.pop(self.next, None)
            if result is None:
                result = self.state.read(self.keys[self.next])
                if result is None:
                    return
            for severity, count in result.counts.items():
                self.batch.counts[severity] = self.batch.counts.get(severity, 0) + count
            self.batch.statuses[result.status] = self.batch.statuses.get(result.status, 0) + 1
            self.outputs.add(result)
            self.next += 1


def run_options(paths: list[str], opts: CheckOptions) -> dict[str, Any]:
    """What the state file records of a run: every option that shapes a result (see ``state``)."""
    templates = json.dumps([t.to_json() for t in opts.templates], sort_keys=True, default=str)
    return {"inputs": [os.path.realpath(p) for p in paths], "scoring": dataclasses.asdict(opts.cfg),
            "lang": opts.lang, "formulas": opts.formulas, "write_back": bool(opts.write_back_dir),
            "max_uncompressed": opts.max_uncompressed, "templates": hashlib.sha256(templates.encode()).hexdigest()}


def run_batch(paths: Iterable[str | Path], opts: CheckOptions, run: RunOptions, early: Any = None) -> BatchResult:
    """Check every file under ``paths``; the outputs (汇总.xlsx, findings.csv, results.json and, with
    write-back, corrected/) replace those in ``run.out_dir`` as one set when the last file is done.
    ``early``: a zygote for the pool (``pool.prestart``), started by the caller before its own start-up;
    the caller closes it (nothing to do once the pool has made its workers of it).

    Raises UserError for a usage or environment problem (nothing then changes in the output folder but
    the state file, which ``--resume`` continues from)."""
    paths = [str(p) for p in paths]
    opts = replace(opts, in_batch=True)  # workers send structure facts for the inferred template
    out = OutDir(run.out_dir).open(run.resume, paths)
    try:  # the workers keep their temporary files in out.tmp (this process's own are deleted when closed)
        if opts.write_back_dir and os.path.abspath(opts.write_back_dir) == os.path.abspath(out.path / "corrected"):
            opts = replace(opts, write_back_dir=str(out.corrected))  # staged, swapped in with the set
        pool = _start_pool(run, opts, out, early)
        try:
            batch = _run_batch(paths, opts, run, pool, out)
        finally:
            if pool is not None:
                pool.close()
        out.commit()
        return batch
    except OSError as exc:  # the state file, an output, a corrected copy: the machine, not a file
        raise UserError("disk-error", path=exc.filename or str(out.path), reason=exc) from None
    finally:
        out.close()


def _tasks(paths: list[str], out: OutDir) -> list[Task]:
    """The run's tasks; UserError when there is nothing a return could be among them."""
    tasks = discover(paths, exclude=[out.path])
    if not tasks:
        raise UserError("no-inputs", paths=", ".join(paths))
    if all(task.kind in ("other", "special", "output") for task in tasks):
        raise UserError("no-workbooks", count=len(tasks), example=tasks[0].name)
    return tasks


def _run_batch(paths: list[str], opts: CheckOptions, run: RunOptions, pool: Any, out: OutDir) -> BatchResult:
    from xlperf.batch.infer import deferred
    from xlperf.outputs.outputset import Outputs

    started = time.monotonic()
    tasks = _tasks(paths, out)
    # with a local pool, the state file takes a quarter second's results at a time (see StateFile.record)
    state = StateFile(out.path, run.resume, run_options(paths, opts), every=pool.CHECK_EVERY if pool else 0.0)
    keys = [task_key(t) for t in tasks]
    index_of = {task.path: i for i, task in enumerate(tasks)}
    todo = legacy.prepare([t for t, k in zip(tasks, keys) if k not in state.done], out.work, run.timeout, run.jobs)
    progress = Progress(len(todo), run.progress, opts.lang)
    runner = _dask if run.executor == "dask" else functools.partial(_local, pool=pool, on_idle=state.idle)
    batch = BatchResult(out.path, len(tasks))
    outputs = deferred(Outputs(out.staged, opts, final_dir=out.path), batch, opts)  # + what copies of a template
    # disagree on (batch.infer)
    in_order = _InOrder(keys, state, outputs, batch)
    try:
        in_order.flush()  # files finished by an earlier, interrupted run
        for task, result in runner(todo, opts, run, outputs.open):
            index = index_of[task.path]
            if not isinstance(result, Encoded):
                result.path, result.written = task.path, out.final(result.written)
                if result.structure:  # encoded once for the state file and the spool
                    result = encode(result)
            state.record(keys[index], result)
            in_order.put(index, result)
            progress.step()
        in_order.flush()
        batch.summary_path = out.path / outputs.close().name
    except BaseException:
        outputs.abort()
        raise
    finally:
        progress.close()
        state.close()
        legacy.cleanup(out.work)
    batch.seconds = round(time.monotonic() - started, 2)
    return batch
