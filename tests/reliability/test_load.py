"""Bounded load test (loopback only): 20 concurrent sessions read pages while an import commits through
the Data page's real upload (a Chromium session, Playwright ``set_input_files``) in the same server process.

The 20 reader sessions speak Streamlit's own protocol over the WebSocket (``/_stcore/stream``, protobuf
BackMsg/ForwardMsg: what the browser's JavaScript does, minus the drawing), so 20 of them fit on 2 cores;
each reruns the Data page and other pages in a loop until it has seen the data after the import.

Asserts: no exception element and no error alert in any run; every Data page run shows the observation
count from before or after the import, never between, paired with the matching data version; the two
counts on one Data page (status line and table caption: two different cached reads) agree. Prints
latency figures.
"""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import time
from pathlib import Path

import pytest

from .synthetic_import import synthetic_csv
from indicators.cli.app_server import CHROMIUM
from indicators.cli.app_server import CHROMIUM_ARGS as LAUNCH_ARGS
from indicators.cli.app_server import serve_app
from indicators.store.db import connect as store_connect

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = 20
IMPORT_ROWS = 20_000
OTHER_PAGES = ("methodology", "flows")
DEADLINE_S = 170          # the whole concurrent part; the test fails rather than run longer
STATUS = re.compile(r"数据版本 (\d+) · 观测值 ([\d,]+)")
TABLE_ROWS = re.compile(r"共 (\d+) 行")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def load_server(default_db, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    pytest.importorskip("playwright.async_api")
    work = tmp_path_factory.mktemp("load")
    db = work / "load.duckdb"
    shutil.copy(default_db, db)
    con = store_connect(db, read_only=True)
    try:
        before = con.execute("SELECT count(*) FROM observation").fetchone()[0]
        upload = work / "reliability_load.csv"
        upload.write_bytes(synthetic_csv(con, IMPORT_ROWS))
    finally:
        con.close()
    log_path = work / "streamlit.log"
    with serve_app(db, env={"TONGCHENG_READ_ONLY": ""}, log_path=log_path, timeout=90) as (base, _proc):
        yield {"base": base, "before": before, "upload": upload, "log": log_path}


async def _settle(page, deadline: float) -> None:
    """The script run is over: the app root reports notRunning and no status widget is left, twice 0.5 s
    apart (a rerun can start right after a run). Waits on DOM events, no tight polling of 20 pages."""
    done = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    while time.monotonic() < deadline:
        left = max(1.0, deadline - time.monotonic()) * 1000
        await page.wait_for_selector(done, timeout=left)
        await page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=left)
        await asyncio.sleep(0.5)
        if (await page.locator(done).count() == 1
                and await page.locator('[data-testid="stStatusWidget"]').count() == 0):
            return
    raise AssertionError("page did not settle before the deadline")


async def _page_exceptions(page) -> list[str]:
    loc = page.locator('[data-testid="stException"]')
    return [await loc.nth(i).inner_text() for i in range(await loc.count())]


async def _load(page, url: str, deadline: float, data_page: bool) -> dict:
    t0 = time.monotonic()
    await page.goto(url, wait_until="domcontentloaded")
    if data_page:
        await page.get_by_text(STATUS).first.wait_for(timeout=max(1.0, deadline - time.monotonic()) * 1000)
    else:
        await page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=max(1.0, deadline - time.monotonic()) * 1000)
    await _settle(page, deadline)
    out = {"url": url, "seconds": time.monotonic() - t0, "start": t0, "exceptions": await _page_exceptions(page)}
    if data_page:
        status = STATUS.search(await page.get_by_text(STATUS).first.inner_text())
        rows = TABLE_ROWS.search(await page.get_by_text(TABLE_ROWS).first.inner_text())
        out.update(version=int(status.group(1)), count=int(status.group(2).replace(",", "")),
                   table_rows=int(rows.group(1)))
    return out


async def _new_page(context):
    page = await context.new_page()
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(120_000)
    return page


async def _script_run(ws, page_name: str, deadline: float) -> dict:
    """Ask the session to run ``page_name``; collect the elements of the run that finishes successfully
    (a run cut short by st.rerun is followed by a new one: only the last counts)."""
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.page_name = page_name
    t0 = time.monotonic()
    await ws.send(msg.SerializeToString())
    texts: list[str] = []
    problems: list[str] = []
    reruns = 0
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=max(1.0, deadline - time.monotonic()))
        fm = ForwardMsg()
        fm.ParseFromString(raw)
        kind = fm.WhichOneof("type")
        if kind == "new_session":
            texts, problems = [], []
        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            what = el.WhichOneof("type")
            if what == "markdown":
                texts.append(el.markdown.body)
            elif what == "exception":
                problems.append(f"exception {el.exception.type}: {el.exception.message[:300]}")
            elif what == "alert" and el.alert.format == Alert.ERROR:
                problems.append(f"error alert: {el.alert.body[:300]}")
        elif kind == "script_finished":
            if fm.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                break
            if fm.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                problems.append("compile error")
                break
            reruns += 1
    out = {"page": page_name, "start": t0, "seconds": time.monotonic() - t0, "problems": problems, "reruns": reruns}
    if page_name == "data":
        status = [m for m in map(STATUS.search, texts) if m]
        rows = [m for m in map(TABLE_ROWS.search, texts) if m]
        assert status and rows, f"Data page without its status line or table caption: {texts[:8]}"
        out.update(version=int(status[0].group(1)), count=int(status[0].group(2).replace(",", "")),
                   table_rows=int(rows[0].group(1)))
    return out


