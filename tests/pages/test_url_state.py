"""Shareable state: every page's settings go into the URL and a fresh session opened on that URL restores them.

For each page: change its widgets (and the sidebar's) away from their defaults, read the URL the app wrote,
open a NEW AppTest session on that URL, and check that every widget came back with the same value.
"""
from __future__ import annotations

import pytest

from indicators.ui import url_state

from .conftest import assert_clean, open_page

pytestmark = pytest.mark.timeout(600)

# page file, {widget key: value different from its default}
CASES = {
    "app.py": {"ov_trend_scope": "all"},
    "pages/2_profile.py": {"prof_metro": "shanghai", "prof_map_indicator": "gdp", "prof_members_raw": True},
    "pages/3_compare.py": {},   # only the sidebar: its table has no code columns
    "pages/4_indicators.py": {"ind_indicator": "gdp", "ind_scope": "all", "ind_table_raw": True},
    "pages/5_flows.py": {"flow_metro": "shanghai", "flow_kind": "gravity_linkage"},
    "pages/6_targets.py": {"tgt_metro": "shanghai"},
    "pages/7_methodology.py": {"meth_weighting": "entropy", "meth_agg_chengdu_eight": "gmean",
                               "meth_missing_chengdu_eight": "own_trend", "meth_draws": 200},
    "pages/8_data.py": {"data_table": "region", "data_filter": "成都"},
    "pages/10_progress.py": {"prg_metro": "shanghai", "prg_weight": 0.8},
    "pages/9_brief.py": {"brief_metros": ["shanghai", "nanjing"], "brief_year": 2020, "brief_framework": "qigeyi",
                         "brief_formats": [".pdf"]},
}
SIDEBAR = {"sb_year": 2021, "sb_metros": ["chengdu", "shanghai", "nanjing"]}


def _run(at):
    at.run()
    assert_clean(at)
    return at


@pytest.mark.parametrize("page", list(CASES))
def test_page_settings_round_trip_through_the_url(app_db, page):
    at = open_page(None if page == "app.py" else page)
    assert_clean(at)
    changes = dict(SIDEBAR, **CASES[page])
    for key, value in SIDEBAR.items():
        at.session_state[key] = value
    _run(at)
    for key, value in CASES[page].items():
        at.session_state[key] = value
    _run(at)
    for key, value in changes.items():
        assert at.session_state[key] == value, f"{page}: {key} did not take {value!r}"
    query = {k: (v if isinstance(v, str) else ",".join(v)) for k, v in dict(at.query_params).items()}
    for key in CASES[page]:
        assert url_state.param_name(key) in query, f"{page}: {key} is not in the URL {query}"

    fresh = open_page(None if page == "app.py" else page, query=query)   # a colleague opens the link
    assert_clean(fresh)
    for key, value in changes.items():
        assert fresh.session_state[key] == value, f"{page}: {key} came back as {fresh.session_state[key]!r}, not {value!r}"


def test_method_weights_round_trip(app_db):
    at = open_page("pages/7_methodology.py")
    keys = [w.key for w in at.slider if w.key and w.key.startswith("meth_w_")]
    assert keys, "no dimension weight sliders"
    at.session_state[keys[0]] = 4.5
    _run(at)
    query = {k: (v if isinstance(v, str) else ",".join(v)) for k, v in dict(at.query_params).items()}
    assert query.get(keys[0]) == "4.5"
    fresh = open_page("pages/7_methodology.py", query=query)
    assert fresh.session_state[keys[0]] == 4.5


@pytest.mark.parametrize("text,kind,options,expected", [
    ("gdp", "str", ["gdp", "pop"], (True, "gdp")),
    ("nope", "str", ["gdp", "pop"], (False, None)),
    ("2020", "int", [2019, 2020], (True, 2020)),
    ("2020", "str", [2019, 2020], (True, 2020)),
    ("4.5", "float", None, (True, 4.5)),
    ("a,x,b", "list", ["a", "b"], (True, ["a", "b"])),
    ("1", "bool", None, (True, True)),
    ("yes", "bool", None, (False, False)),
    ("-", "str", [None, "qigeyi"], (True, None)),
    (None, "str", None, (False, None)),
])
def test_decode_checks_values_against_options(text, kind, options, expected):
    assert url_state.decode(text, kind, options) == expected
