"""The batch's vote on what copies of one template hold (parent side): groups of copies, Misra–Gries
counters per cell, and the ``Tally`` that groups and votes results as they arrive.

Copies are grouped by structure key (the table's column roles) and, within a key, by shared indicator
rows (Jaccard ≥ 0.5), so two templates with one header stay apart; each group votes cell by cell with
Misra–Gries counters (``K`` contents per cell, so memory grows with the template and the number of
groups, not with the files); what most copies hold is the template (a formula: more than half; a
constant: two thirds and at least three copies).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from xlperf.batch.facts import expand
from xlperf.batch.structure import Structure, Table, similar_rows

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
        cells = self.cells
        for cid, content in facts.cells.items():  # _vote, with its common cases inline (a tenth of the
            counter = cells.get(cid)                 # parent's work while the workers check files)
            if counter is None:
                cells[cid] = {content: 1}
            elif content in counter:
                counter[content] += 1
            else:
                _vote(counter, content)
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


def _assign(groups: dict[str, list[_Group]], facts: Structure) -> _Group:
    for group in groups.setdefault(facts.key, []):
        if group.similar(facts):
            return group
    group = _Group(facts.key, facts)
    groups[facts.key].append(group)
    return group


_FIRST = object()  # a key met once so far: that line's facts wait on disk (memory stays flat)


class Tally:
    """Groups and votes the spooled results in input order as they arrive, exactly as one pass over the
    whole spool would: a key's first line waits (``read`` fetches its facts back when a second line comes,
    so a key met once costs no memory); ``exact`` turns False where only a whole read settles the vote (a
    copy whose base comes later, or a base id sent twice with different facts)."""

    def __init__(self, read: Callable[[int], tuple[dict, str]]):
        self.read = read
        self.groups: dict[str, list[_Group]] = {}
        self.member: list[_Group | None] = []
        self.bases: dict[str, dict] = {}
        self.exact = True
        self._keys: dict[str, Any] = {}  # key → (index, offset) of its first line, or None once voted
        self._texts: dict[str, str] = {}  # base id → the line that sent it (to tell two bases of one id apart)

    def add(self, sent: dict, offset: int, text: str) -> None:
        """One spooled line: its facts as sent (``{}`` for none), where it starts in the spool, its facts' JSON."""
        index = len(self.member)
        self.member.append(None)
        key = sent.get("key") if sent else None
        if key is None or not self.exact:
            return
        first = self._keys.get(key, _FIRST)
        if first is _FIRST:
            self._keys[key] = (index, offset)
            return
        if first is not None:
            self._keys[key] = None
            self._join(first[0], *self.read(first[1]))
        self._join(index, sent, text)

    def _join(self, index: int, sent: dict, text: str) -> None:
        if "full" in sent:
            known = self._texts.setdefault(sent["base"], text)
            if known != text:
                self.exact = False
                return
            self.bases[sent["base"]] = sent["full"]
        facts = expand(sent, self.bases)
        if facts is None:  # its base comes later in the spool
            self.exact = False
            return
        group = _assign(self.groups, facts)
        group.add(facts)
        self.member[index] = group
