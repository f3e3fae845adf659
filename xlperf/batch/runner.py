"""Run the check over many files: local process pool or Dask, streamed state, outputs at the end."""

from __future__ import annotations

import functools
import os
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from xlperf.batch import legacy
from xlperf.batch.discover import Task, discover
from xlperf.batch.results import FileResult
from xlperf.batch.state import StateFile, task_key
from xlperf.batch.task import CheckOptions, check_file, outcome_result, run_task_limited

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


@dataclass
class BatchResult:
    """Where the outputs went and what they say, in counts."""

    out_dir: Path
    files: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    statuses: dict[str, int] = field(default_factory=dict)
    summary_path: Path | None = None
    seconds: float = 0.0

    @property
    def has_errors(self) -> bool:
        return self.counts["error"] > 0


def _start_pool(run: RunOptions, opts: CheckOptions) -> Any:
    """The local worker pool, started before the batch's file list exists (None: Dask or in-process).
    Its function carries the options, so they reach each worker once rather than with every file."""
    if run.executor == "dask" or run.jobs <= 0:
        return None
    from xlperf.batch.pool import WorkerPool

    return WorkerPool(functools.partial(check_file, opts=opts), run.jobs, run.timeout).start()


def _local(tasks: list[Task], opts: CheckOptions, run: RunOptions,
           on_started: Callable[[], Any] | None = None, pool: Any = None) -> Iterator[tuple[Task, FileResult]]:
    if pool is None:  # in-process (jobs <= 0), for debugging: no isolation, no timeout
        for task in tasks:
            yield task, check_file(task, opts)
        return
    for index, outcome in pool.run(tasks, on_started=on_started):
        yield tasks[index], outcome_result(tasks[index], outcome, opts)


def _dask(tasks: list[Task], opts: CheckOptions, run: RunOptions,
          on_started: Callable[[], Any] | None = None) -> Iterator[tuple[Task, FileResult]]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise RuntimeError("需要安装 dask[distributed]：pip install 'xlperf[dask]'") from exc
    from xlperf.batch.pool import error_outcome

    cluster = None
    if run.scheduler:
        client = Client(run.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, run.jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
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
                _restart_worker(client, stuck, task)
            yield task, result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _restart_worker(client: Any, address: str, task: Task) -> None:
    """End the check still running past its limit by restarting its Dask worker (its other tasks are
    rescheduled by Dask); where that is impossible, say so rather than hide a busy worker."""
    try:
        client.restart_workers([address])
    except Exception as exc:  # noqa: BLE001 - e.g. a worker without a nanny cannot be restarted
        print(f"警告：{task.name} 超时，但 Dask 工作进程 {address} 无法重启（{type(exc).__name__}），"
              f"其检查仍在后台运行 / warning: worker {address} could not be restarted", file=sys.stderr)


class Progress:
    """A one-line progress bar on a terminal; silent otherwise (CI, pipes)."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.enabled = total, 0, enabled and total > 0
        self.started = time.monotonic()

    def step(self) -> None:
        self.done += 1
        if self.enabled:
            width = 30
            filled = int(width * self.done / self.total)
            rate = self.done / max(1e-9, time.monotonic() - self.started)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}  {rate:.1f} 个/秒")
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
        self.ready: dict[int, FileResult] = {}
        self.next = 0

    def put(self, index: int, result: FileResult) -> None:
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


def run_batch(paths: Iterable[str | Path], opts: CheckOptions, run: RunOptions) -> BatchResult:
    """Check every file under ``paths``; outputs (汇总.xlsx, findings.csv, results.json) go to ``run.out_dir``,
    written while the files are checked and put in place when the last one is done."""
    opts = replace(opts, in_batch=True)  # workers send structure facts for the inferred template
    pool = _start_pool(run, opts)
    try:
        return _run_batch(paths, opts, run, pool)
    finally:
        if pool is not None:
            pool.close()


def _run_batch(paths: Iterable[str | Path], opts: CheckOptions, run: RunOptions, pool: Any) -> BatchResult:
    from xlperf.batch.infer import deferred
    from xlperf.report.outputs import Outputs

    started = time.monotonic()
    out_dir = Path(run.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = discover(paths, exclude=[out_dir])
    state = StateFile(out_dir, run.resume)
    keys = [task_key(t) for t in tasks]
    index_of = {task.path: i for i, task in enumerate(tasks)}
    todo = legacy.prepare([t for t, k in zip(tasks, keys) if k not in state.done], out_dir, run.timeout, run.jobs)
    progress = Progress(len(todo), run.progress)
    runner = _dask if run.executor == "dask" else functools.partial(_local, pool=pool)
    batch = BatchResult(out_dir, len(tasks))
    outputs = deferred(Outputs(out_dir, opts), batch, opts)  # adds what copies of one template disagree on
    in_order = _InOrder(keys, state, outputs, batch)
    try:
        in_order.flush()  # files finished by an earlier, interrupted run
        for task, result in runner(todo, opts, run, outputs.open):
            index, result.path = index_of[task.path], task.path
            state.record(keys[index], result)
            in_order.put(index, result)
            progress.step()
        in_order.flush()
        batch.summary_path = outputs.close()
    except BaseException:
        outputs.abort()
        raise
    finally:
        progress.close()
        state.close()
        legacy.cleanup(out_dir)
    batch.seconds = round(time.monotonic() - started, 2)
    return batch
