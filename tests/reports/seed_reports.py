"""Rebuild the two published seed reports as Word documents, from ``../shared/seeds`` and ``../shared/cases``.

The seeds are the reports' text as extracted from their documents. 盐田 (``000_…``) keeps its tables as
tab-separated lines: they become Word tables, an empty cell under a level becoming a vertical merge and the
cell after 合计 a horizontal one. Its score table 表3-1 is taken from the case (the extraction shifted two of
its level cells); it is split where the seed splits it, the second part repeating the header, as published.
大鹏 (``004_…``) lost its table structure: the budget table, the grade bands and both indicator tables are
rebuilt from the case and the seed's own lines (the score table with its two-row header, 评价指标体系
across three columns, 权重/得分 merged over both rows, split after 绩效指标明确性 as in the seed); its
annex (a score table at another granularity whose layout the extraction lost entirely) is left out.
Running text is re-flowed (``reflow``): lines join into paragraphs, a short numbered line is a heading.

The documents are made with python-docx directly, the way an office tool writes them (manual bold
headings, Word's "Table Grid" tables), not with xlperf's report code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator, Sequence

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SEEDS = {"yantian": "000_85ec3a3f88447e01.txt", "dapeng": "004_04e7243756f2af92.txt"}
CASES = {"yantian": "yantian_2024.json", "dapeng": "dapeng_2024.json"}
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|[①-⑳])")
FULL_LINE = 24  # 大鹏's extracted lines are about 26 characters wide
_BANDS = re.compile(r"(≥\s*\d+\s*分(?:\s*＜\s*\d+\s*分)?|＜\s*\d+\s*分)")


def available() -> bool:
    return all((SHARED / "seeds" / name).is_file() for name in SEEDS.values())


def seed_lines(name: str) -> list[str]:
    return (SHARED / "seeds" / SEEDS[name]).read_text(encoding="utf-8").splitlines()


def case(name: str) -> dict:
    return json.loads((SHARED / "cases" / CASES[name]).read_text(encoding="utf-8"))


def is_heading(line: str) -> bool:
    """A numbered line shorter than the seeds' text lines (about 26 characters) with no punctuation."""
    return bool(_NUMBERED.match(line)) and len(line) <= 22 and not any(mark in line for mark in "，。；：")


def standalone(line: str) -> bool:
    """A line that is a paragraph of its own: a heading or a table caption (表 3-1 …)."""
    return is_heading(line) or bool(re.match(r"^表\s*\d+[-－]\d+\s", line))


def reflow(lines: Sequence[str], first: bool = False) -> Iterator[str]:
    """Join extraction lines into paragraphs: a line ending in 。； ends one, so does a short line ending in
    ：(a full-width line ending in ： breaks mid-sentence, '以下简称：'); headings and captions stand alone,
    and so does the document's first line (its title) when ``first``."""
    buffer = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if standalone(line) or first:
            if buffer:
                yield buffer
            buffer, first = "", False
            yield line
            continue
        buffer += line
        if buffer.endswith(("。", "；", ";")) or (line.endswith(("：", ":")) and len(line) < FULL_LINE):
            yield buffer
            buffer = ""
    if buffer:
        yield buffer


def new_document():
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    return doc


def add_paragraphs(doc, lines: Sequence[str], first: bool = False) -> None:
    for text in reflow(lines, first):
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = is_heading(text) or None


def _merge_down(table, col: int, rows: range) -> None:
    """Merge a column's cells over ``rows`` (the first keeps the text)."""
    if len(rows) > 1:
        table.cell(rows.start, col).merge(table.cell(rows.stop - 1, col))


