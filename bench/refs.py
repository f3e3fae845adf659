"""The reference ways the benchmark compares xlperf with, each over a whole corpus folder with J processes.

    python bench/refs.py formulas --jobs 2 bench/corpus/1000      # ExcelModel().loads(p).finish().calculate()
    python bench/refs.py calamine --jobs 2 bench/corpus/1000      # python-calamine, every sheet (read floor)
    python bench/refs.py libreoffice --jobs 2 bench/corpus/1000   # soffice, recalculation forced on load

Each way splits the files into J interleaved chunks, one process per chunk, and exits when all are done;
``bench/measure.py`` times the whole tree and reports its peak RSS.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _files(folder: str) -> list[Path]:
    return sorted(Path(folder).glob("*.xlsx"))


def _chunk_formulas(files: list[Path]) -> None:
    os.environ["TQDM_DISABLE"] = "1"
    from xlperf.engine.functions import register  # the PERF_* UDFs, or every score cell is #NAME?

    register()
    import formulas

    for path in files:
        formulas.ExcelModel().loads(str(path)).finish().calculate()  # values only: the solution is dropped


def _chunk_calamine(files: list[Path]) -> None:
    from python_calamine import CalamineWorkbook

    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def _libreoffice(files: list[Path], jobs: int, profiles_dir: str | None, warm: bool) -> None:
    """One soffice per chunk, each with its own profile (recalculation forced). ``warm``: only start each
    profile once on one file (the first start initialises it; run before the measured pass)."""
    from xlperf.libreoffice import make_profile

    work = Path(tempfile.mkdtemp(prefix="xlperf-bench-lo-"))
    root = Path(profiles_dir) if profiles_dir else work
    try:
        profiles = [make_profile(root / f"p{i}", recalc=True) for i in range(jobs)]
        chunks = [files[:1]] * jobs if warm else [files[i::jobs] for i in range(jobs)]
        procs = [subprocess.Popen(_lo_cmd(chunks[i], work / f"o{i}", profiles[i]), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for i in range(jobs)]
        for proc in procs:
            proc.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _lo_cmd(files: list[Path], out: Path, profile: str) -> list[str]:
    from xlperf.libreoffice import soffice

    return [soffice() or "soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to",
            "xlsx", "--outdir", str(out), *map(str, files)]


CHUNKS = {"formulas": _chunk_formulas, "calamine": _chunk_calamine}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("way", choices=[*CHUNKS, "libreoffice", "_chunk"])
    parser.add_argument("folder")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--profiles", help="LibreOffice profile folder (kept between --warm and the measured run)")
    parser.add_argument("--warm", action="store_true", help="LibreOffice: initialise the profiles only")
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    files = _files(args.folder)
    if args.way == "_chunk":
        CHUNKS[args.kind](files[args.index::args.jobs])
    elif args.way == "libreoffice":
        _libreoffice(files, args.jobs, args.profiles, args.warm)
    else:
        procs = [subprocess.Popen([sys.executable, __file__, "_chunk", args.folder, "--kind", args.way, "--jobs",
                                   str(args.jobs), "--index", str(i)]) for i in range(args.jobs)]
        sys.exit(max(proc.wait() for proc in procs))


if __name__ == "__main__":
    main()
