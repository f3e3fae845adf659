"""A formula's shape: its text with each relative reference written as an offset from the formula's cell.

Copies of a template whose tables have a row more or less hold the same formulas moved by a row (and
each table row repeats one formula): measured on the bureau corpus, 112 of the formulas compiled after
the first copy were new texts, about 1.45 ms each with ``formulas``' parser (0.16 ms per copy over the
corpus), most of them one of a few shapes. A formula of a shape already compiled is the earlier program
with its references moved (``program``); this module only reads the text: string literals and quoted
sheet names are skipped, a cell reference is letters and digits not part of a longer name, a number or a
function's name.

Not ``checks.formula_shape.to_r1c1``, the R1C1 form the checks compare: moving a program needs each
reference's row and column in the order the text writes them, which that conversion does not give.
"""

from __future__ import annotations

import re

from xlperf.workbook.xlsxparts import column_index

_TOKENS = re.compile(r'"(?:[^"]|"")*"'  # a string literal
                     r"|'(?:[^']|'')*'"  # a quoted sheet name
                     r"|(?<![A-Za-z0-9_.$\]\\])(\$?)([A-Za-z]{1,3})(\$?)([0-9]+)(?![A-Za-z0-9_.(\[!])")

Refs = tuple[tuple[int, int], ...]  # each reference's (row, column), in the order of the text


def shape_of(text: str, row: int, col: int) -> tuple[str, Refs]:
    """The formula's shape (relative rows and columns as offsets from (row, col); absolute ones kept) and
    the (row, column) of each reference it wrote."""
    parts, refs, last = [], [], 0
    for match in _TOKENS.finditer(text):
        if match.group(2) is None:
            continue
        col_abs, letters, row_abs, digits = match.groups()
        ref_row, ref_col = int(digits), column_index(letters)
        parts += [text[last:match.start()], "\0", f"${ref_col}" if col_abs else str(ref_col - col), "\0",
                  f"${ref_row}" if row_abs else str(ref_row - row), "\0"]
        refs.append((ref_row, ref_col))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts), tuple(refs)


def coordinate_maps(old: Refs, new: Refs) -> tuple[dict[int, int], dict[int, int]] | None:
    """Each old row and column → its new one, from two formulas of one shape; None when an old row or column
    would move two ways (an absolute and a relative reference to it)."""
    rows: dict[int, int] = {}
    cols: dict[int, int] = {}
    for (old_row, old_col), (new_row, new_col) in zip(old, new):
        if rows.setdefault(old_row, new_row) != new_row or cols.setdefault(old_col, new_col) != new_col:
            return None
    return rows, cols