def add_grid(doc, rows: Sequence[Sequence[str]], merge_levels: int = 2, header_rows: int = 1):
    """A table from rows of texts: an empty cell in the first ``merge_levels`` columns continues the cell
    above it (vertical merge); the empty cells right after 合计 join it (horizontal merge)."""
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    texts = [[(values[c] if c < len(values) else "") for c in range(width)] for values in rows]
    for r, values in enumerate(texts):
        for c, text in enumerate(values):
            if text:
                table.cell(r, c).text = text
    for r, values in enumerate(texts):
        if values[0].replace(" ", "") == "合计":
            end = next((c for c in range(1, width) if values[c]), width)
            if end > 1:
                table.cell(r, 0).merge(table.cell(r, end - 1))
    for col in range(min(merge_levels, width)):
        start = header_rows
        for r in range(header_rows, len(texts) + 1):
            if r == len(texts) or texts[r][col] or texts[r][0].replace(" ", "") == "合计":
                _merge_down(table, col, range(start, r))
                start = r
    return table


def score_rows(rows: Sequence[dict], columns: Sequence[str], labels: dict[str, str] | None = None,
               continued: bool = False) -> list[list[str]]:
    """Case rows as table texts; a level repeated from the row above is left empty (to be merged). A
    continued part leaves the level-1 cell of its first rows empty too, as the published tables do."""
    out: list[list[str]] = []
    labels = labels or {}
    last = (rows[0]["level1"], "") if continued and rows else ("", "")
    for row in rows:
        values = []
        for column in columns:
            value = row[column]
            if column == "level1":
                value = "" if row["level1"] == last[0] else labels.get(value, value)
            elif column == "level2":
                value = "" if (row["level1"], row["level2"]) == last else value
            elif column in ("weight", "score"):
                value = f"{value:g}" if float(value).is_integer() else f"{value:.2f}"
            values.append(str(value))
        out.append(values)
        last = (row["level1"], row["level2"])
    return out


# --- 盐田: tab-separated tables in the seed ---
SCORE_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
SCORE_FIELDS = ["level1", "level2", "level3", "target", "actual", "weight", "score"]


def segments(lines: Sequence[str]) -> Iterator[tuple[str, list]]:
    """("text", lines) and ("table", rows) in order; a table is a run of tab-separated lines."""
    text: list[str] = []
    table: list[list[str]] = []
    for line in lines:
        if "\t" in line:
            if text:
                yield "text", text
                text = []
            table.append(line.rstrip("\n").split("\t"))
            continue
        if table:
            yield "table", table
            table = []
        text.append(line)
    if table:
        yield "table", table
    if text:
        yield "text", text


def build_yantian(path: Path) -> Path:
    """盐田's report: its text, 表1-1, 表2-1 and the level tables from the seed, 表3-1 from the case."""
    doc, rows, done = new_document(), case("yantian")["rows"], 0
    for kind, block in segments(seed_lines("yantian")):
        if kind == "text":
            add_paragraphs(doc, block, first=not doc.paragraphs)
        elif [cell.strip() for cell in block[0] if cell.strip()] == SCORE_HEADER:
            first = done == 0
            part = rows[done:done + len(block) - 1] if first else rows[done:]
            done += len(part)
            add_grid(doc, [SCORE_HEADER] + score_rows(part, SCORE_FIELDS, continued=not first))
            doc.add_paragraph()  # the page break between the parts, as extracted: an empty paragraph
        else:
            add_grid(doc, block)
    doc.save(path)
    return path


# --- 大鹏: tables rebuilt from the case and the seed's lines ---
def _level_labels(rows: Sequence[dict]) -> dict[str, str]:
    totals: dict[str, float] = {}
    for row in rows:
        totals[row["level1"]] = totals.get(row["level1"], 0) + row["weight"]
    return {name: f"{name}（{total:g}分）" for name, total in totals.items()}


def _with_targets(rows: Sequence[dict]) -> list[dict]:
    """Output and benefit rows name their target as the seed prints them: '补贴人员满意度：≥90%'."""
    return [{**row, "level3": f"{row['level3']}：{row['target']}"} if row["level1"] in ("产出", "效益") else row
            for row in rows]


