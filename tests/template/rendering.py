"""Templates as they are printed: blank, and filled the way a unit fills them in LibreOffice, as PDF pages.

Filling goes through LibreOffice itself (``uno_fill.py`` under the system Python with LibreOffice's UNO
bridge): values typed into the yellow cells, rows typed into given their optimal height, as LibreOffice,
Excel and WPS do while one types; then the sheet is recalculated and exported. Used by the render tests
and by ``python -m tests.template.screenshots`` (the pictures in ``docs/templates``).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from examples import casebook
from tests.template.filling import fill_case, fill_self_eval
from xlperf import libreoffice
from xlperf.template.builder import make_workbook
from xlperf.template.shipped import SHIPPED_NAMES, template_frameworks

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "workbook_templates"
SYSTEM_PYTHON = "/usr/bin/python3"
UNO_SCRIPT = Path(__file__).with_name("uno_fill.py")
CASES = {"dapeng": "dapeng_2024", "yantian": "yantian_2024"}


def uno_missing() -> str | None:
    """Why LibreOffice cannot be driven here (None when it can)."""
    if libreoffice.soffice() is None:
        return libreoffice.INSTALL_HINT
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run([SYSTEM_PYTHON, "-c", "import uno"],
                                                          capture_output=True).returncode:
        return "LibreOffice's Python bridge is missing (Debian: apt-get install python3-uno)"
    return None


def typed_values(wb: Any) -> dict[str, Any]:
    """Every unlocked cell's value of a filled workbook: what the unit typed."""
    return {f"{ws.title}!{cell.coordinate}": cell.value for ws in wb.worksheets[:2] for row in ws.iter_rows()
            for cell in row if cell.protection.locked is False and cell.value is not None}


def filled_values(fid: str, formulas: str) -> dict[str, Any]:
    wb = make_workbook(fid, formulas)
    if fid in CASES:
        fill_case(wb, casebook.load_case(CASES[fid]))
    else:
        fill_self_eval(wb)
    return typed_values(wb)


@dataclass(frozen=True)
class Printed:
    """One template printed: its .xlsx (as filled) and its PDF."""

    name: str
    xlsx: Path
    pdf: Path


def print_all(folder: Path, filled: bool = True) -> dict[str, Printed]:
    """Every shipped template blank (``<file stem>``) and, with ``filled``, each filled (``<stem>_filled``),
    printed to PDF by one LibreOffice process."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs, printed = [], {}
    for fid in template_frameworks():
        for formulas, pattern in SHIPPED_NAMES.items():
            source = SHIPPED / pattern.format(id=fid)
            states = [("", {})] + ([("_filled", filled_values(fid, formulas))] if filled else [])
            for suffix, values in states:
                name = source.stem + suffix
                item = Printed(name, folder / f"{name}.xlsx", folder / f"{name}.pdf")
                rows = sorted({int(re.sub(r"\D", "", ref.split("!")[1])) for ref in values if ref.startswith("评分表!")})
                jobs.append({"source": str(source), "values": values, "fit": {"评分表": rows},
                             "outputs": [[str(item.xlsx), "Calc MS Excel 2007 XML"], [str(item.pdf), "calc_pdf_Export"]]})
                printed[name] = item
    job = folder / "jobs.json"
    job.write_text(json.dumps(jobs, ensure_ascii=False, default=str), encoding="utf-8")
    profile = libreoffice.make_profile(folder / "profile")
    done = subprocess.run([SYSTEM_PYTHON, str(UNO_SCRIPT), libreoffice.soffice(), profile, str(job)],
                          capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"LibreOffice could not print the templates: {done.stderr[-2000:]}")
    return printed


def pages_png(pdf: Path, out_prefix: Path, dpi: int = 80) -> list[Path]:
    """Each page of a PDF as a PNG (pdftoppm), in page order."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out_prefix)], check=True, timeout=120)
    return sorted(out_prefix.parent.glob(out_prefix.name + "-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
