"""Maps on the shipped prefecture boundaries (GeoJSON property ``code``): choropleth and flow map.

The base map is hidden (``visible=False``); the browser still asks for ``world_110m.json``, which the app
serves locally (``config={"topojsonURL": "/app/static/topojson/"}``).
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from indicators.i18n import t
from indicators.viz.hover import hover_line, is_marked
from indicators.viz.locale import value_ticks
from indicators.viz.national_frame import (NO_DATA_FILL, add_national_frame, fit_to, fitted_height, no_data_codes,
                                           schematic_source)
from indicators.viz.theme import NEUTRAL, apply_frame, empty_figure, metro_color


def subset_geojson(geojson: dict, codes) -> dict:
    """Only the features whose ``code`` is in ``codes`` (keeps charts small)."""
    wanted = {str(c) for c in codes}
    feats = [f for f in geojson.get("features", []) if str(f.get("properties", {}).get("code")) in wanted]
    return {"type": "FeatureCollection", "features": feats}


COARSE_ABOVE = 60        # maps with more cities than this (national / provincial views) use coarse outlines
COARSE_DECIMALS = 2      # 0.01° ≈ 1 km: below a pixel on a national map
_COARSE: dict[int, tuple[dict, dict]] = {}


COARSE_STEP = 0.06       # drop points closer than this (degrees, < 1 pixel on a national map) to the last kept


def _coarse_ring(ring: list, decimals: int) -> list:
    out: list = []
    for pt in ring:
        q = [round(pt[0], decimals), round(pt[1], decimals)]
        if not out or abs(out[-1][0] - q[0]) + abs(out[-1][1] - q[1]) >= COARSE_STEP:
            out.append(q)
    last = [round(ring[-1][0], decimals), round(ring[-1][1], decimals)] if ring else None
    if out and out[-1] != last:
        out.append(last)                      # keep the ring closed
    return out if len(out) >= 4 else ring     # a ring that collapses (a tiny island) keeps its points


def _coarse_geometry(geom: dict | None, decimals: int) -> dict | None:
    if not geom:
        return geom
    if geom.get("type") == "Polygon":
        return {"type": "Polygon", "coordinates": [_coarse_ring(r, decimals) for r in geom["coordinates"]]}
    if geom.get("type") == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[_coarse_ring(r, decimals) for r in poly] for poly in geom["coordinates"]]}
    return geom


def coarse_geojson(geojson: dict, decimals: int = COARSE_DECIMALS) -> dict:
    """The boundaries rounded to ``decimals`` with repeated points dropped (fewer points to copy, serialise
    and draw); computed once per GeoJSON object."""
    hit = _COARSE.get(id(geojson))
    if hit is not None and hit[0] is geojson:
        return hit[1]
    feats = [{**f, "geometry": _coarse_geometry(f.get("geometry"), decimals)} for f in geojson.get("features", [])]
    out = {"type": "FeatureCollection", "features": feats}
    _COARSE.clear()
    _COARSE[id(geojson)] = (geojson, out)
    return out


def _geo_layout(fig: go.Figure) -> None:
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator", bgcolor="white")


def choropleth(df: pd.DataFrame, geojson: dict | None, *, title: str, subtitle: str, source: str, lang: str,
               unit: str, outlines: dict | None = None, colorscale: str = "YlGn",
               labels: pd.DataFrame | None = None, extent: str = "members",
               county_outlines: dict | None = None, county_geojson: dict | None = None) -> go.Figure:
    """Fill prefecture cities by ``value``. Columns: code, name, value, quality.

    ``outlines``: metro_id -> list of member codes, drawn as a thick border in the metro's colour.
    ``county_outlines`` (metro_id -> county codes, with ``county_geojson``): metros drawn as their plans draw them —
    the counties of a partial member are outlined instead of the whole prefecture.
    Marked values (modelled, estimate, single source...) get a hatch-free ◇ in the hover and a dotted border.
    ``extent``: which cities are drawn — ``members`` (the cities with data and the outlined ones),
    ``provinces`` (every city of their provinces) or ``national`` (every prefecture, Taiwan included, the
    national outline and the 南海诸岛 inset). Cities drawn without data are grey, with a 无数据 legend entry.
    The frame's height follows the drawn area's shape; the source line says the map is a 示意图.
    """
    source = schematic_source(source, lang)
    if geojson is None:
        return empty_figure(title, subtitle, source, t("state.no_boundaries", lang))
    data = df.dropna(subset=["value"])
    outline_codes = {c for codes in (outlines or {}).values() for c in codes}
    missing = no_data_codes(geojson, set(data["code"]), outline_codes, extent)
    if len(set(data["code"]) | outline_codes | missing) > COARSE_ABOVE:
        geojson = coarse_geojson(geojson)
    gj = subset_geojson(geojson, set(data["code"]) | outline_codes)
    if data.empty or not gj["features"]:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    hover = [hover_line(n + (" ◇" if is_marked(q) else ""), v, unit, q, lang)
             for n, v, q in zip(data["name"], data["value"], data["quality"])]
    fig = go.Figure(go.Choropleth(
        featureidkey="properties.code", locations=data["code"], z=data["value"],
        colorscale=colorscale, marker=dict(line=dict(color="white", width=0.5)),
        colorbar=dict(title=dict(text=unit), thickness=12, len=0.7, exponentformat="none",
                      **value_ticks(data["value"], lang)),
        hovertext=hover, hoverinfo="text", name=""))
    fig.data[0].geojson = gj     # set on the trace, not passed to the constructor (which deep-copies it)
    if missing:                  # every city in the extent is drawn: no data = grey, with a legend entry
        names = {str(f["properties"].get("code")): (f["properties"].get("name_en") if lang == "en" and
                                                     f["properties"].get("name_en") else f["properties"].get("name_zh", ""))
                 for f in geojson.get("features", [])}
        codes = sorted(missing)
        fig.add_trace(go.Choropleth(
            featureidkey="properties.code", locations=codes, z=[0] * len(codes),
            colorscale=[[0, NO_DATA_FILL], [1, NO_DATA_FILL]], showscale=False, showlegend=True,
            name=t("map.no_data", lang), marker=dict(line=dict(color="white", width=0.5)),
            hovertext=[f"<b>{names.get(c, c)}</b><br>{t('map.no_data', lang)}" for c in codes], hoverinfo="text"))
        fig.data[-1].geojson = subset_geojson(geojson, missing)
    # One light outline trace for every metro: only the outlined cities' boundaries, embedded once; the
    # line colour is per location (the metro's colour), so several metros do not repeat the GeoJSON.
    county_pairs, part_of = [], {}
    if county_outlines and county_geojson:
        pref_of = {str(f["properties"].get("code")): str(f["properties"].get("prefecture_code"))
                   for f in county_geojson.get("features", [])}
        county_pairs = [(m, c) for m, codes in county_outlines.items() for c in codes if c in pref_of]
        for m, c in county_pairs:
            part_of.setdefault(m, set()).add(pref_of[c])
    pairs = [(metro_id, c) for metro_id, codes in (outlines or {}).items() for c in codes
             if c and c not in part_of.get(metro_id, set())]
    if county_pairs:   # the plan's counties of partial members, in the metro's colour (thinner than prefectures)
        colors = [metro_color(m) for m, _ in county_pairs]
        fig.add_trace(go.Choropleth(
            featureidkey="properties.code", locations=[c for _, c in county_pairs], z=[0] * len(county_pairs),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            marker=dict(line=dict(color=colors[0] if len(set(colors)) == 1 else colors, width=1.6)),
            hoverinfo="skip", name="county outlines"))
        fig.data[-1].geojson = subset_geojson(county_geojson, {c for _, c in county_pairs})
    if pairs:
        outline_gj = subset_geojson(geojson, {c for _, c in pairs})
        colors = [metro_color(m) for m, _ in pairs]
        single = len(set(colors)) == 1
        fig.add_trace(go.Choropleth(
            featureidkey="properties.code", locations=[c for _, c in pairs], z=[0] * len(pairs),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            marker=dict(line=dict(color=colors[0] if single else colors, width=2.5)), hoverinfo="skip",
            name=pairs[0][0] if len({m for m, _ in pairs}) == 1 else "outlines"))
        fig.data[-1].geojson = outline_gj
    if labels is not None and not labels.empty:   # city names at their seats (few cities: member maps)
        fig.add_trace(go.Scattergeo(lon=labels["lon"], lat=labels["lat"], text=labels["name"], mode="text",
                                    textfont=dict(size=12, color=TEXT_DARK, weight="bold",
                                                  shadow="0px 0px 3px white, 0px 0px 3px white"),
                                    hoverinfo="skip", showlegend=False))
    _geo_layout(fig)
    legend = bool(missing)
    if extent == "national":
        add_national_frame(fig, lang)
        height = fitted_height(None, legend=legend)
    else:
        drawn = subset_geojson(geojson, set(data["code"]) | outline_codes | missing)
        fit_to(fig, drawn)
        height = fitted_height(drawn, legend=legend)
    fig.update_layout(margin=dict(l=10, r=10, t=80, b=80))
    fig = apply_frame(fig, title, subtitle, source, height=height, legend_bottom=legend)
    if legend:
        fig.update_layout(margin=dict(l=10, r=10))
    return fig


def flow_map(flows: pd.DataFrame, seats: pd.DataFrame, geojson: dict | None, *, member_codes, metro_id: str,
             title: str, subtitle: str, source: str, lang: str, unit: str, modelled: bool) -> go.Figure:
    """Flows as lines between city seats over the member boundaries.

    ``flows``: origin_code, dest_code, origin_name, dest_name, value, quality. ``seats``: code, name, lon, lat.
    Line width scales with value; modelled flows are dashed and labelled in the legend.
    """
    source = schematic_source(source, lang)
    if geojson is None:
        return empty_figure(title, subtitle, source, t("state.no_boundaries", lang))
    pos = seats.set_index("code")
    data = flows[flows["origin_code"].isin(pos.index) & flows["dest_code"].isin(pos.index)].dropna(subset=["value"])
    gj = subset_geojson(geojson, member_codes)
    if data.empty or not gj["features"]:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    color = metro_color(metro_id)
    fig = go.Figure(go.Choropleth(
        featureidkey="properties.code", locations=list(member_codes), z=[1] * len(member_codes),
        colorscale=[[0, "#F4F6F7"], [1, "#F4F6F7"]], showscale=False,
        marker=dict(line=dict(color=NEUTRAL, width=0.8)), hoverinfo="skip", name=""))
    fig.data[0].geojson = gj
    vmax = float(data["value"].max()) or 1.0
    label = t("chart.modelled_flow", lang) if modelled else t("chart.flow", lang)
    first = True
    for row in data.sort_values("value").itertuples():
        o, d = pos.loc[row.origin_code], pos.loc[row.dest_code]
        width = 1 + 9 * math.sqrt(float(row.value) / vmax)
        fig.add_trace(go.Scattergeo(
            lon=[o["lon"], d["lon"]], lat=[o["lat"], d["lat"]], mode="lines",
            line=dict(width=width, color=color, dash="dash" if modelled else "solid"), opacity=0.55,
            name=label, legendgroup="flows", showlegend=first,
            hovertext=hover_line(f"{row.origin_name} → {row.dest_name}", row.value, unit, row.quality, lang),
            hoverinfo="text"))
        first = False
    fig.add_trace(go.Scattergeo(lon=seats["lon"], lat=seats["lat"], text=seats["name"], mode="markers+text",
                                textposition="top center", marker=dict(size=7, color=TEXT_DARK),
                                textfont=dict(size=11), hoverinfo="text", showlegend=False))
    _geo_layout(fig)
    fig.update_layout(margin=dict(l=10, r=10, t=80, b=80))
    fit_to(fig, gj)
    fig = apply_frame(fig, title, subtitle, source, height=fitted_height(gj, legend=True), legend_bottom=True)
    fig.update_layout(margin=dict(l=10, r=10))
    return fig


TEXT_DARK = "#2C3E50"
