"""Command-line entry point.

Each subcommand lives in its own module under ``indicators/cli/`` exposing
``add_arguments(parser)`` and ``run(args) -> int``. Modules are imported only
when their command runs, so ``up`` and ``test`` (the bootstrap) work with the
standard library alone, before any dependency is installed.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from indicators.paths import PROJECT_ROOT

# command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "up": ("indicators.cli.bootstrap_up", "set everything up (venv, packages, chromium, fonts, database) and open the dashboard"),
    "test": ("indicators.cli.bootstrap_test", "set everything up, then run the whole test suite"),
    "build": ("indicators.cli.build", "build the DuckDB database from the shipped default data in data/"),
    "import": ("indicators.cli.import_", "import a CSV/XLSX/Parquet file (or --all DIR) into the database"),
    "export": ("indicators.cli.export", "export a table (or --all DIR) as CSV/XLSX/Parquet"),
    "check": ("indicators.cli.check", "integrity report of the database"),
    "compute": ("indicators.cli.compute", "compute the 同城化 index for a framework and years"),
    "brief": ("indicators.cli.brief", "generate a briefing pack (PPTX/DOCX/PDF)"),
    "bench": ("indicators.cli.bench", "run the benchmarks and print one figure per line"),
    "generate": ("indicators.cli.generate", "generate a synthetic national-scale dataset (flagged synthetic)"),
    "tasks": ("indicators.cli.tasks", "import or export the task ledger (任务台账) as the Excel template"),
    "metros": ("indicators.cli.metros", "every metro with its scope, status, members, census population and area"),
    "progress": ("indicators.cli.progress", "建设进程: per area of a plan, tasks by status and the progress score"),
    "reconcile": ("indicators.cli.reconcile", "对标: compare our ranking with a published one and explain the differences"),
}


def _load(command: str):
    module_name, _ = COMMANDS[command]
    return importlib.import_module(module_name)


BOOTSTRAP_COMMANDS = {"up", "test"}


def _reexec_in_venv(argv: list[str]) -> None:
    """Run library commands with the project's .venv interpreter when invoked from another Python."""
    venv_python = PROJECT_ROOT / ".venv" / "bin" / "python"
    if not venv_python.exists() or os.environ.get("TONGCHENG_NO_REEXEC"):
        return
    if os.path.realpath(sys.prefix) == os.path.realpath(PROJECT_ROOT / ".venv"):
        return
    env = dict(os.environ, TONGCHENG_NO_REEXEC="1")
    os.execve(str(venv_python), [str(venv_python), "-m", "indicators", *argv], env)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS and argv[0] not in BOOTSTRAP_COMMANDS:
        _reexec_in_venv(argv)
    parser = argparse.ArgumentParser(prog="python -m indicators", description="tongcheng 同城化 index tools")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        parser.print_help()
        return 0 if not argv or argv[0] in ("-h", "--help") else 2
    command = argv[0]
    try:
        module = _load(command)
    except ModuleNotFoundError as exc:  # a dependency (or the command module) is missing
        print(f"python -m indicators {command}: cannot load ({exc}). Run `python3 -m indicators up` first.", file=sys.stderr)
        return 2
    cmd_parser = argparse.ArgumentParser(prog=f"python -m indicators {command}", description=COMMANDS[command][1])
    module.add_arguments(cmd_parser)
    args = cmd_parser.parse_args(argv[1:])
    return int(module.run(args) or 0)
