"""The template a batch's copies agree on (parent side), and the findings of the copies that differ.

Design: results still reach the outputs in input order, and memory stays flat. Workers send compact
structure facts with each result (``facts``); a file that carries none (an xlperf template, a file
matched to ``--template``, a failed file) goes straight to the outputs, as before. From the first
result with facts on, results are spooled to a file in the output folder instead, and on ``close``
the spool is read back: copies are grouped by structure key (the table's column roles) and, within
a key, by shared indicator rows (Jaccard ≥ 0.5), so two templates with one header stay apart; each
group votes cell by cell with Misra–Gries counters (``K`` contents per cell, so memory grows with the
template and the number of groups, not with the files); what most copies hold is the template
(a formula: more than half; a constant: two thirds and at least three copies), compared with each
copy by ``compare``. A copy alone in its structure keeps the neighbour checks its worker ran.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from xlperf.batch.compare import compare, macro_findings
from xlperf.batch.facts import expand
from xlperf.batch.structure import Structure, Table, similar_rows
from xlperf.findings import Finding
from xlperf.scoring.result import FileResult

PROVISIONAL = frozenset({"formula-pattern-break", "formula-inconsistent", "formula-error"})  # a lone file's
SPOOL_NAME = ".xlperf-infer.jsonl"
K = 4
NO_MAJORITY = "?"  # no majority for the macros: not compared


def _vote(counter: dict, value: Any, weight: int = 1) -> None:
    """Misra–Gries: a content holding more than 1/(K+1) of the votes is never lost."""
    if value in counter:
        counter[value] += weight
    elif len(counter) < K:
        counter[value] = weight
    else:
        for other in list(counter):
            counter[other] -= 1
            if counter[other] <= 0:
                del counter[other]


@dataclass
class _Group:
    """The copies of one template: how many, and what they hold cell by cell."""

    key: str
    first: Structure
    n: int = 0
    cells: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # key → {"n": count, "at": index sum}
    sheets: dict[str, dict[str, int]] = field(default_factory=dict)
    macros: dict[str, int] = field(default_factory=dict)
    _reference: Structure | None = None

    def similar(self, facts: Structure) -> bool:
        return similar_rows(self.first.table, facts.table)

    def add(self, facts: Structure) -> None:
        self.n += 1
        _vote(self.macros, facts.vba_sha256 or "")
        for cid, content in facts.cells.items():
            _vote(self.cells.setdefault(cid, {}), content)
        for ordered, counts in (((facts.table.keys if facts.table else ()), self.rows), (facts.sheets, self.sheets)):
            for index, name in enumerate(ordered):
                entry = counts.setdefault(name, {"n": 0, "at": 0})
                entry["n"] += 1
                entry["at"] += index

    def _most(self, counts: dict[str, dict[str, int]]) -> tuple[str, ...]:
        return tuple(name for name, entry in sorted(counts.items(), key=lambda kv: kv[1]["at"] / kv[1]["n"])
                     if entry["n"] * 2 > self.n)

    def reference(self) -> Structure:
        if self._reference is None:
            cells = {}
            for cid, counter in self.cells.items():
                if not counter:
                    continue  # every content outvoted: no template content here
                content, count = max(counter.items(), key=lambda kv: kv[1])
                held = count * 2 > self.n if content.startswith("=") else count * 3 >= self.n * 2 and count >= 3
                if held:
                    cells[cid] = content
            keys, first = self._most(self.rows), self.first.table
            table = Table(first.sheet, keys, tuple(range(1, len(keys) + 1)), first.roles, first.header_row) \
                if first is not None else None
            macro = max(self.macros.items(), key=lambda kv: kv[1], default=("", 0))
            self._reference = Structure(self.key, self._most(self.sheets), table, cells,
                                        vba_sha256=(macro[0] or None) if macro[1] * 2 > self.n else NO_MAJORITY)
        return self._reference


class _Spool:
    """Results on disk, one line each: ``header<TAB>structure facts<TAB>result`` (the header: structure key,
    base, whether the facts are a base), so each pass parses only the part it needs."""

    def __init__(self, path: Path):
        self.path = path
        self._handle = open(path, "w", encoding="utf-8")

    def write(self, result: FileResult) -> None:
        sent, result.structure = result.structure or {}, None
        header = {"k": sent.get("key"), "b": sent.get("base"), "f": int("full" in sent)}
        self._handle.write("\t".join(json.dumps(part, ensure_ascii=False)
                                      for part in (header, sent, result.to_dict())) + "\n")

    def lines(self) -> Iterator[tuple[dict, str, str]]:
        """(header, facts JSON, result JSON) per line, in input order."""
        self._handle.flush()
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                head, sent, body = line.split("\t", 2)
                yield json.loads(head), sent, body

    def remove(self) -> None:
        self._handle.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


def _assign(groups: dict[str, list[_Group]], facts: Structure) -> _Group:
    for group in groups.setdefault(facts.key, []):
        if group.similar(facts):
            return group
    group = _Group(facts.key, facts)
    groups[facts.key].append(group)
    return group


def _differences(ref: Structure, facts: Structure | None) -> list[Finding]:
    """What a copy changed against the batch's template: macros (when most copies agree on them), cells."""
    if facts is None:
        return []
    macros = macro_findings(ref.vba_sha256, facts.vba_sha256) if ref.vba_sha256 != NO_MAJORITY else []
    return macros + compare(ref, facts, "template-cell-changed")


