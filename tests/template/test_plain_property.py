"""LibreOffice computes every cell of a plain-formula template exactly as the core does, on random fills.

Hypothesis draws the cases (``strategies.CASES``: random indicator tables with every numeric method,
comparator and setting, the bundled frameworks, and the self-evaluation form with added rows; values
built to land on half cents and on halves of a rate's 4th decimal). It runs as a generator inside a
module fixture, one workbook per example, because LibreOffice cannot start once per example: all the
workbooks are then recalculated by one LibreOffice process, and each is read back by xlperf's reader
and scored by the core. A failure lists every differing cell with the workbook it is in (kept in the
test's temporary folder); there is no shrinking, which would restart LibreOffice per step. The number
of workbooks is the hypothesis profile's ``max_examples`` (``ci``: 60, drawn from a fixed seed so CI is
repeatable; ``dev``: 300, a new draw each run).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.template.strategies import KINDS, Case
from xlperf import libreoffice
from xlperf.core.evaluate import budget_rate
from xlperf.scoring.score import score_table
from xlperf.template.builder import make_workbook, save_atomic
from xlperf.template.plain import BUDGET_MISSING, MESSAGES
from xlperf.template.plan import RATE_LINKS, plan_rows
from xlperf.template.table import expand
from xlperf.workbook.reader import read_tables

pytestmark = pytest.mark.skipif(libreoffice.soffice() is None, reason=libreoffice.INSTALL_HINT)
TABLE = "评分表"
CHUNK = 100


def write(case: Case, path: Path) -> Path:
    wb = make_workbook(case.framework, "excel", case.counts)
    for sheet, cells in case.cells.items():
        for ref, value in cells.items():
            wb[sheet][ref] = value
    return save_atomic(wb, path)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> list[tuple[Case, Path, Path | None]]:
    folder = tmp_path_factory.mktemp("plain-property")
    made: list[tuple[Case, Path]] = []

    def generate(case: Case) -> None:
        made.append((case, write(case, folder / f"case{len(made):04d}.xlsx")))

    for kind in KINDS:
        settings(max_examples=max(1, settings().max_examples // len(KINDS)), database=None, phases=[Phase.generate],
                 deadline=None, suppress_health_check=list(HealthCheck),
                 derandomize=os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci")(given(kind)(generate))()
    outputs = _recalculate([path for _, path in made], folder / "recalculated")
    return [(case, path, outputs.get(str(path))) for case, path in made]


def _recalculate(paths: list[Path], out: Path) -> dict[str, Path | None]:
    """One LibreOffice process per CHUNK workbooks; files a process left undone (one has been seen to stop
    after a few hundred documents) are given to one more process."""
    outputs: dict[str, Path | None] = {}
    for start in range(0, len(paths), CHUNK):
        done = libreoffice.convert(paths[start:start + CHUNK], out, "xlsx", recalc=True, timeout=900)
        assert not done.timed_out, done.stderr
        outputs |= done.outputs
    missing = [Path(k) for k, v in outputs.items() if v is None]
    if missing:
        outputs |= libreoffice.convert(missing, out, "xlsx", recalc=True, timeout=900).outputs
    return outputs


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _messages(value: Any) -> list[str]:
    return sorted(part for part in str(value or "").split("；") if part)


def _rows(case: Case, out: Path, ws: Any, info: Any) -> list[str]:
    """Row by row: 得分 and 校验提示 against the core's score and findings."""
    table = read_tables(out)[0]
    result = score_table(table, case.framework.config)
    problems = []
    for res in result.evaluation.rows:
        r = res.indicator.row
        if res.indicator.sheet not in (None, TABLE):
            continue
        if _number(ws[f"K{r}"].value) != res.score:
            problems.append(f"K{r}: LibreOffice {ws[f'K{r}'].value!r}, core {res.score}")
        linked = any(name in res.indicator.level3 for name in RATE_LINKS)
        core = sorted(BUDGET_MISSING if linked and f.code == "actual-missing" else MESSAGES[f.code]
                      for f in result.findings if f.row == r and f.code in MESSAGES and f.code not in ("weights-sum",))
        if _messages(ws[f"M{r}"].value) != core:
            problems.append(f"M{r}: LibreOffice {_messages(ws[f'M{r}'].value)}, core {core}")
    return problems + _totals(case, result, ws, info)


