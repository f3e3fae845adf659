"""Property: a random table written in a random office layout reads back equal (hypothesis).

Layouts vary column order, header synonyms, split 指标性质 / 指标值 / 度量单位 columns (on one header
row or under a merged 年度指标值), title rows, a left 绩效指标 block column, points in the level
labels, the budget block with 0–4 其中 lines (or on a sheet of its own), and where the total and
the grade sit. Forms are written in memory with xlsxwriter and read by xlperf's one reader.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.forms.model import Budget, Form, Line
from tests.forms.render import render
from xlperf.workbook.reader import read_tables
from xlperf.workbook.view import open_view

SYNONYMS = {
    "level1": ("一级指标",), "level2": ("二级指标",), "level3": ("三级指标", "指标名称", "具体指标"),
    "weight": ("分值", "权重", "指标分值", "标准分值", "分值（分）"),
    "target": ("年度指标值", "指标值", "目标值", "年度目标值", "预期指标值"),
    "actual": ("实际完成值", "完成值", "全年实际值", "实际完成情况", "全年实际完成值"),
    "score": ("得分", "自评得分", "评价得分", "实际得分", "得分（分）"),
    "note": ("偏差原因分析及改进措施", "扣分原因", "扣分说明", "未完成原因分析"),
    "criteria": ("评分标准", "得分计算方法", "指标解释"),
}
LEVEL1 = ("产出指标", "效益指标", "满意度指标")
LEVEL2 = ("数量指标", "质量指标", "时效指标", "社会效益指标", "服务对象满意度指标")
NAME_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
SUB_LINES = ("其中：当年财政拨款", "上年结转资金", "其他资金", "财政专户管理资金")

names = st.text(NAME_CHARS, min_size=2, max_size=8)
amounts = st.integers(1, 5000).map(lambda n: n / 10) | st.integers(0, 5000)
texts = st.builds(lambda op, n, unit: f"{op}{n}{unit}", st.sampled_from(("≥", "≤", "", "＞", "≧")),
                  st.integers(1, 999), st.sampled_from(("人", "场次", "%", "万元", "")))
cells = amounts | texts | st.none()


@st.composite
def lines(draw) -> list[Line]:
    count = draw(st.integers(1, 10))
    out = []
    for level3 in draw(st.lists(names, min_size=count, max_size=count, unique=True)):
        level1 = draw(st.sampled_from(LEVEL1))
        out.append(Line(level1, draw(st.sampled_from(LEVEL2)), level3, weight=draw(st.integers(1, 20)),
                        target=draw(cells), actual=draw(cells), score=draw(st.integers(0, 20) | st.none()),
                        note=draw(st.none() | st.just("说明原因。")), nature=draw(st.sampled_from(("≥", "≤", "=", "定性"))),
                        unit=draw(st.sampled_from(("人", "%", "万元", None))),
                        criteria=draw(st.none() | st.just("按完成比例计分，最高满分。"))))
    return sorted(out, key=lambda line: (LEVEL1.index(line.level1), line.level2))  # groups merge, as printed


@st.composite
def budgets(draw) -> Budget | None:
    kind = draw(st.sampled_from(("none", "block", "sheet")))
    if kind == "none":
        return None
    total = (draw(st.integers(1, 9999)), draw(st.integers(1, 9999)), draw(st.integers(0, 9999)))
    subs = [(label, tuple(draw(st.integers(0, 9999) | st.just("/")) for _ in range(3)))
            for label in draw(st.lists(st.sampled_from(SUB_LINES), max_size=4, unique=True))]
    if kind == "sheet":
        return Budget([("项目资金", total)], vertical=True)
    return Budget([("年度资金总额", total), *subs], labels=draw(st.sampled_from(
        (("年初预算数", "全年预算数", "全年执行数"), ("年初预算数", "调整后预算数", "全年执行数")))),
        rate=0.95, score=draw(st.integers(0, 10)))


@st.composite
def forms(draw) -> Form:
    roles = ["level1", "level2", "level3", "target", "actual", "weight", "score"]
    roles += draw(st.lists(st.sampled_from(("note", "criteria")), unique=True))
    roles = draw(st.permutations(roles))
    split = draw(st.sampled_from(("one", "split", "two_row")))
    if split == "split":
        at = roles.index("target")
        roles = [*roles[:at], "nature", "target", "unit", *roles[at + 1:]]
    headers = {role: draw(st.sampled_from(words)) for role, words in SYNONYMS.items() if role in roles or
               (role == "target" and split == "two_row")}
    if split != "one":
        headers["target"] = "指标值" if split == "split" else headers["target"]
    level_points = {name: draw(st.integers(1, 60)) for name in LEVEL1} if draw(st.booleans()) else {}
    title = tuple(draw(st.lists(st.sampled_from(("项目支出绩效自评表", "（2024年度）", "单位：万元、分")), max_size=3)))
    return Form(draw(lines()), roles=tuple(roles), headers=headers, two_row=split == "two_row",
                block=draw(st.sampled_from((None, "绩效指标", "绩效指标（90分）"))), level_points=level_points,
                title=title, budget=draw(budgets()), total=draw(st.sampled_from(("SUM", None, 99.5))),
                grade=draw(st.sampled_from((None, ("row", "优"), ("total", "等级：良"), ("label", "中")))))


def _same(read, written) -> bool:
    if isinstance(written, (int, float)):
        return isinstance(read, (int, float)) and float(read) == float(written)
    return read == written


@given(forms())
def test_random_layouts_read_back_equal(form):
    placed, data = render(form)
    view = open_view("random.xlsx", data=data)
    (table,) = [t for t in read_tables(view.path, view.data_grids(), view.formulas) if t.sheet == form.sheet]
    assert [(r.level1, r.level2, r.level3) for r in table.rows] == [(l.level1, l.level2, l.level3) for l in form.lines]
    for ind, line in zip(table.rows, form.lines):
        note = line.note if "note" in form.roles else None
        for read, written in ((ind.weight, line.weight), (ind.target, line.target), (ind.actual, line.actual),
                              (ind.stated_score, line.score), (ind.note, note)):
            assert _same(read, written), (line.level3, read, written)
        if "nature" in placed.columns:
            assert (ind.nature, ind.unit) == (line.nature, line.unit)
    assert [r.row for r in table.rows] == placed.rows
    budget = form.budget
    if budget is not None:
        read = table.budget
        assert (read.initial, read.annual) == tuple(budget.lines[0][1][:2])
        assert len(read.lines) == len(budget.lines) - 1
    if form.total is not None:
        assert table.stated_total.cell == placed.total
    if placed.grade is not None:
        assert table.stated_grade.cell == placed.grade
