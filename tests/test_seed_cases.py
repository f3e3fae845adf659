"""Golden oracle: both published evaluations reproduced to the cent through ``xlperf score --json``."""

from __future__ import annotations

import json

import pytest

from xlperf.cli import main

YANTIAN_FINDINGS = {
    ("notes-column-missing", None),
    ("rate-budget-mismatch", "预算执行率"),
    ("target-met-deducted", "人才服务体系"),
    ("score-rule-mismatch", "各类奖励、资助对象满意度"),
    ("score-rule-mismatch", "补助对象满意度"),
    ("target-met-deducted", "新引进人才满意度"),
    ("score-rule-mismatch", "新引进人才满意度"),
}


def score_json(path, capsys, *extra) -> tuple[int, dict]:
    code = main(["score", str(path), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def findings_by_row(data: dict) -> set[tuple[str, str | None]]:
    by_cell = {}
    for ind in data["indicators"]:
        by_cell[ind["row"]] = ind["level3"]
    out = set()
    for f in data["findings"]:
        row = int("".join(ch for ch in f["cell"] if ch.isdigit())) if f["cell"] else None
        out.add((f["code"], by_cell.get(row)))
    return out


def test_stated_scores_totals_and_grade(case, tmp_path, capsys):
    from examples import casebook

    path = casebook.build(case, tmp_path / "case.xlsx")
    _, data = score_json(path, capsys)
    assert [i["stated_score"] for i in data["indicators"]] == [r["score"] for r in case["rows"]]
    assert [i["level3"] for i in data["indicators"]] == [r["level3"] for r in case["rows"]]
    assert [i["level1"] for i in data["indicators"]] == [r["level1"] for r in case["rows"]]
    assert data["stated_total"] == case["stated"]["total"]
    assert {k: v["stated_score"] for k, v in data["level_totals"].items()} == case["stated"]["level_totals"]
    assert data["stated_grade"] == case["stated"]["grade"] == data["grade"] == "优"
    assert data["budget"]["spent"] == case["budget"]["spent"]


def test_dapeng_recomputed_by_rule(case_book, capsys):
    code, data = score_json(case_book("dapeng_2024"), capsys)
    rows = {i["level3"]: i for i in data["indicators"]}
    assert rows["新引进优秀青年人才生活补贴发放人数"]["score"] == 3.89
    assert rows["新引进优秀青年人才生活补贴发放人数"]["method"] == "proportional"
    assert rows["预算执行率"]["score"] == 4.71 and rows["预算执行率"]["method"] == "rate"
    assert rows["成本控制率"]["score"] == 3.77
    assert data["total"] == 98.37 and data["grade"] == "优"
    assert {k: v["score"] for k, v in data["level_totals"].items()} == {"项目决策": 14, "项目管理": 24.71, "产出": 39.66, "效益": 20}
    assert data["findings"] == [] and code == 0


def test_yantian_observations_are_findings(case_book, capsys):
    code, data = score_json(case_book("yantian_2024"), capsys)
    assert findings_by_row(data) == YANTIAN_FINDINGS
    assert code == 1
    rows = {i["level3"]: i for i in data["indicators"]}
    assert rows["各类奖励、资助对象满意度"]["score"] == 1.66
    assert rows["补助对象满意度"]["score"] == 1.63
    assert rows["预算执行率"]["score"] == 5.0  # 5 × 99.90 % = 4.995 → 5.00 (half away from zero)
    assert data["total"] == 98.70 and data["stated_total"] == 98.47


def test_level_split_rule_is_opt_in(case_book, capsys):
    path = case_book("yantian_2024")
    _, plain = score_json(path, capsys)
    assert not any(f["code"] == "level-split" for f in plain["findings"])
    _, ruled = score_json(path, capsys, "--split", "决策+过程=40")
    split = [f for f in ruled["findings"] if f["code"] == "level-split"]
    assert len(split) == 1 and "38" in split[0]["message"]
    _, dapeng = score_json(case_book("dapeng_2024"), capsys, "--split", "决策+过程=40", "--split", "产出+效益=60")
    assert dapeng["findings"] == []


VARIANTS = [
    {"synonyms": True},
    {"order": ("score", "level3", "weight", "level1", "actual", "note", "level2", "target")},
    {"extra": ("seq", "criteria", "source")},
    {"title_rows": 5},
    {"title_rows": 0, "synonyms": True, "extra": ("criteria",), "sheet": "附件2 评分表",
     "order": ("level1", "level2", "level3", "target", "actual", "weight", "score", "note")},
]


@pytest.mark.parametrize("options", VARIANTS)
@pytest.mark.parametrize("name", ["yantian_2024", "dapeng_2024"])
def test_variants_read_identically(name, options, case_book, tmp_path, capsys):
    """Header synonyms, shuffled and extra columns, title rows: the same scores and findings."""
    _, base = score_json(case_book(name), capsys)
    _, variant = score_json(_variant(name, options, tmp_path), capsys)
    keys = ("level1", "level2", "level3", "weight", "target", "actual", "method", "stated_score", "score")
    assert [[i[k] for k in keys] for i in variant["indicators"]] == [[i[k] for k in keys] for i in base["indicators"]]
    for key in ("level_totals", "stated_total", "total", "stated_grade", "grade", "budget"):
        assert variant[key] == base[key]
    assert findings_by_row(variant) == findings_by_row(base)


def _variant(name, options, tmp_path):
    from examples import casebook

    return casebook.build(casebook.load_case(name), tmp_path / "variant.xlsx", **options)
