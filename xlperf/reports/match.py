"""Which row or level of the score table a sentence or a sub-table row talks about.

Reports name an indicator loosely: "实施效益" for the table's 社会效益, "满意度" for 服务对象满意度,
"项目产出" for 产出, "（3）2024 发放出站博士后生活补贴 10 人" for the third row of 产出数量. Names are
tried in order of certainty — exact, a table name inside the text, the n-th row under the current
heading, a name that contains the words — and last the closest name, which is only a guess: a guessed
match never produces an error (``Hit.certain``). Matching stays within the level the headings have
reached; not-applicable rows never win a tie; what stays ambiguous is left unmatched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from xlperf.core.evaluate import Evaluation
from xlperf.reports.docx_document import strip_enumerator

_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_SUFFIXES = ("情况分析", "情况", "分析")
MIN_CONTAINED = 4  # a table name found inside a paragraph must be at least this long
MIN_SIMILARITY = 0.5
TOTAL_NAMES = ("本项目", "项目", "合计", "总分", "总得分", "综合得分", "项目总分", "评价总分")


@dataclass(frozen=True)
class Target:
    """A row, a level-2 group or a level 1 of the score table, with what the table states for it."""

    kind: str  # row | level2 | level1 | total
    name: str
    level1: str
    level2: str
    weight: Decimal | None
    stated: Decimal | None  # the table's own scores (summed for a level), not xlperf's
    rows: tuple[int, ...]  # grid rows
    not_applicable: bool = False
    actual: object = None  # a row's 实际完成值 as written


@dataclass(frozen=True)
class Hit:
    """A match and whether it is certain (exact, contained, by position) or only the closest name."""

    target: Target
    certain: bool = True


def norm(text: str) -> str:
    """Comparable form of a name: no enumerator, brackets, spaces, quotes, trailing 情况/分析 or ':target'."""
    out = strip_enumerator(text)
    out = _BRACKETS.sub("", out)
    out = re.split(r"[：:]", out)[0]
    out = re.sub(r"[\s“”\"'‘’《》]", "", out)
    for suffix in _SUFFIXES:
        if out.endswith(suffix) and len(out) > len(suffix) + 1:
            out = out[: -len(suffix)]
    return out


def table_total(ev: Evaluation) -> Decimal | None:
    """The score table's total: its 合计 row, else the sum of its row scores."""
    from xlperf.core.numbers import read_number
    from xlperf.core.rounding import points

    stated = ev.table.stated_total
    value = read_number(stated.value).value if stated else None
    return points(value) if value is not None else ev.stated_sum


def _similarity(a: str, b: str) -> float:
    """Longest common run over the longer name, ignoring a leading 项目 (项目概况 is not like 项目立项)."""
    a, b = (text[2:] if text.startswith("项目") and len(text) > 3 else text for text in (a, b))
    match = SequenceMatcher(None, a, b).find_longest_match(0, len(a), 0, len(b))
    return match.size / max(len(a), len(b), 1)


@dataclass
class Index:
    """The score table's rows and levels, looked up by name."""

    targets: list[Target] = field(default_factory=list)
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, ev: Evaluation) -> "Index":
        index = cls(roles=dict(ev.config.level1_roles))
        rows = [Target("row", r.indicator.level3, r.indicator.level1, r.indicator.level2, r.weight.value,
                       r.stated.value, (r.indicator.row or 0,), r.not_applicable, r.indicator.actual) for r in ev.rows]
        index.targets.extend(rows)
        for (l1, l2), level in ev.level2.items():
            members = [t for t in rows if (t.level1, t.level2) == (l1, l2)]
            index.targets.append(Target("level2", l2, l1, l2, level.weight, level.stated,
                                        tuple(t.rows[0] for t in members), all(t.not_applicable for t in members)))
        for l1, level in ev.level1.items():
            members = tuple(t.rows[0] for t in rows if t.level1 == l1)
            index.targets.append(Target("level1", l1, l1, "", level.weight, level.stated, members))
        index.targets.append(Target("total", "合计", "", "", ev.weight, table_total(ev), tuple(t.rows[0] for t in rows)))
        return index

    def within(self, scope: Target | None, kinds: tuple[str, ...]) -> list[Target]:
        """Targets of ``kinds`` inside the level ``scope`` (all when None)."""
        found = [t for t in self.targets if t.kind in kinds]
        if scope is None:
            return found
        if scope.kind == "level1":
            return [t for t in found if t.level1 == scope.level1 and t.kind != "level1"]
        return [t for t in found if (t.level1, t.level2) == (scope.level1, scope.level2) and t.kind == "row"]

    def role(self, name: str) -> str | None:
        """The framework role a name spells exactly (项目产出 → 产出)."""
        return next((role for role, names in self.roles.items() if name in names), None)

    def group_of(self, row: Target) -> Target | None:
        key = (row.level1, row.level2)
        return next((t for t in self.targets if t.kind == "level2" and (t.level1, t.level2) == key), None)

    def level1_of(self, target: Target) -> Target | None:
        return next((t for t in self.targets if t.kind == "level1" and t.level1 == target.level1), None)


