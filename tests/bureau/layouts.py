"""Three bureau-made templates that xlperf did not build, written as a finance bureau would.

- ``county`` (xlsxwriter): one sheet 评分表 with 指标性质 / 度量单位 columns, numeric targets and one
  score formula for every quantitative row, ``=ROUND(IF(D="≤",IF(H<=E,1,E/H),MIN(1,H/E))*G,2)``,
  judged rows typed, 合计 and a grade formula.
- ``info`` (openpyxl): a 基本信息 sheet of typed figures and two rate formulas with a typed 评价年度
  under them (B10), and a 评分表 whose rate rows link to it; level-1 subtotals below the table.
- ``mof`` (xlsxwriter): the MoF 项目支出绩效自评表 (财预〔2020〕10号 附件1): header block, the budget
  block with 分值 / 执行率 / 得分, 年度总体目标, the indicators under a 绩效指标 column, 总分.

A layout writes the blank template (``inputs=None``) or a copy a unit filled (``inputs``); its
``rows`` may differ from the template's (a row deleted or inserted: every formula written for the
rows it gets, as Excel leaves them after the edit). ``places`` says where each cell went.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.bureau.books import Book
from xlperf.workbook.grid import column_letter


@dataclass(frozen=True)
class Row:
    """One indicator of a bureau's template. ``kind``: ge / le (score formula), rate (formula, budget
    link), judged (the unit types the score)."""

    level1: str
    level2: str
    level3: str
    weight: float
    target: Any
    kind: str
    unit: str = ""
    percent: bool = False


@dataclass
class Inputs:
    """What a unit types into its copy."""

    unit_name: str = ""
    project: str = ""
    year: int = 2024
    budget: tuple[float, float, float, float] = (0, 0, 0, 0)  # initial, annual, received, spent
    actual: dict[str, Any] = field(default_factory=dict)  # level3 → actual
    score: dict[str, float] = field(default_factory=dict)  # level3 → typed score (judged rows)
    note: dict[str, str] = field(default_factory=dict)


@dataclass
class Places:
    """Where a layout put things: per level3 its role cells ("评分表!G5"), plus named cells."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    named: dict[str, str] = field(default_factory=dict)
    table_sheet: str = ""


def _levels(book: Book, sheet: str, rows: list[Row], first: int, cols: tuple[str, str]) -> None:
    """Level-1 and level-2 cells merged over their runs of rows, as bureaus print them."""
    for index, col in enumerate(cols):
        start = 0
        for i in range(1, len(rows) + 1):
            key = lambda r: (r.level1, r.level2)[: index + 1]  # noqa: E731
            if i == len(rows) or key(rows[i]) != key(rows[start]):
                value = (rows[start].level1, rows[start].level2)[index]
                area = f"{col}{first + start}:{col}{first + i - 1}"
                if i - start > 1:
                    book.merge(sheet, area, value, "wrap")
                else:
                    book.put(sheet, f"{col}{first + start}", value, "wrap")
                start = i


def _grade(cell: str) -> str:
    return f'=IF({cell}>=90,"优",IF({cell}>=80,"良",IF({cell}>=60,"中","差")))'


def _helpers(book: Book, sheet: str, r: int, cols: tuple[str, str, str], into: tuple[str, str]) -> None:
    """The helper columns bureaus add to a score table: 得分率 and a 校验 text (``cols``: weight, score, note)."""
    weight, score, note = (f"{c}{r}" for c in cols)
    book.put(sheet, f"{into[0]}{r}", f"=IF({weight}=0,0,ROUND({score}/{weight},4))", "pct")
    book.put(sheet, f"{into[1]}{r}", f'=IF({score}>{weight},"得分超过分值",IF(AND({score}<{weight},{note}=""),'
                                     f'"请填写扣分说明",""))', "wrap")


