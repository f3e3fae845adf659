"""Instructions per file of the formula-free check, by phase: a figure that does not vary with the machine's load.

    python bench/instructions.py                    # bench/corpus/1000, 100 files, every phase
    python bench/instructions.py --files 50 --corpus bench/corpus/200

Needs valgrind. Each phase runs in its own process under ``valgrind --tool=cachegrind``: the check of the
first 40 files (warm-up: imports, caches), then of ``--files`` more, up to that phase. The same process
without the measured files is subtracted, so start-up and warm-up cancel out; the template cache is filled
before (a cold one would be rebuilt in the first process only, and skew the difference).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("zip checks", "package and sheet parsing", "grids, locks and the view", "project facts",
          "template recognition", "table reading", "scoring, totals and row checks", "structure comparison",
          "the whole check")


def _run(corpus: str, count: int, upto: int) -> None:
    """The measured work (inside valgrind): warm up, then run ``count`` files up to phase ``upto``."""
    sys.path.insert(0, str(ROOT))
    from xlperf.batch.discover import discover
    from xlperf.batch.steps import _score, _structure
    from xlperf.batch.task import CheckOptions, check_file
    from xlperf.batch.template_check import recognise
    from xlperf.scoring.result import FileResult
    from xlperf.workbook.info import find_info
    from xlperf.workbook.reader import read_tables
    from xlperf.workbook.sniff import sniff
    from xlperf.workbook.view import open_view
    from xlperf.workbook.xlsxread import read_workbook

    tasks = discover([corpus])
    opts = CheckOptions(formulas=False)
    for task in tasks[:40]:
        check_file(task, opts)
    for task in tasks[40:40 + count]:
        if upto == len(PHASES) - 1:
            check_file(task, opts)
            continue
        kind = sniff(task.path, opts.max_uncompressed, keep_parts=True)
        if upto == 1:
            read_workbook(kind.package)
        if upto < 2:
            continue
        view = open_view(task.path, package=kind.package)
        result = FileResult(task.name, info=find_info(view.data_grids()) if upto >= 3 else {})
        template = recognise(view)[0] if upto >= 4 else None
        if upto == 5:
            read_tables(view.path, view.data_grids(), view.formulas)
        elif upto >= 6:
            cfg = template.framework.config if template else opts.cfg
            scored = _score(view, opts, cfg, result)[1]
            if upto >= 7:
                _structure(view, scored, template, opts, result)


def _instructions(corpus: str, count: int, upto: int) -> int:
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", sys.executable,
           __file__, "--inner", str(upto), "--files", str(count), "--corpus", corpus]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    found = re.search(r"I\s+refs:\s+([\d,]+)", out)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{out[-2000:]}")
    return int(found[1].replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT / "bench" / "corpus" / "1000"))
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--inner", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner is not None:
        _run(args.corpus, args.files, args.inner)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    if len(list(Path(args.corpus).glob("*.xlsx"))) < 40 + args.files:
        sys.exit(f"{args.corpus} holds fewer than {40 + args.files} workbooks (python bench/corpus.py makes them)")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "xlperf")], check=True)
    # fill the template cache first: after a change to xlperf the first run rebuilds it (see RESULTS.md)
    subprocess.run([sys.executable, __file__, "--inner", "0", "--files", "0", "--corpus", args.corpus], check=True)
    base = _instructions(args.corpus, 0, 0)
    previous = 0.0
    print(f"Instructions per file, formula-free check, {args.files} files of {args.corpus}:")
    for upto, name in enumerate(PHASES):
        total = (_instructions(args.corpus, args.files, upto) - base) / args.files / 1e6
        whole = name == PHASES[-1]
        print(f"  {name:<32} {total - (0 if whole else previous):7.2f} M" + ("" if whole else f"  (cumulative {total:.2f} M)"))
        previous = total


if __name__ == "__main__":
    main()