def _drop_provisional(result: FileResult) -> None:
    kept = [f for f in result.findings if f["code"] not in PROVISIONAL]
    for f in result.findings:
        if f["code"] in PROVISIONAL:
            result.counts[f["severity"]] -= 1
    result.findings = kept


class InferredOutputs:
    """The batch outputs with the inferred-template findings added (same interface as ``Outputs``)."""

    def __init__(self, outputs: Any, batch: Any, lang: str = "zh"):
        self.outputs, self.batch, self.lang = outputs, batch, lang
        self._spool: _Spool | None = None

    def open(self) -> None:
        self.outputs.open()

    def add(self, result: FileResult) -> None:
        if self._spool is None and not result.structure:
            self.outputs.add(result)
            return
        if self._spool is None:
            self._spool = _Spool(Path(self.outputs.out_dir) / SPOOL_NAME)
        self._spool.write(result)

    def close(self) -> Path:
        if self._spool is not None:
            try:
                self._replay(self._spool)
            finally:
                self._spool.remove()
        return self.outputs.close()

    def abort(self) -> None:
        if self._spool is not None:
            self._spool.remove()
        self.outputs.abort()

    def _replay(self, spool: _Spool) -> None:
        """Pass 1 counts files per structure key, pass 2 reads the bases of keys with several files, pass 3
        groups and votes, pass 4 compares each copy with its group's template and writes the outputs."""
        sizes: dict[str, int] = {}
        for head, _, _ in spool.lines():
            if head["k"] is not None:
                sizes[head["k"]] = sizes.get(head["k"], 0) + 1
        bases = {head["b"]: json.loads(sent)["full"] for head, sent, _ in spool.lines()
                 if head["f"] and sizes.get(head["k"], 0) > 1}
        groups: dict[str, list[_Group]] = {}
        member: list[_Group | None] = []
        for head, sent, _ in spool.lines():
            facts = expand(json.loads(sent), bases) if sizes.get(head["k"], 0) > 1 else None
            group = _assign(groups, facts) if facts is not None else None
            if group is not None:
                group.add(facts)
            member.append(group)
        for group, (head, sent, body) in zip(member, spool.lines()):
            result = FileResult.from_dict(json.loads(body))
            if group is not None and group.n > 1:
                self._apply(result, group, expand(json.loads(sent), bases))
            self.outputs.add(result)

    def _apply(self, result: FileResult, group: _Group, facts: Structure | None) -> None:
        counts, status = dict(result.counts), result.status
        _drop_provisional(result)
        try:
            found = _differences(group.reference(), facts)
        except Exception as exc:  # noqa: BLE001 - this file's comparison failed; the batch goes on
            found = [Finding("file-failed", params={"detail": f"template inference: {type(exc).__name__}: {exc}"[:300]})]
        if found:
            found.insert(0, Finding("template-inferred", params={"count": group.n}))
            result.add([f.with_file(result.file) for f in found], self.lang)
        result.settle()
        for severity, count in result.counts.items():
            self.batch.counts[severity] = self.batch.counts.get(severity, 0) + count - counts.get(severity, 0)
        if result.status != status:
            self.batch.statuses[status] -= 1
            self.batch.statuses[result.status] = self.batch.statuses.get(result.status, 0) + 1


def deferred(outputs: Any, batch: Any, opts: Any) -> InferredOutputs:
    """Wrap a batch's outputs so that copies of one template are compared with what most of them hold."""
    return InferredOutputs(outputs, batch, getattr(opts, "lang", "zh"))
