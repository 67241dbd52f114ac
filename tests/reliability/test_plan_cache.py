"""The Data page's dry run is not repeated on reruns (issue 15, failure 3): the upload used to be re-planned on
every rerun (each widget change, each data-version rerun). Now the plan is cached in the session by
(file digest, options, data version)."""
from __future__ import annotations

from indicators.ui import loaders

SCRIPT = '''
import streamlit as st
from indicators.ui import data_import

calls = st.session_state.setdefault("calls", [])

def counting_plan(data, name, con, opts):
    calls.append(name)
    return f"plan of {name}"

data = st.session_state.get("data", b"region,year\\n")
opts = {"quality": st.session_state.get("quality", "official")}
plan, cached = data_import._plan_cached(counting_plan, data, "upload.csv", opts)
st.write(f"calls={len(calls)} cached={cached}")
'''


def test_the_dry_run_is_cached_by_digest_options_and_version(monkeypatch):
    from streamlit.testing.v1 import AppTest

    version = {"v": 3}
    monkeypatch.setattr(loaders, "run_data_version", lambda: version["v"])
    monkeypatch.setattr(loaders, "connection", lambda: None)
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.run()
    assert at.markdown[0].value == "calls=1 cached=False"
    for _ in range(3):                                   # reruns: no new parse
        at.run()
        assert at.markdown[0].value == "calls=1 cached=True"
    at.session_state["quality"] = "estimate"             # another option: planned again
    at.run()
    assert at.markdown[0].value == "calls=2 cached=False"
    version["v"] = 4                                     # another session imported: the diff may differ
    at.run()
    assert at.markdown[0].value == "calls=3 cached=False"
    at.session_state["data"] = b"other file\n"           # another file
    at.run()
    assert at.markdown[0].value == "calls=4 cached=False"
    at.run()
    assert at.markdown[0].value == "calls=4 cached=True"
