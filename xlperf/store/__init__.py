"""The results store: every check kept (SQLite by default, any SQLAlchemy URL such as Postgres).

Used by ``xlperf check --db``, ``xlperf history`` and ``xlperf serve``; imports no web framework.
``db`` holds the tables and writing, ``record`` turns a batch's results.json into rows, ``history``
reads a project's years back.
"""
