"""``python -m xlperf`` runs the command-line interface."""

from xlperf.cli import main

raise SystemExit(main())
