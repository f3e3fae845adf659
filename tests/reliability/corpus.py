"""The hostile-input corpus, generated at test time from two real workbooks (no binaries committed).

``make_corpus(root, bases)`` writes every family the adversarial run used, plus the classic attacks on
readers of zip and XML, and returns for each file (by its result name) what its result must show: a
status and finding codes the result must hold. Files whose only requirement is "a result, no crash, no
timeout" expect nothing more.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.corpus import _legacy_xls
from tests.reliability.hostile import (SHEET1, after_sheet_data, before_sheet_data_end, billion_laughs, encrypt,
                                       formula, many_cells, odf_zip, rename_sheet, repack, set_cell, truncate, xlsb_from,
                                       xxe, zip_bomb)

SCORES = "xl/worksheets/sheet2.xml"
ARRAY = set_cell("D6", '<c r="D6"><f t="array" ref="D6">SUM(D2:D5)</f><v>100</v></c>')  # a CSE formula
LONG = "a" * 400_000


@dataclass
class Expect:
    status: str | None = None  # ok | warnings | errors | failed | skipped; None: any
    codes: set[str] = field(default_factory=set)  # finding codes the result holds (at least these)


def _stale(bases) -> dict:
    return {SHEET1: set_cell("G2", '<c r="G2"><f>ROUND(MIN(1,F2/E2)*D2,2)</f><v>12</v></c>')}


def _formats(folder: Path, bases) -> dict[str, Expect]:
    odf_zip(folder / "calc.ods")
    xlsb_from(bases["bureau"], folder / "binary.xlsb")
    repack(bases["bureau"], folder / "renamed.numbers")
    (folder / "export.csv").write_text("三级指标,分值\n培训,30\n", encoding="utf-8")
    (folder / "legacy.xls").write_bytes(_legacy_xls())
    (folder / "wps.et").write_bytes(_legacy_xls())
    (folder / "fake.xls").write_text("<html>not a workbook</html>", encoding="utf-8")
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    shutil.copy(bases["bureau"], folder / "~$lock.xlsx")
    failed = {"calc.ods": "file-not-workbook", "binary.xlsb": "file-not-workbook", "export.csv": "file-not-workbook",
              "renamed.numbers": "file-format-unsupported", "legacy.xls": "file-legacy-xls",
              "wps.et": "file-legacy-xls", "fake.xls": "file-not-workbook"}
    out = {name: Expect("failed", {code}) for name, code in failed.items()}
    out.update({"说明.pdf": Expect("skipped", {"file-unsupported"}), "~$lock.xlsx": Expect("skipped")})
    return out


def _links(folder: Path) -> dict[str, Expect]:
    os.symlink(folder / "gone.xlsx", folder / "dangling.xlsx")
    os.symlink("loop-b.xlsx", folder / "loop-a.xlsx")
    os.symlink("loop-a.xlsx", folder / "loop-b.xlsx")
    os.mkfifo(folder / "pipe.xlsx")
    out = {name: Expect("failed", {"file-link-broken"}) for name in ("dangling.xlsx", "loop-a.xlsx", "loop-b.xlsx")}
    out["pipe.xlsx"] = Expect("skipped", {"file-unsupported"})
    return out


def _names(folder: Path, bases) -> dict[str, Expect]:
    out = {}
    for key, name in {"cr": "&#13;=2*21", "tab": "&#9;+1+1", "wide": "＝1+1", "at": "  @SUM(1,2)"}.items():
        repack(bases["bureau"], folder / f"sheet_{key}.xlsx", {"xl/workbook.xml": rename_sheet("评分表", name),
                                                                **_stale(bases)})
        out[f"sheet_{key}.xlsx"] = Expect("errors", {"score-rule-mismatch"})  # a finding naming the sheet
    for name in ("=1+1.xlsx", "\t+2+2.xlsx", "＠3.xlsx", "-4.xlsx"):
        repack(bases["bureau"], folder / name, _stale(bases))
        out[name] = Expect("errors", {"cached-value-mismatch"})
    return out


def _work(folder: Path, bases) -> dict[str, Expect]:
    bureau = bases["bureau"]
    far = before_sheet_data_end('<row r="1048576"><c r="A1048576"><v>1</v></c></row>')
    repack(bureau, folder / "far.xlsx", {SHEET1: far})  # the compiled program reads only the cells referred to
    repack(bureau, folder / "far_array.xlsx", {SHEET1: lambda d: far(ARRAY(d))})  # an array formula: the full model
    repack(bureau, folder / "formula30k.xlsx", {SHEET1: formula("G6", "+".join(["G2"] * 30000), "100")})
    repack(bureau, folder / "formula2k.xlsx", {SHEET1: formula("G6", "+".join(["G2"] * 2000), "100")})
    repack(bureau, folder / "attribute.xlsx", {SHEET1: lambda d: d.replace(b'<c r="G2">',
                                                                          b'<c r="G2" x=\'' + LONG.encode() + b'">', 1)})
    repack(bureau, folder / "merge_attribute.xlsx", {SHEET1: after_sheet_data(
        f'<mergeCells count="1"><mergeCell ref="H2:H3" {LONG}/></mergeCells>')})
    repack(bureau, folder / "merge_all.xlsx", {SHEET1: after_sheet_data(
        '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')})
    many = "".join(f'<mergeCell ref="A{r}:XFD{r}"/>' for r in range(10, 50_010))
    repack(bureau, folder / "merge_many.xlsx", {SHEET1: after_sheet_data(f'<mergeCells count="50000">{many}</mergeCells>')})
    repack(bureau, folder / "merge_overlap.xlsx", {SHEET1: after_sheet_data(
        "<mergeCells>" + '<mergeCell ref="A1:BH5000"/>' * 3 + "</mergeCells>")})
    repack(bureau, folder / "sum_everything.xlsx", {SHEET1: formula("G6", "SUM(A1:XFD1048576)", "100")})
    repack(bureau, folder / "nested.xlsx", {SHEET1: formula("G6", "(" * 2000 + "1" + ")" * 2000, "1")})
    repack(bureau, folder / "cells.xlsx", {SHEET1: many_cells(1_000_010)}, method=zipfile.ZIP_STORED)
    return {"far.xlsx": Expect("ok"), "far_array.xlsx": Expect("warnings", {"formulas-not-recomputed"}),
            "formula30k.xlsx": Expect("errors", {"formula-too-long"}),
            "merge_all.xlsx": Expect(None, {"table-not-found"}),
            "merge_overlap.xlsx": Expect("failed", {"file-corrupt"}),
            "cells.xlsx": Expect("failed", {"file-too-many-cells"})}


def _engine(folder: Path, bases) -> dict[str, Expect]:
    repack(bases["template"], folder / "external_link.xlsx", {SCORES: set_cell(
        "H15", '<c r="H15" s="15" t="str"><f>[1]Sheet1!A1</f><v>1人</v></c>')})
    repack(bases["bureau"], folder / "fullwidth.xlsx", {SHEET1: set_cell(
        "F3", '<c r="F3" t="inlineStr"><is><t>９６．５</t></is></c>')})
    repack(bases["bureau"], folder / "circular.xlsx", {SHEET1: lambda data: formula("G3", "ROUND(G2*1,2)", "30")(
        formula("G2", "ROUND(G3*1,2)", "30")(data))})
    repack(bases["bureau"], folder / "huge_weight.xlsx", {SHEET1: set_cell("D2", '<c r="D2"><v>1E+308</v></c>')})
    return {"external_link.xlsx": Expect(None, {"writeback-value-kept"}),
            "fullwidth.xlsx": Expect(None, {"writeback-value-kept"}),
            "circular.xlsx": Expect("errors", {"formula-circular"}), "huge_weight.xlsx": Expect("errors")}


def _packages(folder: Path, bases) -> dict[str, Expect]:
    bureau = bases["bureau"]
    repack(bureau, folder / "billion_laughs.xlsx", {SHEET1: billion_laughs()})
    repack(bureau, folder / "xxe.xlsx", {SHEET1: xxe()})
    zip_bomb(folder / "bomb_ratio.xlsx", 40 * 2**20)
    zip_bomb(folder / "bomb_size.xlsx", 300 * 2**20)
    repack(bureau, folder / "many_parts.xlsx", add=[(f"x/{i}.xml", b"") for i in range(10_001)])
    repack(bureau, folder / "duplicate_entry.xlsx", add=[(SHEET1, billion_laughs())])
    repack(bureau, folder / "traversal.xlsx", add=[("../../evil.xml", b"<x/>"), ("/tmp/evil.xml", b"<x/>"),
                                                   ("xl/../../evil2.xml", b"<x/>")])
    encrypt(bases["template"], folder / "encrypted.xlsx")
    truncate(bureau, folder / "truncated.xlsx")
    (folder / "empty.xlsx").write_bytes(b"")
    repack(bureau, folder / "bad_string.xlsx", {SHEET1: set_cell("A2", '<c r="A2" t="s"><v>999999</v></c>')})
    repack(bureau, folder / "nan.xlsx", {SHEET1: set_cell("D3", '<c r="D3"><v>NaN</v></c>')})
    return {"billion_laughs.xlsx": Expect("failed", {"file-corrupt"}), "xxe.xlsx": Expect("failed", {"file-corrupt"}),
            "bomb_ratio.xlsx": Expect("failed", {"file-compression-ratio"}),
            "bomb_size.xlsx": Expect("failed", {"file-too-large"}),
            "many_parts.xlsx": Expect("failed", {"file-too-many-parts"}),
            "encrypted.xlsx": Expect("failed", {"file-encrypted"}), "truncated.xlsx": Expect("failed", {"file-corrupt"}),
            "empty.xlsx": Expect("failed", {"file-not-workbook"}), "bad_string.xlsx": Expect("failed", {"file-corrupt"}),
            "duplicate_entry.xlsx": Expect(), "traversal.xlsx": Expect(), "nan.xlsx": Expect()}


def make_corpus(root: Path, bases) -> dict[str, Expect]:
    """Write the corpus under ``root`` (one folder per family; a state file inside one unit's folder) and
    return each file's expectation by its result name (relative to ``root``)."""
    expect: dict[str, Expect] = {}
    families = {"formats": lambda f: _formats(f, bases), "links": _links, "names": lambda f: _names(f, bases),
                "work": lambda f: _work(f, bases), "engine": lambda f: _engine(f, bases),
                "packages": lambda f: _packages(f, bases)}
    for family, build in families.items():
        folder = root / family
        folder.mkdir(parents=True)
        expect.update({f"{family}/{name}": value for name, value in build(folder).items()})
    unit = root / "state" / "单位"
    unit.mkdir(parents=True)
    shutil.copy(bases["bureau"], unit / "clean.xlsx")
    shutil.copy(bases["template"], unit / "template.xlsx")
    (unit / ".xlperf-progress.jsonl").write_text('{"key": "stale"}\n', encoding="utf-8")
    expect.update({"state/单位/clean.xlsx": Expect("ok"), "state/单位/template.xlsx": Expect("ok"),
                   "state/单位/.xlperf-progress.jsonl": Expect("skipped")})
    return expect
