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
from indicators.metro_panel import COLUMNS, metro_indicator_panel

FIXTURE = Path(__file__).parent / "fixtures" / "metro_panel_default_2010_2023.csv"
KEY = ["indicator", "metro_id", "year"]


def _regenerate(db_path) -> None:   # pragma: no cover - run by hand
    con = duckdb.connect(str(db_path), read_only=True)
    cat = load_catalog()
    p = metro_indicator_panel(con, list(cat.indicators), 2010, 2023, cat).sort_values(KEY)
    p.to_csv(FIXTURE, index=False, float_format="%.17g")


def _load_fixture() -> pd.DataFrame:
    return pd.read_csv(FIXTURE, dtype={"metro_id": str, "indicator": str, "quality": str, "source_ids": str},
                       keep_default_na=False, na_values={"value": [""]})


@pytest.fixture(scope="module")
def panel(default_db) -> pd.DataFrame:
    con = duckdb.connect(str(default_db), read_only=True)
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
    np.testing.assert_allclose(got["value"].to_numpy(float), ref["value"].to_numpy(float), rtol=1e-12, atol=0)


def test_subset_request_is_a_slice_of_the_full_panel(panel, default_db):
    con = duckdb.connect(str(default_db), read_only=True)
    try:
        ids = ["rail_minutes_to_core_mean", "gdp_pc_theil", "pm25_worst_member"]
        sub = metro_indicator_panel(con, ids, 2015, 2020)
    finally:
        con.close()
    full = panel[panel["indicator"].isin(ids) & panel["year"].between(2015, 2020)]
    a = sub.sort_values(KEY).reset_index(drop=True)
    b = full.sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
