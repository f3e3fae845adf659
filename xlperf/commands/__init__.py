"""The ``xlperf`` subcommands, one module each: parse the options, call the library, render, return the exit status.

``options`` holds what several commands share (the scoring options and the ScoringConfig they describe, ``--db``,
UsageError); ``xlperf.cli`` builds the parser from the modules' ``register`` functions and maps errors to exit
statuses. Nothing below this package imports it.
"""
