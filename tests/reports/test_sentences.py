"""The sentence forms of the published reports (and xlperf's own) parse into the figures they state."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xlperf.reports.match import norm
from xlperf.reports.sentences import deduction_claims, rate_statements, score_claims, total_claims

D = Decimal


@pytest.mark.parametrize("text, expected", [
    ("立项依据充分性（满分3分，得分3分）。深入贯彻落实……", [(D(3), D(3), None, "立项依据充分性", "bracket")]),
    ("资金分配合理性（满分 2 分，得分 2 分）。年初资金由各成员单位……", [(D(2), D(2), None, "资金分配合理性", "bracket")]),
    ("实施效益（持续吸引人才，满分 12 分，得分 11.75 分）。2024 年……",
     [(D(12), D("11.75"), None, "实施效益", "bracket")]),
    ("项目产出满分 45 分，得分 45 分，得分率 100%。项目产出主要从……",
     [(D(45), D(45), (D(1), 0), "项目产出", "direct")]),
    ("……无法全面衡量项目成效，此项扣 1 分。该指标满分 2分，得分 1 分。", [(D(2), D(1), None, "", "this")]),
    ("……根据评分标准，该指标满分 3 分，得3 分。", [(D(3), D(3), None, "", "this")]),
    ("项目决策主要从立项依据充分性、……等维度进行考察，指标权重为 15 分，得分为 14 分。",
     [(D(15), D(14), None, "", "context")]),
    ("……资金到位率为 100%，根据评分标准，该项得分为 2 分。", [(None, D(2), None, "", "this")]),
    ("满意度（满分５分，得分４.72 分）。", [(D(5), D("4.72"), None, "满意度", "bracket")]),
    ("全年举办各类人才活动 28 余场，实现人才活动应办尽办。", []),
])
def test_score_claims(text, expected):
    found = [(c.weight, c.score, c.rate, c.subject, c.mode) for c in score_claims(1, text)]
    assert found == expected


@pytest.mark.parametrize("text, expected", [
    ("预算执行率一项扣 0.29 分。", [(D("0.29"), "预算执行率", "direct")]),
    ("……无法全面衡量项目成效，此项扣 1 分。", [(D(1), "", "this")]),
    ("（一）绩效指标明确性一项扣 1 分。人才发展……", [(D(1), "（一）绩效指标明确性", "direct")]),
    ("该项扣 0.29 分，扣分原因：……", [(D("0.29"), "", "this")]),
])
def test_deduction_claims(text, expected):
    assert [(c.amount, c.subject, c.mode) for c in deduction_claims(1, text)] == expected


@pytest.mark.parametrize("text, total, grade", [
    ("……我部门评定盐田区人才发展专项工作经费项目的绩效自评价总得分为 98.47 分，评级为“优”，具体评分情况如下：",
     D("98.47"), "优"),
    ("……通过数据采集和分析，项目绩效自评结果为 98.37分，属于优，绩效评价指标体系得分情况详见下表：", D("98.37"), "优"),
    ("本项目绩效评价总得分为 87.5 分。", D("87.5"), None),
])
def test_total_claims(text, total, grade):
    (claim,) = total_claims(1, text)
    assert (claim.total, claim.grade) == (total, grade)


def test_rate_statement_with_the_amounts_before_it():
    text = "全年实际总预算金额为 9620 万元，实际支出 9610.81 万元，专项资金预算执行率 99.90%。根据评分标准，该项得分为 5 分。"
    (rate,) = rate_statements(3, text)
    assert (rate.name, rate.value, rate.digits) == ("专项资金预算执行率", D("0.999"), 2)
    assert [(f.kind, f.value) for f in rate.figures] == [("budget", D(9620)), ("spent", D("9610.81"))]
    assert rate.quote.sentence == "全年实际总预算金额为 9620 万元，实际支出 9610.81 万元，专项资金预算执行率 99.90%。"


def test_rates_not_stated_are_not_read():
    assert rate_statements(1, "预算执行率未达100%，主要原因是……；项目产出满分 45 分，得分 45 分，得分率 100%。") == []


def test_long_sentences_are_quoted_around_the_claim():
    text = "本项目全年预算数为 2,916.35 万元，实际支出数为 2,747.33 万元，" + "资金" * 40 + "，该指标满分 5 分，得分 4.71 分。"
    (claim,) = score_claims(7, text)
    excerpt = claim.quote.excerpt(60)
    assert excerpt.startswith("…") and excerpt.endswith("该指标满分 5 分，得分 4.71 分。") and len(excerpt) <= 61


@pytest.mark.parametrize("text, expected", [
    ("（一）项目决策情况分析", "项目决策"), ("项目决策（15分）", "项目决策"), ("1. 产出数量", "产出数量"),
    ("“鹏程计划”引才伯乐奖励补贴发放人数：≥1人", "鹏程计划引才伯乐奖励补贴发放人数"),
    ("开展各类人才活动（服务）人数", "开展各类人才活动人数"), ("人才工作宣传情况", "人才工作宣传"),
])
def test_names_compare_without_numbering_brackets_and_targets(text, expected):
    assert norm(text) == expected