def _totals(book: Book, sheet: str, first: int, last: int, columns: str) -> tuple[int, str]:
    """合计 under the table (label merged up to the weight column, weight and score sums) and the grade
    row below it; ``columns``: label end, weight, grade label, score. Returns the total row and score column."""
    label_end, weight, label, score = columns
    total = last + 1
    book.merge(sheet, f"A{total}:{label_end}{total}", "合计", "head")
    book.put(sheet, f"{weight}{total}", f"=SUM({weight}{first}:{weight}{last})", "num")
    book.put(sheet, f"{score}{total}", f"=SUM({score}{first}:{score}{last})", "score")
    book.put(sheet, f"{label}{total + 1}", "评价等级", "head")
    book.put(sheet, f"{score}{total + 1}", _grade(f"{score}{total}"))
    return total, score


class County:
    """One sheet, 指标性质 and 度量单位 columns, score formulas on every quantitative row (xlsxwriter)."""

    name, library, sheet, first = "county", "xlsxwriter", "评分表", 4
    HEAD = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值", "实际完成值", "得分", "扣分说明",
            "得分率", "校验")

    def build(self, book: Book, rows: list[Row], inputs: Inputs | None) -> Places:
        s, first = self.sheet, self.first
        book.sheet(s)
        book.merge(s, "A1:L1", "2024年度项目绩效评价评分表", "title")
        book.put(s, "A2", "填报单位：")
        book.merge(s, "B2:D2", inputs.unit_name if inputs else None)
        for col, text in enumerate(self.HEAD, 1):
            book.put(s, f"{column_letter(col)}3", text, "head")
        places = Places(table_sheet=s)
        _levels(book, s, rows, first, ("A", "B"))
        for i, row in enumerate(rows):
            r = first + i
            nature = {"ge": "≥", "le": "≤"}.get(row.kind, "定性")
            values = {"C": row.level3, "D": nature, "E": row.target, "F": row.unit, "G": row.weight}
            for col, value in values.items():
                book.put(s, f"{col}{r}", value, "pct" if col == "E" and row.percent else "text")
            actual = inputs.actual.get(row.level3) if inputs else None
            book.put(s, f"H{r}", actual, "pct" if row.percent else "text")
            if row.kind == "judged":
                book.put(s, f"I{r}", inputs.score.get(row.level3) if inputs else None, "score")
            else:
                book.put(s, f"I{r}", f'=ROUND(IF(D{r}="≤",IF(H{r}<=E{r},1,E{r}/H{r}),MIN(1,H{r}/E{r}))*G{r},2)', "score")
            book.put(s, f"J{r}", inputs.note.get(row.level3) if inputs else None, "wrap")
            _helpers(book, s, r, ("G", "I", "J"), ("K", "L"))
            places.rows[row.level3] = {role: f"{s}!{col}{r}" for role, col in (
                ("level3", "C"), ("target", "E"), ("weight", "G"), ("actual", "H"), ("score", "I"), ("note", "J"))}
        total, score = _totals(book, s, first, first + len(rows) - 1, "FGHI")
        places.named.update(total=f"{s}!{score}{total}", grade=f"{s}!{score}{total + 1}")
        for col, width in zip("ABCDEFGHIJKL", (10, 12, 24, 8, 10, 8, 8, 12, 8, 28, 8, 16)):
            book.width(s, col, width)
        return places


