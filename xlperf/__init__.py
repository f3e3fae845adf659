"""xlperf: scoring and checking of budget performance evaluations (预算绩效评价) in Excel workbooks.

The scoring core (``xlperf.core``) is pure Python; the workbook reader, the formula engine,
the batch runner and the xlwings UDFs are thin layers over it.
"""

from xlperf.version import __version__

__all__ = ["__version__"]