def _totals(case: Case, result: Any, ws: Any, info: Any) -> list[str]:
    """合计, 等级, summary per level 1 and the weights checks against the core."""
    ev = result.evaluation
    t = 4 + len(expand(plan_rows(case.framework), case.counts))
    problems = []
    if _number(ws[f"K{t}"].value) != ev.total or ws[f"K{t + 1}"].value != ev.grade:
        problems.append(f"total/grade: LibreOffice {ws[f'K{t}'].value} {ws[f'K{t + 1}'].value}, core {ev.total} {ev.grade}")
    table_codes = {"weights-sum": "三级指标", "level-split": None}
    core = sorted(f"{table_codes[f.code] or f.params['roles']}分值合计应为 {f.expected.normalize():f}"
                  for f in result.findings if f.code in table_codes)
    if _messages(ws[f"M{t}"].value) != core:
        problems.append(f"M{t}: LibreOffice {_messages(ws[f'M{t}'].value)}, core {core}")
    for i, (name, level) in enumerate(ev.level1.items()):
        r = 18 + i  # the summary on 基本信息
        got = (info[f"A{r}"].value, _number(info[f"B{r}"].value), _number(info[f"C{r}"].value))
        if got != (name, level.weight, level.score):
            problems.append(f"summary row {r}: LibreOffice {got}, core {(name, level.weight, level.score)}")
        wanted = [f"分值合计应为 {f.expected.normalize():f}" for f in result.findings
                  if f.code == "level-weight" and f.params["level"] == name]
        if _messages(info[f"E{r}"].value) != wanted:
            problems.append(f"基本信息!E{r}: LibreOffice {info[f'E{r}'].value!r}, core {wanted}")
    return problems


def _rates(case: Case, out: Path, info: Any) -> list[str]:
    budget = read_tables(out)[0].budget
    problems = []
    for ref, name in (("B13", "资金到位率"), ("B14", "预算执行率")):
        found = budget_rate(name, budget, case.framework.config)
        if _number(info[ref].value) != (found[0] if found else None):
            problems.append(f"基本信息!{ref}: LibreOffice {info[ref].value!r}, core {found}")
    return problems


def test_libreoffice_computes_what_the_core_computes(recalculated, tmp_path_factory):
    problems = []
    for case, src, out in recalculated:
        assert out is not None, f"LibreOffice did not recalculate {src.name}"
        values = openpyxl.load_workbook(out, data_only=True)
        found = _rows(case, out, values[TABLE], values["基本信息"]) + _rates(case, out, values["基本信息"])
        problems += [f"{src.name} {problem}" for problem in found]
    if problems:
        keep = Path(shutil.copytree(recalculated[0][1].parent, tmp_path_factory.mktemp("kept"), dirs_exist_ok=True))
        pytest.fail(f"{len(problems)} cells differ (workbooks in {keep}):\n" + "\n".join(problems[:60]))


def test_engine_recomputes_what_libreoffice_saved(recalculated):
    """``xlperf check`` recomputes the formulas with ``formulas``: it must agree with LibreOffice's saved values."""
    from xlperf.batch.steps import cached_mismatches
    from xlperf.batch.template_check import recognise
    from xlperf.engine.compiled import recompute
    from xlperf.workbook.view import open_view

    problems = []
    for case, src, out in recalculated:
        view = open_view(out)
        template, _ = recognise(view)
        assert template is not None and template.formulas == "excel", src.name
        problems += [f"{src.name} {f.sheet}!{f.cell}: saved {f.found!r}, engine {f.expected!r}"
                     for f in cached_mismatches(view, recompute(view, template))]
    assert not problems, "\n".join(problems[:60])


def _half_cents(case: Case) -> int:
    """Rows whose exact weight × actual ÷ target ends in a half cent (x.xx5)."""
    count = 0
    for i, plan in enumerate(expand(plan_rows(case.framework), case.counts)):
        cells = case.cells["评分表"]
        weight = cells.get(f"F{4 + i}", plan.ind.weight)
        target, actual = cells.get(f"G{4 + i}", plan.target), cells.get(f"H{4 + i}")
        if all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in (weight, target, actual)) \
                and target:
            exact = _number(weight) * _number(actual) / _number(target) * 1000
            count += exact == exact.to_integral_value() and exact % 10 == 5
    return count


def test_cases_cover_halves_and_every_kind(recalculated):
    """The draw is not degenerate: half cents, rows added to the self-evaluation form, dates, every method."""
    kinds = {case.framework.id for case, _, _ in recalculated}
    grown = sum(1 for case, _, _ in recalculated if any(n > 1 for n in case.counts.values()))
    dates = sum(1 for case, _, _ in recalculated for v in case.cells["评分表"].values() if isinstance(v, dt.datetime))
    methods = {p.method for case, _, _ in recalculated for p in plan_rows(case.framework)}
    halves = sum(_half_cents(case) for case, _, _ in recalculated)
    print(f"{len(recalculated)} workbooks ({sorted(Counter(case.framework.id for case, _, _ in recalculated).items())}): "
          f"{halves} rows on a half cent, {grown} with rows added, {dates} dates, "
          f"methods {sorted(m or 'chosen by the unit' for m in methods)}")
    assert {"self_eval", "random"} <= kinds and grown and dates and halves >= len(recalculated) // 4
    assert {"proportional", "reverse", "equal", "interval", "rate", "judgement", "qualitative", "deadline", "na",
            None} <= methods
