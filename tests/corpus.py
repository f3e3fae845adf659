"""Generate folders of filled xlperf templates with known injected defects (tests and benchmarks).

Every file is filled the way an accountant fills the template in Excel and carries the cached
values Excel would have saved (recomputed by the engine and patched into the package), so
tampering shows up exactly as it would in a returned file.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from openpyxl import load_workbook

from examples import casebook
from tests.template.filling import fill_info
from xlperf.core.frameworks import FrameworkIndicator, load_framework
from xlperf.engine.recalc import recalc_workbook
from xlperf.template.builder import make_workbook, save_atomic
from xlperf.template.fingerprint import read_marker
from xlperf.workbook.package import patch_values

JUDGED = ("评价人判断", "定性分档", "时限")
SHEET = "评分表"
SELF_EVAL_ROWS = {  # level2 → (level3, target, unit, actual, judgement)
    "预算执行率": (None, None, None, None, None),
    "数量指标": ("举办人才培训场次", "≥20", "场次", 22, None),
    "质量指标": ("培训合格率", "≥95%", None, 0.97, None),
    "时效指标": ("补贴发放平均时长", "≤15", "天", 12, None),
    "成本指标": ("人均培训成本", "≤0.5", "万元", 0.45, None),
    "经济效益指标": ("带动企业新增投资", "≥1000", "万元", 1200, None),
    "社会效益指标": ("人才服务水平", "有效提升", None, "显著提升", 10),
    "生态效益指标": ("绿色办公水平", "有效", None, "有效", 5),
    "可持续影响指标": ("人才政策长效机制", "健全", None, "健全", 5),
    "服务对象满意度指标": ("服务对象满意度", "≥90%", None, 0.95, None),
}


@dataclass
class Defect:
    """One generated file and the findings (code, sheet, cell) it must produce."""

    name: str
    expect: list[tuple[str, str | None, str | None]] = field(default_factory=list)


def fill_case(wb, case: dict[str, Any]) -> None:
    """Type a seed case's actuals, evaluator scores, notes and budget into a template workbook."""
    ws = wb[SHEET]
    fill_info(wb["基本信息"], case)
    rows = iter(case["rows"])
    for r in range(4, ws.max_row + 1):
        if ws[f"K{r}"].value is None or not str(ws[f"K{r}"].value).startswith("=PERF_SCORE"):
            continue
        data = next(rows)
        if not str(ws[f"H{r}"].value or "").startswith("="):
            ws[f"H{r}"] = data["actual"]
        if ws[f"I{r}"].value in JUDGED:
            ws[f"J{r}"] = data["score"]
        if data["note"]:
            ws[f"L{r}"] = data["note"]


def fill_self_eval(wb) -> None:
    info, ws = wb["基本信息"], wb[SHEET]
    for ref, value in zip(("B3", "B4", "B5", "B6", "B9", "B10", "B11", "B12"),
                          ("人才培训项目", "某区人力资源局", "某区人才服务中心", 2024, 500, 480, 480, 470.4)):
        info[ref] = value
    ws["L4"] = "执行率 98.00%，年底有 9.6 万元结转。"
    for r in range(4, ws.max_row + 1):
        if not str(ws[f"K{r}"].value or "").startswith("=PERF_SCORE"):
            continue
        spec = SELF_EVAL_ROWS.get(ws[f"B{r}"].value)
        if spec is None or spec[0] is None:
            continue
        name, target, unit, actual, judgement = spec
        ws[f"C{r}"], ws[f"G{r}"], ws[f"H{r}"] = name, target, actual
        if unit:
            ws[f"E{r}"] = unit
        if "%" in target:
            ws[f"H{r}"].number_format = "0.00%"
        if judgement is not None:
            ws[f"J{r}"] = judgement


