"""The dashboard as served in production (indicators/ui/server_app.py, started by indicators.cli.app_server):
the HTML shell carries the first-paint tags, and a keep-alive connection does not stall on Nagle's algorithm."""
from __future__ import annotations

import http.client
import shutil
import statistics
import time
from urllib.parse import urlparse

import pytest

from indicators.cli.app_server import serve_app
from indicators.ui.first_paint import LOADING_ZH, plotly_chunk, streamlit_static_dir


@pytest.fixture(scope="module")
def server(default_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("server_app_db") / "server.duckdb"
    shutil.copy(default_db, db)
    log = tmp_path_factory.mktemp("server_app_log") / "streamlit.log"
    with serve_app(db, log_path=log, timeout=90) as (base, _proc):
        url = urlparse(base)
        yield url.hostname, url.port


def _get(conn: http.client.HTTPConnection, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    conn.request("GET", path, headers=headers or {})
    r = conn.getresponse()
    return r.status, r.read()


def test_every_page_path_gets_the_rewritten_shell_even_when_gzip_is_accepted(server):
    conn = http.client.HTTPConnection(*server, timeout=30)
    for path in ("/", "/profile", "/methodology?lang=en&year=2022"):
        status, body = _get(conn, path, {"Accept-Encoding": "gzip, br"})
        text = body.decode("utf-8")
        assert status == 200 and LOADING_ZH in text and "<title>同城化 Tongcheng</title>" in text
        assert f'rel="modulepreload" crossorigin href="./static/js/{plotly_chunk()}"' in text
    # the static bundle is served as Streamlit serves it (not rewritten)
    status, body = _get(conn, f"/static/js/{plotly_chunk()}")
    assert status == 200 and body == (streamlit_static_dir() / "static" / "js" / plotly_chunk()).read_bytes()


def test_keep_alive_responses_do_not_wait_for_a_delayed_ack(server):
    """With Nagle's algorithm on (asyncio's default loop on Streamlit's socket), every response after the first on
    a keep-alive connection arrived ≈ 40 ms late (the client's delayed ACK): 60 bundle files over 6 connections
    cost a fresh browser ≈ 0.4 s. Served without the stall each takes ≈ 1 ms; 25 ms leaves room for a loaded
    machine and stays well below the 40 ms the stall costs at the least."""
    small = min((p for p in (streamlit_static_dir() / "static" / "js").glob("*.js")), key=lambda p: p.stat().st_size)
    conn = http.client.HTTPConnection(*server, timeout=30)
    _get(conn, f"/static/js/{small.name}")          # the connection's first response is never delayed
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        status, _body = _get(conn, f"/static/js/{small.name}")
        times.append((time.perf_counter() - t0) * 1000)
        assert status == 200
    assert statistics.median(times) < 25, f"keep-alive responses took {sorted(times)} ms"
