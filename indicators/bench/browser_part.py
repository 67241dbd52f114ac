"""Browser figures: what an analyst waits for in a real browser (Playwright + Debian's chromium, local server).

* ``browser_first_chart_ms``: a fresh browser (new context: no cache, no session) opens the home page of a warm
  server; time from navigation start until the first plotly chart is drawn (its SVG is in the page). Median of
  ``RUNS`` fresh contexts.
* ``browser_page_switch_ms_max``: in one session, a click on each sidebar page link; time until the new page is
  complete — the script run is over and every chart that page draws is on screen (charts are identified by
  their keys, learnt on a warm-up pass). The slowest page counts.

The server is warmed first (every page visited once: caches filled, figures built), as on a server that has
been up for a while.
"""
from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from indicators.bench.context import BenchContext
from indicators.bench.figures import Figure, with_target
from indicators.cli.app_server import CHROMIUM, CHROMIUM_ARGS, serve_app

FIRST_CHART_TARGET_MS = 2500.0
SWITCH_TARGET_MS = 800.0
RUNS = 3
_LINKS = """() => Array.from(document.querySelectorAll('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]'))
  .map(a => a.getAttribute('href') || '')"""
_STATE = """() => { const app = document.querySelector('[data-testid="stApp"]');
  return app ? app.getAttribute('data-test-script-state') : null; }"""
_CHART_KEYS = """() => Array.from(document.querySelectorAll('[class*="st-key-"]'))
  .filter(e => e.querySelector('[data-testid="stPlotlyChart"]') && !e.parentElement.closest('[class*="st-key-"]'))
  .map(e => Array.from(e.classList).find(c => c.startsWith('st-key-')))"""
_DONE = """([path, keys, title]) => {
  if (location.pathname.replace(/\\/$/, '') !== path.replace(/\\/$/, '')) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  if (!h1 || (title && h1.textContent.trim() !== title)) return false;
  for (const k of keys) {
    const el = document.querySelector('.' + k + ' .main-svg');
    if (!el) return false;
  }
  return true;
}"""


def _settle(page, timeout_s: float = 90.0) -> None:
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    quiet = None
    while time.monotonic() < deadline:
        idle = page.evaluate(_STATE) == "notRunning" and page.locator('[data-testid="stStatusWidget"]').count() == 0
        now = time.monotonic()
        if not idle:
            quiet = None
        elif quiet is None:
            quiet = now
        elif now - quiet >= 1.0:
            return
        page.wait_for_timeout(100)


def warm_up(browser, base: str) -> dict[str, tuple[list[str], str]]:
    """Visit every page once; return {page: (chart keys, title)} as drawn."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    seen: dict[str, tuple[list[str], str]] = {}
    try:
        page.goto(f"{base}/", timeout=120_000)
        _settle(page)
        for slug in dict.fromkeys(page.evaluate(_LINKS)):      # every page the sidebar links to
            page.goto(f"{base}/{slug}", timeout=120_000)
            _settle(page)
            keys = [k for k in page.evaluate(_CHART_KEYS) if k]
            title = page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
            seen[slug] = (keys, title)
    finally:
        ctx.close()
    return seen


def first_chart_ms(browser, base: str) -> float:
    """A fresh context opens the home page; ms until the first chart's SVG is in the page."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(f"{base}/", wait_until="commit", timeout=60_000)
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', state="attached", timeout=60_000)
        return (time.perf_counter() - t0) * 1000
    finally:
        ctx.close()


def page_switch_ms(browser, base: str, expected: dict[str, tuple[list[str], str]]) -> dict[str, float]:
    """Click each sidebar link in turn (from the home page); ms until that page is complete."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    out: dict[str, float] = {}
    try:
        page.goto(f"{base}/", timeout=60_000)
        _settle(page)
        order = [p for p in expected if p] + [""]
        for slug in order:
            keys, title = expected[slug]
            href = f"/{slug}"
            link = page.locator(f'[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"][href="{slug}"]').first
            t0 = time.perf_counter()
            link.click(timeout=10_000)
            try:
                page.wait_for_function(_DONE, arg=[href, keys, title], timeout=60_000, polling="raf")
            except Exception as exc:  # say which page never completed, and what it showed
                state = page.evaluate(_CHART_KEYS)
                raise RuntimeError(f"page {slug or 'overview'} did not complete: expected charts {keys}, "
                                   f"title {title!r}; found charts {state} at {page.url}") from exc
            out[slug or "overview"] = (time.perf_counter() - t0) * 1000
            _settle(page)          # the next click starts from a quiet page
    finally:
        ctx.close()
    return out


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int | None, window_s: float = 2.0, busy_share: float = 0.05, timeout_s: float = 180.0) -> float:
    """Wait until the server process stops working (its background warm-up of the other frameworks is over):
    CPU use below ``busy_share`` of one core over ``window_s``. Returns the seconds waited."""
    if pid is None or not Path(f"/proc/{pid}/stat").exists():
        return 0.0
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        c0 = _cpu_s(pid)
        time.sleep(window_s)
        if _cpu_s(pid) - c0 < busy_share * window_s:
            break
    return time.monotonic() - start


def measure(base: str, pid: int | None = None) -> tuple[float, dict[str, float]]:
    """(median first-chart ms, {page: switch ms}) against a running server at ``base`` (``pid``: the server
    process, to wait until its background work is over before measuring)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            expected = warm_up(browser, base)
            wait_idle(pid)
            first = statistics.median(first_chart_ms(browser, base) for _ in range(RUNS))
            switches = page_switch_ms(browser, base, expected)
        finally:
            browser.close()
    return first, switches


def run(ctx: BenchContext) -> list[Figure]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian chromium is not installed")
    if not ctx.sizes.browser:
        raise RuntimeError("no browser in this size")
    with serve_app(ctx.default_db, timeout=90) as (base, proc):
        first, switches = measure(base, proc.pid)
    slowest = max(switches, key=switches.get)
    note = ", ".join(f"{k} {v:.0f}" for k, v in switches.items())
    return [with_target("browser_first_chart_ms", first, "ms", FIRST_CHART_TARGET_MS,
                        f"median of {RUNS} fresh browsers, warm server"),
            with_target("browser_page_switch_ms_max", switches[slowest], "ms", SWITCH_TARGET_MS,
                        f"slowest: {slowest}; {note}")]


if __name__ == "__main__":   # python -m indicators.bench.browser_part URL: measure a running server
    import sys

    f, s = measure(sys.argv[1].rstrip("/"))
    print(f"browser_first_chart_ms: {f:.0f} ms")
    for k, v in s.items():
        print(f"  switch {k}: {v:.0f} ms")
    print(f"browser_page_switch_ms_max: {max(s.values()):.0f} ms")
