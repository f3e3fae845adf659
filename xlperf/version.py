"""xlperf's version (``xlperf --version``, results.json, the state file, every template's ``_xlperf`` sheet).

A module of its own so that any layer can name the version without importing the ``xlperf`` package root.
"""

__version__ = "0.1.0"
