"""The formula engine: the workbook's own formulas recomputed with ``formulas``, UDFs included."""
