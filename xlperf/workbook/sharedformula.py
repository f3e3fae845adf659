"""Shared formulas: the master's text moved to another cell as openpyxl's Translator does, tokenised once."""

from __future__ import annotations

import re
from typing import Any

from xlperf.workbook.grid import column_letter
from xlperf.workbook.xlsxparts import column_index

_ROW_RANGE = re.compile(r"(\$?[1-9][0-9]{0,6}):(\$?[1-9][0-9]{0,6})$")  # openpyxl Translator's patterns
_COL_RANGE = re.compile(r"(\$?[A-Za-z]{1,3}):(\$?[A-Za-z]{1,3})$")
_CELL_REF = re.compile(r"(\$?[A-Za-z]{1,3})(\$?[1-9][0-9]{0,6})$")
_TEMPLATES: dict[str, tuple] = {}


def shared_formula(master: str, origin: tuple[int, int], dest: tuple[int, int]) -> str:
    """openpyxl's Translator(master, origin).translate_formula(dest), tokenised once; ValueError off the sheet."""
    template = _TEMPLATES.get(master)
    if template is None:
        if len(_TEMPLATES) > 4096:
            _TEMPLATES.clear()
        template = _TEMPLATES[master] = _compile(master)
    text, pieces = template
    rows, cols = dest[0] - origin[0], dest[1] - origin[1]
    out: list[Any] = []
    for is_row, number in pieces:
        if is_row:
            if number + rows <= 0:
                raise ValueError("formula out of range")
            out.append(number + rows)
        else:
            out.append(column_letter(number + cols))
    return text % tuple(out)


def _compile(formula: str) -> tuple[str, list[tuple[bool, int]]]:
    """A %-format of the translated text and an (is_row, number) piece per relative row or column."""
    from xlperf.workbook.tokenizer import Token, Tokenizer

    tokens = Tokenizer(formula).items
    if not tokens or tokens[0].type == Token.LITERAL:
        return (tokens[0].value if tokens else "").replace("%", "%%"), []
    out: list = ["="]
    for token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            _compile_range(token.value, out)
        else:
            out.append(token.value)
    text = "".join(piece.replace("%", "%%") if isinstance(piece, str) else "%d" if piece[0] else "%s"
                   for piece in out)
    return text, [piece for piece in out if not isinstance(piece, str)]


def _compile_range(text: str, out: list) -> None:
    """Translator.translate_range, producing pieces instead of text."""
    if "!" in text:
        sheet, text = text.rsplit("!", 1)
        out.append(sheet + "!")
    match = _ROW_RANGE.match(text) or _COL_RANGE.match(text)
    if match is None and ":" in text:
        for i, piece in enumerate(text.split(":")):
            out.extend([":"] if i else [])
            _compile_range(piece, out)
        return
    match = match or _CELL_REF.match(text)
    if match is None:
        out.append(text)  # a defined name
        return
    for i, part in enumerate(match.groups()):
        if i == 1 and match.re is not _CELL_REF:
            out.append(":")
        if part[0] == "$":
            out.append(part)
        else:
            out.append((True, int(part)) if part.isdigit() else (False, column_index(part)))
