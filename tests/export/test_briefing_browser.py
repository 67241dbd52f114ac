"""Real browser (Playwright + Debian chromium): briefing mode hides the chrome and lays the page on a 16:9
canvas; a chart's download popover renders a PNG on demand; the brief page generates files.
Screenshots go to test-artifacts/export/ (gitignored) for a person to look at."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from indicators.cli.app_server import CHROMIUM
from indicators.cli.app_server import CHROMIUM_ARGS as LAUNCH_ARGS
from indicators.cli.app_server import serve_app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "export"

pytestmark = [pytest.mark.browser, pytest.mark.timeout(400)]


@pytest.fixture(scope="module")
def app_url(default_db, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    pytest.importorskip("playwright.sync_api")
    db = tmp_path_factory.mktemp("export_browser_db") / "browser.duckdb"
    shutil.copy(default_db, db)      # the server's own copy: this process may hold the session database
    log = tmp_path_factory.mktemp("export_browser_log") / "streamlit.log"
    with serve_app(db, log_path=log, timeout=90) as (base, _proc):
        yield base


@pytest.fixture(scope="module")
def browser_tab(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        pg = browser.new_page(viewport={"width": 1600, "height": 900}, accept_downloads=True)
        yield pg
        browser.close()


def settle(page, timeout_ms: int = 120_000) -> None:
    """Wait until the script run is over (no status widget, script state notRunning for 1 s)."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"]', timeout=timeout_ms)
    done = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    deadline = time.monotonic() + timeout_ms / 1000
    quiet = None
    while time.monotonic() < deadline:
        idle = page.locator(done).count() == 1 and page.locator('[data-testid="stStatusWidget"]').count() == 0
        now = time.monotonic()
        quiet = (quiet or now) if idle else None
        if quiet is not None and now - quiet >= 1.0:
            page.wait_for_timeout(500)
            return
        page.wait_for_timeout(150)
    raise AssertionError("the app did not finish running in time")


def _visible(page, selector: str) -> bool:
    loc = page.locator(selector)
    return loc.count() > 0 and loc.first.is_visible()


def test_briefing_mode_in_a_real_browser(app_url, browser_tab):
    page = browser_tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{app_url}/indicators?metros=chengdu,shanghai&year=2022")
    settle(page)
    assert _visible(page, '[data-testid="stSidebar"]')
    assert _visible(page, '[class*="st-key-dlbox_"]')
    page.screenshot(path=str(ARTIFACTS / "indicators_normal.png"))

    page.locator(".st-key-briefing_mode").get_by_text("简报模式").click()
    settle(page)
    assert not _visible(page, '[data-testid="stSidebar"]')
    assert not _visible(page, 'header[data-testid="stHeader"]')
    assert not _visible(page, '[class*="st-key-dlbox_"]')
    box = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    assert abs(box["width"] / box["height"] - 16 / 9) < 0.02
    assert box["height"] <= 900
    page.screenshot(path=str(ARTIFACTS / "indicators_briefing.png"))

    # survives a page switch through the URL state, and switches off again
    page.goto(f"{app_url}/profile?metros=chengdu,shanghai&year=2022&briefing=1")
    settle(page)
    assert not _visible(page, '[data-testid="stSidebar"]')
    page.locator(".st-key-briefing_mode").get_by_text("简报模式").click()
    settle(page)
    assert _visible(page, '[data-testid="stSidebar"]')


def test_download_popover_renders_png_on_demand(app_url, browser_tab):
    page = browser_tab
    page.goto(f"{app_url}/indicators?metros=chengdu,shanghai&year=2022")
    settle(page)
    page.locator('[class*="st-key-dlbox_"]').first.get_by_text("下载图片").click()
    popover = page.locator('[data-testid="stPopoverBody"]')
    popover.get_by_text("生成图片").click()
    settle(page)
    button = popover.locator('[data-testid="stDownloadButton"] button')
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    target = ARTIFACTS / info.value.suggested_filename
    info.value.save_as(str(target))
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG") and target.name.endswith("_slide_png2x.png")