def _unique(candidates: list[Target]) -> Target | None:
    """The one candidate left once not-applicable ones are set aside (when others remain)."""
    live = [t for t in candidates if not t.not_applicable] or candidates
    return live[0] if len(live) == 1 else None


def exact(index: Index, name: str, scope: Target | None = None) -> Hit | None:
    """A row, level 2 or level 1 of exactly this name (a level 1 also by its role: 项目产出 → 产出)."""
    key = norm(name)
    if not key:
        return None
    for kinds in (("row",), ("level2",)):
        hit = _unique([t for t in index.within(scope, kinds) if norm(t.name) == key]) or \
            _unique([t for t in index.within(None, kinds) if norm(t.name) == key])
        if hit:
            return Hit(hit)
    if key in TOTAL_NAMES:
        return Hit(next(t for t in index.targets if t.kind == "total"))
    levels = [t for t in index.targets if t.kind == "level1"]
    role = index.role(key)
    hit = _unique([t for t in levels if norm(t.name) == key]) or \
        _unique([t for t in levels if role and index.role(norm(t.name)) == role])
    return Hit(hit) if hit else None


def _closest(index: Index, key: str, scope: Target | None) -> Hit | None:
    scored = [(_similarity(key, norm(t.name)), t) for t in index.within(scope, ("level2", "row"))]
    scored = [(s, t) for s, t in scored if s >= MIN_SIMILARITY and not t.not_applicable]
    best = max((s for s, _ in scored), default=0)
    hit = _unique([t for s, t in scored if s == best]) if scored else None
    return Hit(hit, certain=False) if hit else None


def named(index: Index, name: str, scope: Target | None = None) -> Hit | None:
    """A name as a heading, a sentence or a sub-table writes it: exact, then a level 2 (or row) containing
    the words, then the closest name (uncertain)."""
    hit = exact(index, name, scope)
    if hit:
        return hit
    key = norm(name)
    if len(key) < 2:
        return None
    for kinds in (("level2",), ("row",)):
        found = _unique([t for t in index.within(scope, kinds) if key in norm(t.name)])
        if found:
            return Hit(found)
    return _closest(index, key, scope)


def in_paragraph(index: Index, text: str, scope: Target | None, ordinal: int | None) -> Hit | None:
    """What a paragraph without an explicit name talks about: a table name inside it, else the n-th row
    of the level 2 its heading opened."""
    flat = re.sub(r"[\s“”\"'‘’]", "", text)
    inside = [t for t in index.within(scope, ("row",)) if len(norm(t.name)) >= MIN_CONTAINED and norm(t.name) in flat]
    longest = max((len(norm(t.name)) for t in inside), default=0)
    hit = _unique([t for t in inside if len(norm(t.name)) == longest])
    if hit:
        return Hit(hit)
    if ordinal and scope is not None and scope.kind == "level2":
        rows = index.within(scope, ("row",))
        return Hit(rows[ordinal - 1]) if ordinal <= len(rows) else None
    return None
