"""Findings: the catalogue of codes and the Finding value. Imports only the standard library."""

from xlperf.findings.codes import CATALOGUE, Code, Severity
from xlperf.findings.finding import Finding

__all__ = ["CATALOGUE", "Code", "Finding", "Severity"]
