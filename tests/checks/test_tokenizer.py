"""xlperf.workbook.tokenizer is openpyxl's tokenizer, loaded without openpyxl's package (and formula_shape's
A1 helpers are openpyxl's on every column)."""

from __future__ import annotations

import subprocess
import sys

import pytest

FORMULAS = ["=SUM(A1:B2)", "=IF(F5>=E5,G5,ROUND(F5/E5*G5,2))", "='My Sheet'!$A$1+基本信息!C3", '=IF(D5="≤",1,"a""b")',
            "=IFERROR(MIN(F5/E5,100%)*G5,0)", "=A:A+2:5", "={1,2;3,4}", "=[1]Sheet1!A1", "=-E5%", "=#REF!+1",
            "=SUM(A1:INDEX(B:B,3))", "=\"unterminated", "=(1+2", "=TRUE()", "=A1 B1", "=@A1", "= 1 +  2 "]


def test_the_same_tokens_as_openpyxls_own():
    from openpyxl.formula.tokenizer import Tokenizer as Theirs, TokenizerError as TheirError

    from xlperf.workbook.tokenizer import path_loaded

    module = path_loaded()  # the copy a worker without openpyxl's package uses (pytest has imported openpyxl)
    assert module is not None and module.__name__ == "xlperf.workbook._openpyxl_tokenizer"
    Tokenizer, TokenizerError = module.Tokenizer, module.TokenizerError

    for formula in FORMULAS:
        try:
            theirs = [(t.value, t.type, t.subtype) for t in Theirs(formula).items]
        except TheirError:
            with pytest.raises(TokenizerError):
                Tokenizer(formula)
            continue
        assert [(t.value, t.type, t.subtype) for t in Tokenizer(formula).items] == theirs


def test_formula_checks_do_not_import_openpyxl():
    code = ("import sys, xlperf.checks.formula_shape, xlperf.checks.references, xlperf.workbook.formulatext as f;"
            "from xlperf.checks.formula_shape import to_r1c1; to_r1c1('=SUM(A1:B2)', 3, 3); f.tokens('=A1+1');"
            "print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_column_helpers_are_openpyxls():
    from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple, get_column_letter

    from xlperf.checks import formula_shape

    for col in range(1, 18279):
        letters = get_column_letter(col)
        assert formula_shape.get_column_letter(col) == letters
        assert formula_shape.column_index_from_string(letters) == column_index_from_string(letters) == col
        assert formula_shape.coordinate_to_tuple(f"{letters}{col}") == coordinate_to_tuple(f"{letters}{col}")
