"""The issue-12 flow tables and published references re-derive identically from ../shared and hold what they say:
timetable minutes c.2007 and their cut to c.2017, Tencent 迁徙 2017-10-19 shares, the 对标 reference tables."""
from __future__ import annotations

import pandas as pd
import pytest

from indicators.paths import DATA_DIR
from indicators.store.derive import flows, published
from indicators.store.derive.common import DEFAULT_SHARED, read_data

pytestmark = pytest.mark.skipif(not (DEFAULT_SHARED / "reference").is_dir(), reason="needs ../shared/data")


def _shipped(name: str) -> pd.DataFrame:
    return read_data(name)


def _same(derived: pd.DataFrame, name: str, data_dir=DATA_DIR):
    shipped = pd.read_csv(data_dir / f"{name}.csv", dtype={"origin_code": str, "dest_code": str, "metro_id": str})
    d = derived.reset_index(drop=True)
    d = pd.read_csv(pd.io.common.StringIO(d.to_csv(index=False)), dtype={"origin_code": str, "dest_code": str,
                                                                         "metro_id": str})
    pd.testing.assert_frame_equal(d, shipped, check_dtype=False)


def test_rail_2007_and_cut_rederive_identically_and_agree():
    members, metros = read_data("metro_member"), read_data("metro")
    region, alias = read_data("region"), read_data("region_alias", keep_default_na=False)
    minutes07, cuts = flows.rail_minutes_2007(DEFAULT_SHARED, members, metros, region, alias)
    _same(minutes07, "flow_rail_minutes_2007")
    _same(cuts, "flow_rail_cut")
    m17 = _shipped("flow_rail_minutes").set_index(["origin_code", "dest_code"])["value"]
    m07 = minutes07.set_index(["origin_code", "dest_code"])["value"]
    for r in cuts.itertuples():
        t07, t17 = m07[(r.origin_code, r.dest_code)], m17[(r.origin_code, r.dest_code)]
        assert r.value == pytest.approx(100 * (t07 - t17) / t07, abs=0.06)
    assert cuts["note"].str.contains("c.2007").all() and (cuts["year"] == 2017).all()
    # times the sources flag as impossible keep their CHECK note (excluded by default downstream)
    assert cuts["note"].str.contains("CHECK:").any()


def test_tencent_shares_rederive_identically_and_are_shares():
    members, region = read_data("metro_member"), read_data("region")
    t = flows.tencent_shares(DEFAULT_SHARED, members, region)
    _same(t, "flow_tencent")
    assert t["value"].between(0, 100).all()
    assert (t.groupby("origin_code")["value"].sum() <= 100.0001).all()
    assert (t["period"] == "2017-10-19").all() and (t["kind"] == "tencent_trip_share").all()
    # 德阳 -> 成都 is among 德阳's listed trips that day
    assert ((t["origin_code"] == "510600") & (t["dest_code"] == "510100")).any()


def test_published_references_rederive_identically(tmp_path):
    metros = read_data("metro")
    tiers, ranks = published.tsinghua(DEFAULT_SHARED, metros)
    _same(tiers, "tsinghua_2023_tiers", DATA_DIR / "published")
    _same(ranks, "tsinghua_2023_ranks", DATA_DIR / "published")
    assert list(tiers["tier"].str[0]) == sorted(tiers["tier"].str[0])
    assert list(ranks["rank"]) == [1, 2, 3, 4, 5]
    nj = published.njnu(DEFAULT_SHARED, metros, read_data("metro_member"), read_data("region"), read_data("observation"))
    for edition, frame in nj.items():
        _same(frame, f"njnu_yrd_{edition}_metros", DATA_DIR / "published")
        assert (frame["members_scored"] == frame["members_total"]).all()