def finish(wb, path: Path, cached_override: dict[str, Any] | None = None, vba: bytes | None = None) -> Path:
    """Save like Excel would: with every formula's cached value (optionally some wrong ones)."""
    work = Path(tempfile.mkdtemp(prefix="xlperf-corpus-"))
    try:
        raw = work / (path.stem + ".xlsx")
        save_atomic(wb, raw)
        if vba is not None:
            raw = _with_vba(raw, vba)
        values: dict[str, dict[str, Any]] = {}
        for (sheet, cell), value in recalc_workbook(raw).values.items():
            values.setdefault(sheet, {})[cell] = value
        for ref, value in (cached_override or {}).items():
            sheet, cell = ref.split("!")
            values.setdefault(sheet, {})[cell] = value
        path.parent.mkdir(parents=True, exist_ok=True)
        formula_cells = _formula_cells(raw)
        patch_values(raw, path, {s: {c: v for c, v in cells.items() if (s, c) in formula_cells}
                                 for s, cells in values.items()})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return path


def _formula_cells(path: Path) -> set[tuple[str, str]]:
    wb = load_workbook(path)
    return {(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("="))}


def _with_vba(path: Path, vba: bytes) -> Path:
    out = path.with_suffix(".xlsm")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/'
                                    b'vnd.ms-office.vbaProject"/></Types>')
            zout.writestr(info, data)
        zout.writestr("xl/vbaProject.bin", vba)
    return out


def filled(framework: str, case: str | None = None):
    wb = make_workbook(framework)
    if case:
        fill_case(wb, casebook.load_case(case))
    else:
        fill_self_eval(wb)
    return wb


def _restructured(drop: str | None = None, insert: FrameworkIndicator | None = None):
    """The dapeng template with a row deleted or inserted as Excel would, keeping the original marker."""
    fw = load_framework("dapeng")
    rows = [ind for ind in fw.indicators if ind.level3 != drop]
    if insert is not None:
        at = next(i for i, ind in enumerate(rows) if ind.level1 == insert.level1) + 1
        rows.insert(at, insert)
    original = read_marker(make_workbook("dapeng"))
    wb = make_workbook(replace(fw, indicators=tuple(rows)))
    case = casebook.load_case("dapeng_2024")
    case = {**case, "rows": [r for r in case["rows"] if r["level3"] != drop]}
    if insert is not None:
        extra = {"level3": insert.level3, "actual": "12人", "score": 2, "note": None}
        case["rows"].insert(at, extra)
    fill_case(wb, case)
    marker = wb["_xlperf"]
    for row in marker.iter_rows(min_row=1, max_col=2):
        key = row[0].value
        if key in ("fingerprint",):
            row[1].value = original["fingerprint"]
        if key == "layout":
            row[1].value = json.dumps(original["layout"], ensure_ascii=False, separators=(",", ":"))
    return wb


def edit(cell: str, value: Any) -> Callable[[Any], None]:
    def apply(wb) -> None:
        wb[SHEET][cell] = value
    return apply


def rename_info(wb) -> None:
    wb["基本信息"].title = "项目信息"
    ws = wb[SHEET]
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and "基本信息!" in c.value:
                c.value = c.value.replace("基本信息!", "项目信息!")


NEW_ROW = FrameworkIndicator("产出", "产出数量", "新增：人才公寓入住人数", Decimal(2), "≥10人")
DAPENG_EDITS: list[tuple[str, Callable[[Any], None] | None, dict[str, Any] | None, list[tuple[str, str, str | None]]]] = [
    ("formula_overwritten", edit("K18", 4), None, [("formula-missing", SHEET, "K18")]),
    ("weight_edited", edit("F18", 5), None, [("weight-changed", SHEET, "F18")]),
    ("target_edited", edit("G18", "≥60人"), None, [("target-changed", SHEET, "G18")]),
    ("formula_changed", edit("K19", "=PERF_SCORE(F19,G19,H19)"), None, [("formula-changed", SHEET, "K19")]),
    ("sheet_renamed", rename_info, None, [("sheet-missing", None, None)]),
    ("score_above_weight", edit("J4", 5), None, [("score-above-weight", SHEET, "J4")]),
    ("note_missing", edit("L7", None), None, [("note-missing", SHEET, "L7")]),
    ("text_in_number", edit("J5", "两分"), None, [("score-invalid", SHEET, "J5")]),
    ("unit_mismatch", edit("H15", "1场"), None, [("unit-mismatch", SHEET, "H15")]),
    ("stale_cache", None, {f"{SHEET}!K20": 1.23}, [("cached-value-mismatch", SHEET, "K20")]),
    ("grade_cached_wrong", None, {f"{SHEET}!K28": "良"},
     [("cached-value-mismatch", SHEET, "K28"), ("grade-mismatch", SHEET, "K28")]),
    ("total_cached_wrong", None, {f"{SHEET}!K27": 90},
     [("cached-value-mismatch", SHEET, "K27"), ("total-mismatch", SHEET, "K27")]),
]


