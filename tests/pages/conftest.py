"""AppTest helpers: every page runs against the session's default database."""
from __future__ import annotations

import base64
import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 90


@pytest.fixture(scope="session")
def app_db(default_db):
    """Point the dashboard at the default database for the whole session."""
    old = os.environ.get("TONGCHENG_DB")
    os.environ["TONGCHENG_DB"] = str(default_db)
    os.environ["TONGCHENG_WARM_UP"] = "0"      # no background framework preparation inside the test process
    yield default_db
    if old is None:
        os.environ.pop("TONGCHENG_DB", None)
    else:
        os.environ["TONGCHENG_DB"] = old


def open_page(page: str | None = None, query: dict | None = None):
    """An AppTest of ``page`` (a path under pages/, or None for the home page), already run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def assert_clean(at) -> None:
    """No exception element and no error alert on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def charts(at) -> dict:
    """Plotly figures on the page by their key: {key: figure dict}."""
    import json

    out = {}
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        key = el.proto.id.split("-")[-1] if el.proto.id else str(len(out))
        out[key] = spec
    return out


def chart_titles(at) -> list[str]:
    return [c.get("layout", {}).get("title", {}).get("text", "") for c in charts(at).values()]


def decode(values):
    """Plotly 7 sends number arrays as {"dtype", "bdata"} (base64)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).tolist()
    return list(values or [])
