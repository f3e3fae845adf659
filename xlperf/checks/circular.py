"""Circular references: formula cells that depend on themselves, found at their cells.

Neither formula engine computes a cycle (Excel shows 0 and a warning), so its cells have no recomputed
value and their saved values cannot be verified; each such cell gets a ``formula-circular`` finding
naming the whole cycle, instead of silently dropping out of the cached-value check. The dependency graph
is built from the formulas' reference areas (``checks.references``) and its cycles are its strongly
connected components (Tarjan's algorithm, iterative: a long chain must not exhaust the call stack).
"""

from __future__ import annotations

from typing import Iterable, Mapping

from xlperf.checks.references import areas
from xlperf.findings import Finding
from xlperf.workbook.grid import a1

Cell = tuple[str, int, int]
MAX_NAMED = 8  # cells spelled out in a finding's message; longer cycles end with "…"


def _edges(formulas: Mapping[str, Mapping[tuple[int, int], str]], names: tuple[str, ...]) -> dict[Cell, list[Cell]]:
    """Formula cell → the formula cells its references cover."""
    by_sheet = {sheet: list(cells) for sheet, cells in formulas.items()}
    graph: dict[Cell, list[Cell]] = {}
    for sheet, cells in formulas.items():
        for (row, col), text in cells.items():
            targets: list[Cell] = []
            for ref_sheet, r1, c1, r2, c2 in areas(sheet, text, names):
                inside = formulas.get(ref_sheet, {})
                if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(inside):
                    targets.extend((ref_sheet, r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
                                   if (r, c) in inside)
                else:
                    targets.extend((ref_sheet, r, c) for r, c in by_sheet[ref_sheet] if r1 <= r <= r2 and c1 <= c <= c2)
            graph[(sheet, row, col)] = targets
    return graph


def cycles(graph: Mapping[Cell, Iterable[Cell]]) -> list[list[Cell]]:
    """The strongly connected components that are cycles (more than one cell, or a cell reading itself)."""
    index: dict[Cell, int] = {}
    low: dict[Cell, int] = {}
    stack: list[Cell] = []
    on_stack: set[Cell] = set()
    found: list[list[Cell]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            nxt = next(pending, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    cell = stack.pop()
                    on_stack.discard(cell)
                    component.append(cell)
                    if cell == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    found.append(sorted(component))
    return found


def circular_findings(formulas: Mapping[str, Mapping[tuple[int, int], str]],
                      sheet_names: Iterable[str] = ()) -> list[Finding]:
    """One ``formula-circular`` finding at every cell of every cycle among ``formulas``."""
    names = tuple(dict.fromkeys([*sheet_names, *formulas]))
    out = []
    for component in cycles(_edges(formulas, names)):
        shown = [f"{sheet}!{a1(row, col)}" if sheet != component[0][0] else a1(row, col)
                 for sheet, row, col in component[:MAX_NAMED]]
        label = ", ".join(shown) + ("…" if len(component) > MAX_NAMED else "")
        for sheet, row, col in component:
            out.append(Finding("formula-circular", sheet, a1(row, col), row, params={"cells": label}))
    return out
