"""Make docs/summary_preview.png: the first page of the 汇总 of a small batch of bureau returns, as
LibreOffice prints it (needs LibreOffice and poppler-utils).

    .venv/bin/python docs/make_summary_preview.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.batch.legacy_corpus import make_return  # noqa: E402
from xlperf import libreoffice  # noqa: E402
from xlperf.batch.runner import RunOptions, run_batch  # noqa: E402
from xlperf.batch.task import CheckOptions  # noqa: E402

UNITS = ["城东街道办事处", "城西街道办事处", "人才服务中心", "职业培训学校", "创业孵化中心", "青年就业服务站"]
ACTUALS = [{}, {("actual", "培训场次"): 18}, {("actual", "服务对象满意度"): 0.8}, {},
           {("actual", "培训合格率"): 0.9, ("actual", "培训场次"): 15}, {}]
DEFECTS = {  # file number → (edits, saved as .xls)
    3: ({("weight", "培训场次"): 25}, False), 8: ({("typed", "培训合格率"): 15}, False),
    11: ({("score", "制度执行有效性"): 8}, False), 14: ({}, True), 19: ({}, True),
    22: ({("actual", "培训合格率"): 0.5, ("actual", "培训场次"): 8, ("actual", "服务对象满意度"): 0.5}, False)}
RETURNS = [(UNITS[i % 6], f"{UNITS[i % 6]}（{i // 6 + 1}）" + (".xls" if DEFECTS.get(i, ({}, False))[1] else ".xlsx"),
            {**ACTUALS[i % 6], **DEFECTS.get(i, ({}, False))[0]}) for i in range(26)]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "回收", Path(tmp) / "结果"
        folder.mkdir()
        for unit, name, edits in RETURNS:
            path = make_return(folder / (Path(name).stem + ".xlsx"), unit, edits)
            if name.endswith(".xls"):
                made = libreoffice.convert([path], Path(tmp) / "xls", "xls", timeout=300).output(path)
                path.unlink()
                shutil.move(made, folder / name)
        (folder / "扫描件.xlsx").write_bytes(b"%PDF-1.7 not a workbook")
        run_batch([folder], CheckOptions(), RunOptions(out, jobs=2))
        pdf = libreoffice.convert([out / "汇总.xlsx"], Path(tmp) / "pdf", "pdf", timeout=300).output(out / "汇总.xlsx")
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(ROOT / "docs" / "summary_preview")], check=True)


if __name__ == "__main__":
    main()
