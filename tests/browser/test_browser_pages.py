"""Real browser: Playwright drives Debian's chromium against `streamlit run` on 127.0.0.1.

Visits every page, switches the language, changes the metro, checks that no exception or error alert
appears, and saves a screenshot of each page under test-artifacts/ (gitignored) for a human to look at.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from indicators.cli.app_server import CHROMIUM
from indicators.cli.app_server import CHROMIUM_ARGS as LAUNCH_ARGS
from indicators.cli.app_server import serve_app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PAGES = ["", "profile", "compare", "indicators", "flows", "targets", "methodology", "data"]

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def server(default_db, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    pytest.importorskip("playwright.sync_api")
    # the server gets its own copy: this test process may hold the session database open
    db = tmp_path_factory.mktemp("browser_db") / "browser.duckdb"
    shutil.copy(default_db, db)
    log = tmp_path_factory.mktemp("browser_log") / "streamlit.log"
    with serve_app(db, env={"TONGCHENG_WARM_UP": "0"}, log_path=log, timeout=90) as (base, _proc):
        yield base


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1800}, device_scale_factor=1)
        yield page
        browser.close()


def settle(page, timeout_ms: int = 90_000) -> None:
    """Wait until the script run is over: the app root reports ``data-test-script-state="notRunning"``
    for 1 s in a row (a rerun can start right after a run), a title is shown, no status widget remains."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)
    done = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since = None
    while time.monotonic() < deadline:
        idle = page.locator(done).count() == 1 and page.locator('[data-testid="stStatusWidget"]').count() == 0
        now = time.monotonic()
        if not idle:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= 1.0:
            page.wait_for_timeout(500)   # let plotly finish drawing
            return
        page.wait_for_timeout(150)
    raise AssertionError("the app did not finish running in time")


def assert_no_errors(page, where: str) -> None:
    exceptions = page.locator('[data-testid="stException"]').count()
    assert exceptions == 0, f"{where}: {exceptions} exception element(s): " + page.locator('[data-testid="stException"]').first.inner_text()[:500]
    errors = page.locator('[data-testid="stAlertContentError"]').count()
    assert errors == 0, f"{where}: error alert: " + page.locator('[data-testid="stAlertContentError"]').first.inner_text()[:300]


def test_every_page_renders_switches_language_and_metro(server, browser_page):
    page = browser_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for slug in PAGES:
        page.goto(f"{server}/{slug}?metros=chengdu,shanghai")
        settle(page)
        assert_no_errors(page, slug or "overview")
        # every chart area drew something (plotly's SVG root)
        page.screenshot(path=str(ARTIFACTS / f"{slug or 'overview'}_zh.png"), full_page=True)

    # language switch (sidebar segmented control), then the state must carry to another page
    page.goto(f"{server}/?metros=chengdu,shanghai")
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    settle(page)
    assert_no_errors(page, "overview en")
    assert page.get_by_text("Overview", exact=False).count() > 0
    assert "lang=en" in page.url
    page.screenshot(path=str(ARTIFACTS / "overview_en.png"), full_page=True)

    # change the selected metro through the URL state (a bookmarked view) and through the widget
    page.goto(f"{server}/profile?lang=en&metros=nanjing,chengdu")
    settle(page)
    assert_no_errors(page, "profile nanjing")
    assert page.get_by_text("Nanjing", exact=False).count() > 0
    page.screenshot(path=str(ARTIFACTS / "profile_en_nanjing.png"), full_page=True)

    page.goto(f"{server}/compare?lang=en&metros=chengdu,shanghai")
    settle(page)
    # add Hangzhou through the sidebar's metro multiselect
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').first.locator("input").click()
    page.keyboard.type("Hangzhou")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    settle(page)
    assert_no_errors(page, "compare after metro change")
    assert "hangzhou" in page.url
    assert page.get_by_text("Hangzhou", exact=False).count() > 1
    page.screenshot(path=str(ARTIFACTS / "compare_en_hangzhou.png"), full_page=True)

    for slug in PAGES[1:]:
        page.goto(f"{server}/{slug}?lang=en&metros=chengdu,shanghai")
        settle(page)
        assert_no_errors(page, f"{slug} en")
        page.screenshot(path=str(ARTIFACTS / f"{slug}_en.png"), full_page=True)
