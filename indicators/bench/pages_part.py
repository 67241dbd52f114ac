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
from indicators.ui.headless import measure_page

PAGE_CHANGE_TARGET_MS = 300.0


def page_files(only: tuple[str, ...] | None) -> list[str]:
    files = ["app.py"] + sorted(str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "pages").glob("*.py"))
    files = [f for f in files if (PROJECT_ROOT / f).exists()]
    return [f for f in files if only is None or f in only]


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
