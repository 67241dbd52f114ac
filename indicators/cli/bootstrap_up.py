"""`python3 -m indicators up`: install what is missing, build the database, open the dashboard."""
from __future__ import annotations

import os

from indicators.cli import bootstrap
from indicators.paths import PROJECT_ROOT, SERVER_APP


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="localhost")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")


def run(args) -> int:
    py = bootstrap.ensure_venv()
    bootstrap.ensure_system_packages(required=False)
    bootstrap.ensure_database(py)
    cmd = [str(py), "-m", "streamlit", "run", str(SERVER_APP),
           "--server.port", str(args.port), "--server.address", args.address,
           "--server.headless", "true" if args.no_browser else "false",
           "--browser.gatherUsageStats", "false"]
    bootstrap.log(f"dashboard on http://{args.address}:{args.port}")
    os.chdir(PROJECT_ROOT)
    os.execv(cmd[0], cmd)
