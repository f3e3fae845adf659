"""The forms offices use, as data, with hand-checked results (figures worked out in the comments).

Each form's ``Line``s are what a correct reader must read back (``ignored`` ones — 指标1：, ……,
empty 生态效益 rows, 其中 sub-items — must not be read at all); a Line's ``score`` is the score the
form states (typed, or what its ``formula`` gives). ``FORMS`` are correct returns: no error, no
warning. ``DEFECTS`` are the same forms with one thing a reviewer would catch, and where.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Callable

from tests.forms.model import Budget, Form, Line

COST = "=ROUND(IF({actual}<={target},1,{target}/{actual})*{weight},2)"  # the MoF form's 成本指标 formula
CAPPED = "=ROUND(MIN(1,{actual}/{target})*{weight},2)"
TIERS = "=IF({actual}/{target}>=1,{weight},IF({actual}/{target}>=0.95,{weight}*0.9,IF({actual}/{target}>=0.9,{weight}*0.8,0)))"
RATE = "=ROUND(MIN(1,{actual})*{weight},2)"


@dataclass
class Expected:
    """What reading and scoring a form must give."""

    stated_total: float
    total: float
    grade: str
    stated_grade: str | None = None
    budget: dict[str, float] = field(default_factory=dict)  # initial, annual, spent
    budget_lines: int = 0
    exec_score: float | None = None  # the budget block's 预算执行率 row, stated
    framework: str = "generic"
    methods: dict[str, str] = field(default_factory=dict)  # level3 → method (formula rows, defaults)
    label_weights: int = 0  # weights read from labels (产出指标（50分）, 绩效指标（90分）)


def ignored(level1: str, level2: str, level3: str | None = None, **kw: Any) -> Line:
    return Line(level1, level2, level3, ignored=True, **kw)


def _mof_lines() -> list[Line]:
    """产出 10 + 9.58 + 9.84 + 10 + 10 = 49.42; 效益 13.94 + 15 = 28.94; 满意度 10."""
    return [
        Line("产出指标", "数量指标", "培训人次", 10, "≥3000人次", "3120人次", 10),
        Line("产出指标", "数量指标", "补贴发放人数", 10, "≥1200人", "1150人", 9.58,  # 10 × 1150/1200 = 9.583
             "部分学员未取得证书，未发放补贴。"),
        Line("产出指标", "质量指标", "培训合格率", 10, "≥95%", "93.5%", 9.84, "个别批次考核未通过。"),  # 10 × .935/.95
        Line("产出指标", "时效指标", "补贴发放及时率", 10, "100%", "100%", 10),
        Line("产出指标", "成本指标", "人均培训成本（元）", 10, 1500, 1350, 10.0, formula=COST),  # 1350 ≤ 1500: full
        ignored("效益指标", "经济效益指标", "指标1："),
        Line("效益指标", "社会效益指标", "持证就业率", 15, "≥85%", "79%", 13.94, "部分学员继续深造。"),  # 15 × .79/.85
        ignored("效益指标", "生态效益指标", None),
        Line("效益指标", "可持续影响指标", "培训长效机制", 15, "健全", "健全", 15),
        Line("满意度指标", "服务对象满意度指标", "学员满意度", 10, "≥90%", "95%", 10),
    ]


def mof_budget(score: Any = "=ROUND(MIN({rate},1)*{weight},2)") -> Budget:
    """年度资金总额 520 / 500 / 490.5 (480+40 / 460+40 / 450.5+40); 490.5 / 500 = 98.10 % → 9.81."""
    return Budget([("年度资金总额", (520, 500, 490.5)), ("其中：当年财政拨款", (480, 460, 450.5)),
                   ("上年结转资金", (40, 40, 40)), ("其他资金", ("/", "/", "/"))],
                  rate="=IF({annual}=0,0,{spent}/{annual})", score=score)


def mof(**changes: Any) -> Form:
    """财预〔2020〕10号 附件1: 9.81 + 49.42 + 28.94 + 10 = 98.17 (proportional on 成本 would give 97.17)."""
    form = Form(_mof_lines(), block="绩效指标", budget=mof_budget(), goals=True,
                info=(("项目名称", "职业技能培训补贴项目"), ("主管部门", "某市人力资源和社会保障局"),
                      ("实施单位", "某市职业技能鉴定中心"), ("", "")))
    return replace(form, **changes)


MOF = Expected(98.17, 98.17, "优", budget={"initial": 520, "annual": 500, "spent": 490.5}, budget_lines=3,
               exec_score=9.81, methods={"人均培训成本（元）": "reverse", "预算执行率": "rate"})


def sichuan() -> Form:
    """四川-style: two-row header over 指标性质 / 指标值 / 度量单位, points in the labels, 调整后预算数,
    the budget split by 财政资金 …, grade in a 评价等级 row. 9.5 + 49.68 + 30 + 10 = 99.18, 优."""
    lines = [
        Line("产出指标", "数量指标", "新建农村公路里程", 15, 12, 12.5, 15, nature="≥", unit="公里"),
        ignored("产出指标", "数量指标", "其中：硬化路面", actual=8, unit="公里"),
        Line("产出指标", "质量指标", "工程验收合格率", 15, 100, 100, 15, nature="=", unit="%"),
        ignored("产出指标", "质量指标", "……"),
        Line("产出指标", "时效指标", "按期完工率", 10, 95, 92, 9.68, "两个标段因汛期顺延。", nature="≥", unit="%"),
        Line("产出指标", "成本指标", "每公里建设成本", 10, 25, 24.3, 10, nature="≤", unit="万元"),
        ignored("效益指标", "经济效益指标", "指标1："),
        Line("效益指标", "社会效益指标", "受益群众人数", 10, 8000, 8600, 10, nature="≥", unit="人"),
        ignored("效益指标", "生态效益指标", None),
        Line("效益指标", "可持续影响指标", "道路养护机制", 10, "健全", "健全", 10, nature="定性"),
        Line("效益指标", "可持续影响指标", "设计使用年限", 10, 10, 10, 10, nature="≥", unit="年"),
        Line("满意度指标", "服务对象满意度指标", "沿线群众满意度", 10, 90, 93, 10, nature="≥", unit="%"),
    ]
    budget = Budget([("年度资金总额", (300, 320, 304)), ("其中：财政资金", (250, 270, 256)),
                     ("财政专户管理资金", ("/", "/", "/")), ("单位资金", (50, 50, 48)), ("其他", ("/", "/", "/"))],
                    labels=("年初预算数", "调整后预算数", "全年执行数"), rate=0.95, score=9.5)  # 304 / 320
    return Form(lines, roles=("level1", "level2", "level3", "target", "actual", "weight", "score", "note"),
                headers={"actual": "全年实际完成值", "note": "偏差原因分析"}, block="绩效指标（90分）", two_row=True,
                level_points={"产出指标": 50, "效益指标": 30, "满意度指标": 10}, budget=budget, total=99.18,
                grade=("row", "优"), title=("项目支出绩效自评表",), sheet="Sheet1")


SICHUAN = Expected(99.18, 99.18, "优", "优", {"initial": 300, "annual": 320, "spent": 304}, 4, 9.5,
                   methods={"工程验收合格率": "equal", "每公里建设成本": "reverse", "道路养护机制": "qualitative"},
                   label_weights=4)


def yunnan() -> Form:
    """云南-style single header with split columns, every comparator glyph and full-width digits.
    9.8 + 50 + 30 + 10 = 99.8, grade inside the 总分 row."""
    lines = [
        Line("产出指标", "数量指标", "举办培训班期数", 10, "１２", 12, 10, nature="≧", unit="期"),
        Line("产出指标", "数量指标", "培训人数", 10, 600, "６５０", 10, nature=">=", unit="人次"),
        Line("产出指标", "质量指标", "培训考核通过率", 10, 90, "９２％", 10, nature="=>", unit="%"),
        Line("产出指标", "时效指标", "证书发放时长", 5, "30", 28, 5, nature="≦", unit="天"),
        Line("产出指标", "时效指标", "材料审核时长", 5, 10, 9, 5, nature="<=", unit="天"),
        Line("产出指标", "成本指标", "人均培训费用", 10, 2000, 1850, 10, nature="＜", unit="元"),
        Line("效益指标", "经济效益指标", "带动就业人数", 10, 300, 320, 10, nature="＞", unit="人"),
        Line("效益指标", "社会效益指标", "政策知晓率", 10, 100, "１００％", 10, nature="＝", unit="％"),
        Line("效益指标", "社会效益指标", "投诉办结率", 5, 100, 100, 5, nature="═", unit="%"),
        Line("效益指标", "可持续影响指标", "培训体系运行", 5, "长期", "长期", 5, nature="定性"),
        Line("满意度指标", "服务对象满意度指标", "学员满意度", 10, "≥ ９０％", "96%", 10),
    ]
    budget = Budget([("年度资金总额", (200, 200, 196)), ("其中：当年财政拨款", (200, 200, 196))], rate=0.98, score=9.8)
    return Form(lines, roles=("level1", "level2", "level3", "nature", "target", "unit", "actual", "weight", "score",
                              "note"),
                headers={"target": "指标值", "note": "未完成原因分析"}, budget=budget, total=99.8,
                grade=("total", "自评等级：优"), title=("2024年度项目支出绩效自评表",), sheet="绩效自评")


YUNNAN = Expected(99.8, 99.8, "优", "优", {"initial": 200, "annual": 200, "spent": 196}, 1, 9.8,
                  methods={"证书发放时长": "reverse", "人均培训费用": "reverse", "政策知晓率": "equal",
                           "投诉办结率": "equal", "培训体系运行": "qualitative"})


def dept() -> Form:
    """部门整体支出绩效自评表: 年度主要任务, a 评分标准 column of long text, the budget split by 基本支出 /
    项目支出, grade in the 总分 row, 评价结论 under it. 9.5 + 50 + (14.17 + 12) + 10 = 95.67."""
    rule = "完成率=实际完成数/计划数×100%，完成率≥100%得满分，每降低1个百分点扣0.1分，扣完为止。"
    lines = [
        Line("产出指标", "数量指标", "完成年度重点工作任务数", 10, "≥12项", "12项", 10, criteria=rule),
        Line("产出指标", "数量指标", "组织专项检查次数", 10, "≥4次", "5次", 10, criteria=rule),
        Line("产出指标", "质量指标", "重点工作完成合格率", 10, "100%", "100%", 10, criteria="达到目标值得满分，否则按比例得分。"),
        Line("产出指标", "时效指标", "工作任务按时完成率", 10, "≥95%", "96%", 10, criteria="达到目标值得满分，否则按比例得分。"),
        Line("产出指标", "成本指标", "部门运行成本控制率", 10, "≤100%", "98.5%", 10, criteria="不超过预算得满分，超出按比例扣分。"),
        Line("效益指标", "社会效益指标", "服务对象覆盖率", 15, "≥90%", "85%", 14.17, "偏远乡镇尚未覆盖。",  # 15 × .85/.9
             criteria="达到目标值得满分，否则按比例得分。"),
        Line("效益指标", "可持续影响指标", "长效管理机制", 15, "健全", "较健全", 12, "考核办法尚在修订。",
             criteria="根据机制建设情况酌情评分：健全得满分，较健全得60%-80%，不健全不得分。"),
        Line("满意度指标", "服务对象满意度指标", "群众满意度", 10, "≥85%", "92%", 10, criteria="满意度≥85%得满分。"),
    ]
    budget = Budget([("年度资金总额", (1200, 1250, 1187.5)), ("其中：基本支出", (800, 820, 815)),
                     ("项目支出", (400, 430, 372.5))], title="部门预算执行情况（万元）", rate=0.95, score=9.5)
    return Form(lines, roles=("level1", "level2", "level3", "target", "actual", "weight", "score", "criteria", "note"),
                block="绩效指标", budget=budget, tasks=True, goals=True, total=95.67, grade=("total", "等级：优"),
                title=("部门整体支出绩效自评表", "（2024年度）"), info=(("部门（单位）名称", "某区教育局"), ("", "")),
                conclusion="部门整体支出绩效良好，重点工作按期完成，偏远乡镇服务覆盖仍需加强，评价等级为优。",
                sheet="部门整体自评")


DEPT = Expected(95.67, 95.67, "优", "优", {"initial": 1200, "annual": 1250, "spent": 1187.5}, 2, 9.5,
                framework="dept_self_eval", methods={"部门运行成本控制率": "reverse", "长效管理机制": "qualitative"})


def evaluation() -> Form:
    """共性指标 evaluation (决策/过程/产出/效益 20/20/40/20) with 指标解释 and 得分计算方法 columns;
    预算执行率 rate × weight and 满意度 by formulas, 实际完成率 by IF tiers; budget on its own sheet.
    决策 19.4 + 过程 (3 + 4.83 + 4 + 4 + 4) + 产出 (9 + 10 + 10 + 10) + 效益 (10 + 9.78) = 98.01."""
    j = "评价人根据佐证材料判断"
    lines = [
        Line("决策", "项目立项", "立项依据充分性", 4, "充分", "充分", 4, criteria=j),
        Line("决策", "项目立项", "立项程序规范性", 3, "规范", "规范", 3, criteria=j),
        Line("决策", "绩效目标", "绩效目标合理性", 3, "合理", "合理", 3, criteria=j),
        Line("决策", "绩效目标", "绩效指标明确性", 3, "明确", "较明确", 2.4, "部分指标未细化量化。", criteria=j),
        Line("决策", "资金投入", "预算编制科学性", 4, "科学", "科学", 4, criteria=j),
        Line("决策", "资金投入", "资金分配合理性", 3, "合理", "合理", 3, criteria=j),
        Line("过程", "资金管理", "资金到位率", 3, "100%", "100%", 3, criteria="实际到位资金/预算资金×分值"),
        Line("过程", "资金管理", "预算执行率", 5, 1, 0.965, 4.83, "年底有 35 万元结转。", formula=RATE,  # 5 × .965
             percent=("target", "actual"), criteria="实际支出/实际到位资金×分值"),
        Line("过程", "资金管理", "资金使用合规性", 4, "合规", "合规", 4, criteria=j),
        Line("过程", "组织实施", "管理制度健全性", 4, "健全", "健全", 4, criteria=j),
        Line("过程", "组织实施", "制度执行有效性", 4, "有效", "有效", 4, criteria=j),
        Line("产出", "产出数量", "实际完成率", 10, 1, 0.98, 9, "一项子任务延至次年。", formula=TIERS,  # 98 % ≥ 95 %: 0.9
             percent=("target", "actual"), criteria="完成率≥100%得满分，95%-100%得90%，90%-95%得80%，以下不得分"),
        Line("产出", "产出质量", "质量达标率", 10, "≥95%", "97%", 10, criteria="达标率/目标值×分值，最高满分"),
        Line("产出", "产出时效", "完成及时性", 10, "及时", "及时", 10, criteria=j),
        Line("产出", "产出成本", "成本节约率", 10, "≥5%", "6.2%", 10, criteria="达到目标值得满分"),
        Line("效益", "项目效益", "社会效益", 10, "有效提升", "显著提升", 10, criteria=j),
        Line("效益", "项目效益", "服务对象满意度", 10, 0.9, 0.88, 9.78, "部分企业反映申报流程较繁。", formula=CAPPED,
             percent=("target", "actual"), criteria="满意度/目标值×分值"),  # 10 × .88/.9 = 9.778
    ]
    budget = Budget([("项目资金", (1000, 1000, 1000, 965))], labels=("年初预算数", "全年预算数", "实际到位资金", "实际支出"),
                    title="项目资金（万元）", vertical=True)
    return Form(lines, roles=("level1", "level2", "level3", "criteria", "weight", "target", "actual", "score", "note"),
                headers={"criteria": "得分计算方法", "target": "指标值", "actual": "实际完成值", "note": "扣分原因"},
                budget=budget, total="SUM", total_label="合计", grade=("label", "优"),
                title=("某区企业服务专项资金绩效评价指标体系评分表",), sheet="评分表")


EVALUATION = Expected(98.01, 98.01, "优", "优", {"initial": 1000, "annual": 1000, "spent": 965}, 0, None,
                      framework="common", methods={"预算执行率": "rate", "实际完成率": "interval",
                                                   "服务对象满意度": "proportional", "立项依据充分性": "judgement"})

FORMS: dict[str, tuple[Callable[[], Form], Expected]] = {
    "mof": (mof, MOF), "sichuan": (sichuan, SICHUAN), "yunnan": (yunnan, YUNNAN), "dept": (dept, DEPT),
    "evaluation": (evaluation, EVALUATION),
}


def scored_lines(form: Form) -> list[Line]:
    return [line for line in form.lines if not line.ignored]


def decimal(value: Any) -> Decimal:
    return Decimal(str(value))