async def _ws_reader(base: str, n: int, state: dict, loads: list, deadline: float) -> None:
    """One session: Data page, another page, Data page, ... until a Data page run that began after the
    import committed."""
    import websockets

    await asyncio.sleep(0.1 * n)          # sessions arrive over 2 s, then all overlap
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=2 ** 27, open_timeout=60,
                                  ping_interval=None) as ws:
        rounds = 0
        while time.monotonic() < deadline:
            page = "data" if rounds % 2 == 0 else OTHER_PAGES[(n + rounds // 2) % len(OTHER_PAGES)]
            result = await _script_run(ws, page, deadline)
            result["session"] = n
            loads.append(result)
            rounds += 1
            if page == "data":
                state["ready"].add(n)
            if os.environ.get("TONGCHENG_LOAD_VERBOSE"):
                print(f"{time.monotonic() - state['t0']:6.1f}s session {n:2d} {page:12s} {result['seconds']:5.1f}s "
                      f"v={result.get('version')} n={result.get('count')}", flush=True)
            committed = state.get("committed_at")
            if page == "data" and committed is not None and result["start"] > committed:
                return
    raise AssertionError(f"session {n} never saw the data after the import")


async def _importer(context, base: str, upload: Path, state: dict, deadline: float) -> None:
    page = await _new_page(context)
    await page.goto(f"{base}/data", wait_until="domcontentloaded")
    await page.get_by_text(STATUS).first.wait_for()
    await _settle(page, deadline)
    while len(state["ready"]) < SESSIONS and time.monotonic() < deadline:   # every reader saw "before"
        await asyncio.sleep(0.2)
    await page.get_by_role("tab", name="导入数据").click()
    t0 = time.monotonic()
    await page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    button = page.get_by_role("button", name="确认导入")
    await button.wait_for(timeout=60_000)
    while await button.is_disabled():
        assert time.monotonic() < deadline, "the dry run never enabled the commit button"
        await asyncio.sleep(0.2)
    state["planned_s"] = time.monotonic() - t0
    t1 = time.monotonic()
    state["commit_clicked_at"] = t1
    await button.click()
    await page.get_by_text("导入完成").first.wait_for(timeout=90_000)
    state["committed_at"] = time.monotonic()
    state["commit_s"] = state["committed_at"] - t1
    await _settle(page, deadline)
    state["importer_exceptions"] = await _page_exceptions(page)
    status = STATUS.search(await page.get_by_text(STATUS).first.inner_text())
    state["browser_after"] = (int(status.group(1)), int(status.group(2).replace(",", "")))


async def _run(server: dict) -> tuple[list, dict, float]:
    from playwright.async_api import async_playwright

    state: dict = {"ready": set()}
    loads: list = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        try:
            context = await browser.new_context(viewport={"width": 1200, "height": 900})
            deadline = time.monotonic() + DEADLINE_S
            t0 = state["t0"] = time.monotonic()
            await asyncio.gather(
                _importer(context, server["base"], server["upload"], state, deadline),
                *[_ws_reader(server["base"], i, state, loads, deadline) for i in range(SESSIONS)])
            elapsed = time.monotonic() - t0
        finally:
            await browser.close()
    return loads, state, elapsed


def _figures(values: list[float]) -> str:
    values = sorted(values)
    if not values:
        return "none"
    return (f"median {statistics.median(values):.2f} s, p90 {values[int(0.9 * (len(values) - 1))]:.2f} s, "
            f"max {values[-1]:.2f} s")


def test_twenty_sessions_read_while_an_import_commits(load_server):
    loads, state, elapsed = asyncio.run(_run(load_server))
    before, after = load_server["before"], load_server["before"] + IMPORT_ROWS
    broken = [(r["page"], r["problems"][0]) for r in loads if r["problems"]]
    assert not broken and not state["importer_exceptions"], (broken[:3], state["importer_exceptions"][:1])
    data = [r for r in loads if r["page"] == "data"]
    pairs = {(r["version"], r["count"]) for r in data}
    assert pairs <= {(0, before), (1, after)}, pairs                       # never between, never mismatched
    assert (0, before) in pairs and (1, after) in pairs
    assert all(r["count"] == r["table_rows"] for r in data)               # two reads on one page, one version
    assert state["browser_after"] == (1, after)                            # the importer's own page, redrawn
    during = [r for r in loads if r["start"] < state["committed_at"] and r["start"] + r["seconds"] > state["commit_clicked_at"]]
    print(f"\nload test: {SESSIONS} WebSocket sessions + 1 Chromium importer, {len(loads)} script runs "
          f"({len(data)} Data page) in {elapsed:.1f} s; Data page run {_figures([r['seconds'] for r in data])}; "
          f"other pages {_figures([r['seconds'] for r in loads if r['page'] != 'data'])}; "
          f"import of {IMPORT_ROWS:,} rows via upload: dry run {state['planned_s']:.1f} s, commit {state['commit_s']:.1f} s, "
          f"{len(during)} runs overlapped the commit, {sum(r['reruns'] for r in loads)} version reruns; "
          f"(version, observations) seen {sorted(pairs)}")
