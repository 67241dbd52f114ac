"""The dashboard driven headless in process (Streamlit's AppTest): open a page in a fresh session, time its
first render and one sidebar widget change. Used by the page benchmarks (``indicators.bench.pages_part``);
lives in ``ui`` because it is the only other code that touches Streamlit."""
from __future__ import annotations

import time

from indicators.paths import PROJECT_ROOT

TIMEOUT_S = 120


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
