"""Page timings with Streamlit's AppTest (in process, against the built default database).

For each page file (``app.py``, ``pages/*.py``): a fresh session opens the home page (untimed unless
the page *is* the home page), then the page's first render is timed (``switch_page(...).run()``), then
one sidebar widget change (year select ``sb_year``; else the metro multiselect ``sb_metros``). Each is
the median over fresh sessions; the figure is the slowest page. The very first render of the process
(cold imports and caches) is reported separately as ``page_cold_render_ms``.
"""
from __future__ import annotations

import logging
import os
import statistics
import time
from pathlib import Path

from indicators.bench.context import BenchContext
from indicators.bench.figures import Figure, with_target
from indicators.paths import PROJECT_ROOT

PAGE_CHANGE_TARGET_MS = 300.0
TIMEOUT_S = 120


def page_files(only: tuple[str, ...] | None) -> list[str]:
    files = ["app.py"] + sorted(str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "pages").glob("*.py"))
    files = [f for f in files if (PROJECT_ROOT / f).exists()]
    return [f for f in files if only is None or f in only]


def _change_widget(at) -> str | None:
    """Change one sidebar widget; returns its key (None when the page has none of them)."""
    for sb in at.selectbox:
        if sb.key == "sb_year" and len(sb.options) > 1:
            current = sb.value
            other = next(o for o in sb.options if str(o) != str(current))
            sb.select(other)
            return "sb_year"
    for ms in at.multiselect:
        if ms.key == "sb_metros" and len(ms.options) > 1:
            value = list(ms.value)
            extra = next((o for o in ms.options if o not in value), None)
            ms.set_value(value + [extra] if extra is not None else value[:-1])
            return "sb_metros"
    return None


def _errors(at) -> str | None:
    if at.exception:
        return str(at.exception[0].value).splitlines()[0][:160]
    return None


def measure_page(page: str) -> tuple[float, float | None, str | None, float, float | None]:
    """(first render s, widget change s or None, error, first CPU s, change CPU s) for one fresh session."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    if page != "app.py":
        at.run()
        at.switch_page(page)
    c0, t0 = time.process_time(), time.perf_counter()
    at.run()
    first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
    err = _errors(at)
    if err:
        return first, None, err, first_cpu, None
    if _change_widget(at) is None:
        return first, None, "no sidebar widget to change", first_cpu, None
    c0, t0 = time.process_time(), time.perf_counter()
    at.run()
    change, change_cpu = time.perf_counter() - t0, time.process_time() - c0
    return first, change, _errors(at), first_cpu, change_cpu


def run(ctx: BenchContext) -> list[Figure]:
    os.environ["TONGCHENG_DB"] = str(ctx.default_db)
    for name in ("streamlit", "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)   # AppTest's bare-mode warnings are noise here
    pages = page_files(ctx.sizes.pages)
    t0 = time.perf_counter()
    measure_page(pages[0])
    cold = time.perf_counter() - t0
    firsts: dict[str, float] = {}
    changes: dict[str, float] = {}
    first_cpu: dict[str, float] = {}
    change_cpu: dict[str, float] = {}
    problems: dict[str, str] = {}
    for page in pages:
        f_times, c_times, f_cpu, c_cpu = [], [], [], []
        for _ in range(ctx.sizes.page_runs):
            first, change, err, fc, cc = measure_page(page)
            f_times.append(first)
            f_cpu.append(fc)
            if change is not None:
                c_times.append(change)
                c_cpu.append(cc)
            if err:
                problems[page] = err
        firsts[page] = statistics.median(f_times)
        first_cpu[page] = statistics.median(f_cpu)
        if c_times:
            changes[page] = statistics.median(c_times)
            change_cpu[page] = statistics.median(c_cpu)
    worst_first = max(firsts, key=firsts.get)
    figures = [Figure("page_cold_render_ms", cold * 1000, "ms", f"first session of the process ({pages[0]})")]
    for page in pages:
        name = Path(page).stem
        figures.append(Figure(f"page_first_render_ms[{name}]", firsts[page] * 1000, "ms"))
        if page in changes:
            figures.append(Figure(f"page_change_ms[{name}]", changes[page] * 1000, "ms"))
    figures.append(Figure("page_first_render_ms_max", firsts[worst_first] * 1000, "ms", f"slowest: {worst_first}",
                          cpu=max(first_cpu.values()) * 1000))
    if changes:
        worst = max(changes, key=changes.get)
        figures.append(with_target("page_change_ms_max", changes[worst] * 1000, "ms", PAGE_CHANGE_TARGET_MS,
                                   f"slowest: {worst}", max(change_cpu.values()) * 1000))
    else:
        figures.append(Figure("page_change_ms_max", None, "ms", "no page had a sidebar widget to change"))
    for page, err in problems.items():
        figures.append(Figure(f"page_problem[{Path(page).stem}]", None, "", err))
    return figures
