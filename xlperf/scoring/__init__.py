"""One workbook scored and checked: what ``xlperf score``, ``xlperf check`` and the Word reports share per file.

``score`` evaluates one indicator table through the core and checks it (ScoreResult); ``result`` is the plain,
picklable outcome of one file's check (FileResult) that the batch, its outputs and the Word reports pass on.
"""
