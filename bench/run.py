"""Benchmark: xlperf check against per-file formulas, LibreOffice (forced recalc) and the calamine floor.

    .venv/bin/python bench/run.py --n 1000                      # one corpus, every way, 1 and 2 processes
    .venv/bin/python bench/run.py --n 100 --n 10000 --memory-only   # xlperf's peak memory as N grows

Not a test: it prints figures and writes them to bench/RESULTS.md. Every way runs on the same corpus
(all N files) with equal process counts, as a separate process tree timed by bench/measure.py (wall
time from start to exit, start-up and outputs included; peak RSS of the largest process). xlperf and
calamine take the median of --passes runs, the slow references of --ref-passes runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable

from bench.corpus import make_corpus  # noqa: E402

FF, ENGINE, FORMULAS, LO, CALAMINE = "xlperf check, formula-free", "xlperf check, formula engine", \
    "formulas per file", "LibreOffice, forced recalc", "python-calamine read floor"
TARGETS = [  # (what, numerator way, denominator way, bound, higher is better)
    ("formula-free ≥ 50× faster than LibreOffice forced recalc", LO, FF, 50, True),
    ("formula-free ≥ 100× faster than per-file formulas", FORMULAS, FF, 100, True),
    ("formula-free within 5× of the calamine floor", FF, CALAMINE, 5, False),
    ("formula engine ≥ 10× faster than per-file formulas", FORMULAS, ENGINE, 10, True),
]


def measure(cmd: list[str]) -> dict:
    out = subprocess.run([PY, str(ROOT / "bench" / "measure.py"), *cmd], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def xlperf_check(folder: Path, jobs: int, formulas: bool) -> dict:
    out = Path(tempfile.mkdtemp(prefix="xlperf-bench-out-"))
    try:
        cmd = [PY, "-m", "xlperf", "check", str(folder), "--out", str(out), "--jobs", str(jobs)]
        return measure(cmd if formulas else [*cmd, "--no-formulas"])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def reference(way: str, folder: Path, jobs: int, profiles: Path | None = None) -> dict:
    cmd = [PY, str(ROOT / "bench" / "refs.py"), way, str(folder), "--jobs", str(jobs)]
    if profiles is not None:
        cmd += ["--profiles", str(profiles)]
        subprocess.run([*cmd, "--warm"], check=True, capture_output=True)
    return measure(cmd)


def median_of(runs: int, func, *args) -> dict:
    results = sorted((func(*args) for _ in range(runs)), key=lambda r: r["seconds"])
    return results[len(results) // 2]


def run_size(n: int, args: argparse.Namespace) -> dict[tuple[str, int], dict]:
    folder = ROOT / "bench" / "corpus" / str(n)
    make_corpus(folder, n)
    runs = 1 if n > 2000 else args.passes
    table: dict[tuple[str, int], dict] = {}
    lo_profiles = Path(tempfile.mkdtemp(prefix="xlperf-bench-profiles-"))
    try:
        for jobs in args.jobs or (1, 2):
            table[(FF, jobs)] = median_of(runs, xlperf_check, folder, jobs, False)
            if not args.formula_free_only:
                table[(ENGINE, jobs)] = median_of(runs, xlperf_check, folder, jobs, True)
            if args.memory_only:
                continue
            table[(CALAMINE, jobs)] = median_of(runs, reference, "calamine", folder, jobs)
            table[(FORMULAS, jobs)] = median_of(args.ref_passes, reference, "formulas", folder, jobs)
            if not args.skip_lo and shutil.which("soffice"):
                table[(LO, jobs)] = median_of(args.ref_passes, reference, "libreoffice", folder, jobs,
                                              lo_profiles / str(jobs))
            print(f"N = {n}, {jobs} process(es): done", file=sys.stderr)
    finally:
        shutil.rmtree(lo_profiles, ignore_errors=True)
    for entry in table.values():
        entry["files"] = n
    return table


def verify(folder: Path, count: int) -> str:
    """The formula engine's values against ``formulas``' own per-file ExcelModel, cell by cell."""
    os.environ["TQDM_DISABLE"] = "1"
    from xlperf.batch.template_check import recognise
    from xlperf.engine.compiled import recompute
    from xlperf.engine.recalc import recalc_workbook
    from xlperf.workbook.view import open_view

    files = sorted(folder.glob("*.xlsx"))[:count]
    cells = differ = 0
    for path in files:
        view = open_view(path)
        template, _ = recognise(view)
        expected = recalc_workbook(path).values
        for key, value in recompute(view, template).items():
            cells += 1
            differ += expected.get(key, "missing") != value
    return (f"Formula engine vs per-file `formulas` on the first {len(files)} files of the corpus: {cells} formula "
            f"cells compared, {differ} differ.")


def ms(entry: dict) -> float:
    return entry["seconds"] * 1000 / entry["files"]


def cpu_ms(entry: dict) -> str:
    """CPU time of the whole process tree per file (user + system; above wall time × processes when a way
    runs more threads or processes than it was given)."""
    return f"{entry['cpu'] * 1000 / entry['files']:.2f}" if "cpu" in entry else "–"


def render(rows: list[tuple[int, dict]], args: argparse.Namespace) -> str:
    cmd = "python bench/run.py " + " ".join(f"--n {n}" for n, _ in rows) + "".join(f" --jobs {j}" for j in args.jobs or []) \
        + (" --memory-only" if args.memory_only else "") + (" --formula-free-only" if args.formula_free_only else "") \
        + (f" --passes {args.passes}" if args.passes != 3 else "") + (f" --ref-passes {args.ref_passes}" if args.ref_passes != 1 else "")
    out = ["# xlperf benchmark", "", f"Reproduce: `{cmd}` (machine: {os.cpu_count()} cores, "
           f"{time.strftime('%Y-%m-%d')}).", ""]
    for n, table in rows:
        out += [f"## N = {n}", "", "| way | processes | ms per file | files per second | CPU ms per file | peak RSS (MB) | "
                "× slower than xlperf formula-free | × slower than xlperf formula engine |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for (way, jobs), entry in table.items():
            ff, eng = table.get((FF, jobs)), table.get((ENGINE, jobs))
            out.append(f"| {way} | {jobs} | {ms(entry):.2f} | {1000 / ms(entry):.1f} | {cpu_ms(entry)} | {entry['peak_rss'] / 2**20:.0f} | "
                       f"{ms(entry) / ms(ff) if ff else float('nan'):.2f} | {ms(entry) / ms(eng) if eng else float('nan'):.2f} |")
        out.append("")
        checks = []
        for what, num, den, bound, higher in TARGETS:
            for jobs in args.jobs or (1, 2):
                a, b = table.get((num, jobs)), table.get((den, jobs))
                if a and b:
                    ratio = ms(a) / ms(b)
                    met = ratio >= bound if higher else ratio <= bound
                    checks.append(f"| {what} | {jobs} | {ratio:.1f}× | {'met' if met else 'NOT met'} |")
        if checks:
            out += ["| target (equal process counts) | processes | ratio | |", "|---|---:|---:|---|", *checks, ""]
    sizes = {n: t for n, t in rows}
    if len(sizes) > 1:
        lo_n, hi_n = min(sizes), max(sizes)
        for way in (FF, ENGINE):
            for jobs in args.jobs or (1, 2):
                lo, hi = sizes[lo_n].get((way, jobs)), sizes[hi_n].get((way, jobs))
                if lo and hi:
                    ratio = hi["peak_rss"] / lo["peak_rss"]
                    out.append(f"- {way}, {jobs} process(es): peak RSS {hi['peak_rss'] / 2**20:.0f} MB at N = {hi_n} vs "
                               f"{lo['peak_rss'] / 2**20:.0f} MB at N = {lo_n}: {ratio:.2f}× "
                               f"({'met' if ratio <= 1.5 else 'NOT met'}, target ≤ 1.5×)")
        out.append("")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="corpus sizes (repeatable; default 1000)")
    parser.add_argument("--passes", type=int, default=3, help="runs per xlperf and calamine figure (median)")
    parser.add_argument("--ref-passes", type=int, default=1, help="runs per per-file formulas / LibreOffice figure")
    parser.add_argument("--memory-only", action="store_true", help="only xlperf check, for peak memory per N")
    parser.add_argument("--skip-lo", action="store_true")
    parser.add_argument("--jobs", type=int, action="append", help="process counts to run (default 1 and 2)")
    parser.add_argument("--formula-free-only", action="store_true", help="skip the formula-engine runs")
    parser.add_argument("--verify", type=int, default=40, help="files whose engine values are compared cell by cell")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    # Bytecode as a regular install has it (pip compiles site-packages; an editable xlperf under
    # PYTHONDONTWRITEBYTECODE would otherwise recompile its modules in every measured process).
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "xlperf"), str(ROOT / "bench")], check=True)
    # The rebuilt-template cache (~/.cache/xlperf) as after any earlier run of this xlperf: a first run
    # ever rebuilds each template once per worker with openpyxl (≈ 0.3 s and ≈ 20 MB more per worker).
    subprocess.run([PY, "-c", "from xlperf.batch.template_check import reference_structure as r\n"
                    "from xlperf.core.frameworks import framework_names as n, load_framework as f\n"
                    "[r(x) for x in n() if f(x).indicators]"], check=True)
    rows = [(n, run_size(n, args)) for n in args.n or [1000]]
    report = render(rows, args)
    if args.verify and not args.memory_only:
        report += "\n" + verify(ROOT / "bench" / "corpus" / str(rows[0][0]), args.verify) + "\n"
    print(report)
    Path(args.out).write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
