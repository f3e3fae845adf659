"""Benchmark: the cost of writing 汇总.xlsx alone, as N grows, for this checkout and an earlier one.

    .venv/bin/python bench/summary.py --n 1000 --n 10000                 # this checkout
    .venv/bin/python bench/summary.py --n 1000 --n 10000 --against main  # and the writer of git ref main

Each (writer, N) runs in its own process (bench/measure.py: wall time, CPU time, peak RSS) on the same
synthetic results: one row per file, every tenth file with five findings of realistic length, unit and
department names, paths under one returns folder. ``--against REF`` exports that ref's ``xlperf`` package
with ``git archive`` and runs the same driver with it first on ``sys.path``. Prints a Markdown table;
``--write`` puts it in bench/RESULTS_summary.md (above the notes there). Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTES = "<!-- notes: kept when the table above is rewritten -->"
MESSAGE = "「评分表」K{row}：得分 {score} 与按「正向比例」规则计算的 3.89 不符（68人 对 ≥70人，比例 0.9714），请核对得分。"


def results(n: int):
    """N FileResults as a batch of bureau returns produces them."""
    from xlperf.scoring.result import FileResult

    for i in range(n):
        unit = f"第{i % 97:02d}街道办事处"
        findings = [{"code": "score-rule-mismatch", "severity": "error" if k % 2 else "warning", "sheet": "评分表",
                     "cell": f"K{4 + k}", "message": MESSAGE.format(row=4 + k, score=4 - k / 10), "row": 4 + k}
                    for k in range(5 if i % 10 == 0 else 0)]
        errors = sum(f["severity"] == "error" for f in findings)
        result = FileResult(f"{unit}/{i:05d} 绩效自评表.xlsx", status="errors" if errors else "ok", framework="dapeng",
                            info={"department": "某区人力资源局", "project": f"人才培训专项 {i}", "unit": unit},
                            stated_total=98.37, total=98.37 - (i % 13) * 0.5, stated_grade="优", grade="优",
                            counts={"error": errors, "warning": len(findings) - errors, "info": 0}, findings=findings)
        result.path = f"/srv/回收/{result.file}"
        yield result


def child(n: int, out: Path) -> None:
    """Write the summary of n results (run in the measured process)."""
    from xlperf.outputs.summary_xlsx import SummaryBook

    book = SummaryBook(out / "汇总.xlsx", "zh")
    for result in results(n):
        book.add(result)
    book.close()


def measure(n: int, pythonpath: str | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="xlperf-summary-bench-") as out:
        env = {**os.environ, **({"PYTHONPATH": pythonpath} if pythonpath else {})}
        cmd = [sys.executable, str(ROOT / "bench" / "measure.py"), sys.executable, __file__, "--child", str(n), out]
        data = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout)
        data["bytes"] = (Path(out) / "汇总.xlsx").stat().st_size
        return data


def export(ref: str, folder: Path) -> str:
    """``ref``'s xlperf package under ``folder`` (git archive), for PYTHONPATH."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "xlperf"], capture_output=True, check=True).stdout
    path = folder / "archive.tar"
    path.write_bytes(archive)
    with tarfile.open(path) as tar:
        tar.extractall(folder, filter="data")
    return str(folder)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, action="append")
    parser.add_argument("--against")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:  # xlperf as installed, or the exported ref first on PYTHONPATH
        child(int(args.child[0]), Path(args.child[1]))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="xlperf-ref-") as tmp:
        ref = args.against and subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.against],
                                              capture_output=True, text=True, check=True).stdout.strip()
        writers = [("this checkout", None)] + ([(f"git {args.against} ({ref})", export(args.against, Path(tmp)))]
                                               if args.against else [])
        for n in args.n or [1000, 10000]:
            for name, path in writers:
                m = measure(n, path)
                rows.append(f"| {name} | {n} | {m['seconds']:.2f} | {m['cpu']:.2f} | {m['peak_rss'] / 2**20:.0f} | "
                            f"{m['bytes'] / 2**20:.2f} |")
                print(rows[-1], file=sys.stderr)
    load = os.getloadavg()
    text = "\n".join([
        "# 汇总.xlsx writer benchmark", "",
        f"Reproduce: `python bench/summary.py {' '.join(f'--n {n}' for n in args.n or [1000, 10000])}"
        f"{' --against ' + args.against if args.against else ''}` ({os.cpu_count()} cores, load average "
        f"{load[0]:.1f} at the end, {time.strftime('%Y-%m-%d')}).", "",
        "| writer | files | wall s | CPU s | peak RSS (MB) | file size (MB) |", "|---|---:|---:|---:|---:|---:|", *rows, ""])
    print(text)
    if args.write:  # what follows the notes marker (written by hand) is kept
        target = ROOT / "bench" / "RESULTS_summary.md"
        notes = target.read_text(encoding="utf-8").partition(NOTES)[2] if target.exists() else ""
        target.write_text(text + "\n" + NOTES + notes, encoding="utf-8")


if __name__ == "__main__":
    main()
