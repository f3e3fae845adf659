"""A file's formula set as a key (light: no formula engine imported), shared by the compiled programs
and the structure facts, computed once per WorkbookView."""

from __future__ import annotations


def formula_key(view) -> tuple:
    """The file's formula set: sheet names and every formula text by cell."""
    key = view.__dict__.get("_formula_key")
    if key is None:
        key = (tuple(view.sheet_names),
               tuple((sheet, tuple(sorted(texts.items()))) for sheet, texts in view.formulas.items()))
        view.__dict__["_formula_key"] = key
    return key
