"""Milliseconds per file for openpyxl (full, read-only), python-calamine and xlsxread on a small score table.

Run: .venv/bin/python bench/read_speed.py [iterations]

Two variants of one generated 30-row workbook (~50 formulas, Chinese text, merges, percent
and unlocked cells): as openpyxl saves it (inline strings, formulas without cached values) and
as Excel saves it (shared string table, cached formula results, shared formulas).
"""

from __future__ import annotations

import io
import re
import sys
import time
import warnings
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Protection

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xlperf.workbook.xlsxread import read_workbook  # noqa: E402

LEVELS = ["产出指标", "效益指标", "满意度指标"]


def build_openpyxl() -> tuple[bytes, dict[str, float]]:
    """The workbook as openpyxl writes it, and the value each formula cell would cache."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append(["人才发展专项资金 评价指标体系得分表"])
    ws.merge_cells("A1:H1")
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分", "完成率"])
    cached: dict[str, float] = {}
    for i in range(25):
        r = i + 3
        weight, target, actual = 4 + i % 3, 100 + i, 90 + 2 * i
        ws.append([LEVELS[i // 9], f"二级指标{i // 3}", f"三级指标 第{i + 1}项（人次）", weight, target, actual,
                   f"=IF(F{r}>=E{r},D{r},ROUND(D{r}*F{r}/E{r},2))", f"=F{r}/E{r}"])
        ws.cell(r, 8).number_format = "0.00%"
        ws.cell(r, 6).protection = Protection(locked=False)
        cached[f"G{r}"] = weight if actual >= target else round(weight * actual / target, 2)
        cached[f"H{r}"] = actual / target
    for r1, r2 in ((3, 11), (12, 20), (21, 27)):
        ws.merge_cells(start_row=r1, start_column=1, end_row=r2, end_column=1)
    ws.append(["合计", None, None, "=SUM(D3:D27)", None, None, "=SUM(G3:G27)"])
    ws.append(["评价等级", "优"])
    ws.append(["预算执行率", None, None, 0.9731])
    ws["D30"].number_format = "0.00%"
    cached["D28"] = sum(4 + i % 3 for i in range(25))
    cached["G28"] = sum(v for k, v in cached.items() if k.startswith("G"))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), cached


def excel_like(data: bytes, cached: dict[str, float]) -> bytes:
    """Rewrite the package the way Excel stores it: shared strings, cached results, shared formulas."""
    src = zipfile.ZipFile(io.BytesIO(data))
    sheet = src.read("xl/worksheets/sheet1.xml").decode()
    strings: list[str] = []

    def to_shared(m: re.Match) -> str:
        strings.append(m[2])
        return f'{m[1]} t="s"><v>{len(strings) - 1}</v></c>'

    sheet = re.sub(r'(<c r="\w+"(?: s="\d+")?) t="inlineStr"><is><t>([^<]*)</t></is></c>', to_shared, sheet)
    sheet = re.sub(r'<c r="(\w+)"([^>]*)><f>([^<]*)</f><v\s*/>',
                   lambda m: f'<c r="{m[1]}"{m[2]}><f>{m[3]}</f><v>{cached.get(m[1], 0)}</v>', sheet)
    sheet = re.sub(r'<c r="G(\d+)"([^>]*)><f>IF\(F\1&gt;=E\1[^<]*</f>', _shared_g, sheet)
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
    parts = {n: src.read(n) for n in src.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/sharedStrings.xml"] = (f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                     f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>').encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode().replace("</Relationships>", (
        '<Relationship Id="rId9" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings"/></Relationships>'))
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    types = parts["[Content_Types].xml"].decode().replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["[Content_Types].xml"] = types.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in parts.items():
            dst.writestr(name, body)
    return out.getvalue()


def _shared_g(m: re.Match) -> str:
    row = int(m[1])
    if row == 3:
        return f'<c r="G3"{m[2]}><f t="shared" ref="G3:G27" si="0">IF(F3&gt;=E3,D3,ROUND(D3*F3/E3,2))</f>'
    return f'<c r="G{row}"{m[2]}><f t="shared" si="0"/>'


def openpyxl_full(data: bytes) -> None:
    openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def openpyxl_read_only(data: bytes) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()


def calamine_all(data: bytes) -> None:
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def xlsxread(data: bytes) -> None:
    read_workbook(data)


def per_file_ms(reader, data: bytes, iterations: int, rounds: int = 5) -> float:
    """Mean ms per call over ``iterations`` calls; the best of ``rounds`` such runs (shared machines are noisy)."""
    reader(data)  # warm up: imports, caches
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(iterations):
            reader(data)
        best = min(best, (time.perf_counter() - start) / iterations * 1000)
    return best


def main(iterations: int = 200) -> None:
    warnings.simplefilter("ignore")
    plain, cached = build_openpyxl()
    variants = {"openpyxl-saved": plain, "excel-like": excel_like(plain, cached)}
    readers = {"openpyxl full": openpyxl_full, "openpyxl read_only": openpyxl_read_only,
               "python-calamine (all sheets)": calamine_all, "xlsxread": xlsxread}
    print(f"ms per file, best of 5 runs of {iterations} iterations: " + ", ".join(f"{k} {len(v)} bytes" for k, v in variants.items()))
    print(f"{'reader':30}" + "".join(f"{name:>16}" for name in variants))
    for label, reader in readers.items():
        print(f"{label:30}" + "".join(f"{per_file_ms(reader, d, iterations):16.3f}" for d in variants.values()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
