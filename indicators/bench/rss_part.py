"""app_rss_mb: peak resident memory (VmHWM) of a real `streamlit run app.py` process.

The server runs as a subprocess against the built default database; a headless Chromium (Playwright,
the system's /usr/bin/chromium) opens every page in turn and waits for it to finish rendering, then
changes the sidebar year. Without a browser (``--tiny``) only the server's idle memory is read.
"""
from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path

from indicators.bench.context import BenchContext
from indicators.bench.figures import Figure, with_target
from indicators.bench.pages_part import page_files
from indicators.cli.app_server import CHROMIUM, CHROMIUM_ARGS, free_port, stop, wait_healthy
from indicators.cli.app_server import start_app as _start_app

RSS_TARGET_MB = 1024.0
def status_kb(pid: int, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    m = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(m.group(1)) if m else 0


def url_path(page: str) -> str:
    """pages/4_indicators.py -> /indicators (Streamlit's pages/ folder naming); app.py -> /."""
    if page == "app.py":
        return "/"
    return "/" + re.sub(r"^\d+_", "", Path(page).stem)


def visit_pages(port: int, pages: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    visited = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for f in pages:
                page.goto(f"http://127.0.0.1:{port}{url_path(f)}", timeout=90_000)
                _settle(page)
                year = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
                if year.count():
                    try:
                        year.last.click(timeout=5_000)
                        opts = page.locator('[role="option"]')
                        if opts.count() > 1:
                            opts.nth(1).click(timeout=5_000)
                            _settle(page)
                    except Exception:  # noqa: BLE001 - a widget we cannot drive does not stop the measurement
                        pass
                visited += 1
        finally:
            browser.close()
    return visited


def _settle(page, timeout_s: float = 60.0) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_s * 1000)
    deadline = time.time() + timeout_s
    time.sleep(0.5)
    while time.time() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            break
        time.sleep(0.2)
    time.sleep(0.5)


def run(ctx: BenchContext) -> list[Figure]:
    port = free_port()
    proc = _start_app(ctx.default_db, port)
    try:
        wait_healthy(port, proc)
        pages = page_files(None)
        if ctx.sizes.browser and Path(CHROMIUM).exists():
            visited = visit_pages(port, pages)
            note = f"VmHWM after Chromium visited {visited} pages and changed the year"
        else:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
            note = "idle server only (no browser in this size)"
        hwm = status_kb(proc.pid, "VmHWM") / 1024
        rss = status_kb(proc.pid, "VmRSS") / 1024
    finally:
        stop(proc, timeout=15)
    return [with_target("app_rss_mb", hwm, "MB", RSS_TARGET_MB, note), Figure("app_rss_now_mb", rss, "MB")]
