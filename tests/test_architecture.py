"""The import rules hold: the contracts in pyproject.toml (``[tool.importlinter]``, README "Architecture / 架构")
checked by import-linter, and the core and the findings importing nothing but the standard library."""

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def test_import_contracts_are_kept():
    """``lint-imports`` on pyproject.toml (run from the checkout, so the xlperf it reads is this one)."""
    run = subprocess.run([sys.executable, "-c", LINT, "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_core_and_findings_import_only_the_standard_library():
    """Every import, not only the heavy libraries the forbidden contract names."""
    graph = grimp.build_graph("xlperf", include_external_packages=True, cache_dir=None)
    modules = {m for package in ("xlperf.core", "xlperf.findings") for m in {package} | graph.find_descendants(package)}
    outside = sorted((module, imported) for module in modules for imported in graph.find_modules_directly_imported_by(module)
                     if imported.split(".")[0] not in (*sys.stdlib_module_names, "xlperf"))
    assert outside == []
