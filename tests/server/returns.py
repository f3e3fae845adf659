"""Returned workbooks for the server tests: filled templates (clean, tampered, other years) and the
published example workbooks, saved with the cached values Excel would have stored."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.corpus import edit, filled, finish

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SHEET = "评分表"


def with_year(wb, year: int) -> None:
    """The same project as the evaluation of another year: 评价年度 and the title's year."""
    info = wb["基本信息"]
    info["B6"] = year
    info["B3"] = str(info["B3"].value).replace("2024", str(year))


def make_unit_files(folder: Path) -> dict[str, Path]:
    """clean.xlsx (大鹏 2024, total 98.37, 优) and tampered.xlsx (K18 overwritten with 4)."""
    folder.mkdir(parents=True, exist_ok=True)
    clean = finish(filled("dapeng", "dapeng_2024"), folder / "clean.xlsx")
    wb = filled("dapeng", "dapeng_2024")
    edit("K18", 4)(wb)
    tampered = finish(wb, folder / "tampered.xlsx")
    corrupt = folder / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 64 + b"broken")
    return {"clean": clean, "tampered": tampered, "corrupt": corrupt,
            "dapeng": EXAMPLES / "大鹏_2024_人才发展专项资金.xlsx", "yantian": EXAMPLES / "盐田_2024_人才发展专项资金.xlsx"}


def self_eval_weaker():
    """The self-evaluation of a unit that did less (8 of ≥20 trainings, 60 % passed, …), each shortfall noted."""
    wb = filled("self_eval")
    ws = wb[SHEET]
    changes = {"数量指标": ("H", 8), "质量指标": ("H", 0.6), "时效指标": ("H", 25), "成本指标": ("H", 0.8),
               "经济效益指标": ("H", 500)}
    for r in range(4, ws.max_row + 1):
        if ws[f"B{r}"].value in changes:
            column, value = changes[ws[f"B{r}"].value]
            ws[f"{column}{r}"] = value
            ws[f"L{r}"] = "未完成年度目标，原因已在报告中说明。"
    return wb


def make_bureau_folder(folder: Path, unit_files: dict[str, Path], count: int = 50) -> Path:
    """``count`` returns named like a bureau's collection: mostly clean, some tampered, one corrupt."""
    folder.mkdir(parents=True, exist_ok=True)
    self_eval = finish(filled("self_eval"), folder.parent / "self_eval_src.xlsx")
    weaker = finish(self_eval_weaker(), folder.parent / "self_eval_weaker_src.xlsx")
    kinds = [unit_files["clean"], self_eval, weaker, unit_files["tampered"], unit_files["dapeng"]]
    for i in range(count - 1):
        shutil.copyfile(kinds[i % len(kinds)], folder / f"{i + 1:02d}_单位回收表.xlsx")
    shutil.copyfile(unit_files["corrupt"], folder / f"{count:02d}_损坏文件.xlsx")
    return folder


def make_two_years(folder: Path) -> dict[int, Path]:
    """Two folders of the same two projects, 2023 and 2024: 大鹏 with K18 overwritten both years (and a
    judgement of 2.5 without a note in 2023), the self-evaluation clean both years."""
    out = {}
    for year in (2023, 2024):
        sub = folder / str(year)
        sub.mkdir(parents=True, exist_ok=True)
        wb = filled("dapeng", "dapeng_2024")
        with_year(wb, year)
        edit("K18", 4)(wb)
        if year == 2023:
            edit("J4", 2.5)(wb)
        finish(wb, sub / "大鹏.xlsx")
        wb = filled("self_eval")
        with_year(wb, year)
        finish(wb, sub / "自评.xlsx")
        out[year] = sub
    return out
