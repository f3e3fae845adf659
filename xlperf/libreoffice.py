"""Headless LibreOffice: find it, give each run a private profile, convert many files in one process.

The one place xlperf starts LibreOffice (``.xls``/``.et`` returns converted to ``.xlsx``, workbooks
recalculated, templates and reports printed to PDF). Each run gets a throwaway user profile, so
runs never share state and several may run at once; with ``recalc=True`` the profile makes Calc
recalculate every formula on load (by default it keeps the values an ``.xlsx`` file cached).
Inputs are copied under distinct names first: LibreOffice names an output after its input, so two
inputs called ``x.xls`` in different folders would otherwise overwrite each other's output.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""
INSTALL_HINT = "LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui libreoffice-writer-nogui)"


def soffice() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def make_profile(folder: Path, recalc: bool = False) -> str:
    """A LibreOffice user profile in ``folder``; returns its ``-env:UserInstallation`` URL."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    if recalc:
        (user / "registrymodifications.xcu").write_text(RECALC_XCU, encoding="utf-8")
    return folder.resolve().as_uri()


@dataclass
class Converted:
    """What one conversion run produced: each input path → its output (None when LibreOffice made none)."""

    outputs: dict[str, Path | None] = field(default_factory=dict)
    timed_out: bool = False
    returncode: int | None = None
    stderr: str = ""

    def output(self, source: str | Path) -> Path | None:
        return self.outputs.get(str(source))


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def convert(files: Sequence[str | Path], out_dir: Path, fmt: str = "xlsx", *, recalc: bool = False,
            timeout: float = 600, profile: str | None = None, infilter: str | None = None) -> Converted:
    """Open every file in one headless LibreOffice process and save it as ``fmt`` into ``out_dir``.

    ``fmt`` is what ``--convert-to`` takes (``xlsx``, ``pdf``, ``xlsx:"Calc MS Excel 2007 XML"`` …).
    ``infilter`` names the import filter (``MS Excel 97`` …): a file that filter cannot load then gives no
    output, where LibreOffice's own detection would fall back to importing it as text.
    Outputs keep each input's stem, made unique by a numeric prefix where two stems collide. The
    originals are only read. Past ``timeout`` seconds the whole process group is killed and the outputs
    made so far are returned, with ``timed_out`` set. RuntimeError when LibreOffice is not installed.
    """
    binary = soffice()
    if binary is None:
        raise RuntimeError(INSTALL_HINT)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="xlperf-lo-"))
    result = Converted()
    try:
        staged: list[tuple[str, Path]] = []
        stems: set[str] = set()
        for i, source in enumerate(files):
            src = Path(source)
            stem = src.stem if src.stem not in stems else f"{i:05d}_{src.stem}"
            stems.add(stem)
            copy = work / "in" / f"{stem}{src.suffix}"
            copy.parent.mkdir(exist_ok=True)
            shutil.copyfile(src, copy)
            staged.append((str(source), copy))
        if not staged:
            return result
        url = profile or make_profile(work / "profile", recalc)
        cmd = [binary, f"-env:UserInstallation={url}", "--headless", "--norestore", "--nologo", "--nodefault",
               *([f"--infilter={infilter}"] if infilter else []),
               "--convert-to", fmt, "--outdir", str(out_dir), *(str(copy) for _, copy in staged)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            _, result.stderr = proc.communicate(timeout=timeout)
            result.returncode = proc.returncode
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            result.timed_out = True
        extension = fmt.split(":", 1)[0]
        for source, copy in staged:
            made = out_dir / f"{copy.stem}.{extension}"
            result.outputs[source] = made if made.is_file() and made.stat().st_size > 0 else None
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


__all__ = ["soffice", "make_profile", "convert", "Converted", "INSTALL_HINT"]
