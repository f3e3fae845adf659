"""Write indicator forms the way offices lay them out, with xlsxwriter (fixtures and property tests).

A Form is data: its rows, budget block and layout (column order, header words, a left 绩效指标
block column, a two-row header over split 指标性质 / 指标值 / 度量单位 columns, points in the level
labels, title, info, 年度主要任务 and 年度总体目标 blocks, the 总分 row, where the grade sits, a
评价结论 under it). ``render`` writes it and returns where everything went, so tests name cells.
Score formulas are written as templates over the row's own cells: ``{actual}`` → ``F17``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from tests.forms.model import SPLIT, Budget, Form, Placed

HEADERS = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "nature": "指标性质", "target": "年度指标值",
           "unit": "度量单位", "actual": "实际完成值", "weight": "分值", "score": "得分",
           "note": "偏差原因分析及改进措施", "criteria": "评分标准"}


def _columns(form: Form) -> list[str]:
    cols = [] if form.block is None else ["block"]
    for role in form.roles:
        cols.extend(SPLIT if role == "target" and form.two_row else (role,))
    return cols


class _Writer:
    def __init__(self, book, form: Form, placed: Placed):
        self.book, self.form, self.placed = book, form, placed
        self.ws = book.add_worksheet(form.sheet)
        self.cols = _columns(form)
        self.width = max(len(self.cols), 9)
        self.fmt = book.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"})
        self.pct = book.add_format({"border": 1, "num_format": "0.00%"})
        self.bold = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter"})
        self.row = 0
        self.ws.set_column(0, self.width, 14)
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)

    def put(self, row: int, col: int, value: Any, fmt=None, refs: dict[str, str] | None = None) -> None:
        """A formula where ``refs`` are given and the value starts with "=" (data such as a 指标性质 "=" or
        "=>" is written as text, as an office types it)."""
        fmt = fmt or self.fmt
        if refs is not None and isinstance(value, str) and value.startswith("="):
            self.ws.write_formula(row, col, value.format(**refs), fmt)
        elif value is None:
            self.ws.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            self.ws.write_string(row, col, value, fmt)
        else:
            self.ws.write(row, col, value, fmt)

    def line(self, *values: Any) -> None:
        for col, value in enumerate(values):
            if value is not None:
                self.put(self.row, col, value)
        self.row += 1

    def span(self, row: int, first: int, last: int, text: str) -> None:
        """A bold label over columns first…last of a row (one cell when last ≤ first)."""
        if last > first:
            self.ws.merge_range(row, first, row, last, text, self.bold)
        else:
            self.put(row, first, text, self.bold)

    def label(self, row: int, numbers: int, text: str) -> None:
        """A row label (总分, 评价等级) over the level columns, up to the first column holding numbers."""
        first = min(self.cols.index(role) for role in ("level1", "level2", "level3"))
        self.span(row, 0 if set(self.cols[:first]) <= {"block"} else first, numbers - 1 if numbers > first else first,
                  text)

    def wide(self, text: str) -> None:
        self.ws.merge_range(self.row, 0, self.row, self.width - 1, text, self.bold)
        self.row += 1


def _budget(w: _Writer, budget: Budget) -> None:
    labels = budget.labels + ("分值", "执行率", "得分")
    names = ("initial", "annual", "spent")[: len(budget.labels)]
    top = w.row
    w.ws.merge_range(top, 0, top + len(budget.lines), 0, budget.title, w.bold)
    for i, label in enumerate(labels):
        w.put(top, 2 + i, label, w.bold)
    refs = {name: xl_rowcol_to_cell(top + 1, 2 + i) for i, name in enumerate(names)}
    refs |= {"weight": xl_rowcol_to_cell(top + 1, 2 + len(names)), "rate": xl_rowcol_to_cell(top + 1, 3 + len(names))}
    for n, (label, figures) in enumerate(budget.lines, 1):
        w.put(top + n, 1, label)
        for i, value in enumerate(figures):
            w.put(top + n, 2 + i, value)
        tail = (budget.weight, budget.rate, budget.score) if n == 1 else ("—", None, "—")
        for i, value in enumerate(tail):
            w.put(top + n, 2 + len(names) + i, value, w.pct if i == 1 and n == 1 else None, refs)
    w.placed.budget = refs | {"score": xl_rowcol_to_cell(top + 1, 4 + len(names))}
    w.row = top + len(budget.lines) + 1


def _blocks(w: _Writer) -> None:
    if w.form.tasks:
        w.ws.merge_range(w.row, 0, w.row + 2, 0, "年度主要任务", w.bold)
        w.line(None, "任务名称", "主要内容", "预算金额（万元）")
        w.line(None, None, None, "总额", "财政拨款", "其他资金")
        w.line(None, "人才引进服务", "组织招聘、落实安家补贴", 800, 760, 40)
    if w.form.goals:
        w.ws.merge_range(w.row, 0, w.row + 1, 0, "年度总体目标", w.bold)
        for texts in (("预期目标", "实际完成情况"), ("全年完成既定培训和补贴发放任务，服务对象满意度不低于90%。",
                                                   "全年完成培训和补贴发放，满意度调查结果95%。")):
            w.ws.merge_range(w.row, 1, w.row, 4, texts[0], w.fmt)
            w.ws.merge_range(w.row, 5, w.row, w.width - 1, texts[1], w.fmt)
            w.ws.set_row(w.row, 30)
            w.row += 1


def _header(w: _Writer) -> None:
    form, first = w.form, w.row
    texts = HEADERS | form.headers
    for col, role in enumerate(w.cols):
        if role == "block":
            continue
        if form.two_row and role in SPLIT:
            w.put(first + 1, col, texts[role] if role != "target" else "指标值", w.bold)
        elif form.two_row:
            w.ws.merge_range(first, col, first + 1, col, texts[role], w.bold)
        else:
            w.put(first, col, texts[role], w.bold)
    if form.two_row:
        start = w.cols.index("nature")
        w.ws.merge_range(first, start, first, start + 2, texts["target"], w.bold)
    w.row = first + (2 if form.two_row else 1)
    w.placed.header_row = w.row
    w.placed.columns = {role: xl_rowcol_to_cell(0, col)[:-1] for col, role in enumerate(w.cols)}


def _level_text(form: Form, name: str) -> str:
    return f"{name}（{form.level_points[name]}分）" if name in form.level_points else name


def _lines(w: _Writer) -> None:
    form = w.form
    for line in form.lines:
        refs = {role: f"{w.placed.columns[role]}{w.row + 1}" for role in w.cols if role != "block"}
        values = {"level1": _level_text(form, line.level1), "level2": line.level2, "level3": line.level3,
                  "nature": line.nature, "target": line.target, "unit": line.unit, "actual": line.actual,
                  "weight": line.weight, "score": line.formula or line.score, "note": line.note,
                  "criteria": line.criteria}
        for col, role in enumerate(w.cols):
            if role != "block":
                w.put(w.row, col, values[role], w.pct if role in line.percent else None,
                      refs if role == "score" and line.formula else None)
        w.placed.rows.append(w.row + 1)
        w.row += 1
    _merge_levels(w)


def _merge_levels(w: _Writer) -> None:
    first = w.placed.rows[0] - 1
    for role in ("level1", "level2"):
        if role not in w.cols:
            continue
        col = w.cols.index(role)
        keys = [(line.level1, line.level2)[: 1 if role == "level1" else 2] for line in w.form.lines]
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                text = _level_text(w.form, w.form.lines[start].level1) if role == "level1" else keys[start][1]
                if role == "level1":
                    w.placed.labels[w.form.lines[start].level1] = xl_rowcol_to_cell(first + start, col)
                if i - start > 1:
                    w.ws.merge_range(first + start, col, first + i - 1, col, text, w.fmt)
                start = i


def _total(w: _Writer) -> None:
    form = w.form
    score_col = w.cols.index("score")
    w.label(w.row, min(w.cols.index("weight"), score_col), form.total_label)
    weights = sum(line.weight for line in form.lines if isinstance(line.weight, (int, float)))
    w.put(w.row, w.cols.index("weight"), weights + (form.budget.weight if form.budget else 0))
    letter = w.placed.columns["score"]
    total = form.total
    if total == "SUM":
        parts = [f"{letter}{w.placed.rows[0]}:{letter}{w.placed.rows[-1]}"]
        if form.budget is not None and not form.budget.vertical:
            parts.insert(0, w.placed.budget["score"])
        total = f"=SUM({','.join(parts)})"
    w.put(w.row, score_col, total, refs={})
    w.placed.total = f"{letter}{w.row + 1}"
    if form.grade and form.grade[0] == "total":
        col = score_col + 1 if score_col + 1 < len(w.cols) and w.cols[score_col + 1] in ("note", "criteria") \
            else len(w.cols)
        w.put(w.row, col, form.grade[1])
        w.placed.grade = xl_rowcol_to_cell(w.row, col)
    w.row += 1


def _after(w: _Writer) -> None:
    form = w.form
    if form.grade and form.grade[0] == "row":
        score_col = w.cols.index("score")
        w.label(w.row, score_col, "评价等级")
        w.put(w.row, score_col, form.grade[1])
        w.placed.grade = xl_rowcol_to_cell(w.row, score_col)
        w.row += 1
    if form.grade and form.grade[0] == "label":  # 评价等级 | 优 under the table, a row apart
        w.row += 1
        first = min(w.cols.index(role) for role in ("level1", "level2", "level3"))
        at = 0 if set(w.cols[:first]) <= {"block"} else first
        w.put(w.row, at, "评价等级", w.bold)
        w.put(w.row, at + 1, form.grade[1])
        w.placed.grade = xl_rowcol_to_cell(w.row, at + 1)
        w.row += 1
    if form.conclusion:
        w.put(w.row, 0, "评价结论", w.bold)
        w.ws.merge_range(w.row, 1, w.row, w.width - 1, form.conclusion, w.fmt)
        w.row += 1


def _vertical_budget(book, budget: Budget, placed: Placed) -> None:
    ws = book.add_worksheet("项目基本情况")
    ws.write(0, 0, budget.title)
    for i, (label, value) in enumerate(zip(budget.labels, budget.lines[0][1]), 1):
        ws.write(i, 0, label)
        ws.write(i, 1, value)
        placed.budget[label] = xl_rowcol_to_cell(i, 1)


def render(form: Form, path: Path | None = None) -> tuple[Placed, bytes | None]:
    """Write ``form`` to ``path`` (or to bytes, returned); and where everything went."""
    target = io.BytesIO() if path is None else str(path)
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    placed = Placed(path)
    w = _Writer(book, form, placed)
    for text in form.title:
        w.wide(text)
    for i in range(0, len(form.info), 2):
        pair = form.info[i:i + 2]
        w.line(*[item for label, value in pair for item in (label, value, None, None)][:8])
    if form.budget is not None and not form.budget.vertical:
        _budget(w, form.budget)
    _blocks(w)
    header_top = w.row
    _header(w)
    _lines(w)
    if form.block is not None:
        w.ws.merge_range(header_top, 0, w.row - 1, 0, form.block, w.bold)
        placed.block = xl_rowcol_to_cell(header_top, 0)
    if form.total is not None:
        _total(w)
    _after(w)
    if form.budget is not None and form.budget.vertical:
        _vertical_budget(book, form.budget, placed)
    book.close()
    return placed, (target.getvalue() if isinstance(target, io.BytesIO) else None)
