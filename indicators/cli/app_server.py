"""Start the dashboard as a separate `streamlit run` process on loopback, and launch Debian's chromium.

Shared by the browser tests, the load test and the app-memory benchmark, with the flags measured in
../shared/TOOLING.md. Standard library only (Playwright is imported by the callers that drive a page).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from indicators.paths import PROJECT_ROOT, SERVER_APP

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, port: int, env: dict | None = None, log: IO | None = None) -> subprocess.Popen:
    """The dashboard as served in production (`streamlit run indicators/ui/server_app.py`, which runs app.py) on
    127.0.0.1:``port`` reading database ``db`` (output to ``log`` or discarded)."""
    full_env = dict(os.environ, TONGCHENG_DB=str(db), PYTHONPATH=str(PROJECT_ROOT), **(env or {}))
    cmd = [sys.executable, "-m", "streamlit", "run", str(SERVER_APP), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    out = log if log is not None else subprocess.DEVNULL
    return subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll /_stcore/health until it answers ok; raise if the process exits or time runs out."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError("streamlit did not become healthy")


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def serve_app(db: Path, env: dict | None = None, log_path: Path | None = None,
              timeout: float = 60.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app serving ``db``: yields (base URL, process); stops it on exit."""
    port = free_port()
    log = open(log_path, "w") if log_path else None
    proc = start_app(db, port, env, log)
    try:
        wait_healthy(port, proc, timeout)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        stop(proc)
        if log:
            log.close()
