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

RETURNS = [  # unit, file, edits
    ("城东街道办事处", "城东街道.xlsx", {}),
    ("城东街道办事处", "城东街道（补报）.xlsx", {("actual", "培训场次"): 14}),
    ("城西街道办事处", "城西街道.xlsx", {("actual", "服务对象满意度"): 0.62, ("actual", "培训场次"): 12}),
    ("城西街道办事处", "城西社区.xlsx", {("weight", "培训场次"): 25}),
    ("人才服务中心", "人才服务中心.xlsx", {("score", "制度执行有效性"): 8}),
    ("人才服务中心", "人才服务中心（WPS 另存）.xls", {}),
    ("职业培训学校", "职业培训学校.xlsx", {("typed", "培训合格率"): 15}),
    ("职业培训学校", "职业培训学校（二）.xlsx", {("actual", "培训合格率"): 0.5, ("actual", "培训场次"): 8,
                                            ("actual", "服务对象满意度"): 0.5}),
]


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
