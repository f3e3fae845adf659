"""Workbook files: sniffing, fast reading, views, and in-package write-back of cached values."""
