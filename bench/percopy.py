"""CPU per copy of one worker's check, in this process: the figure the per-file work is tuned by.

    .venv/bin/python bench/percopy.py bench/corpus/bureau-1000            # formula-free
    .venv/bin/python bench/percopy.py bench/corpus/bureau-1000 --formulas # with the formula engine
    (another commit: run its own copy of this file, from that checkout)

Every checkable file of the folder through ``batch.task.check_file`` as a batch's worker runs it (after
the imports a worker inherits; the first file, which warms the per-template caches, is reported apart).
``time.process_time``: steadier than wall time on a shared machine. Not a test; ``bench/run.py`` measures
whole runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xlperf.batch.discover import discover  # noqa: E402
from xlperf.batch.task import CheckOptions, check_file  # noqa: E402
try:  # the workers' start-up imports (older checkouts have none: the first file imports them)
    from xlperf.batch.worker import preload  # noqa: E402
except ImportError:
    def preload(formulas: bool) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--formulas", action="store_true", help="recompute formulas (the formula engine)")
    parser.add_argument("--n", type=int, default=0, help="at most this many files (default all)")
    args = parser.parse_args()
    preload(args.formulas)
    tasks = [t for t in discover([args.folder]) if t.checkable]
    tasks = tasks[:args.n] if args.n else tasks
    if len(tasks) < 2:
        sys.exit("percopy: the folder needs at least two workbooks")
    opts = CheckOptions(formulas=args.formulas, in_batch=True)
    start = time.process_time()
    check_file(tasks[0], opts)
    first = time.process_time() - start
    start = time.process_time()
    for task in tasks[1:]:
        check_file(task, opts)
    per_copy = (time.process_time() - start) / (len(tasks) - 1)
    mode = "formula engine" if args.formulas else "formula-free"
    print(f"{mode}: first file {first * 1000:.1f} ms, then {per_copy * 1000:.3f} ms CPU per copy ({len(tasks) - 1} copies)")


if __name__ == "__main__":
    main()
