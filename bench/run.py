"""Benchmark: xlperf check against per-file formulas, LibreOffice (forced recalc) and the calamine floor.

    .venv/bin/python bench/run.py --n 1000                      # both corpora, every way, 1 and 2 processes
    .venv/bin/python bench/run.py --n 1000 --corpus bureau      # the bureau-template corpus only
    .venv/bin/python bench/run.py --n 100 --n 10000 --memory-only   # xlperf's peak memory as N grows

Two corpora: ``xlperf`` (copies of xlperf's own templates, ``bench/corpus.py``) and ``bureau`` (copies of
three templates bureaus make themselves, ``bench/bureau.py``; no --template: the template is inferred
from the batch). Not a test: it prints figures and adds them to bench/RESULTS.md, above the earlier runs. Every way runs on
the same corpus (all N files) as a separate process tree timed by bench/measure.py (wall time from start
to exit, start-up and outputs included; CPU of the tree; peak RSS of the largest process; the machine's
1-minute load average when it started). xlperf and calamine take the median of --passes runs, the slow
references of --ref-passes runs; on the bureau corpus, per-file formulas runs with 1 process and
LibreOffice with 2, as the targets compare them.
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

from bench.bureau import make_bureau_corpus  # noqa: E402
from bench.corpus import make_corpus  # noqa: E402

FF, ENGINE, FORMULAS, LO, CALAMINE = "xlperf check, formula-free", "xlperf check, formula engine", \
    "formulas per file", "LibreOffice, forced recalc", "python-calamine read floor"
TARGETS = {  # corpus → (what, numerator way, denominator way, bound, higher is better, process counts)
    "xlperf": [
        ("formula-free ≥ 50× faster than LibreOffice forced recalc", LO, FF, 50, True, (1, 2)),
        ("formula-free ≥ 100× faster than per-file formulas", FORMULAS, FF, 100, True, (1, 2)),
        ("formula-free within 5× of the calamine floor", FF, CALAMINE, 5, False, (1, 2)),
        ("formula engine ≥ 10× faster than per-file formulas", FORMULAS, ENGINE, 10, True, (1, 2)),
    ],
    "bureau": [
        ("formula engine ≥ 10× faster than LibreOffice forced recalc", LO, ENGINE, 10, True, (2,)),
        ("formula engine ≥ 30× faster than per-file formulas", FORMULAS, ENGINE, 30, True, (1,)),
        ("formula-free within 5× of the calamine floor", FF, CALAMINE, 5, False, (1, 2)),
    ],
}
REF_JOBS = {"xlperf": {FORMULAS: (1, 2), LO: (1, 2)}, "bureau": {FORMULAS: (1,), LO: (2,)}}
FOLDERS = {"xlperf": lambda n: ROOT / "bench" / "corpus" / str(n),
           "bureau": lambda n: ROOT / "bench" / "corpus" / f"bureau-{n}"}
MAKERS = {"xlperf": make_corpus, "bureau": make_bureau_corpus}


def measure(cmd: list[str]) -> dict:
    load = os.getloadavg()[0]
    out = subprocess.run([PY, str(ROOT / "bench" / "measure.py"), *cmd], capture_output=True, text=True, check=True)
    return {**json.loads(out.stdout), "load": load}


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


def run_size(corpus: str, n: int, args: argparse.Namespace) -> dict[tuple[str, int], dict]:
    folder = FOLDERS[corpus](n)
    MAKERS[corpus](folder, n)
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
            if jobs in REF_JOBS[corpus][FORMULAS]:
                table[(FORMULAS, jobs)] = median_of(args.ref_passes, reference, "formulas", folder, jobs)
            if not args.skip_lo and shutil.which("soffice") and jobs in REF_JOBS[corpus][LO]:
                table[(LO, jobs)] = median_of(args.ref_passes, reference, "libreoffice", folder, jobs,
                                              lo_profiles / str(jobs))
            print(f"{corpus} corpus, N = {n}, {jobs} process(es): done", file=sys.stderr)
    finally:
        shutil.rmtree(lo_profiles, ignore_errors=True)
    for entry in table.values():
        entry["files"] = n
    return table


def verify(folder: Path, count: int) -> str:
    """The formula engine's values against ``formulas``' own per-file ExcelModel, cell by cell (files of
    the sample taken across the corpus: every layout and defect variant is in it)."""
    os.environ["TQDM_DISABLE"] = "1"
    from xlperf.batch.template_check import recognise
    from xlperf.engine.compiled import _program, recompute
    from xlperf.engine.recalc import recalc_workbook
    from xlperf.workbook.view import open_view

    every = sorted(folder.glob("*.xlsx"))
    files = every[::max(1, len(every) // count)][:count]
    cells = differ = compiled = 0
    for path in files:
        view = open_view(path)
        template, _ = recognise(view)
        expected = recalc_workbook(path).values
        compiled += _program(view) is not None
        for key, value in recompute(view, template).items():
            cells += 1
            want = expected.get(key, "missing")
            differ += bool(want != value) or type(want) is not type(value)
    return (f"Formula engine vs per-file `formulas` on {len(files)} files taken across the corpus ({compiled} of them "
            f"run by the compiled program): {cells} formula cells compared, {differ} differ.")


def ms(entry: dict) -> float:
    return entry["seconds"] * 1000 / entry["files"]


def cpu_ms(entry: dict) -> str:
    """CPU time of the whole process tree per file (user + system; above wall time × processes when a way
    runs more threads or processes than it was given)."""
    return f"{entry['cpu'] * 1000 / entry['files']:.2f}" if "cpu" in entry else "–"


def _table(corpus: str, n: int, table: dict, args: argparse.Namespace) -> list[str]:
    out = [f"## {corpus} corpus, N = {n}", "", "| way | processes | ms per file | files per second | CPU ms per file | "
           "peak RSS (MB) | load at start | × slower than xlperf formula-free | × slower than xlperf formula engine |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for (way, jobs), entry in table.items():
        ff, eng = table.get((FF, jobs)), table.get((ENGINE, jobs))
        out.append(f"| {way} | {jobs} | {ms(entry):.2f} | {1000 / ms(entry):.1f} | {cpu_ms(entry)} | "
                   f"{entry['peak_rss'] / 2**20:.0f} | {entry.get('load', float('nan')):.2f} | "
                   f"{ms(entry) / ms(ff) if ff else float('nan'):.2f} | {ms(entry) / ms(eng) if eng else float('nan'):.2f} |")
    out.append("")
    checks = []
    for what, num, den, bound, higher, counts in TARGETS[corpus]:
        for jobs in counts:
            a, b = table.get((num, jobs)), table.get((den, jobs))
            if a and b:
                ratio = ms(a) / ms(b)
                met = ratio >= bound if higher else ratio <= bound
                checks.append(f"| {what} | {jobs} | {ratio:.1f}× | {'met' if met else 'NOT met'} |")
    if checks:
        out += ["| target (equal process counts) | processes | ratio (wall time) | |", "|---|---:|---:|---|", *checks, ""]
    return out


def _memory(rows: list[tuple[str, int, dict]], args: argparse.Namespace) -> list[str]:
    out = []
    for corpus in dict.fromkeys(c for c, _, _ in rows):
        sizes = {n: t for c, n, t in rows if c == corpus}
        if len(sizes) < 2:
            continue
        lo_n, hi_n = min(sizes), max(sizes)
        for way in (FF, ENGINE):
            for jobs in args.jobs or (1, 2):
                lo, hi = sizes[lo_n].get((way, jobs)), sizes[hi_n].get((way, jobs))
                if lo and hi:
                    ratio = hi["peak_rss"] / lo["peak_rss"]
                    out.append(f"- {corpus} corpus, {way}, {jobs} process(es): peak RSS {hi['peak_rss'] / 2**20:.0f} MB "
                               f"at N = {hi_n} vs {lo['peak_rss'] / 2**20:.0f} MB at N = {lo_n}: {ratio:.2f}× "
                               f"({'met' if ratio <= 1.5 else 'NOT met'}, target ≤ 1.5×)")
    return out + [""] if out else []


def render(rows: list[tuple[str, int, dict]], args: argparse.Namespace, load: tuple[str, str]) -> str:
    sizes = sorted({n for _, n, _ in rows})
    cmd = "python bench/run.py " + " ".join(f"--n {n}" for n in sizes) + "".join(f" --corpus {c}" for c in args.corpus or []) \
        + "".join(f" --jobs {j}" for j in args.jobs or []) \
        + (" --memory-only" if args.memory_only else "") + (" --formula-free-only" if args.formula_free_only else "") \
        + (f" --passes {args.passes}" if args.passes != 3 else "") + (f" --ref-passes {args.ref_passes}" if args.ref_passes != 1 else "")
    out = ["# xlperf benchmark", "", f"Reproduce: `{cmd}` (machine: {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}).",
           "", f"Load: `uptime` before the run: `{load[0]}`; after: `{load[1]}`.", ""]
    for corpus, n, table in rows:
        out += _table(corpus, n, table, args)
    return "\n".join(out + _memory(rows, args))


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="corpus sizes (repeatable; default 1000)")
    parser.add_argument("--corpus", action="append", choices=tuple(FOLDERS), help="corpora (repeatable; default both)")
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
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "xlperf"), str(ROOT / "bench"), str(ROOT / "tests")],
                   check=True)
    # The rebuilt-template cache (~/.cache/xlperf) as after any earlier run of this xlperf: a first run
    # ever rebuilds each template once per worker with openpyxl (≈ 0.3 s and ≈ 20 MB more per worker).
    subprocess.run([PY, "-c", "from xlperf.batch.template_check import reference_structure as r\n"
                    "from xlperf.core.frameworks import framework_names as n, load_framework as f\n"
                    "[r(x) for x in n() if f(x).indicators]"], check=True)
    before = _uptime()
    rows = [(corpus, n, run_size(corpus, n, args)) for corpus in args.corpus or list(FOLDERS) for n in args.n or [1000]]
    report = render(rows, args, (before, _uptime()))
    if args.verify and not args.memory_only:
        for corpus in args.corpus or list(FOLDERS):
            report += f"\n{corpus} corpus: " + verify(FOLDERS[corpus]((args.n or [1000])[0]), args.verify) + "\n"
    print(report)
    out = Path(args.out)
    out.write_text(with_history(report, out.read_text(encoding="utf-8") if out.exists() else ""), encoding="utf-8")


TITLE = "# xlperf benchmark"


def with_history(report: str, earlier: str) -> str:
    """The file with this run on top, as a section of its own, and the earlier runs kept below it (the
    figures' history is what RESULTS.md is read for: a run no longer replaces it)."""
    body = report.split("\n", 1)[1] if report.startswith(TITLE) else report
    body = "\n".join("#" + line if line.startswith("## ") else line for line in body.strip("\n").splitlines())
    head = f"## Run of {time.strftime('%Y-%m-%d %H:%M')}"
    rest = earlier.split("\n", 1)[1].strip("\n") if earlier.startswith(TITLE) else earlier.strip("\n")
    return "\n\n".join(part for part in (TITLE, head, body, rest) if part) + "\n"


if __name__ == "__main__":
    main()
