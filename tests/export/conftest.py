"""Export tests share one kaleido server for the session (a cold start is ~4 s, then ~0.3 s per image)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def kaleido_server():
    from indicators.export.kaleido_server import RENDER_LOCK, ensure_server, stop_server

    with RENDER_LOCK:
        ensure_server()
    yield
    stop_server()
