"""Evaluation reports in Word: written from a scored workbook (``xlperf report``) and read back
(``xlperf score REPORT.docx``, ``.docx`` in ``xlperf check``).

Writing: ``content`` turns the core's :class:`~xlperf.core.evaluate.Evaluation` into plain data in the
published reports' wording, ``render`` fills the bureau's editable Word template (docxtpl) with it.
Reading: ``docx_tables`` turns Word tables into the workbook reader's grids, ``selfcheck`` checks a
report against itself. The core and the workbook reader know nothing of Word.
"""
