"""Real browser: the 进程 page in Chinese and English (Playwright + Debian chromium), screenshots for a human."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indicators.cli.app_server import CHROMIUM
from indicators.cli.app_server import CHROMIUM_ARGS as LAUNCH_ARGS
from indicators.cli.app_server import serve_app
from tests.browser.test_browser_pages import assert_no_errors, settle

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def server(default_db, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    pytest.importorskip("playwright.sync_api")
    db = tmp_path_factory.mktemp("browser_progress_db") / "browser.duckdb"
    shutil.copy(default_db, db)
    log = tmp_path_factory.mktemp("browser_progress_log") / "streamlit.log"
    with serve_app(db, env={"TONGCHENG_WARM_UP": "0"}, log_path=log, timeout=90) as (base, _proc):
        yield base


def test_progress_page_in_both_languages(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1800}, device_scale_factor=1)
        try:
            page.goto(f"{server}/progress?metros=shanghai,chengdu")
            settle(page)
            assert_no_errors(page, "progress zh")
            assert page.get_by_text("建设进程：上海大都市圈").count() > 0
            assert page.locator('[data-testid="stPlotlyChart"]').count() >= 1
            assert page.locator(".js-plotly-plot .main-svg").count() > 0
            page.screenshot(path=str(ARTIFACTS / "progress_zh.png"), full_page=True)

            # the 十四五 plan: its targets with projection charts
            box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').nth(1)
            box.locator("input").click()
            page.keyboard.type("十四五")
            page.keyboard.press("Enter")
            settle(page)
            assert_no_errors(page, "progress zh 十四五")
            assert page.get_by_text("中心城市与全域人均GDP之比：上海大都市圈走势与目标").count() > 0
            page.screenshot(path=str(ARTIFACTS / "progress_zh_fyp.png"), full_page=True)
            # the page scrolls inside Streamlit's main block: shoot the projection chart and the ledger themselves
            chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)
            chart.scroll_into_view_if_needed()
            page.wait_for_timeout(800)
            chart.screenshot(path=str(ARTIFACTS / "progress_zh_projection.png"))
            ledger = page.get_by_text("任务台账", exact=True).first
            ledger.scroll_into_view_if_needed()
            page.wait_for_timeout(800)
            page.screenshot(path=str(ARTIFACTS / "progress_zh_ledger.png"))

            page.goto(f"{server}/progress?lang=en&metros=chengdu,shanghai")
            settle(page)
            assert_no_errors(page, "progress en")
            assert page.get_by_text("Implementation progress: Chengdu").count() > 0
            assert page.get_by_text("建设进程").count() == 0
            page.screenshot(path=str(ARTIFACTS / "progress_en.png"), full_page=True)
        finally:
            browser.close()
