"""Figures are built once per distinct input (indicators.ui.figure_cache) and the map embeds its GeoJSON once."""
from __future__ import annotations

import pandas as pd

from indicators.viz.theme import METRO_COLORS


def _dims(score: float) -> pd.DataFrame:
    return pd.DataFrame({"metro_id": ["chengdu", "chengdu"], "name": ["成都", "成都"], "dimension": ["甲", "乙"],
                         "score": [score, 50.0]})


def test_same_inputs_reuse_the_figure_and_new_inputs_rebuild_it(monkeypatch):
    from indicators.ui import figure_cache, loaders
    from indicators.viz.dimensions import radar

    monkeypatch.setattr(loaders, "run_data_version", lambda: 1)
    kw = dict(title="t", subtitle="s", source="来源：x", lang="zh")
    a = figure_cache.cached_figure(radar, _dims(40.0), **kw)
    b = figure_cache.cached_figure(radar, _dims(40.0), **kw)
    c = figure_cache.cached_figure(radar, _dims(41.0), **kw)
    assert a is b and c is not a
    assert list(c.data[0].r)[:1] == [41.0]
    assert a.to_plotly_json() == radar(_dims(40.0), **kw).to_plotly_json()   # the same figure as uncached


def test_the_shipped_geojson_is_swapped_for_a_token_in_the_key(monkeypatch):
    from indicators.ui import figure_cache, loaders

    gj = {"type": "FeatureCollection", "features": []}
    monkeypatch.setattr(loaders, "prefecture_geojson", lambda: gj)
    token = figure_cache._swap_out(gj, gj)
    assert isinstance(token, figure_cache._GeojsonToken) and figure_cache._swap_in(token) is gj
    assert figure_cache._swap_out({"other": 1}, gj) == {"other": 1}


def test_outlines_of_several_metros_are_one_trace_with_the_geojson_once():
    from indicators.viz.maps import choropleth

    square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    codes = ["510100", "510600", "420100", "420200"]
    gj = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c}, "geometry": square} for c in codes + ["310100"]]}
    df = pd.DataFrame({"code": codes, "name": codes, "value": [1.0, 2.0, 3.0, 4.0], "quality": ["official"] * 4})
    fig = choropleth(df, gj, title="t", subtitle="s", source="来源：x", lang="zh", unit="元",
                     outlines={"chengdu": codes[:2], "wuhan": codes[2:]})
    assert len(fig.data) == 2
    outline = fig.data[1]
    assert list(outline.locations) == codes
    assert list(outline.marker.line.color) == [METRO_COLORS["chengdu"]] * 2 + [METRO_COLORS["wuhan"]] * 2
    assert {f["properties"]["code"] for f in outline.geojson["features"]} == set(codes)


def test_national_maps_use_coarse_closed_rings_and_member_maps_keep_every_point():
    from indicators.viz.maps import COARSE_ABOVE, choropleth, coarse_geojson

    ring = [[100.0 + 0.001 * i, 30.0] for i in range(200)] + [[100.2, 31.0], [100.0, 31.0], [100.0, 30.0]]
    feats = [{"type": "Feature", "properties": {"code": f"{510100 + i * 100}"},
              "geometry": {"type": "Polygon", "coordinates": [ring]}} for i in range(COARSE_ABOVE + 5)]
    gj = {"type": "FeatureCollection", "features": feats}
    coarse = coarse_geojson(gj)["features"][0]["geometry"]["coordinates"][0]
    assert len(coarse) < len(ring) / 4 and coarse[0] == coarse[-1] == [100.0, 30.0]
    codes = [f["properties"]["code"] for f in feats]
    df = pd.DataFrame({"code": codes, "name": codes, "value": range(len(codes)), "quality": ["official"] * len(codes)})
    big = choropleth(df, gj, title="t", subtitle="s", source="来源：x", lang="zh", unit="元")
    assert len(big.data[0].geojson["features"][0]["geometry"]["coordinates"][0]) == len(coarse)
    small = choropleth(df.head(3), gj, title="t", subtitle="s", source="来源：x", lang="zh", unit="元")
    assert small.data[0].geojson["features"][0]["geometry"]["coordinates"][0] == ring
