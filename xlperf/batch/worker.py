"""What a worker process does before its first file: die with its parent, hold no one else's pipe ends,
stay under its memory cap, keep its temporary files in the run's folder, leave Ctrl-C to the parent.

- A forked worker inherits every file descriptor of its parent, including the parent's ends of its own
  and the earlier workers' pipes. While any worker holds them, no worker ever sees its pipe close, so a
  killed parent left its workers running forever. The inherited ends are closed here; on Linux the
  worker also asks the kernel for SIGKILL when its parent dies (``PR_SET_PDEATHSIG``), which ends it
  even in the middle of a file.
- The memory cap is the address-space limit (``RLIMIT_AS``): an allocation past it raises MemoryError
  (the worker reports the file and is replaced) instead of taking the machine down. BLAS libraries are
  kept to one thread: a worker checks one file at a time, and idle BLAS threads reserve address space.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import sys
import tempfile
from dataclasses import dataclass

DEFAULT_MEMORY_MB = 2048
_PR_SET_PDEATHSIG = 1
_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
CHECK_MODULES = ("xlperf.batch.steps", "xlperf.batch.bureau", "xlperf.batch.facts", "xlperf.batch.compare",
                 "xlperf.batch.template_check", "xlperf.batch.foreign", "xlperf.scoring.score", "xlperf.engine.rulefit",
                 "xlperf.checks.formula_shape", "xlperf.checks.text_inputs", "xlperf.workbook.sniff",
                 "xlperf.workbook.view", "xlperf.workbook.reader", "xlperf.workbook.xlsxread", "xlperf.workbook.info",
                 "xlperf.outputs.json_report", "xlperf.template.sheetlines",
                 "xlperf.engine.program", "formulas.functions.operators",  # a bureau score formula's rule (rulefit),
                 "schedula.dispatcher", "schedula.utils.sol", "schedula.utils.blue")  # compiled by formulas
ENGINE_MODULES = ("xlperf.engine.compiled", "xlperf.engine.recalc", "xlperf.checks.references",
                  "formulas.functions.math")  # SUM and the like, in most templates


@dataclass(frozen=True)
class WorkerSetup:
    """How each worker is prepared (picklable)."""

    parent_pid: int
    memory_bytes: int | None = None  # None: no cap
    tmp_dir: str | None = None
    close_fds: tuple[int, ...] = ()  # inherited descriptors that are not the worker's (fork only)
    preload: bool | None = None  # import the check's modules at start (True: the formula engine's too)


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this process when its parent dies; exit now if it already has."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:
        os._exit(1)


def limit_memory(limit: int) -> None:
    """Cap this process's address space at ``limit`` bytes (never raising an existing lower cap)."""
    try:
        import resource
    except ImportError:  # Windows: no per-process cap
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):  # a platform that does not enforce it (macOS): the timeout still bounds work
        pass


def use_tmp_dir(folder: str) -> None:
    """Temporary files (the formula engine's, LibreOffice's) in ``folder``, removed with the run."""
    os.makedirs(folder, exist_ok=True)
    tempfile.tempdir = folder
    os.environ["TMPDIR"] = folder


def preload(formulas: bool) -> None:
    """Import what checking a file imports (the reader, the checks, numpy and ``formulas``: about 0.18 s),
    in each worker as it starts, while the parent still lists the files and opens the outputs, so the
    first task finds it done. Measured on the bureau corpus (1 000 files, formula-free): done in the parent
    before forking, the workers inherited it (0.25 s less CPU at --jobs 2, the same wall time) but the
    parent's start grew by the import: four alternating runs each, --jobs 1 1.97–2.09 s against 1.85–2.06 s
    here, --jobs 2 1.37–1.55 s against 1.29–1.45 s (at --jobs 2 a zygote now imports once, ``zygote``).
    A module that fails here fails with the worker's first file, as it would without the preload.

    The list includes what a bureau copy's first score formula imports (the engine's program, the
    operators of ``formulas``), so the first file does not: preload and first file 156–167 → 146–155 ms
    CPU formula-free, 206–211 → 186–189 ms with the formula engine (three alternating runs each).

    What is loaded is then frozen out of the garbage collector (``gc.freeze``): its full collections no
    longer walk the ~37 000 objects of the imports, and a forked worker no longer writes to (copies) their
    pages when one runs (the second and third files with the formula engine, where the first full
    collection falls: 53–57 → 42 ms CPU)."""
    for name in CHECK_MODULES + (ENGINE_MODULES if formulas else ()):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - an optimisation only: the worker reports the failure with its file
            break
    gc.freeze()


def single_threaded() -> None:
    """BLAS libraries in one thread (set before numpy is imported)."""
    for name in _THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def prepare(setup: WorkerSetup) -> None:
    """Everything a worker does before it takes its first file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it ends the workers itself
    die_with_parent(setup.parent_pid)
    for fd in setup.close_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    single_threaded()
    if setup.tmp_dir:
        use_tmp_dir(setup.tmp_dir)
    if setup.memory_bytes:
        limit_memory(setup.memory_bytes)
    from xlperf.batch.facts import forget

    forget()  # this batch's parent has received none of the template facts the forked-from process sent
    if setup.preload is not None:
        preload(setup.preload)