def _budget_table(doc, lines: Sequence[str]) -> None:
    header = ["项目名称", "年初预算数", "全年预算数", "实际支出数", "预算执行率（%）"]
    data = [line.strip().rsplit(None, 4) for line in lines if re.search(r"\d,\d{3}\.\d+", line)]
    add_grid(doc, [header] + [[cells[0].replace(" ", "")] + cells[1:] for cells in data], merge_levels=0)


def _grade_table(doc, first: str, second: str) -> None:
    bands = [re.sub(r"\s+", "", band) for band in _BANDS.findall(second)]
    add_grid(doc, [first.split(), ["分值"] + bands], merge_levels=0)


def _system_table(doc, rows: Sequence[dict]) -> None:
    labels = _level_labels(rows)
    body = score_rows(_with_targets(rows), ["level1", "level2", "level3", "weight"], labels)
    add_grid(doc, [["一级指标", "二级指标", "三级指标", "权重"]] + body + [["合计", "", "", "100"]])


def _score_header(table) -> None:
    table.cell(0, 0).merge(table.cell(0, 2))
    for col in (3, 4):
        table.cell(0, col).merge(table.cell(1, col))


def _score_tables(doc, lines: Sequence[str], data: dict) -> None:
    """The score table in two parts, split where the seed repeats its header."""
    rows, labels = _with_targets(data["rows"]), _level_labels(data["rows"])
    second = [i for i, line in enumerate(lines) if line.strip() == "评价指标体系"][1]
    split = sum(1 for line in lines[:second] if re.search(r"\S \d+(\.\d+)? \d+(\.\d+)?$", line.strip()))
    header = [["评价指标体系", "", "", "权重", "得分"], ["一级指标", "二级指标", "三级指标", "", ""]]
    fields = ["level1", "level2", "level3", "weight", "score"]
    first = add_grid(doc, header + score_rows(rows[:split], fields, labels), header_rows=2)
    _score_header(first)
    doc.add_paragraph()
    total = ["合计", "", "", "100", f"{data['stated']['total']:g}"]
    rest = add_grid(doc, header + score_rows(rows[split:], fields, labels, continued=True) + [total], header_rows=2)
    _score_header(rest)


def build_dapeng(path: Path) -> Path:
    """大鹏's report: its text re-flowed, its four tables rebuilt, the annex left out."""
    doc, data = new_document(), case("dapeng")
    lines, text, i = seed_lines("dapeng"), [], 0
    while i < len(lines):
        line = lines[i].strip()
        end = _region_end(lines, i)
        if end is None and not line.startswith("附件："):
            text.append(lines[i])
            i += 1
            continue
        add_paragraphs(doc, text, first=not doc.paragraphs)
        text = []
        if line.startswith("附件："):
            break
        _region_table(doc, lines[i:end + 1], data)
        i = end + 1
    add_paragraphs(doc, text)
    doc.save(path)
    return path


def _region_end(lines: Sequence[str], i: int) -> int | None:
    """Where a lost table that starts at line ``i`` ends, or None when no table starts there."""
    line = lines[i].strip()
    ends = {"单位：万元": lambda s: s.startswith("合 计"), "项目 优 良 中 差": lambda s: s.startswith("分值"),
            "评价指标体系 权重": lambda s: s == "合计 100", "评价指标体系": lambda s: s.startswith("合计 100 ")}
    for start, is_end in ends.items():
        if line == start:
            return next(j for j in range(i + 1, len(lines)) if is_end(lines[j].strip()))
    return None


def _region_table(doc, region: Sequence[str], data: dict) -> None:
    first = region[0].strip()
    if first == "单位：万元":
        doc.add_paragraph(first)
        _budget_table(doc, region[1:])
    elif first.startswith("项目 优"):
        _grade_table(doc, first, region[-1])
    elif first == "评价指标体系 权重":
        _system_table(doc, data["rows"])
    else:
        _score_tables(doc, region, data)


def build(name: str, folder: Path) -> Path:
    """Write one seed report (yantian or dapeng) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    builder = build_yantian if name == "yantian" else build_dapeng
    return builder(folder / f"{name}_report.docx")
