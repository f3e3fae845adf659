"""The header of an indicator table: the row where the data starts and the column of each role.

A role named in two columns goes to its stronger word (三级指标 over the MoF form's left 绩效指标
block column); a 绩效指标 column left of 一级指标 is a block label, never the names. A second header
row under the first (指标性质 / 指标值 / 度量单位 under a merged 年度指标值) refines it.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlperf.core.numbers import read_number
from xlperf.workbook.grid import SheetGrid
from xlperf.workbook.layout import HEADER_SYNONYMS, REQUIRED_ROLES, header_rank

MAX_HEADER_SCAN = 80
BLOCK_RANK = HEADER_SYNONYMS["level3"].index("绩效指标")


@dataclass(frozen=True)
class Header:
    """A header row and the column of each role."""

    row: int
    columns: dict[str, int]


def _roles(grid: SheetGrid, origin: dict, row: int, own: bool = False) -> dict[str, tuple[int, int]]:
    """Role → (word rank, column) of the header words in ``row`` (merged cells count unless ``own``); the
    best word wins, the leftmost of equals."""
    best: dict[str, tuple[int, int]] = {}
    get = grid.values.get
    merged = None if own else origin
    for col in range(1, grid.max_col + 1):
        value = get((row, col))
        if value is None:
            if not merged or (at := merged.get((row, col))) is None:
                continue
            value = get(at)  # header cells merged across rows or columns
        found = header_rank(value) if isinstance(value, str) else None
        if found and (found[0] not in best or found[1] < best[found[0]][0]):
            best[found[0]] = (found[1], col)
    return best


def _may_qualify(roles: dict[str, tuple[int, int]]) -> bool:
    """Whether _columns(roles) can hold every required role: it only renames level 2 to level 3 (skipping it
    for the rows above the header took a fifth off finding a bureau copy's header)."""
    return "weight" in roles and "score" in roles and ("level3" in roles or "level2" in roles)


def _columns(roles: dict[str, tuple[int, int]]) -> dict[str, int]:
    columns = {role: col for role, (_, col) in sorted(roles.items(), key=lambda item: item[1][1])}
    if "level3" in columns and roles["level3"][0] == BLOCK_RANK and columns["level3"] < columns.get("level1", 0):
        del columns["level3"]  # 绩效指标 left of 一级指标 labels the block
    if "level3" not in columns and "level2" in columns:
        columns["level3"] = columns.pop("level2")  # a two-level table scores its level-2 rows
    return columns


def _refined(grid: SheetGrid, origin: dict, header: Header) -> Header:
    """The header with a sub-header row under it folded in (its own words win for their columns)."""
    below = header.row + 1
    own = _roles(grid, origin, below, own=True)
    weight = header.columns.get("weight")
    if len(own) < 2 or (weight and read_number(grid.get(below, weight)).value is not None):
        return header
    taken = {col for _, col in own.values()}
    kept = {role: (0, col) for role, col in header.columns.items() if role not in own and col not in taken}
    columns = _columns({**kept, **own})
    return Header(below, columns) if all(role in columns for role in REQUIRED_ROLES) else header


def find_header(grid: SheetGrid, start: int = 1, origin: dict | None = None) -> Header | None:
    """The first header row at or after ``start`` naming level 3 (or 2), weight and score, with a second
    header row under it folded in. ``origin`` is ``grid.merged_origin()``."""
    origin = grid.merged_origin() if origin is None else origin
    for row in range(start, min(grid.max_row, start + MAX_HEADER_SCAN) + 1):
        roles = _roles(grid, origin, row)
        if not _may_qualify(roles):
            continue
        columns = _columns(roles)
        if all(role in columns for role in REQUIRED_ROLES):
            return _refined(grid, origin, Header(row, columns))
    return None
