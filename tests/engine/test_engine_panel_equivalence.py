"""The vectorised metro panel gives exactly the values the per-metro implementation gave.

``fixtures/metro_panel_default_2010_2023.csv`` is ``metro_indicator_panel`` for every catalog indicator,
2010–2023, on the default database, saved from the per-metro/per-year implementation (before the
engine was vectorised). If the shipped data change on purpose, regenerate it with the snippet in
``_regenerate`` and review the diff.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from indicators.catalog import load_catalog
from indicators.engine.panel import COLUMNS, metro_indicator_panel
from indicators.store.db import connect as store_connect

FIXTURE = Path(__file__).parent / "fixtures" / "metro_panel_default_2010_2023.csv"
KEY = ["indicator", "metro_id", "year"]


def _regenerate(db_path) -> None:   # pragma: no cover - run by hand
    con = store_connect(db_path, read_only=True)
    cat = load_catalog()
    p = metro_indicator_panel(con, list(cat.indicators), 2010, 2023, cat).sort_values(KEY)
    p.to_csv(FIXTURE, index=False, float_format="%.17g")


def _load_fixture() -> pd.DataFrame:
    return pd.read_csv(FIXTURE, dtype={"metro_id": str, "indicator": str, "quality": str, "source_ids": str},
                       keep_default_na=False, na_values={"value": [""]})


@pytest.fixture(scope="module")
def panel(default_db) -> pd.DataFrame:
    con = store_connect(default_db, read_only=True)
    try:
        cat = load_catalog()
        return metro_indicator_panel(con, list(cat.indicators), 2010, 2023, cat)
    finally:
        con.close()


def test_full_panel_equals_the_saved_reference(panel):
    ref = _load_fixture().sort_values(KEY).reset_index(drop=True)
    got = panel.sort_values(KEY).reset_index(drop=True)
    assert list(panel.columns) == COLUMNS
    assert not panel.duplicated(KEY).any()
    assert len(got) == len(ref)
    for c in ["indicator", "metro_id", "quality", "source_ids"]:
        assert got[c].astype(str).tolist() == ref[c].astype(str).tolist(), c
    for c in ["year", "members_used", "members_total"]:
        assert got[c].astype(int).tolist() == ref[c].astype(int).tolist(), c
    # atol: a mean of correlations can sit near 0 (gdp_growth_comovement, 广州 2019: 6.75e-05), where the last bit
    # of a float is a relative 1e-11; everything else is held to rtol 1e-12
    np.testing.assert_allclose(got["value"].to_numpy(float), ref["value"].to_numpy(float), rtol=1e-12, atol=1e-14)


def test_subset_request_is_a_slice_of_the_full_panel(panel, default_db):
    con = store_connect(default_db, read_only=True)
    try:
        ids = ["rail_minutes_to_core_mean", "gdp_pc_theil", "pm25_worst_member"]
        sub = metro_indicator_panel(con, ids, 2015, 2020)
    finally:
        con.close()
    full = panel[panel["indicator"].isin(ids) & panel["year"].between(2015, 2020)]
    a = sub.sort_values(KEY).reset_index(drop=True)
    b = full.sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


# ---------------------------------------------------------------- all metros at once, by hand

@pytest.fixture
def members() -> pd.DataFrame:
    # metro a: core A, member B, member C until 2015; metro b: core D and B (shared); metro n: no core
    rows = [("a", "A", "core", 2000, 2100), ("a", "B", "member", 2000, 2100), ("a", "C", "member", 2000, 2015),
            ("b", "D", "core", 2000, 2100), ("b", "B", "member", 2000, 2100),
            ("n", "E", "member", 2000, 2100), ("n", "F", "member", 2000, 2100)]
    return pd.DataFrame(rows, columns=["metro_id", "code", "role", "valid_from", "valid_to"])


@pytest.fixture
def flows() -> pd.DataFrame:
    rows = [("A", "A", 2010, 0.0, "official", "s1"), ("A", "C", 2010, 70.0, "official", "s1"),
            ("A", "C", 2020, 70.0, "official", "s1"), ("B", "A", 2010, 40.0, "modelled", "s2"),
            ("B", "A", 2020, 50.0, "official", "s1"), ("B", "D", 2010, 30.0, "official", "s1"),
            ("C", "A", 2010, 65.0, "official", "s3"), ("D", "B", 2020, 90.0, "official", "s1"),
            ("E", "F", 2010, 10.0, "estimate", "s4"), ("X", "A", 2010, 5.0, "official", "s1")]
    return pd.DataFrame(rows, columns=["origin_code", "dest_code", "year", "value", "quality", "source_id"])


def _by_key(frame: pd.DataFrame) -> dict:
    return {(r.metro_id, int(r.year)): r for r in frame.itertuples()}


def test_flow_panel_by_hand(members, flows):
    from indicators.engine.panel import flow_panel

    years = [2010, 2020]
    m = _by_key(flow_panel("minutes_to_core_mean", flows, members, years, "t"))
    # a 2010: B 40, C min(70, 65) = 65 → 52.5; a 2020: C has left, B 50; b: B↔D 30 / 90; n has no core
    assert set(m) == {("a", 2010), ("a", 2020), ("b", 2010), ("b", 2020)}
    assert m[("a", 2010)].value == pytest.approx(52.5) and m[("a", 2020)].value == 50.0
    assert m[("b", 2010)].value == 30.0 and m[("b", 2020)].value == 90.0
    # provenance: every flow read between members that year (the self-flow A→A too), quality worst last
    assert m[("a", 2010)].quality == "official,modelled" and m[("a", 2010)].source_ids == "s1,s2,s3"
    assert (m[("a", 2010)].members_used, m[("a", 2010)].members_total) == (3, 3)
    assert (m[("a", 2020)].members_used, m[("a", 2020)].members_total) == (2, 2)
    assert m[("a", 2020)].source_ids == "s1"
    s = _by_key(flow_panel("share_within_minutes", flows, members, years, "t", minutes=60.0))
    assert s[("a", 2010)].value == 50.0 and s[("a", 2020)].value == 100.0
    assert s[("b", 2010)].value == 100.0 and s[("b", 2020)].value == 0.0
    i = _by_key(flow_panel("internal_flow_share", flows, members, years, "t"))
    # a 2010 by origin: A 70 (A→A is not a flow between two members), B 40, C 65 → 175 / 3; n: E 10
    assert i[("a", 2010)].value == pytest.approx(175 / 3) and i[("n", 2010)].value == 10.0
    assert i[("n", 2010)].quality == "estimate" and (i[("n", 2010)].members_used, i[("n", 2010)].members_total) == (2, 2)


def test_flow_panel_matches_the_one_metro_rules(members, flows):
    from indicators.engine.flows import flow_indicator
    from indicators.engine.panel import flow_panel

    years = [2010, 2020]
    for rule in ["core_bound_share", "internal_flow_share", "gravity_mean", "minutes_to_core_mean", "share_within_minutes"]:
        panel = _by_key(flow_panel(rule, flows, members, years, "t"))
        expected = {}
        for metro_id, mem in members.groupby("metro_id"):
            for y in years:
                valid = mem[(mem["valid_from"] <= y) & (mem["valid_to"] >= y)]
                v = flow_indicator(rule, flows[flows["year"] == y], valid)
                if len(v) and np.isfinite(v.loc[y]):
                    expected[(metro_id, y)] = float(v.loc[y])
        assert {k: r.value for k, r in panel.items()} == pytest.approx(expected), rule


def test_cache_is_invalidated_by_a_write(db_copy):
    from indicators.engine.panel import clear_panel_cache

    clear_panel_cache()
    con = duckdb.connect(str(db_copy))
    try:
        before = metro_indicator_panel(con, ["gdp"], 2020, 2020)
        row = before.iloc[0]
        # a raw write that does not bump the data version: the content hash still changes the key
        con.execute("UPDATE observation SET value = value + 1000 WHERE indicator = ? AND year = ? AND code IN "
                    "(SELECT code FROM metro_member WHERE metro_id = ? AND role = ?)",
                    ["gdp", 2020, row["metro_id"], "core"])
        after = metro_indicator_panel(con, ["gdp"], 2020, 2020)
        new = after[after["metro_id"] == row["metro_id"]]["value"].iloc[0]
        assert new == pytest.approx(row["value"] + 1000.0)
        assert metro_indicator_panel(con, ["gdp"], 2020, 2020, use_cache=False).equals(after)
    finally:
        con.close()
        clear_panel_cache()
