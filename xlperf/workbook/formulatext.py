"""A formula's text as tokens (openpyxl's tokenizer, cached per text) and a reference's sheet name.

The tokenizer is ``xlperf.workbook.tokenizer``'s: openpyxl's module without the rest of openpyxl's package."""

from __future__ import annotations

from functools import lru_cache

OPERAND, RANGE, FUNC, OPEN, CLOSE = "OPERAND", "RANGE", "FUNC", "OPEN", "CLOSE"  # openpyxl's Token kinds


def sheet_of(prefix: str) -> str:
    """``'My Sheet'!`` / ``基本信息!`` → the sheet name."""
    name = prefix[:-1] if prefix.endswith("!") else prefix
    if name.startswith("'") and name.endswith("'"):
        name = name[1:-1].replace("''", "'")
    return name


@lru_cache(maxsize=8192)
def tokens(formula: str) -> tuple[tuple[str, str, str], ...] | None:
    """The formula's tokens (value, type, subtype) without spaces; None when the tokenizer cannot read it."""
    from xlperf.workbook.tokenizer import Token, Tokenizer, TokenizerError

    try:
        items = Tokenizer(formula).items
    except TokenizerError:
        return None
    return tuple((t.value, t.type, t.subtype) for t in items if t.type != Token.WSPACE)
