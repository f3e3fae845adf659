"""A bureau's returns folder: the three templates' copies with every defect, LibreOffice saves and .xls
copies (one LibreOffice process for each kind), and a workbook alone in its structure."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.bureau.corpus import Defect, make_layout_corpus, write_template
from tests.bureau.layouts import LAYOUTS


def lo_saves(folder: Path, resave: list[str], as_xls: list[str]) -> list[Defect]:
    """Copies re-saved by LibreOffice (recalculated, as when a unit edits there) and saved as .xls."""
    from xlperf.libreoffice import convert

    made: list[Defect] = []
    with tempfile.TemporaryDirectory() as tmp:
        for names, fmt, recalc, suffix in ((resave, "xlsx", True, "_lo.xlsx"), (as_xls, "xls", False, ".xls")):
            done = convert([folder / n for n in names], Path(tmp) / fmt, fmt, recalc=recalc)
            for name in names:
                produced = done.output(folder / name)
                assert produced is not None, done.stderr
                target = Path(name).stem + suffix
                shutil.copyfile(produced, folder / target)
                made.append(Defect(target, twin=name))
    return made


def write_lone(path: Path) -> Defect:
    """A workbook alone in its structure: per-row formulas, one typed over between two of them (found by
    Excel's neighbour rule, as a warning) and a typed year under two formulas (not flagged)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考核表"
    for col, text in zip("ABCDE", ("序号", "指标名称", "分值", "完成率", "得分")):
        ws[f"{col}2"] = text
    for i, (name, rate) in enumerate((("培训完成率", 0.96), ("补贴发放率", 1), ("服务满意率", 0.92),
                                      ("制度执行率", 0.98), ("资料归档率", 1)), start=3):
        ws[f"A{i}"], ws[f"B{i}"], ws[f"C{i}"], ws[f"D{i}"] = i - 2, name, 20, rate
        ws[f"E{i}"] = f"=ROUND(C{i}*MIN(1,D{i}),2)"
    ws["E5"] = 18.4  # typed over, between two equal formulas
    ws["B8"], ws["C8"], ws["E8"] = "合计", "=SUM(C3:C7)", "=SUM(E3:E7)"
    ws["G3"], ws["G4"], ws["G5"] = "=D3*100", "=D4*100", 2024  # a typed year under two formulas
    ws["F2"] = "扣分说明"
    for r, note in ((3, "未全部完成"), (5, "满意率未达标"), (6, "个别未执行")):
        ws[f"F{r}"] = note
    raw = path.with_name(path.stem + "~.xlsx")
    wb.save(raw)
    try:
        from tests.corpus import _formula_cells
        from xlperf.engine.recalc import recalc_workbook
        from xlperf.workbook.package import patch_values

        cells = _formula_cells(raw)
        values = {c: v for (s, c), v in recalc_workbook(raw).values.items() if (s, c) in cells}
        patch_values(raw, path, {"考核表": values})
    finally:
        raw.unlink()
    return Defect(path.name, [("formula-pattern-break", "考核表", "E5")])


@dataclass
class BureauCorpus:
    """The returns folder, the blank templates, and what each return must produce."""

    returns: Path
    templates: dict[str, Path]
    defects: dict[str, Defect]


RESAVED = ("county_clean_01.xlsx", "info_clean_01.xlsx", "mof_clean_01.xlsx", "info_weight_edited.xlsx")
AS_XLS = ("county_clean_02.xlsx", "info_clean_02.xlsx", "mof_clean_02.xlsx", "county_formula_typed.xlsx",
          "info_weight_edited.xlsx", "mof_target_edited.xlsx")


def make_bureau_corpus(root: Path, clean: int = 4, libreoffice: bool = True) -> BureauCorpus:
    """Three bureau templates, their filled copies with every defect, LibreOffice saves and .xls copies
    (``libreoffice``), and a workbook alone in its structure, all returns in one folder."""
    returns, blank = root / "returns", root / "templates"
    templates = {layout: write_template(layout, blank / f"{layout}.xlsx") for layout in LAYOUTS}
    found: dict[str, Defect] = {}
    for layout in LAYOUTS:
        for defect in make_layout_corpus(layout, returns, clean):
            found[defect.name] = defect
    found["lone_form.xlsx"] = write_lone(returns / "lone_form.xlsx")
    if libreoffice:
        for defect in lo_saves(returns, list(RESAVED), list(AS_XLS)):
            twin = found[defect.twin]
            found[defect.name] = Defect(defect.name, list(twin.expect), twin.names, twin.name)
    return BureauCorpus(returns, templates, found)
