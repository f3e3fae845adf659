"""Templates a bureau made itself (``--template FILE``): loaded once, matched to each return by structure.

What the blank template fills in is structure (labels, weights, targets, formulas); what it leaves
empty is input. A return is matched to the template with its structure key (the indicator table's
column roles) whose indicator rows it shares most (at least half), and compared with it by
``compare``. A return without an xlperf marker that matches no template is left to the batch:
its structure facts go to the parent, which infers the template from the copies that share it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Iterable

from xlperf.batch.compare import compare, macro_findings
from xlperf.batch.structure import Structure, template_structure, view_structure
from xlperf.findings import Finding

MATCH = 0.5


class TemplateError(ValueError):
    """A --template file that cannot serve as a template (message for the user, in Chinese and English)."""


def _as_xlsx(path: Path, fmt: str | None, work: Path) -> Path:
    """A legacy template converted by LibreOffice with the import filter its format needs, as the batch
    converts legacy returns (``batch.legacy``)."""
    from xlperf.batch.legacy import DEFAULT_INFILTER, INFILTER
    from xlperf.libreoffice import convert

    try:
        done = convert([path], work, "xlsx", timeout=300, infilter=INFILTER.get(fmt or "", DEFAULT_INFILTER))
    except RuntimeError as exc:
        raise TemplateError(f"模板 {path.name} 是 {fmt or path.suffix} 文件，需要 LibreOffice 转换：{exc}") from exc
    made = done.output(path)
    if made is None:
        raise TemplateError(f"LibreOffice 未能转换模板 {path.name} / could not convert the template")
    return made


def _levels(table: Any) -> int:
    """Rows matched by name, or by level 1/2 when the blank template leaves most names to the unit."""
    named = sum(1 for ind in table.rows if ind.level3)
    return 3 if named * 2 >= len(table.rows) else 2


def load_template(path: str | Path) -> Structure:
    """One blank template as a reference Structure; TemplateError when it is not usable."""
    from xlperf.workbook.reader import read_tables
    from xlperf.workbook.sniff import sniff
    from xlperf.workbook.view import open_view

    path = Path(path)
    if not path.is_file():
        raise TemplateError(f"模板文件不存在 / template not found: {path}")
    with tempfile.TemporaryDirectory(prefix="xlperf-template-") as work:
        kind = sniff(path)
        if kind.kind == "xls":  # .xls or WPS .et, known by content
            kind = sniff(source := _as_xlsx(path, kind.legacy, Path(work)))
        else:
            source = path
        if kind.finding is not None:
            raise TemplateError(f"模板 {path.name}：{kind.finding.message('zh')}")
        view = open_view(source)
    tables = read_tables(view.path, view.data_grids())
    if not tables:
        raise TemplateError(f"模板 {path.name} 中未找到指标表 / no indicator table in the template")
    structure = template_structure(view, tables[0], _levels(tables[0]), name=path.name)
    structure.vba_sha256 = view.vba_sha256
    return structure


def load_templates(paths: Iterable[str | Path]) -> tuple[Structure, ...]:
    return tuple(load_template(p) for p in paths)


def _overlap(a: Structure, b: Structure) -> float:
    mine, theirs = set(a.table.keys) if a.table else set(), set(b.table.keys) if b.table else set()
    if not mine and not theirs:
        return 1.0
    return len(mine & theirs) / max(1, len(mine | theirs))


def match(templates: Iterable[Structure], view, table: Any) -> tuple[Structure, Structure] | None:
    """The template a return is a copy of, and the return as a Structure keyed like it (or None)."""
    best = None
    for ref in templates:
        file = view_structure(view, table, ref.levels)
        if file.key != ref.key:
            continue
        score = _overlap(ref, file)
        if score >= MATCH and (best is None or score > best[0]):
            best = (score, ref, file)
    return None if best is None else (best[1], best[2])


def structure_findings(view, table: Any, opts: Any, result: Any) -> list[Finding]:
    """A return that is not an xlperf template: compared with its --template, else (in a batch) left to the
    batch, facts for the parent, with Excel's neighbour checks, which the parent keeps if it stands alone
    (not run when this worker already met a copy of the same template: such a file is never alone)."""
    from xlperf.batch.facts import compact, file_facts
    from xlperf.checks.formula_shape import check_formula_shapes_view

    templates = getattr(opts, "templates", ())
    findings: list[Finding] = []
    if templates:
        matched = match(templates, view, table)
        if matched is not None:
            ref, file = matched
            result.template = ref.name
            return macro_findings(ref.vba_sha256, view.vba_sha256) + compare(ref, file)
        findings.append(Finding("template-unmatched"))
    if getattr(opts, "in_batch", False):
        result.structure = compact(file_facts(view, table))
        if result.structure.get("alone") is False:  # a copy of a template this worker met: never alone
            return findings
    return findings + check_formula_shapes_view(view)