class Info:
    """基本信息 with typed figures and rate formulas, 评分表 linking to it, subtotals below (openpyxl)."""

    name, library, sheet, first = "info", "openpyxl", "评分表", 4
    INFO = ("项目名称", "年初预算数", "全年预算数", "实际到位资金", "全年执行数", "资金到位率", "预算执行率", "评价年度",
            "主管部门", "实施单位")
    HEAD = ("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "得分", "扣分说明", "得分率", "校验")

    def _info(self, book: Book, inputs: Inputs | None) -> None:
        s = "基本信息"
        book.sheet(s)
        book.merge(s, "A1:B1", "项目基本信息（金额单位：万元）", "title")
        typed = {"项目名称": inputs.project, "评价年度": inputs.year, "主管部门": "某区财政局",
                 "实施单位": inputs.unit_name} if inputs else {}
        typed.update(zip(self.INFO[1:5], inputs.budget) if inputs else ())
        formulas = {"资金到位率": "=IF(B5=0,0,ROUND(B6/B5,4))", "预算执行率": "=IF(B6=0,0,ROUND(B7/B6,4))"}
        for i, label in enumerate(self.INFO, 3):
            book.put(s, f"A{i}", label, "head")
            if label in formulas:
                book.put(s, f"B{i}", formulas[label], "pct")
            else:
                book.put(s, f"B{i}", typed.get(label), "num" if 4 <= i <= 7 else "text")
        book.width(s, "A", 16)
        book.width(s, "B", 30)

    def build(self, book: Book, rows: list[Row], inputs: Inputs | None) -> Places:
        self._info(book, inputs)
        s, first = self.sheet, self.first
        book.sheet(s)
        book.merge(s, "A1:J1", "项目绩效评价指标体系及评分表", "title")
        book.put(s, "A2", "单位：分")
        for col, text in enumerate(self.HEAD, 1):
            book.put(s, f"{column_letter(col)}3", text, "head")
        places = Places(table_sheet=s, named={"year": "基本信息!B10"})
        _levels(book, s, rows, first, ("A", "B"))
        links = {"资金到位率": "=基本信息!B8", "预算执行率": "=基本信息!B9"}
        for i, row in enumerate(rows):
            r = first + i
            book.put(s, f"C{r}", row.level3, "wrap")
            book.put(s, f"D{r}", row.weight)
            book.put(s, f"E{r}", row.target, "pct" if row.percent else "text")
            actual = links.get(row.level3) or (inputs.actual.get(row.level3) if inputs else None)
            book.put(s, f"F{r}", actual, "pct" if row.percent else "text")
            judged = row.kind == "judged"
            score = (inputs.score.get(row.level3) if inputs else None) if judged else f"=ROUND(MIN(1,F{r}/E{r})*D{r},2)"
            book.put(s, f"G{r}", score, "score")
            book.put(s, f"H{r}", inputs.note.get(row.level3) if inputs else None, "wrap")
            _helpers(book, s, r, ("D", "G", "H"), ("I", "J"))
            places.rows[row.level3] = {role: f"{s}!{col}{r}" for role, col in (
                ("level3", "C"), ("weight", "D"), ("target", "E"), ("actual", "F"), ("score", "G"), ("note", "H"))}
        total, _ = _totals(book, s, first, first + len(rows) - 1, "CDFG")
        top = total + 3
        for col, text in zip("ABC", ("一级指标", "分值", "得分")):
            book.put(s, f"{col}{top}", text, "head")
        levels = list(dict.fromkeys(r.level1 for r in rows))
        for i, level in enumerate(levels, 1):
            span = [first + k for k, r in enumerate(rows) if r.level1 == level]
            book.put(s, f"A{top + i}", level)
            book.put(s, f"B{top + i}", f"=SUM(D{span[0]}:D{span[-1]})", "num")
            book.put(s, f"C{top + i}", f"=SUM(G{span[0]}:G{span[-1]})", "score")
        places.named.update(total=f"{s}!G{total}", grade=f"{s}!G{total + 1}", subtotal1=f"{s}!C{top + 1}")
        for col, width in zip("ABCDEFGHIJ", (10, 12, 24, 8, 12, 12, 8, 28, 8, 16)):
            book.width(s, col, width)
        return places


class Mof:
    """The MoF 项目支出绩效自评表 in one sheet (xlsxwriter); the unit types every indicator's score."""

    name, library, sheet, first = "mof", "xlsxwriter", "项目支出绩效自评表", 13
    HEAD = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    FUNDS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")

    def _top(self, book: Book, inputs: Inputs | None) -> None:
        s = self.sheet
        book.sheet(s)
        book.merge(s, "A1:I1", "项目支出绩效自评表", "title")
        book.merge(s, "A2:I2", "（2024年度）")
        book.put(s, "A3", "项目名称", "head")
        book.merge(s, "B3:I3", inputs.project if inputs else None)
        book.put(s, "A4", "主管部门", "head")
        book.merge(s, "B4:D4", "某区财政局" if inputs else None)
        book.put(s, "E4", "实施单位", "head")
        book.merge(s, "F4:I4", inputs.unit_name if inputs else None)
        book.merge(s, "A5:A9", "项目资金（万元）", "head")
        for col, text in zip("BCDEFGH", ("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
            book.put(s, f"{col}5", text, "head")
        split = (0.7, 0.2, 0.1)
        for i, label in enumerate(self.FUNDS):
            r = 6 + i
            book.put(s, f"B{r}", label, "head")
            for col, figure in zip("CDE", (0, 1, 3)):
                if i == 0:
                    book.put(s, f"{col}{r}", f"=SUM({col}7:{col}9)", "num")
                else:
                    book.put(s, f"{col}{r}", round(inputs.budget[figure] * split[i - 1], 2) if inputs else None, "num")
            if i:
                for col in "FGH":
                    book.put(s, f"{col}{r}", "—")
        book.put(s, "F6", 10)
        book.put(s, "G6", "=IF(D6=0,0,ROUND(E6/D6,4))", "pct")
        book.put(s, "H6", "=ROUND(MIN(1,G6)*F6,2)", "score")
        book.merge(s, "A10:A11", "年度总体目标", "head")
        book.merge(s, "B10:E10", "预期目标", "head")
        book.merge(s, "F10:I10", "实际完成情况", "head")
        book.merge(s, "B11:E11", "完成年度人才培训与引进任务，提升人才服务水平。", "wrap")
        book.merge(s, "F11:I11", "已完成年度目标。" if inputs else None, "wrap")

    def build(self, book: Book, rows: list[Row], inputs: Inputs | None) -> Places:
        self._top(book, inputs)
        s, first = self.sheet, self.first
        last, total = first + len(rows) - 1, first + len(rows)
        book.merge(s, f"A12:A{last}", "绩效指标", "head")
        for col, text in zip("BCDEFGHI", self.HEAD):
            book.put(s, f"{col}12", text, "head")
        places = Places(table_sheet=s, named={"exec_score": f"{s}!H6", "exec_rate": f"{s}!G6"})
        _levels(book, s, rows, first, ("B", "C"))
        for i, row in enumerate(rows):
            r = first + i
            book.put(s, f"D{r}", row.level3, "wrap")
            book.put(s, f"E{r}", row.target)
            book.put(s, f"F{r}", inputs.actual.get(row.level3) if inputs else None)
            book.put(s, f"G{r}", row.weight)
            book.put(s, f"H{r}", inputs.score.get(row.level3) if inputs else None, "score")
            book.put(s, f"I{r}", inputs.note.get(row.level3) if inputs else None, "wrap")
            places.rows[row.level3] = {role: f"{s}!{col}{r}" for role, col in (
                ("level3", "D"), ("target", "E"), ("actual", "F"), ("weight", "G"), ("score", "H"), ("note", "I"))}
        book.merge(s, f"A{total}:F{total}", "总分", "head")
        book.put(s, f"G{total}", f"=F6+SUM(G{first}:G{last})", "num")
        book.put(s, f"H{total}", f"=ROUND(H6+SUM(H{first}:H{last}),2)", "score")
        book.put(s, f"G{total + 1}", "自评等级", "head")
        book.put(s, f"H{total + 1}", _grade(f"H{total}"))
        places.named.update(total=f"{s}!H{total}", grade=f"{s}!H{total + 1}")
        for col, width in zip("ABCDEFGHI", (10, 12, 14, 22, 12, 12, 8, 8, 28)):
            book.width(s, col, width)
        return places


LAYOUTS = {layout.name: layout for layout in (County(), Info(), Mof())}
