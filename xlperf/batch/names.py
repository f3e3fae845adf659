"""Result names: one per input, never shared, never leaving the folder they are joined to.

A file's result name is also the path of its corrected copy under ``corrected/``. Two inputs with the
same relative name (``a/returns/x.xlsx`` and ``b/returns/x.xlsx`` given as ``a/returns b/returns``)
would share one copy, and an input root of ``..`` would put ``..`` into the name. Names here are made
only of the components of the file's absolute path (no ``..``, no ``.``, never absolute), starting from
the natural one (relative to the folder given) and growing by parent folders until each is distinct,
also when compared without case (a case-insensitive file system would merge them) and from every folder
another name runs through.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Sequence


def _parts(path: str) -> tuple[str, ...]:
    return tuple(part for part in os.path.normpath(path).replace("\\", "/").split("/") if part not in ("", ".", ".."))


def _clashes(names: list[tuple[str, ...]]) -> set[int]:
    """Indices of names that equal another (ignoring case) or that name a folder another passes through."""
    keys = ["/".join(name).casefold() for name in names]
    counts = Counter(keys)
    folders = {"/".join(name[:i]).casefold() for name in names for i in range(1, len(name))}
    return {i for i, key in enumerate(keys) if counts[key] > 1 or key in folders}


def distinct_names(items: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """For each (absolute path, natural name parts), a "/"-joined name no other item shares."""
    full = [_parts(path) for path, _ in items]
    names = [tuple(part for part in natural if part not in ("", ".", "..")) or full[i][-1:]
             for i, (_, natural) in enumerate(items)]
    while True:
        clashing = _clashes(names)
        if not clashing:
            return ["/".join(name) for name in names]
        grown = False
        for i in clashing:
            if len(names[i]) < len(full[i]) and full[i][-len(names[i]):] == names[i]:
                names[i] = full[i][-len(names[i]) - 1:]
                grown = True
        if not grown:  # equal full paths but for case: number them
            for count, i in enumerate(sorted(clashing), 1):
                stem, ext = os.path.splitext(names[i][-1])
                names[i] = names[i][:-1] + (f"{stem} ({count}){ext}",)