def target_met_deducted(wb) -> None:
    wb[SHEET]["J4"] = 2.5  # 立项依据充分性: 充分 = 充分, 2.5 of 3, no note


def make_defect_corpus(folder: Path) -> list[Defect]:
    """Clean files plus one file per injected defect; returns what each must produce."""
    folder.mkdir(parents=True, exist_ok=True)
    out = [Defect("clean_dapeng.xlsx"), Defect("clean_self_eval.xlsx")]
    finish(filled("dapeng", "dapeng_2024"), folder / "clean_dapeng.xlsx")
    finish(filled("self_eval"), folder / "clean_self_eval.xlsx")
    for name, change, cached, expect in DAPENG_EDITS + [
            ("target_met_deducted", target_met_deducted, None, [("target-met-deducted", SHEET, "K4")])]:
        wb = filled("dapeng", "dapeng_2024")
        if change is not None:
            change(wb)
        finish(wb, folder / f"{name}.xlsx", cached)
        out.append(Defect(f"{name}.xlsx", expect))
    finish(_restructured(drop="成本控制率"), folder / "row_deleted.xlsx")
    out.append(Defect("row_deleted.xlsx", [("row-deleted", SHEET, None)]))
    finish(_restructured(insert=NEW_ROW), folder / "row_inserted.xlsx")
    out.append(Defect("row_inserted.xlsx", [("row-inserted", SHEET, "C16")]))
    finish(filled("dapeng", "dapeng_2024"), folder / "macro_added.xlsm", vba=b"\xd0\xcf\x11\xe0 not the template's")
    out.append(Defect("macro_added.xlsm", [("macro-added", None, None)]))
    return out


def make_bad_files(folder: Path, oversize: int = 201 * 2**20) -> dict[str, str]:
    """Files a batch must survive: name → the finding code each must produce."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 64 + b"broken")
    (folder / "renamed_text.xlsx").write_text("这不是工作簿，只是改了扩展名的文本。", encoding="utf-8")
    (folder / "legacy.xls").write_bytes(_legacy_xls())
    plain = folder / "_plain.xlsx"
    finish(filled("dapeng", "dapeng_2024"), plain)
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(plain, "rb") as src, open(folder / "encrypted.xlsx", "wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    plain.unlink()
    with zipfile.ZipFile(folder / "oversized.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            block = b"0" * 2**20
            for _ in range(oversize // len(block)):
                handle.write(block)
    return {"corrupt.xlsx": "file-corrupt", "renamed_text.xlsx": "file-not-workbook",
            "legacy.xls": "file-legacy-xls", "encrypted.xlsx": "file-encrypted", "oversized.xlsx": "file-too-large"}


def _legacy_xls() -> bytes:
    """A minimal OLE compound file whose directory holds a "Workbook" stream, as an .xls does."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:26] = (0x3E).to_bytes(2, "little")
    header[26:28] = (3).to_bytes(2, "little")
    header[28:30] = (0xFFFE).to_bytes(2, "little")
    header[30:32] = (9).to_bytes(2, "little")
    header[32:34] = (6).to_bytes(2, "little")
    header[44:48] = (1).to_bytes(4, "little")
    header[48:52] = (1).to_bytes(4, "little")
    fat = bytearray(b"\xff" * sector)
    fat[0:4] = (0xFFFFFFFD).to_bytes(4, "little")
    fat[4:8] = (0xFFFFFFFE).to_bytes(4, "little")
    header[76:80] = (0).to_bytes(4, "little")
    directory = bytearray(sector)
    for i, name in enumerate(("Root Entry", "Workbook")):
        raw = (name + "\0").encode("utf-16-le")
        directory[i * 128:i * 128 + len(raw)] = raw
        directory[i * 128 + 64:i * 128 + 66] = len(raw).to_bytes(2, "little")
        directory[i * 128 + 66] = 5 if i == 0 else 2
    return bytes(header + fat + directory) + io.BytesIO(b"\x09\x08" * 256).getvalue()
