"""Benchmark: xlperf check against per-file formulas, LibreOffice (forced recalc) and the calamine floor.

    .venv/bin/python bench/run.py --n 200            # one corpus, every way, figures + RESULTS.md
    .venv/bin/python bench/run.py --n 100 --n 10000 --memory-only

Not a test: it prints figures. Slow references (per-file formulas, LibreOffice) run on a sample
of the corpus (--sample, default 200 files) and are reported per file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable

from bench.corpus import make_corpus  # noqa: E402


def measure(cmd: list[str]) -> dict:
    out = subprocess.run([PY, str(ROOT / "bench" / "measure.py"), *cmd], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def xlperf_check(folder: Path, jobs: int, formulas: bool) -> dict:
    out = Path(tempfile.mkdtemp(prefix="xlperf-bench-out-"))
    try:
        cmd = [PY, "-m", "xlperf", "check", str(folder), "--out", str(out), "--jobs", str(jobs)]
        if not formulas:
            cmd.append("--no-formulas")
        return measure(cmd)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def per_file_formulas(files: list[Path], jobs: int) -> dict:
    script = ("import sys,os;os.environ['TQDM_DISABLE']='1';from xlperf.engine.functions import register;register();"
              "import formulas\nfor p in sys.argv[1:]:\n formulas.ExcelModel().loads(p).finish().calculate()")
    chunks = [files[i::jobs] for i in range(jobs)]
    started = time.perf_counter()
    procs = [subprocess.Popen([PY, "-c", script, *map(str, chunk)]) for chunk in chunks if chunk]
    for proc in procs:
        proc.wait()
    return {"seconds": time.perf_counter() - started}


def libreoffice(files: list[Path], jobs: int) -> dict | None:
    from bench.libreoffice import convert, make_profile, soffice

    if soffice() is None:
        return None
    work = Path(tempfile.mkdtemp(prefix="xlperf-bench-lo-"))
    try:
        chunks = [files[i::jobs] for i in range(jobs)]
        profiles = [make_profile(work / f"p{i}") for i in range(jobs)]
        convert(files[:1], work / "warm", profile=profiles[0])  # first start creates the profile
        started = time.perf_counter()
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(lambda i: convert(chunks[i], work / f"o{i}", profile=profiles[i]), range(jobs)))
        return {"seconds": time.perf_counter() - started}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def calamine(files: list[Path]) -> dict:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    return {"seconds": time.perf_counter() - started}


def median_of(runs: int, func, *args) -> dict:
    results = [func(*args) for _ in range(runs)]
    best = sorted(results, key=lambda r: r["seconds"])[len(results) // 2]
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="corpus sizes (repeatable; default 200)")
    parser.add_argument("--sample", type=int, default=200, help="files for the slow references")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--memory-only", action="store_true", help="only xlperf check peak memory per N")
    parser.add_argument("--skip-lo", action="store_true")
    parser.add_argument("--jobs", type=int, action="append", help="process counts to run (default 1 and 2)")
    parser.add_argument("--formula-free-only", action="store_true", help="skip the formula-engine runs")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    sizes = args.n or [200]
    lines, rows = [], []
    for n in sizes:
        folder = ROOT / "bench" / "corpus" / str(n)
        files = make_corpus(folder, n)
        sample = files[: min(len(files), args.sample)]
        runs = 1 if n > 1000 else args.passes
        table: dict[str, dict] = {}
        for jobs in args.jobs or (1, 2):
            table[f"xlperf check, formula-free, {jobs} job(s)"] = median_of(runs, xlperf_check, folder, jobs, False) | {"files": n}
            if not args.formula_free_only:
                table[f"xlperf check, formula engine, {jobs} job(s)"] = median_of(runs, xlperf_check, folder, jobs, True) | {"files": n}
            if args.memory_only:
                continue
            table[f"formulas per file, {jobs} process(es)"] = median_of(1, per_file_formulas, sample, jobs) | {"files": len(sample)}
            if not args.skip_lo:
                lo = libreoffice(sample, jobs)
                if lo:
                    table[f"LibreOffice forced recalc, {jobs} process(es)"] = lo | {"files": len(sample)}
        if not args.memory_only:
            table["python-calamine read floor, 1 process"] = median_of(runs, calamine, files) | {"files": n}
        rows.append((n, table))
    report = render(rows, sizes, args)
    print(report)
    Path(args.out).write_text(report, encoding="utf-8")


def ms(entry: dict) -> float:
    return entry["seconds"] * 1000 / entry["files"]


def render(rows, sizes, args) -> str:
    cmd = "python bench/run.py " + " ".join(f"--n {n}" for n in sizes) + (" --memory-only" if args.memory_only else "") \
        + "".join(f" --jobs {j}" for j in (args.jobs or [])) + (" --formula-free-only" if args.formula_free_only else "")
    out = ["# xlperf benchmark", "", f"Reproduce: `{cmd}` (machine: {os.cpu_count()} cores).", ""]
    for n, table in rows:
        out += [f"## N = {n}", "", "| way | files | ms per file | files per second | peak RSS (MB) | xlperf formula-free is … × faster |",
                "|---|---:|---:|---:|---:|---:|"]
        for jobs in (1, 2):
            base = table.get(f"xlperf check, formula-free, {jobs} job(s)")
            for name, entry in table.items():
                if not (name.endswith(f"{jobs} job(s)") or name.endswith(f"{jobs} process(es)")
                        or (jobs == 1 and "calamine" in name)):
                    continue
                ratio = ms(entry) / ms(base) if base else float("nan")
                rss = f"{entry['peak_rss'] / 2**20:.0f}" if "peak_rss" in entry else ""
                out.append(f"| {name} | {entry['files']} | {ms(entry):.2f} | {1000 / ms(entry):.1f} | {rss} | {ratio:.2f} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
