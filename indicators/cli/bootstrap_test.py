"""`python3 -m indicators test [pytest args]`: install what is missing, then run the whole test suite."""
from __future__ import annotations

import argparse
import os
import subprocess

from indicators.cli import bootstrap
from indicators.paths import PROJECT_ROOT


def add_arguments(parser) -> None:
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed to pytest")


def run(args) -> int:
    py = bootstrap.ensure_venv()
    bootstrap.ensure_system_packages(required=True)
    bootstrap.ensure_database(py)
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    code = subprocess.run([str(py), "-m", "pytest", *args.pytest_args], cwd=PROJECT_ROOT, env=env).returncode
    if code == 5:
        print("pytest collected no tests", flush=True)
    return code
