"""One kaleido render server per process, used under one lock.

Measured (../shared/TOOLING.md): a cold export starts a browser (~4 s); ``kaleido.start_sync_server`` once
makes each export ~0.25 s. The sync server is not thread-safe (images go to the wrong caller), so every
render takes the process-wide ``RENDER_LOCK``. Maps need the topojson served from ``static/topojson/``
because the browser has no internet.
"""
from __future__ import annotations

import os
import shutil
import threading
import warnings
from typing import Any

from indicators.paths import STATIC_DIR

RENDER_LOCK = threading.Lock()
TOPOJSON_DIR = STATIC_DIR / "topojson"
_started = False


def topojson_url() -> str:
    """file:// URL of the local topojson folder (with the trailing slash plotly expects)."""
    return TOPOJSON_DIR.resolve().as_uri() + "/"


def _ensure_browser_path() -> None:
    if not os.environ.get("BROWSER_PATH"):
        for candidate in ("chromium", "chromium-browser", "google-chrome"):
            found = shutil.which(candidate)
            if found:
                os.environ["BROWSER_PATH"] = found
                return


def ensure_server() -> None:
    """Start the process-wide kaleido server once (call with RENDER_LOCK held, or via render_bytes)."""
    global _started
    import kaleido

    if _started and kaleido._global_server.is_running():  # noqa: SLF001 - kaleido exposes no public query
        return
    _ensure_browser_path()
    # mathjax=False: no request to a CDN for a script the charts do not use.
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    _started = True


def stop_server() -> None:
    """Stop the server (tests, shutdown). A later render starts it again."""
    global _started
    import kaleido

    with RENDER_LOCK:
        kaleido.stop_sync_server(silence_warnings=True)
        _started = False


def render_bytes(fig_dict: dict[str, Any], fmt: str, width: int, height: int, scale: float) -> bytes:
    """Render a figure dict with kaleido: ``fmt`` is 'png' or 'svg'; width/height in layout px."""
    import kaleido

    global _started
    opts = {"format": fmt, "width": int(width), "height": int(height), "scale": float(scale)}
    with RENDER_LOCK:
        for attempt in (1, 2):
            ensure_server()
            try:
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", message="The kopts argument is ignored")
                    return kaleido.calc_fig_sync(fig_dict, opts=opts, topojson=topojson_url())
            except Exception:
                if attempt == 2:
                    raise
                # A browser that died (or a wedged tab) takes the server with it: restart once, then retry.
                kaleido.stop_sync_server(silence_warnings=True)
                _started = False
    raise AssertionError("unreachable")
