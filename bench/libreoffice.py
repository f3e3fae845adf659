"""LibreOffice headless with recalculation forced on load (the fair comparison for the benchmark).

LibreOffice does not recalculate .xlsx on load by default (``Calc/Formula/Load/OOXMLRecalcMode``
= 1); a throwaway profile sets it to 0 ("always") so every formula is really recomputed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Sequence

RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def make_profile(folder: Path, force_recalc: bool = True) -> str:
    """A LibreOffice user profile in ``folder``; returns the -env:UserInstallation URL."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    if force_recalc:
        (user / "registrymodifications.xcu").write_text(RECALC_XCU, encoding="utf-8")
    return folder.resolve().as_uri()


def convert(files: Sequence[Path], out_dir: Path, fmt: str = "xlsx", profile: str | None = None,
            timeout: float = 3600) -> subprocess.CompletedProcess:
    """Open every file in one LibreOffice process and save it as ``fmt`` (recalculating if the profile says so)."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    own = None
    if profile is None:
        own = Path(tempfile.mkdtemp(prefix="xlperf-lo-"))
        profile = make_profile(own)
    try:
        cmd = [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", fmt,
               "--outdir", str(out_dir), *map(str, files)]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        if own is not None:
            shutil.rmtree(own, ignore_errors=True)
