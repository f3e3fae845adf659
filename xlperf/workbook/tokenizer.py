"""openpyxl's formula tokenizer without the rest of openpyxl.

``import openpyxl.formula.tokenizer`` first runs ``openpyxl/__init__`` (its workbook, reader and writer, and
numpy), although the tokenizer module needs only ``re``; a bureau batch's workers tokenize score formulas and
template facts, so each paid for all of openpyxl (CPU to the first bureau file checked: 0.39 → 0.32 s). The
module is loaded from openpyxl's own file on its own; where openpyxl is already imported, its module is used.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from types import ModuleType

_NAME = "openpyxl.formula.tokenizer"


def path_loaded() -> ModuleType | None:
    """openpyxl's tokenizer.py executed on its own (None where that fails: an unusual install, or a later
    openpyxl whose tokenizer imports the rest of its package)."""
    try:
        package = importlib.util.find_spec("openpyxl")  # finds the package without running its __init__
        origin = package.origin if package is not None else None
        path = os.path.join(os.path.dirname(origin), "formula", "tokenizer.py") if origin else ""
        spec = importlib.util.spec_from_file_location("xlperf.workbook._openpyxl_tokenizer", path) if path else None
        if spec is None or spec.loader is None or not os.path.isfile(path):
            return None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    except Exception:  # noqa: BLE001 - the ordinary import below is always right, only slower
        return None


def _load() -> ModuleType:
    return sys.modules.get(_NAME) or path_loaded() or importlib.import_module(_NAME)


_tokenizer = _load()
Token = _tokenizer.Token
Tokenizer = _tokenizer.Tokenizer
TokenizerError = _tokenizer.TokenizerError

__all__ = ["Token", "Tokenizer", "TokenizerError"]
