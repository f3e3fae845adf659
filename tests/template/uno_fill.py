"""Fill a template in LibreOffice as a unit does: unprotect, copy rows and insert the copies, type the values,
let the rows typed into take their optimal height (what LibreOffice does as one types), save.

Runs under the Python that carries LibreOffice's UNO bridge (Debian: python3-uno), not xlperf's virtualenv:

    python3 uno_fill.py SOFFICE PROFILE_URL JOB.json

JOB.json is a list of jobs, each {"source": IN.xlsx, "outputs": [[OUT, filter], ...], "copies": [row, ...]
(1-based rows of 评分表, each copied and inserted above itself), "values": {"sheet!A1": value},
"fit": {"sheet": [row, ...]}}; filters are LibreOffice's ("Calc MS Excel 2007 XML", "calc_pdf_Export").
The one LibreOffice process it starts (with the private profile given) is ended before it exits.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import uno  # noqa: F401 - makes the com.sun.star modules importable
from com.sun.star.beans import PropertyValue
from com.sun.star.table import CellAddress, CellRangeAddress

PIPE = f"xlperf_uno_{os.getpid()}"


def prop(name: str, value) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(soffice: str, profile: str):
    proc = subprocess.Popen([soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
                             "--nologo", "--nodefault", f"--accept=pipe,name={PIPE};urp;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={PIPE};urp;StarOffice.ComponentContext")
            return proc, ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit("LibreOffice did not start")


def copy_rows(sheet, rows: list[int]) -> None:
    index = sheet.RangeAddress.Sheet
    for row in sorted(rows, reverse=True):
        sheet.Rows.insertByIndex(row - 1, 1)  # an empty row where the copy goes; the original moves down
        source = CellRangeAddress(index, 0, row, 15, row)  # the original, now one row lower (0-based row)
        sheet.copyRange(CellAddress(index, 0, row - 1), source)


def type_values(doc, values: dict) -> None:
    for ref, value in values.items():
        name, cell = ref.split("!")
        target = doc.Sheets.getByName(name).getCellRangeByName(cell)
        if value is None:
            target.setString("")
        elif isinstance(value, (int, float)):
            target.setValue(value)
        else:
            target.setString(str(value))


def fit_rows(doc, fit: dict) -> None:
    for name, rows in fit.items():
        sheet = doc.Sheets.getByName(name)
        for row in rows:
            sheet.Rows.getByIndex(row - 1).OptimalHeight = True


def run(desktop, job: dict) -> None:
    doc = desktop.loadComponentFromURL(Path(job["source"]).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
    try:
        sheet = doc.Sheets.getByName("评分表")
        sheet.unprotect("")
        copy_rows(sheet, job.get("copies", []))
        type_values(doc, job.get("values", {}))
        sheet.protect("")
        doc.calculateAll()
        fit_rows(doc, job.get("fit", {}))
        for out, name in job["outputs"]:
            doc.storeToURL(Path(out).resolve().as_uri(), (prop("FilterName", name),))
    finally:
        doc.close(True)


def main(soffice: str, profile: str, job_path: str) -> None:
    jobs = json.loads(Path(job_path).read_text(encoding="utf-8"))
    proc, desktop = connect(soffice, profile)
    try:
        for job in jobs:
            run(desktop, job)
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge goes down with the process
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    main(*sys.argv[1:4])
