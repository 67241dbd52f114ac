"""Real browser (issue 11): every page with 长株潭 and 深圳 selected, in the plan and the extended scope; the scope
switch in the sidebar changes the URL. Screenshots under test-artifacts/browser/scope_*.png for a human to look at."""
from __future__ import annotations

import pytest

from tests.browser.test_browser_pages import ARTIFACTS, PAGES, assert_no_errors, browser_page, server, settle  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]


def test_pages_with_changzhutan_and_shenzhen_in_both_scopes(server, browser_page):  # noqa: F811
    page = browser_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for scope in ("plan", "extended"):
        for slug in PAGES:
            page.goto(f"{server}/{slug}?metros=changzhutan,shenzhen&scope={scope}")
            settle(page)
            assert_no_errors(page, f"{slug or 'overview'} {scope}")
            assert f"scope={scope}" in page.url
            label = {"plan": "规划范围", "extended": "扩展范围"}[scope]
            if page.locator(".js-plotly-plot").count():
                assert page.get_by_text(label, exact=False).count() > 0, f"{slug}: no subtitle says {label}"
            page.screenshot(path=str(ARTIFACTS / f"scope_{scope}_{slug or 'overview'}.png"), full_page=True)
    # the sidebar switch: from the plan scope to the extended one
    page.goto(f"{server}/indicators?metros=chengdu,changzhutan&scope=plan")
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("扩展范围", exact=True).click()
    settle(page)
    assert_no_errors(page, "indicators after the scope switch")
    assert "scope=extended" in page.url
    page.screenshot(path=str(ARTIFACTS / "scope_switch_indicators_extended.png"), full_page=True)
